#!/bin/sh
# tests/e2e/diff.sh: `picket diff` on pairs known equivalent (reordered
# non-overlapping rules, macros vs literals, lists vs expanded rules and
# tables) and on a pair with a known difference; then `picket explain`
# and `picket query` on the bundled example.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
picket=$root/build/picket
d=$root/tests/verify/diff
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # check DESCRIPTION COMMAND...: the command must succeed
	what=$1
	shift
	if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fail=1; fi
}

for p in reorder macros lists; do
	$picket diff "$d/$p-old.conf" "$d/$p-new.conf" >"$tmp/out" 2>&1
	check "$p: equivalent, exit 0" test $? -eq 0
	check "$p: says equivalent" grep -q '^equivalent' "$tmp/out"
done

$picket diff --max 2 "$d/changed-old.conf" "$d/changed-new.conf" >"$tmp/out" 2>&1
check "changed: exit 1" test $? -eq 1
check "changed: two groups" grep -q '^not equivalent: 2 groups' "$tmp/out"
check "changed: port 80 lost (old rule 1 -> new rule 0)" \
	grep -q 'old: rule 1 at .*changed-old.conf:2 -> new: rule 0 at .*changed-new.conf:1: pass -> block' "$tmp/out"
check "changed: port 8080 gained" grep -q 'port 8080 .*(old block, new pass)' "$tmp/out"
check "changed: --max 2 witnesses per group" test "$(grep -c '(old pass, new block)' "$tmp/out")" -eq 2

ex=$root/examples/freenas.conf
$picket explain "$ex" 'tcp from 192.168.1.10 port 5555 to 10.0.10.5 port 443 in on lan0 flags S' >"$tmp/out" 2>&1
check "explain: exit 0" test $? -eq 0
check "explain: the quick management rule decides" grep -q 'deciding rule (quick' "$tmp/out"
check "explain: the state it creates" grep -q 'state: keep state, if-bound' "$tmp/out"
check "explain: routed out on opt1 and passed there" grep -q '^route: out on opt1' "$tmp/out"
$picket explain "$ex" 'tcp from 192.168.1.10 to 10.0.10.5 port 443 in on lan0 flags Q' >"$tmp/out" 2>&1
check "explain: a bad packet is a usage error" test $? -eq 2
# a match rule's rdr-to: the pass rule after it names the server, as pf reads it
rdr=$root/tests/replay/matchrdr.conf
$picket explain "$rdr" 'tcp from 198.51.100.7 port 40000 to 203.0.113.2 port 80 in on wan0 flags S' >"$tmp/out" 2>&1
check "explain rdr-to: translated for the rules after the match rule" grep -q 'to 10.0.10.5 port 80 in on wan0' "$tmp/out"
check "explain rdr-to: the pass rule naming the server decides" grep -q 'verdict: pass' "$tmp/out"
check "explain rdr-to: routed to the server's side" grep -q '^route: out on opt1' "$tmp/out"

$picket query "$ex" 'in on wan0 proto tcp from any to 10.0.10.5 port 22' >"$tmp/out" 2>&1
check "query: nothing reaches the NAS's ssh from the Internet (exit 1)" test $? -eq 1
check "query: names the rule that stops it" grep -q 'rule .* at .*freenas.conf:' "$tmp/out"
$picket query "$ex" 'in on lan0 proto tcp from 192.168.1.7 to 10.0.10.5 port 22' >"$tmp/out" 2>&1
check "query: an admin reaches it (exit 0, witness)" grep -q '^yes: inet tcp from 192.168.1.7' "$tmp/out"
exit $fail
