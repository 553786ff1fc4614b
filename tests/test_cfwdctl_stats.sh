#!/bin/sh
# tests/test_cfwdctl_stats.sh - cfwdctl's stats and log groups against a stand-in for
# cfwdd's control socket (python3: records each request line, answers like cfwdd):
# the request each option sends, the reply printed as is, a refused log spec -> exit 2
# with the daemon's message, no daemon -> exit 1. Needs BUILD; temp dir, no ports.
set -u
BUILD=${BUILD:-build}
CTL="$BUILD/cfwdctl"
DIR=$(mktemp -d /tmp/cfwdctl-stats.XXXXXX)
SRV=
trap '[ -n "$SRV" ] && kill "$SRV" 2>/dev/null; rm -rf "$DIR"' EXIT
printf '[control]\nsocket = %s/ctl\n' "$DIR" >"$DIR/cfwd.conf"
fail=0
pass=0
step() { echo "  -- $*"; }
check() { if [ "$1" = "$2" ]; then pass=$((pass + 1)); else echo "FAIL: $3: got '$1', want '$2'"; fail=$((fail + 1)); fi; }

python3 - "$DIR" <<'PY' &
import os, socket, sys
d = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(d + "/ctl.tmp"); s.listen(8); os.rename(d + "/ctl.tmp", d + "/ctl")
replies = {"stats": "cfwd_calls_total (counter)\n  outcome=answered  3\n",
           "stats json": '{"cfwd_calls_total":{"outcome=answered":3}}\n',
           "stats prom": 'cfwd_calls_total{outcome="answered"} 3\n',
           "log": "log isup     notice\n", "log isup=debug": "ok isup=debug\n",
           "log isup=loud": "error bad log spec: isup=loud\n"}
while True:
    c, _ = s.accept()
    line = b""
    while not line.endswith(b"\n"):
        b = c.recv(256)
        if not b: break
        line += b
    line = line.decode().strip()
    open(d + "/requests", "a").write(line + "\n")
    c.sendall(replies.get(line, "error unknown command\n").encode()); c.close()
PY
SRV=$!
i=0; while [ ! -S "$DIR/ctl" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

ctl() { "$CTL" --conf "$DIR/cfwd.conf" "$@"; }
step "cfwdctl stats: the text page, socket from [control] socket"
check "$(ctl stats | tail -1)" "  outcome=answered  3" "stats"
step "cfwdctl --json stats / stats --prom ask for those forms"
check "$(ctl --json stats)" '{"cfwd_calls_total":{"outcome=answered":3}}' "--json stats"
check "$(ctl stats --prom)" 'cfwd_calls_total{outcome="answered"} 3' "stats --prom"
step "cfwdctl log / log isup=debug"
check "$(ctl log)" "log isup     notice" "log"
check "$(ctl log isup=debug)" "ok isup=debug" "log isup=debug"
step "a spec the daemon refuses: exit 2 and its message"
out=$(ctl log isup=loud 2>&1); rc=$?
check "$rc" 2 "refused spec status"
check "$out" "cfwdctl: bad log spec: isup=loud" "refused spec message"
check "$(tr '\n' '|' <"$DIR/requests")" \
	"stats|stats json|stats prom|log|log isup=debug|log isup=loud|" "request lines"
step "no daemon: exit 1, 'is cfwdd running?'"
out=$(ctl stats --ctl "$DIR/none" 2>&1); rc=$?
check "$rc" 1 "no daemon status"
case "$out" in *"is cfwdd running?"*) pass=$((pass + 1)) ;; *) echo "FAIL: $out"; fail=$((fail + 1)) ;; esac
ctl stats extra >/dev/null 2>&1; check "$?" 2 "stats with an argument"

echo "test_cfwdctl_stats: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
