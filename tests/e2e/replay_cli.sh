#!/bin/sh
# picket replay's options end to end: formats, --summary, --quiet, -w,
# --explain, interfaces of a plain pcap (--iface, inferred from the
# topology), the error for a truncated capture (after the verdicts before
# it), and usage errors.
set -u
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1
py=/usr/bin/python3
$py -c 'import scapy' 2>/dev/null || { echo "python3-scapy is not installed"; exit 77; }
out=build/replay-cli
rm -rf "$out" && mkdir -p "$out"
$py tests/replay/gen_captures.py "$out" freenas || exit 1
conf=tests/replay/freenas.conf cap=$out/freenas.pcapng
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

build/picket replay "$conf" "$cap" >"$out/text" 2>&1 || fail "text replay exits $?"
grep -q '^ *16 .* reject .*udp 192.168.1.10:40161 > 10.0.10.5:161' "$out/text" && ok "text line for the rejected UDP" ||
	fail "text output lacks packet 16 rejected"
grep -q 'sent out on lan0: icmp 192.168.1.1 > 192.168.1.10 port unreachable' "$out/text" &&
	ok "generated ICMP shown" || fail "generated ICMP missing"

build/picket replay --format csv "$conf" "$cap" >"$out/csv" || fail "csv exits $?"
[ "$(wc -l <"$out/csv")" -eq 22 ] && head -1 "$out/csv" | grep -q '^n,time,iface,dir,verdict' &&
	ok "csv: header and 21 rows" || fail "csv shape"

build/picket replay --quiet --summary "$conf" "$cap" >"$out/summary" || fail "summary exits $?"
grep -q "pass  *17$" "$out/summary" && grep -q 'state-mismatch' "$out/summary" && ! grep -q '^ *1 ' "$out/summary" &&
	ok "--quiet --summary: counters, no packet lines" || fail "summary content"
$py tests/replay/gen_captures.py "$out" asym >/dev/null || exit 1
build/picket replay --quiet tests/replay/asym.conf "$out/asym.pcapng" >"$out/asym-quiet" || fail "asym exits $?"
build/picket replay --quiet --summary tests/replay/asym.conf "$out/asym.pcapng" >"$out/asym-summary" || fail "asym exits $?"
grep -q 'no reply ever reached the firewall' "$out/asym-quiet" && ! grep -q 'stalled' "$out/asym-summary" &&
	grep -q "pass  *4$" "$out/asym-summary" && ok "--quiet: the stall report; --quiet --summary: the counters alone" ||
	fail "stall report with --quiet, or none with --quiet --summary"

build/picket replay --quiet -w "$out/passed.pcap" "$conf" "$cap" || fail "-w exits $?"
n=$(tcpdump -nr "$out/passed.pcap" 2>/dev/null | wc -l)
[ "$n" -eq 16 ] && ok "-w wrote the 16 forwarded packets" || fail "-w wrote $n packets, want 16"
ls "$out"/passed.pcap.tmp.* >/dev/null 2>&1 && fail "-w left a temporary file"

build/picket replay --quiet --explain 15 "$conf" "$cap" >"$out/explain" || fail "explain exits $?"
grep -q 'state lookup: no state matches' "$out/explain" && grep -q '@0  *line 10 *block all' "$out/explain" &&
	grep -q 'verdict: block' "$out/explain" && ok "--explain 15: lookup, matching rules, verdict" ||
	fail "explain content"
build/picket replay --quiet --explain 1 "$conf" "$cap" >"$out/explain1"
grep -q 'route: leaves by opt1' "$out/explain1" && grep -q '^  out on opt1:' "$out/explain1" &&
	ok "--explain 1: route and out step" || fail "explain 1 lacks the out step"

build/picket replay --quiet -w "$out/nat.pcap" tests/replay/nat.conf "$cap" || fail "-w with NAT exits $?"
tcpdump -nr "$out/nat.pcap" 2>/dev/null | grep -q 'IP 203.0.113.2.[0-9]* > 8.8.8.8.53' &&
	ok "-w writes packets after NAT" || fail "-w output is not translated"

# A plain pcap: no interface names; the topology infers them from sources.
tcpdump -r "$cap" -w "$out/plain.pcap" 2>/dev/null
build/picket replay --format jsonl "$conf" "$out/plain.pcap" >"$out/plain.jsonl" || fail "plain pcap exits $?"
$py tests/replay/compare.py tests/replay/freenas.expected "$out/plain.jsonl" >/dev/null &&
	ok "plain pcap: interfaces inferred, same verdicts" || fail "plain pcap verdicts differ"
build/picket replay --format jsonl --iface lan0 "$conf" "$out/plain.pcap" >"$out/iface.jsonl"
grep -q '"n":2,.*"iface":"lan0"' "$out/iface.jsonl" && ok "--iface forces the interface" || fail "--iface ignored"

# A truncated capture: verdicts up to the damage, then an error naming the packet.
size=$(wc -c <"$cap")
head -c $((size - 30)) "$cap" >"$out/cut.pcapng"
build/picket replay --format jsonl "$conf" "$out/cut.pcapng" >"$out/cut.jsonl" 2>"$out/cut.err"
rc=$?
[ $rc -eq 2 ] && grep -q 'packet 21' "$out/cut.err" && [ "$(wc -l <"$out/cut.jsonl")" -eq 20 ] &&
	ok "truncated capture: 20 verdicts, then exit 2 naming packet 21" || fail "truncated: rc=$rc $(cat "$out/cut.err")"

build/picket replay "$conf" >/dev/null 2>&1; [ $? -eq 2 ] && ok "missing capture: exit 2" || fail "usage exit"
build/picket replay --format xml "$conf" "$cap" >/dev/null 2>&1; [ $? -eq 2 ] && ok "bad format: exit 2" || fail "format exit"
build/picket replay "$conf" /nonexistent.pcap 2>"$out/nofile.err"; [ $? -eq 2 ] && grep -q nonexistent "$out/nofile.err" &&
	ok "unreadable capture: exit 2, named" || fail "unreadable capture"
build/picket replay --iface eth9 "$conf" "$cap" 2>"$out/iface.err"; [ $? -eq 2 ] && grep -q eth9 "$out/iface.err" &&
	ok "unknown --iface: exit 2" || fail "unknown iface"
# The bundled captures are what the generator makes, byte for byte.
$py tests/replay/gen_captures.py "$out" example example-synproxy || fail "generator exits $?"
for c in freenas freenas-synproxy; do
	cmp -s "$out/example${c#freenas}.pcapng" examples/$c.pcapng && ok "examples/$c.pcapng is reproducible" ||
		fail "examples/$c.pcapng differs from the generator's"
done
build/picket replay --quiet --summary examples/freenas.conf examples/freenas.pcapng >"$out/example.txt" &&
	grep -q "pass  *20$" "$out/example.txt" && grep -q "reject  *3$" "$out/example.txt" &&
	! grep -q "stalled" "$out/example.txt" && ok "bundled capture: 20 pass, 3 reject, no stall" ||
	fail "bundled capture: $(head -c 300 "$out/example.txt")"
build/picket replay --format jsonl examples/freenas.conf examples/freenas.pcapng >"$out/example.jsonl" &&
	grep -q '"n":23,.*"iface":"wan0".*"verdict":"pass"' "$out/example.jsonl" &&
	ok "bundled capture: the Internet's reply to the NAT address passes" || fail "bundled capture: NAT reply"
build/picket replay --quiet examples/freenas-synproxy.conf examples/freenas-synproxy.pcapng >"$out/synproxy.txt" &&
	grep -q "synproxy completed the client's handshake, but the server never answered" "$out/synproxy.txt" &&
	grep -q "the server's answers to the firewall's synproxy handshake arrive on another interface" "$out/synproxy.txt" &&
	ok "synproxy example: stall diagnosed" || fail "synproxy example: no stall report"
# divert-to: the connection goes to a local socket, not out on opt1
sed 's/^\(pass in quick on $lan_if inet proto tcp from <admins> to $freenas port $nas_services\)$/\1 divert-to 127.0.0.1 port 8022/' \
	examples/freenas.conf >"$out/divert.conf"
grep -q 'divert-to' "$out/divert.conf" || fail "divert: the example's rule was not found"
build/picket replay --explain 1 "$out/divert.conf" examples/freenas.pcapng >"$out/divert.txt" 2>&1
grep -q '^ *1 .* pass .*10.0.10.5:22 \[S\] (diverted to 127.0.0.1 port 8022, a local socket)' "$out/divert.txt" &&
	grep -q 'diverted to 127.0.0.1 port 8022: delivered, unchanged, to a local socket; not forwarded' "$out/divert.txt" &&
	! grep -q '^ *1 .*-> opt1' "$out/divert.txt" && ok "divert-to: replay and --explain name the socket" ||
	fail "divert-to: $(head -c 600 "$out/divert.txt")"
build/picket replay --format csv "$out/divert.conf" examples/freenas.pcapng >"$out/divert.csv" 2>/dev/null
head -1 "$out/divert.csv" | grep -q ',packet,divert_address,divert_port$' && grep -q '^1,.*,127\.0\.0\.1,8022$' "$out/divert.csv" &&
	ok "divert-to: csv's last columns name the socket" || fail "divert-to csv: $(head -c 600 "$out/divert.csv")"
# A rule whose source line is not UTF-8 (a Latin-1 comment) stays in the
# jsonl summary, its byte as a Latin-1 character, and every line is JSON.
printf '%s\n' "$(sed 's/^\(pass in quick on $lan_if inet proto tcp from <admins> to $freenas port $nas_services\)$/\1 # caf\xe9/' examples/freenas.conf)" >"$out/latin1.conf"
grep -q "caf$(printf '\351')" "$out/latin1.conf" || fail "latin1: the example's rule was not found"
build/picket replay --format jsonl --summary "$out/latin1.conf" examples/freenas.pcapng >"$out/latin1.jsonl" 2>/dev/null
n_rules=$(build/picket replay --quiet --summary "$out/latin1.conf" examples/freenas.pcapng 2>/dev/null | grep -c '^  @')
/usr/bin/python3 - "$out/latin1.jsonl" "$n_rules" <<'PY' && ok "jsonl: a rule whose line is not UTF-8 is in the summary, every line JSON" || fail "jsonl with a Latin-1 rule line"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
rules = rows[-1]["summary"]["rules"]
assert len(rules) == int(sys.argv[2]) > 0, (len(rules), sys.argv[2])
assert any((r["source"] or "").endswith("# caf\u00e9") for r in rules)
PY
# rdr pass (a port forward whose packets skip the filter rules) under a
# block all; a plain rdr, whose packets the filter sees translated.
cat >"$out/rdr.conf" <<'EOF'
interface wan0 address 203.0.113.2/24
interface lan0 address 10.0.10.1/24
route default via wan0 gateway 203.0.113.1
rdr pass on wan0 proto tcp from any to 203.0.113.2 port 8080 -> 10.0.10.5 port 80
rdr on wan0 proto tcp from any to 203.0.113.2 port 8443 -> 10.0.10.5 port 443
block all
pass in on wan0 proto tcp to 10.0.10.5 port 443
pass in on wan0 proto tcp to 203.0.113.2 port 8443
pass out all
EOF
$py - "$out/rdr.pcap" <<'PY'
import sys
from scapy.all import Ether, IP, TCP, wrpcap
m = dict(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
pk = []
for n, (port, inner) in enumerate(((8080, 80), (8443, 443))):
    for p in (IP(src="198.51.100.7", dst="203.0.113.2") / TCP(sport=40000 + n, dport=port, flags="S", seq=100),
              IP(src="10.0.10.5", dst="198.51.100.7") / TCP(sport=inner, dport=40000 + n, flags="SA", seq=500, ack=101),
              IP(src="198.51.100.7", dst="203.0.113.2") / TCP(sport=40000 + n, dport=port, flags="A", seq=101, ack=501)):
        f = Ether(**m) / p
        f.time = 1000 + 0.01 * len(pk)
        pk.append(f)
wrpcap(sys.argv[1], pk)
PY
build/picket replay "$out/rdr.conf" "$out/rdr.pcap" >"$out/rdr.txt" 2>&1
[ "$(grep -c '^ *[0-9].* pass ' "$out/rdr.txt")" = 6 ] && ok "rdr pass and rdr: every packet of both forwards passes" ||
	fail "rdr: $(cat "$out/rdr.txt")"
build/picket replay --quiet --explain 1 "$out/rdr.conf" "$out/rdr.pcap" >"$out/rdr1.txt" 2>&1
sed -n '/^  in on wan0/,/^  route/p' "$out/rdr1.txt" >"$out/rdr1.in"
grep -q '@0 has pass: the filter rules are not walked' "$out/rdr1.in" && ! grep -q 'block all' "$out/rdr1.in" &&
	grep -q 'decided by no rule: pass' "$out/rdr1.in" &&
	ok "--explain: rdr pass leaves the filter rules unwalked" || fail "rdr pass explain: $(cat "$out/rdr1.txt")"
build/picket replay --quiet --explain 4 "$out/rdr.conf" "$out/rdr.pcap" >"$out/rdr4.txt" 2>&1
grep -q 'the filter rules see the packet translated: tcp 198.51.100.7:40001 > 10.0.10.5:443' "$out/rdr4.txt" &&
	grep -q 'decided by @3 (line 7): pass' "$out/rdr4.txt" && ! grep -q '@4 ' "$out/rdr4.txt" &&
	ok "--explain: after an rdr the filter rules see the translated packet" || fail "rdr explain: $(cat "$out/rdr4.txt")"
[ $fails -eq 0 ]
