# tests/scenarios/isup_lib.sh - shared by the ISUP scenario tests (sourced, not run):
# starts cfwdd on sim spans with a private config (ports from CFWD_PORT_BASE, derived
# from the PID when unset; short T9), a temp store, a pcap and a control socket; runs
# cfwd-lab against it; checks that every CIC is idle afterwards (no leak); stops cfwdd
# (SIGTERM, then a hard timeout) on exit whatever happens.
BUILD=${BUILD:-build}
: "${CFWD_PORT_BASE:=$((20000 + ($$ % 160) * 100))}"
export CFWD_PORT_BASE
T=$(mktemp -d /tmp/cfwd-isup.XXXXXX)
CFWDD_PID=
FAILS=0

cleanup() {
	if [ -n "$CFWDD_PID" ]; then
		kill "$CFWDD_PID" 2>/dev/null
		wait "$CFWDD_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

step() { echo "== $*"; }
fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

# start_cfwdd [sed expressions applied to conf/cfwd.conf]. When its UDP ports are taken
# (another run picked the same base), move to another base and try again.
start_cfwdd() {
	sed -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 1500/' "$@" conf/cfwd.conf > "$T/cfwd.conf"
	for attempt in 1 2 3 4 5; do
		rm -f "$T/ctl"
		timeout 120 "$BUILD/cfwdd" -c "$T/cfwd.conf" -f --db "$T/cfwd.db" \
			--pcap "$T/cfwdd.pcap" --ctl "$T/ctl" --log all=notice >"$T/cfwdd.log" 2>&1 &
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

# lab_conf [sed expressions]: the lab's config for this run (default conf/lab.conf)
lab_conf() {
	sed "$@" conf/lab.conf > "$T/lab.conf"
}

lab() {
	[ -f "$T/lab.conf" ] || cp conf/lab.conf "$T/lab.conf"
	timeout 60 "$BUILD/cfwd-lab" -c "$T/lab.conf" "$@"
}

status() {
	"$BUILD/cfwdd" --ctl "$T/ctl" --query "status"
}

# Every linkset: all circuits idle, none leaked, no leg left.
check_no_leak() {
	sleep 0.2
	status > "$T/status"
	if ! grep -q '^cics ' "$T/status"; then
		fail "no status from cfwdd"
		return
	fi
	while read -r _ name _ total _ idle _ bin _ bout _ reset _ blocked _ leaked; do
		if [ "$idle" != "$total" ] || [ "$leaked" != 0 ]; then
			fail "linkset $name: $idle/$total idle, busy-in $bin busy-out $bout reset $reset leaked $leaked"
		fi
	done <<EOS
$(grep '^cics ' "$T/status")
EOS
	grep -q '^calls active 0 ' "$T/status" || fail "calls still active: $(grep '^calls' "$T/status")"
}

counter() {	# counter LINKSET NAME
	status | awk -v l="$1" -v k="$2" '$1 == "counters" && $2 == l {
		for (i = 3; i < NF; i += 2) if ($i == k) print $(i + 1) }'
}

# SIGTERM; cfwdd must exit 0 with no sanitizer report in its log.
stop_cfwdd() {
	[ -n "$CFWDD_PID" ] || return 0
	kill "$CFWDD_PID" 2>/dev/null
	wait "$CFWDD_PID"
	rc=$?
	CFWDD_PID=
	[ "$rc" -eq 0 ] || fail "cfwdd exited with status $rc"
	if grep -q 'Sanitizer\|runtime error' "$T/cfwdd.log"; then
		fail "sanitizer report in cfwdd's log"
	fi
}

# tshark on cfwdd's pcap (after stop_cfwdd): first value of FIELD in packets matching FILTER
fld() {
	tshark -r "$T/cfwdd.pcap" -Y "$1" -T fields -E occurrence=a -E aggregator=, -e "$2" \
		2>/dev/null | head -n 1
}
cnt() {
	tshark -r "$T/cfwdd.pcap" -Y "$1" 2>/dev/null | wc -l
}

expect_eq() {	# expect_eq WHAT GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok: $1 = $3"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

finish() {
	stop_cfwdd
	if [ "$FAILS" -ne 0 ]; then
		echo "--- cfwdd log (tail)"
		tail -n 30 "$T/cfwdd.log"
		echo "$(basename "$0"): $FAILS failure(s)"
		exit 1
	fi
	echo "$(basename "$0"): ok"
	exit 0
}
