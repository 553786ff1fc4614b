/* feature/cfwd/forward.c - forwarding mechanics for calls to subscribers (SERVICE.md §6):
 * the store is read per call (a change by 142, remote control or cfwdctl applies to the
 * next call), cfwd_decide() says what to do at the IAM and again at each outcome of the
 * subscriber leg; the call layer (isup/call.h) carries the legs and the bearer, this file
 * only watches the outgoing leg and reroutes it:
 *   CFU   onward IAM at once, no subscriber leg;
 *   CFB   subscriber leg first, its REL 17 before answer -> onward leg, caller kept;
 *   CFNR  subscriber leg's ACM starts our ring timer; expiry -> REL 16 to the subscriber
 *         leg and the onward leg; an answer cancels it (never a diversion after answer).
 * Nothing is signalled back to the caller about the diversion; a failing onward leg's
 * cause goes back to the caller unchanged. Billing: forward_bill.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/forward_cdr.h"
#include "feature/cfwd/forward_int.h"
#include "isup/call.h"
#include "isup/call_leg.h"

struct forward *forward_alloc(struct loop *l, struct store *st,
			      const struct cfwd_decide_conf *conf)
{
	struct forward *fw = calloc(1, sizeof(*fw));

	if (!fw)
		return NULL;
	fw->loop = l;
	fw->store = st;
	fw->conf = *conf;
	return fw;
}

int forward_start_writer(struct forward *fw, char *err, size_t errlen)
{
	const char *path = sqlite3_db_filename(store_db(fw->store), "main");

	if (!path || !path[0]) {
		snprintf(err, errlen, "billing writer: the store has no file");
		return -EINVAL;
	}
	fw->cdr = cdr_writer_start(path, err, errlen);
	return fw->cdr ? 0 : -ECHILD;
}

void forward_free(struct forward *fw)
{
	if (!fw)
		return;
	forward_bill_flush(fw);	/* the round's records to the writer first */
	cdr_writer_stop(fw->cdr);
	fw->cdr = NULL;
	if (fw->bill_queued) {
		fw->freed = true;	/* the queued flush frees it */
		return;
	}
	free(fw);
}

const struct forward_stats *forward_stats(const struct forward *fw)
{
	return &fw->st;
}

void forward_set_announcer(struct forward *fw, forward_announce_fn fn, void *user)
{
	fw->announce = fn;
	fw->announce_user = user;
}

static enum cfwd_pres pres_of(uint8_t apri)
{
	return apri == 1 ? CFWD_PRES_RESTRICTED
			 : apri == 2 ? CFWD_PRES_UNAVAILABLE : CFWD_PRES_ALLOWED;
}

/* The decision's view of the incoming IAM (strings point into fc->in). */
static void fill_decide_facts(struct fwd_call *fc, bool rejected)
{
	const struct call_facts *f = &fc->in;
	struct cfwd_call_facts *d = &fc->df;

	memset(d, 0, sizeof(*d));
	d->calling = f->has_calling ? f->calling.digits : "";
	d->calling_pres = f->has_calling ? pres_of(f->calling.pres) : CFWD_PRES_UNAVAILABLE;
	d->caller_rejected = rejected;
	d->ri_present = f->has_ri;
	d->ri_ind = f->ri_ind;
	d->ri_orig_reason = f->ri_orig_reason;
	d->ri_counter = f->ri_counter;
	d->ri_reason = f->ri_reason;
	d->ocn = f->ocn.digits;
	d->ocn_pres = pres_of(f->ocn.pres);
	d->rgn = f->rgn.digits;
	d->rgn_pres = pres_of(f->rgn.pres);
}

static void set_num(struct call_number *n, const char *digits, uint8_t nai, enum cfwd_pres p)
{
	memset(n, 0, sizeof(*n));
	str_copy(n->digits, digits, sizeof(n->digits));
	n->nai = nai ? nai : 3;	/* national */
	n->pres = (uint8_t)p;
}

/* The onward IAM (Q.732.2): the incoming facts (calling number, its presentation and
 * screening, category, TMR) unchanged; called = forward-to; OCN, RGN and RI from r. */
static void onward_facts(const struct fwd_call *fc, const struct cfwd_redir *r,
			 struct call_facts *out)
{
	const struct call_facts *in = &fc->in;
	bool ocn_kept = in->ocn.digits[0] && !strcmp(in->ocn.digits, r->ocn);

	*out = *in;
	set_num(&out->called, r->called, 3, CFWD_PRES_ALLOWED);
	out->called_complete = true;
	set_num(&out->ocn, r->ocn, ocn_kept ? in->ocn.nai : 3, r->ocn_pres);
	set_num(&out->rgn, r->rgn, 3, r->rgn_pres);
	out->has_ri = true;
	out->ri_ind = r->ind;
	out->ri_orig_reason = r->orig_reason;
	out->ri_counter = r->counter;
	out->ri_reason = r->reason;
}

static int fwd_decide(struct fwd_call *fc, enum cfwd_leg leg, uint8_t cause,
		      struct cfwd_decision *d)
{
	fc->df.leg = leg;
	fc->df.leg_cause = cause;
	return cfwd_decide(&fc->sub, &fc->df, &fc->fw->conf, d);
}

static void count_divert(struct forward *fw, enum cfwd_why why)
{
	if (why == CFWD_WHY_CFU)
		fw->st.cfu++;
	else if (why == CFWD_WHY_CFB)
		fw->st.cfb++;
	else
		fw->st.cfnr++;
}

static void note_divert(struct fwd_call *fc, const struct cfwd_decision *d,
			struct call_facts *onward)
{
	onward_facts(fc, &d->redir, onward);
	str_copy(fc->forward_to, d->redir.called, sizeof(fc->forward_to));
	fc->diverted = true;
	count_divert(fc->fw, d->why);
	LOGP(DCALL, LOGL_INFO, "%s -> %s: %s, counter %u, ocn %s", fc->sub.number,
	     fc->forward_to, cfwd_why_name(d->why), d->redir.counter, d->redir.ocn);
}

/* --- the subscriber leg's outcomes ---------------------------------------------- */

static void fwd_ring_expired(struct timer *t, void *user)
{
	struct fwd_call *fc = user;
	struct cfwd_decision d = { 0 };
	struct call_facts onward;

	if (fc->answered || fc->diverted || !fc->call)
		return;
	if (fwd_decide(fc, CFWD_LEG_NO_REPLY, 0, &d) < 0 || d.action != CFWD_ACT_DIVERT) {
		if (d.why == CFWD_WHY_LIMIT)
			fc->fw->st.limit++;
		LOGP(DCALL, LOGL_INFO, "%s: no reply, not diverted (%s): rings on",
		     fc->sub.number, cfwd_why_name(d.why));
		return;
	}
	note_divert(fc, &d, &onward);
	fc->onward_start_s = clock_wall_s();
	call_reroute(fc->call, &onward, CAUSE_NORMAL);	/* may end the call */
}

static void fwd_alerting(void *user, struct call *call)
{
	struct fwd_call *fc = user;

	fc->call = call;
	if (!fc->diverted && fc->ring_ms && !timer_pending(&fc->ring))
		timer_schedule_ms(&fc->ring, fc->ring_ms);
}

static void fwd_answered(void *user, struct call *call)
{
	struct fwd_call *fc = user;

	timer_cancel(&fc->ring);
	fc->answered = true;
	fc->answer_s = clock_wall_s();
}

static bool fwd_out_released(void *user, struct call *call, int cause)
{
	struct fwd_call *fc = user;
	struct cfwd_decision d = { 0 };
	struct call_facts onward;

	timer_cancel(&fc->ring);
	if (fc->diverted)
		return false;	/* the forward-to leg's outcome goes back to the caller */
	if (fwd_decide(fc, CFWD_LEG_RELEASED, (uint8_t)call_map_cause(cause), &d) < 0)
		return false;
	if (d.action != CFWD_ACT_DIVERT) {
		if (d.why == CFWD_WHY_LIMIT)
			fc->fw->st.limit++;
		return false;	/* REL 17 (or the leg's own cause) to the caller */
	}
	note_divert(fc, &d, &onward);
	fc->onward_start_s = clock_wall_s();
	call_reroute(call, &onward, CAUSE_NORMAL);
	return true;
}

static void fwd_ended(void *user, struct call *call)
{
	struct fwd_call *fc = user;

	timer_cancel(&fc->ring);
	forward_bill(fc);
	free(fc);
}

static const struct call_observer fwd_observer = {
	.alerting = fwd_alerting,
	.answered = fwd_answered,
	.out_released = fwd_out_released,
	.ended = fwd_ended,
};

/* --- the IAM ------------------------------------------------------------------- */

/* Settings and rejection list for this call, from one snapshot (one read transaction:
 * its locks are a tenth of cfwdd's CPU in the CFU bench): 1 subscriber, 0 not one,
 * -errno. */
static int fwd_lookup(struct forward *fw, struct fwd_call *fc)
{
	const char *calling = fc->in.has_calling ? fc->in.calling.digits : "";
	int rejected, rc;

	rc = store_sub_get_screened(fw->store, fc->in.called.digits, calling, &fc->sub,
				    &rejected);
	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	fill_decide_facts(fc, rejected == 1);
	return 1;
}

static struct fwd_call *fwd_call_alloc(struct forward *fw, struct call_leg *in)
{
	struct fwd_call *fc = calloc(1, sizeof(*fc));

	if (!fc)
		return NULL;
	fc->fw = fw;
	fc->in = *call_leg_facts(in);
	fc->start_s = clock_wall_s();
	fc->cic = call_leg_cic(in);
	timer_setup(&fc->ring, fw->loop, fwd_ring_expired, fc);
	return fc;
}

/* Take the call with the observer; fc is freed by fwd_ended on every path. */
static void fwd_connect(struct fwd_call *fc, struct call_ctx *ctx, struct call_leg *in,
			const struct call_facts *f)
{
	call_connect_observed(ctx, in, f, &fwd_observer, fc);
}

bool forward_incoming(struct forward *fw, struct call_ctx *ctx, struct call_leg *in)
{
	struct fwd_call *fc;
	struct cfwd_decision d;
	struct call_facts onward;
	int rc;

	if (!fw->store || !call_leg_facts(in)->called.digits[0])
		return false;
	fc = fwd_call_alloc(fw, in);
	if (!fc)
		return false;
	rc = fwd_lookup(fw, fc);
	if (rc <= 0 || fwd_decide(fc, CFWD_LEG_NONE, 0, &d) < 0) {
		if (rc < 0) {
			fw->st.store_errors++;
			LOGP(DSTORE, LOGL_ERROR, "cic %u: store read failed (%d): routed plainly",
			     fc->cic, rc);
		}
		free(fc);
		return false;
	}
	fw->st.offered++;
	switch (d.action) {
	case CFWD_ACT_REJECT:
	case CFWD_ACT_RELEASE:
		if (d.action == CFWD_ACT_REJECT)
			fw->st.rejected++;
		else if (d.why == CFWD_WHY_LIMIT)
			fw->st.limit++;
		LOGP(DCALL, LOGL_INFO, "%s: %s (%s), cause %u%s", fc->sub.number,
		     cfwd_action_name(d.action), cfwd_why_name(d.why), d.cause,
		     d.announce ? " after an announcement" : "");
		if (d.action == CFWD_ACT_REJECT && d.announce && fw->announce &&
		    fw->announce(fw->announce_user, in, d.why, d.cause))
			fw->st.announced++;
		else
			call_leg_release(in, d.cause);
		free(fc);
		return true;
	case CFWD_ACT_DIVERT:
		note_divert(fc, &d, &onward);
		fc->onward_start_s = fc->start_s;
		fwd_connect(fc, ctx, in, &onward);
		return true;
	case CFWD_ACT_OFFER:
		if (d.why == CFWD_WHY_LIMIT)
			fw->st.limit++;
		if (!d.ring_ms && !d.divert_on_busy)
			break;	/* nothing armed: plain call to the subscriber */
		fc->ring_ms = d.ring_ms;
		fwd_connect(fc, ctx, in, &fc->in);
		return true;
	default:
		break;
	}
	free(fc);
	return false;
}
