/* core/loop.h - single-threaded poll(2) event loop with fd events, timers and
 * deferred calls (redis ae's shape). Timers read core/clock, so a fake clock drives
 * them in tests (loop_run_once with timeout 0 fires whatever is due).
 * No threads, no locks; callbacks may add/remove fds and timers freely. */
#ifndef CORE_LOOP_H
#define CORE_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct timer;

typedef void (*loop_fd_cb)(struct loop *l, int fd, short revents, void *user);
typedef void (*timer_cb)(struct timer *t, void *user);
typedef void (*loop_defer_cb)(void *user);

/* Embedded in its owner (no allocation); fields are the loop's, read them via helpers. */
struct timer {
	uint64_t due_us;
	timer_cb cb;
	void *user;
	struct loop *loop;
	size_t heap_idx;	/* position in the loop's heap; SIZE_MAX when idle */
	uint64_t seq;		/* tie-break: equal due times fire in scheduling order */
};

struct loop *loop_alloc(void);		/* NULL on ENOMEM */
void loop_free(struct loop *l);		/* NULL-safe; cancels remaining timers */

/* events: POLLIN | POLLOUT | POLLPRI. 0 or -errno (-EEXIST if fd already added). */
int loop_fd_add(struct loop *l, int fd, short events, loop_fd_cb cb, void *user);
int loop_fd_mod(struct loop *l, int fd, short events);
void loop_fd_del(struct loop *l, int fd);
size_t loop_fd_count(const struct loop *l);

void timer_setup(struct timer *t, struct loop *l, timer_cb cb, void *user);
void timer_schedule_ms(struct timer *t, uint64_t ms);	/* (re)arm, relative to now */
void timer_schedule_us(struct timer *t, uint64_t us);
void timer_schedule_at_us(struct timer *t, uint64_t due_us);	/* absolute, monotonic */
void timer_cancel(struct timer *t);			/* safe on an idle timer */
bool timer_pending(const struct timer *t);
uint64_t timer_remaining_ms(const struct timer *t);	/* 0 when idle or due */
size_t loop_timer_count(const struct loop *l);

/* Run cb(user) after the current dispatch round (used for deferred frees). 0 or -ENOMEM */
int loop_defer(struct loop *l, loop_defer_cb cb, void *user);

/* One round: poll up to timeout_ms (-1: until the next timer or fd event), dispatch fd
 * events, fire due timers, run deferred calls. Returns the number of events handled or
 * -errno (EINTR is not an error: returns 0). */
int loop_run_once(struct loop *l, int timeout_ms);
/* Run until loop_stop(); returns 0. */
int loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif
