#!/bin/sh
# tests/dahdi/session142.sh SIG - in the DAHDI test VM: a 142 session by DTMF audio over
# real DAHDI bearer channels. The subscriber dials 142, hears the guidance, presses
# 2, FWD #, 1 (confirm), 0 (menu), 1 1 (unconditional); cfwdd detects every key once in
# the audio read from its DAHDI channel; the store then holds the forwarding, and the
# next call to the subscriber is diverted (the host checks that IAM with tshark).
NAME=s142 SIG=$1
. /test/lib.sh
start_cfwdd
ctl subscriber add $SUB

step "$SUB dials 142: 2, $FWD #, 1, 0, 1 1 as DTMF audio"
lab session --from $SUB --to 142 --wait-prompts --keys "2 ${FWD}# 1 0 1 1" \
	--record "$T/heard.wav" >"$T/s1" 2>&1
grep '^session' "$T/s1"
grep -q "^session $SUB -> 142: answered, keys 6/6 groups" "$T/s1" ||
	{ cat "$T/s1"; fail "142 session"; }
digits=$(grep -c ' DTMF . at ' "$T/cfwdd.log")
[ "$digits" = 16 ] || fail "cfwdd detected $digits keys, 16 sent"
echo "   cfwdd detected $digits keys"
cfwdctl --db "$T/cfwd.db" --conf "$T/cfwd.conf" show $SUB >"$T/show"
grep -q "^forward-to *$FWD" "$T/show" || { cat "$T/show"; fail "forward-to not stored"; }
grep -q "^condition *unconditional" "$T/show" || { cat "$T/show"; fail "condition not stored"; }
[ "$(wc -c <"$T/heard.wav")" -gt 16000 ] || fail "no guidance heard"
check_no_leak "after the session"

step "a call to $SUB is forwarded to $FWD (CFU)"
lab_answered "$T/l1" --expect IAM@in@transit.called=$(wire $FWD)F \
	--expect IAM@in@transit.redir_counter=1 call --from 0311110001 --to $SUB --hold 0.3 ||
	{ cat "$T/l1"; fail "CFU call after the session"; }
tail -n 1 "$T/l1"
check_no_leak "after the CFU call"
finish
