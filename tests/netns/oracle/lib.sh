# tests/netns/oracle/lib.sh: sourced by tests/netns/oracle_*.sh.
#
# Three network namespaces joined by veth pairs:
#   client 192.168.1.10/24 --c0 == lan0-- firewall --opt1 == s0-- 10.0.10.5/24 server
# The firewall namespace forwards and runs kernel nftables with the rule set
# oracle/CASE.nft, the twin of oracle/CASE.conf. tcpdump captures both
# firewall interfaces; kernel_verdicts.py derives the kernel's verdict for
# every packet that entered; `picket replay` on those packets must predict
# the same verdict for each. Everything is removed on exit.

set -u
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1
PY=/usr/bin/python3
ORACLE=tests/netns/oracle
: "${CASE:?set CASE before sourcing}"
OUT=build/netns/$CASE
TAG=pkrp$$
NS_C=${TAG}c NS_F=${TAG}f NS_S=${TAG}s
MAC_LAN=02:00:00:00:01:01 MAC_OPT=02:00:00:00:02:01
PIDS=""

skip() { echo "$*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
for tool in nft ip tcpdump nc curl ping ethtool; do
	command -v $tool >/dev/null 2>&1 || skip "$tool is not installed (scripts/install-deps)"
done
$PY -c 'import scapy' 2>/dev/null || skip "python3-scapy is not installed"
[ -x build/picket ] || { echo "build/picket is missing: run make"; exit 1; }

in_c() { ip netns exec "$NS_C" "$@"; }
in_f() { ip netns exec "$NS_F" "$@"; }
in_s() { ip netns exec "$NS_S" "$@"; }

cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	for ns in "$NS_C" "$NS_F" "$NS_S"; do ip netns del "$ns" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

# A namespace with IPv6 off (no router or neighbour chatter to compare) and
# checksum offload off (so captured packets carry real checksums).
mkns() {
	ip netns add "$1" || skip "cannot create network namespaces here"
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$1" ip link set lo up
}

setup() {
	rm -rf "$OUT" && mkdir -p "$OUT"
	mkns "$NS_C"; mkns "$NS_F"; mkns "$NS_S"
	ip link add c0 netns "$NS_C" type veth peer name lan0 netns "$NS_F"
	ip link add s0 netns "$NS_S" type veth peer name opt1 netns "$NS_F"
	in_f ip link set lan0 address $MAC_LAN
	in_f ip link set opt1 address $MAC_OPT
	for x in "$NS_C c0" "$NS_F lan0" "$NS_F opt1" "$NS_S s0"; do
		set -- $x
		ip netns exec "$1" ethtool -K "$2" tx off rx off >/dev/null 2>&1
		ip netns exec "$1" ip link set "$2" up
	done
	in_c ip addr add 192.168.1.10/24 dev c0
	in_f ip addr add 192.168.1.1/24 dev lan0
	in_f ip addr add 10.0.10.1/24 dev opt1
	in_s ip addr add 10.0.10.5/24 dev s0
	in_c ip route add default via 192.168.1.1
	in_s ip route add default via 10.0.10.1
	in_f sysctl -qw net.ipv4.ip_forward=1
	# pf keeps state only from a SYN (flags S/SA); conntrack would otherwise
	# pick up a connection from any mid-stream packet.
	in_f sysctl -qw net.netfilter.nf_conntrack_tcp_loose=0 2>/dev/null
	in_f nft -f "$ORACLE/$CASE.nft" || { echo "nft rejected $ORACLE/$CASE.nft"; exit 1; }
	# Neighbours resolved before capturing, so no packet waits on ARP.
	in_c ping -c 1 -W 1 192.168.1.1 >/dev/null
	in_s ping -c 1 -W 1 10.0.10.1 >/dev/null
}

bg() { "$@" & PIDS="$PIDS $!"; }

# Listeners in the server namespace: TCP ports answer one line and close,
# UDP ports echo.
servers() { bg ip netns exec "$NS_S" $PY "$ORACLE/servers.py" "$@"; sleep 0.5; }

capture_start() {
	for i in lan0 opt1; do
		ip netns exec "$NS_F" tcpdump -i $i -U -n -w "$OUT/$i.pcap" 2>"$OUT/tcpdump-$i.log" &
		CAP_PIDS="${CAP_PIDS:-} $!"
	done
	for i in lan0 opt1; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			grep -q listening "$OUT/tcpdump-$i.log" 2>/dev/null && break
			sleep 0.2
		done
	done
}

capture_stop() {
	sleep 0.5
	for p in $CAP_PIDS; do kill -INT "$p"; done
	for p in $CAP_PIDS; do wait "$p"; done
}

# Derive the kernel's verdicts, replay, compare; the exit status of the test.
judge() {
	$PY "$ORACLE/kernel_verdicts.py" "$OUT" "lan0=$OUT/lan0.pcap=$MAC_LAN" "opt1=$OUT/opt1.pcap=$MAC_OPT" || exit 1
	build/picket replay --format jsonl "$ORACLE/$CASE.conf" "$OUT/ingress.pcapng" >"$OUT/picket.jsonl" ||
		{ echo "picket replay failed"; exit 1; }
	$PY "$ORACLE/agree.py" "$OUT/kernel.jsonl" "$OUT/picket.jsonl"
}
