#!/bin/sh
# The state table full (set limit states 1000): new states are refused and
# counted (state-limit), the states already there are kept (an ssh session
# goes on), and adaptive timeouts work as the reference documents
# (pfsense-firewall-nat-advanced.txt: start 60% and end 120% of the limit by
# default; at a full table every timeout is a third): the session's
# 24-hour established timeout shows 8 hours while the table is full, and
# once the flood stops the flood's half-open states drain a hundred a
# second instead of all waiting out their 6 s.
. "$(dirname "$0")/daemon/lib.sh"
pk_require hping3
pk_topology
pk_servers
ip -n "$NS_C" addr add 192.168.1.66/24 dev eth0
pk_compile "$(dirname "$0")/daemon/full.conf"
pk_start

ssh_nas 'for i in $(seq 7); do echo tick $i; sleep 1; done' >"$WORK/ssh.out" 2>&1 &
ssh=$!
wait_for 10 grep -q "tick 1" "$WORK/ssh.out" || fail "the ssh session did not start"
ctl states -v | grep -q "expires in 2[34]:" || fail "the ssh session's state does not expire in 24 h: $(ctl states -v)"
# 5000 SYNs/s for 2 s: each connection takes two states (in on lan0, out on opt1)
inc timeout -s INT 2 hping3 -q -S -p 80 -a 192.168.1.66 -i u200 $NAS >/dev/null 2>&1 &
hping=$!
sleep 1
full=$(pk_stat "current entries")
refused=$(pk_stat state-limit)
[ "$full" -eq 1000 ] || fail "the table holds $full states during the flood, not its limit 1000"
[ "$refused" -gt 0 ] || fail "no new state refused (state-limit) with the table full"
expiry=$(ctl states -v | grep -A1 ":22 " | sed -n 's/.*expires in \([0-9:]*\).*/\1/p' | head -n 1)
case $expiry in 07:5* | 08:0*) ;; *) fail "the ssh state expires in $expiry with the table full, not a third of 24 h" ;; esac
wait $hping
sleep 2
drained=$(pk_stat "current entries")
[ "$drained" -gt 0 ] && [ "$drained" -le 850 ] ||
	fail "2 s after the flood $drained states are left: adaptive timeouts should have drained 100 a second"
http_nas | grep -q "hello from freenas" || fail "no new connection once the table drained"
wait $ssh || fail "the ssh session died while the table was full: $(cat "$WORK/ssh.out")"
grep -q "tick 7" "$WORK/ssh.out" || fail "the ssh session was cut: $(cat "$WORK/ssh.out")"
echo "table full at $full states: $refused new states refused (state-limit); the ssh session kept, its" \
	"established timeout scaled to $expiry (a third of 24 h); 2 s after the flood $drained states left;" \
	"new connections accepted again"
