/* feature/cfwd/store_writer.c - the loop's store changes on a writer thread (see
 * store_writer.h): a one-thread work pool (work_pool.h) and a second store connection
 * used by that thread only. Each job carries its deadline (submit + bound); the thread
 * sets the connection's busy timeout to what is left of it before the change, so a
 * change queued behind a stuck one does not wait longer in total. Results, counters and
 * log lines are handled back in the loop thread. */
#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/metrics.h"
#include "feature/cfwd/store_int.h"
#include "feature/cfwd/store_writer.h"
#include "feature/cfwd/work_pool.h"

#define SW_MAX_JOBS 64

struct store_write {
	struct work_item w;	/* first: container of the pool's item */
	struct store_writer *wr;
	store_write_fn fn;
	store_write_cb cb;
	void *user;
	uint64_t submit_us, deadline_us, end_us;	/* end_us, rc: set by the thread */
	int rc;
	size_t len;
	alignas(max_align_t) unsigned char arg[STORE_WRITE_ARG_MAX];
};

struct store_writer {
	struct store *loop_st;		/* the loop's connection */
	struct store *st;		/* the thread's connection */
	struct work_pool *pool;
	unsigned bound_ms;
	struct store_writer_stats stats;	/* loop thread */
};

static struct store_write *job_of(struct work_item *w)
{
	return (struct store_write *)((char *)w - offsetof(struct store_write, w));
}

static void sw_run(struct work_item *w)
{
	struct store_write *j = job_of(w);
	uint64_t now = clock_now_us();
	sqlite3 *db = store_db(j->wr->st);

	if (now >= j->deadline_us) {
		j->rc = -EBUSY;		/* waited out its bound behind other changes */
	} else {
		sqlite3_busy_timeout(db, (int)((j->deadline_us - now + 999) / 1000));
		j->rc = j->fn(j->wr->st, j->arg);
	}
	j->end_us = clock_now_us();
}

static void sw_account(struct store_writer *wr, int rc, uint64_t wait_ms)
{
	if (rc == 0)
		wr->stats.committed++;
	else if (rc == -EBUSY)
		wr->stats.lock_timeouts++;
	else
		wr->stats.failed++;
	if (wait_ms > wr->stats.max_wait_ms)
		wr->stats.max_wait_ms = wait_ms;
}

static void sw_done(struct work_item *w, bool cancelled)
{
	struct store_write *j = job_of(w);
	struct store_writer *wr = j->wr;
	uint64_t wait_ms = j->end_us > j->submit_us ? (j->end_us - j->submit_us) / 1000 : 0;

	if (j->end_us) {
		sw_account(wr, j->rc, wait_ms);
		if (j->rc == -EBUSY)
			LOGP(DSTORE, LOGL_ERROR, "store change refused after %llu ms: the write "
			     "lock is held by another writer (bound %u ms); nothing written",
			     (unsigned long long)wait_ms, wr->bound_ms);
		else if (wait_ms > 500)
			LOGP(DSTORE, LOGL_NOTICE, "store change took %llu ms (write lock waited "
			     "for)", (unsigned long long)wait_ms);
	}
	if (!cancelled && j->cb)
		j->cb(j->user, j->end_us ? j->rc : -ECANCELED, j->arg);
	sodium_memzero(j->arg, sizeof(j->arg));	/* may hold a PIN */
	free(j);
}

struct store_writer *store_writer_alloc(struct loop *l, struct store *st, unsigned bound_ms,
					char *err, size_t errlen)
{
	struct store_writer *wr = calloc(1, sizeof(*wr));
	const char *path = sqlite3_db_filename(store_db(st), "main");
	char e[200];

	if (!wr) {
		snprintf(err, errlen, "store writer: out of memory");
		return NULL;
	}
	wr->loop_st = st;
	wr->bound_ms = bound_ms ? bound_ms : STORE_WRITE_BOUND_MS;
	if (!path || !path[0]) {
		snprintf(err, errlen, "store writer: the store has no file");
		goto fail;
	}
	wr->st = store_open_opts(path, &st->o, e, sizeof(e));
	if (!wr->st) {
		snprintf(err, errlen, "store writer: %s", e);
		goto fail;
	}
	wr->pool = work_pool_alloc(l, "store writer", 1, SW_MAX_JOBS);
	if (!wr->pool) {
		snprintf(err, errlen, "store writer: cannot set up its thread");
		goto fail;
	}
	/* the series the thread updates exist before it runs: no creation off the loop */
	metric_series(METRIC_STORE_LATENCY, "op=write");
	metric_series(METRIC_PIN_FAILURES, NULL);
	metric_series(METRIC_LOCKOUTS, NULL);
	/* the thread's commits checkpoint; the loop's connection only reads */
	sqlite3_wal_autocheckpoint(store_db(st), 0);
	return wr;
fail:
	store_close(wr->st);
	free(wr);
	return NULL;
}

void store_writer_free(struct store_writer *wr)
{
	if (!wr)
		return;
	work_pool_free(wr->pool, true);
	store_close(wr->st);
	free(wr);
}

static struct store_write *sw_job(struct store_writer *wr, store_write_fn fn, const void *arg,
				  size_t len, store_write_cb cb, void *user)
{
	struct store_write *j = calloc(1, sizeof(*j));

	if (!j)
		return NULL;
	j->wr = wr;
	j->fn = fn;
	j->cb = cb;
	j->user = user;
	j->len = len;
	memcpy(j->arg, arg, len);
	j->w.run = sw_run;
	j->w.done = sw_done;
	j->submit_us = clock_now_us();
	j->deadline_us = j->submit_us + (uint64_t)wr->bound_ms * 1000u;
	return j;
}

static int sw_queue(struct store_writer *wr, struct store_write *j)
{
	int rc = work_pool_submit(wr->pool, &j->w);

	if (rc) {
		if (rc == -EBUSY) {
			wr->stats.queue_full++;
			LOGP(DSTORE, LOGL_ERROR, "store writer: %u changes in flight, refused",
			     work_pool_in_flight(wr->pool));
		}
		sodium_memzero(j->arg, sizeof(j->arg));
		free(j);
	}
	return rc;
}

int store_writer_submit(struct store_writer *wr, store_write_fn fn, const void *arg,
			size_t len, store_write_cb cb, void *user, struct store_write **job)
{
	struct store_write *j;
	int rc;

	if (len > STORE_WRITE_ARG_MAX)
		return -E2BIG;
	j = sw_job(wr, fn, arg, len, cb, user);
	if (!j)
		return -ENOMEM;
	rc = sw_queue(wr, j);
	if (job)
		*job = rc ? NULL : j;
	return rc;
}

int store_writer_try_inline(struct store_writer *wr, store_write_fn fn, const void *arg,
			    size_t len, store_write_cb cb, void *user)
{
	unsigned char copy[STORE_WRITE_ARG_MAX];
	sqlite3 *db = store_db(wr->loop_st);
	int rc;

	if (len > STORE_WRITE_ARG_MAX)
		return -E2BIG;
	memcpy(copy, arg, len);
	sqlite3_busy_timeout(db, 0);
	rc = fn(wr->loop_st, copy);
	sqlite3_busy_timeout(db, wr->loop_st->o.busy_timeout_ms);
	sodium_memzero(copy, sizeof(copy));
	if (rc != -EBUSY) {
		wr->stats.inline_done++;
		return rc;
	}
	rc = store_writer_submit(wr, fn, arg, len, cb, user, NULL);
	return rc ? rc : STORE_WRITE_QUEUED;
}

void store_write_cancel(struct store_write *job)
{
	if (job)
		work_item_cancel(&job->w);
}

unsigned store_writer_in_flight(const struct store_writer *wr)
{
	return work_pool_in_flight(wr->pool);
}

const struct store_writer_stats *store_writer_stats(const struct store_writer *wr)
{
	return &wr->stats;
}
