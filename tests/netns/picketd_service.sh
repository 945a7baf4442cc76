#!/bin/sh
# picketd as a service: --version; started in the background from another
# directory with relative paths, it still reloads once it has changed to /;
# a second picketd on the same control socket or the same interfaces is
# refused, naming the running pid; after a stop the pid file, the control
# socket and the lock files are gone; a ruleset or a state directory the
# unprivileged user could not use is refused at start.
. "$(dirname "$0")/daemon/lib.sh"
pk_require
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"

"$PICKETD" --version | grep -Eq '^picketd [0-9]+\.[0-9]+\.[0-9]+$' || fail "picketd --version: $("$PICKETD" --version 2>&1)"

inf sh -c "cd '$WORK' && '$PICKETD' -f rules.pkb -s ctl.sock -p picketd.pid" || fail "picketd did not start in the background"
wait_for 10 test -s "$WORK/picketd.pid" || fail "the background picketd wrote no pid file"
wait_for 5 test -S "$WORK/ctl.sock" || fail "the background picketd has no control socket"
pid=$(cat "$WORK/picketd.pid")
[ "$(readlink "/proc/$pid/cwd")" = / ] || fail "the background picketd did not change to /"
ctl reload | grep -q "reloaded $WORK/rules.pkb" || fail "picketd started with a relative -f cannot reload"
http_nas | grep -q "hello from freenas" || fail "traffic through the background picketd"
lan_lock=/run/picketd.net$(inf stat -L -c %i /proc/self/ns/net).lan0.lock
[ -f "$lan_lock" ] && [ -f "$WORK/ctl.sock.lock" ] || fail "no lock files ($lan_lock, $WORK/ctl.sock.lock)"
echo "--version, background start with relative paths, reload from /: ok"

inf "$PICKETD" -f "$WORK/rules.pkb" -d -s "$WORK/ctl.sock" >"$WORK/second.log" 2>&1 &&
	fail "a second picketd on the same control socket started"
grep -q "control socket $WORK/ctl.sock is in use by picketd (pid $pid)" "$WORK/second.log" ||
	fail "the refusal does not name the running picketd: $(cat "$WORK/second.log")"
inf "$PICKETD" -f "$WORK/rules.pkb" -d -s "$WORK/other.sock" >"$WORK/third.log" 2>&1 &&
	fail "a second picketd on the same interfaces started"
grep -q "interface lan0 is in use by picketd (pid $pid)" "$WORK/third.log" ||
	fail "the refusal does not name the running picketd: $(cat "$WORK/third.log")"
ctl stats >/dev/null || fail "the running picketd lost its control socket"
http_nas | grep -q "hello from freenas" || fail "traffic after the refused starts"
echo "second picketd on the socket or the interfaces refused, naming pid $pid: ok"

kill -TERM "$pid"
wait_for 10 sh -c "! kill -0 $pid 2>/dev/null" || fail "picketd did not stop on SIGTERM"
left() { ls -d "$WORK"/*.sock* "$WORK/picketd.pid" "$lan_lock" 2>/dev/null; }
wait_for 5 sh -c "! ls -d '$WORK'/*.sock* '$WORK/picketd.pid' '$lan_lock' 2>/dev/null" ||
	fail "files left after the stop: $(left)"
echo "pid file, control socket and lock files removed at stop: ok"

chmod 600 "$WORK/rules.pkb"
inf "$PICKETD" -f "$WORK/rules.pkb" -d -s "$WORK/ctl.sock" >"$WORK/unreadable.log" 2>&1 &&
	fail "a ruleset user nobody cannot read was accepted at start"
grep -q "rules.pkb: Permission denied for user nobody" "$WORK/unreadable.log" ||
	fail "the refusal does not say why: $(cat "$WORK/unreadable.log")"
chmod 644 "$WORK/rules.pkb"
mkdir "$WORK/states"
inf "$PICKETD" -f "$WORK/rules.pkb" -d -s "$WORK/ctl.sock" --state-file "$WORK/states/picketd" \
	>"$WORK/statedir.log" 2>&1 && fail "a state directory user nobody cannot write was accepted at start"
grep -q "states: Permission denied for user nobody" "$WORK/statedir.log" ||
	fail "the refusal does not say why: $(cat "$WORK/statedir.log")"
wait_for 5 sh -c "! ls -d '$WORK'/*.sock* '$lan_lock' 2>/dev/null" || fail "refused starts left files: $(left)"
echo "unreadable ruleset and unwritable state directory refused at start: ok"
