#!/bin/sh
# tests/dahdi/pri.sh SIG - in the DAHDI test VM, dchan= mode only: an ISDN PRI trunk
# "pbx" (E1, euroisdn, A-law) on looped loc spans 5 (cfwdd, network side) and 6
# (cfwd-lab, CPE side), its D-channel the span's dchan= channel (timeslot 16: HDLC, the
# backend's frame + 2 FCS), next to tests/dahdi/lib.sh's ISUP spans. A PBX caller
# calls a subscriber with CFU: SETUP in, onward IAM on transit with OCN/RGN/RI; then an
# ISUP caller reaches a PBX number: SETUP out; then a PBX caller forwarded back to the
# PBX (two B-channels, kernel cross-connect, --play-pattern byte-exact both ways). The
# lab's ladder and cfwdd's status (the trunk line) are checked here; the host reads cfwdd's LAPD pcap (/out/pri-q931-SIG.pcap)
# with tshark (tests/dahdi/pri_check.sh).
NAME=pri SIG=$1
. /test/lib.sh
PBX=0355123456

pri_sections() {	# pri_sections SIDE BASE_CHANNEL
	printf '\n[span pbx]\nbackend = dahdi\nchannels = 31\nbase_channel = %s\n' "$2"
	printf '\n[trunk pbx]\nspan = pbx\nswitchtype = euroisdn\nside = %s\ndchan = 16\n' "$1"
}
for f in cfwd lab; do
	sed -i '/^\[route\]$/a route => 0355 pbx' "$T/$f.conf"
done
pri_sections network 125 >>"$T/cfwd.conf"
pri_sections cpe 156 >>"$T/lab.conf"

# lib.sh's start_cfwdd, with the PRI capture
cfwdd -c "$T/cfwd.conf" -f --db "$T/cfwd.db" --pcap "$T/cfwdd.pcap" --pcap-pri "$T/pri.pcap" \
	--ctl "$T/ctl" --log all=notice,tdm=info,pri=info >"$T/cfwdd.log" 2>&1 &
CFWDD_PID=$!
i=0
while [ ! -S "$T/ctl" ] && [ $i -lt 100 ] && kill -0 $CFWDD_PID 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if [ ! -S "$T/ctl" ] || ! kill -0 $CFWDD_PID 2>/dev/null; then
	cat "$T/cfwdd.log"
	echo "FAIL: cfwdd did not start"
	exit 1
fi
grep 'DAHDI channel 140 is a' "$T/cfwdd.log" | sed 's/^[^ ]* /   /'

# trunk pbx switch euroisdn side network span pbx dchan 16 up bchans 30 idle 30 busy 0 legs 0
trunk_status() {
	cfwdd --ctl "$T/ctl" --query status | awk '$1 == "trunk" && $2 == "pbx" {
		print $4, $6, $11, "busy", $17, "legs", $19 }'
}
check_trunk_idle() {
	got=$(trunk_status)
	[ "$got" = "euroisdn network up busy 0 legs 0" ] ||
		fail "trunk pbx in cfwdd's status ($1): '$got'"
}

ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "PRI in -> ISUP out: 0355110001 (PBX, SETUP on the dchan) calls $SUB, CFU to $FWD"
lab_answered "$T/l1" --expect IAM@in@transit.called=$(wire $FWD)F \
	--expect IAM@in@transit.calling=$(wire 0355110001) --expect IAM@in@transit.ocn=$(wire $SUB) \
	--expect IAM@in@transit.rgn=$(wire $SUB) --expect IAM@in@transit.redir_ind=4 \
	--expect IAM@in@transit.redir_counter=1 --expect IAM@in@transit.redir_reason=3 \
	call --from 0355110001 --to $SUB --hold 1 || { cat "$T/l1"; fail "PRI -> ISUP call"; }
cat "$T/l1"
grep -Eq "pbx +cr=[0-9]+ +->  SETUP chan=[0-9]+.* called=$SUB calling=0355110001" "$T/l1" ||
	fail "no SETUP to cfwdd in the lab's ladder"
grep -Eq 'pbx +cr=[0-9]+ +<-  CONNECT' "$T/l1" || fail "no CONNECT from cfwdd in the ladder"
grep -q 'transit.*->  ANM' "$T/l1" || fail "no ANM from the forward-to exchange"
check_no_leak "after the PRI -> ISUP call"
check_trunk_idle "after the PRI -> ISUP call"

step "ISUP in -> PRI out: 0311110001 calls $PBX, SETUP to the PBX, answered"
lab_answered "$T/l2" --expect REL.cause=16 call --from 0311110001 --to $PBX --hold 1 ||
	{ cat "$T/l2"; fail "ISUP -> PRI call"; }
cat "$T/l2"
grep -Eq "pbx +cr=[0-9]+ +<-  SETUP chan=[0-9]+\(exclusive\) called=$PBX calling=0311110001" \
	"$T/l2" || fail "no SETUP from cfwdd in the lab's ladder"
grep -Eq 'pbx +cr=[0-9]+ +->  CONNECT' "$T/l2" || fail "no CONNECT to cfwdd in the ladder"
check_no_leak "after the ISUP -> PRI call"
check_trunk_idle "after the ISUP -> PRI call"

# spans 5/6 are A-law, local/transit u-law: across laws cfwdd transcodes (not byte-exact),
# so the speech pattern is checked on a PRI -> PRI call: two B-channels of span pbx
step "PRI -> PRI: $SUB forwards to $PBX; 0355110003 calls $SUB; speech both ways"
ctl forward set $SUB --to $PBX --when unconditional
lab_answered "$T/l3" call --from 0355110003 --to $SUB --hold 2 --play-pattern 4321 ||
	{ cat "$T/l3"; fail "PRI -> PRI call"; }
grep -E 'pbx|pattern|answered' "$T/l3"
[ "$(grep -Ec "pbx +cr=[0-9]+ +(->|<-)  SETUP" "$T/l3")" = 2 ] || fail "not two SETUPs"
grep -q 'kernel cross-connect .* <- ' "$T/cfwdd.log" || fail "no kernel cross-connect"
for who in caller 'far end'; do
	run=$(sed -n "s/^cfwd-lab: pattern: $who heard \([0-9]*\) bytes.*/\1/p" "$T/l3")
	[ "${run:-0}" -ge 4000 ] || fail "$who heard ${run:-no} bytes of the other's pattern in a row"
done
check_no_leak "after the PRI -> PRI call"
check_trunk_idle "after the PRI -> PRI call"
grep 'trunk pbx\|cross-connect\|cannot bridge' "$T/cfwdd.log" | sed 's/^[^ ]* /   /'

kill "$CFWDD_PID"
wait "$CFWDD_PID" || fail "cfwdd exited with status $?"
CFWDD_PID=
cp "$T/pri.pcap" "/out/pri-q931-$SIG.pcap"
finish
