# tests/dahdi/lib.sh - sourced by the scenarios that run inside the DAHDI test VM
# (busybox sh): cfwdd on DAHDI spans 1 (local) and 3 (transit), cfwd-lab on their looped
# peers 2 and 4, with conf/cfwd.conf and conf/lab.conf changed only in their [span]
# sections; cfwdctl on cfwdd's store; the no-leak check; cfwdd's pcap and log left in
# /out as NAME-SIG.pcap / .log for the host (tshark); `wire NUMBER` (/test/wire_lib.sh,
# tests/scenarios/wire_lib.sh on the host): the number in its Q.763 wire form, as the
# ladder and --expect show it. Set NAME and SIG before sourcing.
SUB=0312345678
FWD=0398765432
. /test/wire_lib.sh
T=/tmp/$NAME-$SIG
rm -rf "$T"
mkdir -p "$T"
FAILS=0
CFWDD_PID=
step() { echo "-- $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# dahdi_spans FILE NAME=BASE...: [span NAME] becomes backend dahdi from channel BASE.
dahdi_spans() {
	f=$1
	shift
	cp "$f" "$T/conf.tmp"
	for nb in "$@"; do
		sed -i -e "/^\[span ${nb%%=*}\]/,/^\[/{s/^backend = sim/backend = dahdi/" \
			-e "/^remote_port/d" -e "s/^local_port = .*/base_channel = ${nb#*=}/}" \
			"$T/conf.tmp"
	done
	cat "$T/conf.tmp"
}
dahdi_spans /test/cfwd.conf local=1 transit=63 |
	sed -e 's/^pwhash = .*/pwhash = min/' -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 60000/' \
	>"$T/cfwd.conf"
dahdi_spans /test/lab.conf local=32 transit=94 >"$T/lab.conf"

start_cfwdd() {
	cfwdd -c "$T/cfwd.conf" -f --db "$T/cfwd.db" --pcap "$T/cfwdd.pcap" --ctl "$T/ctl" \
		--log all=notice,tdm=info,media=debug,ivr=info >"$T/cfwdd.log" 2>&1 &
	CFWDD_PID=$!
	i=0
	while [ ! -S "$T/ctl" ] && [ $i -lt 100 ] && kill -0 $CFWDD_PID 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.5
	if [ ! -S "$T/ctl" ] || ! kill -0 $CFWDD_PID 2>/dev/null; then
		cat "$T/cfwdd.log"
		echo "FAIL: cfwdd did not start"
		exit 1
	fi
}

lab() { timeout 90 cfwd-lab -c "$T/lab.conf" "$@"; }

# lab_answered OUT LAB-ARGS...: a lab run that must end with the call answered. (cfwd-lab
# waits for the circuit group resets both ways before it originates, and dchan= links
# run libss7 in DAHDIDCHAN mode, which repeats LSSUs: no retry needed.)
lab_answered() {
	out=$1
	shift
	lab "$@" >"$out" 2>&1 && grep -q ': answered' "$out"
}

ctl() {
	cfwdctl --db "$T/cfwd.db" --conf "$T/cfwd.conf" "$@" >"$T/ctl.out" 2>&1 ||
		fail "cfwdctl $* ($(cat "$T/ctl.out"))"
}

check_no_leak() {
	sleep 0.3
	cfwdd --ctl "$T/ctl" --query status >"$T/status" 2>&1
	grep '^cics ' "$T/status" | while read -r _ name _ total _ idle _ bin _ bout _ reset _ blocked _ leaked; do
		[ "$idle" = "$total" ] && [ "$leaked" = 0 ] ||
			echo "FAIL: linkset $name: $idle/$total idle, leaked $leaked"
	done >"$T/leaks"
	cat "$T/leaks"
	[ -s "$T/leaks" ] && fail "CICs left busy ($1)"
	grep -q '^cics ' "$T/status" || fail "no status from cfwdd"
	grep -q '^calls active 0 ' "$T/status" || fail "calls still active ($1)"
}

finish() {
	if [ -n "$CFWDD_PID" ]; then
		kill "$CFWDD_PID"
		wait "$CFWDD_PID" || fail "cfwdd exited with status $?"
	fi
	cp "$T/cfwdd.pcap" "/out/$NAME-$SIG.pcap" 2>/dev/null
	cp "$T/cfwdd.log" "/out/$NAME-$SIG.log"
	if [ $FAILS -ne 0 ]; then
		echo "--- cfwdd log (tail)"
		tail -n 40 "$T/cfwdd.log"
		echo "$NAME ($SIG): $FAILS failure(s)"
		exit 1
	fi
	echo "$NAME ($SIG): ok"
	exit 0
}
