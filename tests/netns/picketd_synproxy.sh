#!/bin/sh
# synproxy state on the wire: http and https through picketd's synproxy
# succeed; a SYN flood from the LAN creates no state while a real curl
# still gets through.
. "$(dirname "$0")/daemon/lib.sh"
pk_require hping3
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/synproxy.conf"
pk_start

http_nas | grep -q "hello from freenas" || fail "curl http through synproxy"
https_nas >/dev/null || fail "curl -k https through synproxy"
ssh_nas true || fail "ssh (keep state) alongside synproxy"
echo "http, https through synproxy: ok"

before=$(ctl states | wc -l)
inc timeout 15 hping3 -q -S -p 80 -i u200 -c 15000 $NAS >/dev/null 2>&1 &
flood=$!
sleep 1
ok=0
http_nas | grep -q "hello from freenas" && ok=1
during=$(ctl states | wc -l)
wait $flood
after=$(ctl states | wc -l)
[ $ok = 1 ] || fail "curl during the SYN flood failed"
# The flood's SYNs are answered with cookies: no state; the few left are curl's and ssh's.
[ "$during" -le $((before + 4)) ] ||
	fail "SYN flood created states: $before before, $during during (synproxy must answer with SYN cookies and create a state only on the client's valid ACK)"
ctl stats | grep -q "synproxy" || fail "picket stats has no synproxy counter"
echo "SYN flood: $before states before, $during during, $after after; curl succeeded during the flood"
