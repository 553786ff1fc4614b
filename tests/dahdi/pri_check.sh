#!/bin/sh
# tests/dahdi/pri_check.sh OUTDIR - on the host, after the DAHDI test VM ran
# tests/dahdi/pri.sh: tshark on cfwdd's LAPD capture of the PRI trunk (DLT 177) and its
# MTP2 capture, copied out of the guest. Prints ok/FAIL lines; non-zero on a failure.
# Q.931 numbers as held (0312345678); the onward IAM's in Q.763 form (`wire`).
OUT=$1
. tests/scenarios/wire_lib.sh
Q=$OUT/pri-q931-dchan.pcap
bad=0
expect_eq() {	# expect_eq WHAT GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok: $1 = $3"
	else
		echo "FAIL: $1: got '$2', want '$3'"
		bad=1
	fi
}
qfld() {	# qfld FILTER FIELD...: the first packet's fields
	f=$1
	shift
	tshark -r "$Q" -Y "$f" -T fields -E separator=' ' $(for x in "$@"; do printf -- '-e %s ' "$x"; done) \
		2>/dev/null | head -n 1
}
# cfwdd is the network side: its frames carry C/R 1, the PBX's (user side) 0
expect_eq "tshark PRI (dchan): SETUP from the PBX, called calling" \
	"$(qfld 'q931.message_type == 0x05 && lapd.cr == 0' q931.called_party_number.digits \
	q931.calling_party_number.digits)" "0312345678 0355110001"
expect_eq "tshark PRI (dchan): CONNECT to the PBX" \
	"$(qfld 'q931.message_type == 0x07 && lapd.cr == 1' q931.message_type)" "0x07"
expect_eq "tshark PRI (dchan): SETUP to the PBX, called calling" \
	"$(qfld 'q931.message_type == 0x05 && lapd.cr == 1' q931.called_party_number.digits \
	q931.calling_party_number.digits)" "0355123456 0311110001"
expect_eq "tshark PRI (dchan): CONNECT from the PBX" \
	"$(qfld 'q931.message_type == 0x07 && lapd.cr == 0' q931.message_type)" "0x07"
expect_eq "tshark PRI (dchan): PRI -> PRI, SETUP back to the PBX (called rgn reason)" \
	"$(qfld 'q931.message_type == 0x05 && lapd.cr == 1 && q931.calling_party_number.digits == "0355110003"' \
	q931.called_party_number.digits q931.redirecting_number.digits q931.extension.reason)" \
	"0355123456 0312345678 0x0f"
expect_eq "tshark PRI (dchan): onward IAM for the PBX caller (called calling ocn rgn)" \
	"$(tshark -r "$OUT/pri-dchan.pcap" -Y 'isup.message_type == 1 && mtp3.dpc == 3001' \
	-T fields -E separator=' ' -e isup.called -e isup.calling \
	-e isup.original_called_number -e isup.redirecting 2>/dev/null | head -n 1)" \
	"$(wire 0398765432)F $(wire 0355110001) $(wire 0312345678) $(wire 0312345678)"
exit $bad
