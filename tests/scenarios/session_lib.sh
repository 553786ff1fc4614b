# tests/scenarios/session_lib.sh - shared by the 142 / remote-control session scenarios
# (sourced, not run): fwd_lib.sh's cfwdd + cfwd-lab + cfwdctl on sim spans, with cfwdd
# logging every detected DTMF digit (media=debug) and the dialogues' steps, PIN hashing
# at its cheapest, and helpers to run `cfwd-lab session` and read the store.
. tests/scenarios/fwd_lib.sh

# start_sessions [sed expressions for cfwd.conf]: as start_cfwdd, with the log we count
# (CFWDD_LOG overrides it)
start_sessions() {
	sed -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 60000/' -e 's/^pwhash = .*/pwhash = min/' \
		"$@" conf/cfwd.conf > "$T/cfwd.conf"
	run_cfwdd 300 50 "$T/cfwd.conf" --pcap "$T/cfwdd.pcap" \
		--log "${CFWDD_LOG:-all=notice,media=debug,ivr=info,remote=info}"
}

# session OUT [cfwd-lab options...] session-options: run cfwd-lab session, ladder in OUT
session() {
	out=$1
	shift
	[ -f "$T/lab.conf" ] || cp conf/lab.conf "$T/lab.conf"
	timeout 120 "$BUILD/cfwd-lab" -c "$T/lab.conf" "$@" > "$T/$out" 2>&1
}

# show NUM FIELD: one line of `cfwdctl show` ("forward-to", "list", ...); cond NUM: the
# condition alone
show() {
	"$BUILD/cfwdctl" --db "$T/cfwd.db" --conf "$T/cfwd.conf" show "$1" |
		awk -v k="$2" '$1 == k { $1 = ""; sub(/^ +/, ""); print }'
}

cond() {
	show "$1" condition | cut -d' ' -f1
}

# DTMF digits cfwdd detected so far (each key once)
digits_detected() {
	grep -c ' DTMF . at ' "$T/cfwdd.log"
}

# charge indicator of the ACM cfwdd sent on the first call with called number CALLED
# (as held; looked for in its wire form)
acm_charge() {
	set -- "$(tshark -r "$T/cfwdd.pcap" -Y "isup.message_type == 1 && mtp3.dpc == 1001 &&
		isup.called == \"$(wire "$1")F\"" -T fields -e frame.number -e isup.cic -e mtp3.opc \
		2>/dev/null | head -n 1)"
	set -- $1
	[ -n "$2" ] || return
	fld "isup.message_type == 6 && mtp3.opc == 1001 && mtp3.dpc == $3 && isup.cic == $2 &&
		frame.number > $1" isup.charge_indicator
}
