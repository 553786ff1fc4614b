# tests/soak/soak_ops.sh - the "ops" span of the soak cases that run 142 and remote-control
# sessions by DTMF audio (sourced after soak_lib.sh): a second cfwd-lab, the exchange of
# the lines that run the sessions, on a third span/linkset "ops" (pc 4001; cfwdd's sim
# port 21003 <-> the lab's 21053, moved by CFWD_PORT_BASE like every sim port). Not for
# soak_hostile's span, which uses the same ports.
#   ops_conf IN OUT      cfwdd's config IN plus span/linkset "ops", written to OUT; also
#                        writes the ops lab's config $T/lab-ops.conf
#   ops_session OUT ...  one session from the ops lab (cfwd-lab session --via ops
#                        --wait-prompts ...), its output in $T/OUT; the lab's exit status
#   sub_cond NUM, sub_fwd_to NUM   the subscriber's condition / forward-to in the store,
#                        read with $CTL (the caller's cfwdctl command line)

ops_conf() {
	awk '/^\[route\]/ && !done {
		print "[span ops]\nbackend = sim\nlaw = ulaw\nchannels = 31"
		print "local_port = 21003\nremote_port = 21053\n"
		print "[linkset ops]\nspan = ops\nss7type = itu"
		print "networkindicator = national\npointcode = 1001\nadjpointcode = 4001"
		print "sigchan = 16\ncicbeginswith = 1\nchannel => 1-15,17-31\n"
		done = 1
	} { print }' "$1" > "$2"
	cat > "$T/lab-ops.conf" <<EOF_OPS
; the second line tester: the exchange of the lines that run 142 and remote sessions
[span ops]
backend = sim
law = ulaw
channels = 31
local_port = 21053
remote_port = 21003
[linkset ops]
span = ops
ss7type = itu
networkindicator = national
pointcode = 4001
adjpointcode = 1001
sigchan = 16
cicbeginswith = 1
channel => 1-15,17-31
[route]
route => 0 ops
EOF_OPS
}

ops_session() {
	out=$1
	shift
	timeout 120 "$BUILD/cfwd-lab" -c "$T/lab-ops.conf" session --via ops --wait-prompts \
		"$@" > "$T/$out" 2>&1
}

sub_cond() {
	$CTL show "$1" | awk '$1 == "condition" { print $2 }'
}

sub_fwd_to() {
	$CTL show "$1" | awk '$1 == "forward-to" { print $2 }'
}
