#!/bin/sh
# route-to in routed mode: HTTP from the LAN to FreeNAS's address leaves by
# opt2 towards the rule's gateway (a host there answering for that address),
# not by opt1 where the topology routes it; HTTPS still reaches the real
# FreeNAS. The answers come back through the floating state. A dup-to copy
# of a ping reaches the opt2 host too, whose answer (TTL 99) the client sees as a DUP.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
pk_topology
NS_A=pka$SUF
routeto_cleanup() {
	pids=$(ip netns pids "$NS_A" 2>/dev/null)
	[ -n "$pids" ] && kill $pids 2>/dev/null
	ip netns del "$NS_A" 2>/dev/null
	pk_cleanup
}
trap routeto_cleanup EXIT
ip netns add "$NS_A" || fail "ip netns add $NS_A"
ip -n "$NS_A" link set lo up
ip netns exec "$NS_A" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
# Its answers start at TTL 100 (99 at the client): told apart from FreeNAS's.
ip netns exec "$NS_A" sysctl -qw net.ipv4.ip_default_ttl=100
ip -n "$NS_F" link add opt2 type veth peer name eth0 netns "$NS_A" || fail "veth opt2"
ip -n "$NS_A" addr add 10.0.20.5/24 dev eth0
ip -n "$NS_A" addr add $NAS/32 dev lo
ip -n "$NS_A" link set eth0 up
ip -n "$NS_A" route add default via 10.0.20.1
ip -n "$NS_F" link set opt2 up
no_offload "$NS_A" eth0
no_offload "$NS_F" opt2
mkdir -p "$WORK/alt"
echo "hello from the route-to host" >"$WORK/alt/index.html"
ip netns exec "$NS_A" /usr/bin/python3 -m http.server 80 --bind $NAS --directory "$WORK/alt" \
	>"$WORK/alt.log" 2>&1 &
echo $! >"$WORK/alt.pid"
pk_servers
wait_for 10 ip netns exec "$NS_A" sh -c "ss -ltn | grep -q ':80 '" || fail "the route-to host's server did not start"
pk_compile "$(dirname "$0")/daemon/routeto.conf"
pk_start

out=$(http_nas) || fail "curl http://$NAS/ through route-to"
[ "$out" = "hello from the route-to host" ] || fail "http went by the topology route, got '$out'"
https_nas >/dev/null || fail "curl -k https://$NAS/ (no route-to: opt1)"
ctl states | grep -q "$NAS:80" || { ctl states; fail "no state for the routed-to connection"; }
echo "route-to: http left by opt2, https by opt1"

out=$(inc ping -c 3 -i 0.3 -W 3 $NAS 2>&1)
echo "$out" | grep -q "ttl=99.*DUP!" || { echo "$out"; fail "the dup-to copy of the ping did not reach opt2's host"; }
echo "dup-to: the ping was answered by FreeNAS and by the copy on opt2"
