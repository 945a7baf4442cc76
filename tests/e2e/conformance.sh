#!/bin/sh
# tests/e2e/conformance.sh: OpenBSD's pfctl regression corpus through
# `picket check` and `picket print`.
#
#   pfail*.in  must be rejected;
#   pf*.in     must be accepted, or refused only with "unsupported: ...";
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
fail=0 accepted=0 unsupported=0 exact=0 total=0 rejected=0 nfail=0
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
	if [ $? -ne 2 ]; then
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
		if grep -q ': error: ' "$tmp/err" && ! grep ': error: ' "$tmp/err" | grep -qv 'error: unsupported: '; then
			unsupported=$((unsupported + 1))
			[ "$verbose" = 1 ] && echo "unsupported: $b: $(grep -m1 'unsupported:' "$tmp/err")"
		else
			echo "FAIL: $b.in refused with an error other than unsupported:"
			grep ': error: ' "$tmp/err" | grep -v 'unsupported: ' | head -3
			fail=1
		fi
		continue
	fi
	accepted=$((accepted + 1))
	if [ -f "$dir/$b.ok" ]; then
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

echo "conformance: pfail rejected $rejected/$nfail"
echo "conformance: pf accepted $accepted/$total, refused as unsupported $unsupported, exact print $exact/$accepted"
exit $fail
