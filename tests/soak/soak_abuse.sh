#!/bin/sh
# Remote-control abuse: soak-abuse plays an attacker on 8 lines trying PINs on existing
# and unknown numbers (ABUSE_ROUNDS of each) through the real dialogue, store and PIN
# workers; it prints the timing and the figures (see tests/soak/soak_abuse.c).
BUILD=${BUILD:-build}
"$BUILD/soak-abuse" "${ABUSE_ROUNDS:-60}" > /tmp/cfwd-abuse.$$ 2>&1
rc=$?
grep -v '^[0-9][0-9]:' /tmp/cfwd-abuse.$$
[ -n "$SOAK_FIGURES" ] && awk '$1 == "figure" { print "soak_abuse", $2, $3, $4, $5, $6 }' \
	/tmp/cfwd-abuse.$$ | tr -d '()' >> "$SOAK_FIGURES"
rm -f /tmp/cfwd-abuse.$$
[ $rc -eq 0 ] && echo "soak_abuse.sh: ok" || echo "soak_abuse.sh: FAILED"
exit $rc
