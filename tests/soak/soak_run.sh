#!/bin/sh
# tests/soak/soak_run.sh - `make soak`: every case of the reliability battery in turn,
# with the CI sizes (under 10 minutes in all), then the figures table. SOAK_LONG=1
# (`make soak-long`) adds the 2-hour steady load. Exit 1 when any figure is out of bounds.
BUILD=${BUILD:-build}
export BUILD
SOAK_FIGURES=$(mktemp /tmp/cfwd-soak-figures.XXXXXX)
export SOAK_FIGURES
: "${HOSTILE_COUNT:=100000}" "${HOSTILE_RATE:=4000}"
export HOSTILE_COUNT HOSTILE_RATE
cases="soak_badconf soak_hostile soak_restart soak_overload soak_linkfault soak_store_crash soak_abuse"
[ -n "$SOAK_LONG" ] && cases="$cases soak_steady"
failed=""
start=$(date +%s)
for c in $cases; do
	[ -f "tests/soak/$c.sh" ] || continue
	echo "=== $c"
	t0=$(date +%s)
	sh "tests/soak/$c.sh" || failed="$failed $c"
	echo "=== $c: $(( $(date +%s) - t0 )) s"
done
echo
echo "=== figures (case name value bound result), $(( $(date +%s) - start )) s in all"
column -t "$SOAK_FIGURES" 2>/dev/null || cat "$SOAK_FIGURES"
rm -f "$SOAK_FIGURES"
[ -z "$failed" ] || { echo "soak FAILED:$failed"; exit 1; }
echo "soak: all figures within bounds"
