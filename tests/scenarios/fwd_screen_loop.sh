#!/bin/sh
# Precedence and loops: a withheld caller is forwarded with the presentation kept
# (restricted) when Number Request is off, rejected with cause 21 and never forwarded
# when it is on; a caller on the rejection list is rejected (21) and never forwarded; two
# subscribers forwarding unconditionally to each other loop through the network (the
# lab sends each onward call back to cfwdd) until the counter reaches the limit, then
# the caller gets cause 18 and every circuit is idle again. Lab decoder + tshark.
. tests/scenarios/fwd_lib.sh

A=0312000001
B=0312000002
start_fwd
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "A withheld caller, Number Request off: forwarded, presentation restricted kept"
lab $(expect_onward 1 3 3) --expect IAM@in@transit.calling=$(wire 0311140001) \
	--expect IAM@in@transit.calling_pres=1 call --from 0311140001 --to $SUB --restricted \
	--hold 0.2 > "$T/l1" || fail "withheld caller forwarded"
check_no_leak

step "A withheld caller, Number Request on: REL 21, never forwarded"
ctl number-request on $SUB
lab --expect REL@in@transit.cause=21 call --from 0311140002 --to $SUB --restricted \
	> "$T/l2" || fail "withheld caller rejected"
grep -q '<-  IAM' "$T/l2" && fail "Number Request: an IAM left cfwdd"
step "... while a caller presenting the number is still forwarded"
lab $(expect_onward 1 3 3) call --from 0311140003 --to $SUB --hold 0.2 > "$T/l3" ||
	fail "presented caller with Number Request on"
ctl number-request off $SUB
check_no_leak

step "A caller on the rejection list: REL 21, never forwarded"
ctl reject add $SUB 0311140004
lab --expect REL@in@transit.cause=21 call --from 0311140004 --to $SUB > "$T/l4" ||
	fail "rejected caller"
grep -q '<-  IAM' "$T/l4" && fail "rejection list: an IAM left cfwdd"
check_no_leak

step "A loop: $A and $B forward to each other; ends at the limit with cause 18"
ctl subscriber add $A
ctl subscriber add $B
ctl forward set $A --to $B --when unconditional
ctl forward set $B --to $A --when unconditional
lab --expect REL@in@transit.cause=18 call --from 0311140005 --to $A \
	--far-at $A=loop --far-at $B=loop > "$T/l5" || fail "loop call (ladder: $(cat "$T/l5"))"
expect_eq "loop: onward IAMs seen by the lab" "$(grep -c 'local.*<-  IAM' "$T/l5")" "5"
expect_eq "loop: counters carried" "$(sed -n 's/.*local.*<-  IAM.*ri=4\/3\/\([0-9]\)\/3.*/\1/p' \
	"$T/l5" | tr '\n' ' ')" "1 2 3 4 5 "
check_no_leak
expect_eq "billing records (nothing answered but the first two calls)" "$(cdr_count)" "4"

stop_cfwdd
step "tshark on cfwdd's pcap"
expect_eq "withheld caller forwarded" "$(onward 0311140001)" \
	"$(wire 0311140001) 3 $(wire $SUB) $(wire $SUB) 4 3 1 3 1,1,1"
expect_eq "Number Request: IAMs sent" "$(iams_from 0311140002)" "0"
expect_eq "Number Request: REL cause to the caller" "$(rel_to_caller 0311140002)" "21"
expect_eq "rejection list: IAMs sent" "$(iams_from 0311140004)" "0"
expect_eq "rejection list: REL cause to the caller" "$(rel_to_caller 0311140004)" "21"
expect_eq "loop: IAMs sent by cfwdd, counters" "$(tshark -r "$T/cfwdd.pcap" -Y \
	"isup.message_type == 1 && mtp3.opc == 1001 && isup.calling == \"$(wire 0311140005)\"" \
	-T fields -e isup.redirection_counter 2>/dev/null | tr '\n' ' ')" "1 2 3 4 5 "
expect_eq "loop: REL cause to the caller" "$(rel_to_caller 0311140005)" "18"
check_no_notification
finish
