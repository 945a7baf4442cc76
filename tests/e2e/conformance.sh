#!/bin/sh
# tests/e2e/conformance.sh: OpenBSD's pfctl regression corpus through
# `picket check` and `picket print`.
#
#   pfail*.in  must be rejected (unless its .ok holds no diagnostic at all,
#              i.e. pfctl itself accepted the file: then it must be accepted);
#   pf*.in     must be accepted, or accepted with "unsupported: ..." warnings
#              only (then it must still print, and print back the same);
#              a file including a fixture the corpus does not ship is
#              counted apart (the corpus is incomplete, not the parser);
#   of the accepted, count those whose `picket print` equals the rule lines
#   of pfN.ok (whitespace and pfctl's @N numbering aside).
#
# The corpus lives beside the repository (../shared/conformance/pfctl-regress);
# PICKET_CONFORMANCE overrides the path. The OpenBSD host the files assume is
# described once, in tests/conformance/openbsd-host.conf.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${PICKET_CONFORMANCE:-$root/../shared/conformance/pfctl-regress}
picket=$root/build/picket
host=$root/tests/conformance/openbsd-host.conf
if [ ! -d "$dir" ]; then
	echo "SKIP: conformance corpus not found at $dir (set PICKET_CONFORMANCE)"
	exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/features"
fail=0 accepted=0 unsupported=0 exact=0 total=0 rejected=0 nfail=0 pfctl_ok=0 incomplete=0 selfok=0
verbose=${PICKET_CONFORMANCE_VERBOSE:-0}

# the rule lines of a pfctl output (not its macro, set and table lines),
# without @N numbering, whitespace runs collapsed
normalize() {
	sed -e 's/^@[0-9]* *//' -e 's/[[:space:]]\+/ /g' -e 's/^ //' -e 's/ $//' "$1" |
		grep -E '^(pass|block|match|scrub|nat|rdr|binat|no) '
}

for f in "$dir"/pfail*.in; do
	nfail=$((nfail + 1))
	(cd "$dir" && "$picket" check --topology "$host" "$(basename "$f")") >"$tmp/out" 2>&1
	rc=$?
	if ! grep -qE '^(stdin|pfctl)[:]' "${f%.in}.ok" 2>/dev/null; then
		pfctl_ok=$((pfctl_ok + 1))
		[ $rc -eq 0 ] || { echo "FAIL: $(basename "$f") is accepted by pfctl (no diagnostic in its .ok) but refused:"; head -3 "$tmp/out"; fail=1; }
		echo "note: $(basename "$f"): pfctl's own output has no diagnostic; expected to be accepted"
	elif [ $rc -ne 2 ]; then
		echo "FAIL: $(basename "$f") was accepted; it must be rejected"
		fail=1
	else
		rejected=$((rejected + 1))
	fi
done

for f in "$dir"/pf[0-9]*.in; do
	total=$((total + 1))
	b=$(basename "$f" .in)
	(cd "$dir" && "$picket" print --topology "$host" "$b.in") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -ne 0 ]; then
		missing=$(sed -n "s/.*error: cannot read included file '\(.*\)'.*/\1/p" "$tmp/err" | head -1)
		if [ -n "$missing" ] && [ ! -e "$dir/$missing" ] && [ "$(grep -c ': error: ' "$tmp/err")" -eq 1 ]; then
			incomplete=$((incomplete + 1))
			echo "note: $b.in includes $missing, which the corpus does not ship; not counted"
		else
			echo "FAIL: $b.in refused with an error other than unsupported:"
			grep ': error: ' "$tmp/err" | grep -v 'unsupported: ' | head -3
			fail=1
		fi
		continue
	fi
	if grep -q ': warning: unsupported: ' "$tmp/err"; then
		unsupported=$((unsupported + 1))
		[ "$verbose" = 1 ] && echo "unsupported: $b: $(grep -m1 'unsupported:' "$tmp/err")"
		grep -o 'unsupported: .* \[unsupported\]' "$tmp/err" | sed 's/ \[unsupported\]$//' | sort -u >>"$tmp/features"
	else
		accepted=$((accepted + 1))
	fi
	# like upstream's selfpf: the printed ruleset must load and print the same
	(cd "$dir" && "$picket" print -v --topology "$host" "$b.in") >"$tmp/self.conf" 2>/dev/null
	"$picket" print -v "$tmp/self.conf" >"$tmp/self2.conf" 2>"$tmp/self.err"
	if cmp -s "$tmp/self.conf" "$tmp/self2.conf"; then
		selfok=$((selfok + 1))
	else
		echo "FAIL: $b.in: its printed form does not print back the same"
		diff "$tmp/self.conf" "$tmp/self2.conf" | head -4
		head -3 "$tmp/self.err"
		fail=1
	fi
	if [ -f "$dir/$b.ok" ] && ! grep -q ': warning: unsupported: ' "$tmp/err"; then
		normalize "$dir/$b.ok" >"$tmp/want"
		normalize "$tmp/out" >"$tmp/got"
		if cmp -s "$tmp/want" "$tmp/got"; then
			exact=$((exact + 1))
		elif [ "$verbose" = 1 ]; then
			echo "differs: $b"
			diff "$tmp/want" "$tmp/got" | head -6
		fi
	fi
done

echo "conformance: pfail rejected $rejected/$nfail ($pfctl_ok accepted by pfctl itself)"
echo "conformance: pf accepted $accepted/$total, with unsupported features $unsupported, incomplete fixtures $incomplete, exact print $exact/$accepted, print round trip $selfok/$((accepted + unsupported))"
if [ -s "$tmp/features" ]; then
	echo "conformance: unsupported, by feature (files):"
	sort "$tmp/features" | uniq -c | sort -k1,1nr -k2 | sed 's/^ */  /'
fi
exit $fail
