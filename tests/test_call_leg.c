/* tests/test_call_leg.c - call legs between two real libss7 signalling points in one
 * process (exchange A, pc 1001, and exchange B, pc 2001, on a sim span over loopback
 * UDP): the IAM carries the call facts unchanged (caller, presentation, category,
 * OCN/RGN/RI), ACM/CPG/ANM/CON and REL/RLC move the legs' FSMs, a REL collision ends
 * both legs, T9 releases an unanswered call with cause 19. After every test all
 * circuits are idle and no leg is left. Ports: CFWD_PORT_BASE (+91, +92) or from the PID. */
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
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/node.h"
#include "tests/fixture_isup.h"

struct side {
	const char *name;
	struct conf *conf;
	struct isup_node *node;
	struct isup_link *lk;
	struct call_leg *leg;	/* incoming (B) or outgoing (A) leg of the test */
	char log[256];		/* what the owner heard, e.g. "alerting answered " */
};

struct fix {
	struct loop *loop;
	struct side a, b;
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

static void on_alerting(void *user, struct call_leg *leg)
{
	heard(user, "alerting");
}

static void on_progress(void *user, struct call_leg *leg, int event)
{
	char b[24];

	snprintf(b, sizeof(b), "progress:%d", event);
	heard(user, b);
}

static void on_answered(void *user, struct call_leg *leg)
{
	heard(user, "answered");
}

static void on_released(void *user, struct call_leg *leg, int cause)
{
	struct side *s = user;
	char b[24];

	snprintf(b, sizeof(b), "released:%d", cause);
	heard(s, b);
	s->leg = NULL;
}

static const struct call_leg_ops side_ops = {
	.alerting = on_alerting,
	.progress = on_progress,
	.answered = on_answered,
	.released = on_released,
};

static void on_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct side *s = user;

	s->leg = leg;
	call_leg_set_owner(leg, &side_ops, s);
	heard(s, "iam");
}

static const struct isup_node_owner side_owner = {
	.link = { .incoming = on_incoming },
};

static const char conf_fmt[] =
	"[span x]\nbackend = sim\nlocal_port = %u\nremote_port = %u\n"
	"[linkset x]\nspan = x\npointcode = %u\nadjpointcode = %u\nsigchan = 16\n"
	"cicbeginswith = 1\nchannel => 1-4\nisup_timer.t9 = 400\n";

static int side_open(struct fix *f, struct side *s, const char *name, unsigned lport,
		     unsigned rport, unsigned opc, unsigned dpc)
{
	char text[512], err[256];

	s->name = name;
	snprintf(text, sizeof(text), conf_fmt, lport, rport, opc, dpc);
	s->conf = conf_load_string(name, text, err, sizeof(err));
	if (!s->conf)
		return -1;
	s->node = isup_node_open(f->loop, s->conf, &side_owner, s, err, sizeof(err));
	if (!s->node) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	s->lk = s->node->links[0];
	return 0;
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

static bool both_up_and_idle(struct fix *f)
{
	return isup_link_is_up(f->a.lk) && isup_link_is_up(f->b.lk) &&
	       cic_pool_available(isup_link_cics(f->a.lk)) == 4 &&
	       cic_pool_available(isup_link_cics(f->b.lk)) == 4;
}

static bool no_legs(struct fix *f)
{
	return !isup_link_legs(f->a.lk) && !isup_link_legs(f->b.lk);
}

static int group_setup(void **state)
{
	static struct fix f;
	unsigned base = fx_port_base();

	log_set_all(LOGL_ERROR);
	f.loop = loop_alloc();
	if (!f.loop || side_open(&f, &f.a, "A", base + 91, base + 92, 1001, 2001) < 0 ||
	    side_open(&f, &f.b, "B", base + 92, base + 91, 2001, 1001) < 0)
		return -1;
	/* MTP2 alignment (emergency proving), SLTM/SLTA, GRS/GRA both ways */
	if (!run_until(&f, both_up_and_idle, 10000))
		return -1;
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fix *f = *state;

	isup_node_close(f->a.node);
	isup_node_close(f->b.node);
	loop_run_once(f->loop, 0);
	conf_free(f->a.conf);
	conf_free(f->b.conf);
	loop_free(f->loop);
	return 0;
}

static int test_setup(void **state)
{
	struct fix *f = *state;

	f->a.log[0] = f->b.log[0] = '\0';
	f->a.leg = f->b.leg = NULL;
	return 0;
}

/* After every call: both legs gone, every circuit idle, none leaked. */
static int test_teardown(void **state)
{
	struct fix *f = *state;

	assert_true(run_until(f, no_legs, 3000));
	loop_run_once(f->loop, 0);
	assert_int_equal(cic_pool_available(isup_link_cics(f->a.lk)), 4);
	assert_int_equal(cic_pool_available(isup_link_cics(f->b.lk)), 4);
	assert_int_equal(cic_pool_leaked(isup_link_cics(f->a.lk)), 0);
	assert_int_equal(cic_pool_leaked(isup_link_cics(f->b.lk)), 0);
	return 0;
}

static bool b_has_leg(struct fix *f)
{
	return f->b.leg != NULL;
}

static const char *want_a, *want_b;

static bool logs_match(struct fix *f)
{
	return (!want_a || strstr(f->a.log, want_a)) && (!want_b || strstr(f->b.log, want_b));
}

static void wait_heard(struct fix *f, const char *a, const char *b)
{
	want_a = a;
	want_b = b;
	if (!run_until(f, logs_match, 3000))
		fail_msg("A heard '%s' (want '%s'), B heard '%s' (want '%s')", f->a.log,
			 a ? a : "", f->b.log, b ? b : "");
}

static void call_from_a(struct fix *f, const struct call_facts *facts)
{
	int cause = 0;

	f->a.leg = call_leg_setup(f->a.lk, facts, &side_ops, &f->a, &cause);
	assert_non_null(f->a.leg);
	assert_true(call_leg_is_outgoing(f->a.leg));
	assert_true(run_until(f, b_has_leg, 3000));
}

static void plain_facts(struct call_facts *facts, const char *from, const char *to)
{
	fx_facts(facts, from, to);
}

/* The plain call of most tests: A calls 0398765432 from 0311112222. */
static void plain_call_from_a(struct fix *f)
{
	struct call_facts facts;

	plain_facts(&facts, "0311112222", "0398765432");
	call_from_a(f, &facts);
}

static void test_iam_carries_the_facts_and_the_call_is_answered(void **state)
{
	struct fix *f = *state;
	struct call_facts facts;
	const struct call_facts *got;

	step("A calls 0398765432 from 0311112222, presentation restricted, diverted once");
	plain_facts(&facts, "0311112222", "0398765432");
	facts.calling.pres = 1;
	str_copy(facts.ocn.digits, "0312345678", sizeof(facts.ocn.digits));
	facts.ocn.nai = 3;
	facts.rgn = facts.ocn;
	facts.has_ri = true;
	facts.ri_ind = 3;
	facts.ri_orig_reason = 3;
	facts.ri_counter = 1;
	facts.ri_reason = 3;
	call_from_a(f, &facts);

	step("B's incoming leg has exactly those facts");
	got = call_leg_facts(f->b.leg);
	assert_string_equal(got->called.digits, "0398765432");
	assert_true(got->called_complete);
	assert_string_equal(got->calling.digits, "0311112222");
	assert_int_equal(got->calling.pres, 1);
	assert_int_equal(got->calling.screen, 3);
	assert_int_equal(got->calling.nai, 3);
	assert_int_equal(got->category, CALL_CATEGORY_ORDINARY);
	assert_string_equal(got->ocn.digits, "0312345678");
	assert_string_equal(got->rgn.digits, "0312345678");
	assert_true(got->has_ri);
	assert_int_equal(got->ri_ind, 3);
	assert_int_equal(got->ri_counter, 1);
	assert_int_equal(got->ri_reason, 3);
	assert_int_equal(call_leg_cic(f->b.leg), call_leg_cic(f->a.leg));
	assert_string_equal(call_leg_state_name(f->b.leg), "IN_SETUP");

	step("B alerts (ACM): A hears alerting");
	assert_int_equal(call_leg_alert(f->b.leg), 0);
	wait_heard(f, "alerting", NULL);
	assert_string_equal(call_leg_state_name(f->a.leg), "ALERTING");

	step("B answers (ANM): A hears answered");
	assert_int_equal(call_leg_answer(f->b.leg), 0);
	wait_heard(f, "answered", NULL);
	assert_string_equal(call_leg_state_name(f->a.leg), "ANSWERED");

	step("A hangs up (REL 16): B hears released:16, RLC ends both");
	call_leg_release(f->a.leg, CAUSE_NORMAL);
	wait_heard(f, NULL, "released:16");
}

static void test_next_call_on_the_same_circuit_has_no_stale_redirection(void **state)
{
	struct fix *f = *state;

	step("A plain call after a diverted one: no OCN, RGN or RI left over");
	plain_call_from_a(f);
	assert_string_equal(call_leg_facts(f->b.leg)->ocn.digits, "");
	assert_string_equal(call_leg_facts(f->b.leg)->rgn.digits, "");
	assert_false(call_leg_facts(f->b.leg)->has_ri);
	call_leg_release(f->b.leg, CAUSE_NORMAL);
	wait_heard(f, "released:16", NULL);
}

static void test_busy_far_end_releases_with_cause_17(void **state)
{
	struct fix *f = *state;

	plain_call_from_a(f);
	step("B is busy: REL 17 before any ACM");
	call_leg_release(f->b.leg, CAUSE_USER_BUSY);
	wait_heard(f, "released:17", NULL);
	assert_null(strstr(f->a.log, "alerting"));
}

static void test_answer_without_alerting_is_a_connect(void **state)
{
	struct fix *f = *state;

	plain_call_from_a(f);
	step("B answers at once (CON): A goes straight to answered");
	assert_int_equal(call_leg_answer(f->b.leg), 0);
	wait_heard(f, "answered", NULL);
	assert_null(strstr(f->a.log, "alerting"));
	call_leg_release(f->a.leg, CAUSE_NORMAL);
	wait_heard(f, NULL, "released:16");
}

static void test_call_progress_reaches_the_caller(void **state)
{
	struct fix *f = *state;

	plain_call_from_a(f);
	call_leg_alert(f->b.leg);
	step("B sends CPG in-band information: A hears progress:3");
	assert_int_equal(call_leg_progress(f->b.leg, 3), 0);
	wait_heard(f, "progress:3", NULL);
	call_leg_release(f->a.leg, CAUSE_NORMAL);
	wait_heard(f, NULL, "released:16");
}

static void test_release_collision_ends_both_legs(void **state)
{
	struct fix *f = *state;

	plain_call_from_a(f);
	call_leg_answer(f->b.leg);
	wait_heard(f, "answered", NULL);
	step("Both ends send REL at the same time: each answers RLC, both legs end");
	call_leg_release(f->a.leg, CAUSE_NORMAL);
	call_leg_release(f->b.leg, CAUSE_NORMAL);
	/* teardown checks that both legs are gone and every circuit is idle */
}

static void test_unanswered_call_is_released_by_t9_with_cause_19(void **state)
{
	struct fix *f = *state;

	plain_call_from_a(f);
	step("B rings and never answers: A's T9 (400 ms here) releases with cause 19");
	call_leg_alert(f->b.leg);
	wait_heard(f, "released:19", "released:19");
}

static void test_no_circuit_left_means_cause_34(void **state)
{
	struct fix *f = *state;
	struct call_facts facts;
	struct call_leg *legs[4];
	int cause = 0;

	plain_facts(&facts, "0311112222", "0398765432");
	step("Four calls take the four circuits");
	for (int i = 0; i < 4; i++) {
		legs[i] = call_leg_setup(f->a.lk, &facts, NULL, NULL, &cause);
		assert_non_null(legs[i]);
	}
	step("A fifth finds no circuit: cause 34, nothing sent");
	assert_null(call_leg_setup(f->a.lk, &facts, NULL, NULL, &cause));
	assert_int_equal(cause, CAUSE_NO_CIRCUIT);
	for (int i = 0; i < 4; i++)
		call_leg_release(legs[i], CAUSE_NORMAL);
}

static bool b_sees_three_blocked(struct fix *f)
{
	return cic_pool_available(isup_link_cics(f->b.lk)) == 1;
}

static bool b_sees_none_blocked(struct fix *f)
{
	return cic_pool_available(isup_link_cics(f->b.lk)) == 4;
}

static void test_blocked_circuits_are_avoided_by_the_far_end(void **state)
{
	struct fix *f = *state;
	struct call_facts facts;
	int cause = 0;

	step("A blocks CICs 1, 2 and 4 (BLO): B marks them blocked");
	assert_int_equal(isup_link_block(f->a.lk, 1, true), 0);
	assert_int_equal(isup_link_block(f->a.lk, 2, true), 0);
	assert_int_equal(isup_link_block(f->a.lk, 4, true), 0);
	assert_true(run_until(f, b_sees_three_blocked, 3000));

	step("B calls A: only CIC 3 can carry it");
	plain_facts(&facts, "0398765432", "0311112222");
	f->b.leg = call_leg_setup(f->b.lk, &facts, &side_ops, &f->b, &cause);
	assert_non_null(f->b.leg);
	assert_int_equal(call_leg_cic(f->b.leg), 3);
	step("A second call from B finds no circuit");
	assert_null(call_leg_setup(f->b.lk, &facts, NULL, NULL, &cause));
	assert_int_equal(cause, CAUSE_NO_CIRCUIT);
	call_leg_release(f->b.leg, CAUSE_NORMAL);
	f->b.leg = NULL;

	step("A unblocks them (UBL): B may use all four again");
	assert_int_equal(isup_link_block(f->a.lk, 1, false), 0);
	assert_int_equal(isup_link_block(f->a.lk, 2, false), 0);
	assert_int_equal(isup_link_block(f->a.lk, 4, false), 0);
	assert_true(run_until(f, b_sees_none_blocked, 3000));
	assert_int_equal(isup_link_block(f->a.lk, 99, true), -ENOENT);
}

static void test_group_reset_ends_calls_on_both_sides(void **state)
{
	struct fix *f = *state;

	plain_call_from_a(f);
	call_leg_answer(f->b.leg);
	wait_heard(f, "answered", NULL);

	step("A resets its circuits (GRS): A's leg ends with 41 at once");
	assert_int_equal(isup_link_reset(f->a.lk), 0);
	assert_non_null(strstr(f->a.log, "released:41"));
	step("B receives the GRS: its leg ends with 41 too, GRA answers, all idle");
	wait_heard(f, NULL, "released:41");
	assert_true(run_until(f, both_up_and_idle, 3000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, test_setup, test_teardown)
		T(test_iam_carries_the_facts_and_the_call_is_answered),
		T(test_next_call_on_the_same_circuit_has_no_stale_redirection),
		T(test_busy_far_end_releases_with_cause_17),
		T(test_answer_without_alerting_is_a_connect),
		T(test_call_progress_reaches_the_caller),
		T(test_release_collision_ends_both_legs),
		T(test_unanswered_call_is_released_by_t9_with_cause_19),
		T(test_no_circuit_left_means_cause_34),
		T(test_blocked_circuits_are_avoided_by_the_far_end),
		T(test_group_reset_ends_calls_on_both_sides),
#undef T
	};

	return cmocka_run_group_tests_name("call_leg", tests, group_setup, group_teardown);
}
