#!/bin/sh
# Routed IPv6: picketd answers neighbour solicitations for its addresses,
# resolves FreeNAS by neighbour discovery, forwards http over IPv6 and
# ping6 (to FreeNAS and to itself), answers hop-limit expiry with an
# ICMPv6 time exceeded, and drops a port no rule passes.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
pk_topology
for ns in $NS_C $NS_S; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0
done
ip -n "$NS_C" addr add 2001:db8:1::10/64 dev eth0 nodad
ip -n "$NS_S" addr add 2001:db8:10::5/64 dev eth0 nodad
ip -n "$NS_C" -6 route add default via 2001:db8:1::1
ip -n "$NS_S" -6 route add default via 2001:db8:10::1
mkdir -p "$WORK/www" && echo "hello over ipv6" >"$WORK/www/index.html"
ins /usr/bin/python3 -m http.server 80 --bind 2001:db8:10::5 --directory "$WORK/www" >"$WORK/http6.log" 2>&1 &
echo $! >"$WORK/http6.pid"
ins /usr/bin/python3 -m http.server 8080 --bind 2001:db8:10::5 --directory "$WORK/www" >"$WORK/http6b.log" 2>&1 &
echo $! >"$WORK/http6b.pid"
wait_for 10 ins sh -c "ss -ltn | grep -q '2001:db8:10::5\]:8080'" || fail "IPv6 http servers did not start"
pk_compile "$(dirname "$0")/daemon/ipv6.conf"
pk_start

inc ping -6 -c 2 -W 2 2001:db8:1::1 >/dev/null || fail "ping6 to picketd's own address"
inc ping -6 -c 2 -W 2 2001:db8:10::5 >/dev/null || fail "ping6 through picketd"
inc curl -sS --max-time 10 "http://[2001:db8:10::5]/" | grep -q "hello over ipv6" || fail "curl over IPv6"
inc curl -s -o /dev/null --connect-timeout 3 --max-time 5 "http://[2001:db8:10::5]:8080/"
rc=$?
[ $rc = 28 ] || fail "IPv6 port 8080: curl exit $rc (expected 28: dropped)"
inc ping -6 -c 1 -t 1 -W 2 2001:db8:10::5 2>&1 | grep -qi "time exceeded" ||
	fail "hop limit 1 was not answered with time exceeded"
ip -n "$NS_C" -6 neigh show | grep -q "2001:db8:1::1 .*router" || fail "the client did not learn picketd as a router"
echo "IPv6: neighbour discovery, ping6, http forwarded; 8080 dropped; hop limit expiry answered"
