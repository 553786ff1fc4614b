/* feature/cfwd/work_pool.h - a few worker threads for work that must not run in the
 * event loop (the slow PIN hash, store changes that may wait on the SQLite write lock).
 * The owner embeds a struct work_item in its job; run() executes on a worker, done()
 * back in the loop thread through a pipe registered in the loop. Jobs run in FIFO
 * order; the number in flight (queued + running + finished but not yet back) is
 * bounded and submit says -EBUSY beyond it. Threads start at the first submit, not at
 * alloc (cfwdd forks to daemonize after setting up; threads do not survive a fork) and
 * block every signal. Does not know what a job does: no store, no logging of jobs. */
#ifndef CFWD_WORK_POOL_H
#define CFWD_WORK_POOL_H

#include <stdbool.h>

struct loop;
struct work_pool;

struct work_item {
	struct work_item *next;				/* the pool's */
	/* On a worker thread: touch nothing but the job. Not called for an item
	 * cancelled before a worker took it. */
	void (*run)(struct work_item *w);
	/* In the loop thread, exactly once per submitted item: it owns w again and frees
	 * it. cancelled: the owner cancelled it (or the pool was freed); do not report. */
	void (*done)(struct work_item *w, bool cancelled);
	bool cancelled;					/* atomic: work_item_cancel() */
};

/* threads 1..8, max_jobs 1..256. name is used in log lines. NULL on error (logged). */
struct work_pool *work_pool_alloc(struct loop *l, const char *name, unsigned threads,
				  unsigned max_jobs);
/* Stop and join the workers (NULL-safe). drain: the queued items still run first
 * (their results are not reported); otherwise queued items are not run. Every item
 * not yet done gets done(w, true) before this returns. */
void work_pool_free(struct work_pool *p, bool drain);

/* w->run and w->done set by the caller. 0, -EBUSY when max_jobs are in flight, or
 * -errno when no worker could be started. done() never runs inside this call. */
int work_pool_submit(struct work_pool *p, struct work_item *w);
/* Loop thread: the result is not wanted. A queued item is skipped; a running one
 * finishes; done(w, true) still comes. */
void work_item_cancel(struct work_item *w);
unsigned work_pool_in_flight(const struct work_pool *p);

#endif
