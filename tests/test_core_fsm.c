/* tests/test_core_fsm.c - the FSM engine, on a small call_leg machine:
 * IDLE -IAM-> WAIT_ACM (T7 running) -ACM-> ALERTING -ANM-> ANSWERED, REL from any state.
 * Covers event masks (-EPERM), refused transitions, onleave/onenter order, per-state
 * timers driven by the fake clock, allstate events, deferred free on termination and
 * the DEBUG log lines, captured through log_set_sink(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/fsm.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

enum leg_state { ST_IDLE, ST_WAIT_ACM, ST_ALERTING, ST_ANSWERED, ST_RELEASED };
enum leg_event { EV_IAM, EV_ACM, EV_ANM, EV_REL, EV_BLOCK };
enum { T7 = 7, X1 = 101 };

static const char *const leg_event_names[] = { "IAM", "ACM", "ANM", "REL", "BLOCK" };

static struct tdef leg_tdefs[] = {
	{ .id = T7, .name = "T7", .desc = "awaiting ACM", .default_ms = 20000 },
	{ .id = X1, .name = "X1", .desc = "answer supervision", .default_ms = 5000 },
	{ .name = NULL },
};

struct leg {
	char trace[512]; /* "leave IDLE>WAIT_ACM;enter WAIT_ACM<IDLE;..." */
	int timer_fired_id;
	int timer_cb_result;
	int cleanups;
	bool term_in_action; /* REL handler terminates */
	bool chg_in_action; /* IAM handler changes state */
};

static void trace(struct fsm_inst *fi, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(struct fsm_inst *fi, const char *fmt, ...)
{
	struct leg *leg = fsm_inst_priv(fi);
	size_t len = strlen(leg->trace);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(leg->trace + len, sizeof(leg->trace) - len, fmt, ap);
	va_end(ap);
}

static const struct fsm call_leg_fsm;

static void on_leave(struct fsm_inst *fi, uint32_t next)
{
	trace(fi, "leave %s>%s;", fsm_inst_state_name(fi), call_leg_fsm.states[next].name);
}

static void on_enter(struct fsm_inst *fi, uint32_t prev)
{
	trace(fi, "enter %s<%s;", fsm_inst_state_name(fi), call_leg_fsm.states[prev].name);
}

static void leg_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct leg *leg = fsm_inst_priv(fi);

	trace(fi, "action %s;", fsm_event_name(&call_leg_fsm, event));
	switch (event) {
	case EV_IAM:
		if (leg->chg_in_action)
			assert_int_equal(fsm_state_chg(fi, ST_WAIT_ACM), 0);
		break;
	case EV_ACM:
		assert_int_equal(fsm_state_chg(fi, ST_ALERTING), 0);
		break;
	case EV_ANM:
		assert_int_equal(fsm_state_chg(fi, ST_ANSWERED), 0);
		break;
	}
}

static void leg_allstate(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct leg *leg = fsm_inst_priv(fi);

	trace(fi, "allstate %s;", fsm_event_name(&call_leg_fsm, event));
	if (fsm_inst_state(fi) != ST_RELEASED)
		assert_int_equal(fsm_state_chg(fi, ST_RELEASED), 0);
	if (leg->term_in_action)
		fsm_inst_term(fi);
}

static int leg_timer_cb(struct fsm_inst *fi, int timer_id)
{
	struct leg *leg = fsm_inst_priv(fi);

	leg->timer_fired_id = timer_id;
	trace(fi, "timeout %d;", timer_id);
	return leg->timer_cb_result;
}

static void leg_cleanup(struct fsm_inst *fi)
{
	struct leg *leg = fsm_inst_priv(fi);

	leg->cleanups++;
}

#define ALL_STATES (S(ST_IDLE) | S(ST_WAIT_ACM) | S(ST_ALERTING) | S(ST_ANSWERED) | S(ST_RELEASED))

static const struct fsm_state call_leg_states[] = {
	[ST_IDLE] = {
		.name = "IDLE",
		.in_event_mask = S(EV_IAM),
		.out_state_mask = S(ST_WAIT_ACM) | S(ST_RELEASED),
		.onleave = on_leave,
		.action = leg_action,
	},
	[ST_WAIT_ACM] = {
		.name = "WAIT_ACM",
		.in_event_mask = S(EV_ACM),
		.out_state_mask = S(ST_ALERTING) | S(ST_RELEASED),
		.onenter = on_enter,
		.onleave = on_leave,
		.action = leg_action,
		.timer = T7,
	},
	[ST_ALERTING] = {
		.name = "ALERTING",
		.in_event_mask = S(EV_ANM),
		.out_state_mask = S(ST_ANSWERED) | S(ST_RELEASED),
		.onenter = on_enter,
		.onleave = on_leave,
		.action = leg_action,
	},
	[ST_ANSWERED] = {
		.name = "ANSWERED",
		.out_state_mask = S(ST_RELEASED),
		.onenter = on_enter,
		.onleave = on_leave,
	},
	[ST_RELEASED] = {
		.name = "RELEASED",
		.onenter = on_enter,
	},
};

static const struct fsm call_leg_fsm = {
	.name = "call_leg",
	.states = call_leg_states,
	.num_states = ARRAY_SIZE(call_leg_states),
	.event_names = leg_event_names,
	.num_events = ARRAY_SIZE(leg_event_names),
	.log_subsys = DCALL,
	.tdefs = leg_tdefs,
	.timer_cb = leg_timer_cb,
	.allstate_event_mask = S(EV_REL),
	.allstate_action = leg_allstate,
	.cleanup = leg_cleanup,
};

struct fixture {
	struct loop *l;
	struct leg leg;
	struct fsm_inst *fi;
	char log[4096]; /* captured lines, '\n'-separated */
	unsigned live_before;
};

static void capture(void *user, enum log_subsys ss, enum log_level lvl, const char *line)
{
	struct fixture *f = user;
	size_t len = strlen(f->log);

	snprintf(f->log + len, sizeof(f->log) - len, "%s\n", line);
}

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	fake_clock_enable(5000000, 1700000000);
	log_set_level(DCALL, LOGL_DEBUG);
	log_set_sink(capture, &f);
	tdef_reset(leg_tdefs);
	f.live_before = fsm_inst_live_count();
	f.l = loop_alloc();
	assert_non_null(f.l);
	f.fi = fsm_inst_alloc(&call_leg_fsm, f.l, &f.leg, "cic=17");
	assert_non_null(f.fi);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	if (f->fi)
		fsm_inst_term(f->fi);
	loop_free(f->l); /* runs the deferred frees */
	assert_int_equal(fsm_inst_live_count(), f->live_before);
	log_set_sink(NULL, NULL);
	log_set_all(LOGL_NOTICE);
	fake_clock_disable();
	return 0;
}

static void test_event_outside_the_state_mask_is_refused_and_logged(void **state)
{
	struct fixture *f = *state;

	/* ANM in IDLE: not in the mask, refused without running the action */
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_ANM, NULL), -EPERM);
	assert_int_equal(fsm_inst_state(f->fi), ST_IDLE);
	assert_string_equal(f->leg.trace, "");
	assert_non_null(strstr(f->log, " NOTICE call "));
	assert_non_null(strstr(f->log, "call_leg(cic=17){IDLE}: Event ANM not permitted\n"));
	/* an event number beyond the table is refused too */
	assert_int_equal(fsm_inst_dispatch(f->fi, 40, NULL), -EPERM);
}

static void test_call_ladder_iam_acm_anm_is_logged_event_by_event(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fsm_inst_dispatch(f->fi, EV_IAM, NULL), 0);
	assert_int_equal(fsm_state_chg(f->fi, ST_WAIT_ACM), 0);
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_ACM, NULL), 0);
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_ANM, NULL), 0);
	assert_string_equal(fsm_inst_state_name(f->fi), "ANSWERED");

	assert_non_null(strstr(f->log, "call_leg(cic=17){IDLE}: Received Event IAM\n"));
	assert_non_null(strstr(f->log, "call_leg(cic=17){IDLE}: state_chg to WAIT_ACM"));
	assert_non_null(strstr(f->log, "call_leg(cic=17){WAIT_ACM}: Received Event ACM\n"));
	assert_non_null(strstr(f->log, "call_leg(cic=17){WAIT_ACM}: state_chg to ALERTING\n"));
	assert_non_null(strstr(f->log, "call_leg(cic=17){ALERTING}: Received Event ANM\n"));
	assert_non_null(strstr(f->log, "call_leg(cic=17){ALERTING}: state_chg to ANSWERED\n"));
	/* DEBUG lines come from the engine: "HH:MM:SS.mmm DEBUG call core/fsm.c:NNN ..." */
	assert_non_null(strstr(f->log, " DEBUG call core/fsm.c:"));
}

static void test_transition_not_in_out_mask_is_refused_state_unchanged(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fsm_state_chg(f->fi, ST_ANSWERED), -EPERM);
	assert_int_equal(fsm_inst_state(f->fi), ST_IDLE);
	assert_string_equal(f->leg.trace, "");
	assert_non_null(strstr(f->log, " ERROR call "));
	assert_non_null(strstr(f->log, "{IDLE}: transition to state ANSWERED not permitted"));
	assert_int_equal(fsm_state_chg(f->fi, 99), -EPERM);
}

static void test_onleave_runs_before_onenter(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fsm_state_chg(f->fi, ST_WAIT_ACM), 0);
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_ACM, NULL), 0);
	assert_string_equal(f->leg.trace,
			    "leave IDLE>WAIT_ACM;enter WAIT_ACM<IDLE;"
			    "action ACM;leave WAIT_ACM>ALERTING;enter ALERTING<WAIT_ACM;");
}

static void test_state_change_inside_the_action_is_allowed(void **state)
{
	struct fixture *f = *state;

	f->leg.chg_in_action = true;
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_IAM, NULL), 0);
	assert_int_equal(fsm_inst_state(f->fi), ST_WAIT_ACM);
}

static void test_t7_expires_through_fake_time_and_reaches_timer_cb(void **state)
{
	struct fixture *f = *state;

	/* IAM sent: WAIT_ACM starts T7 (20 s) */
	assert_int_equal(fsm_state_chg(f->fi, ST_WAIT_ACM), 0);
	assert_non_null(strstr(f->log, "state_chg to WAIT_ACM (timeout 20000 ms)"));
	fake_time_passes(19999);
	loop_run_once(f->l, 0);
	assert_int_equal(f->leg.timer_fired_id, 0);

	/* no ACM within 20 s: T7 fires, timer_cb keeps the instance */
	fake_time_passes(1);
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_int_equal(f->leg.timer_fired_id, T7);
	assert_false(fsm_inst_terminated(f->fi));
	assert_non_null(strstr(f->log, "call_leg(cic=17){WAIT_ACM}: Timeout of T7\n"));
}

static void test_timer_cb_returning_1_terminates_and_frees_after_the_round(void **state)
{
	struct fixture *f = *state;
	unsigned live = fsm_inst_live_count();

	f->leg.timer_cb_result = 1;
	assert_int_equal(tdef_set(leg_tdefs, "T7", 1000), 0); /* config override */
	assert_int_equal(fsm_state_chg(f->fi, ST_WAIT_ACM), 0);
	fake_time_passes(1000);
	assert_int_equal(loop_run_once(f->l, 0), 2); /* the timer and the deferred free */
	assert_int_equal(f->leg.timer_fired_id, T7);
	assert_int_equal(f->leg.cleanups, 1);
	assert_int_equal(fsm_inst_live_count(), live - 1);
	f->fi = NULL;
}

static void test_explicit_timer_and_timer_stop(void **state)
{
	struct fixture *f = *state;

	/* state_chg_ms overrides the state's T7 with X1 */
	assert_int_equal(fsm_state_chg_ms(f->fi, ST_WAIT_ACM, 300, X1), 0);
	fake_time_passes(300);
	loop_run_once(f->l, 0);
	assert_int_equal(f->leg.timer_fired_id, X1);

	/* restart without a state change, then stop before it fires */
	f->leg.timer_fired_id = 0;
	fsm_timer_schedule_ms(f->fi, 50, X1);
	fake_time_passes(49);
	loop_run_once(f->l, 0);
	fsm_timer_stop(f->fi);
	fake_time_passes(100);
	loop_run_once(f->l, 0);
	assert_int_equal(f->leg.timer_fired_id, 0);

	/* leaving the state stops its timer */
	assert_int_equal(fsm_state_chg(f->fi, ST_ALERTING), 0);
	fake_time_passes(30000);
	loop_run_once(f->l, 0);
	assert_int_equal(f->leg.timer_fired_id, 0);
}

static void test_rel_is_accepted_in_every_state_via_allstate_action(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(fsm_inst_dispatch(f->fi, EV_REL, NULL), 0);
	assert_int_equal(fsm_inst_state(f->fi), ST_RELEASED);
	assert_string_equal(f->leg.trace, "allstate REL;leave IDLE>RELEASED;enter RELEASED<IDLE;");
	/* RELEASED accepts no events of its own, but REL again still reaches allstate */
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_ANM, NULL), -EPERM);
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_REL, NULL), 0);
}

static void test_term_inside_action_is_deferred_until_the_round_ends(void **state)
{
	struct fixture *f = *state;
	unsigned live = fsm_inst_live_count();

	f->leg.term_in_action = true;
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_REL, NULL), 0);

	/* terminated, cleaned up once, but still a valid object until the loop runs */
	assert_true(fsm_inst_terminated(f->fi));
	assert_int_equal(f->leg.cleanups, 1);
	assert_int_equal(fsm_inst_live_count(), live);
	assert_string_equal(fsm_inst_id(f->fi), "cic=17");
	assert_int_equal(fsm_inst_dispatch(f->fi, EV_ACM, NULL), -ESHUTDOWN);
	assert_int_equal(fsm_state_chg(f->fi, ST_IDLE), -ESHUTDOWN);
	fsm_inst_term(f->fi); /* second call: no-op */
	assert_int_equal(f->leg.cleanups, 1);
	assert_non_null(strstr(f->log, "call_leg(cic=17){RELEASED}: Terminating\n"));

	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_int_equal(fsm_inst_live_count(), live - 1);
	assert_non_null(strstr(f->log, "Deallocated\n"));
	f->fi = NULL;
}

static void test_instances_without_id_and_quiet_logs(void **state)
{
	struct fixture *f = *state;
	struct leg leg2 = { .trace = "" };
	struct fsm_inst *fi = fsm_inst_alloc(&call_leg_fsm, f->l, &leg2, NULL);

	assert_non_null(fi);
	assert_int_equal(fsm_inst_live_count(), f->live_before + 2);
	assert_int_equal(fsm_inst_dispatch(fi, EV_IAM, NULL), 0);
	assert_non_null(strstr(f->log, "call_leg{IDLE}: Received Event IAM\n"));

	/* at NOTICE nothing of the ladder is logged */
	log_set_level(DCALL, LOGL_NOTICE);
	f->log[0] = '\0';
	assert_int_equal(fsm_state_chg(fi, ST_WAIT_ACM), 0);
	assert_string_equal(f->log, "");
	assert_string_equal(fsm_event_name(&call_leg_fsm, 99), "unknown");
	fsm_inst_term(fi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_event_outside_the_state_mask_is_refused_and_logged, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_call_ladder_iam_acm_anm_is_logged_event_by_event, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_transition_not_in_out_mask_is_refused_state_unchanged, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_onleave_runs_before_onenter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_change_inside_the_action_is_allowed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_t7_expires_through_fake_time_and_reaches_timer_cb, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_timer_cb_returning_1_terminates_and_frees_after_the_round, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_explicit_timer_and_timer_stop, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_rel_is_accepted_in_every_state_via_allstate_action, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_term_inside_action_is_deferred_until_the_round_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_instances_without_id_and_quiet_logs, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
