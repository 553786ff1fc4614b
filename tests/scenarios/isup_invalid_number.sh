#!/bin/sh
# A number longer than Q.763 allows never reaches libss7's decoder: the local exchange
# sends an IAM whose original called number has 22 digits on the wire (23 as held, the
# 0 off in Q.763 form); cfwdd's validator stops it
# before libss7 (whose decoder has no bound), releases the call with cause 28 (invalid
# number format) and counts it; the link keeps working and nothing leaks.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "IAM with a 22-digit OCN on the wire: REL 28 back to the caller, nothing on transit"
lab --expect REL.cause=28 call --from 0312345678 --to 0398765432 \
	--redirected-from 03123456789012345678901 --counter 1 > "$T/ladder1" ||
	fail "over-long OCN call"
grep -q 'transit.*IAM' "$T/ladder1" && fail "the IAM went on to transit"
expect_eq "IAMs rejected on local" "$(counter local iam-rejected)" "1"
expect_eq "IAMs that reached libss7 on local" "$(counter local iam-in)" "0"
check_no_leak

step "The next call on the same link goes through"
lab --expect ANM.type=ANM call --from 0312345678 --to 0398765432 --hold 0.2 \
	> "$T/ladder2" || fail "call after the rejected IAM"
grep -q 'local.*<-  ANM' "$T/ladder2" || fail "no answer"
check_no_leak

stop_cfwdd
expect_eq "REL with cause 28 in the pcap" \
	"$(cnt 'isup.message_type == 12 && isup.cause_indicator == 28 && mtp3.dpc == 2001')" "1"
finish
