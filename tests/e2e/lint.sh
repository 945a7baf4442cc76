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

# says NAME RULES PATTERN WHAT: linting RULES (written to NAME.conf)
# prints a line matching PATTERN.
says() {
	printf '%b' "$2" >"$tmp/$1.conf"
	$picket lint --color never "$tmp/$1.conf" >"$tmp/$1" 2>&1
	if grep -q "$3" "$tmp/$1"; then echo "ok: $4"; else echo "FAIL: $4"; cat "$tmp/$1"; fail=1; fi
}
# A shadowed pass with the deciding rule's action but its own rdr-to (the
# spamd idiom written below a quick pass): what it adds never applies.
says lost 'pass in quick proto tcp to port 25\npass in proto tcp to port 25 rdr-to 127.0.0.1 port 8025\n' \
	'lost.conf:2:1: warning: rule never decides a packet: .*with the same action but not the same rdr-to: the rule.s own never take effect \[shadowed\]' \
	"a shadowed rule's own rdr-to is said to be lost, not 'no effect'"
# an inet6 rule on a table of IPv4 addresses only: the reason says so
says v4 'table <v4> { 10.0.0.0/8 }\nblock all\npass in inet6 from <v4> to any\n' \
	'v4.conf:3:1: error: rule matches no packet: a table it names holds no IPv6 address' \
	"an unmatchable rule on a table of the other family is told why"

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

# --output FILE: the chosen format in the file, nothing on standard output,
# the same exit status; refused over an input; nothing left when it cannot
# be written
$picket lint --format json $golden/egress.conf >"$tmp/stdout.json"
expect 1 "--output writes the report to a file" -- $picket lint --format json --output "$tmp/out.json" $golden/egress.conf
if cmp -s "$tmp/out.json" "$tmp/stdout.json" && [ ! -s "$tmp/out" ]; then
	echo "ok: --output holds what standard output would"
else
	echo "FAIL: --output differs from standard output"; fail=1
fi
cp $golden/egress.conf "$tmp/in.conf"
expect 2 "--output naming the rule file is refused" -- $picket lint --output "$tmp/in.conf" "$tmp/in.conf"
cmp -s "$tmp/in.conf" $golden/egress.conf || { echo "FAIL: a refused --output changed its input"; fail=1; }
expect 2 "--output in a missing directory is an error" -- $picket lint --output "$tmp/no/such/dir/x" $golden/egress.conf
echo keep >"$tmp/kept.json"
expect 2 "a syntax error leaves --output as it was" -- $picket lint --format json --output "$tmp/kept.json" $tmp/bad.conf
if [ "$(cat "$tmp/kept.json")" = keep ] && ! ls -A "$tmp" | grep -q '\.tmp\.'; then
	echo "ok: nothing half-written, no temporary file left"
else
	echo "FAIL: --output after an error"; ls -A "$tmp"; fail=1
fi
expect 1 "no progress line when standard error is not a terminal" -- $picket lint $golden/shadowed.conf
[ -s "$tmp/err" ] && { echo "FAIL: lint wrote to a non-terminal standard error"; cat "$tmp/err"; fail=1; }

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

# input errors in SARIF too: the run marked failed, the error a result
# (file, line) and a notification, exit 2; through --output as well
awk 'BEGIN { for (i = 0; i <= 120000; i++) printf "pass in proto tcp to port %d\n", i % 65535 + 1 }' >"$tmp/many.conf"
expect 2 "a syntax error with --format sarif exits 2" -- $picket lint --format sarif $tmp/bad.conf
cp "$tmp/out" "$tmp/syntax.sarif"
expect 2 "too many rules with --format sarif exits 2" -- $picket lint --format sarif --output "$tmp/size.sarif" \
	$tmp/many.conf
for f in syntax size; do
	if $py - "$schema" "$tmp/$f.sarif" $f <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
jsonschema.validate(doc, schema)
run = doc["runs"][0]
inv = run["invocations"][0]
assert inv["executionSuccessful"] is False and inv["exitCode"] == 2, inv
assert len(run["results"]) == 1 and len(inv["toolExecutionNotifications"]) == 1, run["results"]
res = run["results"][0]
assert res["ruleId"] == "input-error" and res["level"] == "error"
assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == "input-error"
loc = res["locations"][0]["physicalLocation"]
if sys.argv[3] == "syntax":
    assert loc["artifactLocation"]["uri"].endswith("bad.conf") and loc["region"]["startLine"] == 1, loc
    assert "syntax error" in res["message"]["text"], res
else:
    assert loc["artifactLocation"]["uri"].endswith("many.conf"), loc
    assert "120001 rules" in res["message"]["text"], res
PY
	then echo "ok: SARIF of the $f error validates and reports it"; else fail=1; fi
done
exit $fail
