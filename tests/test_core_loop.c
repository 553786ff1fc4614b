/* tests/test_core_loop.c - the poll loop: timers driven by the fake clock fire in due
 * order (FIFO on ties), callbacks cancel and re-arm timers and add/remove fds while the
 * loop dispatches, fd events arrive through a socketpair, deferred calls run at the end
 * of the round. Only one test uses the real clock (loop_run_once(-1) sleeps to a timer). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/loop.h"
#include "core/util.h"

struct fixture {
	struct loop *l;
	char order[32]; /* names of fired callbacks, in firing order */
	size_t n;
};

static int setup(void **state)
{
	static struct fixture f;

	f = (struct fixture){ 0 };
	fake_clock_enable(1000000, 1700000000);
	f.l = loop_alloc();
	assert_non_null(f.l);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	loop_free(f->l);
	fake_clock_disable();
	return 0;
}

/* A timer whose callback records its name. */
struct named_timer {
	struct timer t;
	struct fixture *f;
	char name;
	struct timer *cancel; /* timer to cancel when fired */
	int rearm_ms; /* re-arm itself with this delay (-1: no) */
};

static void named_fired(struct timer *t, void *user)
{
	struct named_timer *nt = user;

	nt->f->order[nt->f->n++] = nt->name;
	if (nt->cancel)
		timer_cancel(nt->cancel);
	if (nt->rearm_ms >= 0) {
		timer_schedule_ms(&nt->t, (uint64_t)nt->rearm_ms);
		nt->rearm_ms = -1;
	}
}

static void named_setup(struct named_timer *nt, struct fixture *f, char name)
{
	*nt = (struct named_timer){ .f = f, .name = name, .rearm_ms = -1 };
	timer_setup(&nt->t, f->l, named_fired, nt);
}

static void test_timers_fire_in_due_order_and_in_scheduling_order_on_ties(void **state)
{
	struct fixture *f = *state;
	struct named_timer a, b, c, d, e;

	named_setup(&a, f, 'a');
	named_setup(&b, f, 'b');
	named_setup(&c, f, 'c');
	named_setup(&d, f, 'd');
	named_setup(&e, f, 'e');
	timer_schedule_ms(&a.t, 30);
	timer_schedule_ms(&b.t, 10);
	timer_schedule_ms(&c.t, 20);
	timer_schedule_ms(&d.t, 10);
	timer_schedule_ms(&e.t, 10);
	assert_int_equal(loop_timer_count(f->l), 5);

	/* 9 ms: nothing is due */
	fake_time_passes(9);
	assert_int_equal(loop_run_once(f->l, 0), 0);
	assert_int_equal(f->n, 0);
	assert_int_equal(timer_remaining_ms(&b.t), 1);

	/* 10 ms: the three ties fire in the order they were scheduled */
	fake_time_passes(1);
	assert_int_equal(loop_run_once(f->l, 0), 3);
	assert_memory_equal(f->order, "bde", 3);

	/* 40 ms: the rest, earliest first */
	fake_time_passes(30);
	assert_int_equal(loop_run_once(f->l, 0), 2);
	assert_memory_equal(f->order, "bdeca", 5);
	assert_int_equal(loop_timer_count(f->l), 0);
	assert_false(timer_pending(&a.t));
	assert_int_equal(timer_remaining_ms(&a.t), 0);
}

static void test_rescheduling_a_timer_moves_it_behind_its_ties(void **state)
{
	struct fixture *f = *state;
	struct named_timer a, b;

	named_setup(&a, f, 'a');
	named_setup(&b, f, 'b');
	timer_schedule_ms(&a.t, 10);
	timer_schedule_ms(&b.t, 10);
	timer_schedule_ms(&a.t, 10); /* re-armed: same due time, later sequence */
	assert_int_equal(loop_timer_count(f->l), 2);
	fake_time_passes(10);
	loop_run_once(f->l, 0);
	assert_memory_equal(f->order, "ba", 2);
}

static void test_callback_cancels_a_timer_due_in_the_same_round(void **state)
{
	struct fixture *f = *state;
	struct named_timer a, b, c;

	named_setup(&a, f, 'a');
	named_setup(&b, f, 'b');
	named_setup(&c, f, 'c');
	a.cancel = &b.t;
	timer_schedule_ms(&a.t, 5);
	timer_schedule_ms(&b.t, 5);
	timer_schedule_ms(&c.t, 7);
	fake_time_passes(10);
	assert_int_equal(loop_run_once(f->l, 0), 2);
	assert_int_equal(f->n, 2);
	assert_memory_equal(f->order, "ac", 2);
	assert_false(timer_pending(&b.t));
	timer_cancel(&b.t); /* cancelling an idle timer is harmless */
}

static void test_timer_rearmed_for_zero_ms_fires_next_round_not_in_a_spin(void **state)
{
	struct fixture *f = *state;
	struct named_timer a;

	named_setup(&a, f, 'a');
	a.rearm_ms = 0;
	timer_schedule_ms(&a.t, 1);
	fake_time_passes(1);
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_true(timer_pending(&a.t));
	assert_int_equal(f->n, 1);
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_int_equal(f->n, 2);
	assert_false(timer_pending(&a.t));
}

static void test_callback_reschedules_a_pending_timer_later(void **state)
{
	struct fixture *f = *state;
	struct named_timer a, b;

	named_setup(&a, f, 'a');
	named_setup(&b, f, 'b');
	timer_schedule_ms(&a.t, 5);
	timer_schedule_ms(&b.t, 5);
	b.rearm_ms = 100; /* b fires at 5 and re-arms itself for 105 */
	fake_time_passes(5);
	assert_int_equal(loop_run_once(f->l, 0), 2);
	assert_int_equal(timer_remaining_ms(&b.t), 100);
	fake_time_passes(99);
	assert_int_equal(loop_run_once(f->l, 0), 0);
	fake_time_passes(1);
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_memory_equal(f->order, "abb", 3);
}

struct fired_log {
	uint64_t due[200];
	uint64_t seq[200];
	unsigned n;
};

static void log_due(struct timer *t, void *user)
{
	struct fired_log *fl = user;

	fl->due[fl->n] = t->due_us;
	fl->seq[fl->n++] = t->seq;
}

static void test_many_timers_come_out_of_the_heap_sorted(void **state)
{
	struct fixture *f = *state;
	static struct timer t[200];
	struct fired_log fl = { .n = 0 };

	/* scattered due times with many ties; a quarter cancelled, some re-armed */
	for (unsigned i = 0; i < ARRAY_SIZE(t); i++) {
		timer_setup(&t[i], f->l, log_due, &fl);
		timer_schedule_ms(&t[i], (i * 7919u) % 50u);
	}
	for (unsigned i = 0; i < 50; i++)
		timer_cancel(&t[i * 4]);
	for (unsigned i = 1; i < 200; i += 9)
		timer_schedule_ms(&t[i], (i * 31u) % 50u);
	assert_int_equal(loop_timer_count(f->l), 155); /* 5 re-armed were cancelled */
	fake_time_passes(50);
	assert_int_equal(loop_run_once(f->l, 0), 155);
	assert_int_equal(fl.n, 155);
	for (unsigned i = 1; i < fl.n; i++) {
		assert_true(fl.due[i - 1] <= fl.due[i]);
		if (fl.due[i - 1] == fl.due[i])
			assert_true(fl.seq[i - 1] < fl.seq[i]);
	}
	assert_int_equal(loop_timer_count(f->l), 0);
}

struct fd_probe {
	struct fixture *f;
	char name;
	int other_fd; /* fd to remove when called (-1: none) */
	int readd_fd; /* fd to re-add with readd_cb (-1: none) */
	loop_fd_cb readd_cb;
	void *readd_user;
	short revents;
};

static void probe_cb(struct loop *l, int fd, short revents, void *user)
{
	struct fd_probe *p = user;
	char buf[16];

	p->f->order[p->f->n++] = p->name;
	p->revents = revents;
	if (revents & POLLIN)
		assert_true(read(fd, buf, sizeof(buf)) > 0);
	if (p->other_fd >= 0)
		loop_fd_del(l, p->other_fd);
	if (p->readd_fd >= 0)
		assert_int_equal(loop_fd_add(l, p->readd_fd, POLLIN, p->readd_cb, p->readd_user),
				 0);
}

static void test_socketpair_data_reaches_the_fd_callback(void **state)
{
	struct fixture *f = *state;
	struct fd_probe p = { .f = f, .name = 'x', .other_fd = -1, .readd_fd = -1 };
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(loop_fd_add(f->l, sv[0], POLLIN, probe_cb, &p), 0);
	assert_int_equal(loop_fd_add(f->l, sv[0], POLLIN, probe_cb, &p), -EEXIST);
	assert_int_equal(loop_fd_count(f->l), 1);

	assert_int_equal(loop_run_once(f->l, 0), 0); /* nothing to read yet */
	assert_int_equal(write(sv[1], "iam", 3), 3);
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_int_equal(p.revents & POLLIN, POLLIN);

	/* writable interest only after loop_fd_mod */
	assert_int_equal(loop_fd_mod(f->l, sv[0], POLLOUT), 0);
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_int_equal(p.revents & POLLOUT, POLLOUT);
	assert_int_equal(loop_fd_mod(f->l, 12345, POLLIN), -ENOENT);

	loop_fd_del(f->l, sv[0]);
	loop_fd_del(f->l, sv[0]); /* twice is harmless */
	assert_int_equal(loop_fd_count(f->l), 0);
	assert_int_equal(write(sv[1], "rel", 3), 3);
	assert_int_equal(loop_run_once(f->l, 0), 0);
	close(sv[0]);
	close(sv[1]);
}

static void test_fd_removed_during_a_round_gets_no_pending_events(void **state)
{
	struct fixture *f = *state;
	int a[2], b[2];
	struct fd_probe pa = { .f = f, .name = 'a', .readd_fd = -1 };
	struct fd_probe pb = { .f = f, .name = 'b', .readd_fd = -1 };

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	pa.other_fd = b[0];
	pb.other_fd = a[0];
	assert_int_equal(loop_fd_add(f->l, a[0], POLLIN, probe_cb, &pa), 0);
	assert_int_equal(loop_fd_add(f->l, b[0], POLLIN, probe_cb, &pb), 0);
	assert_int_equal(write(a[1], "1", 1), 1);
	assert_int_equal(write(b[1], "2", 1), 1);

	/* both are readable; whichever runs first removes the other */
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_int_equal(f->n, 1);
	assert_int_equal(loop_fd_count(f->l), 1);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
}

static void test_fd_removed_and_readded_in_a_round_waits_for_fresh_events(void **state)
{
	struct fixture *f = *state;
	int a[2], b[2];
	struct fd_probe pa = { .f = f, .name = 'a' };
	struct fd_probe pb = { .f = f, .name = 'b', .other_fd = -1, .readd_fd = -1 };
	struct fd_probe pnew = { .f = f, .name = 'n', .other_fd = -1, .readd_fd = -1 };

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
	pa.other_fd = b[0];
	pa.readd_fd = b[0];
	pa.readd_cb = probe_cb;
	pa.readd_user = &pnew;
	assert_int_equal(loop_fd_add(f->l, a[0], POLLIN, probe_cb, &pa), 0);
	assert_int_equal(loop_fd_add(f->l, b[0], POLLIN, probe_cb, &pb), 0);
	assert_int_equal(write(a[1], "1", 1), 1);
	assert_int_equal(write(b[1], "2", 1), 1);

	/* a runs first (added first), replaces b's registration: no stale revents */
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_memory_equal(f->order, "a", 1);
	pa.other_fd = pa.readd_fd = -1;
	/* next round the new registration sees the byte still waiting */
	assert_int_equal(loop_run_once(f->l, 0), 1);
	assert_memory_equal(f->order, "an", 2);
	for (int i = 0; i < 2; i++) {
		close(a[i]);
		close(b[i]);
	}
}

static void count_cb(struct loop *l, int fd, short revents, void *user)
{
	char c;

	assert_int_equal(read(fd, &c, 1), 1);
	(*(int *)user)++;
}

static void test_fd_table_grows_for_many_fds(void **state)
{
	struct fixture *f = *state;
	int sv[40][2];
	int calls = 0;

	for (int i = 0; i < 40; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv[i]), 0);
		assert_int_equal(loop_fd_add(f->l, sv[i][0], POLLIN, count_cb, &calls), 0);
	}
	assert_int_equal(loop_fd_count(f->l), 40);
	for (int i = 0; i < 40; i += 2)
		loop_fd_del(f->l, sv[i][0]);
	for (int i = 0; i < 40; i++)
		assert_int_equal(write(sv[i][1], "x", 1), 1);
	assert_int_equal(loop_run_once(f->l, 0), 20);
	assert_int_equal(calls, 20);
	for (int i = 0; i < 40; i++) {
		loop_fd_del(f->l, sv[i][0]);
		close(sv[i][0]);
		close(sv[i][1]);
	}
	assert_int_equal(loop_fd_count(f->l), 0);
}

struct defer_probe {
	struct fixture *f;
	char name;
	struct defer_probe *chain; /* defer this one when run */
};

static void defer_cb(void *user)
{
	struct defer_probe *d = user;

	d->f->order[d->f->n++] = d->name;
	if (d->chain)
		assert_int_equal(loop_defer(d->f->l, defer_cb, d->chain), 0);
}

static void defer_from_timer(struct timer *t, void *user)
{
	struct defer_probe *d = user;

	d->f->order[d->f->n++] = 'T';
	assert_int_equal(loop_defer(d->f->l, defer_cb, d), 0);
}

static void test_deferred_calls_run_after_the_round_in_fifo_order(void **state)
{
	struct fixture *f = *state;
	struct defer_probe z = { .f = f, .name = 'z' };
	struct defer_probe x = { .f = f, .name = 'x', .chain = &z };
	struct defer_probe y = { .f = f, .name = 'y' };
	struct timer t;

	assert_int_equal(loop_defer(f->l, defer_cb, &x), 0);
	assert_int_equal(loop_defer(f->l, defer_cb, &y), 0);
	assert_int_equal(f->n, 0);
	/* timeout -1 must not sleep while calls are deferred */
	assert_int_equal(loop_run_once(f->l, -1), 2);
	assert_memory_equal(f->order, "xyz", 3);

	timer_setup(&t, f->l, defer_from_timer, &y);
	timer_schedule_ms(&t, 0);
	assert_int_equal(loop_run_once(f->l, 0), 2);
	assert_memory_equal(f->order, "xyzTy", 5);
}

static void stop_cb(struct timer *t, void *user)
{
	struct fixture *f = user;

	f->order[f->n++] = 's';
	loop_stop(f->l);
}

static void test_run_once_without_timeout_sleeps_until_the_next_timer(void **state)
{
	struct fixture *f = *state;
	struct timer t;
	uint64_t t0;

	fake_clock_disable(); /* real CLOCK_MONOTONIC for this one */
	timer_setup(&t, f->l, stop_cb, f);
	t0 = clock_now_us();
	timer_schedule_ms(&t, 3);
	assert_int_equal(loop_run(f->l), 0);
	assert_int_equal(f->n, 1);
	assert_true(clock_now_us() - t0 >= 3000);
}

static void test_loop_free_cancels_timers_and_runs_deferred_calls(void **state)
{
	struct fixture *f = *state;
	struct defer_probe x = { .f = f, .name = 'x' };
	struct timer t;

	timer_setup(&t, f->l, NULL, NULL);
	timer_schedule_ms(&t, 100);
	assert_int_equal(loop_defer(f->l, defer_cb, &x), 0);
	loop_free(f->l);
	f->l = NULL;
	assert_false(timer_pending(&t));
	assert_memory_equal(f->order, "x", 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_timers_fire_in_due_order_and_in_scheduling_order_on_ties, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_rescheduling_a_timer_moves_it_behind_its_ties,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_callback_cancels_a_timer_due_in_the_same_round,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_timer_rearmed_for_zero_ms_fires_next_round_not_in_a_spin, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_callback_reschedules_a_pending_timer_later,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_timers_come_out_of_the_heap_sorted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_socketpair_data_reaches_the_fd_callback, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_fd_removed_during_a_round_gets_no_pending_events, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_fd_removed_and_readded_in_a_round_waits_for_fresh_events, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_fd_table_grows_for_many_fds, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_deferred_calls_run_after_the_round_in_fifo_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_run_once_without_timeout_sleeps_until_the_next_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_loop_free_cancels_timers_and_runs_deferred_calls, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
