#!/bin/sh
# tests/e2e/pkb.sh: `picket compile` and `picket dump` end to end.
#
# For every example and every pfctl conformance file picket accepts:
#   - the rule, option and table lines of `picket dump` of the compiled file
#     equal `picket print -v` of the source (the round trip through bytes);
#   - compiling twice gives identical bytes;
#   - `picket check` accepts the .pkb.
# Then: a damaged or truncated .pkb is refused with exit 2 and a byte offset,
# and a failed compile leaves an existing output file untouched.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
picket=$root/build/picket
corpus=${PICKET_CONFORMANCE:-$root/../shared/conformance/pfctl-regress}
host=$root/tests/conformance/openbsd-host.conf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 checked=0

# $1 file, $2 directory to run in, rest: extra options
roundtrip() {
	f=$1 dir=$2
	shift 2
	(cd "$dir" && "$picket" print -v "$@" "$f") >"$tmp/print" 2>"$tmp/err" || return 0
	# a file with an unsupported feature prints, but compile refuses it
	grep -q 'warning: unsupported: ' "$tmp/err" && return 0
	if ! (cd "$dir" && "$picket" compile "$@" "$f" -o "$tmp/a.pkb") >"$tmp/err" 2>&1; then
		echo "FAIL: $f prints but does not compile:"; cat "$tmp/err"; fail=1; return 0
	fi
	(cd "$dir" && "$picket" compile "$@" "$f" -o "$tmp/b.pkb") >/dev/null 2>&1
	cmp -s "$tmp/a.pkb" "$tmp/b.pkb" || { echo "FAIL: $f: two compiles differ"; fail=1; }
	"$picket" dump "$tmp/a.pkb" | grep -v '^#' | sed 's/  # line [0-9]*$//' >"$tmp/dump"
	if ! cmp -s "$tmp/print" "$tmp/dump"; then
		echo "FAIL: $f: dump of the .pkb differs from print:"; diff "$tmp/print" "$tmp/dump" | head -10; fail=1
	fi
	"$picket" check "$tmp/a.pkb" >/dev/null 2>&1 || { echo "FAIL: $f: check refuses its .pkb"; fail=1; }
	checked=$((checked + 1))
}

for f in "$root"/examples/*.conf; do
	roundtrip "$(basename "$f")" "$root/examples"
done
nex=$checked
if [ -d "$corpus" ]; then
	for f in "$corpus"/pf[0-9]*.in; do
		roundtrip "$(basename "$f")" "$corpus" --topology "$host"
	done
fi
echo "round trip print == dump, deterministic, check ok: $checked files ($nex examples)"
[ "$nex" -gt 0 ] || { echo "FAIL: no example compiled"; fail=1; }

# damage: refused, exit 2, message with a byte offset
ex=$(ls "$root"/examples/*.conf | head -n 1)
(cd "$root/examples" && "$picket" compile "$(basename "$ex")" -o "$tmp/good.pkb") >/dev/null 2>&1
size=$(wc -c <"$tmp/good.pkb")
for at in 0 9 20 100 600 $((size / 2)) $((size - 1)); do
	cp "$tmp/good.pkb" "$tmp/bad.pkb"
	printf '\252' | dd of="$tmp/bad.pkb" bs=1 seek="$at" conv=notrunc 2>/dev/null
	cmp -s "$tmp/good.pkb" "$tmp/bad.pkb" && continue
	"$picket" check "$tmp/bad.pkb" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne 2 ] || ! grep -q 'byte offset' "$tmp/out"; then
		echo "FAIL: damage at $at: exit $rc"; cat "$tmp/out"; fail=1
	fi
	"$picket" dump "$tmp/bad.pkb" >/dev/null 2>&1
	[ $? -eq 2 ] || { echo "FAIL: dump accepted damage at $at"; fail=1; }
done
head -c $((size - 8)) "$tmp/good.pkb" >"$tmp/short.pkb"
"$picket" check "$tmp/short.pkb" 2>&1 | grep -q 'truncated' || { echo "FAIL: truncation not reported"; fail=1; }

# a failed compile leaves the previous output as it was, and no temp file
cp "$tmp/good.pkb" "$tmp/keep.pkb"
printf 'pass in on lan0 proto tcp to port 22 bogus\n' >"$tmp/bad.conf"
"$picket" compile "$tmp/bad.conf" -o "$tmp/keep.pkb" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: bad rule file compiled"; fail=1; }
cmp -s "$tmp/good.pkb" "$tmp/keep.pkb" || { echo "FAIL: failed compile changed its output"; fail=1; }
ls "$tmp" | grep -q 'tmp\.' && { echo "FAIL: a temporary file was left behind"; fail=1; }
exit $fail
