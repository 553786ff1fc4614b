/* tests/test_store_writer.c - a 142 change while another process holds the store's write
 * lock (feature/cfwd/store_writer.c): the 142 dialogue on a real loop (real clock), a
 * real store file, its changes made by the store writer thread, and a holder process
 * (forked before any connection is opened, its own connection) that keeps BEGIN
 * IMMEDIATE for as long as the test says, as a cfwdctl would. A 20 ms loop timer
 * measures how late the loop gets meanwhile. Shows: the loop does not wait on the lock;
 * the change lands after the lock is released and "done" is played only then; a lock
 * held past the bound gives "try later" after ~3 s with nothing written and the
 * refusal counted; a caller hanging up mid-commit leaves the change whole or absent. */
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>

#include <sqlite3.h>

#include "test_ivr_harness.h"
#include "feature/cfwd/store_writer.h"

#define TICK_US 20000u

struct fix {
	struct scen s;			/* recorder of the audio side + the loop's store */
	struct store_writer *w;
	struct cfwd_ivr_conf conf;
	struct cfwd_ivr *ivr;
	pid_t holder;
	int cmd, ack;			/* to and from the holder */
	struct timer tick;
	uint64_t due_us, worst_late_us;
	unsigned ticks;
	uint64_t released_us;		/* when the holder said it let go */
};

/* The holder: per command (hold time in ms, 4 bytes) BEGIN IMMEDIATE, 'L' (or 'E'),
 * keep it until the time is up or a byte comes, ROLLBACK, 'R'. */
static void __attribute__((noreturn)) holder_main(const char *path, int cmd, int ack)
{
	sqlite3 *db = NULL;
	uint32_t ms;
	char b;

	while (read(cmd, &ms, sizeof(ms)) == sizeof(ms)) {
		struct pollfd p = { .fd = cmd, .events = POLLIN };

		if (!db && sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
			_exit(2);
		b = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK ? 'L' : 'E';
		if (write(ack, &b, 1) != 1)
			_exit(3);
		if (poll(&p, 1, (int)ms) == 1 && read(cmd, &b, 1) != 1)
			_exit(0);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		b = 'R';
		if (write(ack, &b, 1) != 1)
			_exit(3);
	}
	sqlite3_close(db);
	_exit(0);
}

static void holder_lock(struct fix *f, uint32_t ms)
{
	char b = 0;

	printf("     (holder: BEGIN IMMEDIATE for up to %u ms)\n", ms);
	assert_int_equal(write(f->cmd, &ms, sizeof(ms)), sizeof(ms));
	assert_int_equal(read(f->ack, &b, 1), 1);
	assert_int_equal(b, 'L');
	f->released_us = 0;
}

static void holder_release_now(struct fix *f)
{
	char b = 'x';

	assert_int_equal(write(f->cmd, &b, 1), 1);
}

static void holder_ack(struct loop *l, int fd, short revents, void *user)
{
	struct fix *f = user;
	char b;

	if (read(fd, &b, 1) == 1 && b == 'R') {
		f->released_us = clock_now_us();
		printf("     (holder: ROLLBACK, lock released)\n");
	}
}

static void tick_cb(struct timer *t, void *user)
{
	struct fix *f = user;
	uint64_t now = clock_now_us();

	if (now > f->due_us && now - f->due_us > f->worst_late_us)
		f->worst_late_us = now - f->due_us;
	f->ticks++;
	f->due_us += TICK_US;
	timer_schedule_at_us(t, f->due_us);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	int cmd[2], ack[2], fd;
	struct store_opts o;
	char err[256];

	assert_non_null(f);
	setvbuf(stdout, NULL, _IOLBF, 0);
	log_set_all(LOGL_NOTICE);
	snprintf(f->s.path, sizeof(f->s.path), "/tmp/cfwd-writer-test-XXXXXX");
	fd = mkstemp(f->s.path);
	assert_true(fd >= 0);
	close(fd);
	unlink(f->s.path);
	/* the holder first: it must not inherit any SQLite state of ours */
	assert_int_equal(pipe(cmd), 0);
	assert_int_equal(pipe(ack), 0);
	f->holder = fork();
	assert_true(f->holder >= 0);
	if (f->holder == 0) {
		close(cmd[1]);
		close(ack[0]);
		holder_main(f->s.path, cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	f->cmd = cmd[1];
	f->ack = ack[0];

	f->s.loop = loop_alloc();
	assert_non_null(f->s.loop);
	store_opts_default(&o);
	o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
	o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
	f->s.st = store_open_opts(f->s.path, &o, err, sizeof(err));
	if (!f->s.st)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_sub_add(f->s.st, STORE_WHO_CFWDCTL, SUB, true), 0);
	f->w = store_writer_alloc(f->s.loop, f->s.st, 3000, err, sizeof(err));
	if (!f->w)
		fail_msg("%s", err);
	cfwd_refused_default(&f->s.refused);
	f->conf.store = f->s.st;
	f->conf.writer = f->w;
	f->conf.refused = &f->s.refused;
	f->s.live_base = fsm_inst_live_count();
	timer_setup(&f->tick, f->s.loop, tick_cb, f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char p[80];
	int st;

	timer_cancel(&f->tick);
	close(f->cmd);		/* the holder ends at EOF */
	waitpid(f->holder, &st, 0);
	close(f->ack);
	loop_run_once(f->s.loop, 0);
	assert_int_equal(fsm_inst_live_count(), f->s.live_base);
	store_writer_free(f->w);
	store_close(f->s.st);
	loop_free(f->s.loop);
	unlink(f->s.path);
	snprintf(p, sizeof(p), "%s-wal", f->s.path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", f->s.path);
	unlink(p);
	free(f);
	return 0;
}

static void ticking(struct fix *f)
{
	f->due_us = clock_now_us() + TICK_US;
	f->worst_late_us = 0;
	f->ticks = 0;
	timer_schedule_at_us(&f->tick, f->due_us);
	assert_int_equal(loop_fd_add(f->s.loop, f->ack, POLLIN, holder_ack, f), 0);
}

static void stop_ticking(struct fix *f)
{
	timer_cancel(&f->tick);
	loop_fd_del(f->s.loop, f->ack);
}

static bool committing(struct fix *f)
{
	return !strcmp(cfwd_ivr_state_name(f->ivr), "COMMITTING");
}

/* Run the real loop until the dialogue has left COMMITTING (or ms pass). */
static uint64_t run_while_committing(struct fix *f, unsigned ms)
{
	uint64_t t0 = clock_now_us();

	while (committing(f) && clock_now_us() - t0 < (uint64_t)ms * 1000)
		loop_run_once(f->s.loop, 5);
	return (clock_now_us() - t0) / 1000;
}

static void dial_ring_time_30(struct fix *f)
{
	step("0312345678 calls 142, presses 3, then 3 0");
	f->ivr = cfwd_ivr_start(f->s.loop, &f->conf, &rec_ops, &f->s, SUB);
	assert_non_null(f->ivr);
	expect_play(&f->s, "welcome menu");
	assert_int_equal(cfwd_ivr_digit(f->ivr, '3'), 0);
	expect_play(&f->s, "enter_ring_time");
	assert_int_equal(cfwd_ivr_digit(f->ivr, '3'), 0);
	assert_int_equal(cfwd_ivr_digit(f->ivr, '0'), 0);
}

static int count_audit(void *user, const struct store_audit *a)
{
	(*(int *)user)++;
	return 0;
}

static int audit_rows(struct fix *f)
{
	int n = 0;

	assert_int_equal(store_audit_foreach(f->s.st, SUB, count_audit, &n), 0);
	return n;
}

static void test_142_change_waits_for_a_held_lock_off_the_loop(void **state)
{
	struct fix *f = *state;
	uint64_t pressed, took;

	dial_ring_time_30(f);
	step("cfwdctl (the holder) keeps the write lock for 1.5 s; the caller presses #");
	holder_lock(f, 1500);
	ticking(f);
	pressed = clock_now_us();
	assert_int_equal(cfwd_ivr_digit(f->ivr, '#'), 0);
	assert_true(committing(f));
	expect_nothing_played(&f->s);

	step("The loop keeps its 20 ms timer while the writer waits for the lock");
	took = run_while_committing(f, 5000);
	while (!f->released_us && clock_now_us() - pressed < 6000000)
		loop_run_once(f->s.loop, 5);
	stop_ticking(f);
	printf("     result after %llu ms; 20 ms timer: %u ticks, worst %llu us late\n",
	       (unsigned long long)took, f->ticks, (unsigned long long)f->worst_late_us);
	assert_true(f->worst_late_us < 50000);
	assert_true(f->ticks >= 60);

	step("The change landed after the release, and \"done\" was played only then");
	assert_true(f->released_us > pressed);
	expect_play(&f->s, "done done_menu_or_hangup");
	assert_true(f->s.done_snap_ok);
	assert_int_equal(f->s.at_done.ring_time_s, 30);
	assert_int_equal(sub_now(&f->s).ring_time_s, 30);
	assert_true(took >= 1400);
	assert_int_equal(store_writer_stats(f->w)->committed, 1);
	assert_int_equal(store_writer_stats(f->w)->lock_timeouts, 0);
	assert_true(store_writer_stats(f->w)->max_wait_ms >= 1400);

	cfwd_ivr_hangup(f->ivr);
}

static void test_142_change_past_the_bound_is_refused_with_nothing_written(void **state)
{
	struct fix *f = *state;
	int audit_before;
	uint64_t took;

	dial_ring_time_30(f);
	audit_before = audit_rows(f);
	step("The holder keeps the write lock past the 3 s bound; the caller presses #");
	holder_lock(f, 20000);
	ticking(f);
	assert_int_equal(cfwd_ivr_digit(f->ivr, '#'), 0);
	assert_true(committing(f));
	took = run_while_committing(f, 8000);
	stop_ticking(f);
	printf("     result after %llu ms; 20 ms timer: %u ticks, worst %llu us late\n",
	       (unsigned long long)took, f->ticks, (unsigned long long)f->worst_late_us);

	step("\"Try later\" (nothing changed) after ~3 s, the loop on time throughout");
	assert_true(took >= 2900 && took <= 3800);
	assert_true(f->worst_late_us < 50000);
	expect_play(&f->s, "try_later menu");
	assert_string_equal(cfwd_ivr_state_name(f->ivr), "MENU");
	assert_int_equal(store_writer_stats(f->w)->lock_timeouts, 1);
	assert_int_equal(store_writer_stats(f->w)->committed, 0);

	step("The holder lets go: the ring time is still 20, no audit row was added");
	holder_release_now(f);
	ticking(f);
	while (!f->released_us)
		loop_run_once(f->s.loop, 5);
	stop_ticking(f);
	assert_int_equal(sub_now(&f->s).ring_time_s, CFWD_RING_TIME_DEFAULT);
	assert_int_equal(audit_rows(f), audit_before);

	cfwd_ivr_hangup(f->ivr);
}

static void test_142_hang_up_mid_commit_leaves_the_change_whole_or_absent(void **state)
{
	struct fix *f = *state;
	int audit_before;
	struct cfwd_sub sub;

	dial_ring_time_30(f);
	audit_before = audit_rows(f);
	step("The holder keeps the lock for 300 ms; # and the caller hangs up at once");
	holder_lock(f, 300);
	ticking(f);
	assert_int_equal(cfwd_ivr_digit(f->ivr, '#'), 0);
	assert_int_equal(cfwd_ivr_hangup(f->ivr), 0);
	while (store_writer_in_flight(f->w) || !f->released_us)
		loop_run_once(f->s.loop, 5);
	stop_ticking(f);

	step("No callback into the gone session; the change is all there or not at all");
	sub = sub_now(&f->s);
	if (sub.ring_time_s == 30)
		assert_int_equal(audit_rows(f), audit_before + 1);
	else
		assert_int_equal(audit_rows(f), audit_before);
	assert_int_equal(f->s.n_played, f->s.seen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_142_change_waits_for_a_held_lock_off_the_loop,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_142_change_past_the_bound_is_refused_with_nothing_written, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_142_hang_up_mid_commit_leaves_the_change_whole_or_absent, setup,
			teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests_name("store_writer", tests, NULL, NULL);
}
