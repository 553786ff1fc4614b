/* isup/call.c - the call layer: incoming legs go through the feature hook, then the
 * routing table; a call object joins the incoming and outgoing legs and passes ACM, CPG
 * (alerting/progress/in-band only: never a diversion event), ANM and REL between them,
 * cross-connects the bearer from ACM on, retries once on another circuit after a lost
 * dual seizure, and frees itself when both legs are gone. An optional observer (a
 * feature such as forwarding) hears the outgoing leg's events and may reroute the call
 * to a new outgoing leg while the incoming leg stays up (call_reroute). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libss7.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "isup/link.h"
#include "isup/route.h"

#define CALL_LINKS_MAX 48	/* as NODE_LINKS_MAX */
#define CALL_TRUNKS_MAX 16

struct call_trunk {	/* a PRI trunk group (pri/pri_call.c) as a route target */
	char name[32];
	call_trunk_setup setup;
	void *trunk;
};

struct call {
	struct call_ctx *ctx;
	struct call_leg *in, *out;
	struct call_facts facts;	/* what the onward IAM carries */
	bool bridged;
	bool in_alerted, answered, rerouted;
	int retries;
	const struct call_observer *obs;	/* a feature watching the call, or NULL */
	void *obs_user;
	struct call *next, *prev;
};

struct call_ctx {
	struct loop *loop;
	struct isup_link *links[CALL_LINKS_MAX];
	unsigned n_links;
	struct call_trunk trunks[CALL_TRUNKS_MAX];
	unsigned n_trunks;
	struct route_table *routes;
	call_incoming_hook hook;
	void *hook_user;
	struct call *calls;
	unsigned active;
	struct call_stats st;
};

struct call_ctx *call_ctx_alloc(struct loop *l)
{
	struct call_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx)
		ctx->loop = l;
	return ctx;
}

void call_ctx_free(struct call_ctx *ctx)
{
	if (!ctx)
		return;
	route_table_free(ctx->routes);
	free(ctx);
}

int call_ctx_add_link(struct call_ctx *ctx, struct isup_link *lk)
{
	if (ctx->n_links == CALL_LINKS_MAX)
		return -ENOSPC;
	ctx->links[ctx->n_links++] = lk;
	return 0;
}

struct isup_link *call_ctx_link(struct call_ctx *ctx, const char *name)
{
	for (unsigned i = 0; i < ctx->n_links; i++)
		if (!strcmp(isup_link_name(ctx->links[i]), name))
			return ctx->links[i];
	return NULL;
}

unsigned call_ctx_link_count(const struct call_ctx *ctx)
{
	return ctx->n_links;
}

struct isup_link *call_ctx_link_at(struct call_ctx *ctx, unsigned i)
{
	return i < ctx->n_links ? ctx->links[i] : NULL;
}

void call_ctx_set_routes(struct call_ctx *ctx, struct route_table *t)
{
	route_table_free(ctx->routes);
	ctx->routes = t;
}

void call_ctx_set_hook(struct call_ctx *ctx, call_incoming_hook hook, void *user)
{
	ctx->hook = hook;
	ctx->hook_user = user;
}

int call_ctx_add_trunk(struct call_ctx *ctx, const char *name, call_trunk_setup setup,
		       void *trunk)
{
	struct call_trunk *t;

	if (ctx->n_trunks == CALL_TRUNKS_MAX)
		return -ENOSPC;
	t = &ctx->trunks[ctx->n_trunks++];
	str_copy(t->name, name, sizeof(t->name));
	t->setup = setup;
	t->trunk = trunk;
	return 0;
}

static struct call_trunk *call_ctx_trunk(const struct call_ctx *ctx, const char *name)
{
	for (unsigned i = 0; name && i < ctx->n_trunks; i++)
		if (!strcmp(ctx->trunks[i].name, name))
			return (struct call_trunk *)&ctx->trunks[i];
	return NULL;
}

bool call_ctx_has_trunk(const struct call_ctx *ctx, const char *name)
{
	return call_ctx_trunk(ctx, name) != NULL;
}

struct isup_link *call_ctx_route(struct call_ctx *ctx, const char *number)
{
	const char *name = ctx->routes ? route_lookup(ctx->routes, number) : NULL;

	return name ? call_ctx_link(ctx, name) : NULL;
}

int call_map_cause(int cause)
{
	if (cause == CAUSE_TRY_AGAIN)
		return CAUSE_NO_CIRCUIT;
	if (cause < 1 || cause > 127)
		return CAUSE_NORMAL_UNSPECIFIED;
	return cause;
}

/* Bearer: both timeslots cross-connected, 20 ms blocks both ways. */
static void call_bridge(struct call *call, bool on)
{
	struct tdm_span *a, *b;
	unsigned ta, tb;

	if (on == call->bridged || !call->in || !call->out)
		return;
	a = call_leg_span(call->in);
	b = call_leg_span(call->out);
	ta = call_leg_timeslot(call->in);
	tb = call_leg_timeslot(call->out);
	if (on) {
		tdm_bearer_enable(a, ta, true);
		tdm_bearer_enable(b, tb, true);
		if (tdm_bearer_bridge(a, ta, b, tb) < 0)
			LOGP(DMEDIA, LOGL_NOTICE, "cannot bridge %s:%u <-> %s:%u",
			     tdm_span_name(a), ta, tdm_span_name(b), tb);
	} else {
		tdm_bearer_bridge(a, ta, NULL, 0);
		tdm_bearer_bridge(b, tb, NULL, 0);
		tdm_bearer_enable(a, ta, false);
		tdm_bearer_enable(b, tb, false);
	}
	call->bridged = on;
}

static void call_maybe_free(struct call *call)
{
	struct call_ctx *ctx = call->ctx;

	if (call->in || call->out)
		return;
	if (call->prev)
		call->prev->next = call->next;
	else
		ctx->calls = call->next;
	if (call->next)
		call->next->prev = call->prev;
	ctx->active--;
	if (call->obs && call->obs->ended)
		call->obs->ended(call->obs_user, call);
	free(call);
}

static void call_in_released(void *user, struct call_leg *leg, int cause)
{
	struct call *call = user;

	LOGP(DCALL, LOGL_INFO, "call cic %u: caller released (cause %d)", call_leg_cic(leg),
	     cause);
	call_bridge(call, false);
	call->in = NULL;
	if (call->out) {
		call_leg_release(call->out, call_map_cause(cause));
		call->out = NULL;
	}
	call_maybe_free(call);
}

static const struct call_leg_ops call_in_ops = {
	.released = call_in_released,
};

static void call_out_alerting(void *user, struct call_leg *leg)
{
	struct call *call = user;

	call_bridge(call, true);
	if (call->in && call->in_alerted)
		call_leg_progress(call->in, CPG_EVENT_ALERTING);	/* rerouted after ACM */
	else if (call->in)
		call_leg_alert(call->in);
	call->in_alerted = true;
	if (call->obs && call->obs->alerting)
		call->obs->alerting(call->obs_user, call);
}

static void call_out_progress(void *user, struct call_leg *leg, int event)
{
	struct call *call = user;
	int ev = event & 0x7f;

	/* pass alerting/progress/in-band only; diversion events (4-6) are never relayed */
	if (call->in && ev >= CPG_EVENT_ALERTING && ev <= CPG_EVENT_INBANDINFO)
		call_leg_progress(call->in, event);
}

static void call_out_answered(void *user, struct call_leg *leg)
{
	struct call *call = user;

	call->ctx->st.answered++;
	call->answered = true;
	call_bridge(call, true);
	if (call->in)
		call_leg_answer(call->in);
	if (call->obs && call->obs->answered)
		call->obs->answered(call->obs_user, call);
}

static int call_place_out(struct call *call, int *cause);

static void call_out_released(void *user, struct call_leg *leg, int cause)
{
	struct call *call = user;

	call_bridge(call, false);
	call->out = NULL;
	if (cause == CAUSE_TRY_AGAIN && call->in && call->retries++ < 1) {
		int c2;

		LOGP(DCALL, LOGL_INFO, "dual seizure lost: retrying on another circuit");
		if (call_place_out(call, &c2) == 0)
			return;
		cause = c2;
	}
	if (call->in && !call->answered && call->obs && call->obs->out_released &&
	    call->obs->out_released(call->obs_user, call, cause))
		return;		/* the feature took over (call_reroute) */
	if (call->in) {
		call_leg_release(call->in, call_map_cause(cause));
		call->in = NULL;
	}
	call_maybe_free(call);
}

static const struct call_leg_ops call_out_ops = {
	.alerting = call_out_alerting,
	.progress = call_out_progress,
	.answered = call_out_answered,
	.released = call_out_released,
};

static int call_place_out(struct call *call, int *cause)
{
	struct call_ctx *ctx = call->ctx;
	const char *name = ctx->routes ? route_lookup(ctx->routes, call->facts.called.digits)
				       : NULL;
	struct isup_link *lk = name ? call_ctx_link(ctx, name) : NULL;
	struct call_trunk *tr = lk ? NULL : call_ctx_trunk(ctx, name);
	uint64_t dt;

	if (!lk && !tr) {
		ctx->st.unrouted++;
		*cause = CAUSE_UNALLOCATED;
		return -ENOENT;
	}
	if (lk)
		call->out = call_leg_setup(lk, &call->facts, &call_out_ops, call, cause);
	else
		call->out = tr->setup(tr->trunk, &call->facts, &call_out_ops, call, cause);
	if (!call->out) {
		ctx->st.failed++;
		return -EBUSY;
	}
	if (call->rerouted)
		return 0;	/* a diversion later in the call: not setup latency */
	call_leg_continues(call->out, call->in);
	dt = call_leg_start_us(call->out) - call_leg_start_us(call->in);
	ctx->st.iam_latency_us_sum += dt;
	ctx->st.iam_latency_n++;
	if (dt > ctx->st.iam_latency_us_max)
		ctx->st.iam_latency_us_max = (uint32_t)dt;
	return 0;
}

int call_connect(struct call_ctx *ctx, struct call_leg *in, const struct call_facts *f)
{
	return call_connect_observed(ctx, in, f, NULL, NULL);
}

int call_connect_observed(struct call_ctx *ctx, struct call_leg *in, const struct call_facts *f,
			  const struct call_observer *obs, void *user)
{
	struct call *call = calloc(1, sizeof(*call));
	int cause = CAUSE_TEMPORARY_FAILURE;

	if (!call) {
		call_leg_release(in, cause);
		if (obs && obs->ended)
			obs->ended(user, NULL);
		return -ENOMEM;
	}
	call->obs = obs;
	call->obs_user = user;
	call->ctx = ctx;
	call->in = in;
	call->facts = *f;
	call->next = ctx->calls;
	if (ctx->calls)
		ctx->calls->prev = call;
	ctx->calls = call;
	ctx->active++;
	ctx->st.calls++;
	call_leg_set_owner(in, &call_in_ops, call);
	if (call_place_out(call, &cause) < 0) {
		LOGP(DCALL, LOGL_INFO, "call to %s on cic %u: release cause %d",
		     f->called.digits, call_leg_cic(in), cause);
		call->in = NULL;
		call_leg_release(in, cause);
		call_maybe_free(call);
		return -ENOENT;
	}
	return 0;
}

int call_reroute(struct call *call, const struct call_facts *f, int cause)
{
	int c2 = CAUSE_TEMPORARY_FAILURE;

	call_bridge(call, false);
	if (call->out) {
		call_leg_release(call->out, cause);
		call->out = NULL;
	}
	call->facts = *f;
	call->rerouted = true;
	call->retries = 0;
	if (call->in && call_place_out(call, &c2) == 0)
		return 0;
	LOGP(DCALL, LOGL_INFO, "reroute to %s: release cause %d", f->called.digits, c2);
	if (call->in) {
		call_leg_release(call->in, call_map_cause(c2));
		call->in = NULL;
	}
	call_maybe_free(call);
	return -ENOENT;
}

const struct call_facts *call_facts(const struct call *call)
{
	return &call->facts;
}

void call_ctx_incoming(void *user, struct isup_link *lk, struct call_leg *in)
{
	struct call_ctx *ctx = user;

	if (ctx->hook && ctx->hook(ctx->hook_user, ctx, in))
		return;
	call_connect(ctx, in, call_leg_facts(in));
}

unsigned call_ctx_active(const struct call_ctx *ctx)
{
	return ctx->active;
}

const struct call_stats *call_ctx_stats(const struct call_ctx *ctx)
{
	return &ctx->st;
}

struct call *call_ctx_first(struct call_ctx *ctx)
{
	return ctx->calls;
}

struct call *call_next(struct call *call)
{
	return call->next;
}

struct call_leg *call_in_leg(const struct call *call)
{
	return call->in;
}

struct call_leg *call_out_leg(const struct call *call)
{
	return call->out;
}
