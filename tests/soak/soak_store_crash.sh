#!/bin/sh
# Crash safety of the store: CRASH_ITER times, kill -9 at a random moment either cfwdd
# (with its billing writer child; it is carrying calls, each a store read) or the
# cfwdctl that is writing. Each cfwdctl command sets a subscriber's
# forward-to and condition together, encoded so that a half-applied change shows: the
# condition must be the one of that forward-to. After each kill: PRAGMA integrity_check
# ok; every command that returned 0 is in the store (or a later one); no half-applied
# change; cfwdd restarted and carrying calls again.
. tests/soak/soak_lib.sh

ITER=${CRASH_ITER:-200}
NSUB=4
conds="unconditional busy no-reply"

for s in $(seq 0 19); do
	n=$(printf '03120000%02d' "$s")
	"$BUILD/cfwdctl" --db "$T/cfwd.db" subscriber add "$n" > /dev/null
	"$BUILD/cfwdctl" --db "$T/cfwd.db" forward set "$n" --to 0399123456 --when unconditional \
		> /dev/null
done
start_cfwdd_conf conf/cfwd.conf
lab_long 3600 load --rate 20 --duration 3600 --hold 0.3 --to-prefix 0312 > "$T/load.out" 2>&1 &
LAB_PID=$!

cond_of() {	# the condition that goes with sequence number K
	ck=$1
	set -- $conds
	shift $((ck % 3))
	echo "$1"
}

# writer: cfwdctl commands in sequence; "ack SUB K" after each that returned 0
writer() {
	k=$1
	while :; do
		s=$((k % NSUB))
		n=$(printf '03120000%02d' "$s")
		to=$(printf '0399%06d' "$k")
		set -- $conds
		shift $((k % 3))
		echo "try $n $k" >> "$T/acks"
		"$BUILD/cfwdctl" --db "$T/cfwd.db" forward set "$n" --to "$to" --when "$1" \
			> /dev/null 2>&1 && echo "ack $n $k" >> "$T/acks"
		k=$((k + 1))
	done
}

: > "$T/acks"
k=1
bad_integrity=0 lost=0 half=0 cfwdd_kills=0 ctl_kills=0 restarts_slow=0
for it in $(seq 1 "$ITER"); do
	writer "$k" &
	W=$!
	sleep "0.$(shuf -i 05-40 -n 1)"
	if [ $((it % 2)) -eq 0 ]; then
		real=$(cfwdd_pid)
		kill -9 "$real" $(pgrep -P "$real") 2>/dev/null
		wait "$CFWDD_PID" 2>/dev/null
		CFWDD_PID=
		cfwdd_kills=$((cfwdd_kills + 1))
	else
		kill -9 $(pgrep -P "$W" -x cfwdctl) 2>/dev/null
		ctl_kills=$((ctl_kills + 1))
	fi
	C=$(pgrep -P "$W" -x cfwdctl)
	kill "$W" 2>/dev/null
	wait "$W" 2>/dev/null
	for c in $C; do	# a command already started runs to its end
		while kill -0 "$c" 2>/dev/null; do sleep 0.01; done
	done
	k=$(( $(awk '$1 == "try" { k = $3 } END { print k + 1 }' "$T/acks") ))
	[ "$(sqlite3 -cmd '.timeout 5000' "$T/cfwd.db" 'PRAGMA integrity_check')" = ok ] ||
		bad_integrity=$((bad_integrity + 1))
	for s in $(seq 0 $((NSUB - 1))); do
		n=$(printf '03120000%02d' "$s")
		"$BUILD/cfwdctl" --db "$T/cfwd.db" show "$n" > "$T/show" 2>&1
		to=$(awk '$1 == "forward-to" { print $2 }' "$T/show")
		cond=$(awk '$1 == "condition" { print $2 }' "$T/show")
		got=$(( 1${to#0399} - 1000000 ))
		acked=$(awk -v n="$n" '$1 == "ack" && $2 == n { k = $3 } END { print k + 0 }' "$T/acks")
		[ "$got" -ge "$acked" ] 2>/dev/null || { lost=$((lost + 1)); echo "lost: $n has $got, acked $acked"; }
		if [ "$to" != 0399123456 ] && [ "$cond" != "$(cond_of "$got")" ]; then
			half=$((half + 1))
			echo "half-applied: $n to $to condition $cond"
		fi
	done
	if [ -z "$CFWDD_PID" ]; then
		start_cfwdd_conf conf/cfwd.conf
	fi
	if ! kill -0 "$LAB_PID" 2>/dev/null; then	# the lab gives up on a restart storm
		wait "$LAB_PID" 2>/dev/null
		lab_restarts=$((lab_restarts + 1))
		echo "cfwd-lab exit $lab_restarts (iteration $it):" \
			"$(grep 'cfwd-lab:' "$T/load.out" | tail -n 1)" >> "$T/lab_exits"
		lab_long 3600 load --rate 20 --duration 3600 --hold 0.3 --to-prefix 0312 \
			> "$T/load.out" 2>&1 &
		LAB_PID=$!
	fi
done
echo "cfwd-lab restarted ${lab_restarts:-0} times (its load exits when it cannot get ready)"
[ -f "$T/lab_exits" ] && cat "$T/lab_exits"
figure crash_iterations "$ITER" -ge "$ITER"
echo "kills: cfwdd $cfwdd_kills, cfwdctl $ctl_kills; cfwdctl commands acknowledged" \
	"$(grep -c '^ack' "$T/acks") of $(grep -c '^try' "$T/acks")"
figure integrity_check_failures "$bad_integrity" -eq 0
figure acknowledged_changes_lost "$lost" -eq 0
figure half_applied_changes "$half" -eq 0
n=0
for i in $(seq 1 30); do	# calls through the last restarted cfwdd
	sleep 0.5
	n=$(counter local iam-in)
	[ "${n:-0}" -ge 10 ] && break
done
figure calls_after_last_restart "${n:-0}" -ge 10
[ "${n:-0}" -ge 10 ] || { status | grep '^span\|^link'; ps -p "$LAB_PID" -o pid,stat,args | tail -1
	grep -v 'INFO\|NOTICE' "$T/load.out" | tail -5; }
kill "$LAB_PID" 2>/dev/null
wait "$LAB_PID" 2>/dev/null
stop_cfwdd
[ "$FAILS" -eq 0 ] || { echo "soak_store_crash.sh: $FAILS failure(s)"; exit 1; }
echo "soak_store_crash.sh: ok"
