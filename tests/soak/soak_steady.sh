#!/bin/sh
# Steady soak (make soak-long, not CI): STEADY_S seconds (2 h) of the three kinds of
# traffic at once, with cfwdd's memory, descriptors and circuits sampled every minute.
# - Calls: cfwd-lab load at STEADY_RATE calls/s (1), held STEADY_HOLD s (12), to 100
#   numbers of the local exchange: 40 subscribers with CFU to the transit side (each call
#   forwarded: local in, transit out), 60 ordinary numbers (tandem local -> local).
# - 142 and remote control by DTMF audio, from a second cfwd-lab on a third span "ops"
#   (pc 4001), one session every STEADY_GAP s (20) in turn: 142 registers a new
#   forward-to and starts CFU; remote control (number # PIN 0) stops it; remote control
#   (number # PIN 1) starts it again. Each is checked in the store afterwards.
# Figures: calls not completed (0), sessions failed (0), RSS growth, fd growth (0),
# stuck CICs (0), sanitizer reports (0). The samples go to $STEADY_LOG when set.
. tests/soak/soak_lib.sh
. tests/soak/soak_ops.sh

DUR=${STEADY_S:-7200}
RATE=${STEADY_RATE:-1}
HOLD=${STEADY_HOLD:-12}
GAP=${STEADY_GAP:-20}
CFWDD_TIMEOUT=$((DUR + 900))	# start_cfwdd_conf stops cfwdd after this many seconds
SUB=0312000090
FAR=0311110007
ACCESS=0363044141
CTL="$BUILD/cfwdctl --db $T/cfwd.db --conf $T/cfwd-steady.conf"

# cfwdd: the default topology plus span/linkset "ops" (tests/soak/soak_ops.sh)
ops_conf conf/cfwd.conf "$T/cfwd-steady.conf"

step "provision: 40 subscribers with CFU, the session subscriber $SUB (remote control on)"
for s in $(seq 0 39); do
	n=$(printf '03120000%02d' "$s")
	$CTL subscriber add "$n" > /dev/null || fail "subscriber add $n"
	$CTL forward set "$n" --to "$(printf '03990000%02d' "$s")" --when unconditional \
		> /dev/null || fail "forward set $n"
done
$CTL subscriber add $SUB > /dev/null || fail "subscriber add $SUB"
$CTL remote enable $SUB --pin 1234 > /dev/null || fail "remote enable $SUB"

start_cfwdd_conf "$T/cfwd-steady.conf"
P=$(cfwdd_pid)
lab_long "$DUR" load --rate "$RATE" --duration "$DUR" --hold "$HOLD" --to-prefix 0312 \
	--to-count 100 > "$T/steady.out" 2>&1 &
L=$!

sessions=0 sessions_failed=0 k=0
next_session() {	# one session of the cycle; checks the store afterwards
	k=$((k + 1))
	case $((k % 3)) in
	1)
		fwd=$(printf '039876%04d' $((k % 10000)))
		ops_session s.out --from $SUB --to 142 --keys "2 ${fwd}# 1 0 1 1"
		want_cond=unconditional want_fwd=$fwd
		;;
	2)
		ops_session s.out --from $FAR --to $ACCESS --keys "${SUB}# 1234 0" --linger 15
		want_cond=off want_fwd=
		;;
	0)
		ops_session s.out --from $FAR --to $ACCESS --keys "${SUB}# 1234 1" --linger 15
		want_cond=unconditional want_fwd=
		;;
	esac
	rc=$?
	sessions=$((sessions + 1))
	got_cond=$(sub_cond $SUB)
	got_fwd=$(sub_fwd_to $SUB)
	if [ $rc -ne 0 ] || [ "$got_cond" != "$want_cond" ] ||
		{ [ -n "$want_fwd" ] && [ "$got_fwd" != "$want_fwd" ]; }; then
		sessions_failed=$((sessions_failed + 1))
		echo "session $k failed: rc $rc, condition $got_cond (want $want_cond)," \
			"forward-to $got_fwd (want ${want_fwd:-any})"
		grep '^session' "$T/s.out"
		cp "$T/s.out" "$T/failed-session-$k.out"
	fi
}

fds() {
	ls "/proc/$1/fd" 2>/dev/null | wc -l
}
sample() {
	r=$(rss_kb "$P")
	f=$(fds "$P")
	line="$(date +%T) rss $r kB fds $f sessions $sessions failed $sessions_failed;"
	line="$line $(status | grep '^calls') $(status | grep '^cics ' | tr '\n' ' ')"
	echo "$line"
	[ -n "$STEADY_LOG" ] && echo "$line" >> "$STEADY_LOG"
}

sleep 60
rss0=$(rss_kb "$P") fd0=$(fds "$P")
rssmax=$rss0 fdmax=$fd0
t_sample=$(date +%s)
while kill -0 "$L" 2>/dev/null; do
	next_session
	sleep "$GAP"
	if [ $(( $(date +%s) - t_sample )) -ge 60 ]; then
		t_sample=$(date +%s)
		sample
		[ "${r:-0}" -gt "$rssmax" ] && rssmax=$r
		[ "${f:-0}" -gt "$fdmax" ] && fdmax=$f
	fi
done
wait "$L"
sleep 2
grep '^load ' "$T/steady.out"
att=$(awk '$1 == "load" { print $3 }' "$T/steady.out")
comp=$(awk '$1 == "load" { print $7 }' "$T/steady.out")
echo "sessions $sessions (142 and remote control), failed $sessions_failed;" \
	"rss $rss0 -> max $rssmax kB; fds $fd0 -> max $fdmax"
figure steady_calls_attempted "${att:-0}" -ge $((RATE * DUR * 9 / 10))
figure steady_calls_not_completed $(( ${att:-0} - ${comp:-0} )) -eq 0
figure steady_sessions "$sessions" -ge $((DUR / (GAP + 40)))
figure steady_sessions_failed "$sessions_failed" -eq 0
figure steady_rss_growth_kb $((rssmax - rss0)) -le 8192
figure steady_fd_growth $((fdmax - fd0)) -le 0
figure cics_stuck "$(stuck_cics)" -eq 0
stop_cfwdd
figure sanitizer_reports "$(sanitizer_reports "$T/cfwdd.log")" -eq 0
[ "$FAILS" -eq 0 ] || { echo "soak_steady.sh: $FAILS failure(s)"; exit 1; }
echo "soak_steady.sh: ok"
