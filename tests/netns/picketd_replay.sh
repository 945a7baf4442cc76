#!/bin/sh
# Replay agreement: capture what enters picketd's interfaces during a live
# run (ssh, http, https, a blocked port, ping), replay the captures with
# `picket replay`, and check it predicts, packet by packet and interface by
# interface, the verdict picketd gave (picketd's --verdict-log).
. "$(dirname "$0")/daemon/lib.sh"
pk_require tcpdump ping
pk_topology
pk_servers
pk_compile "$(dirname "$0")/daemon/block.conf"
pk_start

for ifc in lan0 opt1; do
	inf tcpdump -i $ifc -Q in -n -U -s 0 -w "$WORK/$ifc.pcap" >"$WORK/tcpdump-$ifc.log" 2>&1 &
	echo $! >"$WORK/tcpdump-$ifc.pid"
done
wait_for 10 grep -q "listening" "$WORK/tcpdump-lan0.log" || fail "tcpdump on lan0 did not start"
wait_for 10 grep -q "listening" "$WORK/tcpdump-opt1.log" || fail "tcpdump on opt1 did not start"
: >"$WORK/verdicts.log" # from here on, the same packets as the captures

ssh_nas 'echo replayed' >/dev/null || fail "ssh"
http_nas >/dev/null || fail "curl http"
https_nas >/dev/null || fail "curl https"
probe_port 8080 >/dev/null
inc ping -c 2 -W 2 $NAS >/dev/null || fail "ping"
ins ping -c 1 -W 1 $CLIENT >/dev/null
sleep 1
for ifc in lan0 opt1; do
	kill -TERM "$(cat "$WORK/tcpdump-$ifc.pid")"
done
# Bounded: a tcpdump that does not stop is killed after 10 s.
( sleep 10; kill -9 $(cat "$WORK"/tcpdump-*.pid) 2>/dev/null ) &
watchdog=$!
wait "$(cat "$WORK/tcpdump-lan0.pid")" "$(cat "$WORK/tcpdump-opt1.pid")"
kill $watchdog 2>/dev/null
wait $watchdog 2>/dev/null
rm -f "$WORK"/tcpdump-*.pid

timeout 60 "$PICKET" replay "$WORK/rules.pkb" "$WORK/lan0.pcap" "$WORK/opt1.pcap" --format jsonl \
	>"$WORK/replay.jsonl" 2>"$WORK/replay.err" || { cat "$WORK/replay.err"; fail "picket replay"; }

/usr/bin/python3 - "$WORK" <<'PY' || fail "replay does not predict picketd's verdicts"
import json, sys
work = sys.argv[1]
live = {"lan0": [], "opt1": []}
for line in open(work + "/verdicts.log"):
    t, ifc, verdict = line.split()[:3]
    live.setdefault(ifc, []).append(verdict)
pred = {"lan0": [], "opt1": []}
for line in open(work + "/replay.jsonl"):
    r = json.loads(line)
    # frames not IP (ARP) have a line, verdict skip; picketd logs IP packets
    if "n" not in r or r.get("verdict", "skip") == "skip":
        continue
    cap = r.get("capture", "")
    ifc = "lan0" if cap.endswith("lan0.pcap") else "opt1" if cap.endswith("opt1.pcap") else r["iface"]
    pred[ifc].append(r["verdict"])
bad = 0
for ifc in ("lan0", "opt1"):
    a, b = live[ifc], pred[ifc]
    agree = sum(1 for x, y in zip(a, b) if x == y)
    print("%s: picketd %d packets, replay %d packets, %d verdicts agree" % (ifc, len(a), len(b), agree))
    if len(a) != len(b) or agree != len(a):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                print("  first difference at packet %d on %s: picketd %s, replay %s" % (i + 1, ifc, x, y))
                break
        bad = 1
blocked = sum(v != "pass" for v in live["lan0"] + live["opt1"])
print("blocked or refused live: %d" % blocked)
sys.exit(1 if bad or blocked == 0 or not live["lan0"] else 0)
PY
echo "picket replay predicted every verdict picketd gave"
