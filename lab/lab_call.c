/* lab/lab_call.c - one lab call (cfwd-lab call): the caller side originates with the
 * given facts, holds after answer (sending DTMF audio, recording what it hears), then
 * releases; the far side answers, rejects busy/unallocated, or rings forever. The run
 * ends when every leg of every linkset is gone. --play-pattern: lab/lab_pattern.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "isup/call.h"
#include "isup/node.h"
#include "isup/route.h"
#include "lab/lab_int.h"
#include "pri/pri_call.h"
#include "lab/ladder.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tdm-dtmf/wav.h"

/* --- far end ------------------------------------------------------------------ */

static void far_released(void *user, struct call_leg *leg, int cause)
{
	struct lab_far_leg *f = user;

	f->leg = NULL;
	f->used = false;
	timer_cancel(&f->ring);
	if (f == f->lab->pat_far) {
		f->lab->pat_far = NULL;
		timer_cancel(&f->lab->pat_tick);
	}
	if (f->echo || f->playing)
		tdm_bearer_enable(f->span, f->ts, false);
	f->echo = false;
	f->playing = false;
}

static const struct call_leg_ops far_ops = {
	.released = far_released,
};

static void far_answer(struct timer *t, void *user)
{
	struct lab_far_leg *f = user;

	if (!f->leg)
		return;
	struct lab *lab = f->lab;

	if (lab->co && lab->co->far == LAB_FAR_ECHO) {
		f->span = call_leg_span(f->leg);
		f->ts = call_leg_timeslot(f->leg);
		f->echo = tdm_bearer_enable(f->span, f->ts, true) == 0;
	} else if (lab->co && lab->co->pattern && !lab->pat_far &&
		   lab_pattern_start(lab, 1) == 0) {
		/* the first far end to answer plays pattern_seed + 1 and listens */
		f->span = call_leg_span(f->leg);
		f->ts = call_leg_timeslot(f->leg);
		f->playing = tdm_bearer_enable(f->span, f->ts, true) == 0;
		if (f->playing) {
			lab->pat_far = f;
			timer_schedule_ms(&lab->pat_tick, 200);
		}
	}
	call_leg_answer(f->leg);
}

static void far_pattern_tick(struct timer *t, void *user)
{
	struct lab *lab = user;
	struct lab_far_leg *f = lab->pat_far;

	if (!f)
		return;
	lab_pattern_fill(lab, 1, f->span, f->ts);
	timer_schedule_ms(&lab->pat_tick, TDM_BLOCK_MS);
}

int lab_far_at_add(struct lab *lab, const char *spec)
{
	const char *eq = strchr(spec, '=');
	struct lab_far_at *a = &lab->far_at[lab->n_far_at];
	char mode[16];
	const char *colon;

	if (!eq || lab->n_far_at == LAB_FAR_AT_MAX || (size_t)(eq - spec) >= sizeof(a->number))
		return -EINVAL;
	memset(a, 0, sizeof(*a));
	memcpy(a->number, spec, (size_t)(eq - spec));
	colon = strchr(eq + 1, ':');
	str_copy(mode, eq + 1, MIN(sizeof(mode), colon ? (size_t)(colon - eq) : sizeof(mode)));
	a->ring_ms = colon ? (unsigned)atoi(colon + 1) : 300;
	a->loop = !strcmp(mode, "loop");
	if (!a->loop && lab_far_parse(mode, &a->far) < 0)
		return -EINVAL;
	if (a->loop && !lab->tandem) {
		char err[128];
		struct route_table *t = route_table_load(lab->conf, err, sizeof(err));

		lab->tandem = call_ctx_alloc(lab->loop);
		if (!t || !lab->tandem)
			return -EINVAL;
		call_ctx_set_routes(lab->tandem, t);
		for (unsigned i = 0; i < lab->node->n_links; i++)
			call_ctx_add_link(lab->tandem, lab->node->links[i]);
	}
	lab->n_far_at++;
	return 0;
}

static const struct lab_far_at *far_at_find(const struct lab *lab, const char *called)
{
	for (unsigned i = 0; i < lab->n_far_at; i++)
		if (!strcmp(lab->far_at[i].number, called))
			return &lab->far_at[i];
	return NULL;
}

void lab_far_incoming(struct lab *lab, struct call_leg *leg)
{
	struct lab_far_leg *f = NULL;
	enum lab_far far = lab->co ? lab->co->far : LAB_FAR_ANSWER;
	unsigned ring_ms = lab->co ? lab->co->ring_ms : 0;
	const struct lab_far_at *at = far_at_find(lab, call_leg_facts(leg)->called.digits);

	if (at && at->loop) {
		call_connect(lab->tandem, leg, call_leg_facts(leg));
		return;
	}
	if (at) {
		far = at->far;
		ring_ms = at->ring_ms;
	}

	for (unsigned i = 0; i < LAB_FAR_MAX && !f; i++)
		if (!lab->far[i].used)
			f = &lab->far[i];
	if (!f || far == LAB_FAR_BUSY || far == LAB_FAR_UNALLOCATED) {
		call_leg_release(leg, far == LAB_FAR_UNALLOCATED ? CAUSE_UNALLOCATED
								 : CAUSE_USER_BUSY);
		return;
	}
	f->used = true;
	f->lab = lab;
	f->leg = leg;
	call_leg_set_owner(leg, &far_ops, f);
	call_leg_alert(leg);
	if (far == LAB_FAR_ANSWER || far == LAB_FAR_ECHO) {
		timer_setup(&f->ring, lab->loop, far_answer, f);
		timer_schedule_ms(&f->ring, ring_ms);
	}
}

/* --- caller side ---------------------------------------------------------------- */

static void orig_end(struct lab_orig *o, int cause)
{
	o->leg = NULL;
	o->done = true;
	o->cause = cause;
	timer_cancel(&o->hold);
	timer_cancel(&o->abandon);
}

static void orig_hold_over(struct timer *t, void *user)
{
	struct lab_orig *o = user;

	if (o->leg)
		call_leg_release(o->leg, CAUSE_NORMAL);
	orig_end(o, CAUSE_NORMAL);
}

static void orig_abandon(struct timer *t, void *user)
{
	struct lab_orig *o = user;

	if (o->leg && !o->answered) {
		call_leg_release(o->leg, CAUSE_NORMAL);
		orig_end(o, CAUSE_NORMAL);
	}
}

/* Next DTMF block into lab->dtmf_blk; false when the digits are all sent. */
static bool dtmf_next_block(struct lab *lab)
{
	int16_t pcm[TDM_BLOCK_BYTES];
	size_t n = dtmf_gen_tx(lab->dtmf, pcm, TDM_BLOCK_BYTES);

	if (!n)
		return false;
	for (size_t i = n; i < TDM_BLOCK_BYTES; i++)
		pcm[i] = 0;
	if (tdm_span_law(lab->rec_span) == TDM_LAW_ALAW)
		g711_alaw_encode_buf(lab->dtmf_blk, pcm, TDM_BLOCK_BYTES);
	else
		g711_ulaw_encode_buf(lab->dtmf_blk, pcm, TDM_BLOCK_BYTES);
	lab->dtmf_pending = true;
	return true;
}

/* Every 20 ms: keep the timeslot's send queue a few blocks ahead with DTMF audio, so
 * that timer jitter on a busy machine never leaves a gap inside a tone. */
static void orig_tick(struct timer *t, void *user)
{
	struct lab *lab = user;

	if (!lab->orig[0].leg)
		return;
	if (!lab->dtmf) {
		lab_pattern_fill(lab, 0, lab->rec_span, lab->rec_ts);
		timer_schedule_ms(&lab->tick, TDM_BLOCK_MS);
		return;
	}
	for (int k = 0; k < 4; k++) {
		if (!lab->dtmf_pending && !dtmf_next_block(lab))
			return;		/* all digits queued */
		if (tdm_bearer_write(lab->rec_span, lab->rec_ts, lab->dtmf_blk) < 0)
			break;		/* queue full: this block goes next time */
		lab->dtmf_pending = false;
	}
	timer_schedule_ms(&lab->tick, TDM_BLOCK_MS);
}

static void orig_answered(void *user, struct call_leg *leg)
{
	struct lab_orig *o = user;
	struct lab *lab = o->lab;

	o->answered = true;
	timer_cancel(&o->abandon);
	timer_schedule_ms(&o->hold, lab->co->hold_ms);
	if (o == &lab->orig[0] && (lab->dtmf || lab->co->pattern))
		timer_schedule_ms(&lab->tick, 200);	/* a moment after answer */
}

static void orig_released(void *user, struct call_leg *leg, int cause)
{
	orig_end(user, cause);
}

static const struct call_leg_ops orig_ops = {
	.answered = orig_answered,
	.released = orig_released,
};

static bool lab_call_over(struct lab *lab)
{
	if (lab->timed_out)
		return true;
	for (unsigned i = 0; i < lab->n_orig; i++)
		if (!lab->orig[i].done)
			return false;
	for (unsigned i = 0; i < lab->node->n_links; i++)
		if (isup_link_legs(lab->node->links[i]))
			return false;
	return true;
}

static void lab_timeout(struct timer *t, void *user)
{
	struct lab *lab = user;

	fprintf(stderr, "cfwd-lab: timeout\n");
	lab->timed_out = true;
}

static void lab_call_facts(const struct lab_call_opts *o, struct call_facts *f)
{
	lab_facts(f, o->from, o->to, o->restricted);
	if (o->redirected_from) {
		struct call_number n = { .nai = 3 };

		str_copy(n.digits, o->redirected_from, sizeof(n.digits));
		f->ocn = n;
		f->rgn = n;
		f->has_ri = true;
		f->ri_ind = 3;		/* call diverted */
		f->ri_orig_reason = 3;	/* unconditional */
		f->ri_counter = (uint8_t)(o->counter ? o->counter : 1);
		f->ri_reason = 3;
	}
}

static bool lab_never(struct lab *lab)
{
	return false;
}

/* Let the last messages (RLC) leave and be seen before the process exits. */
static void lab_linger(struct lab *lab)
{
	lab_run_until(lab, lab_never, 150);
}

static int lab_write_record(struct lab *lab, const char *path)
{
	uint8_t hdr[WAV_HEADER_MAX];
	enum dtmf_law law = tdm_span_law(lab->rec_span) == TDM_LAW_ALAW ? DTMF_LAW_ALAW
									   : DTMF_LAW_ULAW;
	size_t h = wav_header(hdr, law, lab->rec_len);
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return -1;
	if (fwrite(hdr, 1, h, f) != h || fwrite(lab->rec, 1, lab->rec_len, f) != lab->rec_len)
		rc = -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

static int lab_originate(struct lab *lab, struct isup_link *lk, uint16_t cic,
			 const struct call_facts *f)
{
	struct lab_orig *o = &lab->orig[lab->n_orig];
	int cause;

	o->lab = lab;
	timer_setup(&o->hold, lab->loop, orig_hold_over, o);
	timer_setup(&o->abandon, lab->loop, orig_abandon, o);
	o->leg = call_leg_setup_on(lk, cic, f, &orig_ops, o, &cause);
	if (!o->leg) {
		fprintf(stderr, "cfwd-lab: cannot originate on %s: cause %d\n",
			isup_link_name(lk), cause);
		return -1;
	}
	lab->n_orig++;
	if (lab->co->abandon_ms)
		timer_schedule_ms(&o->abandon, lab->co->abandon_ms);
	return 0;
}

/* The caller on a PRI trunk (the [route] or --via names one): a SETUP. */
static int lab_originate_pri(struct lab *lab, const struct lab_call_opts *o,
			     const struct call_facts *f)
{
	struct lab_orig *o0 = &lab->orig[lab->n_orig];
	int cause = 0;

	o0->lab = lab;
	timer_setup(&o0->hold, lab->loop, orig_hold_over, o0);
	timer_setup(&o0->abandon, lab->loop, orig_abandon, o0);
	o0->leg = lab_setup_leg(lab, o->via, o->from, f, &orig_ops, o0, &cause);
	if (!o0->leg) {
		fprintf(stderr, "cfwd-lab: cannot originate on PRI: cause %d\n", cause);
		return -1;
	}
	lab->n_orig++;
	if (lab->co->abandon_ms)
		timer_schedule_ms(&o0->abandon, lab->co->abandon_ms);
	return 0;
}

static int lab_call_start(struct lab *lab, const struct lab_call_opts *o)
{
	struct isup_link *lk = lab_origin_link(lab, o->via, o->from);
	const char *name = o->via ? o->via : route_lookup(lab->routes, o->from);
	bool pri = name && pri_calls_trunk(lab->pri, name);
	struct call_facts f;

	if (!lk && !pri) {
		fprintf(stderr, "cfwd-lab: no linkset to originate %s on\n", o->from);
		return -1;
	}
	lab_call_facts(o, &f);
	if (pri ? lab_originate_pri(lab, o, &f) < 0 : lab_originate(lab, lk, o->cic, &f) < 0)
		return -1;
	lab->rec_span = call_leg_span(lab->orig[0].leg);
	lab->rec_ts = call_leg_timeslot(lab->orig[0].leg);
	tdm_bearer_enable(lab->rec_span, lab->rec_ts, true);
	if (o->cross_cic) {
		/* the reverse call goes out on the linkset our call leaves cfwdd by, on
		 * the same CIC, when cfwdd's IAM arrives (lab_cross_seen) */
		lab->cross_link = lab_origin_link(lab, NULL, o->to);
		lab->cross_pending = lab->cross_link != NULL;
	}
	return 0;
}

static void lab_cross_go(void *user)
{
	struct lab *lab = user;
	struct call_facts f;

	lab_facts(&f, lab->co->to, lab->co->from, false);
	lab_originate(lab, lab->cross_link, lab->co->cross_cic, &f);
}

/* cfwdd's IAM is on the wire towards our libss7, which has not read it yet: seize the
 * same circuit now (after this dispatch round, before the next poll), so that both
 * IAMs cross - a dual seizure every time. */
void lab_cross_seen(struct lab *lab, struct isup_link *lk, uint16_t cic)
{
	if (lk != lab->cross_link || cic != lab->co->cross_cic)
		return;
	lab->cross_pending = false;
	loop_defer(lab->loop, lab_cross_go, lab);
}

int lab_call(struct lab *lab, const struct lab_call_opts *o)
{
	int rc = 0;

	lab->co = o;
	timer_setup(&lab->tick, lab->loop, orig_tick, lab);
	timer_setup(&lab->timeout, lab->loop, lab_timeout, lab);
	timer_setup(&lab->pat_tick, lab->loop, far_pattern_tick, lab);
	if (o->pattern && (o->dtmf || lab_pattern_start(lab, 0) < 0)) {
		fprintf(stderr, "cfwd-lab: --play-pattern %s\n",
			o->dtmf ? "and --dtmf exclude each other" : ": out of memory");
		return 2;
	}
	if (o->dtmf) {
		lab->dtmf = dtmf_gen_alloc(NULL);
		if (!lab->dtmf || dtmf_gen_put(lab->dtmf, o->dtmf) < 0) {
			fprintf(stderr, "cfwd-lab: bad --dtmf '%s'\n", o->dtmf);
			return 2;
		}
	}
	if (o->record && !(lab->rec = malloc(LAB_REC_MAX)))
		return 1;
	if (lab_call_start(lab, o) < 0)
		return 1;
	timer_schedule_ms(&lab->timeout, o->timeout_ms);
	lab_run_until(lab, lab_call_over, (uint64_t)o->timeout_ms + 1000);
	timer_cancel(&lab->timeout);
	lab_linger(lab);
	timer_cancel(&lab->tick);
	timer_cancel(&lab->pat_tick);
	if (o->pattern)
		lab_pattern_report(lab);
	for (unsigned i = 0; i < lab->n_orig; i++) {
		timer_cancel(&lab->orig[i].hold);
		timer_cancel(&lab->orig[i].abandon);
	}
	if (lab->timed_out || !lab_call_over(lab))
		rc = 1;
	if (o->record && lab_write_record(lab, o->record) < 0) {
		fprintf(stderr, "cfwd-lab: cannot write %s\n", o->record);
		rc = 1;
	}
	if (lab->lad && ladder_finish(lab->lad) > 0)
		rc = 1;
	for (unsigned i = 0; i < lab->n_orig; i++)
		fprintf(stderr, "cfwd-lab: call %s -> %s: %s, cause %d\n",
			i ? o->to : o->from, i ? o->from : o->to,
			lab->orig[i].answered ? "answered" : "not answered", lab->orig[i].cause);
	dtmf_gen_free(lab->dtmf);
	lab->dtmf = NULL;
	return rc;
}
