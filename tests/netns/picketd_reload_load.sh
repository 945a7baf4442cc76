#!/bin/sh
# 100 reloads during a long transfer, alternating between two rulesets that
# both pass it: every reload is taken, the transfer completes whole, no TCP
# reset on either end, no packet of it out of its state's window.
. "$(dirname "$0")/daemon/lib.sh"
pk_require sha256sum nstat
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"
cp "$WORK/rules.pkb" "$WORK/a.pkb"
cp "$(dirname "$0")/daemon/block.conf" "$WORK/b.conf"
echo "pass in quick on lan0 proto udp from 192.168.1.0/24 to 10.0.10.5 port 53" >>"$WORK/b.conf"
pk_compile "$WORK/b.conf"
cp "$WORK/rules.pkb" "$WORK/b.pkb"
pk_big_file 12
pk_start

resets_before=$(($(pk_resets "$NS_C") + $(pk_resets "$NS_S")))
pk_fetch_big 2M # 4 to 8 s: curl paces by its average
fetch=$!
wait_for 5 test -s "$WORK/got" || fail "the transfer did not start: $(cat "$WORK/curl.out")"
t0=$(date +%s%N)
inf sh -c "for i in \$(seq 50); do
	for r in b a; do cp '$WORK/'\$r.pkb '$WORK/rules.pkb' && '$PICKET' reload -s '$WORK/ctl.sock'; done
done" >"$WORK/reloads.out" 2>&1
t1=$(date +%s%N)
kill -0 $fetch 2>/dev/null || fail "the transfer ended before the 100 reloads did: make it longer"
wait $fetch || fail "the transfer failed during the reloads: $(cat "$WORK/curl.out")"
pk_got_big || fail "the file fetched during the reloads differs from the server's"
taken=$(grep -c "^reloaded .*states kept" "$WORK/reloads.out")
[ "$taken" -eq 100 ] || fail "$taken of 100 reloads taken: $(grep -v '^reloaded' "$WORK/reloads.out" | head -n 3)"
ctl stats | grep -Eq "^Ruleset reloads +100 \(refused 0\)" || fail "picket stats does not count 100 reloads"
resets=$(($(pk_resets "$NS_C") + $(pk_resets "$NS_S") - resets_before))
[ "$resets" -eq 0 ] || fail "$resets TCP resets or aborts during the reloads"
mismatch=$(pk_stat state-mismatch)
[ "$mismatch" -eq 0 ] || fail "$mismatch packets out of their state's window during the reloads"
echo "100 reloads in $(((t1 - t0) / 1000000)) ms during a 12 MiB transfer: all taken," \
	"transfer whole ($(cat "$WORK/curl.out")), no reset, no state mismatch"
