#!/bin/sh
# tests/e2e/replay_afto.sh: af-to end to end. A NAT64 ruleset is compiled
# and a capture of its router on both sides replayed: the IPv6 client's
# TCP handshake and ping leave as IPv4 (the port the router drew taken from
# its copy on wan0), the server's IPv4 replies come back translated to
# IPv6, each forwarded without the out rules as pf does; a reply of no
# connection is blocked. --explain shows the translation, -w the packets as
# they leave, picket explain the translated packet and its route, and the
# ruleset prints back the same.
set -u
. "$(dirname "$0")/../support/e2e.sh"

conf=$root/tests/replay/afto.conf
(cd "$root/tests/replay" && /usr/bin/python3 gen_afto_capture.py "$tmp/afto.pcapng") || exit 1
"$picket" compile "$conf" -o "$tmp/afto.pkb" >"$tmp/out" 2>&1 || fail "compile: $(cat "$tmp/out")"
grep -q unsupported "$tmp/out" && fail "af-to still unsupported: $(cat "$tmp/out")"

"$picket" replay --format jsonl "$tmp/afto.pkb" "$tmp/afto.pcapng" >"$tmp/v.jsonl" 2>"$tmp/err" ||
	fail "replay exits $?: $(cat "$tmp/err")"
verdicts=$(/usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get("verdict", "skip") != "skip":
        print(d["n"], d["iface"], d["verdict"], d.get("afto", {}).get("iface", "-"))
' "$tmp/v.jsonl")
want='1 lan0 pass wan0
3 wan0 pass lan0
5 lan0 pass wan0
7 lan0 pass wan0
9 wan0 pass lan0
11 wan0 block -'
[ "$verdicts" = "$want" ] && echo "ok: handshake and ping translated both ways" ||
	fail "verdicts: $verdicts"

"$picket" replay --quiet --explain 3 "$tmp/afto.pkb" "$tmp/afto.pcapng" >"$tmp/explain" 2>&1
grep -q 'matched state 1' "$tmp/explain" &&
	grep -q 'af-to: translated to tcp \[64:ff9b::cb00:7107\]:80 > \[2001:db8:1::10\]:40000 \[SA\]' "$tmp/explain" &&
	grep -q 'route: leaves by lan0 without meeting the out rules' "$tmp/explain" &&
	echo "ok: --explain shows the reply translated back" || fail "explain: $(cat "$tmp/explain")"
cat "$tmp/explain"
"$picket" replay --quiet --summary "$tmp/afto.pkb" "$tmp/afto.pcapng" >"$tmp/sum" 2>&1
grep -q 'taken from the capture  *1$' "$tmp/sum" && grep -q 'not in the capture  *0$' "$tmp/sum" &&
	echo "ok: the router's port taken from its copy" || fail "summary: $(grep -A5 '^Transl' "$tmp/sum")"

"$picket" replay --quiet -w "$tmp/out.pcap" "$tmp/afto.pkb" "$tmp/afto.pcapng" || fail "-w exits $?"
tcpdump -nr "$tmp/out.pcap" 2>/dev/null >"$tmp/left"
grep -q 'IP 198.51.100.2.[0-9]* > 203.0.113.7.80: Flags \[S\]' "$tmp/left" &&
	grep -q 'IP 198.51.100.2.61000 > 203.0.113.7.80: Flags \[.\]' "$tmp/left" &&
	grep -q 'IP6 64:ff9b::cb00:7107.80 > 2001:db8:1::10.40000: Flags \[S.\]' "$tmp/left" &&
	grep -q 'IP6 64:ff9b::cb00:7107 > 2001:db8:1::10: ICMP6, echo reply' "$tmp/left" &&
	echo "ok: the packets leave in the other family" || fail "left: $(cat "$tmp/left")"

# picket test: the af-to connection gets through with no out rule to pass it
"$picket" test "$conf" >"$tmp/test" 2>&1 && grep -q '3 expectations: 3 hold, 0 fail' "$tmp/test" &&
	echo "ok: picket test" || fail "picket test: $(cat "$tmp/test")"

# picket explain: the translated packet, routed in its family, no out step
pkt='in on lan0 inet6 tcp from 2001:db8:1::10 port 40000 to 64:ff9b::cb00:7107 port 80 flags S'
"$picket" explain "$conf" "$pkt" >"$tmp/ex" 2>&1 || fail "explain exits $?"
grep -q 'af-to: translated to inet tcp from 198.51.100.2 port 40000 to 203.0.113.7 port 80 out on wan0' "$tmp/ex" &&
	grep -q 'route: out on wan0 without meeting the out rules' "$tmp/ex" && ! grep -q '^packet out' "$tmp/ex" &&
	echo "ok: explain translates and routes in the other family" || fail "explain: $(cat "$tmp/ex")"
"$picket" explain --format json "$conf" "$pkt" >"$tmp/ex.json" 2>&1
/usr/bin/python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))
assert d["route"] == "out" and d["egress"] == "wan0" and d["verdict"] == "pass" and len(d["steps"]) == 1, d
assert d["afto"]["af"] == 4 and d["afto"]["dst"] == "203.0.113.7", d["afto"]' "$tmp/ex.json" ||
	fail "explain json: $(cat "$tmp/ex.json")"

"$picket" print -v "$conf" >"$tmp/p1" 2>"$tmp/err" || fail "print: $(cat "$tmp/err")"
"$picket" print -v "$tmp/p1" >"$tmp/p2" 2>"$tmp/err" && cmp -s "$tmp/p1" "$tmp/p2" &&
	grep -q 'af-to inet from (wan0)' "$tmp/p1" && echo "ok: print round trip" ||
	fail "print round trip: $(diff "$tmp/p1" "$tmp/p2")"
[ $fails -eq 0 ]
