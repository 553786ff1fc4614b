/* feature/cfwd/forward_cdr.c - billing record writer process (see forward_cdr.h). The
 * parent writes whole struct billing_record images into a pipe (atomic: smaller than
 * PIPE_BUF; the pipe is enlarged to hold CDR_PIPE_BYTES); the child waits for a first
 * record, lets more gather for CDR_LINGER_MS (a group commit: at 20,000 forwarded
 * calls/s a transaction per wake-up cost ~2,600 fsyncs/s, the child's wake-ups
 * preempted cfwdd and each commit emptied cfwdd's page cache of the store), writes what
 * is there in one transaction (one fsync per batch), and exits at EOF after writing the
 * rest. A record is committed at most CDR_LINGER_MS plus one commit after it reached
 * the pipe. No threads, no locks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward_cdr.h"
#include "feature/cfwd/store.h"

#define CDR_BATCH 1024		/* records in one transaction at most */
#define CDR_LINGER_MS 5		/* a batch gathers this long after its first record */
#define CDR_PIPE_BYTES (1 << 20)	/* ~6,000 records: 150 ms of the CFU bench's rate */

_Static_assert(sizeof(struct billing_record) <= PIPE_BUF, "records must be written atomically");

struct cdr_writer {
	int fd;
	pid_t pid;
};

static void cdr_write_batch(struct store *st, struct billing_record *r, size_t n)
{
	sqlite3 *db = store_db(st);
	bool tx = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;

	for (size_t i = 0; i < n; i++)
		if (store_cdr_add(st, &r[i]) < 0)
			LOGP(DBILL, LOGL_ERROR, "call %s: record %s not stored", r[i].call_ref,
			     billing_leg_name(r[i].leg));
	if (tx && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		LOGP(DBILL, LOGL_ERROR, "%zu records: commit failed: %s", n, sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* Read what the pipe holds (non-blocking) into buf after have bytes. Bytes read, 0 at
 * EOF, -1 when nothing is there yet. */
static ssize_t cdr_read(int fd, struct billing_record *buf, size_t have)
{
	ssize_t n;

	do
		n = read(fd, (char *)buf + have, CDR_BATCH * sizeof(buf[0]) - have);
	while (n < 0 && errno == EINTR);
	return n < 0 && errno != EAGAIN ? 0 : n;	/* an error ends the writer like EOF */
}

/* The child: wait for a record, let the batch gather, write it; until EOF. */
static void __attribute__((noreturn)) cdr_child(int fd, const char *path)
{
	static struct billing_record buf[CDR_BATCH];
	const struct timespec linger = { .tv_nsec = CDR_LINGER_MS * 1000000L };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t have = 0;
	bool eof = false;
	char err[256];
	struct store *st;
	ssize_t n;

	signal(SIGTERM, SIG_IGN);	/* stop at EOF, after the parent's last record */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	st = store_open(path, err, sizeof(err));
	if (!st) {
		LOGP(DBILL, LOGL_ERROR, "billing writer: %s", err);
		_exit(1);
	}
	while (!eof) {
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		n = cdr_read(fd, buf, have);
		if (n < 0)
			continue;
		eof = n == 0;
		have += (size_t)n;
		if (!eof && have < sizeof(buf)) {
			nanosleep(&linger, NULL);	/* the group commit's gathering */
			while (have < sizeof(buf) && (n = cdr_read(fd, buf, have)) > 0)
				have += (size_t)n;
			eof = n == 0;
		}
		if (have >= sizeof(buf[0]))
			cdr_write_batch(st, buf, have / sizeof(buf[0]));
		/* a partial record (none at EOF) moves to the front for its rest */
		memmove(buf, (char *)buf + have - have % sizeof(buf[0]), have % sizeof(buf[0]));
		have %= sizeof(buf[0]);
	}
	store_close(st);
	_exit(0);
}

struct cdr_writer *cdr_writer_start(const char *path, char *err, size_t errlen)
{
	struct cdr_writer *w = calloc(1, sizeof(*w));
	int p[2];

	if (!w || pipe(p) < 0) {
		snprintf(err, errlen, "billing writer: %s", strerror(errno));
		free(w);
		return NULL;
	}
	fflush(NULL);
	w->pid = fork();
	if (w->pid < 0) {
		snprintf(err, errlen, "billing writer: fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		free(w);
		return NULL;
	}
	if (w->pid == 0) {
		close(p[1]);
		cdr_child(p[0], path);
	}
	close(p[0]);
	w->fd = p[1];
	fcntl(w->fd, F_SETPIPE_SZ, CDR_PIPE_BYTES);	/* the default 64 KiB if refused */
	fcntl(w->fd, F_SETFL, O_NONBLOCK);
	fcntl(w->fd, F_SETFD, FD_CLOEXEC);
	return w;
}

int cdr_writer_put(struct cdr_writer *w, const struct billing_record *rec, unsigned n)
{
	const unsigned chunk = PIPE_BUF / sizeof(*rec);	/* one atomic write() */
	unsigned done = 0;

	while (done < n) {
		unsigned k = n - done < chunk ? n - done : chunk;
		ssize_t r = write(w->fd, rec + done, k * sizeof(*rec));

		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)(k * sizeof(*rec)))
			return done ? (int)done : errno == EAGAIN ? -EAGAIN : -EPIPE;
		done += k;
	}
	return (int)done;
}

void cdr_writer_stop(struct cdr_writer *w)
{
	int st;

	if (!w)
		return;
	close(w->fd);
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	free(w);
}
