#!/bin/sh
# picket replay takes a drawn translation from the capture: a router kept
# the client's port (as a Linux masquerade does) where pf draws another;
# with the translated copies in the capture every reply passes, without
# them the replies are predicted blocked and the summary counts the
# translations it could not see.
set -u
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1
py=/usr/bin/python3
$py -c 'import scapy' 2>/dev/null || { echo "python3-scapy is not installed"; exit 77; }
out=build/replay-nat
rm -rf "$out" && mkdir -p "$out"
conf=tests/replay/nat_capture.conf
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
for c in both arrivals; do
	(cd tests/replay && $py gen_nat_capture.py "../../$out/$c.pcapng" $([ $c = arrivals ] && echo arrivals)) || exit 1
	build/picket replay --format jsonl "$conf" "$out/$c.pcapng" >"$out/$c.jsonl" &&
		build/picket replay --quiet --summary "$conf" "$out/$c.pcapng" >"$out/$c.summary" ||
		fail "$c: replay exits $?"
done
verdicts() { grep -o '"n":[0-9]*,"time":[0-9.]*,"iface":"[a-z0-9]*","dir":"in","verdict":"[a-z]*"' "$1" |
	sed 's/"time":[0-9.]*,//' | tr '\n' ' '; }
v=$(verdicts "$out/both.jsonl")
[ "$(echo "$v" | grep -o '"verdict":"pass"' | wc -l)" -eq 5 ] && ok "copies in the capture: all 5 packets pass" ||
	fail "copies in the capture: $v"
grep -q "taken from the capture  *2$" "$out/both.summary" && grep -q "not in the capture  *0$" "$out/both.summary" &&
	ok "copies in the capture: 2 translations taken" || fail "copies: $(grep -A4 '^Transl' "$out/both.summary")"
v=$(verdicts "$out/arrivals.jsonl")
echo "$v" | grep -q '"n":2,"iface":"wan0","dir":"in","verdict":"block"' &&
	echo "$v" | grep -q '"n":5,"iface":"wan0","dir":"in","verdict":"block"' &&
	ok "arrivals only: the replies to the kept ports are predicted blocked" || fail "arrivals only: $v"
grep -q "not in the capture  *2$" "$out/arrivals.summary" &&
	grep -q "replies to 2 translated connections cannot be predicted" "$out/arrivals.summary" &&
	ok "arrivals only: 2 translations counted as not in the capture" ||
	fail "arrivals: $(grep -A5 '^Transl' "$out/arrivals.summary")"
[ $fails -eq 0 ]
