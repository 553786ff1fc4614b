/* feature/cfwd/decide.c - the forwarding decision (SERVICE.md §6), a pure function.
 * Precedence: Number Request, then the rejection list, then the forwarding condition.
 * Called at IAM arrival and again for each outcome of the subscriber leg (busy, ring
 * timer expired, answered, released); the first two rules are applied to every outcome
 * that could still divert (arrival, busy, no reply), so a caller that skips the arrival
 * call (a subscriber known busy) cannot bypass them. The counter limit is
 * checked before every diversion and never lets the counter exceed it (ISUP notes §1.3).
 * Number Request and the rejection list are separate services: they apply even when
 * forwarding itself is not active. */
#include <errno.h>
#include <string.h>

#include "core/conf.h"
#include "core/util.h"
#include "feature/cfwd/decide.h"

#define CAUSE_NORMAL 16
#define CAUSE_USER_BUSY 17
#define REDIR_COUNTER_MAX 5

void cfwd_decide_conf_default(struct cfwd_decide_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->counter_limit = REDIR_COUNTER_MAX;
	c->cfu_limit_cause = 18;
	c->reject_cause = 21;
}

static int load_treatment(struct conf *c, const char *key, bool *announce, char *err, size_t errlen)
{
	const char *v;
	int rc = conf_get_str(c, "service", key, *announce ? "announce" : "release", &v, err,
			      errlen);

	if (rc)
		return rc;
	if (strcmp(v, "announce") && strcmp(v, "release")) {
		conf_errf(c, conf_find(c, "service", key), err, errlen,
			  "expected release or announce");
		return -EINVAL;
	}
	*announce = !strcmp(v, "announce");
	return 0;
}

int cfwd_decide_conf_load(struct conf *c, struct cfwd_decide_conf *dc, char *err, size_t errlen)
{
	long limit, cfu, rej;
	int rc;

	rc = conf_get_long(c, "service", "redirection_limit", 1, REDIR_COUNTER_MAX,
			   dc->counter_limit, &limit, err, errlen);
	if (!rc)
		rc = conf_get_long(c, "service", "cfu_limit_cause", 1, 127, dc->cfu_limit_cause,
				   &cfu, err, errlen);
	if (!rc)
		rc = conf_get_long(c, "service", "reject_cause", 1, 127, dc->reject_cause, &rej,
				   err, errlen);
	if (!rc)
		rc = load_treatment(c, "number_request_treatment", &dc->number_request_announce,
				    err, errlen);
	if (!rc)
		rc = load_treatment(c, "reject_list_treatment", &dc->reject_list_announce, err,
				    errlen);
	if (rc)
		return rc;
	dc->counter_limit = (unsigned)limit;
	dc->cfu_limit_cause = (uint8_t)cfu;
	dc->reject_cause = (uint8_t)rej;
	return 0;
}

static const struct value_string action_names[] = {
	{ CFWD_ACT_REJECT, "reject" },	   { CFWD_ACT_OFFER, "offer" },
	{ CFWD_ACT_DIVERT, "divert" },	   { CFWD_ACT_RELEASE, "release" },
	{ CFWD_ACT_CONTINUE, "continue" }, { 0, NULL },
};

const char *cfwd_action_name(enum cfwd_action a)
{
	return get_value_string(action_names, a);
}

static const struct value_string why_names[] = {
	{ CFWD_WHY_NUMBER_REQUEST, "number-request" },
	{ CFWD_WHY_REJECT_LIST, "reject-list" },
	{ CFWD_WHY_NO_SERVICE, "no-service" },
	{ CFWD_WHY_CFU, "cfu" },
	{ CFWD_WHY_CFB, "cfb" },
	{ CFWD_WHY_CFNR, "cfnr" },
	{ CFWD_WHY_WATCH, "watch" },
	{ CFWD_WHY_LIMIT, "limit" },
	{ CFWD_WHY_ANSWERED, "answered" },
	{ CFWD_WHY_LEG_CAUSE, "leg-cause" },
	{ 0, NULL },
};

const char *cfwd_why_name(enum cfwd_why w)
{
	return get_value_string(why_names, w);
}

static bool is_empty(const char *s)
{
	return !s || !s[0];
}

static bool fits(const char *s)
{
	return !s || strlen(s) < CFWD_REDIR_NUM_SIZE;
}

static bool caller_withheld(const struct cfwd_call_facts *call)
{
	return is_empty(call->calling) || call->calling_pres != CFWD_PRES_ALLOWED;
}

/* Forwarding is in force: active service, a condition, a selected registered number. */
static bool forwarding(const struct cfwd_sub *sub)
{
	return sub->active && sub->condition != CFWD_COND_OFF && sub->selected >= 0 &&
	       sub->selected < CFWD_LIST_ENTRIES && sub->registered[sub->selected] &&
	       sub->list[sub->selected][0];
}

static bool cond_no_reply(enum cfwd_condition c)
{
	return c == CFWD_COND_NO_REPLY || c == CFWD_COND_NO_REPLY_BUSY;
}

static bool cond_busy(enum cfwd_condition c)
{
	return c == CFWD_COND_BUSY || c == CFWD_COND_NO_REPLY_BUSY;
}

static uint32_t ring_ms(const struct cfwd_sub *sub)
{
	int s = sub->ring_time_s;

	if (s < CFWD_RING_TIME_MIN || s > CFWD_RING_TIME_MAX)
		s = CFWD_RING_TIME_DEFAULT;
	return (uint32_t)s * 1000;
}

/* The onward IAM's redirection values (ISUP notes §1.1). */
static void build_redir(const struct cfwd_sub *sub, const struct cfwd_call_facts *call,
			enum cfwd_reason reason, unsigned in_counter, struct cfwd_redir *r)
{
	str_copy(r->called, sub->list[sub->selected], sizeof(r->called));
	str_copy(r->rgn, sub->number, sizeof(r->rgn));
	r->rgn_pres = CFWD_PRES_RESTRICTED;
	if (!is_empty(call->ocn)) {
		str_copy(r->ocn, call->ocn, sizeof(r->ocn));
		r->ocn_pres = call->ocn_pres;
	} else if (call->ri_present && !is_empty(call->rgn)) {
		str_copy(r->ocn, call->rgn, sizeof(r->ocn));
		r->ocn_pres = call->rgn_pres;
	} else {
		str_copy(r->ocn, sub->number, sizeof(r->ocn));
		r->ocn_pres = CFWD_PRES_RESTRICTED;
	}
	r->ind = CFWD_RI_DIVERTED_RESTRICTED;
	r->orig_reason = call->ri_present ? call->ri_orig_reason : reason;
	r->reason = reason;
	r->counter = in_counter + 1;
}

static void divert(struct cfwd_decision *d, const struct cfwd_sub *sub,
		   const struct cfwd_call_facts *call, enum cfwd_why why, enum cfwd_reason reason,
		   unsigned in_counter)
{
	d->action = CFWD_ACT_DIVERT;
	d->why = why;
	build_redir(sub, call, reason, in_counter, &d->redir);
}

static void set(struct cfwd_decision *d, enum cfwd_action a, enum cfwd_why why, uint8_t cause)
{
	d->action = a;
	d->why = why;
	d->cause = cause;
}

/* Precedence 1 and 2 of §6: true (and *d set) when the call is rejected. */
static bool screened_out(const struct cfwd_sub *sub, const struct cfwd_call_facts *call,
			 const struct cfwd_decide_conf *conf, struct cfwd_decision *d)
{
	if (sub->number_request && caller_withheld(call)) {
		set(d, CFWD_ACT_REJECT, CFWD_WHY_NUMBER_REQUEST, conf->reject_cause);
		d->announce = conf->number_request_announce;
		return true;
	}
	if (call->caller_rejected) {
		set(d, CFWD_ACT_REJECT, CFWD_WHY_REJECT_LIST, conf->reject_cause);
		d->announce = conf->reject_list_announce;
		return true;
	}
	return false;
}

/* IAM arrival: CFU, or offer to the subscriber with CFNR / CFB armed. */
static void decide_arrival(const struct cfwd_sub *sub, const struct cfwd_call_facts *call,
			   const struct cfwd_decide_conf *conf, unsigned in_counter,
			   struct cfwd_decision *d)
{
	bool at_limit = in_counter >= conf->counter_limit;

	if (!forwarding(sub)) {
		set(d, CFWD_ACT_OFFER, CFWD_WHY_NO_SERVICE, 0);
		return;
	}
	if (sub->condition == CFWD_COND_UNCONDITIONAL) {
		if (at_limit)
			set(d, CFWD_ACT_RELEASE, CFWD_WHY_LIMIT, conf->cfu_limit_cause);
		else
			divert(d, sub, call, CFWD_WHY_CFU, CFWD_REASON_UNCONDITIONAL, in_counter);
		return;
	}
	set(d, CFWD_ACT_OFFER, at_limit ? CFWD_WHY_LIMIT : CFWD_WHY_WATCH, 0);
	if (!at_limit) {
		d->ring_ms = cond_no_reply(sub->condition) ? ring_ms(sub) : 0;
		d->divert_on_busy = cond_busy(sub->condition);
	}
}

int cfwd_decide(const struct cfwd_sub *sub, const struct cfwd_call_facts *call,
		const struct cfwd_decide_conf *conf, struct cfwd_decision *out)
{
	unsigned in_counter;
	bool fwd, at_limit;
	enum cfwd_leg leg;

	if (!sub || !call || !conf || !out)
		return -EINVAL;
	if (conf->counter_limit < 1 || conf->counter_limit > REDIR_COUNTER_MAX)
		return -EINVAL;
	if (!fits(call->calling) || !fits(call->ocn) || !fits(call->rgn))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	in_counter = call->ri_present ? call->ri_counter : 0;
	at_limit = in_counter >= conf->counter_limit;
	fwd = forwarding(sub);
	leg = call->leg;
	if (leg == CFWD_LEG_RELEASED && call->leg_cause == CAUSE_USER_BUSY)
		leg = CFWD_LEG_BUSY;
	if (leg > CFWD_LEG_RELEASED)
		return -EINVAL;
	if (leg <= CFWD_LEG_NO_REPLY && screened_out(sub, call, conf, out))
		return 0;

	switch (leg) {
	case CFWD_LEG_NONE:
		decide_arrival(sub, call, conf, in_counter, out);
		break;
	case CFWD_LEG_BUSY:
		if (!fwd || !cond_busy(sub->condition))
			set(out, CFWD_ACT_RELEASE, CFWD_WHY_NO_SERVICE, CAUSE_USER_BUSY);
		else if (at_limit)
			set(out, CFWD_ACT_RELEASE, CFWD_WHY_LIMIT, CAUSE_USER_BUSY);
		else
			divert(out, sub, call, CFWD_WHY_CFB, CFWD_REASON_BUSY, in_counter);
		break;
	case CFWD_LEG_NO_REPLY:
		if (!fwd || !cond_no_reply(sub->condition))
			set(out, CFWD_ACT_CONTINUE, CFWD_WHY_NO_SERVICE, 0);
		else if (at_limit)
			set(out, CFWD_ACT_CONTINUE, CFWD_WHY_LIMIT, 0);
		else
			divert(out, sub, call, CFWD_WHY_CFNR, CFWD_REASON_NO_REPLY, in_counter);
		break;
	case CFWD_LEG_ANSWERED:
		set(out, CFWD_ACT_CONTINUE, CFWD_WHY_ANSWERED, 0);
		break;
	case CFWD_LEG_RELEASED:
		set(out, CFWD_ACT_RELEASE, CFWD_WHY_LEG_CAUSE,
		    call->leg_cause ? call->leg_cause : CAUSE_NORMAL);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
