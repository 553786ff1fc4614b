# tests/scenarios/session_lib.sh - shared by the 142 / remote-control session scenarios
# (sourced, not run): fwd_lib.sh's cfwdd + cfwd-lab + cfwdctl on sim spans, with cfwdd
# logging every detected DTMF digit (media=debug) and the dialogues' steps, PIN hashing
# at its cheapest, and helpers to run `cfwd-lab session` and read the store.
. tests/scenarios/fwd_lib.sh

# The sim ports of both sides of conf/cfwd.conf and conf/lab.conf (P -> base + P % 100)
# are free now: cfwdd's 01/02, the lab's 51/52.
ports_free() {
	for p in 1 2 51 52; do
		[ -z "$(ss -Hluan "sport = :$((CFWD_PORT_BASE + p))" 2>/dev/null)" ] || return 1
	done
}

# start_sessions [sed expressions for cfwd.conf]: as start_cfwdd (another port base when
# the ports are taken), with the log we count (CFWDD_LOG overrides it)
start_sessions() {
	sed -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 60000/' -e 's/^pwhash = .*/pwhash = min/' \
		"$@" conf/cfwd.conf > "$T/cfwd.conf"
	for attempt in 1 2 3 4 5 6 7 8; do
		if ! ports_free; then	# the lab's ports too (cfwdd only finds out its own)
			CFWD_PORT_BASE=$((20000 + ((CFWD_PORT_BASE / 100 + 37 * attempt) % 160) * 100))
			export CFWD_PORT_BASE
			continue
		fi
		rm -f "$T/ctl"
		timeout 300 "$BUILD/cfwdd" -c "$T/cfwd.conf" -f --db "$T/cfwd.db" \
			--pcap "$T/cfwdd.pcap" --ctl "$T/ctl" \
			--log "${CFWDD_LOG:-all=notice,media=debug,ivr=info,remote=info}" \
			>"$T/cfwdd.log" 2>&1 &
		CFWDD_PID=$!
		i=0
		while [ ! -S "$T/ctl" ] && [ $i -lt 50 ] && kill -0 "$CFWDD_PID" 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -S "$T/ctl" ] && return 0
		wait "$CFWDD_PID" 2>/dev/null
		CFWDD_PID=
		grep -q 'Address already in use' "$T/cfwdd.log" || break
		CFWD_PORT_BASE=$((20000 + ((CFWD_PORT_BASE / 100 + 37 * attempt) % 160) * 100))
		export CFWD_PORT_BASE
	done
	cat "$T/cfwdd.log"
	fail "cfwdd did not start"
	exit 1
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
acm_charge() {
	set -- "$(tshark -r "$T/cfwdd.pcap" -Y "isup.message_type == 1 && mtp3.dpc == 1001 &&
		isup.called == \"${1}F\"" -T fields -e frame.number -e isup.cic -e mtp3.opc \
		2>/dev/null | head -n 1)"
	set -- $1
	[ -n "$2" ] || return
	fld "isup.message_type == 6 && mtp3.opc == 1001 && mtp3.dpc == $3 && isup.cic == $2 &&
		frame.number > $1" isup.charge_indicator
}
