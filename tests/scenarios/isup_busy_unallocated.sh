#!/bin/sh
# Calls that fail: the far end is busy (REL 17 passed back to the caller unchanged), the
# far end says unallocated (REL 1 passed back), and a number no route matches (cfwdd
# itself releases with cause 1) - until SIGHUP reloads a routing table that has it. Every CIC is idle after each call.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "Busy subscriber behind transit: REL cause 17 reaches the caller"
lab --expect REL.cause=17 call --from 0312345678 --to 0398765432 --far busy \
	> "$T/ladder1" || fail "busy call"
grep -q 'local.*<-  REL.*cause=17' "$T/ladder1" || fail "caller did not get REL 17"
check_no_leak

step "Far end unallocated: REL cause 1 reaches the caller"
lab --expect REL.cause=1 call --from 0312345678 --to 0398765400 --far unallocated \
	> "$T/ladder2" || fail "far unallocated call"
check_no_leak

step "No route for 1234: cfwdd releases with cause 1, nothing leaves on transit"
lab --expect REL.cause=1 call --from 0312345678 --to 1234 > "$T/ladder3" ||
	fail "unrouted call"
grep -q 'transit.*IAM' "$T/ladder3" && fail "an IAM went to transit"
expect_eq "unrouted calls" "$(status | awk '$1 == "calls" { print $9 }')" "1"
check_no_leak

step "SIGHUP reloads [route]: 1234 now routes to transit and is answered"
sed -i 's/^\[route\]$/[route]\nroute => 1234 transit/' "$T/cfwd.conf"
kill -HUP "$CFWDD_PID"
sleep 0.3
lab --expect IAM.called=1234F call --from 0312345678 --to 1234 --hold 0.2 > "$T/ladder4" ||
	fail "call after reload"
grep -q 'transit.*<-  IAM' "$T/ladder4" || fail "1234 did not reach transit after SIGHUP"
check_no_leak

stop_cfwdd
expect_eq "REL 17 sent to the caller's exchange" \
	"$(cnt 'isup.message_type == 12 && mtp3.dpc == 2001 && isup.cause_indicator == 17')" "1"
finish
