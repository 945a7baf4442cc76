"""Write pcapng with named interfaces: the if_name of a packet's interface
is the firewall interface it arrived on, which `picket replay` reads."""
import struct


def _block(btype, body):
    body += b"\0" * (-len(body) % 4)
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def pcapng(ifaces, packets, linktype=1):
    """ifaces: names, in id order; packets: (time in seconds, iface name,
    frame bytes of linktype, Ethernet unless told). Timestamps in
    microseconds."""
    out = [_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))]
    for name in ifaces:
        opt = name.encode()
        opts = struct.pack("<HH", 2, len(opt)) + opt + b"\0" * (-len(opt) % 4)
        opts += struct.pack("<HHBxxx", 9, 1, 6)  # if_tsresol: microseconds
        opts += struct.pack("<HH", 0, 0)
        out.append(_block(1, struct.pack("<HHI", linktype, 0, 65535) + opts))
    for t, iface, frame in packets:
        us = int(round(t * 1e6))
        hdr = struct.pack("<IIIII", ifaces.index(iface), us >> 32, us & 0xFFFFFFFF, len(frame), len(frame))
        out.append(_block(6, hdr + frame))
    return b"".join(out)
