/* tests/test_forward.c - forwarding (feature/cfwd/forward.c) between real libss7
 * signalling points in one process: "cfwd" (pc 1001, the call layer with the forwarding
 * hook and a real store in a temp file) and "net" (the subscriber's local exchange, pc
 * 2001, and the transit exchange, pc 3001) on two sim spans. The CFNR ring timer runs
 * on the fake clock (frozen once the links are up), so "answered at 19 s of 20" and
 * "expired at 20 s" are exact, not timed. After every test all circuits are idle.
 * Ports: CFWD_PORT_BASE (+71..+74) or from the PID. */
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
#include "feature/cfwd/decide.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/forward_hook.h"
#include "feature/cfwd/store.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/node.h"
#include "isup/route.h"
#include "tests/fixture_isup.h"

#define SUB "0312345678"
#define FWD "0398765432"
#define CALLER "0311112222"

enum sub_does { SUB_ANSWERS, SUB_BUSY, SUB_RINGS };

struct fix {
	struct loop *loop;
	struct conf *cfwd_conf, *net_conf;
	struct isup_node *cfwd, *net;
	struct call_ctx *calls;
	struct store *store;
	struct forward *fw;
	struct forward_hook *hook;
	char db[64];
	/* the network side */
	enum sub_does sub_does;
	struct call_leg *caller, *sub_leg, *fwd_leg;
	struct call_facts sub_iam, fwd_iam;
	int sub_iams, fwd_iams;
	char heard[256];	/* what the caller heard: "alerting answered released:17" */
};

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static void heard(struct fix *f, const char *what)
{
	size_t n = strlen(f->heard);

	snprintf(f->heard + n, sizeof(f->heard) - n, "%s%s", n ? " " : "", what);
}

static void caller_alerting(void *user, struct call_leg *leg)
{
	heard(user, "alerting");
}

static void caller_progress(void *user, struct call_leg *leg, int event)
{
	heard(user, event == 1 ? "cpg-alerting" : "cpg-other");
}

static void caller_answered(void *user, struct call_leg *leg)
{
	heard(user, "answered");
}

static void caller_released(void *user, struct call_leg *leg, int cause)
{
	struct fix *f = user;
	char b[24];

	snprintf(b, sizeof(b), "released:%d", cause);
	heard(f, b);
	f->caller = NULL;
}

static const struct call_leg_ops caller_ops = {
	.alerting = caller_alerting,
	.progress = caller_progress,
	.answered = caller_answered,
	.released = caller_released,
};

static void far_released(void *user, struct call_leg *leg, int cause)
{
	struct fix *f = user;

	if (leg == f->sub_leg)
		f->sub_leg = NULL;
	if (leg == f->fwd_leg)
		f->fwd_leg = NULL;
}

static const struct call_leg_ops far_ops = { .released = far_released };

/* The network's exchanges: the subscriber's line does what the test says; the
 * forward-to line rings and waits for the test to answer it. */
static void net_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct fix *f = user;
	const struct call_facts *fa = call_leg_facts(leg);

	if (!strcmp(fa->called.digits, SUB)) {
		f->sub_iams++;
		f->sub_iam = *fa;
		if (f->sub_does == SUB_BUSY) {
			call_leg_release(leg, CAUSE_USER_BUSY);
			return;
		}
		f->sub_leg = leg;
		call_leg_set_owner(leg, &far_ops, f);
		call_leg_alert(leg);
		if (f->sub_does == SUB_ANSWERS)
			call_leg_answer(leg);
		return;
	}
	f->fwd_iams++;
	f->fwd_iam = *fa;
	f->fwd_leg = leg;
	call_leg_set_owner(leg, &far_ops, f);
	call_leg_alert(leg);
}

static void cfwd_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct fix *f = user;

	call_ctx_incoming(f->calls, lk, leg);
}

static const struct isup_node_owner net_owner = { .link = { .incoming = net_incoming } };
static const struct isup_node_owner cfwd_owner = { .link = { .incoming = cfwd_incoming } };

/* Run the loop (real fd events, fake timers) until cond or about 3 s of polling. */
static bool run_until(struct fix *f, bool (*cond)(struct fix *))
{
	for (int i = 0; i < 300 && !cond(f); i++)
		loop_run_once(f->loop, 10);
	return cond(f);
}

/* Fake time passes in 50 ms steps with the sockets served between them, so the spans'
 * keep-alives and the links live through the jump. */
static void time_passes(struct fix *f, unsigned ms)
{
	for (unsigned t = 0; t < ms; t += 50) {
		fake_time_passes(50);
		loop_run_once(f->loop, 0);
		loop_run_once(f->loop, 1);
	}
}

static bool all_idle(struct fix *f)
{
	return fx_nodes_idle(f->cfwd, f->net);
}

static int group_setup(void **state)
{
	static struct fix f;
	unsigned base = fx_port_base();
	struct cfwd_decide_conf dc;
	char err[256];

	log_set_all(LOGL_ERROR);
	if (fx_temp_path(f.db, sizeof(f.db), "test_forward") < 0)
		return -1;
	f.loop = loop_alloc();
	f.store = store_open(f.db, err, sizeof(err));
	f.cfwd = fx_node_open(f.loop, true, base, 71, &f.cfwd_conf, &cfwd_owner, &f);
	f.net = fx_node_open(f.loop, false, base, 71, &f.net_conf, &net_owner, &f);
	f.calls = call_ctx_alloc(f.loop);
	if (!f.loop || !f.store || !f.cfwd || !f.net || !f.calls)
		return -1;
	cfwd_decide_conf_default(&dc);
	f.fw = forward_alloc(f.loop, f.store, &dc);
	f.hook = forward_hook_alloc(f.fw, NULL, err, sizeof(err));
	if (!f.fw || !f.hook)
		return -1;
	fx_call_layer(f.calls, f.cfwd, f.cfwd_conf, forward_hook_incoming, f.hook);
	/* alignment and GRS/GRA on real time, then the clock stands still */
	for (int i = 0; i < 1000 && !all_idle(&f); i++)
		loop_run_once(f.loop, 10);
	if (!all_idle(&f))
		return -1;
	fake_clock_enable(clock_now_us(), 1800000000);
	if (store_sub_add(f.store, STORE_WHO_CFWDCTL, SUB, true) < 0)
		return -1;
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fix *f = *state;

	fake_clock_disable();
	isup_node_close(f->cfwd);
	isup_node_close(f->net);
	loop_run_once(f->loop, 0);
	forward_hook_free(f->hook);
	forward_free(f->fw);
	call_ctx_free(f->calls);
	store_close(f->store);
	conf_free(f->cfwd_conf);
	conf_free(f->net_conf);
	loop_free(f->loop);
	unlink(f->db);
	return 0;
}

static int test_setup(void **state)
{
	struct fix *f = *state;

	f->heard[0] = '\0';
	f->caller = f->sub_leg = f->fwd_leg = NULL;
	f->sub_iams = f->fwd_iams = 0;
	memset(&f->sub_iam, 0, sizeof(f->sub_iam));
	memset(&f->fwd_iam, 0, sizeof(f->fwd_iam));
	f->sub_does = SUB_RINGS;
	return 0;
}

/* After every call: nothing left anywhere, every circuit idle. */
static int test_teardown(void **state)
{
	struct fix *f = *state;

	if (f->caller)
		call_leg_release(f->caller, CAUSE_NORMAL);
	assert_true(run_until(f, all_idle));
	assert_int_equal(call_ctx_active(f->calls), 0);
	return 0;
}

/* --- helpers ------------------------------------------------------------------- */

static void forward_set(struct fix *f, enum cfwd_condition cond)
{
	assert_int_equal(store_forward_set(f->store, STORE_WHO_CFWDCTL, SUB, FWD, cond), 0);
}

/* The caller's exchange (transit) sends the IAM: counter 0 = not redirected before. */
static void call_in(struct fix *f, bool restricted, int counter)
{
	struct call_facts fa;
	int cause;

	fx_facts(&fa, CALLER, SUB);
	fa.calling.pres = restricted ? 1 : 0;
	if (counter) {
		str_copy(fa.ocn.digits, "0399990000", sizeof(fa.ocn.digits));
		fa.ocn.nai = 3;
		fa.rgn = fa.ocn;
		fa.has_ri = true;
		fa.ri_ind = 3;
		fa.ri_orig_reason = 3;
		fa.ri_counter = (uint8_t)counter;
		fa.ri_reason = 3;
	}
	f->caller = call_leg_setup(isup_node_link(f->net, "transit"), &fa, &caller_ops, f,
				   &cause);
	assert_non_null(f->caller);
}

static bool fwd_seen(struct fix *f)
{
	return f->fwd_iams > 0;
}

static bool sub_seen(struct fix *f)
{
	return f->sub_iams > 0;
}

static bool caller_answered_now(struct fix *f)
{
	return strstr(f->heard, "answered") != NULL;
}

static bool caller_alerted(struct fix *f)
{
	return strstr(f->heard, "alerting") != NULL;
}

static bool caller_gone(struct fix *f)
{
	return !f->caller;
}

static bool sub_gone(struct fix *f)
{
	return !f->sub_leg;
}

/* The onward IAM: caller unchanged, OCN/RGN = the subscriber restricted, RI as given. */
static void assert_onward(struct fix *f, int orig, int counter, int reason, const char *ocn)
{
	const struct call_facts *o = &f->fwd_iam;

	assert_string_equal(o->called.digits, FWD);
	assert_string_equal(o->calling.digits, CALLER);
	assert_int_equal(o->category, CALL_CATEGORY_ORDINARY);
	assert_string_equal(o->ocn.digits, ocn);
	assert_string_equal(o->rgn.digits, SUB);
	assert_int_equal(o->rgn.pres, 1);
	assert_true(o->has_ri);
	assert_int_equal(o->ri_ind, 4);
	assert_int_equal(o->ri_orig_reason, orig);
	assert_int_equal(o->ri_counter, counter);
	assert_int_equal(o->ri_reason, reason);
}

static void forward_to_answers(struct fix *f)
{
	assert_non_null(f->fwd_leg);
	call_leg_answer(f->fwd_leg);
	assert_true(run_until(f, caller_answered_now));
}

/* --- the calls ------------------------------------------------------------------ */

static void test_cfu_call_goes_straight_to_the_forward_to_number(void **state)
{
	struct fix *f = *state;

	step(SUB " forwards unconditionally to " FWD);
	forward_set(f, CFWD_COND_UNCONDITIONAL);
	step("A call from " CALLER " (presentation restricted) reaches cfwdd");
	call_in(f, true, 0);
	assert_true(run_until(f, fwd_seen));
	step("No subscriber leg; the onward IAM keeps the caller and carries the diversion");
	assert_int_equal(f->sub_iams, 0);
	assert_onward(f, 3, 1, 3, SUB);
	assert_int_equal(f->fwd_iam.calling.pres, 1);
	assert_int_equal(f->fwd_iam.ocn.pres, 1);
	step("The forward-to party answers: the caller hears alerting, then the answer");
	forward_to_answers(f);
	assert_string_equal(f->heard, "alerting answered");
}

static void test_busy_subscriber_call_is_diverted_with_reason_busy(void **state)
{
	struct fix *f = *state;

	step(SUB " has busy forwarding; the subscriber's line is busy");
	forward_set(f, CFWD_COND_BUSY);
	f->sub_does = SUB_BUSY;
	call_in(f, false, 0);
	assert_true(run_until(f, fwd_seen));
	step("The subscriber leg got REL 17; the caller stays and the call goes on");
	assert_int_equal(f->sub_iams, 1);
	assert_false(f->sub_iam.has_ri);
	assert_onward(f, 1, 1, 1, SUB);
	assert_non_null(f->caller);
	forward_to_answers(f);
}

static void test_cfnr_answered_at_19_s_of_20_is_never_diverted(void **state)
{
	struct fix *f = *state;

	step(SUB " has no-reply forwarding, ring time 20 s");
	forward_set(f, CFWD_COND_NO_REPLY);
	assert_int_equal(store_set_ring_time(f->store, STORE_WHO_CFWDCTL, SUB, 20), 0);
	call_in(f, false, 0);
	assert_true(run_until(f, sub_seen));
	assert_true(run_until(f, caller_alerted));	/* the subscriber's ACM */
	assert_string_equal(f->heard, "alerting");
	step("19 s of ringing, then the subscriber answers");
	time_passes(f, 19000);
	assert_non_null(f->sub_leg);
	call_leg_answer(f->sub_leg);
	assert_true(run_until(f, caller_answered_now));
	step("The 20th second passes: nothing happens, no onward IAM ever");
	time_passes(f, 5000);
	assert_int_equal(f->fwd_iams, 0);
	assert_non_null(f->sub_leg);
}

static void test_cfnr_ring_timer_expiry_diverts_with_reason_no_reply(void **state)
{
	struct fix *f = *state;

	step(SUB " has no-reply forwarding, ring time 20 s; nobody answers");
	forward_set(f, CFWD_COND_NO_REPLY);
	call_in(f, false, 0);
	assert_true(run_until(f, sub_seen));
	assert_true(run_until(f, caller_alerted));
	step("19.9 s: still ringing at the subscriber");
	time_passes(f, 19900);
	assert_int_equal(f->fwd_iams, 0);
	step("20 s: REL to the subscriber leg, the onward IAM with reason no reply");
	time_passes(f, 100);
	assert_true(run_until(f, fwd_seen));
	assert_true(run_until(f, sub_gone));
	assert_onward(f, 2, 1, 2, SUB);
	step("The forward-to line alerts: the caller hears CPG alerting, never a diversion");
	forward_to_answers(f);
	assert_string_equal(f->heard, "alerting cpg-alerting answered");
}

static void test_withheld_caller_with_number_request_is_rejected_21(void **state)
{
	struct fix *f = *state;

	step(SUB " forwards unconditionally and has Number Request on");
	forward_set(f, CFWD_COND_UNCONDITIONAL);
	assert_int_equal(store_set_number_request(f->store, STORE_WHO_CFWDCTL, SUB, true), 0);
	step("A withheld caller: REL 21, nothing onward, nothing to the subscriber");
	call_in(f, true, 0);
	assert_true(run_until(f, caller_gone));
	assert_string_equal(f->heard, "released:21");
	assert_int_equal(f->fwd_iams + f->sub_iams, 0);
	assert_int_equal(store_set_number_request(f->store, STORE_WHO_CFWDCTL, SUB, false), 0);
}

static void test_fifth_diversion_then_the_limit(void **state)
{
	struct fix *f = *state;

	step("Already diverted 4 times (OCN 0399990000): the 5th keeps OCN and reason");
	forward_set(f, CFWD_COND_UNCONDITIONAL);
	call_in(f, false, 4);
	assert_true(run_until(f, fwd_seen));
	assert_onward(f, 3, 5, 3, "0399990000");
	call_leg_release(f->caller, CAUSE_NORMAL);
	f->caller = NULL;
	assert_true(run_until(f, all_idle));
	step("Already diverted 5 times: not diverted again, REL 18 to the caller");
	f->fwd_iams = 0;
	call_in(f, false, 5);
	assert_true(run_until(f, caller_gone));
	assert_string_equal(f->heard, "released:18");
	assert_int_equal(f->fwd_iams, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cfu_call_goes_straight_to_the_forward_to_number,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_busy_subscriber_call_is_diverted_with_reason_busy,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_cfnr_answered_at_19_s_of_20_is_never_diverted,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(
			test_cfnr_ring_timer_expiry_diverts_with_reason_no_reply, test_setup,
			test_teardown),
		cmocka_unit_test_setup_teardown(
			test_withheld_caller_with_number_request_is_rejected_21, test_setup,
			test_teardown),
		cmocka_unit_test_setup_teardown(test_fifth_diversion_then_the_limit, test_setup,
						test_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
