#!/bin/sh
# Numbers on the wire in Q.763 form, the shipped default: conf/cfwd.conf and conf/lab.conf
# set `nationalprefix = 0` and `internationalprefix = 010` on every linkset, so a
# national number travels without its trunk prefix as NAI 3 (national significant
# number) and gets it back on receipt: the store, routing and forwarding still see
# 0312345678. A CFU call: the lab sends 312345678 NAI 3; cfwdd matches the subscriber
# and the onward IAM carries called 398765432, calling 311110001, OCN and RGN 312345678,
# all NAI 3 (lab decoder and tshark); billing keeps the held form. A tandem call to a
# non-subscriber and a call whose caller is international (NAI 4, without 010) keep their
# form across cfwdd. Then the opposite setting: both ends without the keys, numbers go
# out as held (0398765432, NAI 3) and the same CFU call still forwards.
. tests/scenarios/fwd_lib.sh

start_fwd
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "CFU: 0311110001 calls $SUB; on the wire 311110001 -> 312345678, both NAI 3"
lab --expect IAM@out@transit.called=312345678F --expect IAM@out@transit.called_nai=3 \
	--expect IAM@out@transit.calling=311110001 --expect IAM@out@transit.calling_nai=3 \
	--expect IAM@in@transit.called=398765432F --expect IAM@in@transit.called_nai=3 \
	--expect IAM@in@transit.calling=311110001 --expect IAM@in@transit.calling_nai=3 \
	--expect IAM@in@transit.ocn=312345678 --expect IAM@in@transit.ocn_nai=3 \
	--expect IAM@in@transit.rgn=312345678 --expect IAM@in@transit.rgn_nai=3 \
	--expect IAM@in@transit.redir_counter=1 --expect IAM@in@transit.redir_reason=3 \
	call --from 0311110001 --to $SUB --hold 0.3 > "$T/l1" || fail "CFU call ($(cat "$T/l1"))"
grep -q 'local.*IAM' "$T/l1" && fail "CFU: an IAM went to the subscriber's exchange"
check_no_leak
expect_eq "forward leg billing record (numbers as held: with the 0)" \
	"$(cdr_count ",forward,$SUB,$SUB,$FWD,")" "1"
expect_eq "the scenarios' wire helper agrees" "$(wire $SUB) $(wire 010442079460000)" \
	"312345678 442079460000"

step "Tandem to a non-subscriber: 0399000001 leaves as 399000001 NAI 3"
lab --expect IAM@in@transit.called=399000001F --expect IAM@in@transit.called_nai=3 \
	--expect IAM@in@transit.calling=312340001 \
	call --from 0312340001 --to 0399000001 --hold 0.2 > "$T/l2" || fail "tandem ($(cat "$T/l2"))"
check_no_leak

step "An international caller (010 44 20 7946 0000) stays international, NAI 4"
lab --expect IAM@out@transit.calling=442079460000 --expect IAM@out@transit.calling_nai=4 \
	--expect IAM@in@local.calling=442079460000 --expect IAM@in@local.calling_nai=4 \
	--expect IAM@in@local.called=312340002F \
	call --from 010442079460000 --via transit --to 0312340002 --hold 0.2 > "$T/l3" ||
	fail "international caller ($(cat "$T/l3"))"
check_no_leak

stop_cfwdd
step "tshark on cfwdd's pcap: the onward IAM"
expect_eq "onward IAM: called, calling, OCN, RGN, NAIs (calling, RGN, OCN)" \
	"$(tshark -r "$T/cfwdd.pcap" -Y "isup.message_type == 1 && mtp3.opc == 1001 &&
		isup.called == \"398765432F\"" -T fields -E separator=' ' -E occurrence=a \
		-E aggregator=, -e isup.called -e isup.calling -e isup.original_called_number \
		-e isup.redirecting -e isup.calling_party_nature_of_address_indicator \
		2>/dev/null | head -n 1)" \
	"398765432F 311110001 312345678 312345678 3,3,3"

step "Both ends without nationalprefix/internationalprefix: numbers go out as held"
NOPREFIX='/^nationalprefix = /d;/^internationalprefix = /d'
start_fwd -e "$NOPREFIX"
lab_conf -e "$NOPREFIX"
lab --expect IAM@out@transit.called=0312345678F --expect IAM@out@transit.called_nai=3 \
	--expect IAM@in@transit.called=0398765432F --expect IAM@in@transit.called_nai=3 \
	--expect IAM@in@transit.calling=0311110002 --expect IAM@in@transit.calling_nai=3 \
	--expect IAM@in@transit.ocn=0312345678 --expect IAM@in@transit.rgn=0312345678 \
	--expect IAM@in@transit.redir_counter=1 \
	call --from 0311110002 --to $SUB --hold 0.2 > "$T/l4" || fail "CFU unset ($(cat "$T/l4"))"
check_no_leak
expect_eq "forward leg billing records (the same held form either way)" \
	"$(cdr_count ",forward,$SUB,$SUB,$FWD,")" "2"
finish
