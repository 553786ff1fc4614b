#!/bin/sh
# Bad configuration and environment: each case either refuses to start with a message
# naming the cause (file:line, key, file) or runs degraded without losing anything.
# Which one, per case, is in docs/reliability.md. Running as root, a read-only store is
# played by an unprivileged user (setpriv), a full disk by RLIMIT_FSIZE, a locked
# database by another process holding BEGIN EXCLUSIVE.
. tests/soak/soak_lib.sh

NB=""
[ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && NB="setpriv --reuid 65534 --regid 65534 --clear-groups"
chmod 777 "$T"
# The read-only cases need a user the file modes apply to: not root. Where the
# unprivileged user cannot even start cfwdd (e.g. a chroot whose / is mode 0700, so no
# absolute path resolves for it), they are skipped with the reason, never passed.
RO_OK=1
if [ "$(id -u)" = 0 ]; then
	if [ -z "$NB" ]; then
		RO_OK=0
		RO_WHY="running as root without setpriv"
	elif ! $NB "$BUILD/cfwdd" --help > "$T/nb-probe.out" 2>&1; then
		RO_OK=0
		RO_WHY="user 65534 cannot run $BUILD/cfwdd here: $(head -n 1 "$T/nb-probe.out")"
	fi
fi

# refuses CASE PATTERN CONF [args]: cfwdd exits non-zero within 5 s saying PATTERN
refuses() {
	name=$1 pat=$2 conf=$3
	shift 3
	timeout 5 $NBX "$BUILD/cfwdd" -c "$conf" -f --ctl "$T/ctl-$name" --db "${DB:-$T/$name.db}" \
		"$@" > "$T/$name.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q -- "$pat" "$T/$name.out"; then
		echo "ok: $name refused: $(grep -- "$pat" "$T/$name.out" | head -n 1)"
		echo "$(basename "$0" .sh) $name refused ok" >> "${SOAK_FIGURES:-/dev/null}"
	else
		fail "$name: rc $rc, want a refusal saying '$pat': $(tail -n 2 "$T/$name.out")"
	fi
}

conf() {	# conf NAME sed-expressions...: $T/NAME.conf from conf/cfwd.conf
	n=$1
	shift
	sed "$@" conf/cfwd.conf > "$T/$n.conf"
}

step "malformed line, unknown key, out-of-range value"
conf bad1 -e 's/^busy_timeout_ms = 2000/&\nthis line is garbage/'
refuses malformed "bad1.conf:[0-9]*: syntax error" "$T/bad1.conf"
conf bad2 -e 's/^pin_lockout_attempts = 3/pin_lockout_attempt = 3/'
refuses unknown-key "unknown key 'pin_lockout_attempt' in \[service\]" "$T/bad2.conf"
conf bad3 -e 's/^pointcode = 1001/&\nmax_setup = 10/'
refuses unknown-linkset-key "max_setup: unknown key" "$T/bad3.conf"
conf bad4 -e 's/^channels = 31/channels = 99/'
refuses bad-value "bad4.conf:[0-9]*:" "$T/bad4.conf"

step "duplicate CICs and timeslots"
conf dup1 -e '0,/^channel => 1-15,17-31/s//channel => 1-15\ncicbeginswith = 10\nchannel => 17-31/'
refuses duplicate-cic "CIC 10 given twice" "$T/dup1.conf"
conf dup2 -e '0,/^channel => 1-15,17-31/s//channel => 1-15,17-31,3/'
refuses duplicate-timeslot "timeslot 3 given twice" "$T/dup2.conf"
conf dup3 -e 's/^local_port = 21002/local_port = 21001/'
refuses duplicate-port "21001\|in use\|Address" "$T/dup3.conf"

step "missing prompt file"
cp -r "$BUILD/prompts" "$T/prompts"
rm -f "$T/prompts/ja/cancelled.wav"
conf prompts -e "s|^\[route\]|[media]\nprompts = $T/prompts\n\n&|"
refuses missing-prompt "cancelled.wav" "$T/prompts.conf"

if [ "$RO_OK" = 1 ]; then
step "store in a read-only directory (new store)"
mkdir -p "$T/ro"
chmod 555 "$T/ro"
NBX=$NB DB="$T/ro/cfwd.db" refuses store-dir-read-only "unable to open database file\|read-only\|Permission" conf/cfwd.conf

step "existing store file read-only: degraded (runs, says so; changes refused, reads work)"
"$BUILD/cfwdctl" --db "$T/rofile.db" subscriber add 0312345678 > /dev/null
"$BUILD/cfwdctl" --db "$T/rofile.db" forward set 0312345678 --to 0398765432 --when busy > /dev/null
chmod 444 "$T/rofile.db"
chmod 777 "$T"
timeout 3 $NB "$BUILD/cfwdd" -c conf/cfwd.conf -f --ctl "$T/ctl-ro" --db "$T/rofile.db" \
	> "$T/rofile.out" 2>&1
grep -q "read-only" "$T/rofile.out" || fail "read-only store: no warning at start: $(head -3 "$T/rofile.out")"
$NB "$BUILD/cfwdctl" --db "$T/rofile.db" forward set 0312345678 --to 0398765432 \
	--when unconditional > "$T/rofile.ctl" 2>&1 && fail "cfwdctl wrote to a read-only store"
grep -q "read-only\|readonly\|Permission" "$T/rofile.ctl" || fail "cfwdctl on a read-only store: $(cat "$T/rofile.ctl")"
expect_eq "read-only store: condition unchanged" \
	"$("$BUILD/cfwdctl" --db "$T/rofile.db" show 0312345678 | awk '$1 == "condition" { print $2 }')" "busy"
else
	echo "skip: read-only store cases: $RO_WHY"
fi

step "full disk (file size limit): a change fails whole, every change that returned 0 is there"
"$BUILD/cfwdctl" --db "$T/full.db" subscriber add 0312000000 > /dev/null
added=0
for i in $(seq 1 1500); do
	n=$(printf '0312%06d' "$i")
	if (trap '' XFSZ; ulimit -f 64; "$BUILD/cfwdctl" --db "$T/full.db" subscriber add "$n" \
		> /dev/null 2> "$T/full.err"); then
		added=$((added + 1))
		echo "$n" >> "$T/full.ok"
	else
		break
	fi
done
echo "full disk after $added subscribers: $(tail -n 1 "$T/full.err")"
[ "$added" -lt 1500 ] || fail "the size limit never bit"
grep -q "disk\|full\|I/O" "$T/full.err" || fail "full disk: message does not say so: $(cat "$T/full.err")"
expect_eq "full disk: integrity_check" "$(sqlite3 "$T/full.db" 'PRAGMA integrity_check')" "ok"
missing=0
while read -r n; do
	"$BUILD/cfwdctl" --db "$T/full.db" show "$n" > /dev/null 2>&1 || missing=$((missing + 1))
done < "$T/full.ok"
figure full_disk_acknowledged_changes_missing "$missing" -eq 0

step "locked database: cfwdctl says busy after busy_timeout; cfwdd starts (WAL readers go on)"
"$BUILD/cfwdctl" --db "$T/lk.db" subscriber add 0312345678 > /dev/null
python3 -c "
import sqlite3, time
c = sqlite3.connect('$T/lk.db', isolation_level=None)
c.execute('BEGIN EXCLUSIVE')
time.sleep(6)" &
LOCKER=$!
sleep 0.5
"$BUILD/cfwdctl" --db "$T/lk.db" forward set 0312345678 --to 0398765432 --when unconditional \
	> "$T/lk.out" 2>&1 && fail "cfwdctl wrote through an exclusive lock"
grep -q "busy\|locked" "$T/lk.out" || fail "locked: message: $(cat "$T/lk.out")"
timeout 2 "$BUILD/cfwdd" -c conf/cfwd.conf -f --ctl "$T/ctl-lk" --db "$T/lk.db" > "$T/lkd.out" 2>&1
[ $? -eq 124 ] || fail "cfwdd did not start on a locked store: $(tail -2 "$T/lkd.out")"
wait $LOCKER
"$BUILD/cfwdctl" --db "$T/lk.db" forward set 0312345678 --to 0398765432 --when unconditional \
	> /dev/null 2>&1 || fail "cfwdctl after the lock went away"

[ "$FAILS" -eq 0 ] || { echo "soak_badconf.sh: $FAILS failure(s)"; exit 1; }
echo "soak_badconf.sh: ok"
