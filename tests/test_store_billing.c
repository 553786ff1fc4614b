/* tests/test_store_billing.c - the billing record model of SERVICE.md §7 (two legs for an
 * answered forwarded call, none for an unanswered one, 142 free, remote control billed to
 * the caller) and the records' round trip through the store and the CSV export. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"
#include "feature/cfwd/billing.h"
#include "tests/test_store_fixture.h"

#define T0 1764064800	/* 2025-11-25T10:00:00Z */

static const struct billing_call forwarded = {
	.kind = BILLING_CALL_FORWARDED,
	.call_ref = "cic17-1",
	.caller = "0311112222",
	.called = "0312345678",
	.forward_to = "0398765432",
	.start_s = T0,
	.answer_s = T0 + 12,
	.end_s = T0 + 72,
};

static void test_answered_forwarded_call_bills_two_legs(void **state)
{
	struct billing_record r[2];

	step("0311112222 calls 0312345678, diverted to 0398765432, answered, 60 s");
	assert_int_equal(billing_records_for_call(&forwarded, r), 2);
	assert_int_equal(r[0].leg, BILLING_LEG_CALLER);
	assert_string_equal(r[0].billed, "0311112222");
	assert_string_equal(r[0].to, "0312345678");
	assert_int_equal(r[1].leg, BILLING_LEG_FORWARD);
	assert_string_equal(r[1].billed, "0312345678");
	assert_string_equal(r[1].from, "0312345678");
	assert_string_equal(r[1].to, "0398765432");
	assert_int_equal(r[0].duration_s, 60);
	assert_int_equal(r[1].duration_s, 60);
	assert_string_equal(r[1].call_ref, "cic17-1");
}

static void test_unanswered_142_and_remote_calls(void **state)
{
	struct billing_call c = forwarded;
	struct billing_record r[2];

	step("Forward-to busy or no answer: nothing is billed");
	c.answer_s = 0;
	assert_int_equal(billing_records_for_call(&c, r), 0);
	step("A 142 session is free");
	c = forwarded;
	c.kind = BILLING_CALL_142;
	assert_int_equal(billing_records_for_call(&c, r), 0);
	step("Remote control from 0901234567 to 0363044141: billed to the caller");
	c = (struct billing_call){ .kind = BILLING_CALL_REMOTE, .call_ref = "r1",
				   .caller = "09012345678", .called = "0363044141",
				   .start_s = T0, .answer_s = T0 + 1, .end_s = T0 + 31 };
	assert_int_equal(billing_records_for_call(&c, r), 1);
	assert_int_equal(r[0].leg, BILLING_LEG_REMOTE);
	assert_string_equal(r[0].billed, "09012345678");
	assert_int_equal(r[0].duration_s, 30);
	step("Inconsistent facts are refused");
	c.end_s = T0;
	assert_int_equal(billing_records_for_call(&c, r), -EINVAL);
	c = forwarded;
	c.forward_to = NULL;
	assert_int_equal(billing_records_for_call(&c, r), -EINVAL);
}

static void test_records_are_stored_and_exported_as_csv(void **state)
{
	struct fx *fx = *state;
	struct billing_record r[2];
	char buf[1024] = "";
	FILE *f;

	assert_int_equal(billing_records_for_call(&forwarded, r), 2);
	assert_int_equal(store_cdr_add(fx->st, &r[0]), 0);
	assert_int_equal(store_cdr_add(fx->st, &r[1]), 0);
	assert_int_equal(r[0].id, 1);
	assert_int_equal(r[1].id, 2);
	f = fmemopen(buf, sizeof(buf), "w");
	assert_non_null(f);
	assert_int_equal(billing_export_csv(fx->st, f), 0);
	fclose(f);
	assert_string_equal(buf,
		"id,call_ref,leg,billed,from,to,start,answer,end,duration_s\r\n"
		"1,cic17-1,caller,0311112222,0311112222,0312345678,2025-11-25T10:00:00Z,"
		"2025-11-25T10:00:12Z,2025-11-25T10:01:12Z,60\r\n"
		"2,cic17-1,forward,0312345678,0312345678,0398765432,2025-11-25T10:00:00Z,"
		"2025-11-25T10:00:12Z,2025-11-25T10:01:12Z,60\r\n");
}

static void test_csv_quotes_odd_fields(void **state)
{
	struct billing_record r = { .id = 7, .leg = BILLING_LEG_REMOTE, .billed = "1",
				    .from = "1", .to = "2", .start_s = T0, .answer_s = T0,
				    .end_s = T0 };
	char buf[256] = "";
	FILE *f;

	strcpy(r.call_ref, "a,\"b\"");
	f = fmemopen(buf, sizeof(buf), "w");
	assert_int_equal(billing_csv_row(f, &r), 0);
	fclose(f);
	assert_non_null(strstr(buf, "7,\"a,\"\"b\"\"\",remote,"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answered_forwarded_call_bills_two_legs),
		cmocka_unit_test(test_unanswered_142_and_remote_calls),
		cmocka_unit_test_setup_teardown(test_records_are_stored_and_exported_as_csv,
						fx_setup, fx_teardown),
		cmocka_unit_test(test_csv_quotes_odd_fields),
	};

	log_set_all(LOGL_ERROR);
	return cmocka_run_group_tests_name("store_billing", tests, NULL, NULL);
}
