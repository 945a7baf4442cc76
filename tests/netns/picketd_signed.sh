#!/bin/sh
# picketd --signed-by KEY.pub runs only rulesets signed with the key
# (picket keygen, picket compile --sign): an unsigned file is refused at
# start; a tampered, an unsigned and another key's file are refused on
# reload with the reason, the running ruleset and its traffic staying; a
# signed file reloads.
. "$(dirname "$0")/daemon/lib.sh"
pk_require
pk_topology
pk_servers
d=$(dirname "$0")/daemon
(cd "$WORK" && "$PICKET" keygen ops >/dev/null && "$PICKET" keygen other >/dev/null) || fail "picket keygen"
pk_compile "$d/block.conf"
inf "$PICKETD" -f "$WORK/rules.pkb" -d -s "$WORK/ctl.sock" --signed-by "$WORK/ops.pub" >"$WORK/start.out" 2>&1 &&
	fail "picketd started with an unsigned ruleset"
grep -q "rules.pkb: not signed: .*rules.pkb.sig" "$WORK/start.out" ||
	fail "the refusal at start does not say why: $(cat "$WORK/start.out")"

"$PICKET" compile "$d/block.conf" --sign "$WORK/ops.key" -o "$WORK/rules.pkb" >/dev/null 2>&1 || fail "compile --sign"
for f in wider lockout; do
	"$PICKET" compile "$d/$f.conf" --sign "$WORK/ops.key" -o "$WORK/$f.pkb" >/dev/null 2>&1 || fail "compile --sign $f"
done
chmod 644 "$WORK"/*.pkb "$WORK"/*.sig
pk_start --signed-by "$WORK/ops.pub"
http_nas | grep -q "hello from freenas" || fail "no traffic through the signed ruleset"

cp "$WORK/lockout.pkb" "$WORK/tampered.pkb"
cp "$WORK/lockout.pkb.sig" "$WORK/tampered.pkb.sig"
printf 'X' | dd of="$WORK/tampered.pkb" bs=1 seek=900 conv=notrunc 2>/dev/null
ctl reload "$WORK/tampered.pkb" >"$WORK/r.out" 2>&1 && fail "a tampered ruleset was loaded"
grep -q "the file was changed after it was signed" "$WORK/r.out" || fail "tampered: no reason: $(cat "$WORK/r.out")"
"$PICKET" compile "$d/lockout.conf" -o "$WORK/unsigned.pkb" >/dev/null 2>&1 && chmod 644 "$WORK/unsigned.pkb"
ctl reload "$WORK/unsigned.pkb" >"$WORK/r.out" 2>&1 && fail "an unsigned ruleset was loaded"
grep -q "not signed" "$WORK/r.out" || fail "unsigned: no reason: $(cat "$WORK/r.out")"
"$PICKET" compile "$d/lockout.conf" --sign "$WORK/other.key" -o "$WORK/other.pkb" >/dev/null 2>&1 &&
	chmod 644 "$WORK/other.pkb"
ctl reload "$WORK/other.pkb" >"$WORK/r.out" 2>&1 && fail "a ruleset signed by another key was loaded"
grep -q "signed by another key" "$WORK/r.out" || fail "another key: no reason: $(cat "$WORK/r.out")"
ssh_nas true || fail "the running ruleset did not stay after the refusals"
grep -q "reload refused.*changed after it was signed" "$WORK/picketd.log" || fail "the log does not say why"

[ "$(probe_port 8080 | cut -d' ' -f1)" = 0 ] && fail "port 8080 is open before the signed reload"
ctl reload "$WORK/wider.pkb" | grep -q "reloaded .*wider.pkb" || fail "a signed ruleset was not reloaded"
[ "$(probe_port 8080 | cut -d' ' -f1)" = 0 ] || fail "the signed ruleset does not run"
echo "unsigned refused at start; tampered, unsigned and other-key files refused on reload; signed reload runs"
