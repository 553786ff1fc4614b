#!/bin/sh
# tests/test_report.sh - `cfwdctl report --html`: a store with known billing records and
# audit rows (written with sqlite3, as cfwdd would have), then the page is checked with
# python3: each <svg> parses as XML, bars per outcome and hour carry the right counts,
# the stacked heights add up, the forwarded share and the 142 bars match, no number
# appears on the page. Needs BUILD in the environment; temp dir, no ports.
set -u
BUILD=${BUILD:-build}
CTL="$BUILD/cfwdctl"
DIR=$(mktemp -d /tmp/cfwd-report.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$DIR"' EXIT
DB="$DIR/cfwd.db"
printf '[store]\npath = %s\npwhash = min\n' "$DB" >"$DIR/cfwd.conf"
ctl() { TZ=${TZ_REPORT:-UTC} "$CTL" --conf "$DIR/cfwd.conf" "$@"; }
step() { echo "  -- $*"; }

step "subscriber 0312345678 in a new store"
ctl subscriber add 0312345678 >/dev/null || { echo "FAIL: subscriber add"; exit 1; }

# 2026-11-20 00:00:00 UTC
T0=1795132800
h() { echo $((T0 + $1 * 3600 + ${2:-0})); }
cdr() { # REF LEG START
	echo "INSERT INTO cdr(call_ref,leg,billed,src,dst,start_s,answer_s,end_s,duration_s)
	      VALUES('$1','$2','0311112222','0311112222','0312345678',$3,$3+5,$3+65,60);"
}
audit() { # WHO AT
	echo "INSERT INTO audit(at,who,number,what) VALUES($2,'$1','0312345678','forward set');"
}
step "10:00-11:00 three calls answered by the subscriber, two forwarded and answered"
step "11:00-12:00 one remote control call; 142 used twice at 09:xx and once at 21:xx"
{
	for i in 1 2 3; do cdr d$i caller "$(h 10 $((i * 60)))"; done
	for i in 1 2; do
		cdr f$i caller "$(h 10 $((i * 600)))"
		cdr f$i forward "$(h 10 $((i * 600 + 20)))"
	done
	cdr r1 remote "$(h 11 30)"
	audit 142 "$(h 9 100)"
	audit 142 "$(h 9 200)"
	audit 142 "$(h 21 5)"
	audit cfwdctl "$(h 12)"
} | sqlite3 "$DB" || { echo "FAIL: sqlite3"; exit 1; }

step "cfwdctl report --html over 3 days (TZ=UTC)"
out=$(ctl --json report --html "$DIR/r.html" --days 3) || { echo "FAIL: report: $out"; exit 1; }
echo "$out" | grep -q '"direct":3,"forwarded":2,"remote":1,"changes_142":3' ||
	{ echo "FAIL: json summary: $out"; exit 1; }

step "bad input: no --html, --days 0"
ctl report >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: report without --html"; exit 1; }
ctl report --html "$DIR/x.html" --days 0 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --days 0"; exit 1; }

step "the page: three charts, bars with the counts, heights adding up"
python3 - "$DIR/r.html" <<'EOF'
import re, sys
import xml.etree.ElementTree as ET
html = open(sys.argv[1]).read()
NS = "{http://www.w3.org/2000/svg}"
svgs = {}
for m in re.finditer(r"<svg .*?</svg>", html, re.S):
    root = ET.fromstring(m.group(0))        # well-formed XML or this raises
    svgs[root.get("id")] = root
assert set(svgs) == {"calls-per-hour", "forward-share", "use-142"}, svgs.keys()
def rects(svg, cls):
    return [r for r in svg.iter(NS + "rect") if r.get("class") == cls]
cph = svgs["calls-per-hour"]
# newest record 21:05 on the 20th: window 18th 00:00 .. 21st 00:00, 10:00 is bucket 58
b10 = 48 + 10
d = {r.get("data-hour"): int(r.get("data-n")) for r in rects(cph, "o0")}
f = {r.get("data-hour"): int(r.get("data-n")) for r in rects(cph, "o1")}
rm = {r.get("data-hour"): int(r.get("data-n")) for r in rects(cph, "o2")}
assert d == {str(b10): 3}, d
assert f == {str(b10): 2}, f
assert rm == {str(b10 + 1): 1}, rm
# stacked: the forwarded bar sits on the direct one; heights proportional to counts
r0, r1 = rects(cph, "o0")[0], rects(cph, "o1")[0]
r0y, r0h = float(r0.get("y")), float(r0.get("height"))
r1y, r1h = float(r1.get("y")), float(r1.get("height"))
assert abs(r1y + r1h - r0y) < 0.2, (r0y, r1y, r1h)
assert abs(r0h / r1h - 1.5) < 0.01, (r0h, r1h)
share = rects(svgs["forward-share"], "share")
assert [(s.get("data-day"), s.get("data-pct")) for s in share] == [("2", "40")], \
    [(s.get("data-day"), s.get("data-pct")) for s in share]
u = {r.get("data-hour"): int(r.get("data-n")) for r in rects(svgs["use-142"], "u142")}
assert u == {"9": 2, "21": 1}, u
assert 'id="share">40%<' in html and 'id="total-142">3<' in html
assert not re.search(r"0\d{9}", html.replace(sys.argv[1], "")), "a number leaked"
assert "to 2026-11-21 00:00 UTC</h1>" in html, re.search("<h1>.*</h1>", html).group(0)
print("  report checks passed")
EOF
rc=$?
step "TZ=Asia/Tokyo: whole JST days, 142 use at 18:xx and 06:xx JST"
TZ_REPORT=Asia/Tokyo ctl report --html "$DIR/jst.html" --days 3 || rc=1
python3 - "$DIR/jst.html" <<'EOF' || rc=1
import re, sys
html = open(sys.argv[1]).read()
assert "to 2026-11-22 00:00 JST</h1>" in html, re.search("<h1>.*</h1>", html).group(0)
u = dict(re.findall(r'class="u142" data-hour="(\d+)" data-n="(\d+)"', html))
assert u == {"18": "2", "6": "1"}, u
# 10:00 UTC on the 20th is 19:00 JST: bucket 24 + 19 of the window 19th..22nd JST
d = re.findall(r'class="o0" data-hour="(\d+)" data-n="(\d+)"', html)
assert d == [("43", "3")], d
print("  JST checks passed")
EOF
[ $rc -eq 0 ] && echo "test_report: PASSED" || echo "test_report: FAILED"
exit $rc
