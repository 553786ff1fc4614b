# tests/scenarios/fwd_lib.sh - shared by the forwarding scenario tests (sourced, not
# run): isup_lib.sh's cfwdd + cfwd-lab on sim spans (T9 long enough for CFNR), plus
# cfwdctl on the same store, and helpers that read the onward IAM twice: from the lab's
# decoded view (--expect on IAM@in@transit) and from tshark on cfwdd's pcap.
# Numbers: the subscriber 0312345678 is behind the local exchange; forward-to numbers
# 03987654xx and the callers 03111100xx are behind transit. The helpers take numbers as
# held (0312345678) and look for them on the wire in Q.763 form (`wire`, wire_lib.sh);
# what they print from the wire is in that form (312345678).
. tests/scenarios/isup_lib.sh

SUB=0312345678
FWD=0398765432

# No circuit held by a call and no call left. Unlike isup_lib.sh's version, circuits in
# "reset" pass: when cfwd-lab exits, cfwdd sees the links go down and resets every
# circuit until the next lab aligns them again (a slow run, e.g. under ASan, sees that).
check_no_leak() {
	sleep 0.2
	status > "$T/status"
	grep -q '^cics ' "$T/status" || { fail "no status from cfwdd"; return; }
	while read -r _ name _ total _ idle _ bin _ bout _ reset _ blocked _ leaked; do
		if [ "$bin" != 0 ] || [ "$bout" != 0 ] || [ "$leaked" != 0 ] ||
			[ $((idle + reset)) != "$total" ]; then
			fail "linkset $name: $idle/$total idle, busy-in $bin busy-out $bout reset $reset leaked $leaked"
		fi
	done <<EOS
$(grep '^cics ' "$T/status")
EOS
	grep -q '^calls active 0 ' "$T/status" || fail "calls still active: $(grep '^calls' "$T/status")"
}

start_fwd() {	# start_fwd [sed expressions for cfwd.conf]
	start_cfwdd -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 60000/' "$@"
}

ctl() {
	"$BUILD/cfwdctl" --db "$T/cfwd.db" --conf "$T/cfwd.conf" "$@" > "$T/ctl.out" 2>&1 ||
		fail "cfwdctl $* (see $(cat "$T/ctl.out"))"
}

# The lab's view of the onward IAM (received on transit) and of the call's end.
# expect_onward COUNTER REASON ORIG_REASON [OCN [OCN_PRES]] (a kept OCN keeps its APRI;
# OCN as held, checked in its wire form)
expect_onward() {
	echo "--expect IAM@in@transit.ocn=$(wire "${4:-$SUB}") --expect IAM@in@transit.ocn_pres=${5:-1}" \
		"--expect IAM@in@transit.rgn=$(wire "$SUB") --expect IAM@in@transit.rgn_pres=1" \
		"--expect IAM@in@transit.redir_ind=4 --expect IAM@in@transit.redir_counter=$1" \
		"--expect IAM@in@transit.redir_reason=$2" \
		"--expect IAM@in@transit.redir_orig_reason=$3" \
		"--expect IAM.redirect_counter_77="
}

# tshark: the onward IAM cfwdd sent for CALLER to TO (default $FWD), as
# "calling screen ocn rgn ind orig counter reason apri(calling,rgn,ocn)", numbers as on
# the wire
onward() {
	tshark -r "$T/cfwdd.pcap" -Y "isup.message_type == 1 && mtp3.opc == 1001 &&
		isup.calling == \"$(wire "$1")\" && isup.called == \"$(wire "${2:-$FWD}")F\"" \
		-T fields \
		-E separator=' ' -E occurrence=a -E aggregator=, -e isup.calling \
		-e isup.screening_indicator \
		-e isup.original_called_number -e isup.redirecting -e isup.redirecting_ind \
		-e isup.original_redirection_reason -e isup.redirection_counter \
		-e isup.redirection_reason -e isup.address_presentation_restricted_indicator \
		2>/dev/null | head -n 1
}

# Number of IAMs cfwdd sent for CALLER (any called number), and to a given dpc.
iams_from() {
	cnt "isup.message_type == 1 && mtp3.opc == 1001 && isup.calling == \"$(wire "$1")\"${2:+ && mtp3.dpc == $2}"
}

# REL cause cfwdd sent towards the caller's exchange on CALLER's call: the first REL to
# transit on the CIC of the IAM cfwdd received from CALLER, after that IAM.
rel_to_caller() {
	set -- "$(tshark -r "$T/cfwdd.pcap" -Y "isup.message_type == 1 && mtp3.dpc == 1001 &&
		isup.calling == \"$(wire "$1")\"" -T fields -e frame.number -e isup.cic 2>/dev/null |
		head -n 1)"
	set -- $1
	[ -n "$2" ] || return
	fld "isup.message_type == 12 && mtp3.opc == 1001 && mtp3.dpc == 3001 &&
		isup.cic == $2 && frame.number > $1" isup.cause_indicator
}

# No diversion notification ever went back (Q.732.2 with notification off).
check_no_notification() {
	expect_eq "diversion notifications sent by cfwdd" "$(cnt 'mtp3.opc == 1001 &&
		(isup.redirection_number || isup.call_diversion_information ||
		isup.notification_indicator || (isup.event_ind >= 4 && isup.event_ind <= 6))')" "0"
	expect_eq "IAMs with redirect counter 0x77" "$(cnt 'isup.redirect_counter')" "0"
}

# The caller's leg in a lab ladder: its CIC on transit, and whether cfwdd released it.
caller_cic() {
	sed -n 's/^ *[0-9.]* transit cic=\([0-9]*\) *->  IAM .*/\1/p' "$1" | head -n 1
}
caller_released() {	# caller_released LADDER: true if cfwdd sent REL to the caller
	grep -Eq "transit cic=$(caller_cic "$1") +<-  REL" "$1"
}

cdr_count() {	# billing records in the store
	"$BUILD/cfwdctl" --db "$T/cfwd.db" --conf "$T/cfwd.conf" cdr export --csv |
		tail -n +2 | grep -c "${1:-.}"
}
