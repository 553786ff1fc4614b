# tests/soak/soak_lib.sh - shared by the soak cases (sourced): isup_lib.sh's cfwdd/lab
# helpers plus a third span "hostile" (pc 4001) for soak-hostile, figures lines
# ("figure NAME VALUE BOUND ok|FAIL") collected in $SOAK_FIGURES when set, and cfwdd's
# resident memory. SOAK_SHORT=1 picks the CI-in-`make test` sizes.
. tests/scenarios/isup_lib.sh

# figure NAME VALUE OP BOUND: record a figure and check it (OP: -le, -ge, -eq)
figure() {
	if [ "$2" "$3" "$4" ] 2>/dev/null; then
		r=ok
	else
		r=FAIL
		fail "figure $1 = $2, want $3 $4"
	fi
	echo "figure $1 $2 ($3 $4) $r"
	[ -n "$SOAK_FIGURES" ] && echo "$(basename "$0" .sh) $1 $2 $3 $4 $r" >> "$SOAK_FIGURES"
	return 0
}

# cfwdd's config with the hostile span/linkset and routes of the sample numbers to it
hostile_conf() {
	awk '/^\[route\]/ && !done {
		print "[span hostile]\nbackend = sim\nlaw = ulaw\nchannels = 31"
		print "local_port = 21003\nremote_port = 21053\n"
		print "[linkset hostile]\nspan = hostile\nss7type = itu"
		print "networkindicator = national\npointcode = 1001\nadjpointcode = 4001"
		print "sigchan = 16\ncicbeginswith = 1\nchannel => 1-15,17-31"
		print "isup_timer.t7 = 5000\nisup_timer.t1 = 4000\n"
		done = 1
	} { print } END {
		print "route => 0312345678 hostile\nroute => 0398765432 hostile"
	}' conf/cfwd.conf > "$T/cfwd-hostile.conf"
}

# start_cfwdd_conf FILE [extra cfwdd args]: like start_cfwdd, with a ready config; cfwdd
# is stopped after CFWDD_TIMEOUT seconds (default 900; the 2-hour steady run sets more)
start_cfwdd_conf() {
	conf=$1
	shift
	run_cfwdd "${CFWDD_TIMEOUT:-900}" 100 "$conf" --log all=notice "$@"
}

# cfwdd's own pid (CFWDD_PID is the timeout(1) wrapper's)
cfwdd_pid() {
	pgrep -P "$CFWDD_PID" -x cfwdd | head -n 1
}

# kill -9 cfwdd itself (not the wrapper), reap the wrapper
crash_cfwdd() {
	kill -9 "$(cfwdd_pid)" 2>/dev/null
	wait "$CFWDD_PID" 2>/dev/null
	CFWDD_PID=
}

# lab_long SECONDS args...: cfwd-lab with a timeout fitted to a long run
lab_long() {
	secs=$1
	shift
	[ -f "$T/lab.conf" ] || cp conf/lab.conf "$T/lab.conf"
	# exec: "lab_long ... &" leaves $! on timeout(1), which passes a kill on to the lab
	exec timeout $((secs + 60)) "$BUILD/cfwd-lab" -c "$T/lab.conf" "$@"
}

rss_kb() {
	awk '/^VmRSS/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0
}

# CICs stuck once the traffic is over, over every linkset: busy, blocked or leaked.
# Circuits "reset" (waiting for their peer's link to come back, GRS on link up) are
# not stuck; after_calls proves they come back.
stuck_cics() {
	status > "$T/status" 2>/dev/null || { echo 9999; return; }
	grep '^cics ' "$T/status" >&2
	awk '$1 == "cics" { s += $8 + $10 + $14 + $16 } END { print s + 0 }' "$T/status"
}

# after_calls N: N ordinary calls local -> transit after the run; prints how many were
# answered and released cleanly
after_calls() {
	ok=0
	for k in $(seq 1 "$1"); do
		if lab call --from 031200000$k --to 039900000$k --far answer --hold 0.2 \
			> "$T/after$k.out" 2>&1; then
			ok=$((ok + 1))
		else
			grep -v 'INFO\|NOTICE' "$T/after$k.out" | tail -5 >&2
		fi
	done
	echo "$ok"
}

sanitizer_reports() {
	grep -c 'Sanitizer\|runtime error' "$@" 2>/dev/null | awk -F: '{ s += $NF } END { print s + 0 }'
}
