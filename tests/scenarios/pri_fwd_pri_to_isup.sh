#!/bin/sh
# PRI in -> ISUP out, forwarded (CFU), and PRI in -> PRI out: a caller behind the PBX
# (SETUP on the PRI trunk) calls the subscriber; the onward IAM carries the caller's
# number with its presentation and screening, and OCN/RGN/RI for the diversion (lab
# decoder and tshark); a call already diverted once in the PBX (Redirecting Number IE,
# reason busy) is counted on; a PRI caller forwarded back onto the PRI trunk gets a
# second B-channel with the Redirecting Number IE. Nothing left busy.
. tests/scenarios/pri_lib.sh

start_pri
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "0355110001 (PRI, restricted) calls $SUB: onward IAM to $FWD with OCN/RGN/RI"
lab $(expect_onward 1 3 3) --expect IAM@in@transit.called=$(wire $FWD)F \
	--expect IAM@in@transit.calling=$(wire 0355110001) --expect IAM@in@transit.calling_pres=1 \
	call --from 0355110001 --to $SUB --restricted --hold 1 > "$T/l1" ||
	fail "PRI -> ISUP forwarded call (ladder: $(cat "$T/l1"))"
grep -q 'transit.*->  ANM' "$T/l1" || fail "no ANM from the forward-to exchange"
check_pri_no_leak

step "A call diverted once already in the PBX (RN IE 0355999999, CFU): counter 2"
lab $(expect_onward 2 3 3 0355999999 0) call --from 0355110002 --to $SUB \
	--redirected-from 0355999999 --counter 1 --hold 0.3 > "$T/l2" ||
	fail "PRI -> ISUP second diversion (ladder: $(cat "$T/l2"))"
check_pri_no_leak

step "PRI -> PRI: $SUB now forwards to $PBX; 0355110003 calls $SUB"
ctl forward set $SUB --to $PBX --when unconditional
lab call --from 0355110003 --to $SUB --hold 0.5 > "$T/l3" ||
	fail "PRI -> PRI forwarded call (ladder: $(cat "$T/l3"))"
check_pri_no_leak

stop_cfwdd
step "tshark on cfwdd's pcaps"
expect_eq "onward IAM for the PRI caller" "$(onward 0355110001)" \
	"$(wire 0355110001) 3 $(wire $SUB) $(wire $SUB) 4 3 1 3 1,1,1"
expect_eq "second diversion" "$(onward 0355110002)" \
	"$(wire 0355110002) 3 $(wire 0355999999) $(wire $SUB) 4 3 2 3 0,1,0"
expect_eq "PRI -> PRI: SETUP out" "$(qfld "$SETUP_OUT && q931.calling_party_number.digits == \"$(wire 0355110003)\"" \
	q931.called_party_number.digits q931.redirecting_number.digits q931.extension.reason)" \
	"$(wire $PBX) $(wire $SUB) 0x0f"
expect_eq "PRI -> PRI: two B-channels, two SETUPs" \
	"$(qcnt "q931.message_type == 0x05 && q931.calling_party_number.digits == \"$(wire 0355110003)\"")" "2"
check_no_notification
expect_eq "no NOTIFY/FACILITY towards the PRI callers" \
	"$(qcnt 'q931.message_type == 0x6e || q931.message_type == 0x62 || q931.notification_description')" "0"
finish
