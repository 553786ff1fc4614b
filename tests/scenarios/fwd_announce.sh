#!/bin/sh
# The announcement treatment of rejected calls ([service] number_request_treatment =
# announce, reject_list_treatment = announce): a withheld caller to a subscriber with
# Number Request, and a caller on the rejection list, each get ACM (no charge, OBCI
# "in-band information"), hear the prompt on their own timeslot (the lab records it:
# energy present), then REL 21; never answered, forwarded or billed. A caller hanging up
# during the announcement clears normally, and the same circuit is announced on again.
# Lab decoder + tshark on cfwdd's pcap.
. tests/scenarios/fwd_lib.sh

start_fwd -e 's/^\[service\]$/[service]\nnumber_request_treatment = announce\nreject_list_treatment = announce/'
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional
ctl number-request on $SUB
ctl reject add $SUB 0311150002

# rms WAV: RMS amplitude of a recording (0..1), as sox reports it
rms() {
	sox "$1" -n stat 2>&1 | awk '/^RMS +amplitude/ { print $3 }'
}
loud() {	# loud WAV: true when the recording holds speech-level energy
	awk -v r="$(rms "$1")" 'BEGIN { exit !(r > 0.02) }'
}

step "Number Request on, withheld caller 0311150001: ACM, announcement, REL 21"
lab --expect REL@in@transit.cause=21 call --from 0311150001 --to $SUB --restricted \
	--record "$T/nr.wav" > "$T/l1" || fail "Number Request call (ladder: $(cat "$T/l1"))"
grep -Eq 'transit .*<-  ACM' "$T/l1" || fail "Number Request: no ACM before the announcement"
grep -q '<-  ANM' "$T/l1" && fail "Number Request: the call was answered"
grep -q '<-  IAM' "$T/l1" && fail "Number Request: an IAM left cfwdd"
loud "$T/nr.wav" || fail "Number Request: nothing heard (RMS $(rms "$T/nr.wav"))"
echo "heard: RMS $(rms "$T/nr.wav")"
check_no_leak

step "Rejection list, caller 0311150002 presenting its number: announcement, REL 21"
lab --expect REL@in@transit.cause=21 call --from 0311150002 --to $SUB \
	--record "$T/rl.wav" > "$T/l2" || fail "rejection list call (ladder: $(cat "$T/l2"))"
grep -Eq 'transit .*<-  ACM' "$T/l2" || fail "rejection list: no ACM"
grep -q '<-  IAM' "$T/l2" && fail "rejection list: an IAM left cfwdd"
loud "$T/rl.wav" || fail "rejection list: nothing heard (RMS $(rms "$T/rl.wav"))"
check_no_leak

step "The caller hangs up 1 s into the announcement on cic 7: normal clearing"
lab call --from 0311150003 --to $SUB --restricted --cic 7 --abandon 1 > "$T/l3" ||
	fail "abandoned announcement (ladder: $(cat "$T/l3"))"
grep -Eq 'transit cic=7 +->  REL' "$T/l3" || fail "abandon: the lab did not release"
grep -Eq 'transit cic=7 +<-  RLC' "$T/l3" || fail "abandon: no RLC from cfwdd"
grep -Eq 'transit cic=7 +<-  REL' "$T/l3" && fail "abandon: cfwdd released too"
check_no_leak
step "... the same circuit is announced on again"
lab --expect REL@in@transit.cause=21 call --from 0311150004 --to $SUB --restricted \
	--cic 7 > "$T/l4" || fail "announcement after the abandon"
grep -Eq 'transit cic=7 +<-  ACM' "$T/l4" || fail "after the abandon: no ACM on cic 7"
check_no_leak
expect_eq "billing records" "$(cdr_count)" "0"

stop_cfwdd
step "tshark on cfwdd's pcap"
for c in 0311150001 0311150002; do
	cic=$(fld "isup.message_type == 1 && mtp3.dpc == 1001 && isup.calling == \"$(wire $c)\"" \
		isup.cic)
	acm="isup.message_type == 6 && mtp3.opc == 1001 && isup.cic == $cic"
	expect_eq "$c: ACM charge indicator" "$(fld "$acm" isup.charge_indicator)" "0x0001"
	expect_eq "$c: ACM in-band information" \
		"$(fld "$acm" isup.inband_information_ind)" "1"
	expect_eq "$c: IAMs sent by cfwdd" "$(iams_from $c)" "0"
	expect_eq "$c: REL cause to the caller" "$(rel_to_caller $c)" "21"
	# the prompt played between ACM and REL: seconds, not an immediate release
	t=$(tshark -r "$T/cfwdd.pcap" -Y "mtp3.opc == 1001 && isup.cic == $cic &&
		(isup.message_type == 6 || isup.message_type == 12)" -T fields \
		-e frame.time_relative 2>/dev/null | head -n 2 | tr '\n' ' ')
	awk -v t="$t" 'BEGIN { split(t, a, " "); exit !(a[2] - a[1] > 1.5) }' ||
		fail "$c: ACM -> REL only '$t'"
done
expect_eq "answers sent by cfwdd" "$(cnt 'isup.message_type == 9 && mtp3.opc == 1001')" "0"
expect_eq "RELs sent by cfwdd on cic 7 (the second call's only)" \
	"$(cnt 'isup.message_type == 12 && mtp3.opc == 1001 && mtp3.dpc == 3001 && isup.cic == 7')" "1"
finish
