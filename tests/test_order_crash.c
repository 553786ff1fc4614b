/* tests/test_order_crash.c - kill -9 during `order verify`: a child process verifies
 * orders on the same store file and dies (inside COMMIT, just after it, or at a random
 * moment); the parent reopens the file and finds it intact (integrity_check ok) with
 * every order either fully before verification (verifying, no checks, images kept) or
 * fully after (a verdict row, images recorded deleted and, after the sweep, gone). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/test_order_fixture.h"

static int die_in_commit(void *user)
{
	raise(SIGKILL);
	return 0;
}

static int die_after_commit(void *user, sqlite3 *db, const char *name, int pages)
{
	raise(SIGKILL);
	return SQLITE_OK;
}

enum crash_at { CRASH_IN_COMMIT, CRASH_AFTER_COMMIT, CRASH_WHENEVER };

/* The child: its own connection, verify ids [first, last], then wait to be killed. */
static void child_verify(struct ofix *f, enum crash_at at, int64_t first, int64_t last)
{
	char err[256];
	struct store *st = store_open(f->db, err, sizeof(err));
	struct orders *o = st ? orders_open(store_db(st), err, sizeof(err)) : NULL;
	struct order_verify_result res;

	if (!o)
		_exit(3);
	if (at == CRASH_IN_COMMIT)
		sqlite3_commit_hook(store_db(st), die_in_commit, NULL);
	else if (at == CRASH_AFTER_COMMIT)
		sqlite3_wal_hook(store_db(st), die_after_commit, NULL);
	for (int64_t id = first; id <= last; id++)
		orders_verify(o, id, &res);
	for (;;)
		pause();
}

static void run_child(struct ofix *f, enum crash_at at, int64_t first, int64_t last,
		      useconds_t kill_after)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0)
		child_verify(f, at, first, last);
	if (at == CRASH_WHENEVER) {
		usleep(kill_after);
		kill(pid, SIGKILL);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
}

static int64_t order_in_verification(struct ofix *f, int i)
{
	char num[16];
	int64_t id;

	snprintf(num, sizeof(num), "03%08d", 10000 + i);
	id = ofix_new(f, num, false);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc(f, id, "drivers-licence", "front", "2030-01-31", NULL, NULL);
	assert_int_equal(orders_submit(f->o, id), 0);
	return id;
}

static int count_id(struct ofix *f, const char *fmt, int64_t id)
{
	char sql[256];

	snprintf(sql, sizeof(sql), fmt, (long long)id);
	return ofix_count(f, sql);
}

static void assert_integrity(struct ofix *f)
{
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_prepare_v2(store_db(f->st), "PRAGMA integrity_check", -1, &s,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
	sqlite3_finalize(s);
}

/* Returns 1 if the order is fully after verification, 0 if fully before. */
static int assert_before_or_after(struct ofix *f, int64_t id)
{
	struct order r;
	int checks = count_id(f, "SELECT count(*) FROM document_checks WHERE order_id = %lld", id);
	int verdicts = count_id(f, "SELECT count(*) FROM document_checks WHERE order_id = %lld "
				   "AND rule = 'verdict'", id);
	int kept = count_id(f, "SELECT count(*) FROM documents WHERE order_id = %lld "
			       "AND deleted IS NULL", id);
	int events = count_id(f, "SELECT count(*) FROM order_events WHERE order_id = %lld "
				 "AND event = 'verified'", id);

	assert_int_equal(orders_get(f->o, id, &r), 0);
	if (r.state == ORDER_ST_VERIFYING) {
		assert_int_equal(checks, 0);
		assert_int_equal(kept, 1);
		assert_int_equal(events, 0);
		assert_int_equal(r.work_date, DOC_DATE_NONE);
		return 0;
	}
	assert_int_equal(r.state, ORDER_ST_SCHEDULED);
	assert_int_equal(verdicts, 1);
	assert_int_equal(kept, 0);
	assert_int_equal(events, 1);
	assert_int_equal(r.work_date, ofix_day("2026-11-26"));
	return 1;
}

static void test_kill_inside_commit_leaves_the_order_before_verification(void **state)
{
	struct ofix *f = *state;
	int64_t id = order_in_verification(f, 1);

	step("The child dies inside the COMMIT of `order verify`");
	run_child(f, CRASH_IN_COMMIT, id, id, 0);
	ofix_reopen(f);
	assert_integrity(f);
	assert_int_equal(assert_before_or_after(f, id), 0);
	assert_int_equal(ofix_files(f), 1);

	step("Verifying again completes normally");
	struct order_verify_result res;

	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(assert_before_or_after(f, id), 1);
	assert_int_equal(ofix_files(f), 0);
}

static void test_kill_after_commit_leaves_it_after_and_the_sweep_deletes_images(void **state)
{
	struct ofix *f = *state;
	int64_t id = order_in_verification(f, 2);

	step("The child dies right after the COMMIT, before unlinking the image");
	run_child(f, CRASH_AFTER_COMMIT, id, id, 0);
	ofix_reopen(f);
	assert_integrity(f);
	assert_int_equal(assert_before_or_after(f, id), 1);
	assert_int_equal(ofix_files(f), 1);	/* recorded deleted, still on disk */

	step("The next command's sweep removes it");
	assert_int_equal(orders_sweep(f->o), 1);
	assert_int_equal(ofix_files(f), 0);
}

static void test_kill_at_random_moments_never_half_applies(void **state)
{
	struct ofix *f = *state;
	enum { N = 30, ROUNDS = 6 };
	int64_t ids[N];
	int after = 0;

	for (int i = 0; i < N; i++)
		ids[i] = order_in_verification(f, 100 + i);
	srand(42);
	for (int round = 0; round < ROUNDS; round++) {
		useconds_t delay = (useconds_t)(1000 + rand() % 4000);

		step("round %d: kill -9 after %u us", round, (unsigned)delay);
		run_child(f, CRASH_WHENEVER, ids[0], ids[N - 1], delay);
		ofix_reopen(f);
		assert_integrity(f);
		after = 0;
		for (int i = 0; i < N; i++)
			after += assert_before_or_after(f, ids[i]);
		orders_sweep(f->o);
		assert_int_equal(ofix_files(f), N - after);
		print_message("     %d of %d verified so far\n", after, N);
	}
	step("Finishing in this process leaves every order verified and no image");
	for (int i = 0; i < N; i++) {
		struct order_verify_result res;
		int rc = orders_verify(f->o, ids[i], &res);

		assert_true(rc == 0 || rc == -EPERM);
		assert_int_equal(assert_before_or_after(f, ids[i]), 1);
	}
	assert_int_equal(ofix_files(f), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_kill_inside_commit_leaves_the_order_before_verification, ofix_setup,
			ofix_teardown),
		cmocka_unit_test_setup_teardown(
			test_kill_after_commit_leaves_it_after_and_the_sweep_deletes_images,
			ofix_setup, ofix_teardown),
		cmocka_unit_test_setup_teardown(test_kill_at_random_moments_never_half_applies,
						ofix_setup, ofix_teardown),
	};

	return cmocka_run_group_tests_name("order_crash", tests, NULL, NULL);
}
