#!/bin/sh
# 142 from a subscriber behind a PRI: the PBX line 0355123456 dials 142 (SETUP on the
# trunk, answered by cfwdd with CONNECT), hears the guidance on its B-channel and keys
# "2 <number> # 1 0 1 1" as in-band DTMF (no keypad IEs); forwarding is then registered
# and on, and the next call to that line is forwarded with the Redirecting Number
# unchanged in spirit: the onward IAM carries OCN/RGN = the PRI subscriber.
. tests/scenarios/pri_lib.sh

CFWDD_LOG=all=notice,media=debug,ivr=info start_pri -e 's/^pwhash = .*/pwhash = min/'
ctl subscriber add $PBX

step "$PBX dials 142 over the PRI: 2, $FWD #, 1, 0, 1 1 by DTMF audio"
timeout 120 "$BUILD/cfwd-lab" -c "$T/lab.conf" session --from $PBX --to 142 --wait-prompts \
	--keys "2 ${FWD}# 1 0 1 1" > "$T/s1" 2>&1 || fail "142 session over PRI: $(cat "$T/s1")"
grep -q "^session $PBX -> 142: answered" "$T/s1" || fail "session: $(cat "$T/s1")"
expect_eq "keys detected by cfwdd" "$(grep -c ' DTMF . at ' "$T/cfwdd.log")" "16"
"$BUILD/cfwdctl" --db "$T/cfwd.db" --conf "$T/cfwd.conf" show $PBX > "$T/show"
grep -q "^forward-to *$FWD" "$T/show" || fail "forward-to not set: $(cat "$T/show")"
grep -q "^condition *unconditional" "$T/show" || fail "condition: $(cat "$T/show")"
check_pri_no_leak

step "A call to $PBX is now forwarded to $FWD"
lab --expect IAM@in@transit.rgn=$(wire $PBX) --expect IAM@in@transit.ocn=$(wire $PBX) \
	--expect IAM@in@transit.called=$(wire $FWD)F call --from 0311110001 --to $PBX --hold 0.3 \
	> "$T/l1" || fail "forwarded call: $(cat "$T/l1")"
check_pri_no_leak

stop_cfwdd
expect_eq "no keypad facility IEs received" "$(qcnt 'q931.keypad_facility')" "0"
finish
