#!/bin/sh
# `make install` into a staging directory: programs, manual pages, the
# examples picket(1) points to, the JSON schema, the capture guide, the
# completions and the service file; the installed picket runs on the
# installed example.
set -u
. "$(dirname "$0")/../support/e2e.sh"
dest=$tmp/stage prefix=/usr/local
make -C "$root" --no-print-directory install DESTDIR="$dest" PREFIX=$prefix >"$tmp/log" 2>&1 ||
	{ cat "$tmp/log"; fail "make install exits non-zero"; exit 1; }
for f in bin/picket bin/picketd share/man/man1/picket.1 share/man/man5/picket.conf.5 share/man/man8/picketd.8 \
	share/doc/picket/examples/freenas.conf share/doc/picket/examples/freenas.pcapng \
	share/doc/picket/schemas/picket.schema.json share/doc/picket/capture.md share/doc/picket/json.md \
	share/bash-completion/completions/picket share/zsh/site-functions/_picket lib/systemd/system/picketd.service; do
	[ -s "$dest$prefix/$f" ] || fail "make install left out $f"
done
echo "ok: installed files present"
ex=$dest$prefix/share/doc/picket/examples
"$dest$prefix/bin/picket" replay --quiet --summary "$ex/freenas.conf" "$ex/freenas.pcapng" >/dev/null &&
	echo "ok: the installed picket replays the installed example" || fail "installed example does not replay"
grep -q "$prefix/bin/picketd" "$dest$prefix/lib/systemd/system/picketd.service" &&
	echo "ok: the service file names the installed picketd" || fail "service file path"
exit $((fails > 0))
