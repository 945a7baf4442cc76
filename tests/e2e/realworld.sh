#!/bin/sh
# tests/e2e/realworld.sh: the real-world pf.conf corpus (tests/realworld)
# through `picket check` and `picket print`.
#
# Each pfconf/NN-name.conf is checked with its NN-name.topo and gets a status:
#   accepted      no error;
#   needs-files   its only errors are table or include files that the host
#                 lacks (absolute paths on the machine the file was written for);
#   unsupported   every other error is an "unsupported: FEATURE" warning
#                 (check goes on past them; compile refuses them);
#   refused       any other error.
# Every accepted file must print, and its printed form must print back the
# same; an unsupported file with no other error must print too. The run fails when a file's status is worse than in expected.tsv
# (accepted > needs-files > unsupported > refused) or a print round trip
# breaks; it lists files that got better so the expectation can be raised.
#
#   tests/e2e/realworld.sh            check against expected.tsv
#   tests/e2e/realworld.sh --update   rewrite expected.tsv from this run
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
picket=$root/build/picket
corpus=$root/tests/realworld
expected=$corpus/expected.tsv
update=0
[ "${1:-}" = --update ] && update=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
: >"$tmp/status"
: >"$tmp/features"
: >"$tmp/kinds"

# an error about a table or include file that does not exist on this host
missing_file() {
	path=$(sed -n "s/.*error: cannot read \(table\|included\) file '\([^']*\)'.*/\2/p")
	[ -n "$path" ] && [ ! -e "$path" ]
}

# the kind of an error message: names, numbers and hints taken out
kind() {
	sed -e 's/^[^ ]* error: //' -e "s/'[^']*'/'…'/g" -e 's/ (did you mean[^)]*)//' -e 's/ ([^()]*)$//' -e 's/; .*//' \
		-e 's/needs interface [^ ]* declared/needs interface … declared/' -e 's/for [^ ]* needs it/for … needs it/'
}

rank() {
	case $1 in accepted) echo 3 ;; needs-files) echo 2 ;; unsupported) echo 1 ;; *) echo 0 ;; esac
}

for conf in "$corpus"/pfconf/*.conf; do
	name=$(basename "$conf" .conf)
	topo=${conf%.conf}.topo
	if [ ! -f "$topo" ] || ! grep -q "^$name.conf	" "$corpus/SOURCES.tsv"; then
		echo "FAIL: $name.conf has no topology file or no line in SOURCES.tsv"
		fail=1
		continue
	fi
	# the host's files a ruleset reads, kept beside it, stand in for its /
	root=
	[ -d "${conf%.conf}.root" ] && root=${conf%.conf}.root
	set -- --topology "$topo" ${root:+--root "$root"}
	(cd "$corpus/pfconf" && "$picket" check --color never "$@" "$name.conf") >/dev/null 2>"$tmp/err"
	grep -E ': error: |: warning: unsupported: ' "$tmp/err" >"$tmp/errors"
	: >"$tmp/blocking"
	while IFS= read -r line; do
		printf '%s\n' "$line" | missing_file || printf '%s\n' "$line" >>"$tmp/blocking"
	done <"$tmp/errors"
	if [ ! -s "$tmp/errors" ]; then
		status=accepted
	elif [ ! -s "$tmp/blocking" ]; then
		status=needs-files
	elif ! grep -qv 'warning: unsupported: ' "$tmp/blocking"; then
		status=unsupported
		sed -n 's/.*warning: unsupported: \(.*\) \[unsupported\]$/\1/p' "$tmp/blocking" | sort -u |
			sed "s/\$/	$name/" >>"$tmp/features"
	else
		status=refused
		printf '%s\t%s\n' "$(grep -v 'warning: unsupported: ' "$tmp/blocking" | head -1 | kind)" "$name" >>"$tmp/kinds"
	fi
	printf '%s.conf\t%s\n' "$name" "$status" >>"$tmp/status"

	if [ "$status" = unsupported ] && ! grep -q ': error: ' "$tmp/err" &&
		! (cd "$corpus/pfconf" && "$picket" print -v "$@" "$name.conf") >/dev/null 2>"$tmp/err"; then
		echo "FAIL: $name.conf has only unsupported features but does not print: $(grep -m1 error: "$tmp/err")"
		fail=1
	fi
	[ "$status" = accepted ] || continue
	# like pfctl's selfpf test: the printed ruleset must load and print the same
	if ! (cd "$corpus/pfconf" && "$picket" print -v "$@" "$name.conf") >"$tmp/p1" 2>"$tmp/err"; then
		echo "FAIL: $name.conf is accepted but does not print: $(head -1 "$tmp/err")"
		fail=1
	elif ! (cd "$corpus/pfconf" && "$picket" print -v ${root:+--root "$root"} "$tmp/p1") >"$tmp/p2" 2>"$tmp/err" ||
		! cmp -s "$tmp/p1" "$tmp/p2"; then
		echo "FAIL: $name.conf: its printed form does not print back the same"
		diff "$tmp/p1" "$tmp/p2" | head -4
		head -3 "$tmp/err"
		fail=1
	fi
done

total=$(wc -l <"$tmp/status")
for s in accepted needs-files unsupported refused; do
	eval "n_$(echo $s | tr - _)=$(grep -c "	$s\$" "$tmp/status")"
done
echo "realworld: accepted $n_accepted/$total, needs host files $n_needs_files, unsupported $n_unsupported, refused $n_refused"
if [ -s "$tmp/features" ]; then
	echo "unsupported, by feature (files):"
	cut -f1 "$tmp/features" | sort | uniq -c | sort -k1,1nr -k2 | sed 's/^ */  /'
fi
if [ -s "$tmp/kinds" ]; then
	echo "refused, by first error (files):"
	sort "$tmp/kinds" | awk -F'\t' '
		$1 != k { if (k != "") print "  " n " " k ":" f; k = $1; n = 0; f = "" }
		{ n++; f = f " " $2 }
		END { print "  " n " " k ":" f }' | sort -k1,1nr
fi

if [ $update = 1 ]; then
	cp "$tmp/status" "$expected"
	echo "realworld: wrote $expected"
	exit $fail
fi
if [ ! -f "$expected" ]; then
	echo "FAIL: no $expected (run with --update)"
	exit 1
fi
while IFS='	' read -r file want; do
	got=$(sed -n "s/^$file	//p" "$tmp/status")
	if [ -z "$got" ]; then
		echo "FAIL: $file is in expected.tsv but not in the corpus"
		fail=1
	elif [ "$(rank "$got")" -lt "$(rank "$want")" ]; then
		echo "FAIL: $file got worse: $want -> $got"
		fail=1
	elif [ "$(rank "$got")" -gt "$(rank "$want")" ]; then
		echo "better: $file: $want -> $got (raise it with tests/e2e/realworld.sh --update)"
	fi
done <"$expected"
cut -f1 "$tmp/status" | while read -r file; do
	grep -q "^$file	" "$expected" || echo "new: $file has no expectation yet (run with --update)"
done
exit $fail
