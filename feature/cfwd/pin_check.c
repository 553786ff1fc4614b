/* feature/cfwd/pin_check.c - worker threads for the slow PIN hash (see pin_check.h).
 * Jobs wait in a FIFO under a mutex; a worker takes one, verifies, and writes the job
 * pointer into a pipe; the loop side reads pointers and runs the callbacks. A job is
 * owned by the queue, then by one worker, then by the pipe, then by the loop side,
 * which frees it: never by two at once. Cancelling only marks it (loop thread only).
 * Workers block every signal so that signals stay with the loop thread. They start at
 * the first submit, not at alloc: cfwdd daemonizes (fork) after setting up, and threads
 * do not survive a fork. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "feature/cfwd/pin_check.h"

#define PC_THREADS_MAX 8

struct pin_check_job {
	struct pin_check_job *next;
	struct store_pin_ticket t;
	char pin[8];
	bool verified;	/* written by the worker before the pipe write */
	bool cancelled;	/* loop thread only */
	pin_check_cb cb;
	void *user;
};

struct pin_check {
	struct loop *loop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct pin_check_job *head, *tail;	/* queued, under mu */
	bool stop;				/* under mu */
	pthread_t thr[PC_THREADS_MAX];
	unsigned n_thr, want_thr;
	int pipe[2];
	unsigned in_flight, max_jobs;		/* loop thread only */
};

static void job_free(struct pin_check_job *j)
{
	sodium_memzero(j, sizeof(*j));
	free(j);
}

static void *pc_worker(void *arg)
{
	struct pin_check *pc = arg;
	struct pin_check_job *j;

	for (;;) {
		pthread_mutex_lock(&pc->mu);
		while (!pc->head && !pc->stop)
			pthread_cond_wait(&pc->cv, &pc->mu);
		if (pc->stop) {
			pthread_mutex_unlock(&pc->mu);
			return NULL;
		}
		j = pc->head;
		pc->head = j->next;
		if (!pc->head)
			pc->tail = NULL;
		pthread_mutex_unlock(&pc->mu);

		j->verified = store_pin_hash_verify(&j->t, j->pin);
		sodium_memzero(j->pin, sizeof(j->pin));
		/* max_jobs pointers always fit in the pipe: this never blocks for long */
		while (write(pc->pipe[1], &j, sizeof(j)) < 0 && errno == EINTR)
			;
	}
}

static void pc_readable(struct loop *l, int fd, short revents, void *user)
{
	struct pin_check *pc = user;
	struct pin_check_job *jobs[32];
	ssize_t n;

	n = read(fd, jobs, sizeof(jobs));
	if (n <= 0)
		return;
	for (size_t i = 0; i < (size_t)n / sizeof(jobs[0]); i++) {
		struct pin_check_job *j = jobs[i];

		pc->in_flight--;
		if (!j->cancelled)
			j->cb(j->user, j->verified);
		job_free(j);
	}
}

static int pc_start_threads(struct pin_check *pc, unsigned threads)
{
	sigset_t all, old;
	int rc = 0;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (pc->n_thr = 0; pc->n_thr < threads; pc->n_thr++) {
		rc = pthread_create(&pc->thr[pc->n_thr], NULL, pc_worker, pc);
		if (rc)
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -rc;
}

struct pin_check *pin_check_alloc(struct loop *l, unsigned threads, unsigned max_jobs)
{
	struct pin_check *pc;
	int rc;

	if (!threads || threads > PC_THREADS_MAX || !max_jobs || max_jobs > 256)
		return NULL;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return NULL;
	pc->loop = l;
	pc->max_jobs = max_jobs;
	pthread_mutex_init(&pc->mu, NULL);
	pthread_cond_init(&pc->cv, NULL);
	if (pipe2(pc->pipe, O_CLOEXEC) < 0) {
		LOGP(DREMOTE, LOGL_ERROR, "PIN check pipe: %s", strerror(errno));
		free(pc);
		return NULL;
	}
	fcntl(pc->pipe[0], F_SETFL, O_NONBLOCK);
	pc->want_thr = threads;
	rc = loop_fd_add(l, pc->pipe[0], POLLIN, pc_readable, pc);
	if (rc) {
		LOGP(DREMOTE, LOGL_ERROR, "PIN check pipe in the loop: %s", strerror(-rc));
		pin_check_free(pc);
		return NULL;
	}
	return pc;
}

void pin_check_free(struct pin_check *pc)
{
	struct pin_check_job *j;

	if (!pc)
		return;
	pthread_mutex_lock(&pc->mu);
	pc->stop = true;
	pthread_cond_broadcast(&pc->cv);
	pthread_mutex_unlock(&pc->mu);
	for (unsigned i = 0; i < pc->n_thr; i++)
		pthread_join(pc->thr[i], NULL);
	while ((j = pc->head)) {
		pc->head = j->next;
		job_free(j);
	}
	loop_fd_del(pc->loop, pc->pipe[0]);
	while (read(pc->pipe[0], &j, sizeof(j)) == sizeof(j))
		job_free(j);
	close(pc->pipe[0]);
	close(pc->pipe[1]);
	pthread_mutex_destroy(&pc->mu);
	pthread_cond_destroy(&pc->cv);
	free(pc);
}

int pin_check_submit(struct pin_check *pc, const struct store_pin_ticket *t, const char *pin,
		     pin_check_cb cb, void *user, struct pin_check_job **job)
{
	struct pin_check_job *j;

	int rc;

	if (pc->in_flight >= pc->max_jobs)
		return -EBUSY;
	if (!pc->n_thr) {
		rc = pc_start_threads(pc, pc->want_thr);
		if (rc) {
			LOGP(DREMOTE, LOGL_ERROR, "PIN check workers: %s", strerror(-rc));
			if (!pc->n_thr)
				return rc;
		}
	}
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->t = *t;
	str_copy(j->pin, pin ? pin : "", sizeof(j->pin));
	j->cb = cb;
	j->user = user;
	pc->in_flight++;
	pthread_mutex_lock(&pc->mu);
	if (pc->tail)
		pc->tail->next = j;
	else
		pc->head = j;
	pc->tail = j;
	pthread_cond_signal(&pc->cv);
	pthread_mutex_unlock(&pc->mu);
	*job = j;
	return 0;
}

void pin_check_cancel(struct pin_check_job *job)
{
	if (job)
		job->cancelled = true;
}

unsigned pin_check_in_flight(const struct pin_check *pc)
{
	return pc->in_flight;
}
