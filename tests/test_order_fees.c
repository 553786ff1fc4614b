/* tests/test_order_fees.c - fees of SERVICE.md §8: the defaults, conf/fees.conf, the
 * pro-rata rules of the first month, and the month's charges of active orders (with
 * and without the phone installation) read from a real store. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/conf.h"
#include "feature/cfwd/fees.h"
#include "tests/test_order_fixture.h"

static void test_defaults_are_the_seed_page_amounts(void **state)
{
	struct fees f;

	fees_default(&f);
	assert_int_equal(f.monthly, 550);
	assert_int_equal(f.install, 1100);
	assert_true(f.install_with_phone < f.install);
	assert_int_equal(f.prorata, FEES_PRORATA_DAILY);
}

static void test_conf_file_sets_amounts_and_rule(void **state)
{
	char err[256] = "";
	struct conf *c = conf_load("conf/fees.conf", err, sizeof(err));
	struct fees f;

	assert_non_null(c);
	fees_default(&f);
	f.monthly = 1;
	assert_int_equal(fees_load(c, &f, err, sizeof(err)), 0);
	assert_int_equal(f.monthly, 550);
	assert_int_equal(f.work_lead_days, 1);
	assert_int_equal(conf_check_unused(c, err, sizeof(err)), 0);
	conf_free(c);

	c = conf_load_string("t.conf", "[fees]\nmonthly = 600\nprorata = half-month\n", err,
			     sizeof(err));
	fees_default(&f);
	assert_int_equal(fees_load(c, &f, err, sizeof(err)), 0);
	assert_int_equal(f.monthly, 600);
	assert_int_equal(f.prorata, FEES_PRORATA_HALF_MONTH);
	conf_free(c);

	c = conf_load_string("t.conf", "[fees]\nprorata = weekly\n", err, sizeof(err));
	assert_int_equal(fees_load(c, &f, err, sizeof(err)), -EINVAL);
	print_message("  %s\n", err);
	assert_non_null(strstr(err, "t.conf:2"));
	conf_free(c);
}

static void test_first_month_pro_rata_rules(void **state)
{
	struct fees f;
	int32_t dec = ofix_day("2026-12-01");
	int days;

	fees_default(&f);
	step("daily: active from 10 December, 22 of 31 days");
	assert_int_equal(fees_monthly_charge(&f, dec, ofix_day("2026-12-10"), &days), 390);
	assert_int_equal(days, 22);
	step("a month after the first: full fee");
	assert_int_equal(fees_monthly_charge(&f, dec, ofix_day("2026-11-26"), &days), 550);
	assert_int_equal(days, 31);
	step("not active yet in that month: nothing");
	assert_int_equal(fees_monthly_charge(&f, dec, ofix_day("2027-01-01"), &days), 0);
	assert_int_equal(days, 0);
	step("half-month: the 15th is full, the 16th half");
	f.prorata = FEES_PRORATA_HALF_MONTH;
	assert_int_equal(fees_monthly_charge(&f, dec, ofix_day("2026-12-15"), &days), 550);
	assert_int_equal(fees_monthly_charge(&f, dec, ofix_day("2026-12-16"), &days), 275);
	step("none: the first month in full");
	f.prorata = FEES_PRORATA_NONE;
	assert_int_equal(fees_monthly_charge(&f, dec, ofix_day("2026-12-31"), &days), 550);
	assert_int_equal(days, 1);
}

static int64_t active_order(struct ofix *f, const char *num, bool with_phone)
{
	struct order_application a = { .number = num, .name = OFIX_NAME, .address = OFIX_ADDR,
				       .with_phone_install = with_phone };
	struct order_verify_result res;
	int64_t id;

	assert_int_equal(orders_new(f->o, &a, &id), 0);
	assert_int_equal(orders_ack(f->o, id), 0);
	ofix_doc(f, id, "passport", "photo-page", "2031-01-01", NULL, NULL);
	ofix_doc(f, id, "passport", "holder-page", NULL, NULL, NULL);
	assert_int_equal(orders_submit(f->o, id), 0);
	assert_int_equal(orders_verify(f->o, id, &res), 0);
	assert_int_equal(res.state, ORDER_ST_SCHEDULED);
	return id;
}

struct lines {
	struct fees_line l[4];
	int n;
};

static int collect(void *user, const struct fees_line *l)
{
	struct lines *ls = user;

	ls->l[ls->n++] = *l;
	return 0;
}

static void test_month_charges_of_active_orders(void **state)
{
	struct ofix *f = *state;
	struct fees fees;
	struct lines nov = { 0 }, dec = { 0 };
	int64_t a, b;

	fees_default(&fees);
	step("Two orders verified on 25 November, a third never activated");
	a = active_order(f, "0312345678", false);
	b = active_order(f, "0312345679", true);
	active_order(f, "0312345670", false);
	step("Work done on 26 November for both");
	fake_time_passes(24 * 3600 * 1000ull);
	assert_int_equal(orders_activate(f->o, a), 0);
	assert_int_equal(orders_activate(f->o, b), 0);

	step("November: 5 of 30 days, installation 1,100 or 550 with the phone");
	assert_int_equal(fees_month_foreach(f->o, &fees, ofix_day("2026-11-01"), collect, &nov),
			 0);
	assert_int_equal(nov.n, 2);
	assert_string_equal(nov.l[0].number, "0312345678");
	assert_int_equal(nov.l[0].days, 5);
	assert_int_equal(nov.l[0].monthly, 91);	/* 550 * 5 / 30 */
	assert_int_equal(nov.l[0].install, 1100);
	assert_int_equal(nov.l[0].total, 1191);
	assert_int_equal(nov.l[1].install, 550);
	assert_int_equal(nov.l[1].total, 641);

	step("December: the full monthly fee, no installation");
	assert_int_equal(fees_month_foreach(f->o, &fees, ofix_day("2026-12-01"), collect, &dec),
			 0);
	assert_int_equal(dec.n, 2);
	assert_int_equal(dec.l[0].total, 550);
	assert_int_equal(dec.l[1].total, 550);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_are_the_seed_page_amounts),
		cmocka_unit_test(test_conf_file_sets_amounts_and_rule),
		cmocka_unit_test(test_first_month_pro_rata_rules),
		cmocka_unit_test_setup_teardown(test_month_charges_of_active_orders, ofix_setup,
						ofix_teardown),
	};

	return cmocka_run_group_tests_name("order_fees", tests, NULL, NULL);
}
