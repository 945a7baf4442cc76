#!/bin/sh
# picketd's overload: curl's fourth connection within 30 s breaks
# max-src-conn-rate 3/30; the client lands in <bad> (`picket tables`
# shows it), its ping is blocked from then on and its states are gone.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/overload.conf"
pk_start

inc ping -c 1 -W 2 $NAS >/dev/null || fail "ping before the overload"
for k in 1 2 3; do
	http_nas | grep -q "hello from freenas" || fail "curl connection $k of 3 (within the rate)"
done
echo "three connections within the rate: ok"
http_nas >/dev/null 2>&1 && fail "the fourth connection within 30 s passed"
ctl tables | grep -q "$CLIENT (overload)" || { ctl tables; fail "picket tables does not list $CLIENT"; }
ctl tables --format json | grep -q "\"name\":\"bad\",\"written\":[0-9]*,\"added\":\[\"$CLIENT\"\]" ||
	{ ctl tables --format json; fail "picket tables --format json does not list $CLIENT in <bad>"; }
ctl stats | grep -Eq "sources added +1" || { ctl stats; fail "picket stats counts no overloaded source"; }
inc ping -c 1 -W 2 $NAS >/dev/null && fail "ping passed after the source was put in <bad>"
ctl states | grep -q "$CLIENT" && { ctl states; fail "states of the overloaded source survived flush global"; }
echo "fourth connection refused; $CLIENT in <bad>, blocked, states flushed: ok"
