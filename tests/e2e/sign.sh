#!/bin/sh
# tests/e2e/sign.sh: `picket keygen` and `picket compile --sign`: a key
# pair (the secret one private to its owner, never replaced) and a
# signature beside the .pkb in the format picketd --signed-by reads
# (picketd's check: tests/daemon/test_sign.c, tests/netns/picketd_signed.sh).
set -u
. "$(dirname "$0")/../support/e2e.sh"
rules=$root/tests/verify/expect/router.conf

(cd "$tmp" && $picket keygen ops) >/dev/null 2>&1 || fail "keygen: exit 0"
[ "$(stat -c %a "$tmp/ops.key")" = 600 ] || fail "keygen: the secret key is mode 0600"
grep -Eq '^picket-ed25519-public [0-9a-f]{64}$' "$tmp/ops.pub" || fail "keygen: the public key's line"
(cd "$tmp" && $picket keygen ops) >"$tmp/out" 2>&1
[ $? -eq 2 ] || fail "keygen: an existing pair is not replaced (exit 2)"
grep -q "ops.key: File exists" "$tmp/out" || fail "keygen says which file exists"

$picket compile "$rules" --sign "$tmp/ops.key" -o "$tmp/r.pkb" >/dev/null 2>&1 || fail "compile --sign: exit 0"
id=$(cut -c23-38 "$tmp/ops.pub")
grep -Eq "^picket-ed25519-signature $id [0-9a-f]{128}\$" "$tmp/r.pkb.sig" || fail "compile --sign: the signature's line"
$picket compile "$rules" --sign "$tmp/ops.pub" -o "$tmp/s.pkb" >"$tmp/out" 2>&1
[ $? -eq 2 ] || fail "compile --sign with a public key: exit 2"
grep -q "not signed: .*ops.pub: not a secret key file" "$tmp/out" || fail "compile --sign says the key is wrong"
$picket compile "$rules" --sign "$tmp/ops.key" -o - >/dev/null 2>&1
[ $? -eq 2 ] || fail "compile --sign -o -: a usage error"
[ $fails -eq 0 ] && echo "ok: picket keygen, compile --sign"
exit $fails
