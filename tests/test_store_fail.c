/* tests/test_store_fail.c - the store when things go wrong: disk full (max_page_count),
 * another writer holding the file past the bounded busy wait, a reader beside a writer,
 * a file that is not a database, and a writer killed with SIGKILL at random moments.
 * Each case checks that a failed change is reported and nothing is half-applied. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/log.h"
#include "feature/cfwd/store.h"
#include "tests/test_store_fixture.h"

#define SUB "0312345678"

static bool same_sub(const struct cfwd_sub *a, const struct cfwd_sub *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

static void get(struct fx *fx, struct cfwd_sub *sub)
{
	memset(sub, 0, sizeof(*sub));
	assert_int_equal(store_sub_get(fx->st, SUB, sub), 0);
}

static void test_disk_full_change_is_reported_and_not_half_applied(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub before, after;
	char sql[64], to[16];
	int rc = 0, i, audits;

	add_sub(fx, SUB);
	step("The file may not grow past its current size (a full disk)");
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d",
		 sql_int(fx, "PRAGMA page_count"));
	assert_int_equal(sqlite3_exec(store_db(fx->st), sql, NULL, NULL, NULL), SQLITE_OK);

	step("Changes go on until one does not fit");
	for (i = 0; i < 5000; i++) {
		get(fx, &before);
		audits = audit_count(fx, SUB);
		snprintf(to, sizeof(to), "03%08d", i);
		rc = store_set_list_entry(fx->st, STORE_WHO_142, SUB, i % 5, to);
		if (rc)
			break;
	}
	assert_int_equal(rc, -ENOSPC);
	step("After change %d failed with -ENOSPC: record and audit log as before", i);
	get(fx, &after);
	assert_true(same_sub(&before, &after));
	assert_int_equal(audit_count(fx, SUB), audits);
	sql_text(fx, "PRAGMA quick_check", sql, sizeof(sql));
	assert_string_equal(sql, "ok");

	step("Space again: the same change now succeeds");
	assert_int_equal(sqlite3_exec(store_db(fx->st), "PRAGMA max_page_count = 1000000", NULL,
				      NULL, NULL), SQLITE_OK);
	assert_int_equal(store_set_list_entry(fx->st, STORE_WHO_142, SUB, i % 5, to), 0);
	get(fx, &after);
	assert_string_equal(after.list[i % 5], to);
	assert_int_equal(audit_count(fx, SUB), audits + 1);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void test_busy_past_the_bounded_wait_is_reported(void **state)
{
	struct fx *fx = *state;
	struct store *st2;
	struct cfwd_sub sub;
	struct timespec t0;
	sqlite3 *other;
	char err[256];

	add_sub(fx, SUB);
	fx->o.busy_timeout_ms = 100;
	st2 = store_open_opts(fx->path, &fx->o, err, sizeof(err));
	assert_non_null(st2);

	step("cfwdctl (a second connection) holds a write transaction open");
	assert_int_equal(sqlite3_open(fx->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE; UPDATE subscriber SET "
					     "ring_time = 30", NULL, NULL, NULL), SQLITE_OK);

	step("cfwdd reads meanwhile (WAL: readers are not blocked) and sees the old value");
	assert_int_equal(store_sub_get(st2, SUB, &sub), 0);
	assert_int_equal(sub.ring_time_s, 20);

	step("cfwdd's change waits about 100 ms, then gets -EBUSY");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(store_set_ring_time(st2, STORE_WHO_142, SUB, 45), -EBUSY);
	assert_true(ms_since(&t0) < 5000);	/* bounded, not forever */

	step("The other transaction commits; the retry succeeds and sees its value first");
	assert_int_equal(sqlite3_exec(other, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_sub_get(st2, SUB, &sub), 0);
	assert_int_equal(sub.ring_time_s, 30);
	assert_int_equal(store_set_ring_time(st2, STORE_WHO_142, SUB, 45), 0);
	assert_int_equal(store_sub_get(fx->st, SUB, &sub), 0);
	assert_int_equal(sub.ring_time_s, 45);
	assert_int_equal(audit_count(fx, SUB), 2);
	sqlite3_close(other);
	store_close(st2);
}

static void test_a_file_that_is_not_a_database_is_refused(void **state)
{
	struct fx *fx = *state;
	char path[128], err[256] = "";
	struct store *st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/garbage.db", fx->dir);
	f = fopen(path, "w");
	assert_non_null(f);
	for (int i = 0; i < 4096; i++)
		fputc("not a database "[i % 15], f);
	fclose(f);
	step("Opening a corrupt file fails with a message, no crash");
	st = store_open_opts(path, &fx->o, err, sizeof(err));
	assert_null(st);
	assert_non_null(strstr(err, "garbage.db"));
	step("SQLite codes map to errno values");
	assert_int_equal(store_errno(SQLITE_FULL), -ENOSPC);
	assert_int_equal(store_errno(SQLITE_BUSY), -EBUSY);
	assert_int_equal(store_errno(SQLITE_CORRUPT), -EBADMSG);
	assert_int_equal(store_errno(SQLITE_NOTADB), -EBADMSG);
	assert_int_equal(store_errno(SQLITE_IOERR_FSYNC), -EIO);
}

/* Child: one change per loop (entry 0 := 03 + i), acknowledging each commit on fd. */
static void writer_child(const char *path, const struct store_opts *o, int from, int fd)
{
	char err[256], to[16];
	struct store *st = store_open_opts(path, o, err, sizeof(err));

	if (!st)
		_exit(3);
	for (int i = from;; i++) {
		snprintf(to, sizeof(to), "03%08d", i);
		if (store_set_list_entry(st, STORE_WHO_CFWDCTL, SUB, 0, to))
			_exit(4);
		if (write(fd, &i, sizeof(i)) != sizeof(i))
			_exit(5);
	}
}

static int last_acked(int fd, int def)
{
	int v, last = def;

	while (read(fd, &v, sizeof(v)) == sizeof(v))
		last = v;
	return last;
}

static void test_writer_killed_at_random_moments_leaves_a_whole_file(void **state)
{
	struct fx *fx = *state;
	struct cfwd_sub sub;
	char check[32];
	int acked = 0, n = 0;

	add_sub(fx, SUB);
	store_close(fx->st);
	fx->st = NULL;
	srand(4242);
	for (int round = 0; round < 6; round++) {
		int pfd[2], status;
		pid_t pid;

		assert_int_equal(pipe(pfd), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(pfd[0]);
			writer_child(fx->path, &fx->o, n + 1, pfd[1]);
		}
		close(pfd[1]);
		usleep(2000 + rand() % 30000);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		/* The child started at n + 1: everything up to n was found durable in the
		 * previous round, acknowledged or not, so n is this round's baseline. */
		acked = last_acked(pfd[0], n);
		close(pfd[0]);

		char err[256];

		fx->st = store_open_opts(fx->path, &fx->o, err, sizeof(err));
		assert_non_null(fx->st);
		sql_text(fx, "PRAGMA integrity_check", check, sizeof(check));
		assert_string_equal(check, "ok");
		get(fx, &sub);
		n = atoi(sub.list[0] + 2);
		step("kill -9 after %d acknowledged changes: the file holds %d, whole", acked, n);
		assert_true(n == acked || n == acked + 1);
		/* one audit row per applied change, and the last one names the stored value */
		assert_int_equal(sql_int(fx, "SELECT count(*) FROM audit WHERE what LIKE "
					     "'entry 0 := %'"), n);
		char what[64], expect[64];

		sql_text(fx, "SELECT what FROM audit ORDER BY id DESC LIMIT 1", what,
			 sizeof(what));
		snprintf(expect, sizeof(expect), "entry 0 := %s", sub.list[0]);
		if (n > 0)
			assert_string_equal(what, expect);
		store_close(fx->st);
		fx->st = NULL;
	}
	assert_true(n > 0);
	char err[256];

	fx->st = store_open_opts(fx->path, &fx->o, err, sizeof(err));
	assert_non_null(fx->st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_disk_full_change_is_reported_and_not_half_applied, fx_setup,
			fx_teardown),
		cmocka_unit_test_setup_teardown(test_busy_past_the_bounded_wait_is_reported,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_a_file_that_is_not_a_database_is_refused,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(
			test_writer_killed_at_random_moments_leaves_a_whole_file, fx_setup,
			fx_teardown),
	};

	log_set_all(LOGL_ERROR);
	return cmocka_run_group_tests_name("store_fail", tests, NULL, NULL);
}
