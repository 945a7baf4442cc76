#!/usr/bin/python3
"""Compare the kernel's verdicts with picket's: agree.py KERNEL.jsonl PICKET.jsonl

Prints every packet where they differ, then the counts; exits 1 on any
difference or when picket gave no verdict for a packet.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main(kernel_path, picket_path):
    kernel = load(kernel_path)
    picket = {o["n"]: o for o in load(picket_path) if "n" in o}
    agreed = 0
    for k in kernel:
        p = picket.get(k["n"])
        got = p["verdict"] if p else "(none)"
        if got == k["verdict"]:
            agreed += 1
        else:
            print("packet %d on %s: kernel %s, picket %s: %s" % (k["n"], k["iface"], k["verdict"], got, k["packet"]))
    counts = {}
    for k in kernel:
        counts[k["verdict"]] = counts.get(k["verdict"], 0) + 1
    print("packets compared: %d, agreed: %d (kernel: %s)" %
          (len(kernel), agreed, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    return 0 if kernel and agreed == len(kernel) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
