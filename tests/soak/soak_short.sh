#!/bin/sh
# tests/soak/soak_short.sh - the reliability battery in about a minute, for `make test`
# (SCENARIOS): bad configuration, 5,000 hostile MSUs with calls alongside, one restart
# with calls up. `make soak` runs the full sizes.
export HOSTILE_COUNT=${HOSTILE_COUNT:-5000} HOSTILE_RATE=${HOSTILE_RATE:-2500}
export RESTART_DURATION=${RESTART_DURATION:-12} RESTART_HOLD=${RESTART_HOLD:-4}
rc=0
for c in soak_badconf soak_hostile soak_restart; do
	sh "tests/soak/$c.sh" > "/tmp/cfwd-soak-short.$$.$c" 2>&1 || {
		rc=1
		grep -v ' INFO \| NOTICE ' "/tmp/cfwd-soak-short.$$.$c" | tail -20
	}
	grep '^figure\|^ok\|^FAIL\|: ok$' "/tmp/cfwd-soak-short.$$.$c"
	rm -f "/tmp/cfwd-soak-short.$$.$c"
done
exit $rc
