/* bench/bench_isup_cfu.c - CFU through cfwdd as a process, with this program playing
 * both neighbouring exchanges on sim spans (conf/lab.conf): callers on "local" call
 * subscribers 0312000000.. that forward unconditionally to 0398000000.. on "transit",
 * where the far end answers at once; the caller releases at answer. One forwarded call
 * = two legs, each IAM->ACM->ANM->REL->RLC, with cfwdd reading the store for it.
 * Runs: 12 calls cycling (closed loop; as the tandem, bench_isup.c) for the rate; 1,000 calls/s offered for the
 * latency from our IAM sent on local to the onward IAM received on transit (two sim
 * span hops included), matched by the calling number, which CFU keeps. */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/bench_isup_cfu.h"
#include "bench/bench_isup_common.h"
#include "bench/bench_isup_held.h"
#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "feature/cfwd/store.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/node.h"
#include "lab/lab_int.h"

#define CFU_SUBS 200
#define CFU_CONCURRENT 12	/* closed loop (why 12: RAW_CALLS, bench_isup.c) */
#define CFU_CALLS 160		/* caller legs in flight or held at most */
#define CFU_SPANS 4		/* held-call topology: spans per side (96 calls held) */
#define CFU_HELD 96		/* held forwarded calls there: 192 of 240 circuits */
#define CFU_IN_MAX 8
#define CFU_SLOTS 65536		/* sent times by caller sequence number */
#define CFU_LAT_MAX 20000

struct cfu_drv;

struct cfu_call {
	struct cfu_drv *d;
	struct call_leg *leg;
};

struct cfu_drv {
	struct loop *loop;
	struct conf *conf;
	struct isup_node *node;
	struct isup_link *in_lk[CFU_IN_MAX];	/* the callers' linksets ("local*") */
	unsigned n_in;
	bool hold;		/* answered calls stay up (held-call run) */
	unsigned held;
	struct cfu_call calls[CFU_CALLS];
	unsigned seq, pending;	/* pending: closed-loop starts waiting for a circuit */
	bool closed, running;
	uint64_t *sent_us;
	uint32_t *lat;
	unsigned n_lat;
	uint64_t attempts, completed, failed;
	struct timer retry;
};

static void cfu_start(struct cfu_drv *d);

static void cfu_next(struct cfu_drv *d)
{
	if (d->closed && d->running) {
		d->pending++;
		cfu_start(d);
	}
}

static void caller_answered(void *user, struct call_leg *leg)
{
	struct cfu_call *c = user;

	if (c->d->hold) {
		c->d->held++;
		return;
	}
	call_leg_release(leg, CAUSE_NORMAL);
	c->leg = NULL;
	c->d->completed++;
	cfu_next(c->d);
}

static void caller_released(void *user, struct call_leg *leg, int cause)
{
	struct cfu_call *c = user;

	c->leg = NULL;
	c->d->failed++;
	cfu_next(c->d);
}

static const struct call_leg_ops caller_ops = {
	.answered = caller_answered,
	.released = caller_released,
};

static struct cfu_call *cfu_free_slot(struct cfu_drv *d)
{
	for (unsigned i = 0; i < CFU_CALLS; i++)
		if (!d->calls[i].leg)
			return &d->calls[i];
	return NULL;
}

/* Originate one forwarded call; false when no circuit or slot is free yet. */
static bool cfu_originate(struct cfu_drv *d)
{
	struct cfu_call *c = cfu_free_slot(d);
	struct isup_link *lk = NULL;
	char from[24], to[24];
	struct call_facts f;
	int cause;

	for (unsigned i = 0; i < d->n_in && !lk; i++) {
		struct isup_link *l = d->in_lk[(d->seq + i) % d->n_in];

		if (cic_pool_available(isup_link_cics(l)))
			lk = l;
	}
	if (!c || !lk)
		return false;
	snprintf(from, sizeof(from), "0311%06u", d->seq % 1000000);
	snprintf(to, sizeof(to), "0312%06u", d->seq % CFU_SUBS);
	lab_facts(&f, from, to, false);
	c->d = d;
	d->sent_us[d->seq % CFU_SLOTS] = clock_now_us();
	c->leg = call_leg_setup(lk, &f, &caller_ops, c, &cause);
	d->seq++;
	d->attempts++;
	if (!c->leg) {
		d->failed++;
		return cause != CAUSE_NO_CIRCUIT;
	}
	return true;
}

static void cfu_start(struct cfu_drv *d)
{
	while (d->pending && cfu_originate(d))
		d->pending--;
	if (d->pending && !timer_pending(&d->retry))
		timer_schedule_ms(&d->retry, 1);
}

static void cfu_retry(struct timer *t, void *user)
{
	cfu_start(user);
}

/* The forward-to's exchange: note the latency, answer at once. */
static void cfu_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct cfu_drv *d = user;
	const struct call_facts *f = call_leg_facts(leg);
	unsigned seq = (unsigned)atoi(f->calling.digits + 4);

	if (f->has_ri && d->n_lat < CFU_LAT_MAX && d->sent_us[seq % CFU_SLOTS])
		d->lat[d->n_lat++] = (uint32_t)(clock_now_us() - d->sent_us[seq % CFU_SLOTS]);
	bench_far_answer(leg);
}

static const struct isup_node_owner cfu_owner = {
	.link = { .incoming = cfu_incoming },
};

static void cfu_run_ms(struct cfu_drv *d, uint64_t ms)
{
	uint64_t end = clock_now_ms() + ms;

	while (clock_now_ms() < end)
		loop_run_once(d->loop, 1);
}

static int cfu_wait(struct cfu_drv *d, bool (*cond)(struct isup_node *), uint64_t ms)
{
	return bench_node_wait(d->loop, d->node, cond, ms);
}

/* --- setup -------------------------------------------------------------------- */

/* Subscriber i forwards unconditionally to 0398K....: K = i % CFU_SPANS (the held-call
 * topology's route transitK+1; conf/lab.conf routes all of 0398 to transit). */
static void cfu_sub(unsigned i, char *sub, char *to, size_t len)
{
	snprintf(sub, len, "0312%06u", i);
	snprintf(to, len, "0398%u%05u", i % CFU_SPANS, i);
}

/* Ask the running cfwdd (cfwdd --query LINE); the first line starting with key into
 * out. 0 or -1. */
static int cfu_query(const char *self, const char *ctl, const char *line, const char *key,
		     char *out, size_t len)
{
	char cmd[2 * PATH_MAX + 64], tmp[PATH_MAX], buf[512];
	FILE *p;
	int rc = -1;

	snprintf(tmp, sizeof(tmp), "%s", self);
	snprintf(cmd, sizeof(cmd), "%s/cfwdd --ctl %s --query '%s'", dirname(tmp), ctl, line);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(buf, sizeof(buf), p))
		if (rc && !strncmp(buf, key, strlen(key))) {
			buf[strcspn(buf, "\n")] = '\0';
			str_copy(out, buf, len);
			rc = 0;
		}
	pclose(p);
	return rc;
}

static int cfu_open(struct cfu_drv *d, const char *lab_conf)
{
	char err[256];

	d->loop = loop_alloc();
	d->conf = conf_load(lab_conf, err, sizeof(err));
	d->sent_us = calloc(CFU_SLOTS, sizeof(*d->sent_us));
	d->lat = calloc(CFU_LAT_MAX, sizeof(*d->lat));
	if (!d->loop || !d->conf || !d->sent_us || !d->lat)
		return -1;
	d->node = isup_node_open(d->loop, d->conf, &cfu_owner, d, err, sizeof(err));
	if (!d->node) {
		fprintf(stderr, "bench-isup cfu: %s\n", err);
		return -1;
	}
	for (unsigned i = 0; i < d->node->n_links && d->n_in < CFU_IN_MAX; i++)
		if (!strncmp(isup_link_name(d->node->links[i]), "local", 5))
			d->in_lk[d->n_in++] = d->node->links[i];
	timer_setup(&d->retry, d->loop, cfu_retry, d);
	if (!d->n_in || cfu_wait(d, bench_node_up, 15000) < 0 || cfu_wait(d, bench_node_idle, 5000) < 0) {
		fprintf(stderr, "bench-isup cfu: links not up\n");
		return -1;
	}
	return 0;
}

static void cfu_close(struct cfu_drv *d)
{
	timer_cancel(&d->retry);
	isup_node_close(d->node);
	if (d->loop)
		loop_run_once(d->loop, 0);
	conf_free(d->conf);
	loop_free(d->loop);
	free(d->sent_us);
	free(d->lat);
}

/* --- runs ----------------------------------------------------------------------- */

static void cfu_reset(struct cfu_drv *d)
{
	d->attempts = d->completed = d->failed = 0;
	d->n_lat = 0;
	memset(d->sent_us, 0, CFU_SLOTS * sizeof(*d->sent_us));
}

static double cfu_closed(struct cfu_drv *d, uint64_t ms)
{
	uint64_t t0;
	double rate;

	cfu_reset(d);
	d->closed = d->running = true;
	d->pending = CFU_CONCURRENT;
	t0 = clock_now_us();
	cfu_start(d);
	cfu_run_ms(d, ms);
	rate = (double)d->completed * 1e6 / (double)(clock_now_us() - t0);
	d->running = false;
	d->pending = 0;
	cfu_wait(d, bench_node_idle, 3000);
	return rate;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* rate calls/s offered for ms; latency percentiles into p50/p99 (us). */
static void cfu_open_loop(struct cfu_drv *d, unsigned rate, uint64_t ms, uint32_t *p50,
			  uint32_t *p99)
{
	uint64_t t0 = clock_now_us(), due;

	cfu_reset(d);
	d->closed = false;
	while (clock_now_us() - t0 < ms * 1000) {
		due = (clock_now_us() - t0) * rate / 1000000;
		while (d->attempts < due)
			if (!cfu_originate(d))
				d->attempts++, d->failed++;
		loop_run_once(d->loop, 1);
	}
	cfu_wait(d, bench_node_idle, 3000);
	qsort(d->lat, d->n_lat, sizeof(*d->lat), cmp_u32);
	*p50 = d->n_lat ? d->lat[d->n_lat / 2] : 0;
	*p99 = d->n_lat ? d->lat[(size_t)d->n_lat * 99 / 100] : 0;
}

/* --- held calls ------------------------------------------------------------------ */

/* Answer CFU_HELD forwarded calls and keep them up; 0 when all are held. */
static int cfu_hold(struct cfu_drv *d)
{
	uint64_t end = clock_now_ms() + 20000;

	cfu_reset(d);
	d->closed = false;
	d->hold = true;
	d->held = 0;
	while (d->held < CFU_HELD && clock_now_ms() < end) {
		unsigned inflight = (unsigned)(d->attempts - d->failed) - d->held;
		bool more = inflight < 8 && d->attempts - d->failed < CFU_HELD;

		if (more)
			cfu_originate(d);
		loop_run_once(d->loop, more ? 0 : 1);
	}
	d->hold = false;
	return d->held == CFU_HELD ? 0 : -1;
}

static void cfu_release_held(struct cfu_drv *d)
{
	for (unsigned i = 0; i < CFU_CALLS; i++) {
		if (d->calls[i].leg) {
			call_leg_release(d->calls[i].leg, CAUSE_NORMAL);
			d->calls[i].leg = NULL;
		}
	}
	cfu_wait(d, bench_node_idle, 5000);
}

/* The rate with nothing held and with CFU_HELD calls held, on the held-call topology. */
static int cfu_held_run(const char *self, const char *dir, const char *db)
{
	char conf[PATH_MAX], lab[PATH_MAX], ctl[PATH_MAX];
	struct cfu_drv d = { 0 };
	double empty = 0, held = 0;
	pid_t pid;
	int rc = -1;

	snprintf(conf, sizeof(conf), "%s/cfwd.conf", dir);
	snprintf(lab, sizeof(lab), "%s/lab.conf", dir);
	snprintf(ctl, sizeof(ctl), "%s/ctl2", dir);
	if (bench_write_topology(dir, "", CFU_SPANS, 1) < 0)
		return -1;
	pid = bench_cfwdd_start(self, conf, db, ctl);
	usleep(200000);
	if (cfu_open(&d, lab) == 0) {
		empty = cfu_closed(&d, 3000);
		if (cfu_hold(&d) == 0) {
			held = cfu_closed(&d, 3000);
			rc = 0;
		}
		printf("isup cfu with %u forwarded calls held (%u of %u circuits, %d E1s a "
		       "side): %.0f calls/s, %.0f with none held on the same spans: %.0f %%%s\n",
		       d.held, 2 * d.held, 2 * CFU_SPANS * 30, CFU_SPANS, held, empty,
		       empty > 0 ? 100.0 * held / empty : 0, rc ? " (holding failed)" : "");
		cfu_release_held(&d);
	}
	cfu_close(&d);
	bench_cfwdd_stop(pid);
	return rc;
}

int bench_isup_cfu(const char *self, double raw)
{
	char dir[] = "/tmp/bench-cfu.XXXXXX", db[PATH_MAX], ctl[PATH_MAX];
	char lat[512];
	struct cfu_drv d = { 0 };
	uint32_t p50 = 0, p99 = 0;
	double rate = 0;
	pid_t pid = -1;
	int rc = 1;

	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof(db), "%s/cfu.db", dir);
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	if (bench_provision_cfu(db, CFU_SUBS, cfu_sub, "cfu") < 0)
		goto out;
	pid = bench_cfwdd_start(self, "conf/cfwd.conf", db, ctl);
	usleep(200000);
	if (cfu_open(&d, "conf/lab.conf") < 0)
		goto out;
	rate = cfu_closed(&d, 3000);
	printf("isup cfu: %.0f forwarded calls/s (%d cycling; %llu completed, %llu failed; "
	       "caller leg + onward leg each IAM->ACM->ANM->REL->RLC, store read per call)\n",
	       rate, CFU_CONCURRENT, (unsigned long long)d.completed,
	       (unsigned long long)d.failed);
	cfu_query(self, ctl, "latency reset", "ok", lat, sizeof(lat));
	cfu_open_loop(&d, 1000, 2000, &p50, &p99);
	printf("isup cfu at 1000 calls/s offered, lab side: p50 %u us, p99 %u us (%u onward "
	       "IAMs of %llu calls; our IAM on local -> the onward IAM on transit, two sim "
	       "span hops and the lab's own loop included)\n", p50, p99, d.n_lat,
	       (unsigned long long)d.attempts);
	if (cfu_query(self, ctl, "status", "iam-in-out", lat, sizeof(lat)) == 0)
		printf("isup cfu IAM-in->IAM-out inside cfwdd at 1000 calls/s: %s\n", lat);
	printf("isup cfu ratio cfwdd/raw-libss7: %.2f\n", raw > 0 ? rate / raw : 0);
	rc = 0;
out:
	cfu_close(&d);
	bench_cfwdd_stop(pid);
	if (!rc)
		cfu_held_run(self, dir, db);
	bench_isup_held(self);	/* 480 held, 16 E1s a side: bench/bench_isup_held.c */
	bench_rmdir(dir);
	return rc;
}
