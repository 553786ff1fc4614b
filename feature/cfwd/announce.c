/* feature/cfwd/announce.c - announcements to rejected callers (see announce.h): one
 * media player (media/player.h) per announced timeslot, fed by the span's received
 * blocks; the end of the prompt releases the leg with the reject cause. A guard timer
 * (prompt length + ANN_GUARD_MS) releases it anyway when no audio clock drives the
 * timeslot. An announcement is freed at the end of the loop round in which it ended. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "feature/cfwd/announce.h"
#include "isup/call_leg.h"
#include "isup/link.h"
#include "media/player.h"
#include "media/prompt_set.h"

#define ANN_GUARD_MS 3000	/* beyond the prompt's own length */

struct ann_span {
	struct tdm_span *span;
	enum dtmf_law law;
	struct ann *by_ts[TDM_TIMESLOTS_MAX + 1];
};

struct ann {
	struct announcer *a;
	struct call_leg *leg;
	struct ann_span *sp;
	unsigned ts;
	uint16_t cic;
	uint8_t cause;
	bool done;		/* the prompt has finished: release after this block */
	struct media_player player;
	struct timer guard;
};

struct announcer {
	struct loop *loop;
	const struct prompt_set *ps;
	struct ann_span **spans;
	unsigned n_spans;
	unsigned active;
	struct announcer_stats st;
};

struct announcer *announcer_alloc(struct loop *l, const struct prompt_set *ps)
{
	struct announcer *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->loop = l;
	a->ps = ps;
	return a;
}

static void ann_free_deferred(void *user)
{
	free(user);
}

void announcer_free(struct announcer *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->n_spans; i++) {
		for (unsigned ts = 0; ts <= TDM_TIMESLOTS_MAX; ts++) {
			struct ann *n = a->spans[i]->by_ts[ts];

			if (n) {
				timer_cancel(&n->guard);
				free(n);
			}
		}
		free(a->spans[i]);
	}
	free(a->spans);
	free(a);
}

int announcer_add_span(struct announcer *a, struct tdm_span *s)
{
	struct ann_span **v = realloc(a->spans, (a->n_spans + 1) * sizeof(*v));
	struct ann_span *sp;

	if (!v)
		return -ENOMEM;
	a->spans = v;
	sp = calloc(1, sizeof(*sp));
	if (!sp)
		return -ENOMEM;
	sp->span = s;
	sp->law = tdm_span_law(s) == TDM_LAW_ALAW ? DTMF_LAW_ALAW : DTMF_LAW_ULAW;
	a->spans[a->n_spans++] = sp;
	return 0;
}

static struct ann_span *span_of(const struct announcer *a, const struct tdm_span *s)
{
	for (unsigned i = 0; i < a->n_spans; i++)
		if (a->spans[i]->span == s)
			return a->spans[i];
	return NULL;
}

/* Either end: the timeslot goes quiet, the slot is free, the memory goes after the round. */
static void ann_finish(struct ann *n)
{
	struct announcer *a = n->a;

	timer_cancel(&n->guard);
	media_player_stop(&n->player);
	tdm_bearer_enable(n->sp->span, n->ts, false);
	n->sp->by_ts[n->ts] = NULL;
	a->active--;
	n->leg = NULL;
	loop_defer(a->loop, ann_free_deferred, n);
}

/* The prompt is over (or its guard expired): REL with the reject cause. */
static void ann_release(struct ann *n)
{
	LOGP(DCALL, LOGL_INFO, "cic %u: announcement over, REL %u", n->cic, n->cause);
	call_leg_release(n->leg, n->cause);
	ann_finish(n);
}

static void ann_guard_expired(struct timer *t, void *user)
{
	struct ann *n = user;

	LOGP(DCALL, LOGL_NOTICE, "cic %u: no audio clock on ts %u: releasing", n->cic, n->ts);
	n->a->st.timed_out++;
	ann_release(n);
}

static void ann_prompt_done(void *user)
{
	struct ann *n = user;

	n->done = true;		/* the block holding the prompt's end is sent first */
}

/* The caller released during the announcement (or the circuit was lost). */
static void ann_released(void *user, struct call_leg *leg, int cause)
{
	struct ann *n = user;

	LOGP(DCALL, LOGL_INFO, "cic %u: caller released during the announcement, cause %d",
	     n->cic, cause);
	n->a->st.caller_released++;
	ann_finish(n);
}

static const struct call_leg_ops ann_leg_ops = {
	.released = ann_released,
};
static const struct call_leg_ops ann_gone_ops = { 0 };

void announcer_stop(struct announcer *a)
{
	for (unsigned i = 0; i < a->n_spans; i++) {
		for (unsigned ts = 0; ts <= TDM_TIMESLOTS_MAX; ts++) {
			struct ann *n = a->spans[i]->by_ts[ts];

			if (!n)
				continue;
			call_leg_set_owner(n->leg, &ann_gone_ops, NULL);
			ann_finish(n);
		}
	}
}

static enum prompt_id ann_prompt(enum cfwd_why why)
{
	return why == CFWD_WHY_NUMBER_REQUEST ? PROMPT_NUMBER_REQUEST : PROMPT_CALL_REJECTED;
}

static struct ann *ann_new(struct announcer *a, struct ann_span *sp, struct call_leg *in,
			   enum cfwd_why why, uint8_t cause, uint64_t *ms)
{
	struct ann *n = calloc(1, sizeof(*n));
	struct prompt_seq seq;

	if (!n)
		return NULL;
	n->a = a;
	n->leg = in;
	n->sp = sp;
	n->ts = call_leg_timeslot(in);
	n->cic = call_leg_cic(in);
	n->cause = cause;
	prompt_seq_reset(&seq);
	if (media_player_init(&n->player, a->ps, sp->law, ann_prompt_done, n) < 0 ||
	    prompt_seq_add(&seq, ann_prompt(why)) < 0 ||
	    media_player_play(&n->player, &seq) < 0) {
		free(n);
		return NULL;
	}
	*ms = media_player_seq_ms(a->ps, &seq);
	timer_setup(&n->guard, a->loop, ann_guard_expired, n);
	return n;
}

bool announcer_incoming(void *user, struct call_leg *in, enum cfwd_why why, uint8_t cause)
{
	struct announcer *a = user;
	struct ann_span *sp = span_of(a, isup_link_span(call_leg_link(in)));
	unsigned ts = call_leg_timeslot(in);
	uint64_t ms = 0;
	struct ann *n;

	if (!sp || !ts || ts > TDM_TIMESLOTS_MAX || sp->by_ts[ts] ||
	    !(n = ann_new(a, sp, in, why, cause, &ms))) {
		a->st.refused++;
		return false;
	}
	call_leg_set_owner(in, &ann_leg_ops, n);
	sp->by_ts[ts] = n;
	a->active++;
	a->st.started++;
	/* never answered: no charge; the prompt is in-band information before answer */
	call_leg_alert_inband(in, CALL_CHARGE_NONE);
	tdm_bearer_enable(sp->span, ts, true);
	timer_schedule_ms(&n->guard, ms + ANN_GUARD_MS);
	LOGP(DCALL, LOGL_INFO, "cic %u ts %u: %s announcement (%llu ms), then REL %u", n->cic,
	     ts, prompt_name(ann_prompt(why)), (unsigned long long)ms, cause);
	return true;
}

bool announcer_bearer_rx(struct announcer *a, struct tdm_span *s, unsigned ts,
			 const uint8_t *blk)
{
	struct ann_span *sp = span_of(a, s);
	uint8_t out[TDM_BLOCK_BYTES];
	struct ann *n;

	(void)blk;	/* what the caller sends is not listened to */
	if (!sp || !ts || ts > TDM_TIMESLOTS_MAX || !(n = sp->by_ts[ts]))
		return false;
	media_player_tx(&n->player, out);
	tdm_bearer_write(s, ts, out);
	if (n->done) {
		a->st.completed++;
		ann_release(n);
	}
	return true;
}

unsigned announcer_active(const struct announcer *a)
{
	return a->active;
}

const struct announcer_stats *announcer_stats(const struct announcer *a)
{
	return &a->st;
}
