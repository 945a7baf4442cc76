#!/bin/sh
# pfSense and OPNsense config.xml read by every command: import prints the
# pf rules, which diff finds equivalent to the config.xml itself; lint's
# SARIF points into config.xml and names rules as the GUI does; hostile or
# foreign XML is refused with a located message and exit 2. Every fixture,
# and every file of the corpus when it is there, imports and checks.
set -u
. "$(dirname "$0")/../support/e2e.sh"
fx=$root/tests/configxml/fixtures
corpus=${PICKET_CONFIGXML_CORPUS:-$root/tests/configxml/corpus}
schema=${PICKET_SARIF_SCHEMA:-$root/../shared/schemas/sarif-schema-2.1.0.json}

expect() { # expect STATUS DESCRIPTION COMMAND...
	want=$1 what=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	[ "$got" -eq "$want" ] || { fail "$what: exit $got, want $want"; sed 's/^/    /' "$tmp/err" | head -10; }
}

# every command takes the config.xml; import's text is the same ruleset
cfg=$fx/pfsense-2.7.xml
expect 0 "check config.xml" "$picket" check "$cfg"
expect 0 "print config.xml" "$picket" print "$cfg"
expect 0 "compile config.xml" "$picket" compile "$cfg" -o "$tmp/c.pkb"
expect 0 "explain config.xml" "$picket" explain "$cfg" 'tcp from 192.168.1.10 port 5555 to 172.16.10.5 port 443 in on em1 flags S'
grep -q "LAN rule 1 'Default allow LAN to any rule', tracker 1681417500" "$tmp/out" ||
	fail "explain does not name the deciding rule as the GUI does"
expect 0 "query config.xml" "$picket" query "$cfg" 'in on em0 proto tcp from any to 172.16.10.5 port 22'
grep -q "WAN rule 1 'NAT SSH to DMZ', tracker 1681417472" "$tmp/out" || fail "query does not name the passing rule as the GUI does"
expect 0 "import config.xml" "$picket" import "$cfg"
cp "$tmp/out" "$tmp/imported.conf"
grep -q '^interface em0 address 10.0.2.4/24$' "$tmp/imported.conf" || fail "import: no topology line for em0"
grep -q "^rdr pass on em0 inet proto tcp from any to 10.0.2.4 port 80 -> \$DMZ_Servers$" "$tmp/imported.conf" ||
	fail "import: no rdr pass for the port forward whose filter rule is pass"
expect 0 "check the imported text" "$picket" check "$tmp/imported.conf"
expect 0 "diff config.xml against its import" "$picket" diff "$cfg" "$tmp/imported.conf"
grep -q "^equivalent" "$tmp/out" || fail "diff config.xml import: not equivalent"

# the config.xml against the ruleset its box loaded (pfctl -sr and -s nat,
# pfctl's output syntax), the box's run-time addresses in --topology
box=$fx/pfsense-2.6-loaded
expect 0 "diff config.xml against the loaded ruleset" "$picket" diff "$box.xml" "$box.pfctl" --topology "$box.topo"
grep -q "^equivalent" "$tmp/out" || fail "diff against the loaded ruleset: not equivalent"
grep -v 'Default allow LAN to any rule' "$box.pfctl" >"$tmp/loaded-less.conf"
expect 1 "diff config.xml against a loaded ruleset that lacks a rule" "$picket" diff "$box.xml" "$tmp/loaded-less.conf" --topology "$box.topo"
grep -q "LAN rule 2 'Default allow LAN to any rule', tracker 1700000003" "$tmp/out" ||
	fail "diff against the loaded ruleset: the missing rule is not named as the GUI does"

# replay: two SYNs from the LAN, passed by LAN rule 1 (the <rule> at line 157)
/usr/bin/python3 - "$tmp/lan.pcap" <<'PY'
import struct, sys
def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
def syn(src, dst, sp, dp):
    a = lambda x: bytes(int(o) for o in x.split("."))
    t = struct.pack("!HHIIBBHHH", sp, dp, 1, 0, 0x50, 0x02, 65535, 0, 0)
    t = t[:16] + struct.pack("!H", csum(a(src) + a(dst) + struct.pack("!BBH", 0, 6, len(t)) + t)) + t[18:]
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(t), 1, 0, 64, 6, 0, a(src), a(dst))
    return bytes(6) + bytes(range(1, 7)) + b"\x08\x00" + h[:10] + struct.pack("!H", csum(h)) + h[12:] + t
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i, p in enumerate([syn("192.168.1.10", "172.16.10.5", 5555, 443), syn("192.168.1.10", "8.8.8.8", 5556, 22)]):
        f.write(struct.pack("<IIII", 1000 + i, 0, len(p), len(p)) + p)
PY
expect 0 "replay config.xml" "$picket" replay "$cfg" "$tmp/lan.pcap" --iface em1
[ "$(grep -c ' pass  *@[0-9]*:157 ' "$tmp/out")" -eq 2 ] || fail "replay: the SYNs are not passed by the rule at config.xml line 157"

# lint into SARIF: results in config.xml, named as the GUI names the rule
expect 1 "lint config.xml" "$picket" lint --format sarif "$cfg"
if /usr/bin/python3 - "$schema" "$tmp/out" "$cfg" <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[2]))
if os.path.exists(sys.argv[1]):
    import jsonschema
    jsonschema.validate(doc, json.load(open(sys.argv[1])))
res = doc["runs"][0]["results"]
assert res, "no findings"
for r in res:
    loc = r["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"]["uri"] == sys.argv[3], loc
    assert not loc["logicalLocations"][0]["name"].startswith("generated: "), r
shadowed = [r for r in res if r["ruleId"] == "shadowed"]
assert shadowed[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 166
assert shadowed[0]["locations"][0]["logicalLocations"][0]["name"] == "LAN rule 2 'Admins to DMZ web', tracker 1681417600"
PY
then :; else fail "lint --format sarif of config.xml"; fi

# hostile and foreign input
cat >"$tmp/bomb.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE pfsense [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<pfsense><version>23.3</version><system><hostname>&b;</hostname></system></pfsense>
XML
expect 2 "entity bomb" "$picket" lint "$tmp/bomb.xml"
grep -q "bomb.xml:2:.*error: refused: the DOCTYPE declares entities" "$tmp/err" || fail "entity bomb: no located refusal"
printf '<?xml version="1.0"?>\n<!DOCTYPE pfsense SYSTEM "http://192.0.2.1/x.dtd">\n<pfsense/>\n' >"$tmp/xxe.xml"
expect 2 "external DTD" "$picket" check "$tmp/xxe.xml"
printf '<?xml version="1.0"?>\n<html/>\n' >"$tmp/html.xml"
expect 2 "foreign root" "$picket" import "$tmp/html.xml"
grep -q "html.xml:2:1: error: not a pfSense or OPNsense configuration" "$tmp/err" || fail "foreign root: no located message"

# every fixture and corpus file imports, checks, and equals its import
for f in "$fx"/*.xml "$corpus"/*.xml; do
	[ -f "$f" ] || continue
	n=$(basename "$f")
	expect 0 "import $n" "$picket" import "$f"
	cp "$tmp/out" "$tmp/i.conf"
	expect 0 "check $n" "$picket" check "$f"
	expect 0 "diff $n against its import" "$picket" diff "$f" "$tmp/i.conf"
done
# Policy tests on a backup: the shapes are read against the pf rules it became.
printf 'expect block proto tcp from any to any port 3306 in on em0\nexpect reach proto tcp from 192.168.1.0/24 to any port 443 in on em1\n' >"$tmp/ok.expect"
expect 0 "test: expectations that hold on a config.xml" "$picket" test "$fx/pfsense-2.7.xml" "$tmp/ok.expect"
printf 'expect block proto tcp from 192.168.1.0/24 to any port 443 in on em1\n' >"$tmp/fail.expect"
expect 1 "test: an expectation that fails on a config.xml" "$picket" test "$fx/pfsense-2.7.xml" "$tmp/fail.expect"
[ "$fails" -eq 0 ] && echo "ok: config.xml end to end"
exit "$fails"
