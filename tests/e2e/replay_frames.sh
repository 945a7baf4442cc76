#!/bin/sh
# picket replay gives every frame of a capture exactly one result line, so
# the lines count the capture: frames it cannot treat as IP (shorter than
# their link header, another ethertype, too many VLAN tags, an 802.3 frame)
# and frames the capturing host sent get a "skip" line with the reason.
# Captures of every link type picket reads, with chosen frames and 5,000
# seeded random ones (truncated, mistyped, garbage), in the three formats;
# and a capture read from standard input.
set -u
. "$(dirname "$0")/../support/e2e.sh"
conf=$root/tests/replay/freenas.conf

# gen LINKTYPE OUT: a pcap of the chosen frames of that link type, then
# 1,000 random ones (seed: the link type).
gen() {
	/usr/bin/python3 - "$1" "$2" <<'PY'
import random, struct, sys
link, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(link)
ip4 = bytes.fromhex("450000280001000040060000c0a8010ac6336407") + bytes.fromhex("c35001bb000000000000000050022000" "00000000")
ip6 = bytes.fromhex("6000000000083a40") + bytes(15) + b"\x01" + bytes(15) + b"\x02" + bytes.fromhex("8000000000000000")
eth = lambda t: bytes(12) + struct.pack(">H", t)
heads = {1: eth(0x0800), 0: struct.pack("<I", 2), 101: b"", 113: bytes(14) + b"\x08\x00",
         276: b"\x08\x00" + bytes(18)}
chosen = {
    1: [b"", bytes(5), bytes(13), eth(0x0806) + bytes(28), eth(0x88cc) + bytes(20), eth(0x0026) + bytes(38),
        eth(0x8100) + b"\x00\x01\x81\x00\x00\x02\x81\x00\x00\x03\x08\x00" + ip4, eth(0x8100) + b"\x00\x01\x08\x00" + ip4,
        eth(0x86dd) + ip6, eth(0x0800), eth(0x0800) + ip4[:10], eth(0x1234) + bytes(4)],
    0: [b"", bytes(3), struct.pack("<I", 2) + ip4, struct.pack("<I", 30) + ip6],
    101: [b"", bytes(1), ip4, ip6, ip4[:7]],
    113: [bytes(15), bytes(14) + b"\x08\x06" + bytes(28), b"\x00\x04" + bytes(12) + b"\x08\x00" + ip4],
    276: [bytes(19), b"\x08\x06" + bytes(18) + bytes(28), b"\x08\x00" + bytes(8) + b"\x00\x04" + bytes(8) + ip4],
}[link]
frames = list(chosen)
for _ in range(1000):
    kind = rnd.randrange(4)
    body = [ip4, ip6, bytes(rnd.randrange(40)), bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(60)))][kind]
    frame = heads[link] + body
    if link == 1 and rnd.randrange(3) == 0:
        frame = eth(rnd.choice([0x0806, 0x8100, 0x88a8, 0x0800, 0x86dd, rnd.getrandbits(16)])) + body
    frames.append(frame[:rnd.randrange(len(frame) + 1)] if rnd.randrange(2) else frame)
with open(out, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, link))
    for i, fr in enumerate(frames):
        f.write(struct.pack("<IIII", 1000 + i, 0, len(fr), len(fr) + (i % 3)) + fr)
print(len(frames))
PY
}

total=0
for link in 1 0 101 113 276; do
	cap=$tmp/link$link.pcap
	n=$(gen $link "$cap") || { fail "link type $link: cannot write the capture"; continue; }
	total=$((total + n))
	for fmt in text jsonl csv; do
		"$picket" replay --iface lan0 --format $fmt "$conf" "$cap" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		[ $rc -eq 0 ] || { fail "link $link $fmt: exit $rc: $(head -3 "$tmp/err")"; continue; }
		# text: a header line; csv: a header line; text adds '+ sent' lines for generated packets
		lines=$(grep -c '^ *[0-9][0-9]*[ ,]' "$tmp/out")
		[ "$fmt" = jsonl ] && lines=$(grep -c '^{"n":' "$tmp/out")
		[ "$lines" -eq "$n" ] || fail "link $link $fmt: $lines result lines for $n frames"
	done
	"$picket" replay --iface lan0 --format jsonl "$conf" "$cap" | /usr/bin/python3 -c '
import json, sys
seen = [json.loads(l)["n"] for l in sys.stdin if l.startswith("{\"n\"")]
assert seen == list(range(1, len(seen) + 1)), "numbers not 1..n"
' || fail "link $link: frame numbers are not 1..$n in order"
done
[ $total -gt 5000 ] || fail "only $total frames generated"

# the reasons of the chosen Ethernet frames, one each
"$picket" replay --iface lan0 "$conf" "$tmp/link1.pcap" >"$tmp/out" 2>&1
for want in '     1 .* skip .*(shorter than its Ethernet header (0 of 14 bytes))' \
	'     2 .* skip .*(shorter than its Ethernet header (5 of 14 bytes))' \
	'     4 .* skip .*(not IP: ethertype 0x0806, ARP)' '     5 .* skip .*(not IP: ethertype 0x88cc, LLDP)' \
	'     6 .* skip .*(not IP: an 802.3 frame (LLC, 38 bytes))' '     7 .* skip .*(more than two VLAN tags)' \
	'     8 .* lan0 .* tcp 192.168.1.10:50000 > 198.51.100.7:443' '    12 .* skip .*(not IP: ethertype 0x1234)'; do
	grep -q "^$want" "$tmp/out" || fail "no line '$want'"
done
grep -q '^ *1 .* skip .*(shorter than its Linux cooked header (15 of 16 bytes))' <<EOF || fail "Linux cooked short frame"
$("$picket" replay --iface lan0 "$conf" "$tmp/link113.pcap" 2>&1)
EOF
"$picket" replay --iface lan0 --format jsonl "$conf" "$tmp/link1.pcap" | grep -q \
	'^{"n":4,"time":1003.000000,"iface":null,"verdict":"skip","reason":"not IP: ethertype 0x0806, ARP"}$' ||
	fail "jsonl skip line"
"$picket" replay --iface lan0 --format csv "$conf" "$tmp/link1.pcap" | grep -q \
	'^4,1003.000000,,,skip,,,,,"not IP: ethertype 0x0806, ARP",,0,"",,$' || fail "csv skip line"
# --explain of a frame not replayed says so
"$picket" replay --iface lan0 --quiet --explain 4 "$conf" "$tmp/link1.pcap" |
	grep -qx 'packet 4 is not replayed: not IP: ethertype 0x0806, ARP' || fail "--explain of a skipped frame"

# a capture from standard input (a pipe) and from a redirected file
n=$(gen 1 "$tmp/again.pcap")
lines=$(cat "$tmp/again.pcap" | "$picket" replay --iface lan0 --format jsonl "$conf" - | grep -c '^{"n":')
[ "$lines" -eq "$n" ] || fail "capture from a pipe: $lines lines for $n frames"
lines=$("$picket" replay --iface lan0 --format jsonl "$conf" - <"$tmp/again.pcap" | grep -c '^{"n":')
[ "$lines" -eq "$n" ] || fail "capture from a redirected file: $lines lines for $n frames"
# a pcapng from a pipe still names the interfaces
cat "$root/examples/freenas.pcapng" | "$picket" replay --format jsonl "$root/examples/freenas.conf" - |
	grep -q '"n":2,.*"iface":"opt1"' || fail "pcapng from a pipe lost its interface names"

[ $fails -eq 0 ] && echo "replay frames: every frame of $total has one line"
exit $((fails != 0))
