#!/bin/sh
# tests/e2e/check_print.sh: `picket check` and `picket print` as a user runs
# them: exit codes, located messages, JSON, numbering, topology, -D.
set -u
. "$(dirname "$0")/../support/e2e.sh"

for f in "$root"/examples/*.conf; do
	"$picket" check "$f" >"$tmp/out" 2>&1 || fail "example $f does not check: $(cat "$tmp/out")"
done

printf 'nas = "10.0.0.5"\npass in proto tcp to $nass port ssh\npass in junk\n' >"$tmp/bad.conf"
"$picket" check --color never "$tmp/bad.conf" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 2 ] || fail "check of a bad file must exit 2"
grep -q "bad.conf:2:22: error: unknown macro '\$nass' (did you mean '\$nas'?)" "$tmp/err" || fail "macro error not located: $(cat "$tmp/err")"
grep -q "bad.conf:3:9: error: syntax error" "$tmp/err" || fail "second error not reported"
grep -q '\^~~~~' "$tmp/err" || fail "no caret under the span"
grep -q "$(printf '\033')" "$tmp/err" && fail "colour written to a file"

"$picket" check --format json "$tmp/bad.conf" >"$tmp/json" 2>/dev/null
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["errors"] == 2, d; assert d["diagnostics"][0]["line"] == 2' "$tmp/json" ||
	fail "json output: $(cat "$tmp/json")"

printf 'pass in on $ext proto tcp to port { 22 80 }\n' >"$tmp/d.conf"
"$picket" print -n -D ext=em0 "$tmp/d.conf" >"$tmp/out" 2>&1 || fail "print -D: $(cat "$tmp/out")"
printf '@0 pass in on em0 proto tcp from any to any port = 22 flags S/SA\n@1 pass in on em0 proto tcp from any to any port = 80 flags S/SA\n' >"$tmp/want"
cmp -s "$tmp/want" "$tmp/out" || fail "print -n output: $(cat "$tmp/out")"

printf 'interface em0 address 192.0.2.1/24\n' >"$tmp/topo.conf"
printf 'pass in from em0:network\n' >"$tmp/t.conf"
"$picket" check "$tmp/t.conf" >/dev/null 2>&1 && fail "em0:network without topology must fail"
"$picket" print --topology "$tmp/topo.conf" "$tmp/t.conf" >"$tmp/out" 2>&1 || fail "--topology: $(cat "$tmp/out")"
grep -q 'from 192.0.2.0/24 to any' "$tmp/out" || fail "--topology not merged: $(cat "$tmp/out")"
"$picket" print -v --topology "$tmp/topo.conf" "$tmp/t.conf" | grep -q '^interface em0 address 192.0.2.1/24$' ||
	fail "print -v lacks the topology"

# --root: the host's absolute paths read under a copy of its files
mkdir -p "$tmp/host/etc/pf"
printf '10.9.0.0/16\n' >"$tmp/host/etc/pf/bad"
printf 'table <bad> file "/etc/pf/bad"\nblock in from <bad>\n' >"$tmp/r.conf"
"$picket" check "$tmp/r.conf" >/dev/null 2>&1 && fail "a table file absent from / must fail"
"$picket" check --root "$tmp/host" "$tmp/r.conf" >"$tmp/out" 2>&1 || fail "--root: $(cat "$tmp/out")"
printf 'nonsense\n' >"$tmp/host/etc/pf/bad"
"$picket" check --root "$tmp/host" "$tmp/r.conf" 2>"$tmp/err" && fail "--root: a bad table file must fail"
grep -q "$tmp/host/etc/pf/bad" "$tmp/err" || fail "--root: the file read is not named: $(cat "$tmp/err")"

"$picket" check --help | grep -q 'usage: picket check' || fail "check --help"
"$picket" print --help | grep -q 'usage: picket print' || fail "print --help"
"$picket" check --bogus x >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option must exit 2"
"$picket" check "$tmp/missing.conf" 2>"$tmp/err"; [ $? -eq 2 ] || fail "missing file must exit 2"
grep -qx "$tmp/missing.conf: error: No such file or directory" "$tmp/err" || fail "missing file message: $(cat "$tmp/err")"

# what stays unsupported does not stop the rest: check, print and lint go
# on (a warning naming the feature), compile and explain refuse it (exit 2)
printf 'block all\npass in on em0 proto tcp to port 25 max-pkt-rate 100/10\npass in on em0 proto tcp to port 22\n' >"$tmp/u.conf"
"$picket" check --color never "$tmp/u.conf" >"$tmp/out" 2>"$tmp/err" || fail "check of an unsupported line must exit 0"
grep -q "u.conf:2:37: warning: unsupported: max-pkt-rate \[unsupported\]" "$tmp/err" ||
	fail "unsupported line not reported: $(cat "$tmp/err")"
"$picket" print "$tmp/u.conf" >"$tmp/out" 2>/dev/null || fail "print of an unsupported line must exit 0"
grep -qx 'pass in on em0 proto tcp to port 25 max-pkt-rate 100/10' "$tmp/out" || fail "unsupported line not printed: $(cat "$tmp/out")"
"$picket" lint --color never "$tmp/u.conf" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "lint of an unsupported line: $(cat "$tmp/out" "$tmp/err")"
"$picket" compile "$tmp/u.conf" -o "$tmp/u.pkb" 2>"$tmp/err"; [ $? -eq 2 ] || fail "compile of an unsupported line must exit 2"
grep -q "u.conf:2:37: error: unsupported: max-pkt-rate" "$tmp/err" || fail "compile names no feature: $(cat "$tmp/err")"
"$picket" explain "$tmp/u.conf" "in on em0 tcp from 192.0.2.9 to 192.0.2.1 port 22" >/dev/null 2>&1
[ $? -eq 2 ] || fail "explain of an unsupported line must exit 2"

[ $fails -eq 0 ] && echo "check/print: all passed"
exit $((fails != 0))
