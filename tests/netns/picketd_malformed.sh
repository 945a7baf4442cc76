#!/bin/sh
# picketd survives malformed traffic: truncated and lying IPv4/IPv6 headers,
# bad header lengths, runt frames, ARP garbage, TTL 0 and 1, fragments,
# IP options, non-IP ethertypes; it keeps forwarding afterwards, counts the
# malformed frames, and answers an oversized DF packet with
# "fragmentation needed" carrying the egress MTU.
. "$(dirname "$0")/daemon/lib.sh"
pk_require ping
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
pk_topology
pk_servers
ip -n "$NS_F" link set opt1 mtu 1280
ip -n "$NS_S" link set eth0 mtu 1280
pk_compile "$(dirname "$0")/daemon/block.conf"
pk_start

http_nas | grep -q "hello from freenas" || fail "curl before the garbage"
fwmac=$(ip -n "$NS_F" link show lan0 | awk '/link\/ether/ {print $2}')
inc timeout 60 /usr/bin/python3 - "$fwmac" <<'PY' || fail "scapy could not send"
import random, sys
from scapy.all import Ether, IP, IPv6, TCP, UDP, ICMP, ARP, Raw, sendp, raw
random.seed(7)
dst = sys.argv[1]
e = Ether(dst=dst, type=0x0800)
good = IP(src="192.168.1.10", dst="10.0.10.5") / TCP(dport=80, flags="S")
frames = [
    e / Raw(b"\x45"),                                    # IPv4 of one byte
    e / Raw(raw(good)[:19]),                            # header cut short
    e / Raw(b"\x4f" + raw(good)[1:]),                   # ihl 15 beyond the packet
    e / Raw(b"\x41" + raw(good)[1:]),                   # ihl 1
    e / Raw(raw(good)[:2] + b"\xff\xff" + raw(good)[4:]),  # total length lies
    e / Raw(raw(good)[:2] + b"\x00\x05" + raw(good)[4:]),  # total length below the header
    e / IP(src="192.168.1.10", dst="10.0.10.5", ttl=0) / TCP(dport=80),
    e / IP(src="192.168.1.10", dst="10.0.10.5", ttl=1) / UDP(dport=53),
    e / IP(src="192.168.1.10", dst="10.0.10.5", flags="MF", frag=0) / Raw(b"x" * 64),
    e / IP(src="192.168.1.10", dst="10.0.10.5", frag=100) / Raw(b"y" * 64),
    e / IP(src="192.168.1.10", dst="10.0.10.5", options=b"\x07\x07\x04\x00\x00\x00\x00\x00") / TCP(dport=22),
    e / IP(src="192.168.1.10", dst="10.0.10.5", proto=6) / Raw(b"\x00" * 5),  # TCP header cut short
    Ether(dst=dst) / IPv6(src="fe80::1", dst="2001:db8::5") / UDP(),
    Ether(dst=dst, type=0x86dd) / Raw(b"\x60\x00"),
    Ether(dst=dst, type=0x0806) / Raw(b"\x00\x01\x08\x00\x06"),
    Ether(dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, psrc="0.0.0.0", pdst="192.168.1.1"),
    Ether(dst=dst, type=0x88cc) / Raw(b"lldp?"),
]
for _ in range(300):
    frames.append(e / Raw(bytes(random.getrandbits(8) for _ in range(random.randint(1, 200)))))
    frames.append(e / Raw(b"\x45" + bytes(random.getrandbits(8) for _ in range(random.randint(19, 120)))))
sendp(frames, iface="eth0", verbose=False)
print("sent %d frames" % len(frames))
PY
sleep 1
kill -0 "$(cat "$WORK/picketd.pid")" 2>/dev/null || fail "picketd died on malformed frames"
http_nas | grep -q "hello from freenas" || fail "picketd stopped forwarding after the garbage"
ctl stats | grep "not a well-formed" | grep -Eq "[1-9][0-9]*$" || fail "malformed frames were not counted"
inc ping -c 1 -W 2 -M do -s 1372 $NAS 2>&1 | grep -Eq "mtu ?= ?1280" ||
	fail "an oversized DF packet was not answered with fragmentation needed (mtu 1280)"
echo "picketd survived $((17 + 600)) malformed frames, counts them, keeps forwarding; PMTU answered"
