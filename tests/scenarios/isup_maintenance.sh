#!/bin/sh
# Maintenance through the control socket and a clean stop: "block transit 1" sends BLO
# (the circuit shows as blocked, the far end acknowledges), "unblock" sends UBL ("reset LINKSET",
# GRS, is covered by test_call_leg); then
# with an answered call up, SIGTERM makes cfwdd release it towards both exchanges
# (REL 16), wait for the RLCs and exit 0.
. tests/scenarios/isup_lib.sh

start_cfwdd
lab call --from 0312345678 --to 0398765432 --hold 0.1 > /dev/null 2>&1 || fail "first call"

step "block transit 1: BLO sent, the circuit counts as blocked"
expect_eq "block reply" "$("$BUILD/cfwdd" --ctl "$T/ctl" --query "block transit 1")" \
	"ok block transit 1"
status | grep -q '^cics transit total 30 .* blocked 1 leaked 0' || fail "CIC 1 not blocked"
expect_eq "unblock reply" "$("$BUILD/cfwdd" --ctl "$T/ctl" --query "unblock transit 1")" \
	"ok unblock transit 1"
status | grep -q '^cics transit total 30 .* blocked 0 leaked 0' || fail "CIC 1 still blocked"
expect_eq "block on a CIC we do not have" \
	"$("$BUILD/cfwdd" --ctl "$T/ctl" --query "block transit 99" | cut -d: -f1)" \
	"error block transit 99"

expect_eq "reset of an unknown linkset" \
	"$("$BUILD/cfwdd" --ctl "$T/ctl" --query "reset nowhere")" \
	"error reset nowhere: No such file or directory"

step "SIGTERM with an answered call up: REL 16 to both exchanges, exit 0"
held_call ladder
stop_cfwdd
wait $LABPID || fail "lab did not end cleanly"
grep -q 'local.*<-  REL.*cause=16' "$T/ladder" || fail "caller got no REL 16"
grep -q 'transit.*<-  REL.*cause=16' "$T/ladder" || fail "far end got no REL 16"
grep -q 'local.*->  RLC' "$T/ladder" || fail "no RLC from the caller's side"
[ "$FAILS" -eq 0 ] || cat "$T/ladder"
finish
