#!/bin/sh
# The HTML pages picket writes, opened as users open them: in a browser
# (headless Chromium), which must render them to a screenshot that is not
# blank; and their content and refusals checked from the markup.
set -u
. "$(dirname "$0")/../support/e2e.sh"
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/install-deps)"; exit 77; }
$py -c 'import scapy' 2>/dev/null || { echo "python3-scapy is not installed"; exit 77; }
$py "$root/tests/replay/gen_captures.py" "$tmp" freenas asym >/dev/null || exit 1
conf=$root/tests/replay/freenas.conf cap=$tmp/freenas.pcapng

# Renders page $1 to $2.png; the page must draw more than a blank one does.
render() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
		--window-size=1280,2400 --screenshot="$2.png" "file://$1" >/dev/null 2>&1
	timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/profile" \
		--dump-dom "file://$1" >"$2.dom" 2>/dev/null
	[ -s "$2.png" ] || { fail "$1: no screenshot"; return; }
	size=$(wc -c <"$2.png") blank=$(wc -c <"$tmp/blank.png")
	[ "$size" -gt $((blank * 4)) ] && echo "ok: $(basename "$1") rendered ($size bytes of PNG)" ||
		fail "$1: the screenshot looks blank ($size bytes, a blank page $blank)"
}
echo '<!DOCTYPE html><html><body></body></html>' >"$tmp/blank.html"
timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
	--window-size=1280,2400 --screenshot="$tmp/blank.png" "file://$tmp/blank.html" >/dev/null 2>&1

"$picket" replay --quiet --report "$tmp/replay.html" "$conf" "$cap" >/dev/null || fail "replay --report exits $?"
render "$tmp/replay.html" "$tmp/replay"
for id in verdicts rules flows ifaces; do
	grep -q "id=\"$id\"" "$tmp/replay.dom" || fail "the replay page lacks #$id"
done
grep -q 'udp 192.168.1.10 → 10.0.10.5 port 161 on lan0' "$tmp/replay.dom" &&
	grep -q 'explain packet' "$tmp/replay.dom" && echo "ok: blocked flows listed, each with an explanation" ||
	fail "the rejected SNMP flow is not among the blocked flows"
grep -q '<rect' "$tmp/replay.dom" && echo "ok: the chart has bars" || fail "the chart is empty"
grep -Eq '<(script|link|img)[^>]* (src|href)=' "$tmp/replay.html" && fail "the page loads something from outside"

"$picket" replay --quiet --report "$tmp/asym.html" "$root/tests/replay/asym.conf" "$tmp/asym.pcapng" >/dev/null 2>&1
grep -q 'no reply ever reached the firewall' "$tmp/asym.html" && echo "ok: stalled connections grouped by cause" ||
	fail "the asymmetric capture's stalled connection is missing"
# --quiet --summary prints no stall report, but the page still has one
"$picket" replay --quiet --summary --report "$tmp/asym2.html" "$root/tests/replay/asym.conf" "$tmp/asym.pcapng" \
	>"$tmp/asym2.txt" 2>&1
! grep -q 'stalled' "$tmp/asym2.txt" && grep -q 'no reply ever reached the firewall' "$tmp/asym2.html" &&
	echo "ok: with --summary --quiet, the stalls are in the page only" || fail "--quiet --summary --report lost the stalls"

"$picket" replay --quiet --report "$cap" "$conf" "$cap" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'report' "$tmp/err" && echo "ok: a report over its own capture is refused" ||
	fail "--report over the capture was not refused"
"$picket" replay --quiet --report "$tmp/no/such/dir/r.html" "$conf" "$cap" >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] && grep -q 'cannot write the report' "$tmp/err" && echo "ok: an unwritable report is an error" ||
	fail "an unwritable --report did not fail"
# lint's page: the pitfall of a block after a broader quick pass, with its source.
lintconf=$root/tests/realworld/pfconf/03-fbsd-faq-example2
"$picket" lint --format html --topology "$lintconf.topo" "$lintconf.conf" >"$tmp/lint.html" 2>/dev/null
[ $? -eq 1 ] || fail "lint --format html with findings should exit 1"
render "$tmp/lint.html" "$tmp/lint"
grep -q 'id="findings"' "$tmp/lint.dom" && grep -q '<pre>' "$tmp/lint.dom" && grep -q 'href="#f1"' "$tmp/lint.dom" &&
	echo "ok: lint page: index of findings, each with its source" || fail "lint page content"
"$picket" lint --format html "$root/examples/home-router.conf" >"$tmp/clean.html" 2>/dev/null
grep -q 'No findings' "$tmp/clean.html" && echo "ok: a clean file says so" || fail "clean lint page"
exit $((fails > 0))
