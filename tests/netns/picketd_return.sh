#!/bin/sh
# Under `block return` a disallowed port is refused at once (RST from picketd)
# while the allowed services still work; kernel forwarding left on is reported.
. "$(dirname "$0")/daemon/lib.sh"
pk_require
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/return.conf"
# Kernel forwarding left on for lan0: picketd must say so at start.
inf sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.lan0.forwarding=1 net.ipv4.conf.opt1.forwarding=0
pk_start
grep -q "lan0: the kernel forwards IPv4" "$WORK/picketd.log" || fail "kernel forwarding on lan0 not reported"
grep -q "opt1: the kernel forwards" "$WORK/picketd.log" && fail "kernel forwarding reported on opt1, where it is off"

http_nas | grep -q "hello from freenas" || fail "curl http://$NAS/"
set -- $(probe_port 8080)
[ "$1" = 7 ] || fail "port 8080 under block return: curl exit $1 (expected 7: refused)"
awk "BEGIN{exit !($2 < 1.0)}" || fail "port 8080 refused only after $2 s"
echo "port 8080 refused in $2 s"
ctl stats | grep -q "match" || fail "picket stats"
