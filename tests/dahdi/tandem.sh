#!/bin/sh
# tests/dahdi/tandem.sh SIG - in the DAHDI test VM (tests/dahdi/lib.sh's topology): a
# tandem call answered and held with DTMF audio: the ladder's IAM fields, the kernel
# cross-connect of the two legs set and undone in cfwdd's log, no CIC left busy; then the
# lab dies mid-call and the transit span is destroyed (red alarm at cfwdd), recreated,
# and a new call completes with no CIC leaked. The host checks the pcap with tshark.
NAME=tandem SIG=$1
. /test/lib.sh
start_cfwdd

step "tandem call 0312345678 -> 0398765432 over DAHDI ($SIG), answered, DTMF 159"
lab_answered "$T/ladder" --expect IAM.calling=0312345678 --expect IAM.called=0398765432F \
	--expect REL.cause=16 call --from 0312345678 --to 0398765432 --hold 1.5 --dtmf 159 ||
	fail "cfwd-lab call"
cat "$T/ladder"
grep -q 'kernel cross-connect .* <- ' "$T/cfwdd.log" || fail "no kernel cross-connect"
grep -q 'kernel cross-connect .* -x- ' "$T/cfwdd.log" || fail "kernel cross-connect not undone"
grep 'cross-connect' "$T/cfwdd.log" | sed 's/^[^ ]* /   /'
check_no_leak "after the tandem call"

active_call() { cfwdd --ctl "$T/ctl" --query status | grep -q '^calls active 1 '; }
step "span alarm mid-call: the lab dies holding a call; its transit span (loc 2:1) goes"
for try in 1 2; do
	# no timeout(1) wrapper: the kill below must reach cfwd-lab itself
	cfwd-lab -c "$T/lab.conf" call --from 0312345678 --to 0398765432 --hold 30 \
		>"$T/ladder2" 2>&1 &
	labpid=$!
	n=250
	while ! active_call && kill -0 $labpid 2>/dev/null && [ $n -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	active_call && break
	kill -9 $labpid 2>/dev/null
	wait $labpid 2>/dev/null
	echo "   try $try: no call up: $(tail -n 1 "$T/ladder2")"
done
active_call || { cat "$T/ladder2"; fail "the call to be cut never came up"; }
kill -9 $labpid
wait $labpid 2>/dev/null
dahdi-loc destroy 2:1 || fail "destroy loc 2:1"
n=60
while ! grep -q 'span transit: DOWN' "$T/cfwdd.log" && [ $n -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
[ $n -gt 0 ] || fail "cfwdd never saw span transit DOWN"
dahdi-loc create 2:1 "$SIG" || fail "create loc 2:1"
n=60
while ! grep 'span transit: ' "$T/cfwdd.log" | tail -n 1 | grep -q UP && [ $n -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
done
[ $n -gt 0 ] || fail "span transit not UP again"
echo "   cfwdd meanwhile:"
sed -n '/span transit: DOWN/,$p' "$T/cfwdd.log" | grep -v 'cross-connect\|channel .*: alarm' |
	sed 's/^[^ ]* /   /' | head -n 12
step "a new lab: circuits reset, a second tandem call completes"
lab_answered "$T/ladder3" --expect IAM.called=0398765432F \
	call --from 0312345678 --to 0398765432 --hold 0.3 ||
	{ cat "$T/ladder3"; fail "call after the alarm"; }
tail -n 1 "$T/ladder3"
check_no_leak "after the alarm"
finish
