#!/bin/sh
# Bearer transparency through cfwdd on sim spans: the caller and the far end each play a
# known byte sequence after answer (cfwd-lab --play-pattern) and each must hear the
# other's byte-exact, at least one second in a row, through cfwdd's userspace relay.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "Both ends play a pattern for 2 s; each hears the other's unchanged"
lab call --from 0312345678 --to 0398765432 --play-pattern 77 --hold 2 >"$T/ladder" 2>&1 ||
	fail "pattern call"
grep '^cfwd-lab: pattern' "$T/ladder"
for who in caller 'far end'; do
	run=$(sed -n "s/^cfwd-lab: pattern: $who heard \([0-9]*\) bytes.*/\1/p" "$T/ladder")
	[ "${run:-0}" -ge 8000 ] || fail "$who heard ${run:-no} bytes of the other's pattern in a row"
done
check_no_leak
finish
