#!/bin/sh
# Commit-confirmed reloads with live traffic: a ruleset that locks ssh out,
# loaded with `picket reload --confirm`, is swapped back by itself when no
# `picket confirm` comes (an ssh connection open across both swaps lives on,
# new ssh connections work again); a second reload while one is pending is
# refused; `picket stats` shows the deadline; a confirmed reload stays.
. "$(dirname "$0")/daemon/lib.sh"
pk_require
pk_topology
pk_servers
d=$(dirname "$0")/daemon
pk_compile "$d/block.conf"
for f in lockout wider; do
	"$PICKET" compile "$d/$f.conf" -o "$WORK/$f.pkb" >>"$WORK/compile.log" 2>&1 || fail "picket compile $f.conf"
	chmod 644 "$WORK/$f.pkb"
done
pk_start

ssh_nas 'for i in $(seq 1 16); do echo tick $i; sleep 1; done' >"$WORK/ssh.out" 2>&1 &
sshpid=$!
wait_for 10 grep -q "tick 1" "$WORK/ssh.out" || fail "ssh connection did not start"

ctl reload --confirm 8 "$WORK/lockout.pkb" >"$WORK/reload.out" 2>&1 || fail "reload --confirm: $(cat "$WORK/reload.out")"
grep -q "reverts to .*rules.pkb in 8 s unless 'picket confirm'" "$WORK/reload.out" ||
	fail "reload --confirm does not say what happens: $(cat "$WORK/reload.out")"
ctl stats | grep -q "Pending confirmation: .*lockout.pkb reverts to .*rules.pkb at .* UTC (in [0-9]* s)" ||
	fail "stats shows no pending confirmation"
ctl stats --format json | grep -q '"pending_confirmation":{"file":"[^"]*lockout.pkb","reverts_to":"[^"]*rules.pkb","deadline":[0-9]*,"in_s":[0-9]*}' ||
	fail "stats --format json shows no pending confirmation"
inc timeout 3 nc -z $NAS 22 && fail "the locking ruleset let a new ssh connection through"
ctl reload "$WORK/wider.pkb" >"$WORK/second.out" 2>&1 && fail "a second reload was accepted while one is pending"
grep -q "awaits confirmation" "$WORK/second.out" || fail "the refusal does not say why: $(cat "$WORK/second.out")"

wait_for 12 grep -q "not confirmed within 8 s: reverted to .*rules.pkb" "$WORK/picketd.log" ||
	fail "the unconfirmed ruleset was not swapped back"
ctl stats | grep -q "Pending confirmation" && fail "stats still shows a pending confirmation after the revert"
ssh_nas true || fail "ssh does not work again after the revert"
wait $sshpid || fail "the open ssh connection died: $(cat "$WORK/ssh.out")"
grep -q "tick 16" "$WORK/ssh.out" || fail "the open ssh connection was cut: $(cat "$WORK/ssh.out")"

[ "$(probe_port 8080 | cut -d' ' -f1)" = 0 ] && fail "port 8080 is open before the wider ruleset"
ctl reload --confirm 3 "$WORK/wider.pkb" >/dev/null 2>&1 || fail "reload --confirm of wider.pkb"
ctl confirm | grep -q "confirmed: .*wider.pkb stays" || fail "picket confirm"
ctl confirm >/dev/null 2>&1 && fail "a second confirm found something to confirm"
sleep 4
grep -q "reverted to .*wider" "$WORK/picketd.log" && fail "a confirmed reload was reverted"
[ "$(probe_port 8080 | cut -d' ' -f1)" = 0 ] || fail "the confirmed ruleset does not run after its deadline"
ctl reload | grep -q "reloaded .*wider.pkb" || fail "a plain reload does not re-read the confirmed file"
echo "unconfirmed lockout reverted after 8 s, open ssh connection kept; second reload refused; confirmed reload stayed"
