#!/bin/sh
# A planned restart loses no connection: with --state-file, picketd saves
# its states on SIGTERM and the next picketd, loading the same ruleset,
# restores them; an HTTP transfer running across the restart completes,
# whole. States saved under another ruleset are refused (that picketd starts
# with an empty table), and without the states the same kind of transfer
# stalls and is abandoned: the restore is what kept it.
. "$(dirname "$0")/daemon/lib.sh"
pk_require sha256sum nstat
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"
mkdir "$WORK/state"
chown nobody "$WORK/state" # picketd saves as the user it runs as
states=$WORK/state/picketd.states
pk_big_file 16
pk_start --state-file "$states"

resets_before=$(($(pk_resets "$NS_C") + $(pk_resets "$NS_S")))
pk_fetch_big 4M # about 4 s
fetch=$!
wait_for 5 test -s "$WORK/got" || fail "the transfer did not start: $(cat "$WORK/curl.out")"
sleep 1
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
	"16 MiB transfer across it completed ($(cat "$WORK/curl.out")), no reset"

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

inc curl -sS --max-time 20 --speed-limit 1000 --speed-time 2 --limit-rate 4M -o "$WORK/got" \
	"http://$NAS/big" >"$WORK/curl.out" 2>&1 &
fetch=$!
wait_for 5 test -s "$WORK/got" || fail "the second transfer did not start"
sleep 1
pk_stop
pk_start
wait $fetch && fail "a transfer survived a restart without states: this test would prove nothing"
echo "without the states the transfer stalled and was abandoned: $(tail -n 1 "$WORK/curl.out")"
