#!/bin/sh
# A SYN flood at the highest rate hping3 makes here, from a LAN host
# (192.168.1.66) toward FreeNAS's HTTP port, first against synproxy state,
# then against plain state with a per-source limit (max-src-states 1000):
# the client's own connections all succeed during the flood, the flood
# creates no state (synproxy) or at most its limit (plain), and picketd's
# memory stays within a few MiB. Last, against plain state with no limit
# but the table's: the flood fills the table (100000 states, the default
# limit) and memory grows by what those states take, and no more.
. "$(dirname "$0")/daemon/lib.sh"
pk_require hping3
pk_topology
pk_servers
ip -n "$NS_C" addr add 192.168.1.66/24 dev eth0 # the flooder answers for its address, as a real host

FLOOD_S=4

# flood CONF WHAT NEED RSS_KB: one flood against picketd running
# tests/netns/daemon/CONF.conf; prints the figures for WHAT, fails when
# fewer than NEED of the client's 5 connections succeed or picketd grows by
# more than RSS_KB KiB.
flood() {
	pk_compile "$(dirname "$0")/daemon/$1.conf"
	pk_start
	rss0=$(pk_rss_kb)
	rx0=$(pk_rx lan0)
	drops0=$(pk_ring_drops lan0)
	inc timeout -s INT $FLOOD_S hping3 --flood -q -S -p 80 -a 192.168.1.66 $NAS >"$WORK/hping.out" 2>&1 &
	hping=$!
	sleep 0.5
	ok=0
	for k in 1 2 3 4 5; do
		http_nas 2>/dev/null | grep -q "hello from freenas" && ok=$((ok + 1))
	done
	wait $hping
	states=$(pk_stat "current entries")
	rss=$(pk_rss_kb)
	rx=$(($(pk_rx lan0) - rx0))
	drops=$(($(pk_ring_drops lan0) - drops0))
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$WORK/hping.out")
	[ "$rx" -ge 10000 ] || fail "$2: the flood reached picketd with $rx packets only"
	[ $ok -ge "$3" ] || fail "$2: $ok of 5 client connections succeeded during the flood"
	[ $((rss - rss0)) -le "$4" ] || fail "$2: picketd grew from $rss0 to $rss KiB during the flood"
	echo "$2: $sent SYNs in $FLOOD_S s ($((sent / FLOOD_S))/s sent; on lan0 $((rx / FLOOD_S)) frames/s handled," \
		"$((drops / FLOOD_S))/s dropped by the ring); $ok of 5 client connections completed; $states states;" \
		"RSS $rss0 -> $rss KiB"
}

flood synproxy synproxy 5 8192
[ "$states" -le 10 ] || fail "synproxy: the flood created states ($states)"
[ "$(pk_stat sent)" -ge 10000 ] || fail "synproxy: the flood was not answered with SYN cookies"
pk_stop
flood flood "plain state, max-src-states 1000" 5 8192
# the flooder's SYNs hold at most 1000 states in and their 1000 copies out
[ "$states" -le 2010 ] || fail "plain state: the flood holds $states states, over its source's limit"
[ "$(pk_stat src-limit)" -ge 10000 ] || fail "plain state: max-src-states refused too few SYNs"
pk_stop
# 104 bytes a state and 6 of buckets (runtime/state.h): 11 MB for the table full.
# Longer, so that the table fills even when this machine forwards slowly
# (a busy host handles fewer SYNs a second; each makes two states).
FLOOD_S=12
flood block "plain state, no limit but the table's" 0 16384
[ "$states" -le 100000 ] || fail "plain state without a limit: $states states, over the table's limit"
[ "$(pk_stat state-limit)" -gt 0 ] || fail "plain state without a limit: the flood did not fill the table"
