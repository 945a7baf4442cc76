#!/bin/sh
# picketd as a transparent filtering bridge (--bridge lan0,opt1): ARP
# crosses it (frames of other types do not), the allowed services pass (evaluated in on lan0 and out on
# opt1), a disallowed port is refused by picketd's RST.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
pk_topology bridge
pk_servers
pk_compile "$(dirname "$0")/daemon/bridge.conf"
pk_start --bridge lan0,opt1

inc ping -c 2 -W 2 $NAS >/dev/null || fail "ping across the bridge"
out=$(ssh_nas 'echo bridged-$((6 * 7))') || fail "ssh across the bridge"
[ "$out" = "bridged-42" ] || fail "ssh printed '$out'"
http_nas | grep -q "hello from freenas" || fail "curl http across the bridge"
https_nas >/dev/null || fail "curl -k https across the bridge"
set -- $(probe_port 8080)
[ "$1" = 7 ] || fail "port 8080 across the bridge: curl exit $1 (expected 7: refused)"
ins ping -c 1 -W 2 $CLIENT >/dev/null && fail "ping FreeNAS -> client passed; no rule passes it"
grep -q "bridge mode" "$WORK/picketd.log" || fail "picketd does not say it runs as a bridge"
# IP inside a VLAN tag or PPPoE would slip past the rules: such frames are dropped.
if /usr/bin/python3 -c 'import scapy' 2>/dev/null; then
	inc /usr/bin/python3 -c '
from scapy.all import Ether, Dot1Q, IP, TCP, sendp
sendp([Ether(dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=5) / IP(src="10.0.10.10", dst="10.0.10.5") / TCP(dport=8080, flags="S"),
       Ether(dst="ff:ff:ff:ff:ff:ff", type=0x8864) / (b"\x11\x00\x00\x01\x00\x20\x00\x21" + bytes(IP(dst="10.0.10.5") / TCP(dport=8080)))],
      iface="eth0", verbose=False)' || fail "scapy"
	sleep 0.5
	ctl stats | grep "VLAN-tagged" | grep -Eq " [2-9][0-9]*$" || { ctl stats; fail "VLAN and PPPoE frames were not dropped"; }
fi
echo "bridge: ping, ssh, http, https pass; 8080 refused; reverse ping blocked; VLAN/PPPoE dropped"
