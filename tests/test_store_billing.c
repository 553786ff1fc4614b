/* tests/test_store_billing.c - the billing record model of SERVICE.md §7 (two legs for an
 * answered forwarded call, none for an unanswered one, 142 free, remote control billed to
 * the caller), the records' round trip through the store and the CSV export, and the
 * billing writer process (group commit: records committed without waiting for EOF, all
 * of them at EOF). */
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

#include "core/log.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward_cdr.h"
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

/* Queue n records (retrying while the pipe is full). */
static void put_all(struct cdr_writer *w, const struct billing_record *r, unsigned n)
{
	while (n) {
		int k = cdr_writer_put(w, r, n);

		assert_true(k > 0 || k == -EAGAIN);
		if (k < 0) {
			usleep(1000);
			continue;
		}
		r += k;
		n -= (unsigned)k;
	}
}

static void test_billing_writer_commits_batches_and_drains_at_eof(void **state)
{
	struct fx *fx = *state;
	static struct billing_record r[3000];
	struct cdr_writer *w;
	char err[128];
	int n = 0;

	for (unsigned i = 0; i < 3000; i++) {
		struct billing_record two[2];	/* a call gives two records: keep the first */

		assert_int_equal(billing_records_for_call(&forwarded, two), 2);
		r[i] = two[0];
		snprintf(r[i].call_ref, sizeof(r[i].call_ref), "bulk-%u", i);
	}
	w = cdr_writer_start(fx->path, err, sizeof(err));
	assert_non_null(w);
	step("3,000 records handed over in runs of 1 to 60, more than a batch and a PIPE_BUF");
	for (unsigned i = 0, k = 1; i < 3000; i += k, k = k % 60 + 1)
		put_all(w, &r[i], i + k > 3000 ? 3000 - i : k);
	step("all committed while the writer runs (no EOF needed), within 2 s");
	for (int t = 0; t < 200 && n < 3000; t++) {
		usleep(10000);
		n = sql_int(fx, "SELECT count(*) FROM cdr");
	}
	assert_int_equal(n, 3000);
	step("one more, then cfwdd stops at once: the writer drains it before exiting");
	put_all(w, &r[0], 1);
	cdr_writer_stop(w);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM cdr"), 3001);
	assert_int_equal(sql_int(fx, "SELECT count(*) FROM cdr WHERE call_ref = 'bulk-2999'"),
			 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answered_forwarded_call_bills_two_legs),
		cmocka_unit_test(test_unanswered_142_and_remote_calls),
		cmocka_unit_test_setup_teardown(test_records_are_stored_and_exported_as_csv,
						fx_setup, fx_teardown),
		cmocka_unit_test(test_csv_quotes_odd_fields),
		cmocka_unit_test_setup_teardown(test_billing_writer_commits_batches_and_drains_at_eof,
						fx_setup, fx_teardown),
	};

	log_set_all(LOGL_ERROR);
	return cmocka_run_group_tests_name("store_billing", tests, NULL, NULL);
}
