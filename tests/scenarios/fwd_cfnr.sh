#!/bin/sh
# No-reply forwarding (CFNR) through cfwdd: the subscriber leg's ACM starts cfwdd's ring
# timer (the subscriber's ring time, 5 s here); on expiry the subscriber leg gets REL 16
# and the onward leg is placed (reason no reply) while the caller keeps ringing (the new
# leg's alerting goes back as CPG alerting, never a diversion event); an answer at 19 s
# with the default 20 s ring time is never diverted; at the limit the call rings on
# until the caller gives up; "no reply or busy" diverts on no reply too. Lab + tshark.
. tests/scenarios/fwd_lib.sh

start_fwd
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when no-reply

step "CFNR answered at 19 s with the default ring time (20 s): not diverted"
lab --expect REL@in@local.cause=16 call --from 0311130001 --to $SUB \
	--far-at $SUB=answer:19000 --hold 0.3 --timeout 30 > "$T/l1" || fail "answered at 19 s"
grep -q 'transit.*<-  IAM' "$T/l1" && fail "19 s: an onward IAM was sent"
grep -q 'transit.*<-  ANM' "$T/l1" || fail "19 s: no answer back to the caller"
check_no_leak

step "CFNR with a 5 s ring time: nobody answers, the call goes on to $FWD"
ctl ring-time $SUB 5
lab $(expect_onward 1 2 2) --expect IAM@in@local.called=$(wire $SUB)F \
	--expect REL@in@local.cause=16 --expect IAM@in@transit.calling=$(wire 0311130002) \
	--expect CPG@in@transit.event=1 \
	call --from 0311130002 --to $SUB --far-at $SUB=noanswer --hold 1.2 > "$T/l2" ||
	fail "CFNR call (ladder: $(cat "$T/l2"))"
caller_released "$T/l2" && fail "CFNR: the caller was released"
grep -q 'transit.*<-  ANM' "$T/l2" || fail "CFNR: no answer back to the caller"
t_acm=$(sed -n 's/^ *\([0-9.]*\) local .*->  ACM.*/\1/p' "$T/l2" | head -n 1)
t_rel=$(sed -n 's/^ *\([0-9.]*\) local .*<-  REL.*/\1/p' "$T/l2" | head -n 1)
awk -v a="$t_acm" -v r="$t_rel" 'BEGIN { d = r - a; exit !(d > 4.9 && d < 5.6) }' ||
	fail "ring timer: subscriber ACM at $t_acm, REL at $t_rel (want 5 s)"
check_no_leak
expect_eq "billing records after the answered CFNR call" "$(cdr_count)" "2"

step "At the limit (incoming counter 5): it rings on; the caller gives up after 7 s"
lab --expect REL@in@local.cause=16 call --from 0311130003 --to $SUB \
	--redirected-from 0399990000 --counter 5 --far-at $SUB=noanswer --abandon 7 \
	--timeout 15 > "$T/l3" || fail "limit call"
grep -q 'transit.*<-  IAM' "$T/l3" && fail "limit: an onward IAM was sent"
check_no_leak

step "The caller hangs up before the ring time: nothing onward, no record"
lab call --from 0311130004 --to $SUB --far-at $SUB=noanswer --abandon 2 > "$T/l4" ||
	fail "abandoned call"
grep -q 'transit.*<-  IAM' "$T/l4" && fail "abandoned: an onward IAM was sent"
check_no_leak

step "No reply or busy (CFNR+CFB), nobody answers: diverted with reason no reply"
ctl forward set $SUB --when no-reply-busy
lab $(expect_onward 1 2 2) call --from 0311130005 --to $SUB --far-at $SUB=noanswer \
	--hold 0.2 > "$T/l5" || fail "CFNR+CFB no reply"
check_no_leak
expect_eq "billing records" "$(cdr_count)" "4"

stop_cfwdd
step "tshark on cfwdd's pcap"
expect_eq "19 s: IAMs sent (the subscriber leg only)" "$(iams_from 0311130001)" "1"
expect_eq "CFNR onward IAM" "$(onward 0311130002)" \
	"$(wire 0311130002) 3 $(wire $SUB) $(wire $SUB) 4 2 1 2 0,1,1"
expect_eq "CFNR: REL to the subscriber leg" "$(cnt "isup.message_type == 12 &&
	mtp3.dpc == 2001 && isup.cause_indicator == 16")" "5"
expect_eq "limit: IAMs sent" "$(iams_from 0311130003)" "1"
expect_eq "abandoned: IAMs sent" "$(iams_from 0311130004)" "1"
expect_eq "CFNR+CFB no reply onward IAM" "$(onward 0311130005)" \
	"$(wire 0311130005) 3 $(wire $SUB) $(wire $SUB) 4 2 1 2 0,1,1"
check_no_notification
finish
