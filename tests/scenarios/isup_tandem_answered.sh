#!/bin/sh
# A tandem call through cfwdd, answered: 0312345678 on the local exchange calls
# 0398765432 behind the transit exchange. The onward IAM keeps the caller's number and
# presentation (checked by the lab's decoder and, independently, by tshark on cfwdd's
# pcap); ACM, ANM, REL and RLC pass on both legs; no CIC is left busy.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "An unrestricted caller: IAM -> ACM -> ANM, caller releases"
lab --expect IAM.calling=$(wire 0312345678) --expect IAM.called=$(wire 0398765432)F \
	--expect IAM.calling_pres=0 --expect IAM.redirect_counter_77= --expect REL.cause=16 \
	call --from 0312345678 --to 0398765432 --hold 0.5 > "$T/ladder1" ||
	fail "lab call 1 (see ladder below)"
grep -q 'transit.*<-  IAM' "$T/ladder1" || fail "no IAM on the transit span"
grep -q 'local.*<-  ANM' "$T/ladder1" || fail "no ANM back to the caller"
check_no_leak

step "A restricted caller: presentation restricted is carried over unchanged"
lab --expect IAM.calling_pres=1 call --from 0312345678 --to 0398765433 --restricted \
	--hold 0.2 > "$T/ladder2" || fail "lab call 2"
check_no_leak

step "The other direction: transit caller to a local number"
lab --expect IAM.calling=$(wire 0398765432) call --from 0398765432 --to 0312345678 --hold 0.2 \
	> "$T/ladder3" || fail "lab call 3"
grep -q 'local.*<-  IAM' "$T/ladder3" || fail "no IAM on the local span"
check_no_leak

stop_cfwdd
step "tshark: the IAM cfwdd forwarded to transit (dpc 3001)"
expect_eq "forwarded called" "$(fld 'isup.message_type == 1 && mtp3.dpc == 3001' isup.called)" \
	"$(wire 0398765432)F"
expect_eq "forwarded calling" "$(fld 'isup.message_type == 1 && mtp3.dpc == 3001' isup.calling)" \
	"$(wire 0312345678)"
expect_eq "restricted call's APRI" \
	"$(fld "isup.message_type == 1 && mtp3.dpc == 3001 && isup.called == \"$(wire 0398765433)F\"" \
		isup.address_presentation_restricted_indicator)" "1"
expect_eq "IAMs with redirect counter 0x77" "$(cnt 'isup.redirect_counter')" "0"
expect_eq "ANM sent to the caller's exchange" "$(cnt 'isup.message_type == 9 && mtp3.dpc == 2001')" "2"
[ "$FAILS" -eq 0 ] || cat "$T/ladder1"
finish
