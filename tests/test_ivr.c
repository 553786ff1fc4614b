/* tests/test_ivr.c - the 142 dialogue (SERVICE.md §3, §5) as call ladders: every menu
 * path, readback and confirm, done / back to the menu, invalid keys, timeouts, the
 * session limit, refused numbers, store errors and hang-ups that change nothing.
 * Real store (temp SQLite file), fake clock, a recorder for the audio side. */
#include "core/conf.h"
#include "feature/cfwd/decide.h"
#include "tests/test_ivr_harness.h"

static struct cfwd_ivr_conf ivr_conf(struct scen *s)
{
	struct cfwd_ivr_conf c = { .store = s->st, .refused = &s->refused };

	return c;
}

static struct cfwd_ivr_conf the_conf;

static struct cfwd_ivr *call_142(struct scen *s, const char *caller)
{
	struct cfwd_ivr *ivr;

	printf("     -> %s dials 142\n", caller);
	the_conf = ivr_conf(s);
	ivr = cfwd_ivr_start(s->loop, &the_conf, &rec_ops, s, caller);
	assert_non_null(ivr);
	s->session = ivr;
	return ivr;
}

static void press(struct cfwd_ivr *ivr, const char *keys)
{
	printf("     -> DTMF %s\n", keys);
	for (; *keys; keys++)
		assert_int_equal(cfwd_ivr_digit(ivr, *keys), 0);
}

static void heard(struct cfwd_ivr *ivr)
{
	assert_int_equal(cfwd_ivr_prompt_done(ivr), 0);
}

static void hang_up(struct scen *s, struct cfwd_ivr *ivr)
{
	printf("     -> caller hangs up\n");
	assert_int_equal(cfwd_ivr_hangup(ivr), 0);
	loop_run_once(s->loop, 0);
}

/* The caller is in the main menu, having heard it. */
static struct cfwd_ivr *at_menu(struct scen *s)
{
	struct cfwd_ivr *ivr = call_142(s, SUB);

	expect_play(s, "welcome menu");
	heard(ivr);
	return ivr;
}

static void register_fwd(struct scen *s)
{
	assert_int_equal(store_set_forward_to(s->st, STORE_WHO_CFWDCTL, SUB, FWD), 0);
}

static void test_non_subscriber_hears_not_available_and_is_released(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;

	step("0355551234 has no forwarding service and dials 142");
	ivr = call_142(s, "0355551234");
	expect_play(s, "not_available");
	step("Digits are not taken during the closing prompt");
	assert_int_equal(cfwd_ivr_digit(ivr, '1'), -EPERM);
	heard(ivr);
	assert_true(s->ended);
	assert_int_equal(s->end_cause, 16);
}

static void test_withheld_caller_hears_not_available(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;

	step("A 142 call without a calling number");
	ivr = call_142(s, "");
	expect_play(s, "not_available");
	heard(ivr);
	assert_true(s->ended);
}

static void test_inactive_subscriber_hears_not_available(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;

	step("The subscriber's service is suspended");
	assert_int_equal(store_set_active(s->st, STORE_WHO_CFWDCTL, SUB, false), 0);
	ivr = call_142(s, SUB);
	expect_play(s, "not_available");
	step("The audio side never reports the end: X4 releases anyway");
	time_passes_s(s, 30);
	assert_true(s->ended);
	(void)ivr;
}

static void test_register_forward_to_number_with_readback_and_confirm(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);
	struct cfwd_sub sub;

	step("2: enter the forward-to number");
	press(ivr, "2");
	expect_play(s, "enter_number");
	heard(ivr);
	press(ivr, FWD "#");
	step("It is read back digit by digit with the confirm choice");
	expect_play(s, "readback_prefix <0398765432> confirm");
	sub = sub_now(s);
	assert_false(sub.registered[0]);
	heard(ivr);
	press(ivr, "1");
	step("Committed as list entry 0 and selected before done is played");
	expect_play(s, "done done_menu_or_hangup");
	assert_true(s->done_snap_ok);
	assert_true(s->at_done.registered[0]);
	assert_string_equal(s->at_done.list[0], FWD);
	assert_int_equal(s->at_done.selected, 0);
	step("Any key other than 0 ends the session");
	press(ivr, "9");
	expect_play(s, "goodbye");
	heard(ivr);
	assert_true(s->ended);
}

static void test_confirm_2_re_enters_the_number(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	press(ivr, "2");
	expect_play(s, "enter_number");
	press(ivr, "0398765431#");
	expect_play(s, "readback_prefix <0398765431> confirm");
	step("A typo: 2 re-enters");
	press(ivr, "2");
	expect_play(s, "enter_number");
	press(ivr, FWD "#");
	expect_play(s, "readback_prefix <0398765432> confirm");
	press(ivr, "1");
	expect_play(s, "done done_menu_or_hangup");
	assert_string_equal(sub_now(s).list[0], FWD);
	hang_up(s, ivr);
}

static void test_confirm_other_key_or_timeout_cancels_without_change(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	press(ivr, "2");
	expect_play(s, "enter_number");
	press(ivr, FWD "#");
	expect_play(s, "readback_prefix <0398765432> confirm");
	step("# at the confirm step cancels");
	press(ivr, "#");
	expect_play(s, "cancelled menu");
	assert_false(sub_now(s).registered[0]);
	heard(ivr);
	press(ivr, "2" FWD "#");
	expect_play(s, "enter_number");
	expect_play(s, "readback_prefix <0398765432> confirm");
	heard(ivr);
	step("No key for 10 s after the readback cancels");
	time_passes_s(s, 9);
	expect_nothing_played(s);
	time_passes_s(s, 1);
	expect_play(s, "cancelled menu");
	assert_false(sub_now(s).registered[0]);
	hang_up(s, ivr);
}

static void test_start_forwarding_with_each_condition(void **state)
{
	static const enum cfwd_condition want[] = { CFWD_COND_UNCONDITIONAL, CFWD_COND_NO_REPLY,
						    CFWD_COND_BUSY, CFWD_COND_NO_REPLY_BUSY };
	struct scen *s = *state;
	struct cfwd_ivr *ivr;
	char keys[2] = { 0, 0 };

	register_fwd(s);
	ivr = at_menu(s);
	for (int i = 0; i < 4; i++) {
		keys[0] = (char)('1' + i);
		printf("  -- 1 %s: %s\n", keys, cfwd_condition_name(want[i]));
		press(ivr, "1");
		expect_play(s, "condition_menu");
		press(ivr, keys);
		expect_play(s, "done done_menu_or_hangup");
		assert_int_equal(s->at_done.condition, want[i]);
		step("0 returns to the main menu");
		press(ivr, "0");
		expect_play(s, "menu");
	}
	step("0 in the main menu stops forwarding");
	press(ivr, "0");
	expect_play(s, "done done_menu_or_hangup");
	assert_int_equal(s->at_done.condition, CFWD_COND_OFF);
	assert_int_equal(s->at_done.last_condition, CFWD_COND_NO_REPLY_BUSY);
	hang_up(s, ivr);
	assert_false(s->ended);
}

static void test_start_without_a_registered_number_is_refused(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	step("1 1 with no forward-to number registered");
	press(ivr, "11");
	expect_play(s, "condition_menu");
	expect_play(s, "err_no_number menu");
	assert_int_equal(sub_now(s).condition, CFWD_COND_OFF);
	hang_up(s, ivr);
}

static void test_refused_forward_to_numbers_change_nothing(void **state)
{
	/* clang-format off */
	static const char *const refused[] = {
		"110", "119", "142", "104",	/* 3-digit service numbers 1XY */
		"0120123456", "08001234567",	/* toll-free */
		"0570123456",			/* navi dial */
		"0990123456",
		"0101234567890",		/* international */
		"0033123456789",		/* carrier prefix 00XY */
		SUB,				/* own number */
		"0363044141", "0664806142",	/* remote-control access numbers */
		"031234567", "031234567890",	/* not 10-11 digits */
		"3123456789", "",		/* not starting with 0, empty */
	};
	/* clang-format on */
	struct scen *s = *state;
	struct cfwd_ivr *ivr;
	char keys[40];

	register_fwd(s);
	ivr = at_menu(s);
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		printf("  -- 2 %s # is refused\n", refused[i]);
		snprintf(keys, sizeof(keys), "2%s#", refused[i]);
		press(ivr, keys);
		expect_play(s, "enter_number");
		expect_play(s, "err_refused_number menu");
		assert_string_equal(sub_now(s).list[0], FWD);
	}
	step("A list entry (4 0 1) is checked the same way");
	press(ivr, "401"
		   "0120999999#");
	expect_play(s, "list_menu");
	expect_play(s, "enter_list_no_register");
	expect_play(s, "enter_number");
	expect_play(s, "err_refused_number menu");
	assert_false(sub_now(s).registered[1]);
	step("16 digits are refused without waiting for #");
	press(ivr, "2"
		   "0312345678901234");
	expect_play(s, "enter_number");
	expect_play(s, "err_refused_number menu");
	hang_up(s, ivr);
}

static void test_ring_time_05_to_60(void **state)
{
	static const struct {
		const char *keys;
		int secs; /* expected after, or 0 for a refusal */
	} rows[] = {
		{ "05#", 5 }, { "60#", 60 }, { "30#", 30 }, { "04#", 0 },
		{ "61#", 0 }, { "5#", 0 },   { "123", 0 },  { "#", 0 },
	};
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	assert_int_equal(sub_now(s).ring_time_s, 20);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int before = sub_now(s).ring_time_s;

		printf("  -- 3 %s\n", rows[i].keys);
		press(ivr, "3");
		expect_play(s, "enter_ring_time");
		press(ivr, rows[i].keys);
		if (rows[i].secs) {
			expect_play(s, "done done_menu_or_hangup");
			assert_int_equal(s->at_done.ring_time_s, rows[i].secs);
			press(ivr, "0");
			expect_play(s, "menu");
		} else {
			expect_play(s, "err_ring_time menu");
			assert_int_equal(sub_now(s).ring_time_s, before);
		}
	}
	hang_up(s, ivr);
}

static void test_list_entries_register_and_select(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);
	struct cfwd_sub sub;

	step("4 0 3 + number + # registers list entry 3 (not selected)");
	press(ivr, "403"
		   "0455556666#");
	expect_play(s, "list_menu");
	expect_play(s, "enter_list_no_register");
	expect_play(s, "enter_number");
	expect_play(s, "readback_prefix <0455556666> confirm");
	press(ivr, "1");
	expect_play(s, "done done_menu_or_hangup");
	assert_string_equal(s->at_done.list[3], "0455556666");
	assert_int_equal(s->at_done.selected, -1);
	press(ivr, "0");
	expect_play(s, "menu");
	step("4 0 0 is not a list number for registration");
	press(ivr, "400");
	expect_play(s, "list_menu");
	expect_play(s, "enter_list_no_register");
	expect_play(s, "err_invalid_key menu");
	step("4 1 2: entry 2 is not registered");
	press(ivr, "412");
	expect_play(s, "list_menu");
	expect_play(s, "enter_list_no_select");
	expect_play(s, "err_entry_empty menu");
	step("4 1 3 selects entry 3");
	press(ivr, "413");
	expect_play(s, "list_menu");
	expect_play(s, "enter_list_no_select");
	expect_play(s, "done done_menu_or_hangup");
	assert_int_equal(s->at_done.selected, 3);
	step("1 1 now forwards unconditionally to entry 3");
	press(ivr, "0"
		   "11");
	expect_play(s, "menu");
	expect_play(s, "condition_menu");
	expect_play(s, "done done_menu_or_hangup");
	sub = sub_now(s);
	assert_int_equal(sub.condition, CFWD_COND_UNCONDITIONAL);
	assert_string_equal(sub.list[sub.selected], "0455556666");
	hang_up(s, ivr);
}

static void test_remote_control_enable_with_pin_and_disable(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);
	enum store_pin_result res;

	step("4 3 1 + PIN 4826 enables remote control");
	press(ivr, "431"
		   "4826");
	expect_play(s, "list_menu");
	expect_play(s, "remote_menu");
	expect_play(s, "enter_new_pin");
	expect_play(s, "done done_menu_or_hangup");
	assert_true(s->at_done.remote_enabled);
	assert_true(s->at_done.has_pin);
	assert_int_equal(store_pin_verify(s->st, SUB, "4826", &res), 0);
	assert_int_equal(res, STORE_PIN_OK);
	step("8 2 reads back that it is enabled, never the PIN");
	press(ivr, "0"
		   "82");
	expect_play(s, "menu");
	expect_play(s, "check_menu");
	expect_play(s, "remote_enabled done_menu_or_hangup");
	step("4 3 0 disables it");
	press(ivr, "0"
		   "430");
	expect_play(s, "menu");
	expect_play(s, "list_menu");
	expect_play(s, "remote_menu");
	expect_play(s, "done done_menu_or_hangup");
	assert_false(s->at_done.remote_enabled);
	press(ivr, "0"
		   "82");
	expect_play(s, "menu");
	expect_play(s, "check_menu");
	expect_play(s, "remote_disabled done_menu_or_hangup");
	step("A * inside the PIN is an invalid key and changes nothing");
	press(ivr, "0"
		   "43112*");
	expect_play(s, "menu");
	expect_play(s, "list_menu");
	expect_play(s, "remote_menu");
	expect_play(s, "enter_new_pin");
	expect_play(s, "err_invalid_key menu");
	assert_false(sub_now(s).remote_enabled);
	hang_up(s, ivr);
}

static void test_readback_of_the_list_with_selection(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;

	register_fwd(s);
	assert_int_equal(store_set_list_entry(s->st, STORE_WHO_CFWDCTL, SUB, 2, "0611112222"), 0);
	ivr = at_menu(s);
	press(ivr, "80");
	expect_play(s, "check_menu");
	expect_play(s, "list_entry <0> <0398765432> list_entry <1> not_registered "
		       "list_entry <2> <0611112222> list_entry <3> not_registered "
		       "list_entry <4> not_registered list_entry <0> selected "
		       "done_menu_or_hangup");
	hang_up(s, ivr);
}

static void test_readback_of_an_empty_list_says_none_selected(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	step("A new subscriber: nothing registered, nothing selected");
	press(ivr, "80");
	expect_play(s, "check_menu");
	expect_play(s, "list_entry <0> not_registered list_entry <1> not_registered "
		       "list_entry <2> not_registered list_entry <3> not_registered "
		       "list_entry <4> not_registered none_selected done_menu_or_hangup");
	step("Hang-up at the done prompt: the session ends quietly");
	hang_up(s, ivr);
	assert_false(s->ended);
}

static void test_prompt_catalogue_names_every_id(void **state)
{
	struct prompt_seq seq;
	char buf[64];

	for (int i = 0; i < PROMPT_COUNT; i++) {
		assert_non_null(prompt_name(i));
		if (i != PROMPT_NUMBER)
			assert_non_null(prompt_text(i));
		for (int k = 0; k < i; k++)
			assert_string_not_equal(prompt_name(i), prompt_name(k));
	}
	assert_null(prompt_name(PROMPT_COUNT));
	assert_string_equal(prompt_name(PROMPT_DIGIT_7), "digit_7");
	prompt_seq_reset(&seq);
	for (int i = 0; i < PROMPT_SEQ_MAX; i++)
		assert_int_equal(prompt_seq_add(&seq, PROMPT_DONE), 0);
	assert_int_equal(prompt_seq_add(&seq, PROMPT_DONE), -ENOSPC);
	prompt_seq_reset(&seq);
	assert_int_equal(prompt_seq_add_number(&seq, "0123456789012345"), -EINVAL);
	assert_int_equal(prompt_seq_add_number(&seq, "012"), 0);
	assert_int_equal(prompt_seq_add(&seq, PROMPT_CONFIRM), 0);
	prompt_seq_format(&seq, buf, 8);
	assert_string_equal(buf, "<012> c");
}

static void test_invalid_key_three_times_in_a_row_ends_the_session(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	press(ivr, "9");
	expect_play(s, "err_invalid_key menu");
	press(ivr, "*");
	expect_play(s, "err_invalid_key menu");
	step("The third invalid key, in a sub-menu: goodbye");
	press(ivr, "15");
	expect_play(s, "condition_menu");
	expect_play(s, "err_invalid_key goodbye");
	heard(ivr);
	assert_true(s->ended);
}

static void test_completed_operation_resets_the_invalid_count(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	press(ivr, "9");
	press(ivr, "9");
	expect_play(s, "err_invalid_key menu");
	expect_play(s, "err_invalid_key menu");
	press(ivr, "0");
	expect_play(s, "done done_menu_or_hangup");
	press(ivr, "0");
	expect_play(s, "menu");
	press(ivr, "9");
	press(ivr, "9");
	expect_play(s, "err_invalid_key menu");
	expect_play(s, "err_invalid_key menu");
	assert_false(s->ended);
	hang_up(s, ivr);
}

static void test_first_digit_and_inter_digit_timeouts(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = call_142(s, SUB);

	expect_play(s, "welcome menu");
	step("The first-digit timer only starts once the menu has been heard");
	time_passes_s(s, 25);
	expect_nothing_played(s);
	heard(ivr);
	time_passes_s(s, 9);
	expect_nothing_played(s);
	time_passes_s(s, 1);
	expect_play(s, "err_invalid_key menu");
	heard(ivr);
	step("Inter-digit: 2 and some digits, then 10 s of silence");
	press(ivr, "2031");
	expect_play(s, "enter_number");
	time_passes_s(s, 9);
	press(ivr, "2");
	time_passes_s(s, 9);
	expect_nothing_played(s);
	time_passes_s(s, 1);
	expect_play(s, "err_invalid_key menu");
	heard(ivr);
	step("Third timeout in a row ends the session");
	time_passes_s(s, 10);
	expect_play(s, "err_invalid_key goodbye");
	heard(ivr);
	assert_true(s->ended);
	assert_false(sub_now(s).registered[0]);
}

static void test_session_limit_ends_the_session_mid_entry(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);
	int i;

	step("The caller keeps the line busy with valid keys");
	for (i = 0; i < 19; i++) {
		press(ivr, "8");
		heard(ivr);
		time_passes_s(s, 9);
		press(ivr, "2");
		heard(ivr);
		press(ivr, "0");
		heard(ivr);
	}
	s->seen = s->n_played;
	step("Entering a number at 171 s: the session limit (180 s) ends it");
	press(ivr, "2039876");
	expect_play(s, "enter_number");
	time_passes_s(s, 8);
	expect_nothing_played(s);
	time_passes_s(s, 1);
	expect_play(s, "goodbye");
	assert_false(sub_now(s).registered[0]);
	heard(ivr);
	assert_true(s->ended);
}

static void assert_same_settings(const struct cfwd_sub *a, const struct cfwd_sub *b)
{
	assert_int_equal(a->condition, b->condition);
	assert_int_equal(a->selected, b->selected);
	assert_int_equal(a->ring_time_s, b->ring_time_s);
	assert_int_equal(a->remote_enabled, b->remote_enabled);
	assert_int_equal(a->has_pin, b->has_pin);
	for (int i = 0; i < CFWD_LIST_ENTRIES; i++) {
		assert_int_equal(a->registered[i], b->registered[i]);
		assert_string_equal(a->list[i], b->list[i]);
	}
}

static void test_hang_up_mid_operation_changes_nothing(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;
	struct cfwd_sub before, after;

	register_fwd(s);
	before = sub_now(s);
	ivr = at_menu(s);
	step("New number read back, caller hangs up instead of pressing 1");
	press(ivr, "2"
		   "0611112222#");
	expect_play(s, "enter_number");
	expect_play(s, "readback_prefix <0611112222> confirm");
	hang_up(s, ivr);
	after = sub_now(s);
	assert_same_settings(&before, &after);
	assert_false(s->ended);

	step("Again, hanging up after 3 of the 4 PIN digits");
	ivr = at_menu(s);
	press(ivr, "431"
		   "123");
	hang_up(s, ivr);
	after = sub_now(s);
	assert_same_settings(&before, &after);
}

static void test_barge_in_stops_the_prompt(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = call_142(s, SUB);

	expect_play(s, "welcome menu");
	step("8 while the menu is still playing stops it");
	press(ivr, "8");
	assert_int_equal(s->stops, 1);
	expect_play(s, "check_menu");
	heard(ivr);
	step("A digit after the prompt ended stops nothing");
	press(ivr, "2");
	assert_int_equal(s->stops, 1);
	expect_play(s, "remote_disabled done_menu_or_hangup");
	hang_up(s, ivr);
}

static void test_done_then_timeout_ends_the_session(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);

	press(ivr, "0");
	expect_play(s, "done done_menu_or_hangup");
	heard(ivr);
	time_passes_s(s, 10);
	expect_play(s, "goodbye");
	heard(ivr);
	assert_true(s->ended);
}

static void test_store_failure_plays_try_later_and_changes_nothing(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;

	register_fwd(s);
	ivr = at_menu(s);
	step("cfwdctl removes the subscriber during the session");
	assert_int_equal(store_sub_remove(s->st, STORE_WHO_CFWDCTL, SUB), 0);
	press(ivr, "11");
	expect_play(s, "condition_menu");
	expect_play(s, "try_later menu");
	assert_false(s->done_snap_ok);
	hang_up(s, ivr);
}

static void test_timers_and_invalid_limit_from_config(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr;
	char err[160];
	struct conf *c = conf_load_string("cfwd.conf",
					  "[service]\ninvalid_key_limit = 1\n"
					  "[timers]\nX2 = 4000\n",
					  err, sizeof(err));

	assert_non_null(c);
	the_conf = ivr_conf(s);
	assert_int_equal(cfwd_ivr_conf_load(c, &the_conf, err, sizeof(err)), 0);
	conf_free(c);
	step("X2 = 4 s and one invalid entry ends the session");
	ivr = cfwd_ivr_start(s->loop, &the_conf, &rec_ops, s, SUB);
	expect_play(s, "welcome menu");
	heard(ivr);
	time_passes_s(s, 4);
	expect_play(s, "err_invalid_key goodbye");
	heard(ivr);
	assert_true(s->ended);
	tdef_reset(cfwd_ivr_tdefs);
}

/* The settings made on 142 drive the decision for the next call (§2, §6). */
static struct cfwd_decision next_call(struct scen *s, const char *caller, enum cfwd_leg leg)
{
	struct cfwd_call_facts c = { .calling = caller, .leg = leg };
	struct cfwd_decide_conf conf;
	struct cfwd_decision d;
	struct cfwd_sub sub = sub_now(s);
	int in_list = store_reject_contains(s->st, SUB, caller);

	assert_true(in_list >= 0);
	c.caller_rejected = in_list == 1;
	cfwd_decide_conf_default(&conf);
	assert_int_equal(cfwd_decide(&sub, &c, &conf, &d), 0);
	printf("     == call from %s (%s): %s/%s\n", caller, leg ? "busy" : "arrival",
	       cfwd_action_name(d.action), cfwd_why_name(d.why));
	return d;
}

static void test_settings_made_on_142_drive_the_next_call(void **state)
{
	struct scen *s = *state;
	struct cfwd_ivr *ivr = at_menu(s);
	struct cfwd_decision d;

	step("The subscriber registers 0398765432 and sets busy forwarding");
	press(ivr, "2" FWD "#"
		   "1");
	expect_play(s, "enter_number");
	expect_play(s, "readback_prefix <0398765432> confirm");
	expect_play(s, "done done_menu_or_hangup");
	press(ivr, "0"
		   "13");
	expect_play(s, "menu");
	expect_play(s, "condition_menu");
	expect_play(s, "done done_menu_or_hangup");
	hang_up(s, ivr);

	step("A call arrives: offered, busy forwarding armed; busy: diverted to 0398765432");
	d = next_call(s, "0311112222", CFWD_LEG_NONE);
	assert_int_equal(d.action, CFWD_ACT_OFFER);
	assert_true(d.divert_on_busy);
	assert_int_equal(d.ring_ms, 0);
	d = next_call(s, "0311112222", CFWD_LEG_BUSY);
	assert_int_equal(d.action, CFWD_ACT_DIVERT);
	assert_string_equal(d.redir.called, FWD);
	assert_string_equal(d.redir.ocn, SUB);
	assert_int_equal(d.redir.reason, CFWD_REASON_BUSY);

	step("A caller on the rejection list is rejected, never forwarded");
	assert_int_equal(store_reject_add(s->st, STORE_WHO_CFWDCTL, SUB, "0311112222"), 0);
	d = next_call(s, "0311112222", CFWD_LEG_BUSY);
	assert_int_equal(d.action, CFWD_ACT_REJECT);
	assert_int_equal(d.why, CFWD_WHY_REJECT_LIST);

	step("Stopped with 0 on 142: the busy subscriber's caller hears busy (17)");
	ivr = at_menu(s);
	press(ivr, "0");
	expect_play(s, "done done_menu_or_hangup");
	hang_up(s, ivr);
	d = next_call(s, "0322223333", CFWD_LEG_BUSY);
	assert_int_equal(d.action, CFWD_ACT_RELEASE);
	assert_int_equal(d.cause, 17);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, scen_setup, scen_teardown)
	const struct CMUnitTest tests[] = {
		T(test_non_subscriber_hears_not_available_and_is_released),
		T(test_withheld_caller_hears_not_available),
		T(test_inactive_subscriber_hears_not_available),
		T(test_register_forward_to_number_with_readback_and_confirm),
		T(test_confirm_2_re_enters_the_number),
		T(test_confirm_other_key_or_timeout_cancels_without_change),
		T(test_start_forwarding_with_each_condition),
		T(test_start_without_a_registered_number_is_refused),
		T(test_refused_forward_to_numbers_change_nothing),
		T(test_ring_time_05_to_60),
		T(test_list_entries_register_and_select),
		T(test_remote_control_enable_with_pin_and_disable),
		T(test_readback_of_the_list_with_selection),
		T(test_readback_of_an_empty_list_says_none_selected),
		cmocka_unit_test(test_prompt_catalogue_names_every_id),
		T(test_invalid_key_three_times_in_a_row_ends_the_session),
		T(test_completed_operation_resets_the_invalid_count),
		T(test_first_digit_and_inter_digit_timeouts),
		T(test_session_limit_ends_the_session_mid_entry),
		T(test_hang_up_mid_operation_changes_nothing),
		T(test_barge_in_stops_the_prompt),
		T(test_done_then_timeout_ends_the_session),
		T(test_store_failure_plays_try_later_and_changes_nothing),
		T(test_timers_and_invalid_limit_from_config),
		T(test_settings_made_on_142_drive_the_next_call),
	};

	return cmocka_run_group_tests_name("ivr", tests, NULL, NULL);
}
