#!/bin/sh
# A reload (picket reload and SIGHUP) under an open ssh connection keeps it
# alive; a corrupt .pkb is refused, the running ruleset stays, traffic flows.
. "$(dirname "$0")/daemon/lib.sh"
pk_require
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"
pk_start

ssh_nas 'for i in 1 2 3 4 5 6; do echo tick $i; sleep 1; done' >"$WORK/ssh.out" 2>&1 &
sshpid=$!
wait_for 10 grep -q "tick 1" "$WORK/ssh.out" || fail "ssh session did not start"
ctl reload | grep -q "states kept" || fail "picket reload"
kill -HUP "$(cat "$WORK/picketd.pid")"
cp "$WORK/rules.pkb" "$WORK/good.pkb"
head -c 200 "$WORK/good.pkb" >"$WORK/rules.pkb"
printf 'garbage' >>"$WORK/rules.pkb"
ctl reload >"$WORK/reload.out" 2>&1 && fail "a corrupt .pkb was accepted: $(cat "$WORK/reload.out")"
grep -q "refused" "$WORK/reload.out" || fail "refusal does not say so: $(cat "$WORK/reload.out")"
chmod 666 "$WORK/rules.pkb"
ctl reload >"$WORK/reload.out" 2>&1 && fail "a world-writable .pkb was accepted"
grep -q "writable" "$WORK/reload.out" || fail "refusal does not name the permission problem"
http_nas | grep -q "hello from freenas" || fail "traffic stopped after a refused reload"
wait $sshpid || fail "the ssh session died across the reloads: $(cat "$WORK/ssh.out")"
grep -q "tick 6" "$WORK/ssh.out" || fail "the ssh session was cut: $(cat "$WORK/ssh.out")"
grep -q "reload refused" "$WORK/picketd.log" || fail "picketd's log does not say why the reload was refused"
echo "open connection survived 2 reloads; 2 bad files refused; traffic kept flowing"
