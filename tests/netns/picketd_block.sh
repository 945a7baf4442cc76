#!/bin/sh
# picketd routes the reference topology: ssh (key auth, runs a command),
# curl http and https pass; a disallowed port times out under `block`;
# ping follows its rule; the control socket and the pcap log work; GRO,
# on at start, is turned off.
. "$(dirname "$0")/daemon/lib.sh"
pk_require tcpdump ping
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"
# GRO on, as on most NICs: picketd must turn it off (merged frames exceed the MTU)
inf ethtool -K lan0 gro on 2>/dev/null
pk_start
inf ethtool -k lan0 | grep -q "^generic-receive-offload: off" || fail "picketd left GRO on lan0"
grep -q "lan0: turned generic-receive-offload off" "$WORK/picketd.log" || fail "picketd did not say it turned GRO off"
grep -q "kernel forwards" "$WORK/picketd.log" && fail "kernel forwarding reported on although it is off"

out=$(ssh_nas 'echo ssh-ok-$((6 * 7))') || fail "ssh through picketd"
[ "$out" = "ssh-ok-42" ] || fail "ssh ran the command but printed '$out'"
http_nas | grep -q "hello from freenas" || fail "curl http://$NAS/"
https_nas >/dev/null || fail "curl -k https://$NAS/"
echo "ssh, http, https: ok"

set -- $(probe_port 8080)
[ "$1" = 28 ] || fail "port 8080 under block: curl exit $1 (expected 28: connect timeout)"
echo "port 8080 blocked: timed out after $2 s"

inc ping -c 2 -W 2 $NAS >/dev/null || fail "ping LAN -> FreeNAS (passed by rule)"
inc ping -c 1 -W 2 192.168.1.1 >/dev/null || fail "ping LAN -> firewall (passed by rule)"
ins ping -c 1 -W 2 $CLIENT >/dev/null && fail "ping FreeNAS -> LAN passed; no rule passes it"
inc ping -c 1 -t 1 -W 2 $NAS 2>&1 | grep -q "Time to live exceeded" ||
	fail "a TTL 1 packet was not answered with time exceeded"
echo "ping follows its rules; TTL expiry answered"

ctl states | grep -q "tcp" || { ctl states; fail "picket states lists no TCP state"; }
ctl stats | grep -q "current entries" || fail "picket stats"
ctl rules -v | grep -q "Evaluations" || fail "picket rules -v"
ctl states -v | grep -q "expires in" || fail "picket states -v"
# The same listings as JSON, each valid against its schema definition.
for l in states stats rules tables; do
	ctl $l --format json >"$WORK/$l.json" || fail "picket $l --format json exits non-zero"
	/usr/bin/python3 "$PK_ROOT/tests/support/json_valid.py" $l "$WORK/$l.json" || fail "picket $l --format json"
done
grep -q "\"address\":\"$CLIENT\"" "$WORK/states.json" || fail "picket states --format json lacks $CLIENT"
echo "states, stats, rules, tables as JSON, valid: ok"
ctl kill-states $CLIENT | grep -Eq "killed [1-9][0-9]* states" || fail "picket kill-states $CLIENT killed nothing"
ctl states | grep -q "$CLIENT" && fail "states of $CLIENT remain after kill-states"
ctl kill-states not-an-address 2>/dev/null && fail "kill-states accepted a bad filter"
inf "$PICKET" states -s "$WORK/nonexistent.sock" 2>/dev/null && fail "picket states on a missing socket succeeded"
[ "$(stat -c %a "$WORK/ctl.sock")" = 600 ] || fail "control socket mode is $(stat -c %a "$WORK/ctl.sock"), not 600"
[ "$(ps -o user= -p "$(cat "$WORK/picketd.pid")")" = nobody ] || fail "picketd did not drop to nobody"
tcpdump -nr "$WORK/log.pcap" 2>/dev/null | grep -q "\.8080" || fail "blocked packets to 8080 are not in the pcap log"
echo "control socket, privileges, pcap log: ok"
