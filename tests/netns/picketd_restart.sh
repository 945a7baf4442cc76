#!/bin/sh
# A planned restart loses no connection: with --state-file, picketd saves
# its states on SIGTERM and the next picketd, loading the same ruleset,
# restores them; an HTTP transfer running across the restart completes,
# whole. States saved under another ruleset are refused (that picketd starts
# with an empty table), and without the states the same kind of transfer
# stalls: the restore is what kept it. When picketd dies,
# traffic stops and its reaper removes its files.
. "$(dirname "$0")/daemon/lib.sh"
pk_require sha256sum nstat
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"
mkdir "$WORK/state"
chown nobody "$WORK/state" # picketd saves as the user it runs as
states=$WORK/state/picketd.states
pk_big_file 12
pk_start --state-file "$states"

resets_before=$(($(pk_resets "$NS_C") + $(pk_resets "$NS_S")))
pk_fetch_big 3M # 3 to 6 s: curl paces by its average
fetch=$!
wait_for 5 test -s "$WORK/got" || fail "the transfer did not start: $(cat "$WORK/curl.out")"
sleep 1
kill -0 $fetch 2>/dev/null || fail "the transfer ended before the restart: make it longer"
t0=$(date +%s%N)
pk_stop
saved=$(sed -n 's/.*saved \([0-9]*\) states.*/\1/p' "$WORK/picketd.log" | tail -n 1)
[ "${saved:-0}" -ge 1 ] || fail "picketd saved no state on SIGTERM"
pk_start --state-file "$states"
t1=$(date +%s%N)
grep -q "restored $saved of $saved states" "$WORK/picketd.log" || fail "the new picketd did not restore the $saved states"
[ -e "$states" ] && fail "the state file was left after it was restored"
wait $fetch || fail "the transfer across the restart failed: $(cat "$WORK/curl.out")"
pk_got_big || fail "the file fetched across the restart differs from the server's"
resets=$(($(pk_resets "$NS_C") + $(pk_resets "$NS_S") - resets_before))
[ "$resets" -eq 0 ] || fail "$resets TCP resets or aborts during the transfer"
echo "restart: $saved states saved and restored; picketd away $(((t1 - t0) / 1000000)) ms;" \
	"12 MiB transfer across it completed ($(cat "$WORK/curl.out")), no reset"

pk_stop
cp "$(dirname "$0")/daemon/block.conf" "$WORK/other.conf"
echo "pass in quick on lan0 proto udp from 192.168.1.0/24 to 10.0.10.5 port 53" >>"$WORK/other.conf"
pk_compile "$WORK/other.conf"
pk_start --state-file "$states"
grep -q "states not restored.*saved under another ruleset" "$WORK/picketd.log" ||
	fail "states saved under another ruleset were not refused"
[ "$(ctl states | wc -l)" -eq 0 ] || fail "states of another ruleset were restored: $(ctl states)"
http_nas | grep -q "hello from freenas" || fail "picketd with a refused state file does not forward"
echo "states of another ruleset refused; picketd started with an empty table: ok"

pk_fetch_big 3M
fetch=$!
wait_for 5 test -s "$WORK/got" || fail "the second transfer did not start"
sleep 1
kill -0 $fetch 2>/dev/null || fail "the second transfer ended before the restart: make it longer"
pk_stop
pk_start
got=$(stat -c %s "$WORK/got")
sleep 2
moved=$(($(stat -c %s "$WORK/got") - got))
kill $fetch 2>/dev/null
wait $fetch 2>/dev/null
[ "$moved" -lt 262144 ] ||
	fail "a transfer went on after a restart without states ($moved bytes in 2 s): this test would prove nothing"
echo "without the states the transfer stalled: $moved bytes in the 2 s after the restart"

pid=$(cat "$WORK/picketd.pid")
kill -KILL "$pid"
wait_for 5 sh -c "! test -e '$WORK/picketd.pid' && ! test -e '$WORK/ctl.sock'" ||
	fail "pid file or control socket left after picketd was killed"
inc curl -s -o /dev/null --max-time 2 "http://$NAS/" && fail "traffic passed with picketd dead"
echo "picketd killed: traffic stopped, its pid file and control socket removed"
