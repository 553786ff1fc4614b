/* feature/cfwd/work_pool.c - worker threads with a completion pipe into the loop (see
 * work_pool.h). Items wait in a FIFO under a mutex; a worker takes one, runs it (unless
 * it was cancelled meanwhile), and writes the item pointer into a pipe; the loop side
 * reads pointers and calls done(). An item is owned by the queue, then by one worker,
 * then by the pipe, then by the loop side, which hands it back to its owner: never by
 * two at once. Workers block every signal so that signals stay with the loop thread. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "feature/cfwd/work_pool.h"

#define WP_THREADS_MAX 8

struct work_pool {
	struct loop *loop;
	char name[32];
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct work_item *head, *tail;		/* queued, under mu */
	bool stop, drain;			/* under mu */
	pthread_t thr[WP_THREADS_MAX];
	unsigned n_thr, want_thr;
	int pipe[2];
	unsigned in_flight, max_jobs;		/* loop thread only */
};

static bool item_cancelled(struct work_item *w)
{
	return __atomic_load_n(&w->cancelled, __ATOMIC_ACQUIRE);
}

static void *wp_worker(void *arg)
{
	struct work_pool *p = arg;
	struct work_item *w;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->head && !p->stop)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->head || (p->stop && !p->drain)) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		w = p->head;
		p->head = w->next;
		if (!p->head)
			p->tail = NULL;
		pthread_mutex_unlock(&p->mu);

		if (!item_cancelled(w))
			w->run(w);
		/* max_jobs pointers always fit in the pipe: this never blocks for long */
		while (write(p->pipe[1], &w, sizeof(w)) < 0 && errno == EINTR)
			;
	}
}

static void wp_readable(struct loop *l, int fd, short revents, void *user)
{
	struct work_pool *p = user;
	struct work_item *items[32];
	ssize_t n;

	n = read(fd, items, sizeof(items));
	if (n <= 0)
		return;
	for (size_t i = 0; i < (size_t)n / sizeof(items[0]); i++) {
		struct work_item *w = items[i];

		p->in_flight--;
		w->done(w, item_cancelled(w));
	}
}

static int wp_start_threads(struct work_pool *p)
{
	sigset_t all, old;
	int rc = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (p->n_thr = 0; p->n_thr < p->want_thr; p->n_thr++) {
		rc = pthread_create(&p->thr[p->n_thr], NULL, wp_worker, p);
		if (rc)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -rc;
}

struct work_pool *work_pool_alloc(struct loop *l, const char *name, unsigned threads,
				  unsigned max_jobs)
{
	struct work_pool *p;
	int rc;

	if (!threads || threads > WP_THREADS_MAX || !max_jobs || max_jobs > 256)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->loop = l;
	str_copy(p->name, name, sizeof(p->name));
	p->max_jobs = max_jobs;
	p->want_thr = threads;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	if (pipe2(p->pipe, O_CLOEXEC) < 0) {
		LOGP(DCORE, LOGL_ERROR, "%s pipe: %s", p->name, strerror(errno));
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
		return NULL;
	}
	fcntl(p->pipe[0], F_SETFL, O_NONBLOCK);
	rc = loop_fd_add(l, p->pipe[0], POLLIN, wp_readable, p);
	if (rc) {
		LOGP(DCORE, LOGL_ERROR, "%s pipe in the loop: %s", p->name, strerror(-rc));
		close(p->pipe[0]);
		close(p->pipe[1]);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		free(p);
		return NULL;
	}
	return p;
}

void work_pool_free(struct work_pool *p, bool drain)
{
	struct work_item *w;

	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	p->drain = drain;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->n_thr; i++)
		pthread_join(p->thr[i], NULL);
	loop_fd_del(p->loop, p->pipe[0]);
	while (read(p->pipe[0], &w, sizeof(w)) == sizeof(w))
		w->done(w, true);
	while ((w = p->head)) {
		p->head = w->next;
		w->done(w, true);
	}
	close(p->pipe[0]);
	close(p->pipe[1]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

int work_pool_submit(struct work_pool *p, struct work_item *w)
{
	int rc;

	if (p->in_flight >= p->max_jobs)
		return -EBUSY;
	if (!p->n_thr) {
		rc = wp_start_threads(p);
		if (rc) {
			LOGP(DCORE, LOGL_ERROR, "%s workers: %s", p->name, strerror(-rc));
			if (!p->n_thr)
				return rc;
		}
	}
	w->next = NULL;
	__atomic_store_n(&w->cancelled, false, __ATOMIC_RELEASE);
	p->in_flight++;
	pthread_mutex_lock(&p->mu);
	if (p->tail)
		p->tail->next = w;
	else
		p->head = w;
	p->tail = w;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

void work_item_cancel(struct work_item *w)
{
	if (w)
		__atomic_store_n(&w->cancelled, true, __ATOMIC_RELEASE);
}

unsigned work_pool_in_flight(const struct work_pool *p)
{
	return p->in_flight;
}
