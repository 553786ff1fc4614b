#!/bin/sh
# Unconditional forwarding (CFU) through cfwdd: no subscriber leg, the onward IAM at once
# with the caller unchanged and the redirection set of Q.732.2; a second and a fifth
# diversion (incoming redirection information kept and counted on); the limit (REL 18,
# nothing onward); a settings change made with cfwdctl between two calls; billing
# records for the answered forwarded call. Each row is checked by the lab's decoder
# and again by tshark on cfwdd's pcap.
. tests/scenarios/fwd_lib.sh

start_fwd
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "CFU: 0311110001 calls $SUB, the call goes straight to $FWD"
lab $(expect_onward 1 3 3) --expect IAM@in@transit.called=$(wire $FWD)F \
	--expect IAM@in@transit.calling=$(wire 0311110001) --expect IAM@in@transit.calling_pres=0 \
	--expect REL.cause=16 call --from 0311110001 --to $SUB --hold 1.2 > "$T/l1" ||
	fail "CFU call (ladder: $(cat "$T/l1"))"
grep -q 'local.*IAM' "$T/l1" && fail "CFU: an IAM went to the subscriber's exchange"
grep -q 'transit.*<-  ANM' "$T/l1" || fail "CFU: no answer back to the caller"
check_no_leak
expect_eq "billing records after the answered CFU call" "$(cdr_count)" "2"
expect_eq "caller leg record" "$(cdr_count ",caller,0311110001,0311110001,$SUB,")" "1"
expect_eq "forward leg record" "$(cdr_count ",forward,$SUB,$SUB,$FWD,")" "1"

step "Second diversion: the call was already diverted once by 0399990000 (CFU)"
lab $(expect_onward 2 3 3 0399990000 0) call --from 0311110002 --to $SUB \
	--redirected-from 0399990000 --counter 1 --hold 0.2 > "$T/l2" || fail "2nd diversion"
check_no_leak

step "Fifth diversion: incoming counter 4 becomes 5"
lab $(expect_onward 5 3 3 0399990000 0) call --from 0311110003 --to $SUB \
	--redirected-from 0399990000 --counter 4 --hold 0.2 > "$T/l3" || fail "5th diversion"
check_no_leak

step "The limit: incoming counter 5, not diverted again, REL 18 to the caller"
lab --expect REL@in@transit.cause=18 call --from 0311110004 --to $SUB \
	--redirected-from 0399990000 --counter 5 > "$T/l4" || fail "limit call"
grep -q 'transit.*<-  IAM' "$T/l4" && fail "limit: an onward IAM was sent"
check_no_leak

step "Settings change between two calls: off, then CFU to another number"
ctl forward set $SUB --when off
lab --expect IAM@in@local.called=$(wire $SUB)F --expect IAM@in@local.redir_counter= \
	call --from 0311110005 --to $SUB --hold 0.2 > "$T/l5" || fail "call with forwarding off"
ctl forward set $SUB --to 0398765499 --when unconditional
lab $(expect_onward 1 3 3) --expect IAM@in@transit.called=$(wire 0398765499)F \
	call --from 0311110006 --to $SUB --hold 0.2 > "$T/l6" || fail "call after the change"
check_no_leak
expect_eq "records: unanswered-free, two per answered forwarded call" "$(cdr_count)" "8"

stop_cfwdd
step "tshark on cfwdd's pcap"
expect_eq "CFU onward IAM" "$(onward 0311110001)" \
	"$(wire 0311110001) 3 $(wire $SUB) $(wire $SUB) 4 3 1 3 0,1,1"
expect_eq "CFU: IAMs towards the subscriber's exchange" "$(iams_from 0311110001 2001)" "0"
expect_eq "2nd diversion" "$(onward 0311110002)" \
	"$(wire 0311110002) 3 $(wire 0399990000) $(wire $SUB) 4 3 2 3 0,1,0"
expect_eq "5th diversion" "$(onward 0311110003)" \
	"$(wire 0311110003) 3 $(wire 0399990000) $(wire $SUB) 4 3 5 3 0,1,0"
expect_eq "limit: IAMs sent by cfwdd" "$(iams_from 0311110004)" "0"
expect_eq "limit: REL cause to the caller" "$(rel_to_caller 0311110004)" "18"
expect_eq "forwarding off: plain IAM to the subscriber" \
	"$(iams_from 0311110005 2001) $(onward 0311110005 $SUB)" "1 $(wire 0311110005) 3       0"
expect_eq "after the change" "$(onward 0311110006 0398765499)" \
	"$(wire 0311110006) 3 $(wire $SUB) $(wire $SUB) 4 3 1 3 0,1,1"
check_no_notification
finish
