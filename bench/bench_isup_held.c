/* bench/bench_isup_held.c - bench-isup's held-480 run: cfwdd (a process) on a generated
 * topology of HELD_SPANS E1 sim spans a side, this program playing both neighbouring
 * exchanges. HELD_CALLS CFU calls (caller leg on local1..16, onward leg on transit1..16,
 * answered at once) are held up: every circuit of 16 E1s a side, 960 circuits, their
 * bearers cross-connected by cfwdd. The forwarded-call rate on the spare pair
 * (local17 -> transit17, HELD_CYCLING calls cycling, store read per call) is measured
 * with nothing held, then while the calls are held. Prints its lines; never fails on a
 * figure. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "bench/bench_isup_common.h"
#include "bench/bench_isup_held.h"
#include "core/clock.h"
#include "core/conf.h"
#include "core/loop.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/node.h"
#include "lab/lab_int.h"

#define HELD_SPANS 17		/* a side: 16 held full + 1 measured on */
#define HELD_FULL 16
#define HELD_PER_SPAN 30	/* E1: timeslots 1-15, 17-31 */
#define HELD_CALLS (HELD_FULL * HELD_PER_SPAN)	/* 480 */
#define HELD_SUBS (HELD_SPANS * HELD_PER_SPAN)
#define HELD_CYCLING 16		/* closed loop on the spare pair */
#define HELD_SLOTS (HELD_CALLS + HELD_CYCLING)
#define HELD_RUN_MS 3000

struct hd;

struct hd_call {
	struct hd *d;
	struct call_leg *leg;
	bool keep;		/* a held call: stays up when answered */
};

struct hd {
	struct loop *loop;
	struct conf *conf;
	struct isup_node *node;
	struct isup_link *local[HELD_SPANS];
	struct hd_call calls[HELD_SLOTS];
	struct timer retry;
	unsigned held, seq, pending;
	bool running;
	uint64_t completed, failed;
};

/* Subscriber i forwards unconditionally to 0398KK....: K = i % HELD_SPANS, the
 * forward-to route transitK+1. */
static void hd_sub(unsigned i, char *sub, char *to, size_t len)
{
	snprintf(sub, len, "0312%06u", i);
	snprintf(to, len, "0398%02u%04u", i % HELD_SPANS, i);
}

static void hd_cycle(struct hd *d);

static void hd_answered(void *user, struct call_leg *leg)
{
	struct hd_call *c = user;

	if (c->keep) {
		c->d->held++;
		return;
	}
	call_leg_release(leg, CAUSE_NORMAL);
	c->leg = NULL;
	c->d->completed++;
	c->d->pending++;
	hd_cycle(c->d);
}

static void hd_released(void *user, struct call_leg *leg, int cause)
{
	struct hd_call *c = user;

	c->leg = NULL;
	c->d->failed++;
	if (!c->keep) {
		c->d->pending++;
		hd_cycle(c->d);
	}
}

static const struct call_leg_ops hd_caller_ops = {
	.answered = hd_answered,
	.released = hd_released,
};

/* One forwarded call from local(K+1) to a subscriber forwarding to transit(K+1).
 * false when no circuit is free yet. */
static bool hd_originate(struct hd *d, struct hd_call *c, unsigned k, unsigned m, bool keep)
{
	char from[24], sub[24], to[24];
	struct call_facts f;
	int cause;

	if (!cic_pool_available(isup_link_cics(d->local[k])))
		return false;
	hd_sub(k + HELD_SPANS * (m % HELD_PER_SPAN), sub, to, sizeof(sub));
	snprintf(from, sizeof(from), "0311%06u", d->seq++ % 1000000);
	lab_facts(&f, from, sub, false);
	c->d = d;
	c->keep = keep;
	c->leg = call_leg_setup(d->local[k], &f, &hd_caller_ops, c, &cause);
	if (!c->leg) {
		d->failed++;
		return cause != CAUSE_NO_CIRCUIT;
	}
	return true;
}

/* The closed loop on the spare pair: start what is pending, retry later without a
 * circuit (the last one is still awaiting its RLC). */
static void hd_cycle(struct hd *d)
{
	while (d->running && d->pending) {
		struct hd_call *c = &d->calls[HELD_CALLS];
		unsigned i = 0;

		while (i < HELD_CYCLING && c[i].leg)
			i++;
		if (i == HELD_CYCLING || !hd_originate(d, &c[i], HELD_SPANS - 1, d->seq, false))
			break;
		d->pending--;
	}
	if (d->running && d->pending && !timer_pending(&d->retry))
		timer_schedule_ms(&d->retry, 1);
}

static void hd_retry(struct timer *t, void *user)
{
	hd_cycle(user);
}

static void hd_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	bench_far_answer(leg);
}

static const struct isup_node_owner hd_owner = {
	.link = { .incoming = hd_incoming },
};

static int hd_wait(struct hd *d, bool (*cond)(struct isup_node *), uint64_t ms)
{
	return bench_node_wait(d->loop, d->node, cond, ms);
}

static bool hd_cycled(struct hd *d)
{
	for (unsigned i = HELD_CALLS; i < HELD_SLOTS; i++)
		if (d->calls[i].leg)
			return false;
	return cic_pool_available(isup_link_cics(d->local[HELD_SPANS - 1])) == HELD_PER_SPAN;
}

/* Forwarded calls/s on the spare pair over HELD_RUN_MS. */
static double hd_rate(struct hd *d)
{
	uint64_t t0 = clock_now_us(), end = clock_now_ms() + HELD_RUN_MS;
	double rate;

	d->completed = d->failed = 0;
	d->running = true;
	d->pending = HELD_CYCLING;
	hd_cycle(d);
	while (clock_now_ms() < end)
		loop_run_once(d->loop, 1);
	rate = (double)d->completed * 1e6 / (double)(clock_now_us() - t0);
	d->running = false;
	d->pending = 0;
	timer_cancel(&d->retry);
	end = clock_now_ms() + 3000;	/* the last cycling calls end */
	while (!hd_cycled(d) && clock_now_ms() < end)
		loop_run_once(d->loop, 10);
	return rate;
}

/* Set up HELD_CALLS calls, 30 per pair of the 16 full spans, and keep them. */
static int hd_hold(struct hd *d)
{
	uint64_t end = clock_now_ms() + 30000;
	unsigned n = 0;

	d->held = 0;
	while (d->held < HELD_CALLS && clock_now_ms() < end) {
		bool more = n < HELD_CALLS && n - d->held < 16;

		if (more && hd_originate(d, &d->calls[n], n % HELD_FULL, n / HELD_FULL, true))
			n++;
		loop_run_once(d->loop, more ? 0 : 1);
	}
	return d->held == HELD_CALLS ? 0 : -1;
}

static void hd_release_all(struct hd *d)
{
	for (unsigned i = 0; i < HELD_SLOTS; i++) {
		if (d->calls[i].leg) {
			call_leg_release(d->calls[i].leg, CAUSE_NORMAL);
			d->calls[i].leg = NULL;
		}
	}
	hd_wait(d, bench_node_idle, 5000);
}

/* --- setup -------------------------------------------------------------------- */

static int hd_open(struct hd *d, const char *dir)
{
	char err[256], path[PATH_MAX], name[16];

	snprintf(path, sizeof(path), "%s/held-lab.conf", dir);
	d->loop = loop_alloc();
	d->conf = d->loop ? conf_load(path, err, sizeof(err)) : NULL;
	if (!d->conf)
		return -1;
	d->node = isup_node_open(d->loop, d->conf, &hd_owner, d, err, sizeof(err));
	if (!d->node) {
		fprintf(stderr, "bench-isup held: %s\n", err);
		return -1;
	}
	for (unsigned k = 0; k < HELD_SPANS; k++) {
		snprintf(name, sizeof(name), "local%u", k + 1);
		d->local[k] = isup_node_link(d->node, name);
		if (!d->local[k])
			return -1;
	}
	timer_setup(&d->retry, d->loop, hd_retry, d);
	if (hd_wait(d, bench_node_up, 20000) < 0 || hd_wait(d, bench_node_idle, 5000) < 0) {
		fprintf(stderr, "bench-isup held: links not up\n");
		return -1;
	}
	return 0;
}

static void hd_close(struct hd *d)
{
	if (d->loop)
		timer_cancel(&d->retry);
	isup_node_close(d->node);
	if (d->loop)
		loop_run_once(d->loop, 0);
	conf_free(d->conf);
	loop_free(d->loop);
}

int bench_isup_held(const char *self)
{
	char dir[] = "/tmp/bench-held.XXXXXX", db[PATH_MAX];
	char conf[PATH_MAX], ctl[PATH_MAX];
	struct hd *d = calloc(1, sizeof(*d));
	double empty = 0, held = 0;
	pid_t pid = -1;
	int rc = 1;

	if (!d || !mkdtemp(dir)) {
		free(d);
		return 1;
	}
	snprintf(db, sizeof(db), "%s/held.db", dir);
	snprintf(conf, sizeof(conf), "%s/held-cfwd.conf", dir);
	snprintf(ctl, sizeof(ctl), "%s/held-ctl", dir);
	if (bench_write_topology(dir, "held-", HELD_SPANS, 2) < 0 ||
	    bench_provision_cfu(db, HELD_SUBS, hd_sub, "held") < 0)
		goto out;
	pid = bench_cfwdd_start(self, conf, db, ctl);
	usleep(300000);
	if (hd_open(d, dir) < 0)
		goto out;
	empty = hd_rate(d);
	if (hd_hold(d) == 0) {
		held = hd_rate(d);
		rc = 0;
	}
	printf("isup cfu held-480: %.0f forwarded calls/s on the spare E1 pair with %u calls "
	       "held (%u of %u circuits, %d E1s a side), %.0f with none held%s\n", held,
	       d->held, 2 * d->held, 2 * HELD_SPANS * HELD_PER_SPAN, HELD_SPANS, empty,
	       rc ? " (holding failed)" : "");
	printf("isup cfu held-480 rate vs empty: %.0f %%\n", empty > 0 ? 100.0 * held / empty : 0);
	hd_release_all(d);
out:
	hd_close(d);
	free(d);
	bench_cfwdd_stop(pid);
	bench_rmdir(dir);
	return rc;
}
