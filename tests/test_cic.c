/* tests/test_cic.c - the CIC pool of a linkset: circuits start in reset until the group
 * reset, outgoing seizure prefers the circuits we control under Q.764 2.10.1.4 (the
 * higher point code controls the even CICs), blocked circuits are never seized, counts
 * per state, and the leak audit (busy without a leg, or a leg on an idle circuit). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "isup/cic.h"

/* any non-NULL pointers stand for legs: the pool never dereferences them */
static struct call_leg *const LEG_A = (struct call_leg *)0x1000;
static struct call_leg *const LEG_B = (struct call_leg *)0x2000;

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

/* CICs 1..6 on timeslots 1..6, all reset and then idle (as after GRS/GRA). */
static struct cic_pool *pool_of_six(bool we_control_even)
{
	uint16_t cics[6] = { 1, 2, 3, 4, 5, 6 };
	uint8_t ts[6] = { 1, 2, 3, 4, 5, 6 };
	struct cic_pool *p = cic_pool_alloc(cics, ts, 6, we_control_even);

	assert_non_null(p);
	for (unsigned i = 0; i < 6; i++)
		cic_set_state(cic_pool_at(p, i), CIC_IDLE);
	return p;
}

static void test_circuits_start_in_reset_until_the_group_reset(void **state)
{
	uint16_t cics[2] = { 10, 11 };
	uint8_t ts[2] = { 1, 2 };
	struct cic_pool *p = cic_pool_alloc(cics, ts, 2, true);
	unsigned cnt[CIC_STATE_COUNT], blocked;

	step("A new pool: every circuit awaits reset, none can be seized");
	cic_pool_counts(p, cnt, &blocked);
	assert_int_equal(cnt[CIC_RESET], 2);
	assert_int_equal(cic_pool_available(p), 0);
	assert_null(cic_seize_out(p, LEG_A));
	assert_int_equal(cic_pool_first(p), 10);
	assert_int_equal(cic_pool_last(p), 11);
	cic_pool_free(p);
}

static void test_higher_point_code_seizes_even_circuits_first(void **state)
{
	struct cic_pool *p = pool_of_six(true);
	struct cic *c;

	step("We have the higher point code: even CICs are ours to control");
	assert_true(cic_we_control(p, 2));
	assert_false(cic_we_control(p, 3));
	c = cic_seize_out(p, LEG_A);
	assert_non_null(c);
	assert_int_equal(c->cic % 2, 0);
	assert_int_equal(c->state, CIC_BUSY_OUT);
	assert_ptr_equal(c->leg, LEG_A);

	step("Seizing three more: all even ones go before any odd one");
	assert_int_equal(cic_seize_out(p, LEG_A)->cic % 2, 0);
	assert_int_equal(cic_seize_out(p, LEG_A)->cic % 2, 0);
	c = cic_seize_out(p, LEG_A);
	assert_int_equal(c->cic % 2, 1);
	cic_pool_free(p);
}

static void test_lower_point_code_seizes_odd_circuits_first(void **state)
{
	struct cic_pool *p = pool_of_six(false);

	step("We have the lower point code: odd CICs first");
	assert_int_equal(cic_seize_out(p, LEG_A)->cic % 2, 1);
	assert_int_equal(cic_seize_out(p, LEG_A)->cic % 2, 1);
	assert_int_equal(cic_seize_out(p, LEG_A)->cic % 2, 1);
	assert_int_equal(cic_seize_out(p, LEG_A)->cic % 2, 0);
	cic_pool_free(p);
}

static void test_blocked_circuits_are_never_seized(void **state)
{
	struct cic_pool *p = pool_of_six(true);
	unsigned cnt[CIC_STATE_COUNT], blocked;
	unsigned n = 0;

	step("The far end blocks CICs 2, 4 and 6 (BLO)");
	cic_pool_find(p, 2)->blocked_remote = true;
	cic_pool_find(p, 4)->blocked_remote = true;
	cic_pool_find(p, 6)->blocked_remote = true;
	cic_pool_counts(p, cnt, &blocked);
	assert_int_equal(blocked, 3);
	assert_int_equal(cic_pool_available(p), 3);

	step("Only the three unblocked circuits can be seized");
	for (struct cic *c; (c = cic_seize_out(p, LEG_A)); n++)
		assert_false(c->blocked_remote);
	assert_int_equal(n, 3);

	step("UBL on CIC 4 makes it available again");
	cic_pool_find(p, 4)->blocked_remote = false;
	assert_int_equal(cic_seize_out(p, LEG_B)->cic, 4);
	cic_pool_free(p);
}

static void test_incoming_seizure_needs_an_idle_circuit_of_ours(void **state)
{
	struct cic_pool *p = pool_of_six(true);
	struct cic *c = NULL;

	step("IAM on CIC 3: seized busy-in");
	assert_int_equal(cic_seize_in(p, 3, LEG_A, &c), 0);
	assert_int_equal(c->state, CIC_BUSY_IN);
	step("A second IAM on CIC 3: busy");
	assert_int_equal(cic_seize_in(p, 3, LEG_B, &c), -EBUSY);
	step("IAM on CIC 99, not in the pool: unequipped");
	assert_int_equal(cic_seize_in(p, 99, LEG_B, &c), -ENOENT);
	step("Seizing CIC 3 for an outgoing call is refused too");
	assert_null(cic_seize_this(p, 3, LEG_B));
	cic_pool_free(p);
}

static void test_released_circuits_go_back_to_idle_and_nothing_leaks(void **state)
{
	struct cic_pool *p = pool_of_six(true);
	struct cic *a = cic_seize_out(p, LEG_A);
	struct cic *b = NULL;
	unsigned cnt[CIC_STATE_COUNT], blocked;

	assert_int_equal(cic_seize_in(p, 5, LEG_B, &b), 0);
	cic_pool_counts(p, cnt, &blocked);
	assert_int_equal(cnt[CIC_BUSY_OUT], 1);
	assert_int_equal(cnt[CIC_BUSY_IN], 1);
	assert_int_equal(cic_pool_leaked(p), 0);

	step("RLC on both: idle again, no leak");
	cic_release(a);
	cic_release(b);
	assert_int_equal(cic_pool_available(p), 6);
	assert_int_equal(cic_pool_leaked(p), 0);

	step("A circuit left busy without a leg is counted as leaked");
	cic_set_state(cic_pool_find(p, 1), CIC_BUSY_IN);
	assert_int_equal(cic_pool_leaked(p), 1);
	step("So is a leg hanging on an idle circuit");
	cic_pool_find(p, 2)->leg = LEG_A;
	assert_int_equal(cic_pool_leaked(p), 2);
	cic_pool_free(p);
}

static void test_release_during_reset_keeps_the_circuit_in_reset(void **state)
{
	struct cic_pool *p = pool_of_six(true);
	struct cic *a = cic_seize_out(p, LEG_A);

	step("Link down while the call is up: circuit to reset, then the leg goes");
	cic_set_state(a, CIC_RESET);
	cic_release(a);
	assert_int_equal(a->state, CIC_RESET);
	assert_null(a->leg);
	assert_int_equal(cic_pool_leaked(p), 0);
	cic_pool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_circuits_start_in_reset_until_the_group_reset),
		cmocka_unit_test(test_higher_point_code_seizes_even_circuits_first),
		cmocka_unit_test(test_lower_point_code_seizes_odd_circuits_first),
		cmocka_unit_test(test_blocked_circuits_are_never_seized),
		cmocka_unit_test(test_incoming_seizure_needs_an_idle_circuit_of_ours),
		cmocka_unit_test(test_released_circuits_go_back_to_idle_and_nothing_leaks),
		cmocka_unit_test(test_release_during_reset_keeps_the_circuit_in_reset),
	};

	return cmocka_run_group_tests_name("cic", tests, NULL, NULL);
}
