/* core/loop.c - single-threaded poll(2) event loop: an fd table that grows on demand, a
 * binary min-heap of timers keyed (due_us, seq) so equal due times fire in scheduling
 * order, and a FIFO of deferred calls run at the end of each round (deferred frees).
 * Callbacks may add and remove fds and timers while the loop dispatches: fd events are
 * snapshotted with a registration generation, so an fd removed (or removed and re-added)
 * during a round never receives that round's stale revents. No threads, no signals. */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"

struct fd_entry {
	loop_fd_cb cb;
	void *user;
	uint64_t gen;
};

struct fd_event {
	int fd;
	short revents;
	uint64_t gen;
};

struct deferred {
	loop_defer_cb cb;
	void *user;
};

struct loop {
	/* fd table: pfds[i] and ents[i] describe one registration; pos[fd] is i or -1 */
	struct pollfd *pfds;
	struct fd_entry *ents;
	size_t nfds, fds_cap;
	int *pos;
	size_t pos_cap;
	uint64_t fd_gen;
	struct fd_event *events; /* snapshot of one poll() result */
	size_t events_cap;

	struct timer **heap;
	size_t heap_len, heap_cap;
	uint64_t timer_seq;

	struct deferred *defq;
	size_t defq_len, defq_cap;

	bool stop;
	bool in_round;
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 8;
	void *p;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

struct loop *loop_alloc(void)
{
	return calloc(1, sizeof(struct loop));
}

static void run_deferred(struct loop *l);

void loop_free(struct loop *l)
{
	if (!l)
		return;
	run_deferred(l); /* pending deferred calls are frees: do not leak them */
	for (size_t i = 0; i < l->heap_len; i++)
		l->heap[i]->heap_idx = SIZE_MAX;
	free(l->heap);
	free(l->pfds);
	free(l->ents);
	free(l->pos);
	free(l->events);
	free(l->defq);
	free(l);
}

/* ---- fd table ---- */

static int fd_pos(const struct loop *l, int fd)
{
	if (fd < 0 || (size_t)fd >= l->pos_cap)
		return -1;
	return l->pos[fd];
}

int loop_fd_add(struct loop *l, int fd, short events, loop_fd_cb cb, void *user)
{
	size_t old_cap = l->pos_cap;

	if (fd < 0 || !cb)
		return -EINVAL;
	if (fd_pos(l, fd) >= 0)
		return -EEXIST;
	if (grow((void **)&l->pos, &l->pos_cap, (size_t)fd + 1, sizeof(int)))
		return -ENOMEM;
	for (size_t i = old_cap; i < l->pos_cap; i++)
		l->pos[i] = -1;
	if (grow((void **)&l->pfds, &l->fds_cap, l->nfds + 1, sizeof(struct pollfd)))
		return -ENOMEM;
	if (l->fds_cap > l->events_cap) {
		void *e = realloc(l->ents, l->fds_cap * sizeof(struct fd_entry));

		if (!e)
			return -ENOMEM;
		l->ents = e;
		e = realloc(l->events, l->fds_cap * sizeof(struct fd_event));
		if (!e)
			return -ENOMEM;
		l->events = e;
		l->events_cap = l->fds_cap;
	}
	l->pfds[l->nfds] = (struct pollfd){ .fd = fd, .events = events };
	l->ents[l->nfds] = (struct fd_entry){ .cb = cb, .user = user, .gen = ++l->fd_gen };
	l->pos[fd] = (int)l->nfds;
	l->nfds++;
	return 0;
}

int loop_fd_mod(struct loop *l, int fd, short events)
{
	int i = fd_pos(l, fd);

	if (i < 0)
		return -ENOENT;
	l->pfds[i].events = events;
	return 0;
}

void loop_fd_del(struct loop *l, int fd)
{
	int i = fd_pos(l, fd);
	size_t last;

	if (i < 0)
		return;
	last = l->nfds - 1;
	if ((size_t)i != last) {
		l->pfds[i] = l->pfds[last];
		l->ents[i] = l->ents[last];
		l->pos[l->pfds[i].fd] = i;
	}
	l->pos[fd] = -1;
	l->nfds--;
}

size_t loop_fd_count(const struct loop *l)
{
	return l->nfds;
}

/* ---- timer heap, ordered by (due_us, seq) ---- */

static bool timer_before(const struct timer *a, const struct timer *b)
{
	if (a->due_us != b->due_us)
		return a->due_us < b->due_us;
	return a->seq < b->seq;
}

static void heap_set(struct loop *l, size_t i, struct timer *t)
{
	l->heap[i] = t;
	t->heap_idx = i;
}

static void heap_up(struct loop *l, size_t i)
{
	struct timer *t = l->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!timer_before(t, l->heap[parent]))
			break;
		heap_set(l, i, l->heap[parent]);
		i = parent;
	}
	heap_set(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct timer *t = l->heap[i];

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= l->heap_len)
			break;
		if (c + 1 < l->heap_len && timer_before(l->heap[c + 1], l->heap[c]))
			c++;
		if (!timer_before(l->heap[c], t))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, t);
}

static void heap_remove(struct loop *l, struct timer *t)
{
	size_t i = t->heap_idx;
	struct timer *last = l->heap[--l->heap_len];

	t->heap_idx = SIZE_MAX;
	if (last == t)
		return;
	heap_set(l, i, last);
	heap_up(l, i);
	heap_down(l, last->heap_idx);
}

void timer_setup(struct timer *t, struct loop *l, timer_cb cb, void *user)
{
	*t = (struct timer){ .cb = cb, .user = user, .loop = l, .heap_idx = SIZE_MAX };
}

bool timer_pending(const struct timer *t)
{
	return t->loop && t->heap_idx != SIZE_MAX;
}

void timer_cancel(struct timer *t)
{
	if (timer_pending(t))
		heap_remove(t->loop, t);
}

void timer_schedule_at_us(struct timer *t, uint64_t due_us)
{
	struct loop *l = t->loop;

	assert(l);
	timer_cancel(t);
	/* The heap is an array of pointers: growing it cannot fail silently. */
	if (grow((void **)&l->heap, &l->heap_cap, l->heap_len + 1, sizeof(*l->heap)))
		assert(!"out of memory growing the timer heap");
	t->due_us = due_us;
	t->seq = l->timer_seq++;
	l->heap[l->heap_len] = t;
	t->heap_idx = l->heap_len++;
	heap_up(l, t->heap_idx);
}

void timer_schedule_us(struct timer *t, uint64_t us)
{
	timer_schedule_at_us(t, clock_now_us() + us);
}

void timer_schedule_ms(struct timer *t, uint64_t ms)
{
	timer_schedule_us(t, ms * 1000u);
}

uint64_t timer_remaining_ms(const struct timer *t)
{
	uint64_t now = clock_now_us();

	if (!timer_pending(t) || t->due_us <= now)
		return 0;
	return (t->due_us - now + 999u) / 1000u;
}

size_t loop_timer_count(const struct loop *l)
{
	return l->heap_len;
}

/* ---- deferred calls ---- */

int loop_defer(struct loop *l, loop_defer_cb cb, void *user)
{
	if (grow((void **)&l->defq, &l->defq_cap, l->defq_len + 1, sizeof(*l->defq)))
		return -ENOMEM;
	l->defq[l->defq_len++] = (struct deferred){ .cb = cb, .user = user };
	return 0;
}

/* FIFO; calls deferred by deferred calls run in the same pass. */
static void run_deferred(struct loop *l)
{
	for (size_t i = 0; i < l->defq_len; i++) {
		struct deferred d = l->defq[i];

		d.cb(d.user);
	}
	l->defq_len = 0;
}

/* ---- one round ---- */

static int poll_timeout(const struct loop *l, int timeout_ms)
{
	uint64_t now, wait_ms;

	if (l->defq_len)
		return 0;
	if (!l->heap_len)
		return timeout_ms;
	now = clock_now_us();
	if (l->heap[0]->due_us <= now)
		return 0;
	wait_ms = (l->heap[0]->due_us - now + 999u) / 1000u;
	if (wait_ms > INT_MAX)
		wait_ms = INT_MAX;
	if (timeout_ms >= 0 && (uint64_t)timeout_ms < wait_ms)
		return timeout_ms;
	return (int)wait_ms;
}

static int dispatch_fds(struct loop *l)
{
	size_t nev = 0;
	int handled = 0;

	for (size_t i = 0; i < l->nfds; i++) {
		if (!l->pfds[i].revents)
			continue;
		l->events[nev++] = (struct fd_event){ .fd = l->pfds[i].fd,
						      .revents = l->pfds[i].revents,
						      .gen = l->ents[i].gen };
	}
	for (size_t i = 0; i < nev; i++) {
		struct fd_event ev = l->events[i];
		int p = fd_pos(l, ev.fd);

		if (p < 0 || l->ents[p].gen != ev.gen)
			continue; /* removed (or replaced) earlier in this round */
		l->ents[p].cb(l, ev.fd, ev.revents, l->ents[p].user);
		handled++;
	}
	return handled;
}

/* Fires timers due now that were scheduled before this pass began, so a callback that
 * re-arms itself for 0 ms runs again next round instead of spinning here. */
static int fire_timers(struct loop *l)
{
	uint64_t now = clock_now_us();
	uint64_t seq_limit = l->timer_seq;
	int handled = 0;

	while (l->heap_len) {
		struct timer *t = l->heap[0];

		if (t->due_us > now || t->seq >= seq_limit)
			break;
		heap_remove(l, t);
		t->cb(t, t->user);
		handled++;
	}
	return handled;
}

int loop_run_once(struct loop *l, int timeout_ms)
{
	int n, handled = 0;

	assert(!l->in_round);
	n = poll(l->pfds, l->nfds, poll_timeout(l, timeout_ms));
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		n = -errno;
		LOGP(DCORE, LOGL_ERROR, "poll: %s", strerror(-n));
		return n;
	}
	l->in_round = true;
	if (n > 0)
		handled += dispatch_fds(l);
	handled += fire_timers(l);
	handled += (int)l->defq_len;
	run_deferred(l);
	l->in_round = false;
	return handled;
}

int loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop) {
		int rc = loop_run_once(l, -1);

		if (rc < 0)
			return rc;
	}
	return 0;
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}
