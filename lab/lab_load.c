/* lab/lab_load.c - offered load (cfwd-lab load): call attempts at a fixed rate for a
 * duration, numbered from_prefix/to_prefix + a 6-digit sequence; the far end answers at
 * once; each answered call is held hold_ms then released by the caller. Measures the
 * time from our IAM sent to the IAM arriving on the far span (through cfwdd) and
 * completed cycles per second. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "isup/node.h"
#include "lab/lab_int.h"

struct lab_lcall {
	struct lab_load *ld;
	struct call_leg *leg;
	struct timer hold;
	uint64_t sent_us;
	bool done;
};

struct lab_load {
	struct lab *lab;
	const struct lab_load_opts *o;
	struct lab_lcall *calls;
	unsigned n, next;
	uint64_t start_us;
	struct timer tick;
	uint32_t *lat;
	unsigned n_lat;
	struct lab_load_result *r;
	unsigned seq_base;
	unsigned waiting;	/* closed loop: calls to start once a circuit is free */
};

static void lab_load_next(struct lab_load *ld);

static void lcall_hold_over(struct timer *t, void *user)
{
	struct lab_lcall *c = user;

	if (c->leg) {
		call_leg_release(c->leg, CAUSE_NORMAL);
		c->leg = NULL;
		c->done = true;
		c->ld->r->completed++;
		lab_load_next(c->ld);
	}
}

static void lcall_answered(void *user, struct call_leg *leg)
{
	struct lab_lcall *c = user;

	c->ld->r->answered++;
	if (c->ld->o->hold_ms)
		timer_schedule_ms(&c->hold, c->ld->o->hold_ms);
	else
		lcall_hold_over(&c->hold, c);
}

static void lcall_released(void *user, struct call_leg *leg, int cause)
{
	struct lab_lcall *c = user;

	c->leg = NULL;
	c->done = true;
	c->ld->r->failed++;
	c->ld->r->last_cause = cause;
	timer_cancel(&c->hold);
	lab_load_next(c->ld);
}

static const struct call_leg_ops lcall_ops = {
	.answered = lcall_answered,
	.released = lcall_released,
};

static const struct call_leg_ops lfar_ops = { 0 };

/* The far end: answer at once and note how long the IAM took to get here. */
void lab_load_incoming(struct lab *lab, struct call_leg *leg)
{
	struct lab_load *ld = lab->load;
	const char *called = call_leg_facts(leg)->called.digits;
	size_t pl = strlen(ld->o->to_prefix);
	unsigned idx;

	call_leg_set_owner(leg, &lfar_ops, NULL);
	if (!ld->o->to_count && !strncmp(called, ld->o->to_prefix, pl)) {
		idx = (unsigned)atoi(called + pl) - ld->seq_base;
		if (idx < ld->n && ld->n_lat < ld->n)
			ld->lat[ld->n_lat++] =
				(uint32_t)(clock_now_us() - ld->calls[idx].sent_us);
	}
	call_leg_alert(leg);
	call_leg_answer(leg);
}

static void lab_load_originate(struct lab *lab, struct lab_load *ld)
{
	struct lab_lcall *c = &ld->calls[ld->next];
	char from[24], to[24];
	struct call_facts f;
	int cause;
	struct isup_link *lk;

	snprintf(from, sizeof(from), "%s%06u", ld->o->from_prefix, ld->seq_base + ld->next);
	snprintf(to, sizeof(to), "%s%06u", ld->o->to_prefix,
		 ld->o->to_count ? ld->next % ld->o->to_count : ld->seq_base + ld->next);
	lab_facts(&f, from, to, false);
	lk = lab_origin_link(lab, ld->o->via, from);
	c->ld = ld;
	timer_setup(&c->hold, lab->loop, lcall_hold_over, c);
	ld->r->attempts++;
	c->sent_us = clock_now_us();
	c->leg = lk ? call_leg_setup(lk, &f, &lcall_ops, c, &cause) : NULL;
	if (!c->leg) {
		c->done = true;
		ld->r->failed++;
		ld->r->last_cause = lk ? cause : CAUSE_UNALLOCATED;
	}
	ld->next++;
}

/* Closed loop: a finished call makes room for the next one while time remains. */
static bool lab_load_time_up(const struct lab_load *ld)
{
	return clock_now_us() - ld->start_us >= (uint64_t)ld->o->duration_ms * 1000;
}

/* Closed loop: a finished call makes room for the next one while time remains. The
 * released circuit is busy until RLC, so the next call may wait (1 ms polls) for one. */
static void lab_load_next(struct lab_load *ld)
{
	if (!ld->o->concurrent || ld->next >= ld->n || lab_load_time_up(ld))
		return;
	ld->waiting++;
	if (!timer_pending(&ld->tick))
		timer_schedule_us(&ld->tick, 0);
}

static void lab_load_start_waiting(struct lab *lab, struct lab_load *ld)
{
	struct isup_link *lk = lab_origin_link(lab, ld->o->via, ld->o->from_prefix);

	while (ld->waiting && ld->next < ld->n && !lab_load_time_up(ld) && lk &&
	       cic_pool_available(isup_link_cics(lk))) {
		ld->waiting--;
		lab_load_originate(lab, ld);
	}
	if (ld->waiting && ld->next < ld->n && !lab_load_time_up(ld))
		timer_schedule_us(&ld->tick, 1000);
	else
		ld->waiting = 0;
}

static void lab_load_tick(struct timer *t, void *user)
{
	struct lab *lab = user;
	struct lab_load *ld = lab->load;
	uint64_t el = clock_now_us() - ld->start_us;
	uint64_t due = el * ld->o->rate / 1000000 + 1;

	if (ld->o->concurrent) {
		lab_load_start_waiting(lab, ld);
		return;
	}
	while (ld->next < ld->n && ld->next < due)
		lab_load_originate(lab, ld);
	if (ld->next < ld->n)
		timer_schedule_us(t, 1000);
}

static bool lab_load_over(struct lab *lab)
{
	struct lab_load *ld = lab->load;
	bool time_up = lab_load_time_up(ld);

	if (ld->next < ld->n && !(ld->o->concurrent && time_up))
		return false;
	if (ld->waiting)
		return false;
	for (unsigned i = 0; i < lab->node->n_links; i++)
		if (isup_link_legs(lab->node->links[i]))
			return false;
	return true;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int lab_load(struct lab *lab, const struct lab_load_opts *o, struct lab_load_result *r)
{
	struct lab_load ld = { .lab = lab, .o = o, .r = r };
	uint64_t el;

	memset(r, 0, sizeof(*r));
	/* closed loop: room for up to 100 000 cycles per second */
	ld.n = (unsigned)((uint64_t)(o->concurrent ? 100000 : o->rate) * o->duration_ms / 1000);
	ld.seq_base = (unsigned)(clock_now_us() % 500000);
	ld.calls = calloc(ld.n ? ld.n : 1, sizeof(*ld.calls));
	ld.lat = calloc(ld.n ? ld.n : 1, sizeof(*ld.lat));
	if (!ld.calls || !ld.lat)
		return 1;
	lab->load = &ld;
	ld.start_us = clock_now_us();
	timer_setup(&ld.tick, lab->loop, lab_load_tick, lab);
	if (o->concurrent) {
		for (unsigned i = 0; i < o->concurrent && ld.next < ld.n; i++)
			lab_load_originate(lab, &ld);
	} else {
		timer_schedule_us(&ld.tick, 0);
	}
	lab_run_until(lab, lab_load_over, o->duration_ms + o->hold_ms + 10000);
	el = clock_now_us() - ld.start_us;
	timer_cancel(&ld.tick);
	for (unsigned i = 0; i < ld.next; i++) {
		struct lab_lcall *c = &ld.calls[i];

		timer_cancel(&c->hold);
		if (c->leg) {	/* still up when time ran out: failed, released, and no
				 * longer ours (the array is freed below) */
			call_leg_set_owner(c->leg, &lfar_ops, NULL);
			call_leg_release(c->leg, CAUSE_NORMAL);
			c->leg = NULL;
			r->failed++;
		}
	}
	r->rate = el ? (double)r->completed * 1e6 / (double)el : 0;
	if (ld.n_lat) {
		qsort(ld.lat, ld.n_lat, sizeof(*ld.lat), cmp_u32);
		r->p50_us = ld.lat[ld.n_lat / 2];
		r->p99_us = ld.lat[(size_t)ld.n_lat * 99 / 100];
		r->max_us = ld.lat[ld.n_lat - 1];
	}
	lab->load = NULL;
	free(ld.calls);
	free(ld.lat);
	return r->completed == r->attempts ? 0 : 1;	/* every attempt answered and done */
}
