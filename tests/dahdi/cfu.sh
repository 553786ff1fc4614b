#!/bin/sh
# tests/dahdi/cfu.sh SIG - in the DAHDI test VM: unconditional forwarding (CFU) over DAHDI
# spans. The subscriber gets CFU with cfwdctl; a caller behind transit calls it; the onward
# IAM leaves cfwdd on the transit span at once, nothing goes to the subscriber's exchange;
# the lab's decoder checks the redirection set field by field, and the host reads the
# same IAM from cfwdd's pcap with tshark (scripts/dahdi-vm/test-dahdi). No CIC leaked.
NAME=cfu SIG=$1
. /test/lib.sh
start_cfwdd
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "CFU: 0311110001 calls $SUB, the call goes straight to $FWD"
lab_answered "$T/l1" --expect IAM@in@transit.called=$(wire $FWD)F \
	--expect IAM@in@transit.calling=$(wire 0311110001) --expect IAM@in@transit.calling_pres=0 \
	--expect IAM@in@transit.ocn=$(wire $SUB) --expect IAM@in@transit.ocn_pres=1 \
	--expect IAM@in@transit.rgn=$(wire $SUB) --expect IAM@in@transit.rgn_pres=1 \
	--expect IAM@in@transit.redir_ind=4 --expect IAM@in@transit.redir_counter=1 \
	--expect IAM@in@transit.redir_reason=3 --expect IAM@in@transit.redir_orig_reason=3 \
	--expect IAM.redirect_counter_77= --expect REL.cause=16 \
	call --from 0311110001 --to $SUB --hold 1 ||
	{ cat "$T/l1"; fail "CFU call"; }
cat "$T/l1"
grep -q 'local.*IAM' "$T/l1" && fail "CFU: an IAM went to the subscriber's exchange"
grep -q 'transit.*<-  ANM' "$T/l1" || fail "CFU: no answer back to the caller"
check_no_leak "after the CFU call"
finish
