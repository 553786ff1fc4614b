/* tests/test_route.c - the routing table: longest matching prefix wins, no match means
 * unallocated (NULL), [route] lines parse with file:line errors, and a route naming a
 * linkset that does not exist is refused; linkset sections parse chan_dahdi's words
 * (cicbeginswith + channel ranges number the circuits around the signalling slot). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/conf.h"
#include "isup/link.h"
#include "isup/route.h"

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static void test_longest_prefix_wins(void **state)
{
	struct route_table *t = route_table_alloc();

	step("0 -> transit, 0312 -> local, 03123 -> other");
	assert_int_equal(route_table_add(t, "0", "transit"), 0);
	assert_int_equal(route_table_add(t, "0312", "local"), 0);
	assert_int_equal(route_table_add(t, "03123", "other"), 0);
	assert_string_equal(route_lookup(t, "0398765432"), "transit");
	assert_string_equal(route_lookup(t, "0312999999"), "local");
	assert_string_equal(route_lookup(t, "0312345678"), "other");
	step("1234 matches nothing: unallocated");
	assert_null(route_lookup(t, "1234"));
	assert_int_equal(route_table_add(t, "03x", "bad"), -EINVAL);
	route_table_free(t);
}

static bool only_local(void *user, const char *name)
{
	return !strcmp(name, "local");
}

static void test_route_section_errors_carry_file_and_line(void **state)
{
	char err[256];
	struct conf *c = conf_load_string("r.conf",
		"[route]\nroute => 0312 local\nroute => 0 transit\n", err, sizeof(err));
	struct route_table *t;

	assert_non_null(c);
	t = route_table_load(c, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(route_table_count(t), 2);
	step("transit is not a linkset here: refused at line 3");
	assert_int_equal(route_conf_check(c, only_local, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "r.conf:3"));
	route_table_free(t);
	conf_free(c);

	step("a route line without a linkset: error at line 2");
	c = conf_load_string("s.conf", "[route]\nroute => 0312\n", err, sizeof(err));
	assert_null(route_table_load(c, err, sizeof(err)));
	assert_non_null(strstr(err, "s.conf:2"));
	conf_free(c);
}

static void test_linkset_section_numbers_circuits_around_sigchan(void **state)
{
	char err[256];
	struct conf *c = conf_load_string("l.conf",
		"[linkset x]\nspan = a\npointcode = 1001\nadjpointcode = 2001\nsigchan = 16\n"
		"cicbeginswith = 1\nchannel => 1-15,17-31\nisup_timer.t9 = 2000\n",
		err, sizeof(err));
	struct linkset_cfg cfg;

	assert_non_null(c);
	assert_int_equal(linkset_cfg_parse(c, "linkset x", &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.name, "x");
	assert_int_equal(cfg.n_cics, 30);
	step("timeslots 1-15 carry CICs 1-15, 17-31 carry CICs 16-30");
	assert_int_equal(cfg.cics[0], 1);
	assert_int_equal(cfg.timeslots[0], 1);
	assert_int_equal(cfg.cics[15], 16);
	assert_int_equal(cfg.timeslots[15], 17);
	assert_int_equal(cfg.t9_ms, 2000);
	conf_free(c);

	step("the signalling timeslot cannot carry a circuit");
	c = conf_load_string("m.conf",
		"[linkset y]\nspan = a\npointcode = 1\nadjpointcode = 2\nsigchan = 16\n"
		"channel => 10-20\n", err, sizeof(err));
	assert_int_equal(linkset_cfg_parse(c, "linkset y", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "m.conf:6"));
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_longest_prefix_wins),
		cmocka_unit_test(test_route_section_errors_carry_file_and_line),
		cmocka_unit_test(test_linkset_section_numbers_circuits_around_sigchan),
	};

	return cmocka_run_group_tests_name("route", tests, NULL, NULL);
}
