#!/bin/sh
# Routed NAT64 (af-to): the IPv6-only client fetches FreeNAS's page and
# pings it at 64:ff9b::a00:a05 (10.0.10.5 in the well-known prefix);
# picketd translates each packet to IPv4 from its opt1 address and the
# replies back to IPv6, forwarding both without out rules, as pf does (the
# ruleset has none that would pass them). Port 8080 has no rule: dropped.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
pk_topology
ip netns exec "$NS_C" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0
ip -n "$NS_C" addr add 2001:db8:1::10/64 dev eth0 nodad
ip -n "$NS_C" -6 route add default via 2001:db8:1::1
mkdir -p "$WORK/www" && echo "hello from ipv4" >"$WORK/www/index.html"
for port in 80 8080; do
	ins /usr/bin/python3 -m http.server $port --bind $NAS --directory "$WORK/www" >"$WORK/http$port.log" 2>&1 &
	echo $! >"$WORK/http$port.pid"
done
wait_for 10 ins sh -c "ss -ltn | grep -q '$NAS:8080'" || fail "http servers did not start"
pk_compile "$(dirname "$0")/daemon/afto.conf"
pk_start

inc curl -sS --max-time 10 "http://[64:ff9b::a00:a05]/" | grep -q "hello from ipv4" || fail "curl through NAT64"
grep -q '"GET / HTTP' "$WORK/http80.log" && grep -q '^10.0.10.1 ' "$WORK/http80.log" ||
	fail "FreeNAS did not see the request from 10.0.10.1: $(cat "$WORK/http80.log")"
inc ping -6 -c 2 -W 2 64:ff9b::a00:a05 >/dev/null || fail "ping6 through NAT64"
inc curl -s -o /dev/null --connect-timeout 3 --max-time 5 "http://[64:ff9b::a00:a05]:8080/"
rc=$?
[ $rc = 28 ] || fail "port 8080: curl exit $rc (expected 28: dropped)"
echo "NAT64: http and ping6 translated to IPv4 and back; 8080 dropped"
