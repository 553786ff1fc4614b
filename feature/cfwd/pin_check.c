/* feature/cfwd/pin_check.c - the slow PIN hash on worker threads (see pin_check.h), a
 * user of the generic work pool (work_pool.h): a job carries copies of the hash and the
 * PIN, the worker verifies and wipes the PIN, the loop side runs the callback unless the
 * owner cancelled, and the job is wiped and freed. Logs under DREMOTE. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/util.h"
#include "feature/cfwd/pin_check.h"
#include "feature/cfwd/work_pool.h"

struct pin_check_job {
	struct work_item w;	/* first: container of the pool's item */
	struct store_pin_ticket t;
	char pin[8];
	bool verified;		/* written by the worker before the pipe write */
	pin_check_cb cb;
	void *user;
};

struct pin_check {
	struct work_pool *pool;
};

static struct pin_check_job *job_of(struct work_item *w)
{
	return (struct pin_check_job *)((char *)w - offsetof(struct pin_check_job, w));
}

static void pc_run(struct work_item *w)
{
	struct pin_check_job *j = job_of(w);

	j->verified = store_pin_hash_verify(&j->t, j->pin);
	sodium_memzero(j->pin, sizeof(j->pin));
}

static void pc_done(struct work_item *w, bool cancelled)
{
	struct pin_check_job *j = job_of(w);

	if (!cancelled)
		j->cb(j->user, j->verified);
	sodium_memzero(j, sizeof(*j));
	free(j);
}

struct pin_check *pin_check_alloc(struct loop *l, unsigned threads, unsigned max_jobs)
{
	struct pin_check *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pc->pool = work_pool_alloc(l, "PIN check", threads, max_jobs);
	if (!pc->pool) {
		free(pc);
		return NULL;
	}
	return pc;
}

void pin_check_free(struct pin_check *pc)
{
	if (!pc)
		return;
	work_pool_free(pc->pool, false);
	free(pc);
}

int pin_check_submit(struct pin_check *pc, const struct store_pin_ticket *t, const char *pin,
		     pin_check_cb cb, void *user, struct pin_check_job **job)
{
	struct pin_check_job *j;
	int rc;

	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->t = *t;
	str_copy(j->pin, pin ? pin : "", sizeof(j->pin));
	j->cb = cb;
	j->user = user;
	j->w.run = pc_run;
	j->w.done = pc_done;
	rc = work_pool_submit(pc->pool, &j->w);
	if (rc) {
		sodium_memzero(j, sizeof(*j));
		free(j);
		return rc;
	}
	*job = j;
	return 0;
}

void pin_check_cancel(struct pin_check_job *job)
{
	if (job)
		work_item_cancel(&job->w);
}

unsigned pin_check_in_flight(const struct pin_check *pc)
{
	return work_pool_in_flight(pc->pool);
}
