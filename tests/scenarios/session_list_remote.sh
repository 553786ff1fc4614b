#!/bin/sh
# The list and remote control by DTMF audio: on 142, 4 0 1 + number (confirm) registers
# entry 1, 4 1 1 selects it, 4 3 1 + PIN enables remote control. From another line, a
# call to the access number 0363044141 (ACM says "charge") starts forwarding with
# number # PIN 1 and a second one stops it with 0; cfwdd releases both (REL 16) and
# bills each to the caller.
. tests/scenarios/session_lib.sh

ACCESS=0363044141
FAR=0311110007
start_sessions
ctl subscriber add $SUB

step "142: 4 0 1 0398765401 # 1, 0, 4 1 1, 0, 4 3 1 1234"
session s1 session --from $SUB --to 142 --wait-prompts \
	--keys "4 0 1 0398765401# 1 0 4 1 1 0 4 3 1 1234" || fail "142 session ($(cat "$T/s1"))"
check_no_leak
expect_eq "list" "$(show $SUB list)" "0:- 1:0398765401* 2:- 3:- 4:-"
expect_eq "forward-to" "$(show $SUB forward-to)" "0398765401 (entry 1)"
expect_eq "remote control" "$(show $SUB remote)" "enabled"
expect_eq "condition (not started yet)" "$(cond $SUB)" "off"

step "$FAR calls $ACCESS: $SUB # 1234 1 -> forwarding starts, cfwdd releases"
session r1 session --from $FAR --to $ACCESS --wait-prompts --keys "${SUB}# 1234 1" \
	--linger 15 || fail "remote start ($(cat "$T/r1"))"
check_no_leak
grep -q "released by cfwdd, cause 16" "$T/r1" || fail "remote start: $(grep '^session' "$T/r1")"
expect_eq "condition after remote start" "$(cond $SUB)" "unconditional"

step "$FAR calls $ACCESS again: $SUB # 1234 0 -> forwarding stops"
session r2 session --from $FAR --to $ACCESS --wait-prompts --keys "${SUB}# 1234 0" \
	--linger 15 || fail "remote stop ($(cat "$T/r2"))"
check_no_leak
expect_eq "condition after remote stop" "$(cond $SUB)" "off"
expect_eq "remote-control billing records (caller pays)" \
	"$(cdr_count ",remote,$FAR,$FAR,$ACCESS,")" "2"
expect_eq "all billing records" "$(cdr_count)" "2"

stop_cfwdd
step "tshark on cfwdd's pcap"
expect_eq "ACM charge indicator on $ACCESS (2 = charge)" "$(acm_charge $ACCESS)" "0x0002"
expect_eq "ACM charge indicator on 142 (1 = no charge)" "$(acm_charge 142)" "0x0001"
finish
