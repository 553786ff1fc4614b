/* tests/test_media_ivr.c - real 142 and remote-control dialogues (feature/cfwd, real
 * SQLite store in a temp file, fake clock) run end to end with audio through media
 * sessions: the caller's keys are DTMF audio in received G.711 blocks, with our own
 * guidance looped back at -10 dB; what the caller hears is checked block by block
 * against the expected prompt sequence; the store is changed. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/fsm.h"
#include "core/log.h"
#include "core/loop.h"
#include "feature/cfwd/ivr.h"
#include "feature/cfwd/remote.h"
#include "feature/cfwd/store.h"
#include "media/dialogue.h"
#include "media/player.h"
#include "media/prompt_set.h"
#include "media/session.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tests/fixture_prompts.h"

#ifndef MEDIA_PROMPTS_BASE
#define MEDIA_PROMPTS_BASE "build/prompts"
#endif

#define SUB "0312345678"
#define FWD "0398765432"
#define REC_BLOCKS (50 * 300) /* 5 min of what the caller hears */
#define PLAYS_MAX 64

static struct prompt_set *set_en;

/* The caller's line: keys as audio, our guidance echoed back, a recording of tx. */
struct line {
	struct loop *loop;
	struct store *st;
	char path[64];
	struct cfwd_refused refused;
	struct cfwd_ivr_conf ivr_conf;
	struct cfwd_remote_conf rm_conf;
	struct media_group *g;
	struct media_dlg *d;
	struct dtmf_gen *gen;
	float echo_gain;
	unsigned echo_delay; /* blocks */
	uint8_t *rec; /* tx blocks, MEDIA_BLOCK each */
	size_t nblk;
	size_t play_at[PLAYS_MAX]; /* block where each play() started */
	int nplays, seen;
	bool ended;
	int cause;
};

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static void on_end(void *user, int cause)
{
	struct line *ln = user;

	printf("     <- release, cause %d\n", cause);
	ln->ended = true;
	ln->cause = cause;
	media_dlg_free(ln->d); /* from inside the callback, as the glue will */
	ln->d = NULL;
}

static void note_plays(struct line *ln)
{
	struct media_session_stats st;

	if (!ln->d)
		return;
	media_session_get_stats(media_dlg_media(ln->d), &st);
	while ((uint64_t)ln->nplays < st.plays) {
		assert_true(ln->nplays < PLAYS_MAX);
		ln->play_at[ln->nplays++] = ln->nblk;
	}
}

/* One 20 ms round: timers, our tx (recorded), the caller's rx (keys + echo of tx). */
static void tick(struct line *ln)
{
	int16_t keys[MEDIA_BLOCK];
	uint8_t *tx, rx[MEDIA_BLOCK];
	size_t k;

	fake_time_passes(20);
	loop_run_once(ln->loop, 0);
	assert_true(ln->nblk < REC_BLOCKS);
	tx = ln->rec + ln->nblk * MEDIA_BLOCK;
	if (!ln->d) {
		memset(tx, 0xff, MEDIA_BLOCK);
		ln->nblk++;
		return;
	}
	note_plays(ln);
	media_dlg_tx(ln->d, tx);
	ln->nblk++;
	note_plays(ln);
	k = dtmf_gen_tx(ln->gen, keys, MEDIA_BLOCK);
	memset(keys + k, 0, (MEDIA_BLOCK - k) * sizeof(int16_t));
	tx = ln->nblk > ln->echo_delay ? ln->rec + (ln->nblk - 1 - ln->echo_delay) * MEDIA_BLOCK :
					 NULL;
	for (int i = 0; i < MEDIA_BLOCK; i++)
		rx[i] = g711_ulaw_encode(
			dtmf_sat16((tx ? g711_ulaw_decode(tx[i]) * ln->echo_gain : 0) + keys[i]));
	if (ln->d)
		media_dlg_rx(ln->d, rx);
	note_plays(ln);
}

static void run_ms(struct line *ln, unsigned ms)
{
	for (unsigned t = 0; t < ms; t += 20)
		tick(ln);
}

/* Until the guidance finished (the dialogue then waits for keys) or the call ended. */
static void listen(struct line *ln)
{
	for (int i = 0; i < 50 * 60 && ln->d; i++) {
		tick(ln);
		if (!ln->d || !media_session_playing(media_dlg_media(ln->d)))
			break;
	}
	run_ms(ln, 100);
}

static void press(struct line *ln, const char *keys)
{
	printf("     -> DTMF %s (audio)\n", keys);
	assert_int_equal(dtmf_gen_put(ln->gen, keys), 0);
	run_ms(ln, (unsigned)strlen(keys) * 140 + 100);
}

/* The next play() the caller heard was seq: the recorded blocks equal the reference
 * rendering, in full (whole) or up to where the next play or a stop cut it. */
static void heard_at(struct line *ln, const struct prompt_seq *seq, bool whole, int line)
{
	struct media_player ref;
	uint8_t want[MEDIA_BLOCK];
	char desc[256];
	size_t b, end;
	int i = ln->seen;

	prompt_seq_format(seq, desc, sizeof(desc));
	if (i >= ln->nplays)
		fail_msg("line %d: \"%s\" was never played", line, desc);
	printf("     <- heard: %s%s\n", desc, whole ? "" : " (interrupted)");
	media_player_init(&ref, set_en, DTMF_LAW_ULAW, NULL, NULL);
	assert_int_equal(media_player_play(&ref, seq), 0);
	end = i + 1 < ln->nplays ? ln->play_at[i + 1] : ln->nblk;
	for (b = ln->play_at[i]; b < end && media_player_busy(&ref); b++) {
		media_player_tx(&ref, want);
		if (memcmp(want, ln->rec + b * MEDIA_BLOCK, MEDIA_BLOCK)) {
			bool silent = true;

			for (int k = 0; k < MEDIA_BLOCK; k++)
				silent &= ln->rec[b * MEDIA_BLOCK + k] == 0xff;
			if (!whole && silent)
				break; /* stopped by a key */
			fail_msg("line %d: \"%s\" differs at block %zu", line, desc,
				 b - ln->play_at[i]);
		}
	}
	if (whole && media_player_busy(&ref))
		fail_msg("line %d: \"%s\" was cut after %zu ms", line, desc,
			 (b - ln->play_at[i]) * 20);
	if (!whole && !media_player_busy(&ref))
		fail_msg("line %d: \"%s\" was not interrupted", line, desc);
	ln->seen++;
}

static void heard_ids(struct line *ln, bool whole, int line, const char *number, enum prompt_id a,
		      enum prompt_id b, enum prompt_id c)
{
	struct prompt_seq seq;

	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, a);
	if (number)
		prompt_seq_add_number(&seq, number);
	if (b != PROMPT_COUNT)
		prompt_seq_add(&seq, b);
	if (c != PROMPT_COUNT)
		prompt_seq_add(&seq, c);
	heard_at(ln, &seq, whole, line);
}

#define NONE PROMPT_COUNT
#define heard(ln, a, b) heard_ids(ln, true, __LINE__, NULL, a, b, NONE)
#define heard_cut(ln, a, b) heard_ids(ln, false, __LINE__, NULL, a, b, NONE)
#define heard_number(ln, a, num, b) heard_ids(ln, true, __LINE__, num, a, b, NONE)

static struct cfwd_sub sub_now(struct line *ln)
{
	struct cfwd_sub sub;

	assert_int_equal(store_sub_get(ln->st, SUB, &sub), 0);
	return sub;
}

static int line_setup(void **state)
{
	struct line *ln = calloc(1, sizeof(*ln));
	struct dtmf_gen_params gp = {
		.level_dbm0 = -15, .twist_db = 2, .on_ms = 70, .off_ms = 70, .seed = 3
	};
	struct store_opts o;
	char err[256];
	int fd;

	assert_non_null(ln);
	log_set_all(LOGL_NOTICE);
	fake_clock_enable(1000000, 1767225600);
	ln->loop = loop_alloc();
	snprintf(ln->path, sizeof(ln->path), "/tmp/cfwd-media-ivr-XXXXXX");
	fd = mkstemp(ln->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(ln->path);
	store_opts_default(&o);
	o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
	o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
	ln->st = store_open_opts(ln->path, &o, err, sizeof(err));
	if (!ln->st)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_sub_add(ln->st, STORE_WHO_CFWDCTL, SUB, true), 0);
	cfwd_refused_default(&ln->refused);
	ln->ivr_conf.store = ln->st;
	ln->ivr_conf.refused = &ln->refused;
	ln->rm_conf.store = ln->st;
	ln->g = media_group_alloc(2, DTMF_LAW_ULAW, set_en);
	ln->gen = dtmf_gen_alloc(&gp);
	ln->rec = malloc((size_t)REC_BLOCKS * MEDIA_BLOCK);
	assert_non_null(ln->g);
	assert_non_null(ln->gen);
	assert_non_null(ln->rec);
	ln->echo_gain = 0.316f; /* the lab loops our guidance back at -10 dB */
	*state = ln;
	return 0;
}

static int line_teardown(void **state)
{
	struct line *ln = *state;
	char p[80];

	if (ln->d)
		media_dlg_hangup(ln->d);
	loop_run_once(ln->loop, 0);
	assert_int_equal(fsm_inst_live_count(), 0);
	assert_int_equal(media_group_open_count(ln->g), 0);
	media_group_free(ln->g);
	dtmf_gen_free(ln->gen);
	free(ln->rec);
	store_close(ln->st);
	loop_free(ln->loop);
	unlink(ln->path);
	snprintf(p, sizeof(p), "%s-wal", ln->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", ln->path);
	unlink(p);
	fake_clock_disable();
	free(ln);
	return 0;
}

static void dial_142(struct line *ln, const char *caller)
{
	printf("     -> %s dials 142 (timeslot 2)\n", caller);
	ln->d = media_dlg_start_142(ln->g, 1, ln->loop, &ln->ivr_conf, caller, on_end, ln);
	assert_non_null(ln->d);
}

static void test_142_registers_number_by_dtmf_audio_with_barge_in(void **state)
{
	struct line *ln = *state;
	struct media_session_stats st;
	struct cfwd_sub sub;
	size_t key_blk;

	dial_142(ln, SUB);
	step("The caller hears welcome and the menu, and presses 2 during the menu");
	run_ms(ln, 6000);
	assert_true(media_session_playing(media_dlg_media(ln->d)));
	key_blk = ln->nblk;
	press(ln, "2");
	heard_cut(ln, PROMPT_WELCOME, PROMPT_MENU);
	step("Barge-in: the menu stopped within 80 ms of the key, enter_number followed");
	assert_true(ln->play_at[1] - key_blk <= 4);
	media_session_get_stats(media_dlg_media(ln->d), &st);
	assert_int_equal(st.stops, 1);
	listen(ln);
	heard(ln, PROMPT_ENTER_NUMBER, NONE);
	assert_string_equal(media_dlg_state(ln->d), "NUMBER");

	step("The number and #, as audio; it is read back digit by digit");
	press(ln, FWD "#");
	listen(ln);
	heard_number(ln, PROMPT_READBACK_PREFIX, FWD, PROMPT_CONFIRM);
	assert_false(sub_now(ln).registered[0]);

	step("1 confirms: committed, then done is heard");
	press(ln, "1");
	sub = sub_now(ln);
	assert_true(sub.registered[0]);
	assert_string_equal(sub.list[0], FWD);
	assert_int_equal(sub.selected, 0);
	listen(ln);
	heard(ln, PROMPT_DONE, PROMPT_DONE_MENU_OR_HANGUP);

	step("0: back to the menu; 1 1: forward all calls");
	press(ln, "0");
	listen(ln);
	heard(ln, PROMPT_MENU, NONE);
	press(ln, "11");
	listen(ln);
	heard_cut(ln, PROMPT_CONDITION_MENU, NONE);
	heard(ln, PROMPT_DONE, PROMPT_DONE_MENU_OR_HANGUP);
	assert_int_equal(sub_now(ln).condition, CFWD_COND_UNCONDITIONAL);

	step("9 ends the session: goodbye, then the call is released");
	press(ln, "9");
	listen(ln);
	heard(ln, PROMPT_GOODBYE, NONE);
	assert_true(ln->ended);
	assert_int_equal(ln->cause, 16);
	assert_int_equal(media_group_open_count(ln->g), 0);
	assert_int_equal(ln->seen, ln->nplays);
}

static void test_guidance_echo_alone_never_moves_the_menu(void **state)
{
	struct line *ln = *state;

	dial_142(ln, SUB);
	step("The caller listens to welcome and menu echoed back at 0 dB and says nothing");
	ln->echo_gain = 1.0f;
	listen(ln);
	heard(ln, PROMPT_WELCOME, PROMPT_MENU);
	assert_string_equal(media_dlg_state(ln->d), "MENU");
	step("First-digit timeout: invalid entry, the menu again");
	run_ms(ln, 10100);
	listen(ln);
	heard(ln, PROMPT_ERR_INVALID_KEY, PROMPT_MENU);
	assert_int_equal(sub_now(ln).condition, CFWD_COND_OFF);
}

static void test_hang_up_mid_number_changes_nothing(void **state)
{
	struct line *ln = *state;

	dial_142(ln, SUB);
	listen(ln);
	heard(ln, PROMPT_WELCOME, PROMPT_MENU);
	press(ln, "2");
	listen(ln);
	heard(ln, PROMPT_ENTER_NUMBER, NONE);
	press(ln, "03987");
	step("The caller hangs up halfway through the number");
	media_dlg_hangup(ln->d);
	ln->d = NULL;
	run_ms(ln, 100);
	assert_false(ln->ended);
	assert_false(sub_now(ln).registered[0]);
	assert_int_equal(media_group_open_count(ln->g), 0);
}

static void test_non_subscriber_hears_not_available_and_is_released(void **state)
{
	struct line *ln = *state;

	dial_142(ln, "0355551234");
	step("Keys during the closing prompt are ignored");
	press(ln, "1");
	listen(ln);
	heard(ln, PROMPT_NOT_AVAILABLE, NONE);
	assert_true(ln->ended);
	assert_int_equal(ln->cause, 16);
}

static void test_remote_control_starts_forwarding_by_dtmf_audio(void **state)
{
	struct line *ln = *state;

	step("SUB has a forward-to number and remote control with PIN 2468");
	assert_int_equal(store_set_forward_to(ln->st, STORE_WHO_CFWDCTL, SUB, FWD), 0);
	assert_int_equal(store_set_remote(ln->st, STORE_WHO_CFWDCTL, SUB, true, "2468"), 0);
	printf("     -> 09011112222 calls the remote-control access number\n");
	ln->d = media_dlg_start_remote(ln->g, 0, ln->loop, &ln->rm_conf, "09011112222", on_end, ln);
	assert_non_null(ln->d);
	listen(ln);
	heard(ln, PROMPT_REMOTE_WELCOME, PROMPT_REMOTE_ENTER_NUMBER);
	press(ln, SUB "#");
	listen(ln);
	heard(ln, PROMPT_REMOTE_ENTER_PIN, NONE);
	press(ln, "2468");
	listen(ln);
	heard(ln, PROMPT_REMOTE_COMMAND, NONE);
	step("1: start forwarding with the last condition");
	press(ln, "1");
	assert_int_equal(sub_now(ln).condition, CFWD_COND_UNCONDITIONAL);
	listen(ln);
	heard(ln, PROMPT_REMOTE_STARTED, NONE);
	assert_true(ln->ended);
	assert_int_equal(ln->seen, ln->nplays);
}

static void test_a_quiet_key_over_a_late_loud_echo_barges_in(void **state)
{
	struct line *ln = *state;
	struct dtmf_gen_params gp = {
		.level_dbm0 = -30, .twist_db = 6, .on_ms = 80, .off_ms = 80, .seed = 11
	};
	struct media_session_stats st;
	size_t key_blk;

	step("Keys at -30 dBm0 with 6 dB twist; our guidance comes back 60 ms late at -10 dB");
	dtmf_gen_free(ln->gen);
	ln->gen = dtmf_gen_alloc(&gp);
	assert_non_null(ln->gen);
	ln->echo_delay = 3;
	dial_142(ln, SUB);
	run_ms(ln, 4000);
	media_session_get_stats(media_dlg_media(ln->d), &st);
	printf("     .. echo path: %d blocks, gain %.2f\n", st.echo_lag, st.echo_gain);
	assert_int_equal(st.echo_lag, 3);
	step("One press of 2 during the menu stops it at once");
	key_blk = ln->nblk;
	press(ln, "2");
	heard_cut(ln, PROMPT_WELCOME, PROMPT_MENU);
	assert_true(ln->play_at[1] - key_blk <= 4);
	step("The whole number keyed over enter_number: its first digit stops it");
	run_ms(ln, 1000);
	press(ln, FWD "#");
	heard_cut(ln, PROMPT_ENTER_NUMBER, NONE);
	listen(ln);
	heard_number(ln, PROMPT_READBACK_PREFIX, FWD, PROMPT_CONFIRM);
	press(ln, "1");
	listen(ln);
	heard(ln, PROMPT_DONE, PROMPT_DONE_MENU_OR_HANGUP);
	assert_string_equal(sub_now(ln).list[0], FWD);
}

static int group_setup(void **state)
{
	set_en = fx_prompts("en");
	return 0;
}

static int group_teardown(void **state)
{
	prompt_set_free(set_en);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_142_registers_number_by_dtmf_audio_with_barge_in, line_setup,
			line_teardown),
		cmocka_unit_test_setup_teardown(test_guidance_echo_alone_never_moves_the_menu,
						line_setup, line_teardown),
		cmocka_unit_test_setup_teardown(test_hang_up_mid_number_changes_nothing, line_setup,
						line_teardown),
		cmocka_unit_test_setup_teardown(
			test_non_subscriber_hears_not_available_and_is_released, line_setup,
			line_teardown),
		cmocka_unit_test_setup_teardown(test_remote_control_starts_forwarding_by_dtmf_audio,
						line_setup, line_teardown),
		cmocka_unit_test_setup_teardown(test_a_quiet_key_over_a_late_loud_echo_barges_in,
						line_setup, line_teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests_name("media_ivr", tests, group_setup, group_teardown);
}
