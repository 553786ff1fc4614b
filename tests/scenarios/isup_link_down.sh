#!/bin/sh
# A link goes down mid-call: an answered tandem call is up when the far exchanges (the
# lab) vanish. cfwdd sees the spans and links go down, loses both legs without
# signalling and puts every circuit in "reset"; nothing is leaked. When the exchanges
# come back, the links align, every circuit is reset with GRS and calls work again.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "An answered call is in progress"
held_call ladder1

step "The exchanges vanish (lab killed): links down, circuits reset, calls gone"
kill -9 $LABPID 2>/dev/null
wait $LABPID 2>/dev/null
i=0
until [ "$(status | grep -c '^link .* down legs 0 ')" = 2 ]; do
	i=$((i + 1))
	[ $i -lt 50 ] || { fail "link did not go down"; break; }
	sleep 0.1
done
status > "$T/status.down"
grep -q '^link local .* down legs 0 ' "$T/status.down" || fail "local link still up or has legs"
grep -q '^cics local total 30 idle 0 busy-in 0 busy-out 0 reset 30 .* leaked 0' \
	"$T/status.down" || fail "local circuits not all in reset: $(grep '^cics local' "$T/status.down")"
grep -q '^cics transit total 30 idle 0 busy-in 0 busy-out 0 reset 30 .* leaked 0' \
	"$T/status.down" || fail "transit circuits not all in reset"
grep -q '^calls active 0 ' "$T/status.down" || fail "call still active"
[ "$(counter local link-downs)" -ge 1 ] || fail "link-down not counted"

step "The exchanges come back: GRS, all circuits idle, a new call works"
lab call --from 0312345678 --to 0398765432 --hold 0.2 > "$T/ladder2" || fail "call after restart"
grep -q 'local.*<-  ANM' "$T/ladder2" || fail "no answer after restart"
check_no_leak
finish
