#!/bin/sh
# The D-channel goes down mid-call: an ISUP caller talks to a PRI number; the PBX side
# disappears (the lab is killed); cfwdd declares the D-channel down at once, releases the
# call (cause 27 towards the caller side) and frees the B-channel; when a PBX comes back,
# Q.921 re-establishes and the next call gets through on the same trunk. Nothing leaked.
. tests/scenarios/pri_lib.sh

start_pri

step "0311110001 calls $PBX (PRI), answered, held"
"$BUILD/cfwd-lab" -c "$T/lab.conf" call --from 0311110001 --to $PBX --hold 20 > "$T/l1" 2>&1 &
LAB=$!
answered() { status | awk '$1 == "calls" && $2 == "active" { print $3 "/" $7 }'; }
i=0
until [ "$(answered)" = "1/1" ] || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
expect_eq "calls active/answered during the call" "$(answered)" "1/1"

step "The PBX disappears mid-call (lab killed): D-channel down, call released"
kill -9 $LAB
wait $LAB 2>/dev/null
i=0
until grep -q 'trunk pbx: D-channel down' "$T/cfwdd.log" || [ $i -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q 'trunk pbx: D-channel down' "$T/cfwdd.log" || fail "no D-channel down in the log"
sleep 0.3
expect_eq "calls active after the loss" "$(status | awk '$1 == "calls" && $2 == "active" { print $3 }')" "0"
expect_eq "trunk pbx in status after the loss (D-channel, busy, legs)" \
	"$(status | awk '$1 == "trunk" && $2 == "pbx" { print $11, $17, $19 }')" "down 0 0"

step "The PBX is back: the next call to $PBX goes through"
lab call --from 0311110002 --to $PBX --hold 0.5 > "$T/l2" 2>&1 || fail "after recovery: $(cat "$T/l2")"
grep -q 'answered, cause 16' "$T/l2" || fail "after recovery: $(cat "$T/l2")"
check_pri_no_leak
stop_cfwdd
finish
