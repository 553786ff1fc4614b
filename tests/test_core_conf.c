/* tests/test_core_conf.c - the INI loader and its helpers: line numbers, chan_dahdi's
 * "=>", repeated keys, "file:line: message" errors (syntax, bad number, unknown key,
 * missing file), [timers] overrides into a tdef table, channel ranges; plus the small
 * tdef and util helpers the loader relies on. Files are written to $TMPDIR. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/tdef.h"
#include "core/util.h"

/* clang-format off */
static const char good_conf[] =
	"; cfwd test configuration\n"	/* 1 */
	"[general]\n"			/* 2 */
	"name = cfwd-east\n"		/* 3 */
	"max_calls = 30\n"		/* 4 */
	"debug = yes\n"			/* 5 */
	"\n"				/* 6 */
	"[span1]\n"			/* 7 */
	"channel => 1-15\n"		/* 8 */
	"  channel =>17-31   ; E1, TS16 is signalling\n" /* 9 */
	"group = 1\n"			/* 10 */
	"\n"				/* 11 */
	"[timers]\n"			/* 12 */
	"X1 = 10000\n"			/* 13 */
	"T7 = 25 s\n";			/* 14 */
/* clang-format on */

struct fixture {
	char path[64];
	struct conf *c;
	char err[256];
};

static void write_file(struct fixture *f, const char *text)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	FILE *fp;
	int fd;

	snprintf(f->path, sizeof(f->path), "%s/cfwd-conf-XXXXXX", dir);
	fd = mkstemp(f->path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	fclose(fp);
}

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	conf_free(f->c);
	if (f->path[0])
		unlink(f->path);
	return 0;
}

/* "path:line: rest" for the fixture's file */
static const char *at(struct fixture *f, int line, const char *rest)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s:%d: %s", f->path, line, rest);
	return buf;
}

static void load_good(struct fixture *f)
{
	write_file(f, good_conf);
	f->c = conf_load(f->path, f->err, sizeof(f->err));
	assert_non_null(f->c);
}

static void test_good_file_keeps_every_entry_in_order_with_line_numbers(void **state)
{
	struct fixture *f = *state;
	struct conf_entry *e;

	load_good(f);
	assert_string_equal(conf_path(f->c), f->path);
	assert_int_equal(conf_count(f->c), 8);
	e = conf_entry_at(f->c, 0);
	assert_string_equal(e->section, "general");
	assert_string_equal(e->key, "name");
	assert_string_equal(e->value, "cfwd-east");
	assert_int_equal(e->line, 3);
	assert_false(e->used);
	assert_int_equal(conf_entry_at(f->c, 7)->line, 14);
	assert_null(conf_entry_at(f->c, 8));

	assert_int_equal(conf_section_count(f->c), 3);
	assert_string_equal(conf_section_at(f->c, 0), "general");
	assert_string_equal(conf_section_at(f->c, 1), "span1");
	assert_string_equal(conf_section_at(f->c, 2), "timers");
	assert_null(conf_section_at(f->c, 3));
}

static void test_chan_dahdi_arrows_and_repeated_keys(void **state)
{
	struct fixture *f = *state;
	struct conf_entry *e;

	load_good(f);
	/* "channel => 1-15" and an indented "channel =>17-31 ; comment" */
	e = conf_next(f->c, "span1", "channel", NULL);
	assert_non_null(e);
	assert_string_equal(e->value, "1-15");
	assert_int_equal(e->line, 8);
	assert_true(e->used);
	e = conf_next(f->c, "span1", "channel", e);
	assert_string_equal(e->value, "17-31");
	assert_int_equal(e->line, 9);
	assert_null(conf_next(f->c, "span1", "channel", e));
	/* conf_find gives the last one */
	assert_int_equal(conf_find(f->c, "span1", "channel")->line, 9);
	assert_null(conf_find(f->c, "span1", "nothing"));
}

static void test_typed_getters_and_defaults(void **state)
{
	struct fixture *f = *state;
	const char *s;
	long n;
	bool b;

	load_good(f);
	assert_int_equal(conf_get_str(f->c, "general", "name", "x", &s, f->err, 256), 0);
	assert_string_equal(s, "cfwd-east");
	assert_int_equal(conf_get_str(f->c, "general", "absent", "dflt", &s, f->err, 256), 0);
	assert_string_equal(s, "dflt");
	assert_int_equal(conf_get_long(f->c, "general", "max_calls", 1, 60, 5, &n, f->err, 256), 0);
	assert_int_equal(n, 30);
	assert_int_equal(conf_get_long(f->c, "general", "absent", 1, 60, 5, &n, f->err, 256), 0);
	assert_int_equal(n, 5);
	assert_int_equal(conf_get_bool(f->c, "general", "debug", false, &b, f->err, 256), 0);
	assert_true(b);
	assert_int_equal(conf_get_bool(f->c, "general", "absent", true, &b, f->err, 256), 0);
	assert_true(b);
}

static void test_bad_number_reports_file_line_section_and_key(void **state)
{
	struct fixture *f = *state;
	long n = -1;
	bool b;

	write_file(f, "[general]\nmax_calls = 99\nretries = three\ndebug = perhaps\n");
	f->c = conf_load(f->path, f->err, sizeof(f->err));
	assert_non_null(f->c);
	assert_int_equal(conf_get_long(f->c, "general", "max_calls", 1, 60, 5, &n, f->err, 256),
			 -EINVAL);
	assert_string_equal(f->err, at(f, 2, "[general] max_calls: expected a number in 1..60"));
	assert_int_equal(n, -1);
	assert_int_equal(conf_get_long(f->c, "general", "retries", 0, 9, 1, &n, f->err, 256),
			 -EINVAL);
	assert_string_equal(f->err, at(f, 3, "[general] retries: expected a number in 0..9"));
	assert_int_equal(conf_get_bool(f->c, "general", "debug", false, &b, f->err, 256), -EINVAL);
	assert_string_equal(f->err, at(f, 4, "[general] debug: expected yes or no"));
	conf_errf(f->c, conf_find(f->c, "general", "debug"), f->err, 256, "no %s", "way");
	assert_string_equal(f->err, at(f, 4, "[general] debug: no way"));
}

static void test_syntax_error_reports_the_first_bad_line(void **state)
{
	struct fixture *f = *state;

	write_file(f, "[general]\nname = x\n\n[span1\nchannel = 1\njust words\n");
	f->c = conf_load(f->path, f->err, sizeof(f->err));
	assert_null(f->c);
	assert_string_equal(f->err, at(f, 4, "syntax error (expected [section] or key = value)"));

	f->c = conf_load_string("inline.conf", "a = 1\nb = 2\nno value here\n", f->err, 256);
	assert_null(f->c);
	assert_string_equal(f->err,
			    "inline.conf:3: syntax error (expected [section] or key = value)");
}

static void test_overlong_line_is_an_error_not_a_silent_split(void **state)
{
	struct fixture *f = *state;
	char text[1200];

	snprintf(text, sizeof(text), "[a]\nok = 1\nlong = %01000d\n", 7);
	f->c = conf_load_string("long.conf", text, f->err, 256);
	assert_null(f->c);
	assert_string_equal(f->err, "long.conf:3: line too long");
}

static void test_missing_file_reports_path_and_strerror(void **state)
{
	struct fixture *f = *state;

	f->c = conf_load("/nonexistent/cfwd.conf", f->err, sizeof(f->err));
	assert_null(f->c);
	assert_string_equal(f->err, "/nonexistent/cfwd.conf: No such file or directory");
}

static void test_first_unused_key_is_reported_by_line(void **state)
{
	struct fixture *f = *state;
	const char *s;

	load_good(f);
	conf_get_str(f->c, "general", "name", NULL, &s, f->err, 256);
	assert_int_equal(conf_check_unused(f->c, f->err, sizeof(f->err)), -EINVAL);
	assert_string_equal(f->err, at(f, 4, "unknown key 'max_calls' in [general]"));

	/* mark everything used: then it passes */
	for (size_t i = 0; i < conf_count(f->c); i++)
		conf_entry_at(f->c, i)->used = true;
	assert_int_equal(conf_check_unused(f->c, f->err, sizeof(f->err)), 0);
}

static void test_key_before_any_section(void **state)
{
	struct fixture *f = *state;

	f->c = conf_load_string("g.conf", "foo = 1\n[a]\n", f->err, 256);
	assert_non_null(f->c);
	assert_string_equal(conf_entry_at(f->c, 0)->section, "");
	assert_int_equal(conf_check_unused(f->c, f->err, 256), -EINVAL);
	assert_string_equal(f->err, "g.conf:1: unknown key 'foo' outside any [section]");
}

enum { X1 = 1, T7 = 7, T9 = 9 };

static struct tdef tdefs[] = {
	{ .id = X1,
	  .name = "X1",
	  .desc = "first digit",
	  .default_ms = 15000,
	  .min_ms = 1000,
	  .max_ms = 60000 },
	{ .id = T7, .name = "T7", .desc = "awaiting ACM", .default_ms = 20000 },
	{ .id = T9,
	  .name = "T9",
	  .desc = "awaiting answer",
	  .default_ms = 90000,
	  .min_ms = 90000,
	  .max_ms = 180000 },
	{ .name = NULL },
};

static void test_timers_section_overrides_the_tdef_table(void **state)
{
	struct fixture *f = *state;

	tdef_reset(tdefs);
	load_good(f);
	assert_int_equal(conf_apply_timers(f->c, "timers", tdefs, f->err, 256), 0);
	assert_int_equal(tdef_ms(tdefs, X1), 10000);
	assert_int_equal(tdef_ms(tdefs, T7), 25000); /* "25 s" */
	assert_int_equal(tdef_ms(tdefs, T9), 90000); /* untouched default */
	assert_true(conf_find(f->c, "timers", "X1")->used);
	tdef_reset(tdefs);
	assert_int_equal(tdef_ms(tdefs, X1), 15000);
}

static void test_timers_section_errors_apply_nothing(void **state)
{
	struct fixture *f = *state;

	tdef_reset(tdefs);
	f->c = conf_load_string("t.conf", "[timers]\nX1 = 2000ms\nT9 = 5000\n", f->err, 256);
	assert_int_equal(conf_apply_timers(f->c, NULL, tdefs, f->err, 256), -EINVAL);
	assert_string_equal(f->err, "t.conf:3: [timers] T9: 5000 ms out of range 90000..180000 ms");
	assert_int_equal(tdef_ms(tdefs, X1), 15000); /* all or nothing */
	conf_free(f->c);

	f->c = conf_load_string("t.conf", "[timers]\nX1 = 2000\nX77 = 1\n", f->err, 256);
	assert_int_equal(conf_apply_timers(f->c, "timers", tdefs, f->err, 256), -EINVAL);
	assert_string_equal(f->err, "t.conf:3: [timers] X77: unknown timer");
	/* a table sharing the section applies what it knows and leaves the rest unused */
	assert_int_equal(conf_apply_timers_known(f->c, "timers", tdefs, f->err, 256), 0);
	assert_int_equal(tdef_ms(tdefs, X1), 2000);
	assert_int_equal(conf_check_unused(f->c, f->err, 256), -EINVAL);
	assert_string_equal(f->err, "t.conf:3: unknown key 'X77' in [timers]");
	conf_free(f->c);

	f->c = conf_load_string("t.conf", "[timers]\nT7 = soon\n", f->err, 256);
	assert_int_equal(conf_apply_timers(f->c, "timers", tdefs, f->err, 256), -EINVAL);
	assert_string_equal(f->err,
			    "t.conf:2: [timers] T7: expected milliseconds (10000, 10000ms or 10s)");
	tdef_reset(tdefs);
}

static void test_tdef_lookup_and_range(void **state)
{
	assert_ptr_equal(tdef_find(tdefs, T7), &tdefs[1]);
	assert_null(tdef_find(tdefs, 42));
	assert_ptr_equal(tdef_find_name(tdefs, "t9"), &tdefs[2]);
	assert_null(tdef_find_name(tdefs, "X9"));
	assert_int_equal(tdef_set(tdefs, "X9", 1), -ENOENT);
	assert_int_equal(tdef_set(tdefs, "X1", 999), -ERANGE);
	assert_int_equal(tdef_set(tdefs, "X1", 60001), -ERANGE);
	assert_int_equal(tdef_set(tdefs, "X1", 60000), 0);
	assert_int_equal(tdef_set(tdefs, "T7", 1), 0); /* no range: anything goes */
	assert_int_equal(tdef_ms(tdefs, X1), 60000);
	tdef_reset(tdefs);
}

static void test_channel_ranges(void **state)
{
	uint8_t bm[4];

	assert_int_equal(conf_parse_ranges("1-15,17-31", bm, 31), 0);
	for (unsigned ch = 1; ch <= 31; ch++)
		assert_int_equal(conf_range_has(bm, ch), ch != 16);
	assert_false(conf_range_has(bm, 0));
	assert_int_equal(bm[0], 0xff);
	assert_int_equal(bm[1], 0x7f); /* 9..15 set, 16 clear */

	assert_int_equal(conf_parse_ranges(" 3 , 5-6,24", bm, 24), 0);
	assert_true(conf_range_has(bm, 3) && conf_range_has(bm, 5) && conf_range_has(bm, 6));
	assert_true(conf_range_has(bm, 24));
	assert_false(conf_range_has(bm, 4) || conf_range_has(bm, 1));

	assert_int_equal(conf_parse_ranges("", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("0-3", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("1-32", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("5-3", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("1,,2", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("1-", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("1;2", bm, 31), -EINVAL);
	assert_int_equal(conf_parse_ranges("a", bm, 31), -EINVAL);
}

static const struct value_string cause_names[] = {
	{ 16, "normal clearing" },
	{ 17, "user busy" },
	{ 0, NULL },
};

static void test_util_strings(void **state)
{
	char buf[6];
	int v;

	assert_int_equal(str_copy(buf, "0312345678", sizeof(buf)), 10);
	assert_string_equal(buf, "03123");
	assert_int_equal(str_copy(buf, "rel", sizeof(buf)), 3);
	assert_string_equal(buf, "rel");
	assert_string_equal(get_value_string(cause_names, 17), "user busy");
	assert_string_equal(get_value_string(cause_names, 99), "unknown");
	assert_int_equal(get_string_value(cause_names, "normal clearing", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(get_string_value(cause_names, "nope", &v), -ENOENT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_good_file_keeps_every_entry_in_order_with_line_numbers),
		T(test_chan_dahdi_arrows_and_repeated_keys),
		T(test_typed_getters_and_defaults),
		T(test_bad_number_reports_file_line_section_and_key),
		T(test_syntax_error_reports_the_first_bad_line),
		T(test_overlong_line_is_an_error_not_a_silent_split),
		T(test_missing_file_reports_path_and_strerror),
		T(test_first_unused_key_is_reported_by_line),
		T(test_key_before_any_section),
		T(test_timers_section_overrides_the_tdef_table),
		T(test_timers_section_errors_apply_nothing),
		T(test_tdef_lookup_and_range),
		T(test_channel_ranges),
		T(test_util_strings),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
