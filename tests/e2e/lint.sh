#!/bin/sh
# tests/e2e/lint.sh: `picket lint` as CI runs it: exit codes, --fail-on,
# --enable/--disable, JSON fields, and SARIF validated against the official
# 2.1.0 schema (../shared/schemas, with python3-jsonschema).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
picket=$root/build/picket
golden=$root/tests/verify/golden
schema=${PICKET_SARIF_SCHEMA:-$root/../shared/schemas/sarif-schema-2.1.0.json}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
expect() { # expect STATUS DESCRIPTION -- COMMAND...
	want=$1 what=$2
	shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $what: exit $got, want $want"
		sed 's/^/    /' "$tmp/out" "$tmp/err" | head -20
		fail=1
	else
		echo "ok: $what"
	fi
}

expect 0 "a clean ruleset exits 0" -- $picket lint $golden/clean-basic.conf
expect 1 "an error finding exits 1" -- $picket lint $golden/shadowed.conf
expect 0 "info findings pass the default --fail-on warning" -- $picket lint $golden/partial.conf --enable partially-shadowed
expect 1 "--fail-on info fails on info findings" -- $picket lint --fail-on info --enable partially-shadowed $golden/partial.conf
expect 0 "--fail-on error ignores warnings" -- $picket lint --fail-on error $golden/redundant.conf
expect 0 "--disable silences a check" -- $picket lint --disable shadowed $golden/shadowed.conf
expect 2 "an unknown check id is a usage error" -- $picket lint --disable no-such-check $golden/shadowed.conf
expect 2 "a missing file is an input error" -- $picket lint $tmp/missing.conf
printf 'pass in proto tcp from any to any port\n' >"$tmp/bad.conf"
expect 2 "a syntax error is an input error" -- $picket lint $tmp/bad.conf

$picket lint --color never $golden/redundant.conf >"$tmp/text"
if grep -q 'redundant.conf:5:1: warning: rule is redundant: rule 1 at line 4 already passes every packet it matches \[redundant\]' "$tmp/text" &&
	grep -q '| \^~' "$tmp/text" && grep -q 'redundant.conf:4:1: note: covering rule' "$tmp/text"; then
	echo "ok: text output names file:line:col, the id, a caret and the covering rule"
else
	echo "FAIL: text output"; cat "$tmp/text"; fail=1
fi

$picket lint --format json $golden/egress.conf >"$tmp/json"
if $py - "$tmp/json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
assert isinstance(v, list) and len(v) == 1, v
f = v[0]
for k in ("id", "severity", "file", "line", "column", "message", "related", "witness"):
    assert k in f, k
assert f["id"] == "egress-blocked" and f["line"] == 7 and f["related"][0]["line"] == 6
assert f["witness"]["interface"] == "lan0" and f["witness"]["dport"] == 443
PY
then echo "ok: JSON findings carry id, severity, location, related and witness"; else fail=1; fi

if [ ! -f "$schema" ] || ! $py -c 'import jsonschema' 2>/dev/null; then
	echo "SKIP: SARIF schema or python3-jsonschema missing"
	[ $fail -eq 0 ] && exit 77
	exit 1
fi
for f in shadowed egress state options clean-basic; do
	$picket lint --format sarif --enable partially-shadowed $golden/$f.conf >"$tmp/$f.sarif"
	if $py - "$schema" "$tmp/$f.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
run = doc["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert "shadowed" in ids and all(r["help"]["text"] for r in run["tool"]["driver"]["rules"])
for res in run["results"]:
    assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
PY
	then echo "ok: SARIF of $f.conf validates against the 2.1.0 schema"; else fail=1; fi
done
exit $fail
