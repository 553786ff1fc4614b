/* feature/cfwd/store_writer.h - the store changes asked for by cfwdd's event loop (142
 * and remote-control changes, PIN lockout bookkeeping, remote-control billing records),
 * made on one writer thread with its own connection to the store file, so the loop
 * never waits on the SQLite write lock another process (cfwdctl) holds, nor on the
 * commit's fsync or a new PIN's hash. The caller hands over a change function and a
 * copy of its arguments; the result comes back to a callback in the loop. A change that
 * cannot get the write lock within the bound (STORE_WRITE_BOUND_MS from submit, queue
 * time included) fails with -EBUSY, counted and logged, and nothing is written: the
 * caller plays "cannot accept now". Changes run one at a time in submit order.
 * Reads stay on the loop's connection: in WAL mode they do not wait for a writer.
 * Checkpoints: the loop's connection stops auto-checkpointing (a passive checkpoint
 * does not wait for locks, but writes and fsyncs the database file); the writer's
 * connection does it after its commits. Does not decide what a change means. */
#ifndef CFWD_STORE_WRITER_H
#define CFWD_STORE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "feature/cfwd/store.h"

#define STORE_WRITE_BOUND_MS 3000	/* submit to "cannot accept now" at the latest */
#define STORE_WRITE_ARG_MAX 512		/* bytes of arguments copied with a change */
#define STORE_WRITE_QUEUED 1		/* store_writer_try_inline(): went to the thread */

struct loop;
struct store_writer;
struct store_write;

/* On the writer thread, with the writer's own store: one change, one transaction.
 * 0 or -errno (nothing changed). May write its outputs into arg. Must not touch the
 * loop or anything of the caller's but arg. */
typedef int (*store_write_fn)(struct store *st, void *arg);
/* In the loop: rc of the change (-EBUSY: the write lock was not had within the bound)
 * and the job's copy of the arguments (outputs included). */
typedef void (*store_write_cb)(void *user, int rc, void *arg);

struct store_writer_stats {
	uint64_t committed;	/* the change function returned 0 */
	uint64_t failed;	/* it returned another error than -EBUSY */
	uint64_t lock_timeouts;	/* -EBUSY: no write lock within the bound, nothing written */
	uint64_t queue_full;	/* submit refused: too many changes in flight */
	uint64_t inline_done;	/* store_writer_try_inline() done on the loop's connection */
	uint64_t max_wait_ms;	/* longest submit-to-result of a change */
};

/* A second connection to st's file, with st's options. bound_ms 0: the default. NULL
 * with a message in err. st stays the loop's (reads, try_inline). */
struct store_writer *store_writer_alloc(struct loop *l, struct store *st, unsigned bound_ms,
					char *err, size_t errlen);
/* Changes still queued are made first (their callbacks do not run); NULL-safe. */
void store_writer_free(struct store_writer *w);

/* Copy len bytes of arg (<= STORE_WRITE_ARG_MAX) and queue the change; cb(user, rc, arg)
 * runs later in the loop, never inside this call. 0 with *job set (job may be NULL),
 * -EBUSY when too many changes are in flight, -E2BIG, -ENOMEM. */
int store_writer_submit(struct store_writer *w, store_write_fn fn, const void *arg,
			size_t len, store_write_cb cb, void *user, struct store_write **job);
/* For records nobody waits on (billing): try the change at once on the loop's own
 * connection without waiting for the lock (busy timeout 0; the commit's fsync does run
 * here); its result when that worked or failed otherwise (cb not called), or, when the
 * lock was held, STORE_WRITE_QUEUED and the change goes to the writer thread as submit. */
int store_writer_try_inline(struct store_writer *w, store_write_fn fn, const void *arg,
			    size_t len, store_write_cb cb, void *user);
/* The owner went away: cb is not called. A change not yet started is not made; one
 * being made completes (it is atomic either way). NULL-safe. */
void store_write_cancel(struct store_write *job);

unsigned store_writer_in_flight(const struct store_writer *w);
const struct store_writer_stats *store_writer_stats(const struct store_writer *w);

#endif
