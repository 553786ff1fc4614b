#!/bin/sh
# cfwd-lab load when the switch stops answering mid-run: cfwdd is frozen (SIGSTOP) 2.5 s
# into a 3 s load, so calls stay up until the lab's deadline (duration + hold + 10 s).
# The lab then releases what is still up, counts it as failed, prints its summary and
# exits 1, without touching the calls' memory after freeing it (it crashed there once).
. tests/scenarios/isup_lib.sh

start_cfwdd
P=$(pgrep -P "$CFWDD_PID" -x cfwdd)
step "load 10 calls/s for 3 s, held 2 s; cfwdd frozen after 2.5 s"
(sleep 2.5; kill -STOP "$P") &
lab load --rate 10 --duration 3 --hold 2 > "$T/load.out" 2>&1
rc=$?
kill -CONT "$P"
expect_eq "cfwd-lab's exit status (1: not every call completed; not a crash)" "$rc" "1"
line=$(grep '^load attempts' "$T/load.out")
[ -n "$line" ] || fail "no summary line: $(tail -5 "$T/load.out")"
echo "$line"
att=$(echo "$line" | awk '{ print $3 }')
comp=$(echo "$line" | awk '{ print $7 }')
failed=$(echo "$line" | awk '{ print $9 }')
expect_eq "every attempt is completed or failed" "$((comp + failed))" "$att"
[ "$failed" -ge 1 ] || fail "the calls cut off by the freeze are not counted as failed"
stop_cfwdd
finish
