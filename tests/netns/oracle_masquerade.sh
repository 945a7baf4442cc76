#!/bin/sh
# Oracle: outbound NAT without static-port, against the kernel's masquerade,
# which keeps the client's port where pf draws one. tcpdump on the
# firewall's "any" device records both interfaces, with each frame's
# interface and whether the firewall sent it: the translated packets
# leaving opt1 are in the capture, and `picket replay` takes the kernel's
# translation from them, so every packet passes, the replies included.
# The same capture without what the firewall sent cannot say which port the
# kernel kept: the replies are predicted blocked, and the summary counts
# the translations it could not see.
CASE=masquerade
. "$(dirname "$0")/oracle/lib.sh"
setup
servers tcp:80 udp:5353
ip netns exec "$NS_F" tcpdump -i any -y LINUX_SLL2 --immediate-mode -U -n -w "$OUT/any.pcap" 2>"$OUT/tcpdump.log" &
CAP_PIDS=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do grep -q listening "$OUT/tcpdump.log" 2>/dev/null && break; sleep 0.2; done
for _ in 1 2 3; do in_c curl -s -m 3 -o /dev/null http://10.0.10.5/ || { echo "curl through the NAT failed"; exit 1; }; done
in_c $PY -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"ping", ("10.0.10.5", 5353)); assert s.recv(64) == b"ping"' || { echo "UDP through the NAT failed"; exit 1; }
capture_stop
tcpdump -r "$OUT/any.pcap" -w "$OUT/in.pcap" inbound 2>/dev/null
names=$(in_f ip -o link show | sed -n 's/^\([0-9]*\): \(lan0\|opt1\)[@:].*/\1=\2/p')
for c in any in; do
	$PY "$ORACLE/any_to_pcapng.py" "$OUT/$c.pcap" "$OUT/$c.pcapng" $names || exit 1
	build/picket replay --format jsonl "$ORACLE/$CASE.conf" "$OUT/$c.pcapng" >"$OUT/$c.jsonl" &&
		build/picket replay --quiet --summary "$ORACLE/$CASE.conf" "$OUT/$c.pcapng" >"$OUT/$c.summary" ||
		{ echo "picket replay of $c.pcapng failed"; exit 1; }
done
count() { grep -c "$1" "$2"; }
summary() { sed -n "s/^  $1  *\([0-9]*\)$/\1/p" "$2"; }
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# the replayed packets: those the firewall received (what it sent is skipped)
grep '"verdict"' "$OUT/any.jsonl" | grep -v '"verdict":"skip"' >"$OUT/any.replayed"
replies=$(count '^{"n":[0-9]*,"time":[0-9.]*,"iface":"opt1"' "$OUT/any.replayed")
[ "$replies" -ge 8 ] && [ "$(grep -vc '"verdict":"pass"' "$OUT/any.replayed")" -eq 0 ] &&
	ok "both interfaces: all $(count . "$OUT/any.replayed") packets pass, $replies replies among them" ||
	fail "both interfaces: $(grep -v '"verdict":"pass"' "$OUT/any.replayed" | head -3)"
[ "$(summary "taken from the capture" "$OUT/any.summary")" = 4 ] &&
	[ "$(summary "not in the capture" "$OUT/any.summary")" = 0 ] &&
	ok "both interfaces: the kernel's 4 translations taken from the capture" ||
	fail "both interfaces: $(grep -A4 '^Translations' "$OUT/any.summary")"
[ "$(grep '"iface":"opt1"' "$OUT/in.jsonl" | grep -c '"verdict":"block"')" -ge 4 ] &&
	[ "$(summary "not in the capture" "$OUT/in.summary")" = 4 ] &&
	grep -q "replies to 4 translated connections cannot be predicted" "$OUT/in.summary" &&
	ok "arrivals only: replies predicted blocked, 4 translations counted as not in the capture" ||
	fail "arrivals only: $(grep -A5 '^Translations' "$OUT/in.summary")"
[ $fails -eq 0 ]
