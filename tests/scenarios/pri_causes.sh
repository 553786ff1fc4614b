#!/bin/sh
# Causes across the PRI/ISUP boundary, both ways (Q.850 on both sides): a PRI caller to
# an unrouted number gets DISCONNECT 1; to a busy ISUP line DISCONNECT 17 (the REL's
# cause); an ISUP caller to a busy or unallocated PRI number gets REL 17 / REL 1 (the
# DISCONNECT's cause). Checked on the lab's side and on cfwdd's PRI capture.
. tests/scenarios/pri_lib.sh

start_pri

step "PRI caller to an unrouted number: DISCONNECT cause 1"
lab call --from 0355110001 --to 9999999 > "$T/l1" 2>&1
grep -q 'not answered, cause 1$' "$T/l1" || fail "unrouted: $(cat "$T/l1")"
check_pri_no_leak

step "PRI caller to a busy ISUP line: REL 17 becomes DISCONNECT 17"
lab call --from 0355110002 --to 0398765400 --far busy > "$T/l2" 2>&1
grep -q 'not answered, cause 17$' "$T/l2" || fail "busy ISUP: $(cat "$T/l2")"
grep -q 'transit.*<-  REL  cause=17' "$T/l2" && fail "busy ISUP: REL came from cfwdd"
check_pri_no_leak

step "ISUP caller to a busy PRI number: DISCONNECT 17 becomes REL 17"
lab --expect REL@in@transit.cause=17 call --from 0311110003 --to $PBX --far busy \
	> "$T/l3" 2>&1 || fail "busy PRI: $(cat "$T/l3")"
check_pri_no_leak

step "ISUP caller to an unallocated PRI number: DISCONNECT 1 becomes REL 1"
lab --expect REL@in@transit.cause=1 call --from 0311110004 --to 0355000000 \
	--far unallocated > "$T/l4" 2>&1 || fail "unallocated PRI: $(cat "$T/l4")"
check_pri_no_leak

stop_cfwdd
step "tshark on cfwdd's PRI capture"
expect_eq "causes cfwdd sent on the PRI (DISCONNECT)" \
	"$(tshark -r "$T/pri.pcap" -Y 'q931.message_type == 0x45 && lapd.cr == 1' -T fields \
	-e q931.cause_value 2>/dev/null | tr '\n' ' ')" "1 17 "
expect_eq "causes received on the PRI (DISCONNECT)" \
	"$(tshark -r "$T/pri.pcap" -Y 'q931.message_type == 0x45 && lapd.cr == 0' -T fields \
	-e q931.cause_value 2>/dev/null | tr '\n' ' ')" "17 1 "
finish
