#!/usr/bin/python3
"""Compare `picket replay --format jsonl` output with expected verdicts.

    compare.py EXPECTED ACTUAL

EXPECTED holds a subset of each packet's fields: n (required), verdict,
iface, dir, reason, to_self, state (the event: created, matched, related,
or "-" for none), rule_line, generated (how many packets the firewall
sent). Lines {"stalled": {"first": N}} list the stalled connections the
report must name, exactly. Prints one line per disagreement and a count.
"""
import json
import sys


def actual_field(obj, key):
    if key == "state":
        return (obj.get("state") or {}).get("event", "-")
    if key == "rule_line":
        return (obj.get("rule") or {}).get("line")
    if key == "generated":
        return len(obj.get("generated", []))
    if key == "to_self":
        return obj.get("to_self", False)
    return obj.get(key)


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def main(expected_path, actual_path):
    expected, actual = load(expected_path), load(actual_path)
    by_n = {o["n"]: o for o in actual if "n" in o}
    stalled = sorted(o["stalled"]["first"] for o in actual if "stalled" in o)
    want_stalled = sorted(o["stalled"]["first"] for o in expected if "stalled" in o)
    checked = agreed = 0
    for exp in (o for o in expected if "n" in o):
        checked += 1
        got = by_n.get(exp["n"])
        if got is None:
            print("packet %d: no verdict in the output" % exp["n"])
            continue
        bad = ["%s: expected %r, got %r" % (k, v, actual_field(got, k))
               for k, v in sorted(exp.items()) if k != "n" and actual_field(got, k) != v]
        if bad:
            print("packet %d (%s): %s" % (exp["n"], got.get("packet", ""), "; ".join(bad)))
        else:
            agreed += 1
    ok = agreed == checked
    if stalled != want_stalled:
        print("stalled connections: expected those opened by packets %s, got %s" % (want_stalled, stalled))
        ok = False
    print("%s: %d packets replayed, %d checked, %d agreed; stalled connections %s" %
          (expected_path, len(by_n), checked, agreed, "agree" if stalled == want_stalled else "DISAGREE"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
