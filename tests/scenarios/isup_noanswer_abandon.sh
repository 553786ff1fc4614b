#!/bin/sh
# Calls that ring: with nobody answering, cfwdd's T9 (1.5 s here) releases both legs
# with cause 19 (no answer from user); and a caller who hangs up while it rings has the
# release passed on to the far end. Every CIC is idle afterwards.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "Nobody answers: T9 expires, REL 19 towards both ends"
lab --expect REL.cause=19 call --from 0312345678 --to 0398765432 --far noanswer \
	> "$T/ladder1" || fail "no-answer call"
grep -q 'local.*<-  ACM' "$T/ladder1" || fail "caller got no ACM"
grep -q 'local.*<-  REL.*cause=19' "$T/ladder1" || fail "caller got no REL 19"
grep -q 'transit.*<-  REL.*cause=19' "$T/ladder1" || fail "far end got no REL 19"
check_no_leak

step "The caller hangs up while it rings: REL 16 passed to the far end"
lab --expect REL.cause=16 call --from 0312345678 --to 0398765432 --far noanswer \
	--abandon 0.5 > "$T/ladder2" || fail "abandoned call"
grep -q 'transit.*<-  REL.*cause=16' "$T/ladder2" || fail "far end got no REL 16"
check_no_leak
finish
