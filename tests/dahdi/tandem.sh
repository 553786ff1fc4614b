#!/bin/sh
# tests/dahdi/tandem.sh SIG - in the DAHDI test VM (tests/dahdi/lib.sh's topology): cfwdd
# idle does not spin; a tandem call answered and held, both ends playing a known pattern
# (cfwd-lab --play-pattern): the ladder's IAM fields, the kernel cross-connect of the two
# legs set and undone in cfwdd's log, each end hearing the other's pattern byte-exact,
# no CIC left busy; 4 labs back to back (each aligns and resets as the previous one
# has just left); then the lab dies mid-call and the transit span is destroyed (red
# alarm at cfwdd), recreated, and a new call completes with no CIC leaked. The host
# checks the pcap with tshark.
NAME=tandem SIG=$1
. /test/lib.sh
start_cfwdd

# cfwdd idle on its own: in dchan mode libss7 repeats FISUs/LSSUs (DAHDIDCHAN), paced
# by the channel; a loop spinning on POLLOUT would take the whole CPU.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$CFWDD_PID/stat"; }
sleep 1	# past start-up (store, guidance)
c0=$(cpu_ticks)
sleep 2
pct=$(($(cpu_ticks) - c0))	# ticks of 10 ms over 2 s = percent of one CPU / 2
pct=$((pct / 2))
echo "   cfwdd idle ($SIG, no peer): $pct % CPU"
[ "$pct" -lt 70 ] || fail "cfwdd busy while idle: $pct % CPU"

step "tandem call 0312345678 -> 0398765432 over DAHDI ($SIG), answered; speech both ways"
lab_answered "$T/ladder" --expect IAM.calling=$(wire 0312345678) \
	--expect IAM.called=$(wire 0398765432)F --expect REL.cause=16 \
	call --from 0312345678 --to 0398765432 --hold 2 --play-pattern 1234 || fail "cfwd-lab call"
cat "$T/ladder"
grep -q 'kernel cross-connect .* <- ' "$T/cfwdd.log" || fail "no kernel cross-connect"
grep -q 'kernel cross-connect .* -x- ' "$T/cfwdd.log" || fail "kernel cross-connect not undone"
grep 'cross-connect' "$T/cfwdd.log" | sed 's/^[^ ]* /   /'
# each end heard the other's pattern byte-exact through the kernel cross-connect: at
# least 0.5 s in a row (a TCG stall past the 40 ms transmit slack inserts idle)
for who in caller 'far end'; do
	run=$(sed -n "s/^cfwd-lab: pattern: $who heard \([0-9]*\) bytes.*/\1/p" "$T/ladder")
	[ "${run:-0}" -ge 4000 ] || fail "$who heard ${run:-no} bytes of the other's pattern in a row"
done
check_no_leak "after the tandem call"

step "back to back: 4 fresh labs, each started as the previous one exits"
for i in 1 2 3 4; do
	lab_answered "$T/ladder-b$i" call --from 0312345678 --to 0398765432 --hold 0.2 ||
		{ tail -n 3 "$T/ladder-b$i"; fail "back-to-back lab $i"; }
done
echo "   $(grep -l ': answered' "$T"/ladder-b* | wc -l) of 4 answered"
check_no_leak "after the back-to-back calls"

active_call() { cfwdd --ctl "$T/ctl" --query status | grep -q '^calls active 1 '; }
step "span alarm mid-call: the lab dies holding a call; its transit span (loc 2:1) goes"
# no timeout(1) wrapper: the kill below must reach cfwd-lab itself
cfwd-lab -c "$T/lab.conf" call --from 0312345678 --to 0398765432 --hold 30 \
	>"$T/ladder2" 2>&1 &
labpid=$!
n=250
while ! active_call && kill -0 $labpid 2>/dev/null && [ $n -gt 0 ]; do
	sleep 0.1
	n=$((n - 1))
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
lab_answered "$T/ladder3" --expect IAM.called=$(wire 0398765432)F \
	call --from 0312345678 --to 0398765432 --hold 0.3 ||
	{ cat "$T/ladder3"; fail "call after the alarm"; }
tail -n 1 "$T/ladder3"
check_no_leak "after the alarm"
finish
