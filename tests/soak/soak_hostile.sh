#!/bin/sh
# Hostile signalling: soak-hostile sends HOSTILE_COUNT generated and mutated MSUs at cfwdd
# on a third sim span while cfwd-lab offers ordinary calls local -> transit through the
# same cfwdd. Figures: cfwdd alive (no crash), sanitizer reports 0, every lab call
# completed, CICs stuck 0 on every linkset, the hostile link still answers a GRS,
# cfwdd's memory growth. Run cfwdd built with SAN=1 (make BUILD=... SAN=1) for ASan/UBSan.
. tests/soak/soak_lib.sh

N=${HOSTILE_COUNT:-100000}
RATE=${HOSTILE_RATE:-4000}
LOAD_S=$((N / RATE + 10))
CALL_RATE=${HOSTILE_CALL_RATE:-10}

hostile_conf
start_cfwdd_conf "$T/cfwd-hostile.conf"
rss0=$(rss_kb "$(cfwdd_pid)")

step "cfwd-lab: $CALL_RATE calls/s for $LOAD_S s (local -> transit, held 1 s)"
lab_long "$LOAD_S" load --rate "$CALL_RATE" --duration "$LOAD_S" --hold 1 --to-prefix 0399 \
	> "$T/load.out" 2>&1 &
LAB_PID=$!
step "soak-hostile: $N MSUs at $RATE/s on span hostile (pc 4001)"
"$BUILD/soak-hostile" --local-port $((CFWD_PORT_BASE + 53)) \
	--remote-port $((CFWD_PORT_BASE + 3)) --count "$N" --rate "$RATE" \
	--seed "${HOSTILE_SEED:-$$}" > "$T/hostile.out" 2>&1
hrc=$?
wait "$LAB_PID"
cat "$T/hostile.out"
grep '^load ' "$T/load.out" || tail -5 "$T/load.out"

alive=0
kill -0 "$CFWDD_PID" 2>/dev/null && alive=1
figure cfwdd_alive "$alive" -eq 1
figure hostile_link_answers_grs "$([ $hrc -eq 0 ] && echo 1 || echo 0)" -eq 1
sent=$(sed -n 's/^hostile: sent \([0-9]*\) .*/\1/p' "$T/hostile.out")
figure msus_sent "${sent:-0}" -ge "$N"
att=$(awk '$1 == "load" { print $3 }' "$T/load.out")
done_=$(awk '$1 == "load" { print $7 }' "$T/load.out")
figure calls_offered "${att:-0}" -ge $((LOAD_S * CALL_RATE * 9 / 10))
figure calls_not_completed $(( ${att:-0} - ${done_:-0} )) -eq 0
sleep 1
figure cics_stuck "$(stuck_cics)" -eq 0
step "ordinary calls afterwards"
figure calls_after_ok "$(after_calls 3)" -eq 3
figure cics_stuck_after "$(stuck_cics)" -eq 0
rss1=$(rss_kb "$(cfwdd_pid)")
echo "cfwdd rss ${rss0} kB -> ${rss1} kB"
# ASan's quarantine (256 MB) keeps freed memory: the bound is for plain builds
if grep -q __asan_init "$BUILD/cfwdd" 2>/dev/null; then
	echo "rss growth $(( rss1 - rss0 )) kB under ASan (quarantine): not a figure"
else
	figure rss_growth_kb $(( rss1 - rss0 )) -le 16384
fi
status | grep -E '^(counters|msu|validator)' | head -8
stop_cfwdd
figure sanitizer_reports "$(sanitizer_reports "$T/cfwdd.log")" -eq 0
[ "$FAILS" -eq 0 ] || { tail -30 "$T/cfwdd.log"; echo "soak_hostile.sh: $FAILS failure(s)"; exit 1; }
echo "soak_hostile.sh: ok"
