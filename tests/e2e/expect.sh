#!/bin/sh
# tests/e2e/expect.sh: `picket test` as CI runs it: expectations that hold
# (exit 0) and that fail (exit 1) with their line, witness and deciding
# rule; bad input (exit 2); JSON fields and SARIF against the 2.1.0 schema.
set -u
. "$(dirname "$0")/../support/e2e.sh"
d=$root/tests/verify/expect
schema=${PICKET_SARIF_SCHEMA:-$root/../shared/schemas/sarif-schema-2.1.0.json}

$picket test "$d/router.conf" >"$tmp/out" 2>&1
[ $? -eq 0 ] || fail "expectations that hold: exit 0"
grep -q '^5 expectations: 5 hold, 0 fail$' "$tmp/out" || fail "picket.expect beside the rules is read"

$picket test "$d/router.conf" "$d/fail.expect" >"$tmp/out" 2>&1
[ $? -eq 1 ] || fail "expectations that fail: exit 1"
grep -q 'fail.expect:2: FAIL: expect pass proto udp' "$tmp/out" || fail "a failure names its line"
grep -q 'reply (no state): .* out on lan0: block by rule 0 at .*router.conf:9: block all' "$tmp/out" ||
	fail "pass without state: the reply is blocked, by the rule that decides it"
grep -q 'out: inet tcp from 192.168.10.6 port [0-9]* to 10.0.5.10 port 3306 out on dmz0 flags S: block' "$tmp/out" ||
	fail "pass: passed in, blocked out on the routed interface"
grep -q 'witness: inet tcp from 192.168.10.7 port 5555 to 10.0.5.10 port 22 in on lan0 flags S' "$tmp/out" ||
	fail "block of one packet: the packet is the witness"
grep -q 'fail.expect:5: FAIL: expect reach' "$tmp/out" || fail "reach: nothing of the shape passes"
grep -q '^5 expectations: 0 hold, 5 fail$' "$tmp/out" || fail "the summary"

# expectations in the rule file itself: read when no EXPECT is given, kept by print
$picket test "$d/inline.conf" >"$tmp/out" 2>&1
[ $? -eq 1 ] || fail "expectations in the rule file: exit 1 (one fails)"
grep -q '^.*inline.conf:13: FAIL: expect reach proto tcp from 192.168.1.0/24 to 10.0.5.10 port 80' "$tmp/out" ||
	fail "an expectation in the rule file is told at its line, macros expanded"
grep -q '^3 expectations: 2 hold, 1 fail$' "$tmp/out" || fail "every expect line of the rule file is read"
$picket print -v "$d/inline.conf" | grep -q '^expect block from any to 10.0.5.10 port 3306 in on lan0$' ||
	fail "print keeps the expect lines"
cp "$d/router.conf" "$tmp/bare.conf"
$picket test "$tmp/bare.conf" >"$tmp/out" 2>&1
[ $? -eq 2 ] || fail "no expect lines and no picket.expect: exit 2"
grep -q "bare.conf has no expect lines, and there is no .*picket.expect" "$tmp/out" || fail "says where it looked"

printf 'expect pass proto tcp from $nope to any\n' >"$tmp/bad.expect"
$picket test "$d/router.conf" "$tmp/bad.expect" >"$tmp/out" 2>&1
[ $? -eq 2 ] || fail "an unknown macro: exit 2"
grep -q "bad.expect:1:13: error: unknown macro '\$nope'" "$tmp/out" || fail "an error is told at the expectation's line"
printf 'expect maybe proto tcp\n' >"$tmp/bad.expect"
$picket test "$d/router.conf" "$tmp/bad.expect" >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown kind: exit 2"
printf 'expect pass tcp from 10.0.0.1 to nowhere\n' >"$tmp/bad.expect"
$picket test "$d/router.conf" "$tmp/bad.expect" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a bad packet: exit 2"
$picket test "$d/router.conf" "$tmp/missing.expect" >/dev/null 2>&1
[ $? -eq 2 ] || fail "a missing file: exit 2"

$picket test --format json "$d/router.conf" "$d/fail.expect" >"$tmp/out.json"
python3 - "$tmp/out.json" <<'PY' || fail "JSON: summary, status, witness and steps"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"] == {"total": 5, "hold": 0, "fail": 5}
e = d["expectations"][1]
assert e["line"] == 3 and e["kind"] == "pass" and e["status"] == "FAIL" and e["witness"]["dst"] == "10.0.5.10"
assert e["steps"][-1]["verdict"] == "block" and e["steps"][-1]["rule"]["line"] == 9
PY
/usr/bin/python3 "$root/tests/support/json_valid.py" test "$tmp/out.json" || fail "test --format json against its schema"

$picket test --format sarif "$d/router.conf" "$d/fail.expect" >"$tmp/out.sarif"
if [ -f "$schema" ] && python3 -c 'import jsonschema' 2>/dev/null; then
	python3 - "$schema" "$tmp/out.sarif" <<'PY' || fail "SARIF validates against the 2.1.0 schema"
import json, sys, jsonschema
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, json.load(open(sys.argv[1])))
res = doc["runs"][0]["results"]
assert len(res) == 5 and res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
assert res[0]["relatedLocations"][-1]["physicalLocation"]["region"]["startLine"] == 9
PY
fi
# the compile gate: no .pkb from failing tests; the passed tests recorded
$picket compile "$d/router.conf" --expect "$d/fail.expect" -o "$tmp/r.pkb" >"$tmp/out" 2>&1
[ $? -eq 1 ] || fail "compile --expect, tests fail: exit 1"
[ ! -e "$tmp/r.pkb" ] || fail "compile --expect, tests fail: nothing written"
grep -q 'picket compile: 5 of 5 policy tests fail: nothing written' "$tmp/out" || fail "compile --expect says why"
$picket compile "$d/router.conf" --expect "$d/picket.expect" -o "$tmp/r.pkb" >/dev/null 2>&1
[ $? -eq 0 ] || fail "compile --expect, tests hold: exit 0"
$picket dump "$tmp/r.pkb" >"$tmp/out" 2>&1
grep -q "^# tests *5 expectations of .*picket.expect held" "$tmp/out" || fail "dump shows the tests passed"
grep -q "^# tests sha256 *$(sha256sum <"$d/picket.expect" | cut -d' ' -f1)\$" "$tmp/out" ||
	fail "the .pkb records the expectations file's SHA-256"
$picket compile "$d/router.conf" -o "$tmp/plain.pkb" >/dev/null 2>&1
$picket dump "$tmp/plain.pkb" | grep -q '^# tests *none recorded' || fail "dump: no tests recorded without --expect"

[ $fails -eq 0 ] && echo "ok: picket test"
exit $fails
