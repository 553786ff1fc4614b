# tests/scenarios/pri_lib.sh - shared by the PRI scenario tests (sourced, not run):
# fwd_lib.sh's cfwdd + cfwd-lab + cfwdctl, plus one ISDN PRI trunk "pbx" on a third sim
# span (E1, euroisdn; cfwdd the network side, the lab the CPE side) to which numbers
# 0355... route on both sides, and cfwdd's Q.921/Q.931 capture (--pcap-pri, DLT 177).
# Both ends type numbers as the linksets do: 0355123456 is national 355123456 on the wire.
. tests/scenarios/fwd_lib.sh

PBX=0355123456		# a number behind the PBX (PRI)

pri_sections() {	# pri_sections SIDE LOCAL_PORT REMOTE_PORT
	printf '\n[span pbx]\nbackend = sim\nlaw = ulaw\nchannels = 31\n'
	printf 'local_port = %s\nremote_port = %s\n' "$2" "$3"
	printf '\n[trunk pbx]\nspan = pbx\nswitchtype = euroisdn\nside = %s\ndchan = 16\n' "$1"
	printf 'nationalprefix = 0\ninternationalprefix = 010\n'	# as the linksets: national numbers
}

# start_pri [sed expressions for cfwd.conf]: cfwdd with the PRI trunk (network side)
start_pri() {
	sed -e 's/^isup_timer.t9 = .*/isup_timer.t9 = 60000/' -e 's/^\[route\]$/[route]\nroute => 0355 pbx/' \
		"$@" conf/cfwd.conf > "$T/cfwd.conf"
	pri_sections network 21003 21053 >> "$T/cfwd.conf"
	sed -e 's/^\[route\]$/[route]\nroute => 0355 pbx/' conf/lab.conf > "$T/lab.conf"
	pri_sections cpe 21053 21003 >> "$T/lab.conf"
	run_cfwdd 120 50 "$T/cfwd.conf" --pcap "$T/cfwdd.pcap" --pcap-pri "$T/pri.pcap" \
		--log "${CFWDD_LOG:-all=notice}"
}

# tshark on cfwdd's PRI capture: FIELDs of the first packet matching FILTER
qfld() {	# qfld FILTER FIELD...
	f=$1
	shift
	tshark -r "$T/pri.pcap" -Y "$f" -T fields -E separator=' ' -E occurrence=a \
		-E aggregator=, $(for x in "$@"; do printf -- '-e %s ' "$x"; done) \
		2>/dev/null | head -n 1
}
qcnt() {
	tshark -r "$T/pri.pcap" -Y "$1" 2>/dev/null | wc -l
}
# SETUPs cfwdd sent (it is the network side: lapd direction network -> user)
SETUP_OUT='q931.message_type == 0x05 && lapd.cr == 1'

# check_no_leak plus the PRI trunk from cfwdd's status, text and JSON: every B-channel
# idle, no leg alive (the D-channel may be up or down: the lab may have left).
check_pri_no_leak() {
	check_no_leak
	status > "$T/status.pri"
	line=$(awk '$1 == "trunk" && $2 == "pbx"' "$T/status.pri")
	# trunk pbx switch euroisdn side network span pbx dchan 16 up bchans 30 idle 30 busy 0 legs 0
	[ "$(echo "$line" | awk '{ print $3, $4, $5, $6, $13, $15, $17, $19 }')" = \
		"switch euroisdn side network 30 30 0 0" ] ||
		fail "trunk pbx not idle in status: ${line:-no trunk line}"
	"$BUILD/cfwdd" --ctl "$T/ctl" --query "status json" > "$T/status.json"
	python3 -c 'import json, sys
t = [x for x in json.load(open(sys.argv[1]))["trunks"] if x["name"] == "pbx"][0]
b = t["bchans"]
ok = t["legs"] == 0 and b["busy"] == 0 and b["idle"] == b["total"] == 30
sys.exit(0 if ok else 1)' "$T/status.json" ||
		fail "trunk pbx not idle in status json: $(cat "$T/status.json")"
}
