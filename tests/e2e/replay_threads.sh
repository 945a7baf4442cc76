#!/bin/sh
# picket replay reads its captures ahead in a thread of their own: its
# output (every format, the stalls, the summary) must be byte-identical to
# a replay in one thread, on every scenario capture of tests/replay and on
# one long enough for many batches (the scenarios back to back, a pcapng
# section each, so interfaces are described again and again). With 500
# rules or more that thread also walks the rules ahead for the packets it
# expects to need them: each scenario again with 520 rules more, which
# match none of its packets.
set -u
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
$py -c 'import scapy' 2>/dev/null || { echo "python3-scapy is not installed"; exit 77; }
out=build/replay-threads
mkdir -p "$out"
$py tests/replay/gen_captures.py "$out" || exit 1
fail=0
# same CONF CAPTURE ARGS...: one thread and two give the same bytes
# (replayed, when $ran is 1: exit 0 or 1)
ran=0
same() {
	conf=$1 cap=$2
	shift 2
	build/picket replay "$conf" "$cap" --threads 1 "$@" >"$out/one.out" 2>"$out/one.err"
	rc1=$?
	build/picket replay "$conf" "$cap" --threads 2 "$@" >"$out/two.out" 2>"$out/two.err"
	rc2=$?
	if [ $rc1 -ne $rc2 ] || ! cmp -s "$out/one.out" "$out/two.out" || ! cmp -s "$out/one.err" "$out/two.err"; then
		echo "FAIL: $conf $cap $*: one thread and two differ (exit $rc1, $rc2)"
		fail=1
	elif [ $ran = 1 ] && [ $rc1 -gt 1 ]; then
		echo "FAIL: $conf $cap $*: not replayed (exit $rc1): $(head -c 300 "$out/one.err")"
		fail=1
	fi
}
for exp in tests/replay/*.expected; do
	name=$(basename "$exp" .expected)
	cap=$out/${name%%_*}.pcapng
	for f in text jsonl csv; do
		same "tests/replay/$name.conf" "$cap" --format "$f" --summary
	done
done
# SCENARIO.conf with 520 rules after its own that no packet of the
# captures matches (100.64.0.0/10 is used by none), in $out/SCENARIO-big.conf
padded() {
	{
		cat "$2"
		awk 'BEGIN { for (i = 0; i < 520; i++)
			printf "block in proto udp from 100.64.%d.%d to 100.65.%d.0/24 port %d\n", i / 200, i % 200, i % 50, 1000 + i }'
	} >"$out/$1-big.conf"
}
big=0 ran=1
for exp in tests/replay/*.expected; do
	name=$(basename "$exp" .expected)
	grep -q 'include\|overload\|probability' "tests/replay/$name.conf" && continue # no walks ahead there
	padded "$name" "tests/replay/$name.conf"
	big=$((big + 1))
	same "$out/$name-big.conf" "$out/${name%%_*}.pcapng" --format jsonl --summary
done
[ "$big" -ge 10 ] || { echo "FAIL: only $big scenarios padded"; fail=1; }
# and the dmz example without its overload table, for the long capture
sed 's/, overload <abusers> flush global//' examples/dmz.conf >"$out/dmz-plain.conf"
padded dmz "$out/dmz-plain.conf"
ran=0
cat "$out"/dmz.pcapng "$out"/asym.pcapng >"$out/long.pcapng"
for i in 1 2 3 4 5 6 7 8 9 10 11; do # 2048 copies, 3 MB
	cat "$out/long.pcapng" "$out/long.pcapng" >"$out/twice.pcapng"
	mv "$out/twice.pcapng" "$out/long.pcapng"
done
same tests/replay/dmz.conf "$out/long.pcapng" --summary
same tests/replay/dmz.conf "$out/long.pcapng" --quiet --summary --format jsonl
ran=1
same "$out/dmz-big.conf" "$out/long.pcapng" --summary
# two captures merged, each read (and its rules walked) by a thread of its own
same "$out/dmz-big.conf" "$out/dmz.pcapng" "$out/long.pcapng" --format jsonl --summary
ran=0
# a capture cut in the middle: the same verdicts up to the same error
head -c $(($(wc -c <"$out/long.pcapng") - 100)) "$out/long.pcapng" >"$out/cut.pcapng"
same tests/replay/dmz.conf "$out/cut.pcapng"
grep -q "packet .*: truncated or corrupt capture" "$out/two.err" || { echo "FAIL: the cut capture's error: $(cat "$out/two.err")"; fail=1; }
[ $fail = 0 ] && echo "ok: one thread and two give the same output on $(ls tests/replay/*.expected | wc -l) scenarios ($big of them with 520 rules more) and a long capture"
exit $fail
