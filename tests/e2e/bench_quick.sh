#!/bin/sh
# The benchmark suite still runs end to end: BENCH_QUICK=1 bench/run on small
# sizes writes results.md and results.json that are well formed and hold
# every area whose program exists. Checks shape, never timings.
set -u
[ -f tests/support/rulegen.c ] || { echo "the rule generator is not in this tree"; exit 77; }
dir=build/bench-quick
rm -rf "$dir"
BENCH_QUICK=1 BENCH_OUT="$dir/out" BENCH_RESULTS="$dir" bench/run >"$dir.log" 2>&1 || {
	cat "$dir.log"
	echo "FAIL: bench/run exited $?"
	exit 1
}
fail() {
	echo "FAIL: $*"
	exit 1
}
for f in results.md results.json; do
	[ -s "$dir/$f" ] || fail "$dir/$f missing or empty"
done
/usr/bin/python3 - "$dir/results.json" <<'PY' || fail "results.json is not what the report promises"
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("machine", "targets", "results", "notes"):
    assert key in doc, key
assert doc["machine"]["nproc"] >= 1
areas = {r["area"] for r in doc["results"]}
assert "replay" in areas, areas
for r in doc["results"]:
    assert set(r) == {"area", "size", "metric", "value", "unit"}, r
    assert r["value"] != "", r
names = [t["target"] for t in doc["targets"]]
assert any("bytes per state" in n for n in names), names
assert all(t["status"] in ("met", "missed", "not measured") for t in doc["targets"])
replay = [r for r in doc["results"] if r["area"] == "replay"]
assert any(r["metric"] == "bare_read_ns_per_packet" and r["value"] > 0 for r in replay)
PY
grep -q '^## Targets' "$dir/results.md" || fail "results.md has no targets table"
grep -q '^## replay' "$dir/results.md" || fail "results.md has no replay table"
grep -q '^| cpu |' "$dir/results.md" || fail "results.md does not describe the machine"
for t in 100 1000; do
	[ -s "$dir/out/trace-$t.pcap" ] || fail "no trace for $t rules"
	tcpdump -nr "$dir/out/trace-$t.pcap" -c 5 >/dev/null 2>&1 || fail "trace-$t.pcap is not a readable pcap"
done
# The BPF expression is the rule set's stateless meaning: where it compiles,
# libpcap passes exactly the packets the naive scan passes.
r=$dir/out/rules-100.conf tr=$dir/out/trace-100.pcap
naive=$(build/bench/naive-linear "$r" "$tr" | tr ' ' '\n' | sed -n 's/^passed=//p')
bpf=$(build/bench/bpf-filter "$r" "$tr" | tr ' ' '\n' | sed -n 's/^passed=//p')
[ -n "$naive" ] && [ "$naive" = "$bpf" ] || fail "naive scan passed '$naive' packets, BPF '$bpf'"
echo "bench quick run: $(grep -c '"area"' "$dir/results.json") results"
