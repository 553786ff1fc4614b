# tests/scenarios/isup_lib.sh - shared by the ISUP scenario tests (sourced, not run),
# and through fwd_lib.sh, pri_lib.sh, session_lib.sh and soak_lib.sh by all the others:
# a port base held for the whole run (CFWD_PORT_BASE, from the PID when unset, see
# port_base_claim), cfwdd started on sim spans with a private config (short T9), a temp
# store, a pcap and a control socket; runs cfwd-lab against it; checks that every CIC is
# idle afterwards (no leak); stops cfwdd (SIGTERM, then a hard timeout) on exit whatever
# happens; `wire NUMBER` (wire_lib.sh): a number as the shipped configs put it on the
# wire (0312345678 as 312345678). Not here: each lib's config edits, log levels and
# timeouts.
BUILD=${BUILD:-build}
. tests/scenarios/wire_lib.sh
: "${CFWD_PORT_BASE:=$((20000 + ($$ % 160) * 100))}"
export CFWD_PORT_BASE
T=$(mktemp -d /tmp/cfwd-isup.XXXXXX)
CFWDD_PID=
FAILS=0

# ---- the port base ------------------------------------------------------------------
# Every sim port P of conf/*.conf is CFWD_PORT_BASE + P % 100. A run holds its base for
# its lifetime: an flock on /tmp/cfwd-portbase.BASE.lock through fd 9 of this shell
# (released when the shell exits, however it ends; the empty file stays), and no UDP
# socket may be bound in BASE..BASE+99 when it is taken (another lab or cfwdd, one that
# holds no lock). Bases move within 20000..35900, never to 36000 and up (a long soak may
# run there with the base it was given).

# port_base_next N: a base far from this one (N: the attempt)
port_base_next() {
	CFWD_PORT_BASE=$((20000 + ((CFWD_PORT_BASE / 100 + 37 * $1) % 160) * 100))
	export CFWD_PORT_BASE
}

# ports_free: no UDP socket bound on CFWD_PORT_BASE..+99 (cfwdd's ports, the lab's too:
# cfwdd only finds out about its own)
ports_free() {
	ss -Hluan 2>/dev/null | awk -v lo="$CFWD_PORT_BASE" -v hi=$((CFWD_PORT_BASE + 99)) '
		{ n = split($4, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi) busy = 1 }
		END { exit busy }'
}

# port_base_claim: lock CFWD_PORT_BASE when its ports are free, else the next free one
port_base_claim() {
	exec 9>&-
	for attempt in $(seq 1 40); do
		lock=/tmp/cfwd-portbase.$CFWD_PORT_BASE.lock
		if [ ! -e "$lock" ] || [ -w "$lock" ]; then	# a failed exec would end the shell
			exec 9>>"$lock"
			flock -n 9 && ports_free && return 0
			exec 9>&-
		fi
		port_base_next "$attempt"
	done
	echo "no free port base (last tried $CFWD_PORT_BASE)" >&2
	exit 1
}
port_base_claim

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

# run_cfwdd TIMEOUT WAIT CONF [cfwdd options]: cfwdd -f on CONF with the run's store and
# control socket, log in $T/cfwdd.log, killed by timeout(1) after TIMEOUT seconds; waits
# WAIT tenths of a second for its control socket. When its UDP ports are taken (a run
# that holds no lock, or a race with one), claims another base and tries again.
run_cfwdd() {
	tmo=$1
	wait_ds=$2
	conf=$3
	shift 3
	for attempt in 1 2 3 4 5; do
		rm -f "$T/ctl"
		timeout "$tmo" "$BUILD/cfwdd" -c "$conf" -f --db "$T/cfwd.db" --ctl "$T/ctl" \
			"$@" >"$T/cfwdd.log" 2>&1 9>&- &
		CFWDD_PID=$!
		i=0
		while [ ! -S "$T/ctl" ] && [ $i -lt "$wait_ds" ] && kill -0 "$CFWDD_PID" 2>/dev/null; do
			sleep 0.1
			i=$((i + 1))
		done
		[ -S "$T/ctl" ] && return 0
		wait "$CFWDD_PID" 2>/dev/null
		CFWDD_PID=
		grep -q 'Address already in use' "$T/cfwdd.log" || break
		port_base_next "$attempt"
		port_base_claim
	done
	cat "$T/cfwdd.log"
	fail "cfwdd did not start"
	exit 1
}

# start_cfwdd [sed expressions applied to conf/cfwd.conf]
start_cfwdd() {
	sed -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 1500/' "$@" conf/cfwd.conf > "$T/cfwd.conf"
	run_cfwdd 120 50 "$T/cfwd.conf" --pcap "$T/cfwdd.pcap" --log all=notice
}

# lab_conf [sed expressions]: the lab's config for this run (default conf/lab.conf)
lab_conf() {
	sed "$@" conf/lab.conf > "$T/lab.conf"
}

lab() {
	[ -f "$T/lab.conf" ] || cp conf/lab.conf "$T/lab.conf"
	timeout 60 "$BUILD/cfwd-lab" -c "$T/lab.conf" "$@"
}

# held_call LADDER: an answered call 0312345678 -> 0398765432, held 30 s by a cfwd-lab
# in the background (its pid in LABPID, its ladder in $T/LADDER); returns once cfwdd
# shows the call answered on both legs (or fails after 10 s)
held_call() {
	cp conf/lab.conf "$T/lab.conf"
	"$BUILD/cfwd-lab" -c "$T/lab.conf" call --from 0312345678 --to 0398765432 --hold 30 \
		--timeout 40 > "$T/$1" 2>&1 &
	LABPID=$!
	i=0
	until status | grep -q '^call .*ANSWERED -> .*ANSWERED'; do
		i=$((i + 1))
		[ $i -lt 100 ] || { fail "call never answered"; break; }
		sleep 0.1
	done
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
