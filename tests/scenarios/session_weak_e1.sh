#!/bin/sh
# DTMF audio at the edge and at full load: keys at -30 dBm0 with 6 dB twist and white
# noise 15 dB below the tones register and start forwarding like clean ones; then 30
# subscribers dial 142 at once on the 30 circuits of one E1 span and all complete the
# same operation (every key detected once, every store row right, every CIC idle).
. tests/scenarios/session_lib.sh

KEYS="2 ${FWD}# 1 0 1 1"
start_sessions
ctl subscriber add $SUB
i=0
while [ $i -lt 30 ]; do
	ctl subscriber add "03123456$(printf %02d $i)"
	i=$((i + 1))
done

step "$SUB: $KEYS at -30 dBm0, twist 6 dB, SNR 15 dB"
session w1 session --from $SUB --to 142 --wait-prompts --level -30 --twist 6 --noise 15 \
	--keys "$KEYS" || fail "weak keys ($(cat "$T/w1"))"
check_no_leak
expect_eq "keys detected" "$(digits_detected)" "16"
expect_eq "forward-to" "$(show $SUB forward-to)" "$FWD (entry 0)"
expect_eq "condition" "$(cond $SUB)" "unconditional"

step "30 sessions at once on span local: 0312345600..0312345629, $KEYS"
start=$(date +%s)
session e1 session --from 0312345600 --to 142 --count 30 --wait-prompts --keys "$KEYS" \
	--timeout 90 || fail "30 sessions ($(grep -v '^ *[0-9]' "$T/e1" | head -5))"
echo "30 sessions took $(($(date +%s) - start)) s"
check_no_leak
expect_eq "sessions completed" "$(grep -c "^session .*answered, keys 6/6 groups.*caller hung up" "$T/e1")" "30"
expect_eq "keys detected (16 more per session)" "$(digits_detected)" "$((16 + 30 * 16))"
ok=0
i=0
while [ $i -lt 30 ]; do
	n="03123456$(printf %02d $i)"
	[ "$(show "$n" forward-to) $(cond "$n")" = "$FWD (entry 0) unconditional" ] && ok=$((ok + 1))
	i=$((i + 1))
done
expect_eq "subscribers with $FWD registered and CFU on" "$ok" "30"
expect_eq "ANMs cfwdd sent on local (one per session)" \
	"$(grep -c 'local .*<-  ANM' "$T/e1")" "30"
expect_eq "cfwdd's session counters" \
	"$("$BUILD/cfwdd" --ctl "$T/ctl" --query "status sessions")" \
	"sessions active 0 142 31 remote 0 ended-by-us 0 ended-by-caller 31 failed 0 billed 0 bill-errors 0"
finish
