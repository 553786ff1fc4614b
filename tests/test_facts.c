/* tests/test_facts.c - the number format of a trunk's wire (isup/facts.c), as a table:
 * held numbers ("0312345678", "010...", "142") to the wire form and NAI with Japan's
 * prefixes (0, 010), back again, and no change at all when no prefix is set. Every
 * number of the facts (called, calling, OCN, RGN) is converted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "isup/facts.h"

static const struct call_num_format japan = { .natprefix = "0", .intlprefix = "010" };
static const struct call_num_format none = { .natprefix = "", .intlprefix = "" };

struct row {
	const char *held;
	uint8_t held_nai;	/* as the facts carry it before going out */
	const char *wire;
	uint8_t wire_nai;
	const char *back;	/* held again after the wire (from_wire) */
};

static const struct row rows[] = {
	{ "0312345678", 3, "312345678", 3, "0312345678" },	/* national */
	{ "010442079460000", 3, "442079460000", 4, "010442079460000" },	/* abroad */
	{ "142", 3, "142", 2, "142" },		/* a service code: unknown */
	{ "0", 3, "0", 2, "0" },		/* the prefix alone is not a number */
	{ "1234", 1, "1234", 1, "1234" },	/* a subscriber number keeps its NAI */
};

static void test_held_numbers_go_out_in_q763_form_and_come_back(void **state)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct call_facts f = { 0 }, w;

		printf("  -- %s (NAI %u) -> wire %s NAI %u -> %s\n", r->held, r->held_nai,
		       r->wire, r->wire_nai, r->back);
		strcpy(f.called.digits, r->held);
		f.called.nai = r->held_nai;
		strcpy(f.calling.digits, r->held);
		f.calling.nai = r->held_nai;
		strcpy(f.ocn.digits, r->held);
		f.ocn.nai = r->held_nai;
		strcpy(f.rgn.digits, r->held);
		f.rgn.nai = r->held_nai;
		call_facts_to_wire(&w, &f, &japan);
		assert_string_equal(f.called.digits, r->held);	/* the original is kept */
		assert_string_equal(w.called.digits, r->wire);
		assert_int_equal(w.called.nai, r->wire_nai);
		assert_string_equal(w.calling.digits, r->wire);
		assert_string_equal(w.ocn.digits, r->wire);
		assert_string_equal(w.rgn.digits, r->wire);
		assert_int_equal(w.rgn.nai, r->wire_nai);
		call_facts_from_wire(&w, &japan);
		assert_string_equal(w.called.digits, r->back);
		assert_string_equal(w.calling.digits, r->back);
		assert_string_equal(w.ocn.digits, r->back);
		assert_string_equal(w.rgn.digits, r->back);
	}
}

static void test_no_prefix_set_changes_nothing(void **state)
{
	struct call_facts f = { 0 }, w;

	printf("  -- unset: 0312345678 NAI 3 goes out as it is and comes back as it is\n");
	strcpy(f.called.digits, "0312345678");
	f.called.nai = 3;
	call_facts_to_wire(&w, &f, &none);
	assert_string_equal(w.called.digits, "0312345678");
	assert_int_equal(w.called.nai, 3);
	call_facts_from_wire(&w, &none);
	assert_string_equal(w.called.digits, "0312345678");
}

static void test_received_national_number_gets_its_prefix_within_bounds(void **state)
{
	struct call_facts f = { 0 };

	printf("  -- received 312345678 NAI 3 is held as 0312345678; absent numbers stay absent\n");
	strcpy(f.called.digits, "312345678");
	f.called.nai = 3;
	call_facts_from_wire(&f, &japan);
	assert_string_equal(f.called.digits, "0312345678");
	assert_string_equal(f.calling.digits, "");
	printf("  -- a number filling the buffer gets no prefix rather than overflowing\n");
	memset(f.called.digits, '9', CALL_NUM_SIZE - 1);
	f.called.digits[CALL_NUM_SIZE - 1] = '\0';
	call_facts_from_wire(&f, &japan);
	assert_int_equal(strlen(f.called.digits), CALL_NUM_SIZE - 1);
	assert_int_equal(f.called.digits[0], '9');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_numbers_go_out_in_q763_form_and_come_back),
		cmocka_unit_test(test_no_prefix_set_changes_nothing),
		cmocka_unit_test(test_received_national_number_gets_its_prefix_within_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
