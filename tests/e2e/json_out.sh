#!/bin/sh
# Every command's --format json (replay's jsonl) checked against its
# definition in docs/schemas/picket.schema.json, standard output holding
# JSON only (text summaries go to stderr), and a sample of the fields.
set -u
. "$(dirname "$0")/../support/e2e.sh"
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
$py -c 'import jsonschema, scapy' 2>/dev/null || { echo "python3-jsonschema or python3-scapy missing"; exit 77; }
valid() { # valid DEFINITION FILE [--lines] -- DESCRIPTION
	def=$1 file=$2
	shift 2
	[ "${1:-}" = --lines ] && lines=--lines && shift || lines=
	[ "${1:-}" = -- ] && shift
	if $py "$root/tests/support/json_valid.py" "$def" "$file" $lines; then echo "ok: $*"; else fail "$*"; fi
}
ex=$root/examples/freenas.conf

"$picket" check --format json "$ex" >"$tmp/check.json"
valid check "$tmp/check.json" -- "check --format json"
# a diagnostic quoting bytes that are not UTF-8 is kept (as Latin-1), in check's JSON and lint's SARIF
printf 'interface lan0 address 192.168.1.1/24\npass in on lan\351 all\nblock caf\351 all\n' >"$tmp/latin1-bad.conf"
"$picket" check --format json "$tmp/latin1-bad.conf" >"$tmp/check-latin1.json" 2>/dev/null
"$picket" lint --format sarif "$tmp/latin1-bad.conf" >"$tmp/lint-latin1.sarif" 2>/dev/null
$py - "$tmp/check-latin1.json" "$tmp/lint-latin1.sarif" <<'PY' && echo "ok: check and lint keep a diagnostic that quotes Latin-1" || fail "check/lint with Latin-1 names"
import json, sys
msgs = [g["message"] for g in json.load(open(sys.argv[1], encoding="utf-8"))["diagnostics"]]
assert any("lan\u00e9" in m for m in msgs) and any("syntax error" in m for m in msgs), msgs
sarif = json.load(open(sys.argv[2], encoding="utf-8"))
assert any("syntax error" in r["message"]["text"] for r in sarif["runs"][0]["results"])
PY
"$picket" lint --format json "$root/tests/realworld/pfconf/03-fbsd-faq-example2.conf" \
	--topology "$root/tests/realworld/pfconf/03-fbsd-faq-example2.topo" >"$tmp/lint.json" 2>/dev/null
valid lint "$tmp/lint.json" -- "lint --format json"

"$picket" explain --format json "$ex" 'tcp from 192.168.1.10 port 5555 to 10.0.10.5 port 22 in on lan0 flags S' \
	>"$tmp/explain.json" || fail "explain --format json exits $?"
valid explain "$tmp/explain.json" -- "explain --format json (forwarded: two steps)"
$py - "$tmp/explain.json" <<'PY' && echo "ok: explain: in on lan0 by rule 3, out on opt1, pass" || fail "explain fields"
import json, sys
d = json.load(open(sys.argv[1]))
s = d["steps"]
assert len(s) == 2 and s[0]["deciding_rule"]["index"] == 3 and s[0]["deciding_rule"]["line"] == 54
assert d["route"] == "out" and d["egress"] == "opt1" and d["verdict"] == "pass" and s[1]["direction"] == "out"
PY
"$picket" explain --format json "$ex" 'udp from 192.168.1.10 to 10.0.10.5 port 161 in on lan0' >"$tmp/explain2.json"
valid explain "$tmp/explain2.json" -- "explain --format json (blocked in)"
printf 'set reassemble no\n' | cat - "$ex" >"$tmp/frags.conf"
"$picket" explain --format json "$tmp/frags.conf" 'udp from 192.168.1.10 to 10.0.10.5 in on lan0 fragment' >"$tmp/explain3.json"
valid explain "$tmp/explain3.json" -- "explain --format json (a fragment)"
grep -q '"fragment": *true' "$tmp/explain3.json" && echo "ok: explain: the fragment is said" || fail "explain: fragment"
# a rule line that is not UTF-8 (a Latin-1 comment): its rule is still listed, as Latin-1
sed 's/^\(pass in quick on $lan_if inet proto tcp from <admins> to $freenas port $nas_services\)$/\1 # caf\xe9/' "$ex" >"$tmp/latin1.conf"
"$picket" explain --format json "$tmp/latin1.conf" 'tcp from 192.168.1.10 port 5555 to 10.0.10.5 port 22 in on lan0 flags S' \
	>"$tmp/explain4.json"
$py - "$tmp/explain4.json" <<'PY' && echo "ok: explain: a rule whose line is not UTF-8 is listed" || fail "explain: Latin-1 rule line"
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["steps"][0]["deciding_rule"]["source"].endswith("# caf\u00e9")
PY
"$picket" explain --format yaml "$ex" 'tcp from 1.2.3.4 to 5.6.7.8 in on lan0' >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'text or json' "$tmp/err" && echo "ok: an unknown format is refused" || fail "--format yaml"

"$picket" query --format json "$ex" 'in on wan0 proto tcp from any to 10.0.10.5 port 22' >"$tmp/q1.json"
[ $? -eq 1 ] || fail "query --format json 'no' exits 1"
valid query "$tmp/q1.json" -- "query --format json (no, with the stopping rules)"
"$picket" query --format json "$ex" 'in on lan0 proto tcp from 192.168.1.7 to 10.0.10.5 port 22' >"$tmp/q2.json"
valid query "$tmp/q2.json" -- "query --format json"

printf 'block all\npass in proto tcp to port 22\n' >"$tmp/a.conf"
printf 'block all\npass in proto tcp to port { 22 80 }\n' >"$tmp/b.conf"
"$picket" diff --format json "$tmp/a.conf" "$tmp/b.conf" >"$tmp/diff.json"
[ $? -eq 1 ] || fail "diff --format json of different rulesets exits 1"
valid diff "$tmp/diff.json" -- "diff --format json (not equivalent)"
"$picket" diff --format json "$tmp/a.conf" "$tmp/a.conf" >"$tmp/same.json" || fail "diff of one file exits $?"
valid diff "$tmp/same.json" -- "diff --format json (equivalent)"

$py "$root/tests/replay/gen_captures.py" "$tmp" freenas asym >/dev/null || exit 1
"$picket" replay --format jsonl --summary "$root/tests/replay/freenas.conf" "$tmp/freenas.pcapng" >"$tmp/r.jsonl" 2>"$tmp/r.err"
valid replay_line "$tmp/r.jsonl" --lines -- "replay --format jsonl --summary: every line"
tail -1 "$tmp/r.jsonl" >"$tmp/summary.json"
valid replay_summary "$tmp/summary.json" -- "replay: the summary is the last line"
"$picket" replay --format jsonl "$root/tests/replay/asym.conf" "$tmp/asym.pcapng" >"$tmp/a.jsonl" 2>/dev/null
valid replay_line "$tmp/a.jsonl" --lines -- "replay --format jsonl with a stalled connection"
"$picket" replay --format csv --summary "$root/tests/replay/freenas.conf" "$tmp/freenas.pcapng" >"$tmp/r.csv" 2>"$tmp/r.err"
grep -q '^Replay' "$tmp/r.err" && ! grep -q '^Replay' "$tmp/r.csv" && echo "ok: with CSV on stdout the summary goes to stderr" ||
	fail "the CSV stream holds the text summary"
exit $((fails > 0))
