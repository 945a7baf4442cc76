#!/bin/sh
# tests/e2e/anchors.sh: `picket check` and `picket print` on the anchors
# real rulesets carry: a pfSense rules.debug's (userrules/*, natrules/*,
# relayd/*, filled at run time) and macOS's /etc/pf.conf (com.apple/* of
# every kind, load anchor from /etc/pf.anchors).
set -u
. "$(dirname "$0")/../support/e2e.sh"
has() { grep -qF "$1" "$tmp/err" || fail "$2: no '$1' in: $(cat "$tmp/err")"; }

# accepted: exit 0, its notes on stderr
accepted() {
	"$picket" check --color never "$1" >"$tmp/out" 2>"$tmp/err" || fail "$1 refused: $(cat "$tmp/err")"
	"$picket" print "$1" >"$tmp/p1" 2>/dev/null && "$picket" print "$tmp/p1" >"$tmp/p2" 2>/dev/null &&
		cmp -s "$tmp/p1" "$tmp/p2" || fail "$1: its print does not print back the same"
}

cat >"$tmp/pfsense.conf" <<'EOF'
set limit states 48000
set skip on pfsync0
scrub on em0 all fragment reassemble
nat-anchor "natearly/*"
nat-anchor "natrules/*"
nat on em0 inet from 192.168.1.0/24 to any -> 203.0.113.2 port 1024:65535
rdr-anchor "relayd/*"
rdr-anchor "tftp-proxy/*"
anchor "relayd/*"
anchor "openvpn/*"
anchor "ipsec/*"
block in log inet all label "Default deny rule IPv4"
block out log inet all label "Default deny rule IPv4"
pass out inet all keep state allow-opts label "let out anything IPv4 from firewall host itself"
anchor "userrules/*"
pass in quick on em1 inet from 192.168.1.0/24 to any keep state label "USER_RULE: Default allow LAN to any rule"
anchor "tftp-proxy/*"
EOF
accepted "$tmp/pfsense.conf"
for a in natearly/* natrules/* relayd/* tftp-proxy/* openvpn/* ipsec/* userrules/*; do
	has "note: anchor \"$a\" is filled at run time" "pfSense"
done
[ "$(grep -c 'relayd/\*" is filled' "$tmp/err")" -eq 1 ] || fail "pfSense: relayd/* noted more than once"
grep -q ' 6 rules$' "$tmp/out" || fail "pfSense: rule count: $(cat "$tmp/out")"

# macOS's /etc/pf.conf, with its anchor file where macOS has it (absent here)
cat >"$tmp/macos.conf" <<'EOF'
#
# com.apple anchor point
#
scrub-anchor "com.apple/*"
nat-anchor "com.apple/*"
rdr-anchor "com.apple/*"
dummynet-anchor "com.apple/*"
anchor "com.apple/*"
load anchor "com.apple" from "/etc/pf.anchors/com.apple"
EOF
if [ ! -e /etc/pf.anchors/com.apple ]; then
	accepted "$tmp/macos.conf"
	has "warning: cannot read '/etc/pf.anchors/com.apple': No such file or directory; anchor \"com.apple\" is empty here" "macOS"
	has "note: anchor \"com.apple/*\" is filled at run time" "macOS"
	has "note: anchor \"com.apple/*\" is not evaluated: dummynet" "macOS"
fi

# the same with the anchor files beside it: their children are evaluated
mkdir "$tmp/pf.anchors"
cat >"$tmp/pf.anchors/com.apple" <<'EOF'
scrub-anchor "100.InternetSharing/*"
nat-anchor "100.InternetSharing/*"
rdr-anchor "100.InternetSharing/*"
anchor "100.InternetSharing/*"
anchor "200.AirDrop/*"
anchor "250.ApplicationFirewall/*"
dummynet-anchor "300.NetworkLinkConditioner/*"
anchor "400.AdaptiveFirewall/*"
load anchor "400.AdaptiveFirewall" from "400.AdaptiveFirewall"
EOF
printf 'table <blockedHosts> persist\nblock drop in quick from <blockedHosts>\n' >"$tmp/pf.anchors/400.AdaptiveFirewall"
sed 's|/etc/pf.anchors/com.apple|pf.anchors/com.apple|' "$tmp/macos.conf" >"$tmp/macos-local.conf"
accepted "$tmp/macos-local.conf"
grep -q 'cannot read' "$tmp/err" && fail "macOS: anchor files beside it not read: $(cat "$tmp/err")"
"$picket" print "$tmp/macos-local.conf" >"$tmp/out" 2>/dev/null
[ "$(cat "$tmp/out")" = "block drop in quick from <blockedHosts> to any" ] ||
	fail "macOS: com.apple/* should hold 400.AdaptiveFirewall's rule: $(cat "$tmp/out")"

[ $fails -eq 0 ] && echo "anchors: all passed"
exit $((fails != 0))
