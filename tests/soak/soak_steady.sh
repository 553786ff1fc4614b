#!/bin/sh
# Steady soak (make soak-long, not CI): STEADY_S seconds (2 h) of cfwd-lab load at a
# realistic STEADY_RATE (3 calls/s, held 20 s: ~60 calls up), cfwdd's memory sampled
# every minute. Figures: calls not completed (0), RSS growth over the run, stuck CICs.
. tests/soak/soak_lib.sh

DUR=${STEADY_S:-7200}
RATE=${STEADY_RATE:-3}
start_cfwdd_conf conf/cfwd.conf
lab_long "$DUR" load --rate "$RATE" --duration "$DUR" --hold 20 --to-prefix 0399 \
	> "$T/steady.out" 2>&1 &
L=$!
sleep 60
rss0=$(rss_kb "$(cfwdd_pid)")
max=$rss0
while kill -0 "$L" 2>/dev/null; do
	sleep 60
	r=$(rss_kb "$(cfwdd_pid)")
	[ "${r:-0}" -gt "$max" ] && max=$r
	echo "$(date +%T) rss $r kB; $(status | grep '^calls')"
done
wait "$L"
grep '^load ' "$T/steady.out"
att=$(awk '$1 == "load" { print $3 }' "$T/steady.out")
comp=$(awk '$1 == "load" { print $7 }' "$T/steady.out")
figure steady_calls_not_completed $(( ${att:-0} - ${comp:-0} )) -eq 0
figure steady_rss_growth_kb $((max - rss0)) -le 8192
figure cics_stuck "$(stuck_cics)" -eq 0
stop_cfwdd
figure sanitizer_reports "$(sanitizer_reports "$T/cfwdd.log")" -eq 0
[ "$FAILS" -eq 0 ] || { echo "soak_steady.sh: $FAILS failure(s)"; exit 1; }
echo "soak_steady.sh: ok"
