#!/bin/sh
# 142 on A-law spans (E1 outside North America and Japan): the
# guidance is played and the keys detected in A-law, with the echo at -10 dB.
. tests/scenarios/session_lib.sh

start_sessions -e 's/^law = ulaw/law = alaw/'
lab_conf -e 's/^law = ulaw/law = alaw/'
ctl subscriber add $SUB

step "$SUB dials 142 on A-law: 2 $FWD # 1 with the guidance echoed at -10 dB"
session a1 session --from $SUB --to 142 --wait-prompts --echo -10 --keys "2 ${FWD}# 1" \
	--record "$T/heard.wav" || fail "A-law session ($(cat "$T/a1"))"
check_no_leak
expect_eq "keys detected" "$(digits_detected)" "13"
expect_eq "forward-to" "$(show $SUB forward-to)" "$FWD (entry 0)"
expect_eq "recording's format" "$(soxi -e "$T/heard.wav" 2>/dev/null)" "A-law"
finish
