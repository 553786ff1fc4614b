/* tests/test_pri_facts.c - Q.931 <-> call facts mapping tables (pri/pri_facts.c):
 * type of number <-> NAI, reason for redirection both ways (Q.931 codes <-> Q.763),
 * bearer capability <-> TMR, causes, a received SETUP with and without redirecting
 * data, the caller/redirecting parties built for an outgoing SETUP, and the Q.931
 * ladder decoder (pri/pri_q931.c) on hand-made frames. Pure. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "pri/pri_facts.h"
#include "pri/pri_q931.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_type_of_number_maps_to_nai_and_back(void **state)
{
	static const struct { int plan; uint8_t nai; } rows[] = {
		{ 0x11, 4 },	/* international, E.164 */
		{ 0x21, 3 },	/* national */
		{ 0x41, 1 },	/* subscriber */
		{ 0x01, 2 },	/* unknown */
	};

	for (size_t i = 0; i < N(rows); i++) {
		assert_int_equal(pri_facts_nai_from_plan(rows[i].plan), rows[i].nai);
		assert_int_equal(pri_facts_plan_from_nai(rows[i].nai), rows[i].plan);
	}
	assert_int_equal(pri_facts_nai_from_plan(0x31), 2);	/* network specific: unknown */
}

static void test_redirection_reasons_map_both_ways(void **state)
{
	/* Q.931 Redirecting Number IE reason -> ISUP Redirection Information reason */
	static const struct { int q931; uint8_t isup; } in[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 4 }, { 4, 4 }, { 9, 6 }, { 10, 0 }, { 15, 3 },
	};
	/* ISUP -> Q.931 */
	static const struct { uint8_t isup; int q931; } out[] = {
		{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 15 }, { 4, 4 }, { 5, 4 }, { 6, 9 }, { 7, 0 },
	};

	for (size_t i = 0; i < N(in); i++)
		assert_int_equal(pri_facts_reason_to_isup(in[i].q931), in[i].isup);
	for (size_t i = 0; i < N(out); i++)
		assert_int_equal(pri_facts_reason_from_isup(out[i].isup), out[i].q931);
}

static void test_bearer_and_causes(void **state)
{
	static const int causes[][2] = {
		{ 1, 1 }, { 16, 16 }, { 17, 17 }, { 27, 27 }, { 127, 127 },
		{ 0, 31 }, { 128, 31 }, { -1, 31 }, { 256, 34 },
	};

	assert_int_equal(pri_facts_tmr_from_cap(PRI_TRANS_CAP_SPEECH), 0);
	assert_int_equal(pri_facts_tmr_from_cap(PRI_TRANS_CAP_DIGITAL), 2);
	assert_int_equal(pri_facts_tmr_from_cap(PRI_TRANS_CAP_3_1K_AUDIO), 3);
	assert_int_equal(pri_facts_cap_from_tmr(3), PRI_TRANS_CAP_3_1K_AUDIO);
	assert_int_equal(pri_facts_cap_from_tmr(0), PRI_TRANS_CAP_SPEECH);
	for (size_t i = 0; i < N(causes); i++)
		assert_int_equal(pri_facts_cause(causes[i][0]), causes[i][1]);
}

static void ring_base(pri_event_ring *r)
{
	memset(r, 0, sizeof(*r));
	r->e = PRI_EVENT_RING;
	strcpy(r->callednum, "142");
	r->calledplan = 0x21;
	r->complete = 1;
	r->ctype = PRI_TRANS_CAP_3_1K_AUDIO;
	r->calling.number.valid = 1;
	r->calling.number.plan = 0x21;
	r->calling.number.presentation = PRES_PROHIB_USER_NUMBER_PASSED_SCREEN;
	strcpy(r->calling.number.str, "0311112222");
}

static void test_plain_setup_gives_caller_with_presentation_and_screening(void **state)
{
	pri_event_ring r;
	struct call_facts f;

	ring_base(&r);
	pri_facts_from_ring(&f, &r, NULL);
	assert_string_equal(f.called.digits, "142");
	assert_int_equal(f.called.nai, 3);
	assert_true(f.called_complete);
	assert_true(f.has_calling);
	assert_string_equal(f.calling.digits, "0311112222");
	assert_int_equal(f.calling.pres, 1);
	assert_int_equal(f.calling.screen, 1);
	assert_int_equal(f.category, CALL_CATEGORY_ORDINARY);
	assert_int_equal(f.tmr, 3);
	assert_false(f.has_ri);
	assert_string_equal(f.ocn.digits, "");
}

static void test_caller_not_available_is_kept(void **state)
{
	pri_event_ring r;
	struct call_facts f;
	struct pri_party_id caller;

	ring_base(&r);
	r.calling.number.presentation = PRES_NUMBER_NOT_AVAILABLE;
	r.calling.number.str[0] = '\0';
	pri_facts_from_ring(&f, &r, NULL);
	assert_true(f.has_calling);
	assert_int_equal(f.calling.pres, 2);
	pri_facts_caller_out(&caller, &f);
	assert_true(caller.number.valid);
	assert_int_equal(caller.number.presentation, PRES_NUMBER_NOT_AVAILABLE);
}

static void test_redirecting_subcommand_fills_rgn_ocn_ri(void **state)
{
	pri_event_ring r;
	struct pri_party_redirecting red;
	struct call_facts f;

	ring_base(&r);
	memset(&red, 0, sizeof(red));
	red.from.number.valid = 1;
	red.from.number.plan = 0x21;
	red.from.number.presentation = PRES_PROHIB_NETWORK_NUMBER;
	strcpy(red.from.number.str, "0312345678");
	red.reason = PRI_REDIR_FORWARD_ON_NO_REPLY;
	red.count = 1;
	pri_facts_from_ring(&f, &r, &red);
	assert_string_equal(f.rgn.digits, "0312345678");
	assert_int_equal(f.rgn.pres, 1);
	assert_string_equal(f.ocn.digits, "0312345678");	/* first diversion */
	assert_true(f.has_ri);
	assert_int_equal(f.ri_ind, 4);
	assert_int_equal(f.ri_reason, 2);
	assert_int_equal(f.ri_orig_reason, 2);
	assert_int_equal(f.ri_counter, 1);

	/* diverted again: the original called number and reason come from the second party */
	red.count = 3;
	red.orig_called.number.valid = 1;
	red.orig_called.number.plan = 0x21;
	strcpy(red.orig_called.number.str, "0387654321");
	red.orig_reason = PRI_REDIR_UNCONDITIONAL;
	red.from.number.presentation = PRES_ALLOWED_NETWORK_NUMBER;
	pri_facts_from_ring(&f, &r, &red);
	assert_string_equal(f.ocn.digits, "0387654321");
	assert_int_equal(f.ri_orig_reason, 3);
	assert_int_equal(f.ri_counter, 3);
	assert_int_equal(f.ri_ind, 3);
}

static void test_legacy_ring_fields_are_a_fallback(void **state)
{
	pri_event_ring r;
	struct call_facts f;

	ring_base(&r);
	strcpy(r.redirectingnum, "0312345678");
	r.callingplanrdnis = 0x21;
	r.redirectingreason = PRI_REDIR_UNCONDITIONAL;
	pri_facts_from_ring(&f, &r, NULL);
	assert_string_equal(f.rgn.digits, "0312345678");
	assert_int_equal(f.ri_reason, 3);
	assert_int_equal(f.ri_counter, 1);
}

static void test_forwarded_call_builds_redirecting_parties(void **state)
{
	struct call_facts f;
	struct pri_party_redirecting r;
	struct pri_party_id caller;

	memset(&f, 0, sizeof(f));
	strcpy(f.called.digits, "0398765432");
	f.has_calling = true;
	strcpy(f.calling.digits, "0311112222");
	f.calling.nai = 3;
	f.calling.screen = 3;
	assert_false(pri_facts_redirecting_out(&r, &f));

	/* cfwd's CFU: OCN = RGN = subscriber, restricted, reason unconditional, counter 1 */
	strcpy(f.ocn.digits, "0312345678");
	f.ocn.nai = 3;
	f.ocn.pres = 1;
	f.rgn = f.ocn;
	f.has_ri = true;
	f.ri_ind = 4;
	f.ri_reason = 3;
	f.ri_orig_reason = 3;
	f.ri_counter = 1;
	assert_true(pri_facts_redirecting_out(&r, &f));
	assert_string_equal(r.from.number.str, "0312345678");
	assert_int_equal(r.from.number.plan, 0x21);
	assert_int_equal(r.from.number.presentation & PRI_PRES_RESTRICTION, PRI_PRES_RESTRICTED);
	assert_int_equal(r.reason, PRI_REDIR_UNCONDITIONAL);
	assert_int_equal(r.count, 1);
	assert_false(r.orig_called.number.valid);

	/* the caller goes out unchanged */
	pri_facts_caller_out(&caller, &f);
	assert_string_equal(caller.number.str, "0311112222");
	assert_int_equal(caller.number.presentation, PRES_ALLOWED_NETWORK_NUMBER);

	/* a second diversion keeps the earlier OCN as the original called party */
	strcpy(f.ocn.digits, "0387654321");
	f.ri_counter = 2;
	f.ri_reason = 1;
	assert_true(pri_facts_redirecting_out(&r, &f));
	assert_string_equal(r.orig_called.number.str, "0387654321");
	assert_int_equal(r.count, 2);
	assert_int_equal(r.reason, PRI_REDIR_FORWARD_ON_BUSY);
	assert_int_equal(r.orig_reason, PRI_REDIR_UNCONDITIONAL);
}

static void test_long_numbers_are_bounded(void **state)
{
	struct pri_party_number p;
	struct call_number n;

	memset(&p, 0, sizeof(p));
	p.valid = 1;
	memset(p.str, '9', sizeof(p.str) - 1);
	pri_facts_number_in(&n, &p);
	assert_int_equal(strlen(n.digits), CALL_NUM_SIZE - 1);
}

static void test_q931_ladder_decoder(void **state)
{
	/* I-frame: SAPI 0 C/R 1, TEI 0, N(S) 1, N(R) 2; Q.931 DISCONNECT cr 2 (to
	 * originator), cause: location 1 (private network, local user), value 17 */
	static const uint8_t disc[] = { 0x02, 0x01, 0x02, 0x04, 0x08, 0x02, 0x80, 0x02,
					0x45, 0x08, 0x02, 0x81, 0x91 };
	static const uint8_t rr[] = { 0x02, 0x01, 0x01, 0x05 };
	uint8_t cut[sizeof(disc)];
	struct pri_q931_view v;
	char line[160];

	assert_int_equal(pri_q931_decode(disc, sizeof(disc), &v), 0);
	assert_int_equal(v.msg_type, 0x45);
	assert_int_equal(v.cr, 2);
	assert_true(v.cr_to_originator);
	assert_int_equal(v.cause, 17);
	assert_int_equal(v.cause_loc, 1);
	assert_false(v.calling.present);
	pri_q931_format_line(line, sizeof(line), 1234, "pbx", true, &v);
	assert_string_equal(line, "   1.234 pbx    cr=2     ->  DISCONNECT cause=17(loc 1)");
	pri_q931_format_json(line, sizeof(line), 1234, "pbx", false, &v);
	assert_string_equal(line, "{\"t\":1.234,\"trunk\":\"pbx\",\"dir\":\"in\","
				  "\"type\":\"DISCONNECT\",\"cr\":2,\"cause\":17,"
				  "\"cause_location\":1}");
	assert_int_equal(pri_q931_decode(rr, sizeof(rr), &v), -ENOMSG);	/* RR */
	memcpy(cut, disc, sizeof(disc));
	assert_int_equal(pri_q931_decode(cut, sizeof(disc) - 1, &v), -EINVAL);	/* IE cut */
	cut[4] = 0x09;	/* not Q.931 */
	assert_int_equal(pri_q931_decode(cut, sizeof(disc), &v), -ENOMSG);
	assert_string_equal(pri_q931_msg_name(0x33), "MSG-0x33");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_type_of_number_maps_to_nai_and_back),
		cmocka_unit_test(test_redirection_reasons_map_both_ways),
		cmocka_unit_test(test_bearer_and_causes),
		cmocka_unit_test(test_plain_setup_gives_caller_with_presentation_and_screening),
		cmocka_unit_test(test_caller_not_available_is_kept),
		cmocka_unit_test(test_redirecting_subcommand_fills_rgn_ocn_ri),
		cmocka_unit_test(test_legacy_ring_fields_are_a_fallback),
		cmocka_unit_test(test_forwarded_call_builds_redirecting_parties),
		cmocka_unit_test(test_long_numbers_are_bounded),
		cmocka_unit_test(test_q931_ladder_decoder),
	};

	return cmocka_run_group_tests_name("pri_facts", tests, NULL, NULL);
}
