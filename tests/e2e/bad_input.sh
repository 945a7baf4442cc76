#!/bin/sh
# The mistakes users make with files, through the real binary: each bad
# input given to each command that reads it ends with exit 2 and exactly
# one line on stderr, naming the file and the system's reason or the kind
# of file it is (runtime/infile.h). Then '-' (standard input and output)
# the same way in every command, endless inputs bounded, outputs that are
# inputs refused, and no temporary file left by a signal.
# Each checked case prints "ok: INPUT | COMMAND | MESSAGE".
set -u
. "$(dirname "$0")/../support/e2e.sh"
chmod 755 "$tmp" # the unreadable-file case runs as nobody when run as root
cd "$tmp" || exit 2
cp "$root/examples/freenas.conf" good.conf
"$picket" compile good.conf -o good.pkb >/dev/null || exit 2
cap=$root/examples/freenas.pcapng
commands="check print lint compile dump replay diff explain query"

# run COMMAND FILE: the command with FILE where it takes its rules, run
# through $as (empty, or a command switching user)
as=
run() {
	case $1 in
	compile) $as "$picket" compile "$2" -o out.pkb ;;
	replay) $as "$picket" replay --quiet "$2" "$cap" ;;
	diff) $as "$picket" diff good.conf "$2" ;;
	explain) $as "$picket" explain "$2" 'tcp from 192.168.1.10 to 10.0.10.5 port 22 in on lan0' ;;
	query) $as "$picket" query "$2" 'proto tcp' ;;
	*) $as "$picket" "$1" "$2" ;;
	esac
}

# expect LABEL WANT COMMAND...: exit 2 and stderr exactly the line WANT
expect() {
	label=$1 want=$2
	shift 2
	"$@" >/dev/null 2>err
	rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <err)" -ne 1 ] || ! grep -qxF "$want" err; then
		fail "$label: exit $rc, want 2 and '$want', got: $(head -c 600 err)"
	else
		echo "ok: $label | $want"
	fi
}

# table FILE MSG_RULES MSG_RULES_OR_PKB MSG_PKB: every command on FILE;
# MSG_RULES for those reading rules only, MSG_RULES_OR_PKB for check and
# replay, MSG_PKB for dump ("-" in a column: that command accepts it).
table() {
	f=$1
	for c in $commands; do
		case $c in
		check | replay) m=$3 ;;
		dump) m=$4 ;;
		*) m=$2 ;;
		esac
		[ "$m" = - ] && continue
		expect "$f | $c" "$f: error: $m" run "$c" "$f"
	done
}

mkdir dir
head -c 3000 /dev/urandom >random.bin
printf 'pass all\000\n' >nul.conf
: >empty.pkb
cp good.pkb renamed.conf
head -c 4096 /dev/zero | tr '\0' '#' >huge.conf && truncate -s 65M huge.conf
cp good.pkb huge.pkb && truncate -s 257M huge.pkb

table missing.conf "No such file or directory" "No such file or directory" "No such file or directory"
table dir "Is a directory" "Is a directory" "Is a directory"
table /dev/zero "a device, not a file" "a device, not a file" "a device, not a file"
table /dev/urandom "a device, not a file" "a device, not a file" "a device, not a file"
table random.bin "binary data, not a rule file" \
	"binary data without the .pkb magic at byte offset 0: not a rule file nor a compiled ruleset (one damaged in its first bytes?)" \
	"binary data without the .pkb magic at byte offset 0: not a compiled ruleset (one damaged in its first bytes?)"
table nul.conf "binary data, not a rule file" \
	"binary data without the .pkb magic at byte offset 0: not a rule file nor a compiled ruleset (one damaged in its first bytes?)" \
	"binary data without the .pkb magic at byte offset 0: not a compiled ruleset (one damaged in its first bytes?)"
table good.pkb "a compiled ruleset: use picket dump" - -
table renamed.conf "a compiled ruleset: use picket dump" - -
table empty.pkb "empty, and named as a compiled ruleset (.pkb)" \
	"refused .pkb: byte offset 0: empty (0 bytes): a .pkb holds at least its 704-byte header; recompile it with 'picket compile'" \
	"refused .pkb: byte offset 0: empty (0 bytes): a .pkb holds at least its 704-byte header; recompile it with 'picket compile'"
table good.conf - - "a rule file, not a compiled ruleset: compile it with picket compile"
table huge.conf "larger than 64 MiB" "larger than 64 MiB" "a rule file, not a compiled ruleset: compile it with picket compile"
table huge.pkb "larger than 64 MiB" "larger than 256 MiB" "larger than 256 MiB"

# unreadable: as nobody when root (root reads every file)
cp good.conf secret.conf && chmod 000 secret.conf
[ "$(id -u)" -eq 0 ] && as="setpriv --reuid=nobody --regid=nogroup --clear-groups"
table secret.conf "Permission denied" "Permission denied" "Permission denied"
as=

# expect_located LABEL WANT COMMAND...: exit 2, WANT the first line of
# stderr, then only the source line and its caret
expect_located() {
	label=$1 want=$2
	shift 2
	"$@" >/dev/null 2>err
	rc=$?
	if [ $rc -ne 2 ] || [ "$(wc -l <err)" -ne 3 ] || [ "$(head -n 1 err)" != "$want" ]; then
		fail "$label: exit $rc, want 2 and '$want', got: $(head -c 600 err)"
	else
		echo "ok: $label | $want"
	fi
}

# a file the rules name
printf 'include "missing.conf"\npass all\n' >incl.conf
expect_located "incl.conf | check" \
	"incl.conf:1:1: error: cannot read included file 'missing.conf': No such file or directory" \
	"$picket" check --color never incl.conf
printf 'include "good.pkb"\n' >inclpkb.conf
expect_located "inclpkb.conf | check" \
	"inclpkb.conf:1:1: error: cannot read included file 'good.pkb': a compiled ruleset: use picket dump" \
	"$picket" check --color never inclpkb.conf
printf 'table <t> file "dir"\npass from <t>\n' >tfile.conf
expect_located "tfile.conf | print" "tfile.conf:1:16: error: cannot read table file 'dir': Is a directory" \
	"$picket" print --color never tfile.conf
expect "--topology dir | check" "dir: error: Is a directory" "$picket" check --topology dir good.conf

# the capture of replay
expect "missing.pcap | replay" "picket replay: missing.pcap: No such file or directory" \
	"$picket" replay good.conf missing.pcap
expect "dir | replay capture" "picket replay: dir: Is a directory" "$picket" replay good.conf dir
expect "/dev/zero | replay capture" "picket replay: /dev/zero: a device, not a file" "$picket" replay good.conf /dev/zero
expect "good.conf | replay capture" \
	"picket replay: good.conf: not a readable pcap or pcapng capture: unknown file format" \
	"$picket" replay good.conf good.conf

# '-' is standard input in every command, and can be read once
for c in $commands; do
	in=good.conf
	[ $c = dump ] && in=good.pkb
	rc=0
	case $c in
	compile) "$picket" compile - -o out.pkb <$in >/dev/null 2>err || rc=$? ;;
	*) run $c - <$in >/dev/null 2>err || rc=$? ;;
	esac
	[ $rc -le 1 ] && echo "ok: - | $c | read from standard input" || fail "$c - exits $rc: $(cat err)"
done
expect "- - | diff" "<stdin>: error: standard input was read already ('-' can be given once)" \
	sh -c "\"$picket\" diff - - <good.conf"
expect "- - | check" "<stdin>: error: standard input was read already ('-' can be given once)" \
	sh -c "\"$picket\" check - - <good.conf"
"$picket" check - <good.conf | grep -qx '1 file OK: 15 rules' || fail "check - prints the count"
"$picket" query - 'proto tcp' <good.conf | grep -q 'at <stdin>:' || fail "query names standard input <stdin>"
"$picket" compile good.conf -o - 2>/dev/null | "$picket" dump - | grep -q '^# <stdin>: picket bytecode' ||
	fail "compile -o - | dump -"
"$picket" compile good.conf -o - 2>&1 >/dev/null | grep -qx '<stdout>: 15 rules, [0-9]* bytes' ||
	fail "compile -o - reports on stderr"
[ -e ./- ] && fail "-o - created a file named -"
expect "-w - | replay" "picket replay: -w -: standard output carries the verdicts; name a file" \
	"$picket" replay -w - good.conf "$cap"

# endless or huge standard input: bounded, one line
expect "yes | check -" "<stdin>: error: larger than 64 MiB" sh -c "yes | \"$picket\" check -"
expect "/dev/zero | check -" \
	"<stdin>: error: binary data without the .pkb magic at byte offset 0: not a rule file nor a compiled ruleset (one damaged in its first bytes?)" \
	sh -c "cat /dev/zero | \"$picket\" check -"
expect "</dev/zero check -" "<stdin>: error: a device, not a file" sh -c "\"$picket\" check - </dev/zero"

# a byte order mark is skipped
printf '\357\273\277pass in all\n' >bom.conf
"$picket" print bom.conf 2>&1 | grep -qx 'pass in all flags S/SA' && echo "ok: bom.conf | print | skipped" ||
	fail "BOM: $("$picket" print bom.conf 2>&1)"

# an output that is one of the inputs is refused, the input kept
cp good.conf keep.conf
ln -s keep.conf link.conf
printf 'include "keep.conf"\n' >top.conf
msg="the output is one of the inputs: writing it would destroy what was read"
expect "compile keep.conf -o keep.conf" "keep.conf: error: $msg" "$picket" compile keep.conf -o keep.conf
expect "compile keep.conf -o link.conf" "link.conf: error: $msg" "$picket" compile keep.conf -o link.conf
expect "compile top.conf -o keep.conf (included)" "keep.conf: error: $msg" "$picket" compile top.conf -o keep.conf
: >none.conf
expect "compile --topology keep.conf -o keep.conf" "keep.conf: error: $msg" \
	"$picket" compile --topology keep.conf none.conf -o keep.conf
expect "compile - -o keep.conf <keep.conf" "keep.conf: error: $msg" sh -c "\"$picket\" compile - -o keep.conf <keep.conf"
cmp -s keep.conf good.conf || fail "a refused compile changed its input"
cp "$cap" cap.pcapng
expect "replay -w CAPTURE" "picket replay: -w cap.pcapng: $msg" "$picket" replay -w cap.pcapng good.conf cap.pcapng
expect "replay -w RULES" "picket replay: -w keep.conf: $msg" "$picket" replay -w keep.conf keep.conf "$cap"
cmp -s cap.pcapng "$cap" || fail "a refused replay changed its capture"

# lint past its size: one line, no abort
awk 'BEGIN { for (i = 0; i <= 120000; i++) printf "pass in proto tcp to port %d\n", i % 65535 + 1 }' >many.conf
expect "many.conf | lint" "picket lint: many.conf: 120001 rules, more than the 120000 lint compares (pair by pair)" \
	"$picket" lint many.conf

# a signal leaves no temporary file: replay -w blocks on a full stdout
/usr/bin/python3 -c '
import struct, sys
arp = bytes(12) + b"\x08\x06" + bytes(28)
with open("arp.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(20000):
        f.write(struct.pack("<IIII", i, 0, len(arp), len(arp)) + arp)
'
mkfifo full
for sig in INT TERM HUP; do
	env --default-signal=$sig "$picket" replay -w out.pcap good.conf arp.pcap >full 2>/dev/null &
	pid=$!
	exec 3<full # opened, never read: the replay blocks once the pipe is full
	n=0
	while ! ls out.pcap.tmp.* >/dev/null 2>&1 && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
	ls out.pcap.tmp.* >/dev/null 2>&1 || fail "SIG$sig: no temporary file to remove"
	kill -$sig $pid
	wait $pid
	rc=$?
	exec 3<&-
	ls out.pcap.tmp.* >/dev/null 2>&1 && fail "SIG$sig left $(ls out.pcap.tmp.*)" ||
		echo "ok: replay -w out.pcap | SIG$sig (exit $rc) | no temporary file"
	rm -f out.pcap.tmp.*
done

[ $fails -eq 0 ] && echo "bad input: all passed"
exit $((fails != 0))
