/* tests/test_numbers.c - forward-to number refusal (SERVICE.md §5) as a table, the
 * [refused] / [service] configuration replacing the defaults, config errors with line
 * numbers, subscriber and caller number shapes, PIN shape. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/conf.h"
#include "feature/cfwd/numbers.h"

#define SUB "0312345678"

struct fwd_case {
	const char *to;
	enum cfwd_number_verdict want;
};

static const struct fwd_case default_cases[] = {
	{ "0398765432", CFWD_NUM_OK },		/* Tokyo, 10 digits */
	{ "09012345678", CFWD_NUM_OK },		/* mobile, 11 digits */
	{ "0612345678", CFWD_NUM_OK },
	{ "104", CFWD_NUM_SERVICE_CODE },	/* directory */
	{ "110", CFWD_NUM_SERVICE_CODE },	/* police */
	{ "117", CFWD_NUM_SERVICE_CODE },
	{ "119", CFWD_NUM_SERVICE_CODE },
	{ "142", CFWD_NUM_SERVICE_CODE },
	{ "177", CFWD_NUM_SERVICE_CODE },
	{ "0120444444", CFWD_NUM_REFUSED_PREFIX },	/* toll-free */
	{ "0800123456", CFWD_NUM_REFUSED_PREFIX },
	{ "0570123456", CFWD_NUM_REFUSED_PREFIX },	/* navi dial */
	{ "0990123456", CFWD_NUM_REFUSED_PREFIX },
	{ "0101441234567", CFWD_NUM_REFUSED_PREFIX },	/* international */
	{ "0033012345678", CFWD_NUM_REFUSED_PREFIX },	/* carrier prefix */
	{ "0312345678", CFWD_NUM_OWN_NUMBER },
	{ "0363044141", CFWD_NUM_ACCESS_NUMBER },
	{ "0664806142", CFWD_NUM_ACCESS_NUMBER },
	{ "", CFWD_NUM_EMPTY },
	{ "03-9876-5432", CFWD_NUM_NOT_DIGITS },
	{ "0398765432#", CFWD_NUM_NOT_DIGITS },
	{ "3987654321", CFWD_NUM_NOT_NATIONAL },
	{ "039876543", CFWD_NUM_TOO_SHORT },
	{ "039876543210", CFWD_NUM_TOO_LONG },
	{ "1234", CFWD_NUM_NOT_NATIONAL },		/* 4 digits: not a 1XY code */
};

static void test_default_refused_list_follows_service_md_5(void **state)
{
	struct cfwd_refused r;

	cfwd_refused_default(&r);
	for (size_t i = 0; i < sizeof(default_cases) / sizeof(default_cases[0]); i++) {
		const struct fwd_case *c = &default_cases[i];
		int got = cfwd_number_check_forward_to(&r, SUB, c->to);

		if (got != (int)c->want)
			fail_msg("forward-to '%s': got %s, want %s", c->to,
				 cfwd_number_verdict_name(got), cfwd_number_verdict_name(c->want));
	}
	assert_int_equal(cfwd_number_check_forward_to(&r, NULL, SUB), CFWD_NUM_OK);
	assert_int_equal(cfwd_number_check_forward_to(&r, SUB, NULL), CFWD_NUM_EMPTY);
}

static void test_reasons_read_as_one_line(void **state)
{
	struct cfwd_refused r;
	char buf[128];

	cfwd_refused_default(&r);
	cfwd_number_describe(&r, "0120444444", CFWD_NUM_REFUSED_PREFIX, buf, sizeof(buf));
	assert_string_equal(buf, "0120 numbers are refused (toll-free)");
	cfwd_number_describe(&r, "119", CFWD_NUM_SERVICE_CODE, buf, sizeof(buf));
	assert_string_equal(buf, "119 is a service number and is refused");
	assert_string_equal(cfwd_number_verdict_name(CFWD_NUM_SERVICE_CODE),
			    "refused-service-code");
	assert_string_equal(cfwd_number_verdict_name(CFWD_NUM_NOT_DIGITS), "malformed");
}

static void test_configured_list_replaces_the_default(void **state)
{
	static const char text[] = "[service]\n"
				   "remote_access = 0311114141\n"
				   "[refused]\n"
				   "prefix = 0120 toll-free\n"
				   "prefix = 050 ip-phone\n"
				   "service = 1XY\n"
				   "service = 18X short\n";
	struct cfwd_refused r;
	char err[256] = "";
	struct conf *c = conf_load_string("cfwd.conf", text, err, sizeof(err));

	assert_non_null(c);
	assert_int_equal(cfwd_refused_load(c, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_prefix, 2);
	assert_int_equal(r.n_service, 2);
	assert_int_equal(r.n_access, 1);
	assert_int_equal(cfwd_number_check_forward_to(&r, SUB, "05012345678"),
			 CFWD_NUM_REFUSED_PREFIX);
	assert_int_equal(cfwd_number_check_forward_to(&r, SUB, "0800123456"), CFWD_NUM_OK);
	assert_int_equal(cfwd_number_check_forward_to(&r, SUB, "189"), CFWD_NUM_SERVICE_CODE);
	assert_int_equal(cfwd_number_check_forward_to(&r, SUB, "0311114141"),
			 CFWD_NUM_ACCESS_NUMBER);
	assert_int_equal(cfwd_number_check_forward_to(&r, SUB, "0363044141"), CFWD_NUM_OK);
	assert_int_equal(conf_check_unused(c, err, sizeof(err)), 0);
	conf_free(c);
}

static void test_bad_configuration_names_the_line(void **state)
{
	static const char text[] = "[refused]\n"
				   "prefix = 0120\n"
				   "prefix = 08x0 toll-free\n";
	struct cfwd_refused r;
	char err[256] = "";
	struct conf *c = conf_load_string("cfwd.conf", text, err, sizeof(err));

	assert_non_null(c);
	assert_int_equal(cfwd_refused_load(c, &r, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cfwd.conf:3"));
	conf_free(c);

	c = conf_load_string("empty.conf", "[store]\n", err, sizeof(err));
	assert_non_null(c);
	assert_int_equal(cfwd_refused_load(c, &r, err, sizeof(err)), 0);
	assert_int_equal(r.n_prefix, 6);	/* absent section: the defaults */
	assert_int_equal(r.n_access, 2);
	conf_free(c);
}

static void test_subscriber_caller_and_pin_shapes(void **state)
{
	assert_int_equal(cfwd_number_check_subscriber("0312345678"), CFWD_NUM_OK);
	assert_int_equal(cfwd_number_check_subscriber("09012345678"), CFWD_NUM_OK);
	assert_int_equal(cfwd_number_check_subscriber("031234567"), CFWD_NUM_TOO_SHORT);
	assert_int_equal(cfwd_number_check_subscriber("3123456789"), CFWD_NUM_NOT_NATIONAL);
	assert_int_equal(cfwd_number_check_subscriber("03123x5678"), CFWD_NUM_NOT_DIGITS);
	assert_int_equal(cfwd_number_check_subscriber(NULL), CFWD_NUM_EMPTY);
	assert_int_equal(cfwd_number_check_caller("0355556666"), CFWD_NUM_OK);
	assert_int_equal(cfwd_number_check_caller("81355556666"), CFWD_NUM_OK);
	assert_int_equal(cfwd_number_check_caller("1234567890123456"), CFWD_NUM_TOO_LONG);
	assert_int_equal(cfwd_number_check_caller("+81"), CFWD_NUM_NOT_DIGITS);
	assert_true(cfwd_pin_valid("0000"));
	assert_true(cfwd_pin_valid("4791"));
	assert_false(cfwd_pin_valid("479"));
	assert_false(cfwd_pin_valid("47910"));
	assert_false(cfwd_pin_valid("47a1"));
	assert_false(cfwd_pin_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_refused_list_follows_service_md_5),
		cmocka_unit_test(test_reasons_read_as_one_line),
		cmocka_unit_test(test_configured_list_replaces_the_default),
		cmocka_unit_test(test_bad_configuration_names_the_line),
		cmocka_unit_test(test_subscriber_caller_and_pin_shapes),
	};

	return cmocka_run_group_tests_name("numbers", tests, NULL, NULL);
}
