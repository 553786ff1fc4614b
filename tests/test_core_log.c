/* tests/test_core_log.c - logging: NOTICE by default for every subsystem, the spec
 * parser ("all=info,isup=debug"), the exact line layout
 * "HH:MM:SS.mmm LEVEL subsys file:line message" (time from the fake clock, TZ=UTC),
 * the sink, and the fakeable clocks the timestamps come from. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/log.h"

struct capture {
	char line[1024];
	int count;
	enum log_subsys ss;
	enum log_level lvl;
};

static void sink(void *user, enum log_subsys ss, enum log_level lvl, const char *line)
{
	struct capture *c = user;

	snprintf(c->line, sizeof(c->line), "%s", line);
	c->count++;
	c->ss = ss;
	c->lvl = lvl;
}

static int setup(void **state)
{
	static struct capture c;

	memset(&c, 0, sizeof(c));
	setenv("TZ", "UTC", 1);
	tzset();
	/* 2023-11-14 22:13:20 UTC, plus 1.25 s on the monotonic side below */
	fake_clock_enable(7000000, 1700000000);
	log_set_all(LOGL_NOTICE);
	log_set_sink(sink, &c);
	*state = &c;
	return 0;
}

static int teardown(void **state)
{
	log_set_sink(NULL, NULL);
	log_set_all(LOGL_NOTICE);
	fake_clock_disable();
	return 0;
}

static void test_default_level_is_notice_for_every_subsystem(void **state)
{
	for (int ss = 0; ss < LOG_SUBSYS_COUNT; ss++) {
		assert_true(log_enabled(ss, LOGL_ERROR));
		assert_true(log_enabled(ss, LOGL_NOTICE));
		assert_false(log_enabled(ss, LOGL_INFO));
		assert_false(log_enabled(ss, LOGL_DEBUG));
	}
}

static void test_line_layout_time_level_subsys_file_line_message(void **state)
{
	struct capture *c = *state;
	char want[256];
	int line;

	fake_time_passes(1250);
	line = __LINE__ + 1;
	LOGP(DISUP, LOGL_NOTICE, "cic=%d: unexpected %s\n", 17, "acm");
	assert_int_equal(c->count, 1);
	assert_int_equal(c->ss, DISUP);
	assert_int_equal(c->lvl, LOGL_NOTICE);
	snprintf(want, sizeof(want),
		 "22:13:21.250 NOTICE isup tests/test_core_log.c:%d cic=17: unexpected acm", line);
	assert_string_equal(c->line, want); /* trailing '\n' dropped */
}

static int side_effects;

static int counted(void)
{
	return ++side_effects;
}

static void test_disabled_level_neither_logs_nor_evaluates_arguments(void **state)
{
	struct capture *c = *state;

	LOGP(DDTMF, LOGL_DEBUG, "digit %d", counted());
	assert_int_equal(c->count, 0);
	assert_int_equal(side_effects, 0);
	log_set_level(DDTMF, LOGL_DEBUG);
	LOGP(DDTMF, LOGL_DEBUG, "digit %d", counted());
	assert_int_equal(c->count, 1);
	assert_non_null(strstr(c->line, " DEBUG dtmf "));
	assert_non_null(strstr(c->line, " digit 1"));
}

static void test_spec_all_info_then_isup_debug(void **state)
{
	char err[64] = "";

	assert_int_equal(log_parse_spec("all=info,isup=debug", err, sizeof(err)), 0);
	assert_true(log_enabled(DISUP, LOGL_DEBUG));
	assert_true(log_enabled(DIVR, LOGL_INFO));
	assert_false(log_enabled(DIVR, LOGL_DEBUG));
	assert_int_equal(log_parse_spec("IVR=Error, fsm=debug", err, sizeof(err)), 0);
	assert_false(log_enabled(DIVR, LOGL_NOTICE));
	assert_true(log_enabled(DFSM, LOGL_DEBUG));
	assert_true(log_enabled(DISUP, LOGL_DEBUG)); /* untouched */
}

static void test_bad_spec_is_refused_whole_with_the_bad_token(void **state)
{
	char err[64] = "";

	assert_int_equal(log_parse_spec("all=debug,sip=debug", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad log spec token 'sip=debug'");
	assert_false(log_enabled(DCORE, LOGL_DEBUG)); /* "all=debug" was not applied */
	assert_int_equal(log_parse_spec("isup=loud", err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad log spec token 'isup=loud'");
	assert_int_equal(log_parse_spec("isup", err, sizeof(err)), -EINVAL);
	assert_int_equal(log_parse_spec("", err, sizeof(err)), 0);
}

static void test_names(void **state)
{
	assert_string_equal(log_subsys_name(DSS7), "ss7");
	assert_string_equal(log_subsys_name(DBILL), "bill");
	assert_string_equal(log_subsys_name(LOG_SUBSYS_COUNT), "unknown");
	assert_string_equal(log_level_name(LOGL_ERROR), "ERROR");
	assert_string_equal(log_level_name(LOGL_DEBUG), "DEBUG");
	assert_string_equal(log_level_name(7), "unknown");
	for (int ss = 0; ss < LOG_SUBSYS_COUNT; ss++)
		assert_string_not_equal(log_subsys_name(ss), "unknown");
}

static void test_fake_clock_moves_only_when_told(void **state)
{
	uint64_t t0 = clock_now_us();

	assert_int_equal(t0, 7000000);
	assert_int_equal(clock_now_ms(), 7000);
	assert_int_equal(clock_wall_s(), 1700000000);
	fake_time_passes(1500);
	fake_time_passes_us(1);
	assert_int_equal(clock_now_us(), 8500001);
	assert_int_equal(clock_wall_s(), 1700000001);
	assert_int_equal(clock_wall_ms(), 1700000001500ull);

	/* the real clock is monotonic and near wall time */
	fake_clock_disable();
	t0 = clock_now_us();
	assert_true(clock_now_us() >= t0);
	assert_true(llabs((long long)(clock_wall_s() - time(NULL))) <= 1);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_default_level_is_notice_for_every_subsystem),
		T(test_line_layout_time_level_subsys_file_line_message),
		T(test_disabled_level_neither_logs_nor_evaluates_arguments),
		T(test_spec_all_info_then_isup_debug),
		T(test_bad_spec_is_refused_whole_with_the_bad_token),
		T(test_names),
		T(test_fake_clock_moves_only_when_told),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
