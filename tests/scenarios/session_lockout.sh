#!/bin/sh
# Remote-control PIN lockout by DTMF audio: three wrong PINs in one call to the access
# number and cfwdd hangs up (REL 16); remote control of that number is locked, so the
# right PIN is then refused the same way and nothing changes; no PIN in cfwdd's log.
# A hang-up in the middle of a 142 operation (during the confirm read-back) changes
# nothing, and every circuit is idle afterwards. cfwdd does not start without its prompts.
. tests/scenarios/session_lib.sh

ACCESS=0664806142
FAR=0311110008

step "cfwdd refuses to start when a prompt file is missing, and names it"
mkdir -p "$T/prompts/ja"
sed -e "s|^\[service\]|[media]\nprompts = $T/prompts\n\n[service]|" conf/cfwd.conf > "$T/bad.conf"
timeout 20 "$BUILD/cfwdd" -c "$T/bad.conf" -f --db "$T/bad.db" --ctl "$T/bad.ctl" \
	> "$T/bad.log" 2>&1 && fail "cfwdd started without its prompts"
grep -q "$T/prompts/ja/[a-z_0-9]*\.wav: No such file or directory" "$T/bad.log" ||
	fail "no file named: $(cat "$T/bad.log")"
start_sessions
ctl subscriber add $SUB
ctl remote enable $SUB --pin 1234

step "$FAR calls $ACCESS and tries three wrong PINs"
session r1 session --from $FAR --to $ACCESS --wait-prompts \
	--keys "${SUB}# 0000 ${SUB}# 1111 ${SUB}# 2222" --linger 15 || fail "wrong PINs ($(cat "$T/r1"))"
check_no_leak
grep -q "released by cfwdd, cause 16" "$T/r1" || fail "wrong PINs: $(grep '^session' "$T/r1")"
show $SUB remote | grep -q "locked until" || fail "not locked: $(show $SUB remote)"

step "Locked: the right PIN and 1 are refused the same way"
session r2 session --from $FAR --to $ACCESS --wait-prompts --keys "${SUB}# 1234 1" \
	--linger 5 || fail "locked attempt ($(cat "$T/r2"))"
check_no_leak
expect_eq "condition after the right PIN while locked" "$(cond $SUB)" "off"
expect_eq "rejections logged (3 wrong, 1 locked)" "$(grep -c 'rejected (' "$T/cfwdd.log")" "4"
expect_eq "the locked attempt is logged as such" "$(grep -c 'rejected (locked' "$T/cfwdd.log")" "1"
grep -Eq '(^|[^0-9:.])(0000|1111|2222|1234)([^0-9:.]|$)' "$T/cfwdd.log" &&
	fail "a PIN appears in cfwdd's log"

step "142: 2 0398765432 # and hang up during the read-back: nothing changes"
session s1 session --from $SUB --to 142 --wait-prompts --keys "2 0398765432#" --linger 1 ||
	fail "142 hang-up ($(cat "$T/s1"))"
check_no_leak
grep -q "caller hung up" "$T/s1" || fail "hang-up: $(grep '^session' "$T/s1")"
grep -q "{CONFIRM}: caller hung up: nothing changed" "$T/cfwdd.log" ||
	fail "the hang-up was not in the confirm step"
expect_eq "forward-to after the hang-up" "$(show $SUB forward-to)" "-"
expect_eq "billing records (142 free, remote billed only when answered: 2 calls)" \
	"$(cdr_count ',remote,')" "2"
finish
