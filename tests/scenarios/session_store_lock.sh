#!/bin/sh
# A 142 change while another process holds the store's write lock (issue #11): cfwdd makes
# the change on its store writer thread, so its loop keeps answering (control socket
# pings while the lock is held) and the change lands once the lock is released; a lock
# held past the 3 s bound refuses the change ("try later"), with nothing written and the
# refusal in cfwdd's log. The holder (python3 sqlite3, like a cfwdctl mid-command) takes
# BEGIN IMMEDIATE as soon as cfwdd logs the session answered; the first key comes 1 s
# after the answer, so the commit always meets the held lock.
. tests/scenarios/session_lib.sh

# hold WAIT_FOR_NTH_ANSWER SECONDS: hold the write lock for SECONDS from cfwdd's Nth
# "answered" session line, pinging the control socket meanwhile; prints the worst ping
hold() {
	python3 - "$T/cfwd.db" "$T/cfwdd.log" "$1" "$2" "$BUILD/cfwdd" "$T/ctl" <<'EOPY'
import sqlite3, subprocess, sys, time
db, log, nth, secs, cfwdd, ctl = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6]
end = time.time() + 30
while time.time() < end:
    with open(log, errors='replace') as f:
        if sum(1 for l in f if ' answered' in l and 'session cic' in l) >= nth:
            break
    time.sleep(0.01)
c = sqlite3.connect(db, timeout=0, isolation_level=None)
c.execute('BEGIN IMMEDIATE')
t0, worst, n = time.time(), 0.0, 0
while time.time() - t0 < secs:
    p0 = time.time()
    subprocess.run([cfwdd, '--ctl', ctl, '--query', 'ping'], stdout=subprocess.DEVNULL)
    worst, n = max(worst, time.time() - p0), n + 1
    time.sleep(0.05)
c.execute('ROLLBACK')
print('held %.1f s, %d pings, worst %d ms' % (time.time() - t0, n, worst * 1000))
EOPY
}

start_sessions
ctl subscriber add $SUB
ctl forward set $SUB --to $FWD --when unconditional

step "cfwdctl holds the write lock 2 s from the answer; $SUB dials 142 and presses 0 (stop)"
hold 1 2 > "$T/h1" &
H=$!
session s1 session --from $SUB --to 142 --first 1000 --keys "0" --linger 4 ||
	fail "142 session (ladder: $(cat "$T/s1"))"
wait $H
echo "holder: $(cat "$T/h1")"
worst=$(sed -n 's/.*worst \([0-9]*\) ms/\1/p' "$T/h1")
[ "${worst:-9999}" -lt 300 ] || fail "control socket stalled behind the lock: $(cat "$T/h1")"
grep -q 'store change took [0-9]* ms (write lock waited for)' "$T/cfwdd.log" ||
	fail "the change did not wait for the lock (no 'write lock waited for' in the log)"
expect_eq "condition after the session (stopped once the lock was free)" "$(cond $SUB)" "off"

step "The lock is held 5 s, past the 3 s bound: the change is refused, nothing written"
ctl forward set $SUB --to $FWD --when unconditional
hold 2 5 > "$T/h2" &
H=$!
session s2 session --from $SUB --to 142 --first 1000 --keys "0" --linger 5 ||
	fail "142 session (ladder: $(cat "$T/s2"))"
wait $H
echo "holder: $(cat "$T/h2")"
grep -q 'store change refused after [0-9]* ms: the write lock is held' "$T/cfwdd.log" ||
	fail "no refusal in cfwdd's log"
grep -q 'stop forwarding failed' "$T/cfwdd.log" || fail "the dialogue did not say try later"
expect_eq "condition after the refused change" "$(cond $SUB)" "unconditional"
"$BUILD/cfwdctl" stats --prom --ctl "$T/ctl" > "$T/stats" 2>&1 || fail "cfwdctl stats"
expect_eq "metrics: store changes refused for the lock" \
	"$(sed -n 's/^cfwd_store_writes_total{result="lock_timeout"} //p' "$T/stats")" "1"
expect_eq "metrics: store changes committed (the first stop)" \
	"$(sed -n 's/^cfwd_store_writes_total{result="committed"} //p' "$T/stats")" "1"
check_no_leak
stop_cfwdd
finish
