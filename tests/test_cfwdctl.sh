#!/bin/sh
# tests/test_cfwdctl.sh - cfwdctl on a real store file: every command, --json output,
# bad input (exit 2, one error line, nothing changed), the default database path from
# the config file, and two cfwdctl processes writing the same file at once.
# Needs BUILD (the build dir) in the environment; uses a temp dir, no ports.
set -u
BUILD=${BUILD:-build}
CTL="$BUILD/cfwdctl"
DIR=$(mktemp -d /tmp/cfwdctl-test.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
cat >"$DIR/cfwd.conf" <<EOF
[store]
path = $DIR/default.db
pwhash = min
[service]
remote_access = 0363044141
remote_access = 0664806142
[refused]
service = 1XY
prefix = 0120 toll-free
prefix = 0570 navi-dial
prefix = 010 international
prefix = 00 carrier
EOF
DB="$DIR/cfwd.db"
SUB=0312345678
pass=0
fail=0

step() { echo "  -- $*"; }
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
ctl() { "$CTL" --conf "$DIR/cfwd.conf" --db "$DB" "$@"; }
# expect STATUS CMD...: run, compare the exit status
expect() {
	want=$1
	shift
	ctl "$@" >"$DIR/out" 2>"$DIR/err"
	got=$?
	if [ "$got" -eq "$want" ]; then ok; else bad "cfwdctl $* -> $got, want $want: $(cat "$DIR/err")"; fi
}
# json EXPR WANT: a Python expression on d, the JSON of the last stdout (strings bare,
# other values as JSON: true, 20, null)
json() {
	got=$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2])
print(v if isinstance(v, str) else json.dumps(v))' "$DIR/out" "$1" 2>/dev/null)
	if [ "$got" = "$2" ]; then ok; else bad "jq '$1' = '$got', want '$2'"; fi
}
# refused CMD...: exit 2, exactly one stderr line, and the store unchanged
refused() {
	ctl --json show $SUB >"$DIR/before" 2>/dev/null
	ctl audit >"$DIR/audit-before" 2>/dev/null
	expect 2 "$@"
	lines=$(wc -l <"$DIR/err")
	[ "$lines" -eq 1 ] && ok || bad "cfwdctl $*: $lines error lines"
	ctl --json show $SUB >"$DIR/after" 2>/dev/null
	ctl audit >"$DIR/audit-after" 2>/dev/null
	cmp -s "$DIR/before" "$DIR/after" && cmp -s "$DIR/audit-before" "$DIR/audit-after" &&
		ok || bad "cfwdctl $* changed the store"
}

step "help and the subscriber 0312345678"
"$CTL" --help | grep -q "forward set NUM" && ok || bad "--help"
expect 0 subscriber add $SUB
expect 0 --json show $SUB
json 'd["condition"]' off
json 'd["ring_time"]' 20
json 'd["remote_enabled"]' false

step "forward set with --to and --when: entry 0 selected, unconditional"
expect 0 --json forward set $SUB --to 0398765432 --when unconditional
json 'd["condition"]' unconditional
json 'd["forward_to"]' 0398765432
json 'd["list"][0]' 0398765432
expect 0 forward set $SUB --when no-reply-busy
expect 0 --json show $SUB
json 'd["condition"]' no-reply-busy
json 'd["last_condition"]' no-reply-busy

step "list entries, select, ring time, number request, remote, rejection list"
expect 0 forward list $SUB --entry 3 --to 09012345678
expect 0 --json forward select $SUB --entry 3
json 'd["selected"]' 3
json 'd["forward_to"]' 09012345678
expect 0 --json ring-time $SUB 35
json 'd["ring_time"]' 35
expect 0 --json number-request on $SUB
json 'd["number_request"]' true
expect 0 --json remote enable $SUB --pin 4791
json 'd["remote_enabled"]' true
json 'd["has_pin"]' true
grep -q 4791 "$DIR/out" && bad "PIN echoed" || ok
expect 0 reject add $SUB 0355556666
expect 0 --json reject list $SUB
json 'd["reject"][0]' 0355556666
expect 0 reject remove $SUB 0355556666
expect 0 --json show $SUB
json 'len(d["reject"])' 0
expect 0 --json service suspend $SUB
json 'd["active"]' false
expect 0 --json service activate $SUB
json 'd["active"]' true
expect 0 remote disable $SUB
expect 0 --json show $SUB
json 'd["has_pin"]' false
expect 0 --json forward set $SUB --when off
json 'd["condition"]' off

step "the audit log names cfwdctl for each change and never holds the PIN"
expect 0 audit $SUB
[ "$(grep -c cfwdctl "$DIR/out")" -eq 14 ] && ok || bad "audit rows: $(grep -c cfwdctl "$DIR/out")"
grep -q 4791 "$DIR/out" && bad "PIN in audit" || ok
sqlite3 "$DB" .dump 2>/dev/null | grep -q "'4791'" && bad "PIN in the file" || ok

step "bad input: exit 2, one line, no change"
refused subscriber add 03-1234
refused subscriber add 031234
refused subscriber add $SUB
refused forward set $SUB --to 0120444444 --when unconditional
refused forward set $SUB --to 110 --when unconditional
refused forward set $SUB --to 0570123456 --when busy
refused forward set $SUB --to 0101441234567 --when busy
refused forward set $SUB --to 0033312345678 --when busy
refused forward set $SUB --to $SUB --when busy
refused forward set $SUB --to 0363044141 --when busy
refused forward set $SUB --to 039876543 --when busy
refused forward set $SUB --to 0398765432 --when sometimes
refused forward set 0399999999 --to 0398765432 --when busy
refused forward list $SUB --entry 5 --to 0398765432
refused forward list $SUB --entry 1 --to 0120444444
refused forward select $SUB --entry 2
refused ring-time $SUB 4
refused ring-time $SUB 61
refused ring-time $SUB 3x
refused remote enable $SUB --pin 123
refused remote enable $SUB --pin 12a4
refused remote enable $SUB
refused remote enable 0399999999 --pin 1234
refused number-request maybe $SUB
refused reject add $SUB 03-5555
refused reject remove $SUB 0311112222
refused service activate 0399999999
refused forward set $SUB --bogus 1
refused frobnicate $SUB
expect 2 --json ring-time $SUB 99
json 'd["ok"]' false
json 'd["status"]' 2

step "cdr export --csv on an empty store: the header"
expect 0 cdr export --csv
head -1 "$DIR/out" | grep -q "^id,call_ref,leg,billed,from,to,start,answer,end,duration_s" &&
	ok || bad "csv header"
refused cdr export

step "a billing record in the file comes out as one CSV row"
if command -v sqlite3 >/dev/null; then
	sqlite3 "$DB" "INSERT INTO cdr(call_ref, leg, billed, src, dst, start_s, answer_s, end_s,
		duration_s) VALUES ('c1', 'forward', '$SUB', '$SUB', '0398765432', 1764064800,
		1764064812, 1764064872, 60)" && ok || bad "cdr insert"
	expect 0 cdr export --csv
	sed -n 2p "$DIR/out" | grep -q "^1,c1,forward,$SUB,$SUB,0398765432,2025-11-25T10:00:00Z,2025-11-25T10:00:12Z,2025-11-25T10:01:12Z,60" &&
		ok || bad "csv row: $(cat "$DIR/out")"
fi

step "forward set --to alone registers and selects without starting"
expect 0 subscriber add 0311112222
expect 0 --json forward set 0311112222 --to 0398765432
json 'd["condition"]' off
json 'd["forward_to"]' 0398765432
expect 0 --json subscriber list
json 'd[0]["number"]' 0311112222
json 'len(d)' 2
expect 0 subscriber remove 0311112222
expect 0 subscriber list
[ "$(wc -l <"$DIR/out")" -eq 1 ] && ok || bad "list after remove: $(cat "$DIR/out")"
refused subscriber remove 0311112222

step "no --db: the path comes from [store] path in the config"
"$CTL" --conf "$DIR/cfwd.conf" subscriber add 0611112222 >/dev/null 2>&1 && ok || bad "default db"
[ -f "$DIR/default.db" ] && ok || bad "default.db not created"

step "two cfwdctl processes write the same file at once"
for i in 1 2 3 4 5 6 7 8 9; do
	ctl reject add $SUB 031111000$i >/dev/null 2>"$DIR/e1.$i" || echo x >>"$DIR/fails"
done &
for i in 1 2 3 4 5 6 7 8 9; do
	ctl reject add $SUB 032222000$i >/dev/null 2>"$DIR/e2.$i" || echo x >>"$DIR/fails"
done &
wait
[ ! -f "$DIR/fails" ] && ok || bad "concurrent writers failed: $(cat "$DIR"/e*)"
expect 0 --json show $SUB
json 'len(d["reject"])' 18

echo "test_cfwdctl: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
