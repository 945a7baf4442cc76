#!/bin/sh
# picketd as a transparent filtering bridge (--bridge lan0,opt1): ARP
# crosses it, the allowed services pass (evaluated in on lan0 and out on
# opt1), a disallowed port is refused by picketd's RST.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
pk_topology bridge
pk_servers
pk_compile "$(dirname "$0")/daemon/bridge.conf"
pk_start --bridge lan0,opt1

inc ping -c 2 -W 2 $NAS >/dev/null || fail "ping across the bridge"
out=$(ssh_nas 'echo bridged-$((6 * 7))') || fail "ssh across the bridge"
[ "$out" = "bridged-42" ] || fail "ssh printed '$out'"
http_nas | grep -q "hello from freenas" || fail "curl http across the bridge"
https_nas >/dev/null || fail "curl -k https across the bridge"
set -- $(probe_port 8080)
[ "$1" = 7 ] || fail "port 8080 across the bridge: curl exit $1 (expected 7: refused)"
ins ping -c 1 -W 2 $CLIENT >/dev/null && fail "ping FreeNAS -> client passed; no rule passes it"
grep -q "bridge mode" "$WORK/picketd.log" || fail "picketd does not say it runs as a bridge"
echo "bridge: ping, ssh, http, https pass; 8080 refused; reverse ping blocked"
