#!/bin/sh
# Restart with calls up: cfwd-lab keeps offering calls (held RESTART_HOLD s) through
# cfwdd; cfwdd is killed (-9) with calls up and started again at once, faster than the
# span's dead time, so the peer never sees its span go down. Q.764: the restarted cfwdd
# resets every circuit (GRS at link up); the peer's calls are cleared by it. Figures:
# calls up at the kill, seconds from the restart to the first new call through cfwdd,
# lab calls that failed (bounded by those up at the kill plus those offered meanwhile),
# stuck CICs 0, ordinary calls afterwards.
. tests/soak/soak_lib.sh

RATE=${RESTART_RATE:-5}
HOLD=${RESTART_HOLD:-6}
DUR=${RESTART_DURATION:-25}

start_cfwdd_conf conf/cfwd.conf
step "cfwd-lab: $RATE calls/s for $DUR s, each held $HOLD s"
lab load --rate "$RATE" --duration "$DUR" --hold "$HOLD" --to-prefix 0399 > "$T/load.out" 2>&1 &
LAB_PID=$!
sleep $((DUR / 3))
up=$(status | awk '$1 == "calls" && $2 == "active" { print $3 }')
step "kill -9 cfwdd with $up calls up; start it again"
crash_cfwdd
t0=$(date +%s%N)
start_cfwdd_conf conf/cfwd.conf
first=""
for i in $(seq 1 200); do
	n=$(counter local iam-in)
	if [ "${n:-0}" -gt 0 ]; then
		first=$((($(date +%s%N) - t0) / 1000000))
		break
	fi
	sleep 0.1
done
echo "first new call through the restarted cfwdd after ${first:-never} ms"

wait "$LAB_PID"
grep '^load ' "$T/load.out" || tail -5 "$T/load.out"
att=$(awk '$1 == "load" { print $3 }' "$T/load.out")
done_=$(awk '$1 == "load" { print $7 }' "$T/load.out")
failed=$(( ${att:-0} - ${done_:-0} ))
figure calls_up_at_kill "${up:-0}" -ge 1
figure restart_to_first_call_ms "${first:-99999}" -le 5000
# could not have survived: up at the kill, plus those offered before the first new call
bound=$(( ${up:-0} + RATE * (${first:-99999} / 1000 + 2) ))
figure calls_lost "$failed" -le "$bound"
figure calls_completed_after_restart "$(counter local iam-in)" -ge $(( RATE * (DUR / 3) ))
sleep 1
figure cics_stuck "$(stuck_cics)" -eq 0
figure calls_after_ok "$(after_calls 3)" -eq 3
figure cics_stuck_after "$(stuck_cics)" -eq 0
stop_cfwdd
figure sanitizer_reports "$(sanitizer_reports "$T/cfwdd.log")" -eq 0
[ "$FAILS" -eq 0 ] || { echo "soak_restart.sh: $FAILS failure(s)"; exit 1; }
echo "soak_restart.sh: ok"
