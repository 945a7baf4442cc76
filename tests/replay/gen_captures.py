#!/usr/bin/python3
"""Build the replay scenario captures: tests/replay/gen_captures.py OUTDIR [NAME[:FILE]...]

Writes OUTDIR/NAME.pcapng (or OUTDIR/FILE) for each scenario named, or for
all of them. The bundled captures are `gen_captures.py examples
example:freenas.pcapng example-synproxy:freenas-synproxy.pcapng`.

Each scenario is a list of packets, each seen on a firewall interface at a
capture time, written as pcapng with one Interface Description Block per
interface (its if_name is the interface the packet arrived on). Everything
is deterministic: fixed addresses, ports, sequence numbers and clock, so
the expected verdicts in tests/replay/NAME.expected stay valid. Run with
Debian's python3 (python3-scapy).
"""
import os
import sys

from scapy.layers.inet import ICMP, IP, TCP, UDP, fragment
from scapy.layers.l2 import Ether
from scapy.packet import Raw

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapng_writer import pcapng  # noqa: E402

IFACES = ["lan0", "opt1", "wan0"]
T0 = 1700000000.0
CLIENT, CLIENT2, NAS, FW_LAN = "192.168.1.10", "192.168.1.11", "10.0.10.5", "192.168.1.1"
FW_WAN, WEB = "203.0.113.2", "198.51.100.7"
DMZ_NAT_PORT = 53832  # the port the replay's NAT draws (its random generator has a fixed seed)


class Capture:
    def __init__(self, ifaces=None):
        self.packets = []
        self.ifaces = ifaces or IFACES

    def add(self, t, iface, pkt):
        frame = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / pkt
        self.packets.append((T0 + t, iface, bytes(frame)))


class Tcp:
    """One TCP connection: client on the LAN side, server behind the firewall."""

    def __init__(self, cap, client, cport, server, sport, cif="lan0", sif="opt1", proxy=False, nat=None):
        self.cap, self.c, self.cp, self.s, self.sp = cap, client, cport, server, sport
        # Behind outbound NAT the server answers the translated address and port.
        self.reply_to = nat or (client, cport)
        self.cif, self.sif = cif, sif
        self.cseq, self.sseq = 1000000 + cport, 5000000 + sport
        # Through synproxy each peer talks to the firewall's own ISN:
        # acknowledgements are offset from the other peer's sequence.
        self.cack_off = 7000000 - self.sseq if proxy else 0
        self.sack_off = 9000000 - self.cseq if proxy else 0

    def cli(self, t, flags, data=b"", iface=None):
        p = IP(src=self.c, dst=self.s, id=self.cp) / TCP(sport=self.cp, dport=self.sp, flags=flags, seq=self.cseq,
                                                        ack=self.sseq + self.cack_off if "A" in flags else 0,
                                                        window=64240)
        self.cap.add(t, iface or self.cif, p / Raw(data) if data else p)
        self.cseq += len(data) + ("S" in flags) + ("F" in flags)

    def srv(self, t, flags, data=b"", iface=None, seq_skew=0):
        dst, dport = self.reply_to
        p = IP(src=self.s, dst=dst, id=self.sp) / TCP(sport=self.sp, dport=dport, flags=flags,
                                                        seq=self.sseq + seq_skew, ack=self.cseq + self.sack_off,
                                                        window=65160)
        self.cap.add(t, iface or self.sif, p / Raw(data) if data else p)
        if not seq_skew:
            self.sseq += len(data) + ("S" in flags) + ("F" in flags)

    def handshake(self, t):
        self.cli(t, "S")
        self.srv(t + 0.001, "SA")
        self.cli(t + 0.002, "A")

    def proxied_handshake(self, t):
        """The client completes its handshake with the firewall, which then
        opens the server's side: the server's SYN+ACK comes last."""
        self.cli(t, "S")
        self.sseq += 1  # the client acknowledges the firewall's SYN+ACK
        self.cli(t + 0.001, "A")
        self.sseq -= 1
        self.srv(t + 0.002, "SA")


def udp(cap, t, iface, src, dst, sport, dport, data=b"q"):
    cap.add(t, iface, IP(src=src, dst=dst) / UDP(sport=sport, dport=dport) / Raw(data))


def freenas():
    """LAN client to FreeNAS: SSH, HTTP, HTTPS pass; the rest is blocked or rejected."""
    cap = Capture()
    ssh = Tcp(cap, CLIENT, 40022, NAS, 22)
    ssh.handshake(0.0)                                 # 1-3
    ssh.cli(0.010, "PA", b"SSH-2.0-client\r\n")        # 4
    ssh.srv(0.011, "PA", b"SSH-2.0-freenas\r\n")       # 5
    ssh.cli(0.020, "FA")                               # 6
    ssh.srv(0.021, "FA")                               # 7
    ssh.cli(0.022, "A")                                # 8
    Tcp(cap, CLIENT, 40080, NAS, 80).handshake(1.0)    # 9-11
    Tcp(cap, CLIENT, 40443, NAS, 443).handshake(2.0)   # 12-14
    Tcp(cap, CLIENT, 40023, NAS, 23).cli(3.0, "S")     # 15 telnet: blocked
    udp(cap, 4.0, "lan0", CLIENT, NAS, 40161, 161)     # 16 snmp: rejected
    cap.add(5.0, "lan0", IP(src=CLIENT, dst=NAS) / ICMP(type=8, id=7, seq=1))  # 17 ping
    cap.add(5.001, "opt1", IP(src=NAS, dst=CLIENT) / ICMP(type=0, id=7, seq=1))  # 18 reply
    Tcp(cap, NAS, 50022, CLIENT, 22, cif="opt1").cli(6.0, "S")  # 19 server-initiated: blocked
    Tcp(cap, CLIENT, 40122, FW_LAN, 22).cli(7.0, "S")  # 20 to the firewall itself
    udp(cap, 8.0, "lan0", CLIENT, "8.8.8.8", 40053, 53)  # 21 to the internet: blocked
    return cap


def states():
    """keep vs sloppy vs synproxy, and replies arriving on another interface."""
    cap = Capture()
    keep = Tcp(cap, CLIENT, 41022, NAS, 22)
    keep.handshake(0.0)                                # 1-3
    keep.srv(0.010, "PA", b"x" * 100, seq_skew=3000000)  # 4 far outside the window: keep blocks
    sloppy = Tcp(cap, CLIENT, 41080, NAS, 80)
    sloppy.handshake(1.0)                              # 5-7
    sloppy.srv(1.010, "PA", b"x" * 100, seq_skew=3000000)  # 8 sloppy lets it through
    Tcp(cap, CLIENT, 41443, NAS, 443).cli(2.0, "S")    # 9 synproxy: the firewall answers
    asym = Tcp(cap, CLIENT2, 42022, NAS, 22)
    asym.cli(3.0, "S")                                 # 10
    asym.srv(3.001, "SA", iface="wan0")                # 11 the reply comes back by wan0
    asym.cli(4.0, "S")                                 # 12 the client retries
    return cap


def asym():
    """Asymmetric routing: the firewall sees only the client's half (the blog's stall)."""
    cap = Capture()
    c = Tcp(cap, CLIENT, 43443, NAS, 443)
    c.cli(0.0, "S")                                    # 1
    c.sseq += 1                                        # the server's SYN+ACK went another way
    c.cli(0.002, "A")                                  # 2
    c.cli(0.003, "PA", b"GET / HTTP/1.1\r\n\r\n")      # 3
    c.cli(3.0, "FA")                                   # 4
    return cap


def reject():
    """block return per protocol: RST for TCP, ICMP for UDP, nothing for others."""
    cap = Capture()
    Tcp(cap, CLIENT, 44023, NAS, 23).cli(0.0, "S")     # 1 TCP: RST
    udp(cap, 1.0, "lan0", CLIENT, NAS, 44161, 161)     # 2 UDP: ICMP port unreachable
    cap.add(2.0, "lan0", IP(src=CLIENT, dst=NAS, proto=47) / Raw(b"\0\0\x08\0"))  # 3 GRE: silent
    cap.add(3.0, "lan0", IP(src=CLIENT, dst=NAS) / ICMP(type=8, id=9, seq=1))  # 4 ICMP: silent
    Tcp(cap, CLIENT, 44024, "10.0.10.6", 23).cli(4.0, "S")  # 5 block drop: silent
    Tcp(cap, CLIENT, 44025, "10.0.10.7", 23).cli(5.0, "S")  # 6 return-icmp: ICMP for TCP
    Tcp(cap, CLIENT, 44026, NAS, 23).cli(6.0, "R")     # 7 a RST is never answered
    return cap


def expire():
    """States expire in capture time; a six-hour idle gap behaves as live."""
    cap = Capture()
    udp(cap, 0.0, "lan0", CLIENT, NAS, 45053, 53)      # 1 query
    udp(cap, 0.010, "opt1", NAS, CLIENT, 53, 45053)    # 2 reply: both sides spoke
    udp(cap, 25.0, "opt1", NAS, CLIENT, 53, 45053)     # 3 within udp.single (30 s): only the
    #                                                    client became MULTIPLE, as in pf
    udp(cap, 120.0, "opt1", NAS, CLIENT, 53, 45053)    # 4 95 s idle: expired
    cap.add(200.0, "lan0", IP(src=CLIENT, dst=NAS) / ICMP(type=8, id=11, seq=1))  # 5
    cap.add(235.0, "opt1", IP(src=NAS, dst=CLIENT) / ICMP(type=0, id=11, seq=1))  # 6 icmp.first 20 s: expired
    c = Tcp(cap, CLIENT, 45022, NAS, 22)
    c.handshake(300.0)                                 # 7-9
    c.srv(300.0 + 6 * 3600, "PA", b"six hours later")  # 10 tcp.established: normal 24 h, aggressive 5 h
    return cap


def adaptive():
    """Ten UDP states in a table of ten: the eleventh is refused; timeouts scale down."""
    cap = Capture()
    for i in range(11):                                # 1-11
        udp(cap, i * 0.1, "lan0", CLIENT, NAS, 46000 + i, 53)
    udp(cap, 40.0, "opt1", NAS, CLIENT, 53, 46000)     # 12 udp.first 60 s, scaled to 20 s
    return cap


def example():
    """The bundled capture of examples/freenas.conf, replayed by `make demo`:
    both legs of every forwarded connection (the client in on lan0, the
    server in on opt1 or wan0)."""
    cap = Capture()
    ssh = Tcp(cap, CLIENT, 51022, NAS, 22)
    ssh.handshake(0.0)                                 # 1-3 admin SSH
    ssh.cli(0.010, "PA", b"SSH-2.0-client\r\n")       # 4
    ssh.srv(0.011, "PA", b"SSH-2.0-freenas\r\n")      # 5
    web = Tcp(cap, CLIENT, 51080, NAS, 80)
    web.handshake(1.0)                                 # 6-8 HTTP
    web.cli(1.010, "PA", b"GET / HTTP/1.1\r\n\r\n")    # 9
    web.srv(1.011, "PA", b"HTTP/1.1 200 OK\r\n\r\n")   # 10
    tls = Tcp(cap, CLIENT, 51443, NAS, 443)
    tls.handshake(2.0)                                 # 11-13 HTTPS
    tls.cli(2.010, "PA", b"\x16\x03\x01\x00\x05hello")  # 14
    tls.srv(2.011, "PA", b"\x16\x03\x03\x00\x05hello")  # 15
    cap.add(3.0, "lan0", IP(src=CLIENT, dst=NAS) / ICMP(type=8, id=3, seq=1))  # 16 ping
    cap.add(3.001, "opt1", IP(src=NAS, dst=CLIENT) / ICMP(type=0, id=3, seq=1))  # 17 its reply
    Tcp(cap, CLIENT, 51023, NAS, 23).cli(4.0, "S")     # 18 telnet: refused with a RST
    udp(cap, 5.0, "lan0", CLIENT, NAS, 51161, 161)     # 19 SNMP: ICMP port unreachable
    Tcp(cap, "192.168.1.200", 51024, NAS, 22).cli(6.0, "S")  # 20 not an admin: refused
    Tcp(cap, NAS, 52022, CLIENT, 22, cif="opt1").cli(7.0, "S")  # 21 the box calls the LAN: blocked
    # 22-24 to the Internet behind the WAN address: 55823 is the port the
    # replay's NAT draws for it (its random generator has a fixed seed).
    out = Tcp(cap, CLIENT, 51100, WEB, 443, sif="wan0", nat=(FW_WAN, 55823))
    out.handshake(8.0)
    return cap


def example_synproxy():
    """The bundled capture of examples/freenas-synproxy.conf: the stall."""
    cap = Capture()
    ssh = Tcp(cap, CLIENT, 51022, NAS, 22, proxy=True)
    ssh.proxied_handshake(0.0)                         # 1-3 admin SSH, through synproxy
    ssh.cli(0.010, "PA", b"SSH-2.0-client\r\n")       # 4
    ssh.srv(0.011, "PA", b"SSH-2.0-freenas\r\n")      # 5
    Tcp(cap, CLIENT, 51443, NAS, 443, proxy=True).proxied_handshake(1.0)  # 6-8 HTTPS
    cap.add(2.0, "lan0", IP(src=CLIENT, dst=NAS) / ICMP(type=8, id=3, seq=1))  # 9 ping
    cap.add(2.001, "opt1", IP(src=NAS, dst=CLIENT) / ICMP(type=0, id=3, seq=1))  # 10 its reply
    Tcp(cap, CLIENT, 51023, NAS, 23).cli(3.0, "S")     # 11 telnet: refused with a RST
    Tcp(cap, "192.168.1.200", 51024, NAS, 22).cli(4.0, "S")  # 12 not an admin: refused
    udp(cap, 5.0, "lan0", CLIENT, NAS, 51161, 161)     # 13 SNMP: ICMP port unreachable
    Tcp(cap, NAS, 52022, CLIENT, 22, cif="opt1").cli(6.0, "S")  # 14 the box calls the LAN: blocked
    Tcp(cap, CLIENT, 51080, "198.51.100.7", 443).cli(7.0, "S")  # 15 passes in, blocked out on wan0
    stall = Tcp(cap, "192.168.1.20", 53080, NAS, 80, proxy=True)  # 16-19 the server never answers
    stall.cli(8.0, "S")
    stall.sseq += 1
    stall.cli(8.002, "A")
    stall.cli(8.003, "PA", b"GET / HTTP/1.1\r\n\r\n")
    stall.cli(11.0, "PA", b"GET / HTTP/1.1\r\n\r\n")
    return cap


def overload():
    """A client over max-src-conn lands in the overload table and loses its states."""
    cap = Capture()
    first = Tcp(cap, CLIENT, 47001, NAS, 22)
    first.handshake(0.0)                               # 1-3
    Tcp(cap, CLIENT, 47002, NAS, 22).handshake(1.0)    # 4-6
    Tcp(cap, CLIENT2, 47001, NAS, 22).handshake(1.5)   # 7-9 another client
    Tcp(cap, CLIENT, 47003, NAS, 22).handshake(2.0)    # 10-12 the third: its ACK is over the limit
    first.cli(3.0, "PA", b"ls\n")                     # 13 flushed: meets the table
    Tcp(cap, CLIENT, 47004, NAS, 22).cli(4.0, "S")     # 14 a new SYN: the table blocks it
    udp(cap, 5.0, "lan0", CLIENT, NAS, 47053, 53)      # 15 the table is read by every rule
    Tcp(cap, CLIENT2, 47001, NAS, 22).cli(6.0, "PA", b"ls\n")  # 16 the other client goes on
    return cap


def matchrdr():
    """A web server behind `match in ... rdr-to`: the pass rule names the internal address."""
    cap = Capture()
    web = Tcp(cap, WEB, 48080, FW_WAN, 80, cif="wan0", sif="opt1")
    web.reply_to = (WEB, 48080)
    web.cli(0.0, "S")                                  # 1 to the public address: redirected
    p = IP(src=NAS, dst=WEB, id=80) / TCP(sport=80, dport=48080, flags="SA", seq=web.sseq, ack=web.cseq,
                                         window=65160)
    cap.add(0.001, "opt1", p)                          # 2 the server answers from its own address
    web.sseq += 1
    web.cli(0.002, "A")                                # 3
    Tcp(cap, WEB, 48081, FW_WAN, 8080, cif="wan0").cli(1.0, "S")  # 4 no redirection: blocked
    return cap


def dmz():
    """examples/dmz.conf: a port forward by a match rule's rdr-to (through
    synproxy), the office behind a match rule's nat-to, the DMZ refused
    towards the office."""
    cap = Capture(["lan0", "dmz0", "wan0"])
    pub, web, office = "203.0.113.5", "172.16.0.10", "10.0.0.20"
    Tcp(cap, WEB, 50080, pub, 80, cif="wan0").cli(0.0, "S")  # 1 redirected to the web server: synproxy answers
    Tcp(cap, WEB, 50022, pub, 22, cif="wan0").cli(1.0, "S")  # 2 no forward for ssh: blocked
    out = Tcp(cap, office, 40443, WEB, 443, sif="wan0", nat=(pub, DMZ_NAT_PORT))
    out.handshake(2.0)                                 # 3-5 the office goes out behind the public address
    Tcp(cap, office, 40080, web, 80, sif="dmz0").handshake(3.0)  # 6-8 the office reaches the DMZ
    Tcp(cap, web, 33022, office, 22, cif="dmz0").cli(4.0, "S")  # 9 the DMZ towards the office: refused
    return cap


def frag():
    """Fragmented datagrams: reassembled before the rules by default; with
    `set reassemble no` each fragment meets the rules, showing no ports."""
    cap = Capture()

    def pieces(t, pkt, size=1480):
        for k, piece in enumerate(fragment(pkt, fragsize=size)):
            cap.add(t + k * 0.001, "lan0", piece)

    dns = IP(src=CLIENT, dst=NAS, id=101) / UDP(sport=40053, dport=53) / Raw(b"d" * 3000)
    pieces(0.0, dns)                                                  # 1-3 to port 53
    udp(cap, 1.0, "lan0", CLIENT, NAS, 40054, 53)                     # 4 whole
    other = IP(src=CLIENT, dst=NAS, id=102) / UDP(sport=40099, dport=9999) / Raw(b"o" * 2000)
    pieces(2.0, other)                                                # 5-6 to port 9999
    df = IP(src=CLIENT, dst=NAS, id=103, flags="DF") / UDP(sport=40055, dport=53) / Raw(b"f" * 2000)
    pieces(3.0, df)                                                   # 7-8 with DF set
    return cap


SCENARIOS = {"frag": frag, "freenas": freenas, "overload": overload, "matchrdr": matchrdr, "dmz": dmz, "states": states, "asym": asym, "reject": reject, "expire": expire,
             "adaptive": adaptive, "example": example,
             "example-synproxy": example_synproxy}


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    for spec in argv[2:] or sorted(SCENARIOS):
        name, _, file = spec.partition(":")
        path = os.path.join(outdir, file or name + ".pcapng")
        cap = SCENARIOS[name]()
        with open(path + ".tmp", "wb") as f:
            f.write(pcapng(cap.ifaces, cap.packets))
        os.replace(path + ".tmp", path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
