#!/bin/sh
# Busy forwarding (CFB) through cfwdd: the subscriber leg first; its REL 17 before
# answer clears it and the onward leg is placed while the caller's leg stays up (reason
# user busy); a subscriber who answers is not diverted; at the limit the caller gets
# REL 17; "no reply or busy" diverts a busy subscriber too; a failing forward-to leg's
# cause goes back to the caller, with no second attempt. Lab decoder + tshark.
. tests/scenarios/fwd_lib.sh

start_fwd
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when busy

step "CFB: the subscriber is busy (REL 17), the call goes on to $FWD"
lab $(expect_onward 1 1 1) --expect IAM@in@local.called=$(wire $SUB)F \
	--expect IAM@in@local.redir_counter= --expect REL@out@local.cause=17 \
	--expect IAM@in@transit.calling=$(wire 0311120001) --expect REL@out@transit.cause=16 \
	call --from 0311120001 --to $SUB --far-at $SUB=busy --hold 1.2 > "$T/l1" ||
	fail "CFB call (ladder: $(cat "$T/l1"))"
grep -q 'transit.*<-  ANM' "$T/l1" || fail "CFB: no answer back to the caller"
caller_released "$T/l1" && fail "CFB: the caller was released"
check_no_leak
expect_eq "billing records after the answered CFB call" "$(cdr_count)" "2"

step "The subscriber answers: no diversion, no record"
lab call --from 0311120002 --to $SUB --hold 0.2 > "$T/l2" ||
	fail "answered call"
grep -q 'transit.*<-  IAM' "$T/l2" && fail "answered: an onward IAM was sent"
check_no_leak

step "At the limit (incoming counter 5): the caller gets REL 17, nothing onward"
lab --expect REL@in@transit.cause=17 call --from 0311120003 --to $SUB \
	--redirected-from 0399990000 --counter 5 --far-at $SUB=busy > "$T/l3" ||
	fail "limit call"
grep -q 'transit.*<-  IAM' "$T/l3" && fail "limit: an onward IAM was sent"
check_no_leak

step "Forward-to busy as well: REL 17 passes back to the caller, one attempt only"
lab --expect REL@in@transit.cause=17 call --from 0311120004 --to $SUB \
	--far-at $SUB=busy --far-at $FWD=busy > "$T/l4" || fail "forward-to busy"
expect_eq "onward IAMs" "$(grep -c 'transit.*<-  IAM' "$T/l4")" "1"
check_no_leak

step "Forward-to unallocated: REL 1 passes back"
lab --expect REL@in@transit.cause=1 call --from 0311120005 --to $SUB \
	--far-at $SUB=busy --far-at $FWD=unallocated > "$T/l5" || fail "forward-to unallocated"
check_no_leak

step "No reply or busy (CFNR+CFB), subscriber busy: diverted with reason busy"
ctl forward set $SUB --when no-reply-busy
lab $(expect_onward 1 1 1) call --from 0311120006 --to $SUB --far-at $SUB=busy \
	--hold 0.2 > "$T/l6" || fail "CFNR+CFB busy"
check_no_leak
expect_eq "billing records" "$(cdr_count)" "4"

stop_cfwdd
step "tshark on cfwdd's pcap"
expect_eq "CFB onward IAM" "$(onward 0311120001)" \
	"$(wire 0311120001) 3 $(wire $SUB) $(wire $SUB) 4 1 1 1 0,1,1"
expect_eq "CFB: the subscriber leg's IAM" "$(onward 0311120001 $SUB)" "$(wire 0311120001) 3       0"
expect_eq "answered: IAMs sent" "$(iams_from 0311120002)" "1"
expect_eq "limit: IAMs sent (the subscriber leg only)" "$(iams_from 0311120003)" "1"
expect_eq "limit: REL cause to the caller" "$(rel_to_caller 0311120003)" "17"
expect_eq "forward-to busy: REL cause to the caller" "$(rel_to_caller 0311120004)" "17"
expect_eq "forward-to busy: IAMs sent (subscriber + one onward)" "$(iams_from 0311120004)" "2"
expect_eq "forward-to unallocated: REL cause to the caller" "$(rel_to_caller 0311120005)" "1"
expect_eq "CFNR+CFB busy onward IAM" "$(onward 0311120006)" \
	"$(wire 0311120006) 3 $(wire $SUB) $(wire $SUB) 4 1 1 1 0,1,1"
check_no_notification
finish
