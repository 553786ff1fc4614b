/* tests/test_pri.c - two real libpri instances in one process, exchange N (network
 * side) and user U (CPE side), euroisdn, on a sim span pair over loopback UDP (one Q.921
 * frame per datagram): the D-channel comes up, SETUP -> ALERTING -> CONNECT ->
 * DISCONNECT -> RELEASE both ways, the calling number's presentation and screening and
 * the Redirecting Number IE (reason, counter, original called number) survive the trip,
 * causes pass both ways, a D-channel lost mid-call releases the B-channels, and the LAPD
 * pcap decodes in tshark. After every test no leg is left and every B-channel is idle.
 * Ports: CFWD_PORT_BASE (+95, +96) or from the PID. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/fsm.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "pri/pri_leg.h"
#include "pri/pri_pcap.h"
#include "pri/pri_q931.h"
#include "pri/pri_trunk.h"

struct side {
	const char *name;
	const char *switchtype;
	bool facility;		/* DivertingLegInformation2 instead of the Redirecting Number IE */
	bool network;
	unsigned lport, rport;
	struct tdm_span *span;
	struct pri_trunk *t;
	struct pri_leg *leg;
	char log[256];		/* what the owner heard, e.g. "setup alerting answered " */
};

struct fix {
	struct loop *loop;
	struct pri_q931_view last_setup_rx;	/* U's tap: the last SETUP U received */
	unsigned q931_rx, q921_only;
	struct side n, u;	/* euroisdn: Redirecting Number IE */
	struct side qn, qu;	/* qsig, facility = yes: DivertingLegInformation2 */
	struct pri_pcap *pcap;
	char pcap_path[64];
};

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static void heard(struct side *s, const char *what)
{
	size_t n = strlen(s->log);

	snprintf(s->log + n, sizeof(s->log) - n, "%s ", what);
}

static void on_alerting(void *user, struct pri_leg *leg)
{
	heard(user, "alerting");
}

static void on_progress(void *user, struct pri_leg *leg, int event)
{
	heard(user, "progress");
}

static void on_answered(void *user, struct pri_leg *leg)
{
	heard(user, "answered");
}

static void on_released(void *user, struct pri_leg *leg, int cause)
{
	struct side *s = user;
	char b[24];

	snprintf(b, sizeof(b), "released:%d", cause);
	heard(s, b);
	s->leg = NULL;
}

static const struct pri_leg_ops side_ops = {
	.alerting = on_alerting,
	.progress = on_progress,
	.answered = on_answered,
	.released = on_released,
};

static void on_incoming(void *user, struct pri_trunk *t, struct pri_leg *leg)
{
	struct side *s = user;

	s->leg = leg;
	pri_leg_set_owner(leg, &side_ops, s);
	heard(s, "setup");
}

static void on_dchan(void *user, struct pri_trunk *t, bool up)
{
	heard(user, up ? "dchan-up" : "dchan-down");
}

static const struct pri_trunk_owner side_owner = {
	.dchan_state = on_dchan,
	.incoming = on_incoming,
};

static const struct tdm_span_events no_span_events;

/* U's frame tap: every Q.931 message U receives goes through the ladder decoder. */
static void u_tap(void *user, struct pri_trunk *t, bool sent, const uint8_t *fr, size_t len)
{
	struct fix *f = user;
	struct pri_q931_view v;
	int rc = pri_q931_decode(fr, len, &v);

	if (sent)
		return;
	if (rc == -ENOMSG) {
		f->q921_only++;
		return;
	}
	assert_int_equal(rc, 0);
	f->q931_rx++;
	if (v.msg_type == 0x05)
		f->last_setup_rx = v;
}

static int side_open(struct fix *f, struct side *s)
{
	static const char conf_fmt[] = "[trunk x]\nswitchtype = %s\nside = %s\n"
				       "dchan = 16\nbchannels = 1-4\nfacility = %s\ndebug = %d\n";
	struct tdm_span_cfg scfg;
	struct pri_trunk_cfg tcfg;
	struct conf *c;
	char text[256], err[256];

	tdm_span_cfg_default(&scfg, s->name);
	scfg.local_port = (uint16_t)s->lport;
	scfg.remote_port = (uint16_t)s->rport;
	scfg.hello_ms = 50;
	scfg.dead_ms = 300;
	s->span = tdm_span_open(f->loop, &scfg, &no_span_events, s, err, sizeof(err));
	if (!s->span)
		return -1;
	snprintf(text, sizeof(text), conf_fmt, s->switchtype, s->network ? "network" : "cpe",
		 s->facility ? "yes" : "no",
		 getenv("TEST_PRI_DEBUG") ? 0x60 : 0);
	c = conf_load_string(s->name, text, err, sizeof(err));
	if (!c || pri_trunk_cfg_parse(c, "trunk x", &tcfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		conf_free(c);
		return -1;
	}
	conf_free(c);
	s->t = pri_trunk_open(f->loop, &tcfg, s->span, &side_owner, s,
			      s == &f->n ? f->pcap : NULL, err, sizeof(err));
	if (!s->t)
		fprintf(stderr, "%s\n", err);
	return s->t ? 0 : -1;
}

static void side_close(struct side *s)
{
	pri_trunk_close(s->t);
	tdm_span_close(s->span);
	s->t = NULL;
	s->span = NULL;
}

static bool run_until(struct fix *f, bool (*cond)(struct fix *), unsigned ms)
{
	uint64_t end = clock_now_ms() + ms;

	while (!cond(f)) {
		if (clock_now_ms() >= end)
			return false;
		loop_run_once(f->loop, 10);
	}
	return true;
}

static bool both_up(struct fix *f)
{
	return pri_trunk_is_up(f->n.t) && pri_trunk_is_up(f->u.t);
}

static bool all_up(struct fix *f)
{
	return both_up(f) && pri_trunk_is_up(f->qn.t) && pri_trunk_is_up(f->qu.t);
}

static bool no_legs(struct fix *f)
{
	return !pri_trunk_legs(f->n.t) && !pri_trunk_legs(f->u.t) &&
	       !pri_trunk_legs(f->qn.t) && !pri_trunk_legs(f->qu.t);
}

static int group_setup(void **state)
{
	static struct fix f;
	const char *env = getenv("CFWD_PORT_BASE");
	unsigned base = env ? (unsigned)atoi(env) : 20000 + (unsigned)(getpid() % 160) * 100;

	log_set_all(LOGL_ERROR);
	if (getenv("TEST_PRI_DEBUG"))	/* libpri's Q.921/Q.931 dumps, our FSM */
		log_set_level(DPRI, LOGL_DEBUG);
	f.loop = loop_alloc();
	snprintf(f.pcap_path, sizeof(f.pcap_path), "/tmp/test_pri.%d.pcap", (int)getpid());
	f.pcap = pri_pcap_open(f.pcap_path);
	f.n = (struct side){ .name = "N", .switchtype = "euroisdn", .network = true,
			     .lport = base + 95, .rport = base + 96 };
	f.u = (struct side){ .name = "U", .switchtype = "euroisdn", .lport = base + 96,
			     .rport = base + 95 };
	f.qn = (struct side){ .name = "QN", .switchtype = "qsig", .facility = true,
			      .network = true, .lport = base + 97, .rport = base + 98 };
	f.qu = (struct side){ .name = "QU", .switchtype = "qsig", .facility = true,
			      .lport = base + 98, .rport = base + 97 };
	if (!f.loop || !f.pcap || side_open(&f, &f.n) < 0 || side_open(&f, &f.u) < 0 ||
	    side_open(&f, &f.qn) < 0 || side_open(&f, &f.qu) < 0)
		return -1;
	pri_trunk_set_tap(f.u.t, u_tap, &f);
	/* span up (HELLO both ways), then Q.921 SABME/UA: multiple frame operation */
	if (!run_until(&f, all_up, 5000))
		return -1;
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fix *f = *state;

	side_close(&f->n);
	side_close(&f->u);
	side_close(&f->qn);
	side_close(&f->qu);
	loop_run_once(f->loop, 0);
	loop_free(f->loop);
	pri_pcap_close(f->pcap);
	if (!getenv("TEST_PRI_KEEP_PCAP"))
		unlink(f->pcap_path);
	return 0;
}

static int test_setup(void **state)
{
	struct fix *f = *state;

	f->n.log[0] = f->u.log[0] = f->qn.log[0] = f->qu.log[0] = '\0';
	f->n.leg = f->u.leg = f->qn.leg = f->qu.leg = NULL;
	return 0;
}

/* After every call: no leg left on either trunk, every B-channel idle. */
static int test_teardown(void **state)
{
	struct fix *f = *state;

	assert_true(run_until(f, no_legs, 3000));
	for (int i = 0; i < 10; i++)	/* nothing still in flight */
		loop_run_once(f->loop, 10);
	assert_true(no_legs(f));
	assert_int_equal(pri_trunk_bchans_idle(f->n.t), 4);
	assert_int_equal(pri_trunk_bchans_idle(f->u.t), 4);
	assert_int_equal(pri_trunk_bchans_idle(f->qn.t), 4);
	assert_int_equal(pri_trunk_bchans_idle(f->qu.t), 4);
	return 0;
}

static const char *want_n, *want_u;

static bool logs_match(struct fix *f)
{
	return (!want_n || strstr(f->n.log, want_n)) && (!want_u || strstr(f->u.log, want_u));
}

static void wait_heard(struct fix *f, const char *n, const char *u)
{
	want_n = n;
	want_u = u;
	if (!run_until(f, logs_match, 3000))
		fail_msg("N heard '%s' (want '%s'), U heard '%s' (want '%s')", f->n.log,
			 n ? n : "", f->u.log, u ? u : "");
}

static bool n_has_leg(struct fix *f)
{
	return f->n.leg != NULL;
}

static bool u_has_leg(struct fix *f)
{
	return f->u.leg != NULL;
}

static void plain_facts(struct call_facts *facts, const char *from, const char *to)
{
	memset(facts, 0, sizeof(*facts));
	str_copy(facts->called.digits, to, sizeof(facts->called.digits));
	facts->called.nai = 3;
	str_copy(facts->calling.digits, from, sizeof(facts->calling.digits));
	facts->calling.nai = 3;
	facts->calling.screen = 1;
	facts->has_calling = true;
	facts->category = CALL_CATEGORY_ORDINARY;
}

/* U (CPE) places a call towards N (network) */
static void call_from_u(struct fix *f, const struct call_facts *facts)
{
	int cause = 0;

	f->u.leg = pri_leg_setup(f->u.t, facts, &side_ops, &f->u, &cause);
	assert_non_null(f->u.leg);
	assert_true(pri_leg_is_outgoing(f->u.leg));
	assert_true(run_until(f, n_has_leg, 3000));
}

static void call_from_n(struct fix *f, const struct call_facts *facts)
{
	int cause = 0;

	f->n.leg = pri_leg_setup(f->n.t, facts, &side_ops, &f->n, &cause);
	assert_non_null(f->n.leg);
	assert_true(run_until(f, u_has_leg, 3000));
}

static void test_setup_alerting_connect_disconnect_release(void **state)
{
	struct fix *f = *state;
	const struct call_facts *got;
	struct call_facts facts;

	step("U sends SETUP 0311112222 -> 0398765432, presentation restricted, screened");
	plain_facts(&facts, "0311112222", "0398765432");
	facts.calling.pres = 1;
	call_from_u(f, &facts);

	step("N's incoming leg has the caller with presentation and screening kept");
	got = pri_leg_facts(f->n.leg);
	assert_string_equal(got->called.digits, "0398765432");
	assert_int_equal(got->called.nai, 3);
	assert_true(got->called_complete);
	assert_true(got->has_calling);
	assert_string_equal(got->calling.digits, "0311112222");
	assert_int_equal(got->calling.pres, 1);
	assert_int_equal(got->calling.screen, 1);
	assert_int_equal(got->calling.nai, 3);
	assert_false(got->has_ri);
	assert_string_equal(got->rgn.digits, "");
	assert_int_equal(pri_leg_channel(f->n.leg), pri_leg_channel(f->u.leg));
	step("N answered the SETUP with CALL PROCEEDING by itself");
	assert_string_equal(pri_leg_state_name(f->n.leg), "IN_PROCEEDING");
	assert_int_equal(pri_leg_proceeding(f->n.leg), -EPERM);

	step("N sends ALERTING: U hears alerting");
	assert_int_equal(pri_leg_alert(f->n.leg), 0);
	wait_heard(f, NULL, "alerting");
	assert_string_equal(pri_leg_state_name(f->u.leg), "CALL_DELIVERED");

	step("N sends CONNECT: U hears answered");
	assert_int_equal(pri_leg_answer(f->n.leg), 0);
	wait_heard(f, NULL, "answered");
	assert_string_equal(pri_leg_state_name(f->u.leg), "ACTIVE");
	assert_int_equal(pri_trunk_bchans_idle(f->u.t), 3);

	step("U hangs up (DISCONNECT 16): N hears released:16, RELEASE/RELEASE COMPLETE");
	pri_leg_release(f->u.leg, 16);
	f->u.leg = NULL;
	wait_heard(f, "released:16", NULL);
}

static void test_network_side_calls_the_user(void **state)
{
	struct fix *f = *state;
	struct call_facts facts;

	step("N sends SETUP towards U; U answers at once; N clears with cause 16");
	plain_facts(&facts, "0398765432", "0311112222");
	facts.calling.screen = 3;	/* network provided */
	call_from_n(f, &facts);
	assert_int_equal(pri_leg_facts(f->u.leg)->calling.screen, 3);
	assert_int_equal(pri_leg_facts(f->u.leg)->calling.pres, 0);
	assert_int_equal(pri_leg_answer(f->u.leg), 0);
	wait_heard(f, "answered", NULL);
	pri_leg_release(f->n.leg, 16);
	f->n.leg = NULL;
	wait_heard(f, NULL, "released:16");
}

static void diverted_twice(struct call_facts *facts)
{
	plain_facts(facts, "0399990000", "0398765432");
	str_copy(facts->rgn.digits, "0312345678", sizeof(facts->rgn.digits));
	facts->rgn.nai = 3;
	facts->rgn.pres = 1;
	str_copy(facts->ocn.digits, "0387654321", sizeof(facts->ocn.digits));
	facts->ocn.nai = 3;
	facts->ocn.pres = 1;
	facts->has_ri = true;
	facts->ri_ind = 4;
	facts->ri_reason = 1;
	facts->ri_orig_reason = 3;
	facts->ri_counter = 2;
}

static bool qu_has_leg(struct fix *f)
{
	return f->qu.leg != NULL;
}

static void test_redirecting_number_ie_carries_number_and_reason(void **state)
{
	struct fix *f = *state;
	const struct call_facts *got;
	struct call_facts facts;

	step("N sends a SETUP diverted twice: RGN 0312345678 (busy, restricted), OCN "
	     "0387654321, counter 2");
	diverted_twice(&facts);
	call_from_n(f, &facts);

	step("U sees the Redirecting Number IE: number, presentation, reason (no counter)");
	got = pri_leg_facts(f->u.leg);
	assert_string_equal(got->calling.digits, "0399990000");
	assert_int_equal(got->calling.pres, 0);
	assert_string_equal(got->rgn.digits, "0312345678");
	assert_int_equal(got->rgn.pres, 1);
	assert_int_equal(got->rgn.nai, 3);
	assert_true(got->has_ri);
	assert_int_equal(got->ri_reason, 1);
	assert_int_equal(got->ri_ind, 4);
	step("the ladder decoder reads the same SETUP: channel, numbers, indicators, reason");
	assert_int_equal(f->last_setup_rx.chan, (int)pri_leg_channel(f->u.leg));
	assert_true(f->last_setup_rx.exclusive);
	assert_string_equal(f->last_setup_rx.called.digits, "0398765432");
	assert_string_equal(f->last_setup_rx.calling.digits, "0399990000");
	assert_int_equal(f->last_setup_rx.calling.pres, 0);
	assert_int_equal(f->last_setup_rx.calling.screen, 1);
	assert_string_equal(f->last_setup_rx.rgn.digits, "0312345678");
	assert_int_equal(f->last_setup_rx.rgn.pres, 1);
	assert_int_equal(f->last_setup_rx.rgn.reason, 1);
	assert_int_equal(f->last_setup_rx.rgn.ton, 2);
	assert_true(f->last_setup_rx.sending_complete);
	assert_false(f->last_setup_rx.facility);

	step("the IE has no counter nor original called number: one diversion, OCN = RGN");
	assert_int_equal(got->ri_counter, 1);
	assert_string_equal(got->ocn.digits, "0312345678");
	pri_leg_release(f->u.leg, 16);
	f->u.leg = NULL;
	wait_heard(f, "released:16", NULL);
}

static void test_qsig_diverting_leg_information2_carries_the_counter(void **state)
{
	struct fix *f = *state;
	const struct call_facts *got;
	struct call_facts facts;
	int cause = 0;

	step("QN (qsig, facility) sends the same SETUP: DivertingLegInformation2");
	diverted_twice(&facts);
	f->qn.leg = pri_leg_setup(f->qn.t, &facts, &side_ops, &f->qn, &cause);
	assert_non_null(f->qn.leg);
	assert_true(run_until(f, qu_has_leg, 3000));

	step("QU gets counter 2, original called number and both reasons");
	got = pri_leg_facts(f->qu.leg);
	assert_string_equal(got->rgn.digits, "0312345678");
	assert_int_equal(got->rgn.pres, 1);
	assert_int_equal(got->ri_reason, 1);
	assert_int_equal(got->ri_counter, 2);
	assert_string_equal(got->ocn.digits, "0387654321");
	assert_int_equal(got->ri_orig_reason, 3);
	assert_int_equal(got->ri_ind, 4);
	pri_leg_release(f->qu.leg, 16);
	f->qu.leg = NULL;
	wait_heard(f, NULL, NULL);
	want_n = NULL;
	assert_true(run_until(f, no_legs, 3000));
	assert_non_null(strstr(f->qn.log, "released:16"));
}

static void test_first_diversion_gives_ocn_equal_to_rgn(void **state)
{
	struct fix *f = *state;
	const struct call_facts *got;
	struct call_facts facts;

	step("U sends a SETUP forwarded once, unconditional (Q.931 reason 15)");
	plain_facts(&facts, "0311112222", "0398765432");
	str_copy(facts.rgn.digits, "0312345678", sizeof(facts.rgn.digits));
	facts.rgn.nai = 3;
	facts.rgn.pres = 1;
	facts.ocn = facts.rgn;
	facts.has_ri = true;
	facts.ri_ind = 4;
	facts.ri_reason = 3;
	facts.ri_orig_reason = 3;
	facts.ri_counter = 1;
	call_from_u(f, &facts);
	got = pri_leg_facts(f->n.leg);
	assert_string_equal(got->rgn.digits, "0312345678");
	assert_string_equal(got->ocn.digits, "0312345678");
	assert_int_equal(got->ri_reason, 3);
	assert_int_equal(got->ri_counter, 1);
	pri_leg_release(f->n.leg, 16);
	f->n.leg = NULL;
	wait_heard(f, NULL, "released:16");
}

static void test_causes_pass_both_ways(void **state)
{
	static const int causes[] = { 17, 1, 21, 34, 44, 19, 127 };
	struct fix *f = *state;
	struct call_facts facts;
	char want[24];

	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
		bool from_u = i % 2 == 0;
		struct side *caller = from_u ? &f->u : &f->n;
		struct side *called = from_u ? &f->n : &f->u;

		printf("  -- %s calls, %s clears with cause %d before answer\n", caller->name,
		       called->name, causes[i]);
		caller->log[0] = '\0';
		plain_facts(&facts, "0311112222", "0398765432");
		if (from_u)
			call_from_u(f, &facts);
		else
			call_from_n(f, &facts);
		if (i >= 4)	/* after ALERTING: DISCONNECT, not RELEASE COMPLETE */
			assert_int_equal(pri_leg_alert(called->leg), 0);
		pri_leg_release(called->leg, causes[i]);
		called->leg = NULL;
		snprintf(want, sizeof(want), "released:%d", causes[i]);
		wait_heard(f, from_u ? NULL : want, from_u ? want : NULL);
		assert_true(run_until(f, no_legs, 3000));
	}
}

static void test_all_bchannels_busy_gives_cause_34(void **state)
{
	struct fix *f = *state;
	struct pri_leg *legs[4];
	struct call_facts facts;
	int cause = 0;

	step("U places 4 calls on 4 B-channels, the fifth gets cause 34 at once");
	plain_facts(&facts, "0311112222", "0398765432");
	for (int i = 0; i < 4; i++) {
		legs[i] = pri_leg_setup(f->u.t, &facts, &side_ops, &f->u, &cause);
		assert_non_null(legs[i]);
	}
	assert_null(pri_leg_setup(f->u.t, &facts, &side_ops, &f->u, &cause));
	assert_int_equal(cause, 34);
	assert_int_equal(pri_trunk_bchans_idle(f->u.t), 0);
	for (int i = 0; i < 4; i++)
		pri_leg_release(legs[i], 16);
	wait_heard(f, "released:16 released:16 released:16 released:16", NULL);
}

static void test_dchan_lost_mid_call_releases_bchannels(void **state)
{
	struct fix *f = *state;
	struct call_facts facts;

	step("an answered call U -> N");
	plain_facts(&facts, "0311112222", "0398765432");
	call_from_u(f, &facts);
	assert_int_equal(pri_leg_answer(f->n.leg), 0);
	wait_heard(f, NULL, "answered");

	step("N's span disappears: U's D-channel goes down, the call is released (27)");
	side_close(&f->n);
	f->n.leg = NULL;
	want_n = NULL;
	want_u = "released:27";
	assert_true(run_until(f, logs_match, 3000));
	assert_non_null(strstr(f->u.log, "dchan-down"));
	assert_int_equal(pri_trunk_legs(f->u.t), 0);
	assert_int_equal(pri_trunk_bchans_idle(f->u.t), 4);

	step("N comes back: Q.921 re-establishes, D-channel up on both");
	assert_int_equal(side_open(f, &f->n), 0);
	assert_true(run_until(f, both_up, 5000));
}

static void test_pcap_decodes_as_q931(void **state)
{
	struct fix *f = *state;
	char cmd[256], line[256];
	unsigned setups = 0, redirs = 0;
	FILE *p;

	if (system("command -v tshark >/dev/null 2>&1") != 0)
		skip();
	step("tshark reads the LAPD capture: SETUPs with a Redirecting Number IE");
	snprintf(cmd, sizeof(cmd),
		 "tshark -r %s -Y q931.message_type==0x05 -T fields -e q931.redirecting_number.digits "
		 "2>/dev/null", f->pcap_path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		setups++;
		if (strstr(line, "0312345678"))
			redirs++;
	}
	pclose(p);
	printf("  -- %u SETUPs decoded, %u with the redirecting number\n", setups, redirs);
	assert_true(setups >= 5);
	assert_true(redirs >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setup_alerting_connect_disconnect_release,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_network_side_calls_the_user, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_redirecting_number_ie_carries_number_and_reason,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(
			test_qsig_diverting_leg_information2_carries_the_counter, test_setup,
			test_teardown),
		cmocka_unit_test_setup_teardown(test_first_diversion_gives_ocn_equal_to_rgn,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_causes_pass_both_ways, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_all_bchannels_busy_gives_cause_34, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_pcap_decodes_as_q931, test_setup,
						test_teardown),
		cmocka_unit_test_setup_teardown(test_dchan_lost_mid_call_releases_bchannels,
						test_setup, test_teardown),
	};

	return cmocka_run_group_tests_name("pri", tests, group_setup, group_teardown);
}
