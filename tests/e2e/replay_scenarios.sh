#!/bin/sh
# Replay the scenario captures (built by tests/replay/gen_captures.py into
# build/replay/) through their rule files and compare every verdict with
# tests/replay/CONF.expected. The capture of CONF is the part of its name
# before the first '_' (expire_aggressive.conf replays expire.pcapng).
set -u
cd "$(dirname "$0")/../.."
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
$py -c 'import scapy' 2>/dev/null || { echo "python3-scapy is not installed"; exit 77; }
out=build/replay
$py tests/replay/gen_captures.py "$out" || exit 1
fail=0 total=0 agreed=0
for exp in tests/replay/*.expected; do
	name=$(basename "$exp" .expected)
	cap=$out/${name%%_*}.pcapng
	build/picket replay --format jsonl "tests/replay/$name.conf" "$cap" >"$out/$name.jsonl" 2>"$out/$name.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "$name: picket replay exited $rc"
		cat "$out/$name.err"
		fail=1
		continue
	fi
	res=$($py tests/replay/compare.py "$exp" "$out/$name.jsonl")
	[ $? -eq 0 ] || fail=1
	echo "$res"
	n=$(echo "$res" | sed -n 's/.* \([0-9]*\) checked, \([0-9]*\) agreed.*/\1 \2/p')
	total=$((total + ${n% *}))
	agreed=$((agreed + ${n#* }))
done
echo "replay scenarios: $agreed of $total packet verdicts agree"
exit $fail
