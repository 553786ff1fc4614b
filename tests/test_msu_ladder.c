/* tests/test_msu_ladder.c - the lab's ladder printer and --expect checker on decoded
 * MSUs: a forwarded IAM prints as one readable ladder line and as one JSON object with
 * the redirection fields; expectations per message type pass, fail on a mismatch or an
 * absent field, and fail at the end when their message never came. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "isup/msu.h"
#include "isup/msu_enc.h"
#include "lab/ladder.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

static void forwarded_iam(struct isup_msg_view *v)
{
	struct msu_iam_spec s = {
		.opc = 1001, .dpc = 1002, .cic = 3,
		.called = "0398765432", .calling = "0311112222",
		.ocn = "0312345678", .rgn = "0312345678", .rgn_pres = 1, .ocn_pres = 1,
		.ri = true, .ri_ind = 4, .ri_orig_reason = 3, .ri_counter = 1, .ri_reason = 3,
	};
	uint8_t su[300];
	size_t len = msu_enc_iam(su, sizeof(su), &s);

	assert_int_equal(msu_validate(su, len, v).action, MSU_PASS);
}

static void rel(struct isup_msg_view *v, uint8_t cause)
{
	uint8_t su[64];
	size_t len = msu_enc_rel(su, sizeof(su), 1002, 1001, 3, cause);

	assert_int_equal(msu_validate(su, len, v).action, MSU_PASS);
}

static void test_forwarded_iam_prints_as_one_ladder_line(void **state)
{
	struct isup_msg_view v;
	char line[512];

	forwarded_iam(&v);
	ladder_format_line(line, sizeof(line), 12345, "local", false, &v);
	print_message("%s\n", line);
	assert_string_equal(line, "  12.345 local  cic=3    <-  IAM  called=0398765432 "
				  "calling=0311112222(allowed) ocn=0312345678(restricted) "
				  "rgn=0312345678(restricted) ri=4/3/1/3");
	rel(&v, 17);
	ladder_format_line(line, sizeof(line), 20000, "transit", true, &v);
	assert_string_equal(line, "  20.000 transit cic=3    ->  REL  cause=17(loc 0)");
}

static void test_forwarded_iam_prints_as_one_json_object(void **state)
{
	struct isup_msg_view v;
	char js[1024];

	forwarded_iam(&v);
	ladder_format_json(js, sizeof(js), 1500, "local", true, &v);
	print_message("%s\n", js);
	assert_non_null(strstr(js, "{\"t\":1.500,\"span\":\"local\",\"dir\":\"out\","
				   "\"type\":\"IAM\",\"cic\":3,\"opc\":1001,\"dpc\":1002,"));
	assert_non_null(strstr(js, "\"called\":\"0398765432\""));
	assert_non_null(strstr(js, "\"calling\":\"0311112222\",\"calling_nai\":3,"
				   "\"calling_pres\":0"));
	assert_non_null(strstr(js, "\"ocn\":\"0312345678\",\"ocn_nai\":3,\"ocn_pres\":1"));
	assert_non_null(strstr(js, "\"redir_ind\":4,\"redir_orig_reason\":3,"
				   "\"redir_counter\":1,\"redir_reason\":3"));
	assert_null(strstr(js, "redirect_counter_77"));
	assert_null(strstr(js, "cause"));
	assert_int_equal(js[strlen(js) - 1], '}');
}

static void test_expectations_pass_on_matching_messages(void **state)
{
	struct ladder *lad = ladder_alloc(NULL, false);
	struct isup_msg_view v;
	char err[128];

	assert_int_equal(ladder_expect_add(lad, "IAM.ocn=0312345678", err, sizeof(err)), 0);
	assert_int_equal(ladder_expect_add(lad, "IAM.redir_counter=1", err, sizeof(err)), 0);
	assert_int_equal(ladder_expect_add(lad, "IAM.ocn_pres=restricted", err, sizeof(err)), 0);
	assert_int_equal(ladder_expect_add(lad, "IAM.redirect_counter_77=", err, sizeof(err)), 0);
	assert_int_equal(ladder_expect_add(lad, "REL.cause=17", err, sizeof(err)), 0);
	forwarded_iam(&v);
	assert_int_equal(ladder_msg(lad, 0, "s", false, &v), 0);
	rel(&v, 17);
	assert_int_equal(ladder_msg(lad, 0, "s", false, &v), 0);
	assert_int_equal(ladder_finish(lad), 0);
	ladder_free(lad);
}

static void test_expectations_fail_on_mismatch_absence_and_no_message(void **state)
{
	struct ladder *lad = ladder_alloc(NULL, true);
	struct isup_msg_view v;
	char err[128];

	step("REL.cause=17 but the REL carries 16; calling_pres must be restricted");
	assert_int_equal(ladder_expect_add(lad, "REL.cause=17", err, sizeof(err)), 0);
	assert_int_equal(ladder_expect_add(lad, "IAM.calling_pres=restricted", err, sizeof(err)),
			 0);
	assert_int_equal(ladder_expect_add(lad, "ANM.connected=", err, sizeof(err)), 0);
	rel(&v, 16);
	assert_int_equal(ladder_msg(lad, 0, "s", false, &v), 1);
	forwarded_iam(&v);
	assert_int_equal(ladder_msg(lad, 0, "s", false, &v), 1);
	step("no ANM ever came: that expectation fails at the end");
	assert_int_equal(ladder_finish(lad), 3);
	assert_int_equal(ladder_failures(lad), 3);
	ladder_free(lad);
}

static void test_expectations_with_direction_and_span_apply_only_there(void **state)
{
	struct ladder *lad = ladder_alloc(NULL, false);
	struct isup_msg_view plain, fwd;
	struct msu_iam_spec s = { .opc = 1001, .dpc = 1002, .cic = 1,
				  .called = "0312345678", .calling = "0311112222" };
	uint8_t su[300];
	size_t len = msu_enc_iam(su, sizeof(su), &s);
	char err[128];

	step("the lab sends a plain IAM on 'local' and receives the forwarded one on 'transit'");
	assert_int_equal(msu_validate(su, len, &plain).action, MSU_PASS);
	forwarded_iam(&fwd);
	assert_int_equal(ladder_expect_add(lad, "IAM@in.ocn=0312345678", err, sizeof(err)), 0);
	assert_int_equal(ladder_expect_add(lad, "IAM@transit.redir_counter=1", err, sizeof(err)),
			 0);
	assert_int_equal(ladder_expect_add(lad, "IAM@out@local.ocn=", err, sizeof(err)), 0);
	assert_int_equal(ladder_msg(lad, 0, "local", true, &plain), 0);
	assert_int_equal(ladder_msg(lad, 10, "transit", false, &fwd), 0);
	assert_int_equal(ladder_finish(lad), 0);
	ladder_free(lad);

	step("without the qualifier the plain IAM would fail IAM.ocn=...");
	lad = ladder_alloc(NULL, false);
	assert_int_equal(ladder_expect_add(lad, "IAM.ocn=0312345678", err, sizeof(err)), 0);
	assert_int_equal(ladder_msg(lad, 0, "local", true, &plain), 1);
	ladder_free(lad);
}

static void test_bad_expectations_are_refused(void **state)
{
	struct ladder *lad = ladder_alloc(NULL, false);
	char err[128];

	assert_int_equal(ladder_expect_add(lad, "IAM.ocn", err, sizeof(err)), -EINVAL);
	assert_int_equal(ladder_expect_add(lad, "XYZ.ocn=1", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "XYZ"));
	assert_int_equal(ladder_expect_add(lad, "IAM.colour=red", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "colour"));
	assert_true(ladder_field_known("redir_reason"));
	ladder_free(lad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forwarded_iam_prints_as_one_ladder_line),
		cmocka_unit_test(test_forwarded_iam_prints_as_one_json_object),
		cmocka_unit_test(test_expectations_pass_on_matching_messages),
		cmocka_unit_test(test_expectations_fail_on_mismatch_absence_and_no_message),
		cmocka_unit_test(test_expectations_with_direction_and_span_apply_only_there),
		cmocka_unit_test(test_bad_expectations_are_refused),
	};

	return cmocka_run_group_tests_name("msu_ladder", tests, NULL, NULL);
}
