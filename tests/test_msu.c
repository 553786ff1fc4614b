/* tests/test_msu.c - the signal-unit validator and decoder: every valid sample passes
 * and decodes, a forwarded IAM decodes to its redirection parameters, over-long or
 * malformed numbers in an IAM are rejected with cause 28, broken framing, pointers and
 * lengths are dropped, and neutralized MSUs keep their MTP2 sequence numbers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "isup/msu.h"
#include "isup/msu_enc.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

static void test_every_sample_message_passes_and_decodes_its_cic(void **state)
{
	size_t n, i;
	const uint8_t *types = msu_enc_sample_types(&n);

	step("one valid encoding of each of %zu message types, 3 variants each", n);
	for (i = 0; i < n; i++) {
		unsigned variant;

		for (variant = 0; variant < 3; variant++) {
			uint8_t su[300];
			struct isup_msg_view v;
			size_t len = msu_enc_sample(su, sizeof(su), types[i], variant, 77);
			struct msu_verdict vd;

			assert_true(len > 0);
			vd = msu_validate(su, len, &v);
			if (vd.action != MSU_PASS)
				fail_msg("%s variant %u: %s (param 0x%02x)",
					 isup_msg_type_name(types[i]), variant,
					 msu_reason_name(vd.reason), vd.param);
			assert_int_equal(v.msg_type, types[i]);
			assert_int_equal(v.cic, 77);
			assert_int_equal(v.opc, 1001);
			assert_int_equal(v.dpc, 1002);
		}
	}
}

static void test_forwarded_iam_decodes_redirection_parameters(void **state)
{
	struct msu_iam_spec s = {
		.opc = 1001, .dpc = 1002, .cic = 3,
		.called = "0398765432", .calling = "0311112222", .calling_pres = 1,
		.ocn = "0312345678", .rgn = "0312345678",
		.ri = true, .ri_ind = 3, .ri_orig_reason = 1, .ri_counter = 2, .ri_reason = 2,
	};
	uint8_t su[300];
	struct isup_msg_view v;
	size_t len = msu_enc_iam(su, sizeof(su), &s);

	step("IAM diverted twice: CFB then CFNR");
	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	assert_string_equal(v.called.digits, "0398765432");
	assert_string_equal(v.calling.digits, "0311112222");
	assert_int_equal(v.calling.pres, 1);
	assert_int_equal(v.calling.nai, 3);
	assert_string_equal(v.ocn.digits, "0312345678");
	assert_string_equal(v.rgn.digits, "0312345678");
	assert_true(v.ri_present);
	assert_int_equal(v.ri_ind, 3);
	assert_int_equal(v.ri_orig_reason, 1);
	assert_int_equal(v.ri_counter, 2);
	assert_int_equal(v.ri_reason, 2);
	assert_false(v.redirect_counter_present);
	assert_true(isup_view_has(&v, 0x13));
	assert_false(isup_view_has(&v, 0x77));
}

static void expect_reject_28(const struct msu_iam_spec *s, enum msu_reason why)
{
	uint8_t su[300];
	size_t len = msu_enc_iam(su, sizeof(su), s);
	struct msu_verdict vd;

	assert_true(len > 0);
	vd = msu_validate(su, len, NULL);
	assert_int_equal(vd.action, MSU_REJECT_IAM);
	assert_int_equal(vd.reason, why);
	assert_int_equal(vd.cause, 28);
	assert_int_equal(vd.cic, s->cic);
	assert_int_equal(vd.opc, s->opc);
}

static void test_iam_with_over_long_numbers_is_rejected_with_cause_28(void **state)
{
	struct msu_iam_spec s = { .opc = 1001, .dpc = 1002, .cic = 9, .called = "0398765432" };

	step("16 digits is the bound: an OCN of 16 passes");
	s.ocn = "0123456789012345";
	{
		uint8_t su[300];
		size_t len = msu_enc_iam(su, sizeof(su), &s);

		assert_int_equal(msu_validate(su, len, NULL).action, MSU_PASS);
	}
	step("an OCN of 17 digits, a calling number of 40, a called number of 100");
	s.ocn = "01234567890123456";
	expect_reject_28(&s, MSU_R_NUM_LONG);
	s.ocn = NULL;
	s.calling = "0123456789012345678901234567890123456789";
	expect_reject_28(&s, MSU_R_NUM_LONG);
	s.calling = NULL;
	s.called = "0123456789012345678901234567890123456789012345678901234567890123456789"
		   "012345678901234567890123456789";
	expect_reject_28(&s, MSU_R_NUM_LONG);
	step("spare digit code A in the redirecting number; ST in the middle of the called");
	s.called = "0398765432";
	s.rgn = "03A8";
	expect_reject_28(&s, MSU_R_NUM_FORMAT);
	s.rgn = NULL;
	s.called = "03F8";
	expect_reject_28(&s, MSU_R_NUM_FORMAT);
}

/* An IAM (CIC 5) whose fixed part is plain and whose called party number is CALLED. */
static size_t iam_with_called(uint8_t *su, size_t cap, const uint8_t *called, size_t n)
{
	static const uint8_t fixed[5] = { 0, 0x60, 0x01, 0x0a, 0 };
	struct msu_builder mb;

	msb_init(&mb, su, cap, 2, 1, 2, 0, 5, ISUP_MT_IAM);
	msb_fixed(&mb, fixed, 5);
	msb_pointers(&mb, 1, true);
	msb_var(&mb, called, n);
	return msb_end(&mb);
}

static void test_iam_with_spare_nai_or_odd_without_digits_is_rejected(void **state)
{
	uint8_t su[300];
	uint8_t nai0[4] = { 0x00, 0x10, 0x21, 0x43 };
	uint8_t odd_empty[2] = { 0x83, 0x10 };
	size_t len;

	step("called number with NAI 0 (spare)");
	len = iam_with_called(su, sizeof(su), nai0, sizeof(nai0));
	assert_int_equal(msu_validate(su, len, NULL).action, MSU_REJECT_IAM);

	step("odd indicator set but no digits");
	len = iam_with_called(su, sizeof(su), odd_empty, sizeof(odd_empty));
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_NUM_FORMAT);
}

static void test_connected_number_too_long_in_anm_is_dropped_not_rejected(void **state)
{
	struct msu_builder mb;
	uint8_t su[300], num[64];
	size_t n = msu_enc_number(num, sizeof(num), "01234567890123456789", 3, 0x13);
	struct msu_verdict vd;
	size_t len;

	msb_init(&mb, su, sizeof(su), 2, 1, 2, 0, 5, ISUP_MT_ANM);
	msb_pointers(&mb, 0, true);
	msb_opt(&mb, 0x21, num, n);
	len = msb_end(&mb);
	vd = msu_validate(su, len, NULL);
	assert_int_equal(vd.action, MSU_DROP);
	assert_int_equal(vd.reason, MSU_R_NUM_LONG);
	assert_int_equal(vd.param, 0x21);
}

static void test_every_truncation_of_an_iam_is_caught(void **state)
{
	uint8_t su[300];
	size_t len = msu_enc_sample(su, sizeof(su), ISUP_MT_IAM, 1, 1), cut;

	step("cut the IAM at every length past the LSSU sizes: never PASS");
	for (cut = 6; cut < len; cut++) {
		uint8_t copy[300];
		struct msu_verdict vd;

		memcpy(copy, su, cut);
		copy[2] = (uint8_t)(cut - 3 < 63 ? cut - 3 : 63);
		vd = msu_validate(copy, cut, NULL);
		assert_int_not_equal(vd.action, MSU_PASS);
	}
}

static void test_bad_pointers_and_lengths_are_dropped(void **state)
{
	uint8_t su[300];
	size_t len = msu_enc_rel(su, sizeof(su), 1, 2, 4, 16);
	uint8_t bad[300];

	step("REL whose cause pointer is 0");
	memcpy(bad, su, len);
	bad[11] = 0;
	assert_int_equal(msu_validate(bad, len, NULL).reason, MSU_R_POINTER);
	step("REL whose cause length runs past the end");
	memcpy(bad, su, len);
	bad[13] = 40;
	assert_int_equal(msu_validate(bad, len, NULL).reason, MSU_R_LENGTH);
	step("REL with a cause of one octet");
	memcpy(bad, su, len);
	bad[13] = 1;
	assert_int_not_equal(msu_validate(bad, len, NULL).action, MSU_PASS);
	step("REL whose optional part has no end-of-optional-parameters octet");
	memcpy(bad, su, len);
	bad[12] = 3;		/* optional part starts at the last octet... */
	bad[len - 1] = 0x3d;	/* ...which is a parameter code with no length */
	assert_int_equal(msu_validate(bad, len, NULL).reason, MSU_R_OPTIONAL);
	step("a valid REL decodes cause 16");
	{
		struct isup_msg_view v;

		assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
		assert_int_equal(v.cause_value, 16);
	}
}

static void test_framing_fisu_lssu_and_li_mismatch(void **state)
{
	uint8_t fisu[3] = { 0xff, 0xff, 0x00 }, lssu[4] = { 0xff, 0xff, 0x01, 0x01 };
	uint8_t su[300];
	size_t len = msu_enc_rel(su, sizeof(su), 1, 2, 4, 16);
	struct isup_msg_view v;

	assert_int_equal(msu_validate(fisu, 3, &v).kind, MTP2_FISU);
	assert_int_equal(msu_validate(lssu, 4, &v).action, MSU_PASS);
	assert_int_equal(v.lssu_status, 1);
	assert_int_equal(msu_validate(lssu, 3, NULL).action, MSU_DROP);
	assert_int_equal(msu_validate(fisu, 2, NULL).kind, MTP2_BAD);
	su[2] = 40;
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_SU_LEN);
}

static void test_unknown_message_type_and_frj_are_dropped(void **state)
{
	uint8_t su[300];
	size_t len = msu_enc_sample(su, sizeof(su), ISUP_MT_RLC, 0, 1);

	su[10] = 0x42;
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_MSG_TYPE);
	su[10] = ISUP_MT_FRJ;
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_MSG_TYPE);
}

static void test_neutralized_msu_keeps_sequence_numbers_and_becomes_sccp(void **state)
{
	struct msu_iam_spec s = { .opc = 1001, .dpc = 1002, .cic = 9, .called = "0398765432",
				  .ocn = "012345678901234567890123456789" };
	uint8_t su[300];
	size_t len = msu_enc_iam(su, sizeof(su), &s);
	struct isup_msg_view v;
	uint8_t bsn = su[0], fsn = su[1];

	su[1] = 0x80 | 42;
	fsn = su[1];
	len = msu_neutralize(su, len, sizeof(su));
	assert_int_equal(len, 8);
	assert_int_equal(su[0], bsn);
	assert_int_equal(su[1], fsn);
	assert_int_equal(su[2] & 0x3f, 5);
	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	assert_int_equal(v.si, 3);
	assert_int_equal(v.dpc, 1002);
	assert_int_equal(msu_neutralize(su, 2, sizeof(su)), 0);
}

static void test_group_messages_check_range_and_status(void **state)
{
	uint8_t su[300];
	size_t len = msu_enc_sample(su, sizeof(su), ISUP_MT_CGB, 0, 1);
	struct isup_msg_view v;

	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	assert_int_equal(v.range, 7);
	step("range 31 needs 4 status octets, not 1");
	su[len - 2] = 31;
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_LENGTH);
	step("range 255 would overflow libss7's status[255]: refused");
	su[len - 2] = 255;
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_CONTENT);
}

static void test_cpg_and_rel_optional_parameters_decode(void **state)
{
	struct msu_builder mb;
	uint8_t su[300], gn[16];
	static const uint8_t event = 0x86, hop = 0x0c, rc = 0x02;
	static const uint8_t cause1a[3] = { 0x02, 0x81, 0x91 };	/* ext 0: octet 1a follows */
	size_t n = msu_enc_number(gn + 1, sizeof(gn) - 1, "0312", 3, 0x14), len;
	struct isup_msg_view v;

	step("CPG: event 6 (CFU) with the presentation-restricted bit, hop counter, 0x77");
	msb_init(&mb, su, sizeof(su), 2, 1, 2, 0, 8, ISUP_MT_CPG);
	msb_fixed(&mb, &event, 1);
	msb_pointers(&mb, 0, true);
	msb_opt(&mb, 0x3d, &hop, 1);
	msb_opt(&mb, 0x77, &rc, 1);
	gn[0] = 0x06;	/* qualifier: additional calling party number */
	msb_opt(&mb, 0xc0, gn, n + 1);
	len = msb_end(&mb);
	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	assert_true(v.event_present);
	assert_int_equal(v.event_ind, 6);
	assert_true(v.event_restricted);
	assert_int_equal(v.hop_counter, 12);
	assert_true(v.redirect_counter_present);
	assert_int_equal(v.redirect_counter, 2);
	assert_string_equal(v.generic.digits, "0312");
	assert_int_equal(v.generic_qualifier, 6);
	assert_int_equal(v.generic.pres, 1);

	step("0x77 of two octets would desynchronise libss7's walk: dropped");
	msb_init(&mb, su, sizeof(su), 2, 1, 2, 0, 8, ISUP_MT_CPG);
	msb_fixed(&mb, &event, 1);
	msb_pointers(&mb, 0, true);
	msb_opt(&mb, 0x77, cause1a, 2);
	len = msb_end(&mb);
	assert_int_equal(msu_validate(su, len, NULL).reason, MSU_R_LENGTH);

	step("REL with a cause carrying octet 1a decodes the value after it");
	msb_init(&mb, su, sizeof(su), 2, 1, 2, 0, 8, ISUP_MT_REL);
	msb_pointers(&mb, 1, true);
	msb_var(&mb, cause1a, 3);
	len = msb_end(&mb);
	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	assert_int_equal(v.cause_value, 17);
	assert_int_equal(v.cause_location, 2);
}

static void test_sam_and_cqr_decode_and_check(void **state)
{
	uint8_t su[300];
	size_t len = msu_enc_sample(su, sizeof(su), ISUP_MT_SAM, 0, 4);
	struct isup_msg_view v;

	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	assert_string_equal(v.subsequent.digits, "12345");
	step("CQR: range 7 needs 8 circuit state octets; 7 is malformed");
	len = msu_enc_sample(su, sizeof(su), ISUP_MT_CQR, 0, 4);
	assert_int_equal(msu_validate(su, len, &v).action, MSU_PASS);
	su[len - 9] = 7;	/* circuit state length octet */
	su[2] = (uint8_t)(len - 1 - 3);	/* LI of the shortened SU */
	assert_int_equal(msu_validate(su, len - 1, NULL).reason, MSU_R_LENGTH);
}

static void test_stats_count_verdicts_by_reason(void **state)
{
	struct msu_stats st = { 0 };
	struct msu_verdict pass = { .action = MSU_PASS, .reason = MSU_OK };
	struct msu_verdict rej = { .action = MSU_REJECT_IAM, .reason = MSU_R_NUM_LONG };

	msu_stats_count(&st, &pass);
	msu_stats_count(&st, &rej);
	msu_stats_count(&st, &rej);
	assert_int_equal(st.seen, 3);
	assert_int_equal(st.passed, 1);
	assert_int_equal(st.rejected_iam, 2);
	assert_int_equal(st.by_reason[MSU_R_NUM_LONG], 2);
	assert_string_equal(msu_reason_name(MSU_R_NUM_LONG), "number-too-long");
	assert_int_equal(isup_msg_type_from_name("cgba"), ISUP_MT_CGBA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_sample_message_passes_and_decodes_its_cic),
		cmocka_unit_test(test_forwarded_iam_decodes_redirection_parameters),
		cmocka_unit_test(test_iam_with_over_long_numbers_is_rejected_with_cause_28),
		cmocka_unit_test(test_iam_with_spare_nai_or_odd_without_digits_is_rejected),
		cmocka_unit_test(test_connected_number_too_long_in_anm_is_dropped_not_rejected),
		cmocka_unit_test(test_every_truncation_of_an_iam_is_caught),
		cmocka_unit_test(test_bad_pointers_and_lengths_are_dropped),
		cmocka_unit_test(test_framing_fisu_lssu_and_li_mismatch),
		cmocka_unit_test(test_unknown_message_type_and_frj_are_dropped),
		cmocka_unit_test(test_neutralized_msu_keeps_sequence_numbers_and_becomes_sccp),
		cmocka_unit_test(test_group_messages_check_range_and_status),
		cmocka_unit_test(test_cpg_and_rel_optional_parameters_decode),
		cmocka_unit_test(test_sam_and_cqr_decode_and_check),
		cmocka_unit_test(test_stats_count_verdicts_by_reason),
	};

	return cmocka_run_group_tests_name("msu", tests, NULL, NULL);
}
