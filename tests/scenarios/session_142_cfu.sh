#!/bin/sh
# 142 by DTMF audio, end to end: the subscriber calls 142 (ACM says "no charge"),
# registers list entry 0 with the confirm step and starts unconditional forwarding,
# with the guidance looped back at -10 dB all along; every key is detected exactly once
# (no digit from the echo); the next call to the subscriber leaves cfwdd with the
# redirection set (lab decoder and tshark). A non-subscriber and a suspended subscriber
# hear "not available" and are released by cfwdd (REL 16). No billing record for 142.
. tests/scenarios/session_lib.sh

start_sessions
ctl subscriber add $SUB
ctl subscriber add 0312345699 --suspended

step "$SUB dials 142: 2, $FWD #, 1 (confirm), 0 (menu), 1 1 (unconditional); echo -10 dB"
session s1 session --from $SUB --to 142 --wait-prompts --echo -10 \
	--keys "2 ${FWD}# 1 0 1 1" --record "$T/heard.wav" ||
	fail "142 session (ladder: $(cat "$T/s1"))"
grep -q "^session $SUB -> 142: answered, keys 6/6 groups" "$T/s1" ||
	fail "session summary: $(grep '^session' "$T/s1")"
expect_eq "keys detected by cfwdd (16 sent, echo never a digit)" "$(digits_detected)" "16"
# welcome + menu alone last 20 s: each key group cut the prompt it came into (barge-in)
heard=$(sed -n 's/^session .*guidance \([0-9.]*\) s.*/\1/p' "$T/s1")
awk -v h="$heard" 'BEGIN { exit !(h > 1 && h < 10) }' ||
	fail "guidance heard: $heard s (barge-in should keep it under 10 s)"
expect_eq "forward-to after the session" "$(show $SUB forward-to)" "$FWD (entry 0)"
expect_eq "condition after the session" "$(cond $SUB)" "unconditional"
check_no_leak
[ "$(stat -c %s "$T/heard.wav")" -gt 16000 ] || fail "no guidance recorded"

step "A call to $SUB is forwarded to $FWD (CFU)"
lab $(expect_onward 1 3 3) --expect IAM@in@transit.called=$(wire $FWD)F \
	call --from 0311110001 --to $SUB --hold 0.3 > "$T/l1" || fail "CFU call ($(cat "$T/l1"))"
check_no_leak

step "A non-subscriber and a suspended subscriber dial 142: not available, REL 16"
session s2 session --from 0312340000 --to 142 --keys "1" --linger 8 || fail "non-subscriber"
grep -q "released by cfwdd, cause 16" "$T/s2" || fail "non-subscriber: $(grep '^session' "$T/s2")"
session s3 session --from 0312345699 --to 142 --keys "1" --linger 8 || fail "suspended"
grep -q "released by cfwdd, cause 16" "$T/s3" || fail "suspended: $(grep '^session' "$T/s3")"
grep -q 'not available on this line' "$T/cfwdd.log" || fail "no 'not available' in the log"
expect_eq "suspended subscriber unchanged" "$(cond 0312345699)" "off"
check_no_leak
expect_eq "billing records (the forwarded call only; 142 is free)" "$(cdr_count)" "2"
expect_eq "142 records" "$(cdr_count ',142,')" "0"

stop_cfwdd
step "tshark on cfwdd's pcap"
expect_eq "ACM charge indicator to $SUB on 142 (1 = no charge)" "$(acm_charge 142)" "0x0001"
expect_eq "onward IAM" "$(onward 0311110001)" \
	"$(wire 0311110001) 3 $(wire $SUB) $(wire $SUB) 4 3 1 3 0,1,1"
expect_eq "REL cause from cfwdd ending the non-subscriber's session" \
	"$(fld 'isup.message_type == 12 && mtp3.opc == 1001 && isup.cause_indicator == 16' isup.cause_indicator)" "16"
finish
