# tests/scenarios/wire_lib.sh - sourced (POSIX sh and busybox sh) by isup_lib.sh (so by
# every scenario), scripts/demo, scripts/deb-test, scripts/dahdi-vm/test-dahdi and the
# DAHDI VM's tests/dahdi/lib.sh: `wire NUMBER` prints a number as it appears on the ISUP
# wire with the shipped conf/cfwd.conf and conf/lab.conf (nationalprefix = 0,
# internationalprefix = 010; docs/numbers.md). Q.763: 0312345678 travels as 312345678
# (NAI 3, national significant number), 010442079460000 as 442079460000 (NAI 4), any
# other number (142, 1234) as held. WIRE_NATIONAL / WIRE_INTERNATIONAL name the prefixes;
# a run whose configs unset them sets both empty, and wire then prints numbers as held.
# Only the digits: what cfwd-lab --expect, its ladder and tshark's isup.called /
# isup.calling / isup.original_called_number / isup.redirecting show (isup.called with
# the ST marker F appended by the caller). Numbers in the store, billing records and
# cfwdctl output stay as held, with their 0: never pass those through wire.
WIRE_NATIONAL=${WIRE_NATIONAL-0}
WIRE_INTERNATIONAL=${WIRE_INTERNATIONAL-010}

# wire NUMBER (as isup/facts_ss7.c num_to_wire: the international prefix first, and a
# number is never reduced to nothing)
wire() {
	for _wp in "$WIRE_INTERNATIONAL" "$WIRE_NATIONAL"; do
		if [ -n "$_wp" ] && [ "${1#"$_wp"}" != "$1" ] && [ -n "${1#"$_wp"}" ]; then
			echo "${1#"$_wp"}"
			return
		fi
	done
	echo "$1"
}
