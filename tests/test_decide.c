/* tests/test_decide.c - the forwarding decision (SERVICE.md §6, ISUP notes §1) as
 * tables: every condition × subscriber-leg outcome × counter (below, at and past the
 * limit, two limits), the precedence of Number Request and the rejection list, and
 * the onward redirection values for first and later diversions. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/util.h"
#include "feature/cfwd/decide.h"

#define SUB "0312345678"
#define FWD "0398765432"
#define CALLER "0311112222"

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static struct cfwd_sub make_sub(enum cfwd_condition cond)
{
	struct cfwd_sub s;

	memset(&s, 0, sizeof(s));
	str_copy(s.number, SUB, sizeof(s.number));
	s.active = true;
	s.condition = cond;
	s.last_condition = cond == CFWD_COND_OFF ? CFWD_COND_UNCONDITIONAL : cond;
	str_copy(s.list[0], FWD, sizeof(s.list[0]));
	s.registered[0] = true;
	s.selected = 0;
	s.ring_time_s = 20;
	return s;
}

static struct cfwd_call_facts make_call(enum cfwd_leg leg)
{
	struct cfwd_call_facts c;

	memset(&c, 0, sizeof(c));
	c.calling = CALLER;
	c.calling_pres = CFWD_PRES_ALLOWED;
	c.leg = leg;
	return c;
}

static struct cfwd_decision decide(const struct cfwd_sub *s, const struct cfwd_call_facts *c,
				   const struct cfwd_decide_conf *conf)
{
	struct cfwd_decision d;

	assert_int_equal(cfwd_decide(s, c, conf, &d), 0);
	return d;
}

/* One row: condition × leg outcome → action, why, cause, reason; below and at limit. */
struct matrix_row {
	enum cfwd_condition cond;
	enum cfwd_leg leg;
	enum cfwd_action act, act_limit;
	enum cfwd_why why, why_limit;
	uint8_t cause, cause_limit;
	uint8_t reason; /* for DIVERT */
	uint32_t ring_ms; /* OFFER below the limit */
	bool on_busy; /* OFFER below the limit */
};

/* clang-format off */
#define C(x) CFWD_COND_##x
#define L(x) CFWD_LEG_##x
#define A(x) CFWD_ACT_##x
#define W(x) CFWD_WHY_##x
static const struct matrix_row matrix[] = {
	/* condition off: the subscriber is offered the call like any other line */
	{ C(OFF), L(NONE),
	  A(OFFER), A(OFFER), W(NO_SERVICE), W(NO_SERVICE), 0, 0, 0, 0, false },
	{ C(OFF), L(BUSY),
	  A(RELEASE), A(RELEASE), W(NO_SERVICE), W(NO_SERVICE), 17, 17, 0, 0, false },
	{ C(OFF), L(NO_REPLY),
	  A(CONTINUE), A(CONTINUE), W(NO_SERVICE), W(NO_SERVICE), 0, 0, 0, 0, false },
	{ C(OFF), L(ANSWERED),
	  A(CONTINUE), A(CONTINUE), W(ANSWERED), W(ANSWERED), 0, 0, 0, 0, false },
	{ C(OFF), L(RELEASED),
	  A(RELEASE), A(RELEASE), W(LEG_CAUSE), W(LEG_CAUSE), 20, 20, 0, 0, false },
	/* CFU: divert at once; at the limit release with the configured cause 18 */
	{ C(UNCONDITIONAL), L(NONE),
	  A(DIVERT), A(RELEASE), W(CFU), W(LIMIT), 0, 18, 3, 0, false },
	{ C(UNCONDITIONAL), L(BUSY),
	  A(RELEASE), A(RELEASE), W(NO_SERVICE), W(NO_SERVICE), 17, 17, 0, 0, false },
	{ C(UNCONDITIONAL), L(NO_REPLY),
	  A(CONTINUE), A(CONTINUE), W(NO_SERVICE), W(NO_SERVICE), 0, 0, 0, 0, false },
	{ C(UNCONDITIONAL), L(ANSWERED),
	  A(CONTINUE), A(CONTINUE), W(ANSWERED), W(ANSWERED), 0, 0, 0, 0, false },
	{ C(UNCONDITIONAL), L(RELEASED),
	  A(RELEASE), A(RELEASE), W(LEG_CAUSE), W(LEG_CAUSE), 20, 20, 0, 0, false },
	/* CFNR: ring with a timer, then divert; at the limit keep ringing */
	{ C(NO_REPLY), L(NONE),
	  A(OFFER), A(OFFER), W(WATCH), W(LIMIT), 0, 0, 0, 20000, false },
	{ C(NO_REPLY), L(BUSY),
	  A(RELEASE), A(RELEASE), W(NO_SERVICE), W(NO_SERVICE), 17, 17, 0, 0, false },
	{ C(NO_REPLY), L(NO_REPLY),
	  A(DIVERT), A(CONTINUE), W(CFNR), W(LIMIT), 0, 0, 2, 0, false },
	{ C(NO_REPLY), L(ANSWERED),
	  A(CONTINUE), A(CONTINUE), W(ANSWERED), W(ANSWERED), 0, 0, 0, 0, false },
	{ C(NO_REPLY), L(RELEASED),
	  A(RELEASE), A(RELEASE), W(LEG_CAUSE), W(LEG_CAUSE), 20, 20, 0, 0, false },
	/* CFB: divert on user busy; at the limit release with 17 */
	{ C(BUSY), L(NONE),
	  A(OFFER), A(OFFER), W(WATCH), W(LIMIT), 0, 0, 0, 0, true },
	{ C(BUSY), L(BUSY),
	  A(DIVERT), A(RELEASE), W(CFB), W(LIMIT), 0, 17, 1, 0, false },
	{ C(BUSY), L(NO_REPLY),
	  A(CONTINUE), A(CONTINUE), W(NO_SERVICE), W(NO_SERVICE), 0, 0, 0, 0, false },
	{ C(BUSY), L(ANSWERED),
	  A(CONTINUE), A(CONTINUE), W(ANSWERED), W(ANSWERED), 0, 0, 0, 0, false },
	{ C(BUSY), L(RELEASED),
	  A(RELEASE), A(RELEASE), W(LEG_CAUSE), W(LEG_CAUSE), 20, 20, 0, 0, false },
	/* CFNR + CFB: both */
	{ C(NO_REPLY_BUSY), L(NONE),
	  A(OFFER), A(OFFER), W(WATCH), W(LIMIT), 0, 0, 0, 20000, true },
	{ C(NO_REPLY_BUSY), L(BUSY),
	  A(DIVERT), A(RELEASE), W(CFB), W(LIMIT), 0, 17, 1, 0, false },
	{ C(NO_REPLY_BUSY), L(NO_REPLY),
	  A(DIVERT), A(CONTINUE), W(CFNR), W(LIMIT), 0, 0, 2, 0, false },
	{ C(NO_REPLY_BUSY), L(ANSWERED),
	  A(CONTINUE), A(CONTINUE), W(ANSWERED), W(ANSWERED), 0, 0, 0, 0, false },
	{ C(NO_REPLY_BUSY), L(RELEASED),
	  A(RELEASE), A(RELEASE), W(LEG_CAUSE), W(LEG_CAUSE), 20, 20, 0, 0, false },
};
/* clang-format on */

static void check_row(const struct matrix_row *r, unsigned limit, bool ri, uint8_t counter)
{
	struct cfwd_decide_conf conf;
	struct cfwd_sub s = make_sub(r->cond);
	struct cfwd_call_facts c = make_call(r->leg);
	struct cfwd_decision d;
	unsigned in = ri ? counter : 0;
	bool at = in >= limit;

	cfwd_decide_conf_default(&conf);
	conf.counter_limit = limit;
	c.leg_cause = r->leg == CFWD_LEG_RELEASED ? 20 : 0;
	if (ri) {
		c.ri_present = true;
		c.ri_ind = 3;
		c.ri_orig_reason = 3;
		c.ri_counter = counter;
		c.ri_reason = 3;
		c.ocn = "0300000001";
		c.rgn = "0300000002";
	}
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, at ? r->act_limit : r->act);
	assert_int_equal(d.why, at ? r->why_limit : r->why);
	assert_int_equal(d.cause, at ? r->cause_limit : r->cause);
	assert_int_equal(d.ring_ms, at ? 0 : r->ring_ms);
	assert_int_equal(d.divert_on_busy, at ? false : r->on_busy);
	if (d.action == CFWD_ACT_DIVERT) {
		assert_int_equal(d.redir.reason, r->reason);
		assert_int_equal(d.redir.counter, in + 1);
		assert_true(d.redir.counter <= limit);
		assert_string_equal(d.redir.called, FWD);
	}
}

static void test_every_condition_outcome_and_counter(void **state)
{
	static const unsigned limits[] = { 5, 3, 1 };
	static const uint8_t counters[] = { 1, 2, 3, 4, 5, 6, 7 };

	for (size_t i = 0; i < ARRAY_SIZE(matrix); i++) {
		for (size_t l = 0; l < ARRAY_SIZE(limits); l++) {
			check_row(&matrix[i], limits[l], false, 0);
			for (size_t k = 0; k < ARRAY_SIZE(counters); k++)
				check_row(&matrix[i], limits[l], true, counters[k]);
		}
	}
}

/* Precedence (§6): Number Request, then the rejection list, then forwarding. */
struct prec_row {
	bool number_request, rejected, announce;
	const char *calling;
	enum cfwd_pres pres;
	enum cfwd_action act;
	enum cfwd_why why;
};

/* clang-format off */
static const struct prec_row prec[] = {
	{ true, false, false, CALLER, CFWD_PRES_RESTRICTED, A(REJECT), W(NUMBER_REQUEST) },
	{ true, false, true, CALLER, CFWD_PRES_RESTRICTED, A(REJECT), W(NUMBER_REQUEST) },
	{ true, false, false, "", CFWD_PRES_UNAVAILABLE, A(REJECT), W(NUMBER_REQUEST) },
	{ true, false, false, NULL, CFWD_PRES_ALLOWED, A(REJECT), W(NUMBER_REQUEST) },
	{ true, true, false, CALLER, CFWD_PRES_RESTRICTED, A(REJECT), W(NUMBER_REQUEST) },
	{ true, true, true, CALLER, CFWD_PRES_ALLOWED, A(REJECT), W(REJECT_LIST) },
	{ true, false, false, CALLER, CFWD_PRES_ALLOWED, A(DIVERT), W(CFU) },
	{ false, false, false, CALLER, CFWD_PRES_RESTRICTED, A(DIVERT), W(CFU) },
	{ false, false, false, NULL, CFWD_PRES_UNAVAILABLE, A(DIVERT), W(CFU) },
	{ false, true, false, CALLER, CFWD_PRES_RESTRICTED, A(REJECT), W(REJECT_LIST) },
	{ false, true, true, CALLER, CFWD_PRES_ALLOWED, A(REJECT), W(REJECT_LIST) },
};
/* clang-format on */

/* The matrix row for a condition and an outcome. */
static const struct matrix_row *matrix_find(enum cfwd_condition cond, enum cfwd_leg leg)
{
	for (size_t i = 0; i < ARRAY_SIZE(matrix); i++)
		if (matrix[i].cond == cond && matrix[i].leg == leg)
			return &matrix[i];
	fail();
	return NULL;
}

/* Every precedence row × condition × outcome: a rejection wins over every outcome that
 * could still divert; otherwise the condition × outcome matrix holds unchanged. */
static void test_number_request_then_rejection_list_then_forwarding(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(prec); i++) {
		for (int cond = CFWD_COND_OFF; cond <= CFWD_COND_NO_REPLY_BUSY; cond++) {
			for (int leg = CFWD_LEG_NONE; leg <= CFWD_LEG_RELEASED; leg++) {
				const struct prec_row *r = &prec[i];
				const struct matrix_row *m = matrix_find(cond, leg);
				struct cfwd_decide_conf conf;
				struct cfwd_sub s = make_sub(cond);
				struct cfwd_call_facts c = make_call(leg);
				struct cfwd_decision d;

				cfwd_decide_conf_default(&conf);
				conf.number_request_announce = r->announce;
				conf.reject_list_announce = r->announce;
				s.number_request = r->number_request;
				c.calling = r->calling;
				c.calling_pres = r->pres;
				c.caller_rejected = r->rejected;
				c.leg_cause = leg == CFWD_LEG_RELEASED ? 20 : 0;
				d = decide(&s, &c, &conf);
				if (r->act == CFWD_ACT_REJECT && leg <= CFWD_LEG_NO_REPLY) {
					assert_int_equal(d.action, CFWD_ACT_REJECT);
					assert_int_equal(d.why, r->why);
					assert_int_equal(d.cause, 21);
					assert_int_equal(d.announce, r->announce);
				} else {
					assert_int_equal(d.action, m->act);
					assert_int_equal(d.why, m->why);
					assert_int_equal(d.cause, m->cause);
				}
			}
		}
	}
}

static void test_screening_applies_to_every_outcome_that_could_divert(void **state)
{
	static const enum cfwd_leg legs[] = { CFWD_LEG_NONE, CFWD_LEG_BUSY, CFWD_LEG_NO_REPLY,
					      CFWD_LEG_ANSWERED, CFWD_LEG_RELEASED };
	struct cfwd_decide_conf conf;
	struct cfwd_sub s = make_sub(CFWD_COND_NO_REPLY_BUSY);
	struct cfwd_decision d;

	cfwd_decide_conf_default(&conf);
	s.number_request = true;
	step("A withheld caller to a Number Request subscriber, decided at each outcome");
	for (size_t i = 0; i < ARRAY_SIZE(legs); i++) {
		struct cfwd_call_facts c = make_call(legs[i]);

		c.calling_pres = CFWD_PRES_RESTRICTED;
		c.leg_cause = 31;
		d = decide(&s, &c, &conf);
		if (legs[i] == CFWD_LEG_ANSWERED)
			assert_int_equal(d.action, CFWD_ACT_CONTINUE);
		else if (legs[i] == CFWD_LEG_RELEASED)
			assert_int_equal(d.action, CFWD_ACT_RELEASE);
		else
			assert_int_equal(d.action, CFWD_ACT_REJECT);
	}
}

static void test_inactive_or_unregistered_subscriber_is_not_forwarded(void **state)
{
	struct cfwd_decide_conf conf;
	struct cfwd_call_facts c = make_call(CFWD_LEG_NONE);
	struct cfwd_sub s = make_sub(CFWD_COND_UNCONDITIONAL);
	struct cfwd_decision d;

	cfwd_decide_conf_default(&conf);
	step("Service suspended: the call is offered, not diverted");
	s.active = false;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_OFFER);
	assert_int_equal(d.why, CFWD_WHY_NO_SERVICE);

	step("Suspended, Number Request still rejects a withheld caller");
	s.number_request = true;
	c.calling_pres = CFWD_PRES_RESTRICTED;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_REJECT);

	step("Active but no selected number: offered");
	s = make_sub(CFWD_COND_UNCONDITIONAL);
	c = make_call(CFWD_LEG_NONE);
	s.selected = -1;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_OFFER);

	step("Selected entry not registered: offered; busy is released with 17");
	s = make_sub(CFWD_COND_BUSY);
	s.selected = 2;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_OFFER);
	assert_false(d.divert_on_busy);
	c.leg = CFWD_LEG_BUSY;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_RELEASE);
	assert_int_equal(d.cause, 17);
}

static void test_first_diversion_carries_subscriber_as_ocn_and_rgn_restricted(void **state)
{
	struct cfwd_decide_conf conf;
	struct cfwd_sub s = make_sub(CFWD_COND_UNCONDITIONAL);
	struct cfwd_call_facts c = make_call(CFWD_LEG_NONE);
	struct cfwd_decision d;

	cfwd_decide_conf_default(&conf);
	step("A call from 0311112222 (no RI) to CFU subscriber 0312345678");
	d = decide(&s, &c, &conf);
	step("Onward: called 0398765432, OCN = RGN = subscriber, restricted, RI 4/3/1/3");
	assert_int_equal(d.action, CFWD_ACT_DIVERT);
	assert_string_equal(d.redir.called, FWD);
	assert_string_equal(d.redir.ocn, SUB);
	assert_int_equal(d.redir.ocn_pres, CFWD_PRES_RESTRICTED);
	assert_string_equal(d.redir.rgn, SUB);
	assert_int_equal(d.redir.rgn_pres, CFWD_PRES_RESTRICTED);
	assert_int_equal(d.redir.ind, CFWD_RI_DIVERTED_RESTRICTED);
	assert_int_equal(d.redir.orig_reason, CFWD_REASON_UNCONDITIONAL);
	assert_int_equal(d.redir.reason, CFWD_REASON_UNCONDITIONAL);
	assert_int_equal(d.redir.counter, 1);

	step("CFNR first diversion: reasons no reply (2)");
	s = make_sub(CFWD_COND_NO_REPLY);
	c.leg = CFWD_LEG_NO_REPLY;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.redir.orig_reason, CFWD_REASON_NO_REPLY);
	assert_int_equal(d.redir.reason, CFWD_REASON_NO_REPLY);

	step("CFB first diversion via a REL cause 17 from the subscriber leg");
	s = make_sub(CFWD_COND_BUSY);
	c.leg = CFWD_LEG_RELEASED;
	c.leg_cause = 17;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_DIVERT);
	assert_int_equal(d.redir.orig_reason, CFWD_REASON_BUSY);
	assert_int_equal(d.redir.reason, CFWD_REASON_BUSY);
}

static void test_second_diversion_keeps_ocn_orig_reason_and_counts_up(void **state)
{
	struct cfwd_decide_conf conf;
	struct cfwd_sub s = make_sub(CFWD_COND_BUSY);
	struct cfwd_call_facts c = make_call(CFWD_LEG_BUSY);
	struct cfwd_decision d;

	cfwd_decide_conf_default(&conf);
	step("Incoming IAM already diverted once by CFU at 0355550000 (OCN allowed)");
	c.ri_present = true;
	c.ri_ind = CFWD_RI_DIVERTED;
	c.ri_orig_reason = CFWD_REASON_UNCONDITIONAL;
	c.ri_counter = 1;
	c.ri_reason = CFWD_REASON_UNCONDITIONAL;
	c.ocn = "0355550000";
	c.ocn_pres = CFWD_PRES_ALLOWED;
	c.rgn = "0355550000";
	c.rgn_pres = CFWD_PRES_ALLOWED;
	step("Our subscriber is busy: CFB, RI bytes 34 12 (ind 4, orig 3; counter 2, reason 1)");
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_DIVERT);
	assert_string_equal(d.redir.ocn, "0355550000");
	assert_int_equal(d.redir.ocn_pres, CFWD_PRES_ALLOWED);
	assert_string_equal(d.redir.rgn, SUB);
	assert_int_equal(d.redir.rgn_pres, CFWD_PRES_RESTRICTED);
	assert_int_equal(d.redir.ind, CFWD_RI_DIVERTED_RESTRICTED);
	assert_int_equal(d.redir.orig_reason, CFWD_REASON_UNCONDITIONAL);
	assert_int_equal(d.redir.reason, CFWD_REASON_BUSY);
	assert_int_equal(d.redir.counter, 2);

	step("RI with RGN but no OCN: the received RGN becomes the OCN");
	c.ocn = "";
	c.rgn = "0366660000";
	c.rgn_pres = CFWD_PRES_RESTRICTED;
	d = decide(&s, &c, &conf);
	assert_string_equal(d.redir.ocn, "0366660000");
	assert_int_equal(d.redir.ocn_pres, CFWD_PRES_RESTRICTED);

	step("RI with neither: the subscriber is the OCN");
	c.rgn = NULL;
	d = decide(&s, &c, &conf);
	assert_string_equal(d.redir.ocn, SUB);

	step("Incoming restricted indicator 4 stays 4 (sticky)");
	c.ri_ind = CFWD_RI_DIVERTED_RESTRICTED;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.redir.ind, CFWD_RI_DIVERTED_RESTRICTED);
}

static void test_counter_limit_is_configurable_and_never_exceeded(void **state)
{
	struct cfwd_decide_conf conf;
	struct cfwd_sub s = make_sub(CFWD_COND_UNCONDITIONAL);
	struct cfwd_call_facts c = make_call(CFWD_LEG_NONE);
	struct cfwd_decision d;

	cfwd_decide_conf_default(&conf);
	c.ri_present = true;
	c.ri_orig_reason = CFWD_REASON_UNCONDITIONAL;
	step("Counter 4 in: diverted with counter 5");
	c.ri_counter = 4;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_DIVERT);
	assert_int_equal(d.redir.counter, 5);
	step("Counter 5 in (a loop): released with the CFU cause, never counter 6");
	c.ri_counter = 5;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.action, CFWD_ACT_RELEASE);
	assert_int_equal(d.cause, 18);
	step("CFU-at-limit cause configured to 63");
	conf.cfu_limit_cause = 63;
	d = decide(&s, &c, &conf);
	assert_int_equal(d.cause, 63);
	step("Limit 0 or 6 is refused as a bad config");
	conf.counter_limit = 0;
	assert_int_equal(cfwd_decide(&s, &c, &conf, &d), -EINVAL);
	conf.counter_limit = 6;
	assert_int_equal(cfwd_decide(&s, &c, &conf, &d), -EINVAL);
}

static void test_ring_time_and_bad_input(void **state)
{
	struct cfwd_decide_conf conf;
	struct cfwd_sub s = make_sub(CFWD_COND_NO_REPLY);
	struct cfwd_call_facts c = make_call(CFWD_LEG_NONE);
	struct cfwd_decision d;
	char longnum[80];

	cfwd_decide_conf_default(&conf);
	step("Ring time 5 s and 60 s are used as set; 0 falls back to 20 s");
	s.ring_time_s = 5;
	assert_int_equal(decide(&s, &c, &conf).ring_ms, 5000);
	s.ring_time_s = 60;
	assert_int_equal(decide(&s, &c, &conf).ring_ms, 60000);
	s.ring_time_s = 0;
	assert_int_equal(decide(&s, &c, &conf).ring_ms, 20000);
	step("An over-long OCN, NULL arguments and an unknown outcome are -EINVAL");
	memset(longnum, '1', sizeof(longnum) - 1);
	longnum[sizeof(longnum) - 1] = 0;
	c.ocn = longnum;
	assert_int_equal(cfwd_decide(&s, &c, &conf, &d), -EINVAL);
	c.ocn = NULL;
	assert_int_equal(cfwd_decide(NULL, &c, &conf, &d), -EINVAL);
	assert_int_equal(cfwd_decide(&s, &c, &conf, NULL), -EINVAL);
	c.leg = (enum cfwd_leg)99;
	assert_int_equal(cfwd_decide(&s, &c, &conf, &d), -EINVAL);
	assert_string_equal(cfwd_action_name(CFWD_ACT_DIVERT), "divert");
	assert_string_equal(cfwd_why_name(CFWD_WHY_LIMIT), "limit");
}

static void test_config_sets_limit_causes_and_treatments(void **state)
{
	static const char text[] = "[service]\n"
				   "redirection_limit = 3\n"
				   "cfu_limit_cause = 63\n"
				   "reject_cause = 21\n"
				   "number_request_treatment = announce\n"
				   "reject_list_treatment = release\n";
	struct cfwd_decide_conf dc;
	char err[160];
	struct conf *c = conf_load_string("cfwd.conf", text, err, sizeof(err));

	assert_non_null(c);
	cfwd_decide_conf_default(&dc);
	assert_int_equal(cfwd_decide_conf_load(c, &dc, err, sizeof(err)), 0);
	assert_int_equal(dc.counter_limit, 3);
	assert_int_equal(dc.cfu_limit_cause, 63);
	assert_true(dc.number_request_announce);
	assert_false(dc.reject_list_announce);
	assert_int_equal(conf_check_unused(c, err, sizeof(err)), 0);
	conf_free(c);

	step("redirection_limit = 6 is refused with its line");
	c = conf_load_string("cfwd.conf", "[service]\nredirection_limit = 6\n", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(cfwd_decide_conf_load(c, &dc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cfwd.conf:2"));
	conf_free(c);
	c = conf_load_string("cfwd.conf", "[service]\nreject_list_treatment = beep\n", err,
			     sizeof(err));
	assert_int_equal(cfwd_decide_conf_load(c, &dc, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cfwd.conf:2"));
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_condition_outcome_and_counter),
		cmocka_unit_test(test_number_request_then_rejection_list_then_forwarding),
		cmocka_unit_test(test_screening_applies_to_every_outcome_that_could_divert),
		cmocka_unit_test(test_inactive_or_unregistered_subscriber_is_not_forwarded),
		cmocka_unit_test(test_first_diversion_carries_subscriber_as_ocn_and_rgn_restricted),
		cmocka_unit_test(test_second_diversion_keeps_ocn_orig_reason_and_counts_up),
		cmocka_unit_test(test_counter_limit_is_configurable_and_never_exceeded),
		cmocka_unit_test(test_ring_time_and_bad_input),
		cmocka_unit_test(test_config_sets_limit_causes_and_treatments),
	};

	return cmocka_run_group_tests_name("decide", tests, NULL, NULL);
}
