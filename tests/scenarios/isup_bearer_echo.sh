#!/bin/sh
# Bearer through cfwdd: from answer on, the two legs' timeslots are cross-connected both
# ways in 20 ms frames. The caller sends DTMF 1234567890 as audio; the far end loops
# whatever it hears back; the caller records what comes back and cfwd-dtmf finds the
# same ten digits in the recording: audio crossed cfwdd twice, once in each direction.
. tests/scenarios/isup_lib.sh

start_cfwdd

step "Caller sends DTMF after answer, the far end echoes, the caller records"
lab call --from 0312345678 --to 0398765432 --far echo --dtmf 1234567890 --hold 2.5 \
	--record "$T/heard.wav" > "$T/ladder" || fail "echo call"
"$BUILD/cfwd-dtmf" detect "$T/heard.wav" > "$T/digits" || fail "cfwd-dtmf detect"
expect_eq "digits heard back" "$(awk '{ printf "%s", $2 }' "$T/digits")" "1234567890"
check_no_leak
finish
