/* feature/cfwd/pin_check.h - PIN hash verification off the event loop. A few worker
 * threads (a work pool, work_pool.h) run store_pin_hash_verify() (argon2id, 50-90 ms
 * each); each result comes back through the pool's pipe and its callback runs in the loop. The threads touch
 * nothing but the job (hash + PIN copies): no store, no loop, no logging. The number of
 * jobs in flight is bounded; submit says -EBUSY beyond it (the caller plays "try later"
 * and counts no failure). Does not classify or count lockouts: store_pin_settle() does. */
#ifndef CFWD_PIN_CHECK_H
#define CFWD_PIN_CHECK_H

#include <stdbool.h>

#include "feature/cfwd/store.h"

struct loop;
struct pin_check;
struct pin_check_job;

typedef void (*pin_check_cb)(void *user, bool verified);

/* threads 1..8, max_jobs 1..256 (queued + running). NULL on error (logged). */
struct pin_check *pin_check_alloc(struct loop *l, unsigned threads, unsigned max_jobs);
void pin_check_free(struct pin_check *pc);	/* NULL-safe; joins; no callbacks run */

/* Copies t->hash and pin; cb(user, verified) runs later in the loop, never inside this
 * call. 0 with *job set, -EBUSY when max_jobs are in flight, -ENOMEM. */
int pin_check_submit(struct pin_check *pc, const struct store_pin_ticket *t, const char *pin,
		     pin_check_cb cb, void *user, struct pin_check_job **job);
/* The owner went away: the result is dropped, cb is not called. */
void pin_check_cancel(struct pin_check_job *job);
unsigned pin_check_in_flight(const struct pin_check *pc);

#endif
