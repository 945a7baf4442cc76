#!/usr/bin/python3
"""A capture of a router's outbound NAT on both interfaces:

    gen_nat_capture.py OUT.pcapng [arrivals]

The router (lan0 192.168.1.1, wan0 203.0.113.2) kept the client's port
40000 where pf, without static-port, draws one from 50001:65535. Linux
cooked v2 frames say which ones the router sent; pcapng names the
interfaces. A TCP handshake and a UDP question and answer. With
"arrivals", only what the router received: no translated copy.
"""
import struct
import sys

from scapy.layers.inet import IP, TCP, UDP

from pcapng_writer import pcapng

LINKTYPE_LINUX_SLL2 = 276
CLIENT, ROUTER, SERVER = "192.168.1.10", "203.0.113.2", "198.51.100.7"


def sll2(ip, iface, sent):
    """The cooked v2 header: protocol, interface index, ARPHRD_ETHER,
    packet type (4: outgoing, 0: to us), no address."""
    return struct.pack(">HHIHBB8s", 0x0800, 0, {"lan0": 1, "wan0": 2}[iface], 1, 4 if sent else 0, 6,
                       b"") + bytes(ip)


def main(path, arrivals_only):
    t = 1.0
    pkts = []

    def hop(inner, outer, src_if, dst_if):
        """inner arrives on src_if; the router sends outer on dst_if."""
        nonlocal t
        pkts.append((t, src_if, sll2(inner, src_if, False)))
        if not arrivals_only:
            pkts.append((t + 0.00002, dst_if, sll2(outer, dst_if, True)))
        t += 0.001

    def up(l4, ttl=64):
        return IP(src=CLIENT, dst=SERVER, ttl=ttl) / l4

    def down(l4, dst, ttl=64):
        return IP(src=SERVER, dst=dst, ttl=ttl) / l4

    syn = TCP(sport=40000, dport=80, flags="S", seq=1000)
    hop(up(syn), IP(src=ROUTER, dst=SERVER, ttl=63) / syn, "lan0", "wan0")
    synack = TCP(sport=80, dport=40000, flags="SA", seq=5000, ack=1001)
    hop(down(synack, ROUTER), down(synack, CLIENT, 63), "wan0", "lan0")
    ack = TCP(sport=40000, dport=80, flags="A", seq=1001, ack=5001)
    hop(up(ack), IP(src=ROUTER, dst=SERVER, ttl=63) / ack, "lan0", "wan0")
    q = UDP(sport=40001, dport=53) / (b"q" * 20)
    hop(up(q), IP(src=ROUTER, dst=SERVER, ttl=63) / q, "lan0", "wan0")
    a = UDP(sport=53, dport=40001) / (b"a" * 40)
    hop(down(a, ROUTER), down(a, CLIENT, 63), "wan0", "lan0")
    with open(path, "wb") as f:
        f.write(pcapng(["lan0", "wan0"], pkts, LINKTYPE_LINUX_SLL2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:] == ["arrivals"]))
