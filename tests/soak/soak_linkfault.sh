#!/bin/sh
# Link faults: the transit span runs through span_proxy.py, which cuts it (link dropped,
# restored), flaps it (every 2 s for FLAP_S seconds), silences its bearer, and drops the
# peer's signal units (a peer that stops acknowledging). cfwd-lab #1 offers calls
# local -> transit (affected); cfwd-lab #2 offers calls on a third span s3, which
# cfwdd routes to a fourth span s4 of the same lab (untouched). Figures: lab #2 calls not completed (0), lab #1 calls lost vs the
# bound of those that could not have survived, stuck CICs 0, calls afterwards.
. tests/soak/soak_lib.sh

FLAP_S=${FLAP_S:-20}
B=$CFWD_PORT_BASE
RATE=5
echo pass > "$T/mode"
awk '/^\[route\]/ && !done {
	for (i = 3; i <= 4; i++) {
		printf "[span s%d]\nbackend = sim\nlaw = ulaw\nchannels = 31\n", i
		printf "local_port = 2100%d\nremote_port = 2105%d\n\n", i, i
		printf "[linkset s%d]\nspan = s%d\nss7type = itu\nnetworkindicator = national\n", i, i
		printf "pointcode = 1001\nadjpointcode = %d001\nsigchan = 16\n", i + 2
		printf "cicbeginswith = 1\nchannel => 1-15,17-31\n\n"
	}
	done = 1 } { print } END { print "route => 0355 s4" }' conf/cfwd.conf |
	sed '/^\[span transit\]/,/^$/ s/^remote_port = 21052/remote_port = 21062/' > "$T/cfwd-fault.conf"
sed '/^\[span transit\]/,/^$/ s/^remote_port = 21002/remote_port = 21072/' conf/lab.conf > "$T/lab.conf"
: > "$T/lab2.conf"
for i in 3 4; do
	printf '[span s%d]\nbackend = sim\nlaw = ulaw\nchannels = 31\nlocal_port = 2105%d\nremote_port = 2100%d\n\n' $i $i $i
	printf '[linkset s%d]\nspan = s%d\nss7type = itu\nnetworkindicator = national\npointcode = %d001\n' $i $i $((i + 2))
	printf 'adjpointcode = 1001\nsigchan = 16\ncicbeginswith = 1\nchannel => 1-15,17-31\nmax_setups = 1000\n\n'
done >> "$T/lab2.conf"
printf '[route]\nroute => 0 s3\n' >> "$T/lab2.conf"

python3 tests/soak/span_proxy.py $((B + 2)) $((B + 62)) $((B + 72)) $((B + 52)) "$T/mode" \
	> "$T/proxy.out" 2>&1 &
PROXY=$!
start_cfwdd_conf "$T/cfwd-fault.conf"
TOTAL=$((12 + 8 + FLAP_S + 8 + 15 + 25))
lab_long "$TOTAL" load --rate $RATE --duration "$TOTAL" --hold 1 --to-prefix 0399 > "$T/l1.out" 2>&1 &
L1=$!
timeout $((TOTAL + 60)) "$BUILD/cfwd-lab" -c "$T/lab2.conf" load --rate $RATE --duration "$TOTAL" \
	--hold 1 --from-prefix 0355 --to-prefix 0355 > "$T/l2.out" 2>&1 &
L2=$!
phase() {	# phase MODE SECONDS
	echo "$1" > "$T/mode"
	echo "== $1 for $2 s"
	sleep "$2"
}
outage=0
phase pass 6
phase drop 6; outage=$((outage + 6))
phase pass 8
i=0
while [ $i -lt "$FLAP_S" ]; do
	echo drop > "$T/mode"; sleep 2
	echo pass > "$T/mode"; sleep 2
	i=$((i + 4))
done
echo "== flapped every 2 s for $FLAP_S s"
outage=$((outage + FLAP_S))
phase pass 8
phase nobearer 6
phase noack 15; outage=$((outage + 15))
phase pass 20
wait "$L1" "$L2"
for f in l1 l2; do grep '^load ' "$T/$f.out" || tail -3 "$T/$f.out"; done
a2=$(awk '$1 == "load" { print $3 }' "$T/l2.out")
c2=$(awk '$1 == "load" { print $7 }' "$T/l2.out")
a1=$(awk '$1 == "load" { print $3 }' "$T/l1.out")
c1=$(awk '$1 == "load" { print $7 }' "$T/l1.out")
figure other_link_calls_offered "${a2:-0}" -ge $((TOTAL * RATE * 9 / 10))
figure other_link_calls_not_completed $(( ${a2:-0} - ${c2:-0} )) -eq 0
# could not have survived: offered while the span was cut or flapping or the peer
# silent, plus the calls up at each cut (rate x hold), plus 3 s of realignment per cut
cuts=$((2 + FLAP_S / 4))
figure transit_calls_lost $(( ${a1:-0} - ${c1:-0} )) -le $(( RATE * (outage + 3 * cuts) + RATE * cuts ))
echo "transit calls: offered ${a1:-0}, completed ${c1:-0}; outage ${outage} s over $cuts cuts"
sleep 1
figure cics_stuck "$(stuck_cics)" -eq 0
figure calls_after_ok "$(after_calls 3)" -eq 3
echo quit > "$T/mode"
wait "$PROXY"
cat "$T/proxy.out"
stop_cfwdd
figure sanitizer_reports "$(sanitizer_reports "$T/cfwdd.log")" -eq 0
[ "$FAILS" -eq 0 ] || { echo "soak_linkfault.sh: $FAILS failure(s)"; exit 1; }
echo "soak_linkfault.sh: ok"
