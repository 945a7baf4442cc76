#!/usr/bin/python3
"""Derive the kernel's verdict for every packet that entered the firewall.

    kernel_verdicts.py OUTDIR IFACE=CAPTURE=MAC ...

Each CAPTURE was taken with tcpdump on one firewall interface, both
directions; MAC is that interface's own address, so a frame from MAC left
the firewall and any other frame entered it. For every IP packet that
entered, in time order:
  pass    the same packet (protocol, IP id, transport header and payload;
          addresses, ports, TTL and checksums aside, which translation
          and forwarding change) left by another interface;
  reject  the firewall answered it: a TCP RST for that connection, or an
          ICMP error quoting its header, left by the interface it came in;
  block   neither.
Writes OUTDIR/ingress.pcapng (the entering packets, each on the interface
it arrived on: what `picket replay` reads) and OUTDIR/kernel.jsonl ({"n",
"verdict", "iface", "packet"}).
"""
import json
import os
import sys

from scapy.layers.inet import ICMP, IP, TCP, IPerror, TCPerror, UDPerror
from scapy.layers.l2 import Ether
from scapy.utils import rdpcap

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "replay"))
from pcapng_writer import pcapng  # noqa: E402


def identity(ip):
    """What survives forwarding unchanged, translation included: the IP id
    and the transport header and payload without the ports (and the
    checksums, which translation rewrites), or for ICMP the message
    without its checksum."""
    l4 = bytes(ip.payload)
    if ip.proto == 6 and len(l4) >= 20:
        l4 = l4[4:16] + l4[18:]
    elif ip.proto == 17 and len(l4) >= 8:
        l4 = l4[4:6] + l4[8:]
    elif ip.proto == 1 and len(l4) >= 4:
        l4 = l4[:2] + l4[4:]
    return (ip.proto, ip.id, l4)


def describe(ip):
    return ip.summary()


def answered(entering, left):
    """Did the firewall answer `entering` with an RST or an ICMP error in `left`?"""
    ip = entering
    for t, out in left:
        if out.dst != ip.src:
            continue
        if ip.haslayer(TCP) and out.haslayer(TCP) and out[TCP].flags.R and \
                out[TCP].sport == ip[TCP].dport and out[TCP].dport == ip[TCP].sport:
            return True
        if out.haslayer(ICMP) and out[ICMP].type == 3 and out.haslayer(IPerror):
            q = out[IPerror]
            if q.src == ip.src and q.dst == ip.dst and q.id == ip.id:
                return True
    return False


def main(outdir, specs):
    entering, leaving = [], {}
    names = []
    for spec in specs:
        iface, path, mac = spec.split("=")
        names.append(iface)
        leaving[iface] = []
        for fr in rdpcap(path):
            if not fr.haslayer(IP) or not fr.haslayer(Ether):
                continue
            if fr[Ether].src.lower() == mac.lower():
                leaving[iface].append((float(fr.time), fr[IP]))
            else:
                entering.append((float(fr.time), iface, fr))
    entering.sort(key=lambda e: e[0])
    forwarded = {}
    for iface, pkts in leaving.items():
        for t, ip in pkts:
            forwarded.setdefault(identity(ip), []).append((t, iface))
    lines = []
    for n, (t, iface, fr) in enumerate(entering, 1):
        ip = fr[IP]
        outs = [o for o in forwarded.get(identity(ip), []) if o[1] != iface and o[0] >= t - 0.001]
        if outs:
            verdict = "pass"
        elif answered(ip, [x for x in leaving[iface] if x[0] >= t - 0.001 and x[0] <= t + 1.0]):
            verdict = "reject"
        else:
            verdict = "block"
        lines.append({"n": n, "verdict": verdict, "iface": iface, "packet": describe(ip)})
    with open(os.path.join(outdir, "ingress.pcapng"), "wb") as f:
        f.write(pcapng(names, [(t, iface, bytes(fr)) for t, iface, fr in entering]))
    with open(os.path.join(outdir, "kernel.jsonl"), "w") as f:
        for obj in lines:
            f.write(json.dumps(obj) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
