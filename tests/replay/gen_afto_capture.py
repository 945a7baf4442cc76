#!/usr/bin/python3
"""A capture of a NAT64 router (afto.conf) on both its interfaces:

    gen_afto_capture.py OUT.pcapng

The IPv6 client 2001:db8:1::10 on lan0 opens TCP port 80 of 203.0.113.7
through the well-known prefix (64:ff9b::cb00:7107) and pings it. The
router translated the connection from 198.51.100.2 port 61000 (pf draws
the port as nat-to does; the replay draws its own and takes this one from
the copy the router sent, marked outgoing in the Linux cooked header);
the server's IPv4 replies come back on wan0 to it. Last, a SYN+ACK to
another port, of no connection. Built with the standard library only (no
scapy): deterministic bytes, checksums included.
"""
import ipaddress
import struct
import sys

from pcapng_writer import pcapng

CLIENT, SERVER64 = "2001:db8:1::10", "64:ff9b::cb00:7107"
ROUTER4, SERVER4 = "198.51.100.2", "203.0.113.7"
SYN, ACK = 0x02, 0x10
LINKTYPE_LINUX_SLL2 = 276


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


def ip6(src, dst, nxt, l4, sum_at, hlim=64):
    pseudo = addr(src) + addr(dst) + struct.pack("!I3xB", len(l4), nxt)
    l4 = with_sum(l4, sum_at, pseudo)
    return struct.pack("!IHBB", 6 << 28, len(l4), nxt, hlim) + addr(src) + addr(dst) + l4


def ip4(src, dst, proto, l4, sum_at, ttl=60):
    pseudo = addr(src) + addr(dst) + struct.pack("!xBH", proto, len(l4))
    l4 = with_sum(l4, sum_at, pseudo if proto != 1 else b"")
    hdr = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(l4), 1, 0x4000, ttl, proto, 0) + addr(src) + addr(dst)
    return hdr[:10] + struct.pack("!H", cksum(hdr)) + hdr[12:] + l4


def sll2(ip, iface, sent):
    """The Linux cooked v2 header: protocol, interface index, ARPHRD_ETHER,
    packet type (4: sent by the router, 0: to it), no address."""
    kind = 0x86DD if ip[0] >> 4 == 6 else 0x0800
    return struct.pack(">HHIHBB8s", kind, 0, {"lan0": 1, "wan0": 2}[iface], 1, 4 if sent else 0, 6, b"") + ip


def main(path):
    PORT = 61000  # the router's draw
    syn6, syn4 = tcp(40000, 80, SYN, 1000, 0), tcp(PORT, 80, SYN, 1000, 0)
    synack4, synack6 = tcp(80, PORT, SYN | ACK, 5000, 1001), tcp(80, 40000, SYN | ACK, 5000, 1001)
    ack6, ack4 = tcp(40000, 80, ACK, 1001, 5001), tcp(PORT, 80, ACK, 1001, 5001)
    ping6, ping4 = struct.pack("!BBHHH", 128, 0, 0, 7, 1), struct.pack("!BBHHH", 8, 0, 0, 7, 1)
    pong4, pong6 = struct.pack("!BBHHH", 0, 0, 0, 7, 1), struct.pack("!BBHHH", 129, 0, 0, 7, 1)
    frames = [
        ("lan0", False, ip6(CLIENT, SERVER64, 6, syn6, 16)),
        ("wan0", True, ip4(ROUTER4, SERVER4, 6, syn4, 16, 63)),
        ("wan0", False, ip4(SERVER4, ROUTER4, 6, synack4, 16)),
        ("lan0", True, ip6(SERVER64, CLIENT, 6, synack6, 16, 59)),
        ("lan0", False, ip6(CLIENT, SERVER64, 6, ack6, 16)),
        ("wan0", True, ip4(ROUTER4, SERVER4, 6, ack4, 16, 63)),
        ("lan0", False, ip6(CLIENT, SERVER64, 58, ping6, 2)),
        ("wan0", True, ip4(ROUTER4, SERVER4, 1, ping4, 2, 63)),
        ("wan0", False, ip4(SERVER4, ROUTER4, 1, pong4, 2)),
        ("lan0", True, ip6(SERVER64, CLIENT, 58, pong6, 2, 59)),
        ("wan0", False, ip4(SERVER4, ROUTER4, 6, tcp(80, 40001, SYN | ACK, 9, 1), 16)),
    ]
    pkts = [(1.0 + k / 1000, iface, sll2(ip, iface, sent)) for k, (iface, sent, ip) in enumerate(frames)]
    with open(path, "wb") as f:
        f.write(pcapng(["lan0", "wan0"], pkts, LINKTYPE_LINUX_SLL2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
