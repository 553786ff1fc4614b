#!/bin/sh
# tests/test_cfwdctl_order.sh - cfwdctl order/doc/bill on a real store file: an
# individual from application to active service (with one return for re-upload), a
# corporation whose head office differs, every kind of bad input (exit 2, one error
# line, nothing changed: the store file's order tables compared before and after), and
# the month's bill. "Today" is set with CFWD_TODAY. Needs BUILD; temp dir, no ports.
set -u
BUILD=${BUILD:-build}
CTL="$BUILD/cfwdctl"
DIR=$(mktemp -d /tmp/cfwdctl-order.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/cfwd.db"
printf '[store]\npwhash = min\n' >"$DIR/cfwd.conf"
printf '\377\330\377\340 scan\n' >"$DIR/scan.jpg"
NAME="山田 太郎"
ADDR="東京都港区芝5-1-1"
CORP="株式会社テスト"
export CFWD_TODAY=2026-11-25
export TZ=Asia/Tokyo	# month boundaries of the bill are local (Japanese) time
pass=0
fail=0

step() { echo "  -- $*"; }
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
ctl() {
	case "$1" in
	order | doc | bill | --json) set -- "$@" --fees conf/fees.conf --operator tester ;;
	esac
	"$CTL" --conf "$DIR/cfwd.conf" --db "$DB" "$@"
}
expect() {
	want=$1
	shift
	ctl "$@" >"$DIR/out" 2>"$DIR/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else
		bad "cfwdctl $* -> $got, want $want: $(cat "$DIR/err")"; fi
}
has() { if grep -q -- "$1" "$DIR/out"; then ok; else bad "output lacks '$1': $(cat "$DIR/out")"; fi; }
snapshot() {
	sqlite3 "$DB" "SELECT * FROM orders; SELECT * FROM order_events; SELECT * FROM documents;
		SELECT * FROM document_checks; SELECT * FROM subscriber;" >"$DIR/snap.$1"
}
# bad CMD...: exit 2, exactly one line on stderr, the tables unchanged
refused() {
	snapshot before
	expect 2 "$@"
	[ "$(wc -l <"$DIR/err")" -eq 1 ] && ok || bad "not one error line: $(cat "$DIR/err")"
	snapshot after
	cmp -s "$DIR/snap.before" "$DIR/snap.after" && ok || bad "cfwdctl $* changed the store"
}
files() { find "$DB.docs" -type f 2>/dev/null | wc -l; }

step "An individual applies for 0312345678"
expect 0 order new 0312345678 --name "$NAME" --address "$ADDR"
has "order 1 applied"
expect 0 order ack 1
has "awaiting-documents"

step "First upload: an insurance card without masking and nothing else"
expect 0 doc add 1 --type health-insurance-card --side front --file "$DIR/scan.jpg" --name "$NAME"
[ "$(files)" -eq 1 ] && ok || bad "image not kept"
expect 0 order submit 1
expect 0 order verify 1
has "FAIL insurance-needs-supplementary"
has "FAIL insurance-not-masked"
has "returned-for-reupload"
[ "$(files)" -eq 0 ] && ok || bad "images not deleted after verification"

step "Second upload: a driver's licence; verified, work date the next day"
expect 0 doc add 1 --type drivers-licence --side front --file "$DIR/scan.jpg" \
	--expires 2030-01-31 --name "$NAME" --address "$ADDR"
expect 0 order submit 1
expect 0 order verify 1
has "all rules passed; scheduled, work date 2026-11-26"

step "Bad input: exit 2, one line, nothing changed"
refused order activate 1
refused order show 99
refused order ack 99
refused order ack one
refused order ack 1
refused order schedule 1 --date 2026-11-25
refused order schedule 1 --date 2026-11-31
refused order new 0312345678 --name "$NAME" --address "$ADDR"
refused order new 0312345679 --name "$NAME" --address "$ADDR" --want-date soon
refused order new 03123 --name "$NAME" --address "$ADDR"
refused order new 0312340009 --name "$(printf 'a\nb')" --address "$ADDR"
refused order cancel 1
refused order list --state dreaming
refused order frobnicate 1
refused doc add 1 --type drivers-licence --side front --file "$DIR/scan.jpg"
refused doc add 1 --type drivers-licence --side front --file "$DIR/missing.jpg"
refused doc add 1 --type notification-card --side front --file "$DIR/scan.jpg"
refused doc add 1 --type passport --side front --file "$DIR/scan.jpg"
refused doc add 1 --type drivers-licence --side front --file "$DIR/scan.jpg" --expires 31/01/2030
refused bill month 2026-13
refused --json order ack 99

step "On the work date the service becomes active"
CFWD_TODAY=2026-11-26 expect 0 order activate 1
has "service of 0312345678 active"
expect 0 show 0312345678
has "active"
expect 0 order show 1
has "tester"
has "verified   verifying -> scheduled"
has "image deleted"

step "A corporation whose head office differs: registry certificate plus tax receipt"
expect 0 order new 0612345678 --name "$CORP" --address "$ADDR" --corporate --with-phone-install
expect 0 order ack 2
expect 0 doc add 2 --type registry-certificate --side front --file "$DIR/scan.jpg" \
	--issued 2026-10-01 --name "$CORP" --address "東京都千代田区丸の内1-1"
expect 0 doc add 2 --type tax-receipt --side front --file "$DIR/scan.jpg" \
	--issued 2026-09-01 --name "$CORP" --address "$ADDR"
expect 0 order submit 2
expect 0 order verify 2
has "scheduled"
expect 0 order list --state scheduled
has "0612345678"
CFWD_TODAY=2026-11-30 expect 0 order activate 2

step "A My Number card back is recorded but never kept"
expect 0 order new 0312340000 --name "$NAME" --address "$ADDR"
expect 0 order ack 3
expect 0 doc add 3 --type mynumber-card --side back --file "$DIR/scan.jpg"
has "image not kept"
[ "$(files)" -eq 0 ] && ok || bad "refused image kept"
expect 0 order cancel 3 --reason "customer withdrew"

step "--json: the order as one object"
expect 0 --json order show 1
has '"state":"active"'
has '"rule":"insurance-needs-supplementary"'
expect 0 --json order list --state active
has '^\[{"id":1,'

step "Two forwarded-call records of section 7, one answered in November, one in December"
nov=$(date -d "2026-11-27 12:00" +%s)
dec=$(date -d "2026-12-01 00:00" +%s)
sqlite3 "$DB" "INSERT INTO cdr(call_ref, leg, billed, src, dst, start_s, answer_s, end_s,
	duration_s) VALUES ('c-nov', 'forward', '0312345678', '0312345678', '0398765432',
	$nov - 5, $nov, $nov + 60, 60), ('c-dec', 'forward', '0312345678', '0312345678',
	'0398765432', $dec - 5, $dec, $dec + 30, 30)" && ok || bad "cdr insert"

step "The November bill: pro-rata monthly fee and installation fees"
expect 0 bill month 2026-11
has "c-nov"
if grep -q c-dec "$DIR/out"; then bad "December record in November"; else ok; fi
has "1 call record(s)"
has "0312345678   1      2026-11-26     5      91    1100    1191"
has "0612345678   2      2026-11-30     1      18     550     568"
has "total 1759 yen for 2 subscriber(s)"
expect 0 bill month 2026-12
has "total 1100 yen for 2 subscriber(s)"
has "c-dec"
expect 0 --json bill month 2026-12
has '"total":1100'
has '"call_ref":"c-dec"'

echo "test_cfwdctl_order: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
