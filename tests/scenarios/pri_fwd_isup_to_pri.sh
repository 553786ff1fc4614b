#!/bin/sh
# ISUP in -> PRI out, forwarded (CFU): a caller on the transit exchange calls the
# subscriber; the onward leg is a SETUP on the PRI trunk with the Redirecting Number IE
# (the subscriber, presentation restricted, reason unconditional) and the Calling Party
# Number as received; answered and cleared; nothing left busy; checked by the lab's
# Q.931 ladder (text and --json) and by tshark. (ETSI sends no screening indicator in
# the Redirecting Number IE: libpri leaves it 0.)
. tests/scenarios/pri_lib.sh

start_pri
ctl subscriber add $SUB
ctl forward set $SUB --to $PBX --when unconditional

step "0311110001 calls $SUB (CFU to $PBX behind the PRI): SETUP, answered, cleared"
lab --expect REL.cause=16 call --from 0311110001 --to $SUB --hold 1 > "$T/l1" ||
	fail "CFU call to PRI (ladder: $(cat "$T/l1"))"
grep -q 'transit.*<-  ANM' "$T/l1" || fail "no answer back to the caller"
grep -Eq "pbx +cr=[0-9]+ +<-  SETUP chan=[0-9]+\(exclusive\) called=$(wire $PBX) calling=$(wire 0311110001)\(allowed,network\) rgn=$(wire $SUB)\(restricted,user\) reason=15" "$T/l1" ||
	fail "the lab's ladder has no decoded SETUP: $(grep pbx "$T/l1")"
grep -Eq 'pbx +cr=[0-9]+ +->  CONNECT' "$T/l1" || fail "no CONNECT in the ladder"
check_pri_no_leak

step "The same call with --json: the SETUP as a JSON object"
lab --json call --from 0311110002 --to $SUB --hold 0.3 > "$T/l2" || fail "--json call"
grep -q "\"trunk\":\"pbx\",\"dir\":\"in\",\"type\":\"SETUP\",.*\"rgn\":\"$(wire $SUB)\",\"rgn_ton\":2,\"rgn_pres\":1,\"rgn_screen\":0,\"rgn_reason\":15" "$T/l2" ||
	fail "no JSON SETUP: $(grep pbx "$T/l2")"
check_pri_no_leak

stop_cfwdd
step "tshark on cfwdd's PRI capture"
expect_eq "SETUP: called, calling" "$(qfld "$SETUP_OUT" q931.called_party_number.digits \
	q931.calling_party_number.digits)" "$(wire $PBX) $(wire 0311110001)"
expect_eq "SETUP: Redirecting Number IE" "$(qfld "$SETUP_OUT" \
	q931.redirecting_number.digits q931.presentation_ind q931.extension.reason)" \
	"$(wire $SUB) 0x00,0x01 0x0f"
expect_eq "no NOTIFY/FACILITY from cfwdd" "$(qcnt 'q931.message_type == 0x6e || q931.message_type == 0x62')" "0"
finish
