/* tests/test_remote.c - remote control (SERVICE.md §4) as call ladders: start with the
 * last condition, stop, select and start; the same rejection for unknown number, wrong
 * PIN, remote disabled, service inactive and locked out; lockout after 3 wrong PINs for
 * 60 minutes (configurable), reset on success; the PIN never appears in the log.
 * The PIN hash runs on pin_check worker threads: the ladder drives the loop until the
 * verdict is in. Real store (temp SQLite file), fake clock, a recorder for the audio
 * side; the loop-stall test alone runs on the real clock with the real hash cost. */
#include "core/conf.h"
#include "feature/cfwd/pin_check.h"
#include "feature/cfwd/remote.h"
#include "tests/test_ivr_harness.h"

#define PIN "4826"
#define ACCESS_CALLER "09011112222"

static struct cfwd_remote_conf the_conf;
static struct loop *s_loop;

static int rm_setup(void **state)
{
	struct scen *s;

	scen_setup(state);
	s = *state;
	s_loop = s->loop;
	the_conf.checker = pin_check_alloc(s->loop, 2, 16);
	assert_non_null(the_conf.checker);
	return 0;
}

static int rm_teardown(void **state)
{
	struct scen *s = *state;

	loop_run_once(s->loop, 0);	/* sessions ended in the last round are freed */
	pin_check_free(the_conf.checker);
	memset(&the_conf, 0, sizeof(the_conf));
	return scen_teardown(state);
}

static struct cfwd_remote *call_remote(struct scen *s)
{
	struct cfwd_remote *rm;

	printf("     -> %s dials the remote-control access number\n", ACCESS_CALLER);
	the_conf.store = s->st;
	rm = cfwd_remote_start(s->loop, &the_conf, &rec_ops, s, ACCESS_CALLER);
	assert_non_null(rm);
	expect_play(s, "remote_welcome remote_enter_number");
	assert_int_equal(cfwd_remote_prompt_done(rm), 0);
	return rm;
}

/* The hash is on a worker: the loop runs until its verdict has come back. */
static void wait_verdict(struct cfwd_remote *rm)
{
	while (strcmp(cfwd_remote_state_name(rm), "VERIFYING") == 0)
		loop_run_once(s_loop, 100);
}

static void press(struct cfwd_remote *rm, const char *keys)
{
	printf("     -> DTMF %s\n", keys);
	for (; *keys; keys++) {
		assert_int_equal(cfwd_remote_digit(rm, *keys), 0);
		wait_verdict(rm);
	}
}

static void heard(struct cfwd_remote *rm)
{
	assert_int_equal(cfwd_remote_prompt_done(rm), 0);
}

/* Number + # + PIN: then the command question (or the rejection). */
static void log_in(struct scen *s, struct cfwd_remote *rm, const char *num, const char *pin)
{
	char keys[40];

	snprintf(keys, sizeof(keys), "%s#", num);
	press(rm, keys);
	expect_play(s, "remote_enter_pin");
	press(rm, pin);
}

static void prepare(struct scen *s)
{
	assert_int_equal(store_set_forward_to(s->st, STORE_WHO_142, SUB, FWD), 0);
	assert_int_equal(store_set_remote(s->st, STORE_WHO_142, SUB, true, PIN), 0);
}

static void finish(struct scen *s, struct cfwd_remote *rm)
{
	heard(rm);
	assert_true(s->ended);
	assert_int_equal(s->end_cause, 16);
}

/* SUB calls the remote access and logs in with the right PIN: the command question. */
static struct cfwd_remote *at_command(struct scen *s)
{
	struct cfwd_remote *rm = call_remote(s);

	log_in(s, rm, SUB, PIN);
	expect_play(s, "remote_command");
	return rm;
}

/* At the command question SUB presses KEY, hears REPLY (then goodbye), the condition is
 * WANT and the call ends normally. */
static void command(struct scen *s, const char *key, const char *reply,
		    enum cfwd_condition want)
{
	struct cfwd_remote *rm = at_command(s);

	press(rm, key);
	expect_play(s, reply);
	assert_int_equal(sub_now(s).condition, want);
	finish(s, rm);
}

static void test_start_with_1_uses_unconditional_when_never_set(void **state)
{
	struct scen *s = *state;

	prepare(s);
	command(s, "1", "remote_started goodbye", CFWD_COND_UNCONDITIONAL);
}

static void test_start_with_1_uses_the_last_condition(void **state)
{
	struct scen *s = *state;

	prepare(s);
	step("The subscriber had busy forwarding, then stopped it");
	assert_int_equal(store_set_condition(s->st, STORE_WHO_142, SUB, CFWD_COND_BUSY), 0);
	assert_int_equal(store_set_condition(s->st, STORE_WHO_142, SUB, CFWD_COND_OFF), 0);
	command(s, "1", "remote_started goodbye", CFWD_COND_BUSY);
}

static void test_stop_with_0(void **state)
{
	struct scen *s = *state;

	prepare(s);
	assert_int_equal(store_set_condition(s->st, STORE_WHO_142, SUB, CFWD_COND_NO_REPLY), 0);
	command(s, "0", "remote_stopped goodbye", CFWD_COND_OFF);
}

static void test_select_an_entry_and_start_with_2(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;
	struct cfwd_sub sub;

	prepare(s);
	assert_int_equal(store_set_list_entry(s->st, STORE_WHO_142, SUB, 2, "0611112222"), 0);
	rm = at_command(s);
	step("2 3: entry 3 is not registered");
	press(rm, "23");
	expect_play(s, "enter_list_no_select");
	expect_play(s, "err_entry_empty remote_command");
	assert_int_equal(sub_now(s).condition, CFWD_COND_OFF);
	step("2 2: entry 2 selected and forwarding started");
	press(rm, "22");
	expect_play(s, "enter_list_no_select");
	expect_play(s, "list_entry <2> selected remote_started goodbye");
	sub = sub_now(s);
	assert_int_equal(sub.selected, 2);
	assert_int_equal(sub.condition, CFWD_COND_UNCONDITIONAL);
	finish(s, rm);
}

static void test_start_without_any_number_is_refused(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;

	assert_int_equal(store_set_remote(s->st, STORE_WHO_142, SUB, true, PIN), 0);
	rm = at_command(s);
	press(rm, "1");
	expect_play(s, "err_no_number remote_command");
	assert_int_equal(sub_now(s).condition, CFWD_COND_OFF);
	assert_int_equal(cfwd_remote_hangup(rm), 0);
}

/* One failed attempt: what the caller hears, from the number to the next question. */
static void failed_attempt(struct scen *s, const char *num, const char *pin, char *out, size_t len)
{
	struct cfwd_remote *rm = call_remote(s);
	int first = s->seen;

	log_in(s, rm, num, pin);
	out[0] = 0;
	for (int i = first; i < s->n_played; i++) {
		strncat(out, s->played[i], len - strlen(out) - 2);
		strncat(out, "|", len - strlen(out) - 1);
	}
	s->seen = s->n_played;
	assert_int_equal(cfwd_remote_hangup(rm), 0);
	loop_run_once(s->loop, 0);
}

static char logged[16384];

static void log_capture(void *user, enum log_subsys ss, enum log_level lvl, const char *line)
{
	strncat(logged, line, sizeof(logged) - strlen(logged) - 2);
	strncat(logged, "\n", sizeof(logged) - strlen(logged) - 1);
}

static void test_every_failure_gets_the_same_rejection(void **state)
{
	struct scen *s = *state;
	char heard_as[5][256];
	const char *kinds[5] = { "unknown number", "wrong PIN", "remote disabled",
				 "service inactive", "locked out" };

	prepare(s);
	assert_int_equal(store_sub_add(s->st, STORE_WHO_CFWDCTL, "0422223333", true), 0);
	assert_int_equal(store_sub_add(s->st, STORE_WHO_CFWDCTL, "0522223333", false), 0);
	assert_int_equal(store_set_remote(s->st, STORE_WHO_142, "0522223333", true, PIN), 0);

	failed_attempt(s, "0699999999", PIN, heard_as[0], sizeof(heard_as[0]));
	failed_attempt(s, SUB, "1111", heard_as[1], sizeof(heard_as[1]));
	failed_attempt(s, "0422223333", PIN, heard_as[2], sizeof(heard_as[2]));
	failed_attempt(s, "0522223333", PIN, heard_as[3], sizeof(heard_as[3]));
	step("Two more wrong PINs lock 0312345678; then even the right PIN is refused");
	failed_attempt(s, SUB, "2222", heard_as[4], sizeof(heard_as[4]));
	failed_attempt(s, SUB, "3333", heard_as[4], sizeof(heard_as[4]));
	assert_true(sub_now(s).locked_until > 0);
	logged[0] = 0;
	log_set_sink(log_capture, NULL);
	failed_attempt(s, SUB, PIN, heard_as[4], sizeof(heard_as[4]));
	log_set_sink(NULL, NULL);
	step("The locked attempt is logged (without the PIN)");
	assert_non_null(strstr(logged, "locked"));
	assert_null(strstr(logged, PIN));
	for (int i = 0; i < 5; i++) {
		printf("  -- %-16s: %s\n", kinds[i], heard_as[i]);
		assert_string_equal(heard_as[i],
				    "remote_enter_pin|remote_rejected remote_enter_number|");
	}
	assert_int_equal(sub_now(s).condition, CFWD_COND_OFF);
}

static void test_three_wrong_pins_lock_for_60_minutes_success_resets(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;

	prepare(s);
	step("Two wrong PINs, then the right one: accepted, the count is reset");
	rm = call_remote(s);
	log_in(s, rm, SUB, "0000");
	expect_play(s, "remote_rejected remote_enter_number");
	log_in(s, rm, SUB, "0001");
	expect_play(s, "remote_rejected remote_enter_number");
	assert_int_equal(sub_now(s).pin_failures, 2);
	log_in(s, rm, SUB, PIN);
	expect_play(s, "remote_command");
	assert_int_equal(sub_now(s).pin_failures, 0);
	assert_int_equal(cfwd_remote_hangup(rm), 0);
	loop_run_once(s->loop, 0);

	step("Three wrong PINs in one call: rejected, goodbye, locked for 60 minutes");
	rm = call_remote(s);
	log_in(s, rm, SUB, "0000");
	expect_play(s, "remote_rejected remote_enter_number");
	log_in(s, rm, SUB, "0001");
	expect_play(s, "remote_rejected remote_enter_number");
	log_in(s, rm, SUB, "0002");
	expect_play(s, "remote_rejected goodbye");
	finish(s, rm);
	assert_int_equal(sub_now(s).locked_until, clock_wall_s() + 3600);
	loop_run_once(s->loop, 0);
	s->ended = false;

	step("59 minutes later the right PIN is still refused");
	fake_time_passes(59 * 60 * 1000);
	rm = call_remote(s);
	log_in(s, rm, SUB, PIN);
	expect_play(s, "remote_rejected remote_enter_number");
	assert_int_equal(cfwd_remote_hangup(rm), 0);
	loop_run_once(s->loop, 0);

	step("At 60 minutes the lock has run out");
	fake_time_passes(60 * 1000);
	rm = at_command(s);
	press(rm, "1");
	expect_play(s, "remote_started goodbye");
	finish(s, rm);
	assert_int_equal(sub_now(s).locked_until, 0);
}

static void test_lockout_length_is_configurable(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;
	struct store_opts o;
	char err[128];

	step("pin_lockout_minutes = 5");
	store_close(s->st);
	store_opts_default(&o);
	o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
	o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
	o.lockout_s = 300;
	s->st = store_open_opts(s->path, &o, err, sizeof(err));
	assert_non_null(s->st);
	prepare(s);
	rm = call_remote(s);
	log_in(s, rm, SUB, "0000");
	expect_play(s, "remote_rejected remote_enter_number");
	log_in(s, rm, SUB, "0000");
	expect_play(s, "remote_rejected remote_enter_number");
	log_in(s, rm, SUB, "0000");
	expect_play(s, "remote_rejected goodbye");
	assert_int_equal(sub_now(s).locked_until, clock_wall_s() + 300);
	assert_int_equal(cfwd_remote_hangup(rm), 0);
}

static void test_invalid_keys_and_timeouts(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;

	prepare(s);
	rm = call_remote(s);
	step("* in the number: invalid, asked again");
	press(rm, "03*");
	expect_play(s, "err_invalid_key remote_enter_number");
	heard(rm);
	step("Silence after the question: X2 (10 s)");
	time_passes_s(s, 10);
	expect_play(s, "err_invalid_key remote_enter_number");
	heard(rm);
	step("A third invalid entry ends the call");
	press(rm, "#");
	expect_play(s, "remote_enter_pin");
	press(rm, "12");
	time_passes_s(s, 10);
	expect_play(s, "err_invalid_key goodbye");
	finish(s, rm);
	assert_int_equal(sub_now(s).pin_failures, 0);
}

static void test_session_limit_and_hang_up_change_nothing(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;

	prepare(s);
	rm = at_command(s);
	step("The caller hangs up at the command question");
	assert_int_equal(cfwd_remote_hangup(rm), 0);
	loop_run_once(s->loop, 0);
	assert_int_equal(sub_now(s).condition, CFWD_COND_OFF);
	assert_false(s->ended);

	step("A caller who keeps the line 180 s is released");
	rm = call_remote(s);
	for (int i = 0; i < 20; i++) {
		press(rm, "0");
		time_passes_s(s, 9);
	}
	expect_play(s, "goodbye");
	finish(s, rm);
}

static void test_attempts_per_call_from_config(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;
	char err[160];
	struct conf *c = conf_load_string("cfwd.conf", "[service]\nremote_attempts_per_call = 1\n",
					  err, sizeof(err));

	assert_non_null(c);
	assert_int_equal(cfwd_remote_conf_load(c, &the_conf, err, sizeof(err)), 0);
	conf_free(c);
	prepare(s);
	step("One attempt per call: the first rejection says goodbye");
	rm = call_remote(s);
	log_in(s, rm, SUB, "0000");
	expect_play(s, "remote_rejected goodbye");
	finish(s, rm);
	the_conf.max_rejects = 0;
}

static void test_the_pin_is_never_logged(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;

	prepare(s);
	logged[0] = 0;
	log_set_all(LOGL_DEBUG);
	log_set_sink(log_capture, NULL);
	rm = call_remote(s);
	log_in(s, rm, SUB, "9173");
	expect_play(s, "remote_rejected remote_enter_number");
	log_in(s, rm, SUB, PIN);
	expect_play(s, "remote_command");
	press(rm, "1");
	heard(rm);
	log_set_sink(NULL, NULL);
	log_set_all(LOGL_NOTICE);
	assert_non_null(strstr(logged, "rejected"));
	assert_null(strstr(logged, "9173"));
	assert_null(strstr(logged, PIN));
	assert_true(s->ended);
}

/* Up to the PIN's last key, without waiting for the verdict. */
static struct cfwd_remote *submit_login(struct scen *s, const struct cfwd_remote_conf *conf,
					const char *pin)
{
	struct cfwd_remote *rm = cfwd_remote_start(s->loop, conf, &rec_ops, s, ACCESS_CALLER);
	const char *k;

	assert_non_null(rm);
	assert_int_equal(cfwd_remote_prompt_done(rm), 0);
	for (k = SUB "#"; *k; k++)
		assert_int_equal(cfwd_remote_digit(rm, *k), 0);
	for (k = pin; *k; k++)
		assert_int_equal(cfwd_remote_digit(rm, *k), 0);
	return rm;
}

struct pacer {
	struct timer t;
	uint64_t worst_us;
	unsigned fired;
};

static void pacer_cb(struct timer *t, void *user)
{
	struct pacer *p = user;
	uint64_t late = clock_now_us() - t->due_us;

	if (late > p->worst_us)
		p->worst_us = late;
	p->fired++;
	timer_schedule_at_us(t, t->due_us + 20000);
}

static void test_ten_pin_checks_in_flight_do_not_stall_the_20ms_timer(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote_conf conf = { 0 };
	struct cfwd_remote *rm[10];
	struct store_opts o;
	struct pacer p = { 0 };
	struct store *st;
	char path[80], err[256];
	uint64_t t0, sync_us;
	enum store_pin_result res;

	step("Real clock, real hash cost (argon2id interactive), one worker thread");
	fake_clock_disable();
	snprintf(path, sizeof(path), "%s-real", s->path);
	store_opts_default(&o);
	st = store_open_opts(path, &o, err, sizeof(err));
	assert_non_null(st);
	assert_int_equal(store_sub_add(st, STORE_WHO_CFWDCTL, SUB, true), 0);
	assert_int_equal(store_set_remote(st, STORE_WHO_142, SUB, true, PIN), 0);
	t0 = clock_now_us();
	assert_int_equal(store_pin_verify(st, SUB, PIN, &res), 0);
	sync_us = clock_now_us() - t0;
	printf("     .. one check inside the loop would stall it %.1f ms\n", sync_us / 1000.0);

	conf.store = st;
	conf.checker = pin_check_alloc(s->loop, 1, 16);
	assert_non_null(conf.checker);
	step("Ten callers enter their PIN at once (five right, five wrong)");
	for (int i = 0; i < 10; i++)
		rm[i] = submit_login(s, &conf, i % 2 ? PIN : "0000");
	assert_int_equal(pin_check_in_flight(conf.checker), 10);
	step("A 20 ms timer keeps firing while the workers hash");
	timer_setup(&p.t, s->loop, pacer_cb, &p);
	timer_schedule_ms(&p.t, 20);
	t0 = clock_now_us();
	while (pin_check_in_flight(conf.checker))
		loop_run_once(s->loop, -1);
	timer_cancel(&p.t);
	printf("     .. 10 checks took %.0f ms; 20 ms timer fired %u times, worst lateness "
	       "%.1f ms\n", (clock_now_us() - t0) / 1000.0, p.fired, p.worst_us / 1000.0);
	assert_true(p.fired >= 10);
	assert_true(p.worst_us < sync_us);	/* less than one check inside the loop costs */
	for (int i = 0; i < 10; i++)
		assert_string_equal(cfwd_remote_state_name(rm[i]), i % 2 ? "COMMAND" : "NUMBER");
	for (int i = 0; i < 10; i++)
		cfwd_remote_hangup(rm[i]);
	loop_run_once(s->loop, 0);
	pin_check_free(conf.checker);
	store_close(st);
	unlink(path);
	strcat(path, "-wal");
	unlink(path);
	path[strlen(path) - 4] = 0;
	strcat(path, "-shm");
	unlink(path);
	s->n_played = s->seen = 0;
}

static void test_workers_full_is_try_later_and_no_failure_counted(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote_conf conf = { 0 };
	struct cfwd_remote *a, *b;

	prepare(s);
	conf.store = s->st;
	conf.checker = pin_check_alloc(s->loop, 1, 1);
	assert_non_null(conf.checker);
	step("Caller A's PIN is being checked; the workers take one check at a time");
	a = submit_login(s, &conf, PIN);
	expect_play(s, "remote_welcome remote_enter_number");
	expect_play(s, "remote_enter_pin");
	step("Caller B enters a wrong PIN meanwhile: try later, goodbye, nothing counted");
	b = submit_login(s, &conf, "0000");
	expect_play(s, "remote_welcome remote_enter_number");
	expect_play(s, "remote_enter_pin");
	expect_play(s, "try_later goodbye");
	assert_int_equal(sub_now(s).pin_failures, 0);
	wait_verdict(a);
	expect_play(s, "remote_command");
	cfwd_remote_prompt_done(b);
	assert_true(s->ended);
	cfwd_remote_hangup(a);
	loop_run_once(s->loop, 0);
	pin_check_free(conf.checker);
}

static void test_hang_up_while_the_pin_is_checked(void **state)
{
	struct scen *s = *state;
	struct cfwd_remote *rm;

	prepare(s);
	the_conf.store = s->st;
	rm = submit_login(s, &the_conf, "0000");
	assert_string_equal(cfwd_remote_state_name(rm), "VERIFYING");
	step("The caller hangs up before the verdict: it is dropped, nothing is played");
	cfwd_remote_hangup(rm);
	loop_run_once(s->loop, 0);
	while (pin_check_in_flight(the_conf.checker))
		loop_run_once(s->loop, 100);
	assert_int_equal(s->n_played, 2);
	assert_false(s->ended);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, rm_setup, rm_teardown)
	const struct CMUnitTest tests[] = {
		T(test_start_with_1_uses_unconditional_when_never_set),
		T(test_start_with_1_uses_the_last_condition),
		T(test_stop_with_0),
		T(test_select_an_entry_and_start_with_2),
		T(test_start_without_any_number_is_refused),
		T(test_every_failure_gets_the_same_rejection),
		T(test_three_wrong_pins_lock_for_60_minutes_success_resets),
		T(test_lockout_length_is_configurable),
		T(test_invalid_keys_and_timeouts),
		T(test_session_limit_and_hang_up_change_nothing),
		T(test_the_pin_is_never_logged),
		T(test_attempts_per_call_from_config),
		T(test_ten_pin_checks_in_flight_do_not_stall_the_20ms_timer),
		T(test_workers_full_is_try_later_and_no_failure_counted),
		T(test_hang_up_while_the_pin_is_checked),
	};

	return cmocka_run_group_tests_name("remote", tests, NULL, NULL);
}
