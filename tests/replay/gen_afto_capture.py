#!/usr/bin/python3
"""A capture of a NAT64 router (afto.conf) as it receives:

    gen_afto_capture.py OUT.pcapng

The IPv6 client 2001:db8:1::10 on lan0 opens TCP port 80 of 203.0.113.7
through the well-known prefix (64:ff9b::cb00:7107) and pings it; the
server's IPv4 replies come back on wan0 to the router's address
198.51.100.2, to the port and echo id the client chose. Last, a SYN+ACK
to another port, of no connection. Built with the standard library only
(no scapy): deterministic bytes, checksums included.
"""
import ipaddress
import struct
import sys

from pcapng_writer import pcapng

CLIENT, SERVER64 = "2001:db8:1::10", "64:ff9b::cb00:7107"
ROUTER4, SERVER4 = "198.51.100.2", "203.0.113.7"
SYN, ACK = 0x02, 0x10


def cksum(data):
    data += b"\0" * (len(data) % 2)
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def addr(a):
    return ipaddress.ip_address(a).packed


def tcp(sport, dport, flags, seq, ack):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)


def with_sum(l4, at, pseudo):
    s = cksum(pseudo + l4)
    return l4[:at] + struct.pack("!H", s) + l4[at + 2:]


def ip6(src, dst, nxt, l4, sum_at):
    pseudo = addr(src) + addr(dst) + struct.pack("!I3xB", len(l4), nxt)
    l4 = with_sum(l4, sum_at, pseudo)
    return struct.pack("!IHBB", 6 << 28, len(l4), nxt, 64) + addr(src) + addr(dst) + l4


def ip4(src, dst, proto, l4, sum_at):
    pseudo = addr(src) + addr(dst) + struct.pack("!xBH", proto, len(l4))
    l4 = with_sum(l4, sum_at, pseudo if proto != 1 else b"")
    hdr = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4), 1, 0, 60, proto, 0) + addr(src) + addr(dst)
    return hdr[:10] + struct.pack("!H", cksum(hdr)) + hdr[12:] + l4


def ether(ip):
    kind = 0x86DD if ip[0] >> 4 == 6 else 0x0800
    return bytes.fromhex("020000000002020000000001") + struct.pack("!H", kind) + ip


def main(path):
    pkts = []
    for k, (iface, ip) in enumerate([
        ("lan0", ip6(CLIENT, SERVER64, 6, tcp(40000, 80, SYN, 1000, 0), 16)),
        ("wan0", ip4(SERVER4, ROUTER4, 6, tcp(80, 40000, SYN | ACK, 5000, 1001), 16)),
        ("lan0", ip6(CLIENT, SERVER64, 6, tcp(40000, 80, ACK, 1001, 5001), 16)),
        ("lan0", ip6(CLIENT, SERVER64, 58, struct.pack("!BBHHH", 128, 0, 0, 7, 1), 2)),
        ("wan0", ip4(SERVER4, ROUTER4, 1, struct.pack("!BBHHH", 0, 0, 0, 7, 1), 2)),
        ("wan0", ip4(SERVER4, ROUTER4, 6, tcp(80, 40001, SYN | ACK, 9, 1), 16)),
    ]):
        pkts.append((1.0 + k / 1000, iface, ether(ip)))
    with open(path, "wb") as f:
        f.write(pcapng(["lan0", "wan0"], pkts))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
