#!/bin/sh
# Under `block return` a disallowed port is refused at once (RST from picketd)
# while the allowed services still work.
. "$(dirname "$0")/daemon/lib.sh"
pk_require
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/return.conf"
pk_start

http_nas | grep -q "hello from freenas" || fail "curl http://$NAS/"
set -- $(probe_port 8080)
[ "$1" = 7 ] || fail "port 8080 under block return: curl exit $1 (expected 7: refused)"
awk "BEGIN{exit !($2 < 1.0)}" || fail "port 8080 refused only after $2 s"
echo "port 8080 refused in $2 s"
ctl stats | grep -q "match" || fail "picket stats"
