#!/usr/bin/python3
"""A capture of `tcpdump -i any` as pcapng with interface names:

    any_to_pcapng.py ANY.pcap OUT.pcapng INDEX=NAME ...

tcpdump's "any" device records every frame in Linux cooked v2 form, which
names the interface by its index and says whether the host sent the frame;
pcapng is where `picket replay` reads interface names. The frames are kept
as they are; those of interfaces not named (lo) are left out.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "replay"))
from pcapng_writer import pcapng  # noqa: E402

LINKTYPE_LINUX_SLL2 = 276


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    scale = 1e-9 if magic in (0xA1B23C4D, 0x4D3CB2A1) else 1e-6
    if struct.unpack(end + "I", data[20:24])[0] != LINKTYPE_LINUX_SLL2:
        sys.exit("%s: not a Linux cooked v2 capture (tcpdump -i any -y LINUX_SLL2)" % path)
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(end + "IIII", data[off:off + 16])
        yield sec + frac * scale, data[off + 16:off + 16 + incl]
        off += 16 + incl


def main(src, dst, specs):
    names = dict((int(i), n) for i, n in (s.split("=") for s in specs))
    kept = [(t, names[struct.unpack(">I", fr[4:8])[0]], fr) for t, fr in frames(src)
            if len(fr) >= 20 and struct.unpack(">I", fr[4:8])[0] in names]
    with open(dst, "wb") as f:
        f.write(pcapng(sorted(set(names.values())), kept, LINKTYPE_LINUX_SLL2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
