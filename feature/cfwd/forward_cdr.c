/* feature/cfwd/forward_cdr.c - billing record writer process (see forward_cdr.h). The
 * parent writes whole struct billing_record images into a pipe (atomic: smaller than
 * PIPE_BUF); the child reads whatever is there, writes it in one transaction (one
 * fsync per batch), and exits at EOF. No threads, no locks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward_cdr.h"
#include "feature/cfwd/store.h"

#define CDR_BATCH 256

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

/* The child: read records until EOF, each read's worth in one transaction. */
static void __attribute__((noreturn)) cdr_child(int fd, const char *path)
{
	static struct billing_record buf[CDR_BATCH];
	size_t have = 0;
	char err[256];
	struct store *st;
	ssize_t n;

	signal(SIGTERM, SIG_IGN);	/* stop at EOF, after the parent's last record */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	st = store_open(path, err, sizeof(err));
	if (!st) {
		LOGP(DBILL, LOGL_ERROR, "billing writer: %s", err);
		_exit(1);
	}
	for (;;) {
		n = read(fd, (char *)buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		if (have % sizeof(buf[0]))
			continue;	/* a partial record: read the rest */
		cdr_write_batch(st, buf, have / sizeof(buf[0]));
		have = 0;
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
	fcntl(w->fd, F_SETFL, O_NONBLOCK);
	fcntl(w->fd, F_SETFD, FD_CLOEXEC);
	return w;
}

int cdr_writer_put(struct cdr_writer *w, const struct billing_record *rec)
{
	ssize_t n = write(w->fd, rec, sizeof(*rec));

	if (n == (ssize_t)sizeof(*rec))
		return 0;
	return errno == EAGAIN ? -EAGAIN : -EPIPE;
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
