#!/bin/sh
# Dual seizure (Q.764 2.10.1.4): the transit route has one circuit, CIC 2. The transit
# exchange (pc 3001) has the higher point code, so it controls the even CICs. cfwdd
# seizes CIC 2 for a call from the local side while the transit exchange seizes CIC 2
# for a call the other way (the lab sends its IAM when cfwdd's arrives, before reading
# it). cfwdd must back off: its call is retried, finds no circuit and is released with
# cause 34; the transit exchange's call goes through to the local side and is answered.
. tests/scenarios/isup_lib.sh

ONE_CIC='/^\[linkset transit\]/,/^\[/{s/^channel => .*/channel => 1/;s/^cicbeginswith = .*/cicbeginswith = 2/}'
start_cfwdd -e "$ONE_CIC"
lab_conf -e "$ONE_CIC"

step "Both ends seize CIC 2 of the transit route at once"
lab call --from 0312345678 --to 0398765432 --cross-cic 2 --hold 0.3 > "$T/ladder" \
	2> "$T/lab.err" || fail "lab run"
cat "$T/lab.err"
grep -q 'call 0312345678 -> 0398765432: not answered, cause 34' "$T/lab.err" ||
	fail "the local caller was not released with cause 34"
grep -q 'call 0398765432 -> 0312345678: answered' "$T/lab.err" ||
	fail "the transit exchange's call was not answered"
grep -q 'local.*<-  IAM' "$T/ladder" || fail "the transit call did not reach the local side"
expect_eq "dual seizures counted on transit" "$(counter transit dual-seizures)" "1"
check_no_leak
[ "$FAILS" -eq 0 ] || cat "$T/ladder"
finish
