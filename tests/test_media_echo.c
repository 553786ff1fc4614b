/* tests/test_media_echo.c - the echo of our own guidance. Through media sessions (G.711):
 * every prompt of both languages looped back at 0, -6 and -10 dB is never a digit, and
 * keys at -30 dBm0 pressed over a -10 dB echo are heard, with and without echo removal.
 * The removal itself (media/echo.h): the lab's loop-back (whole-block delay, flat gain)
 * is found and subtracted, the gain tracked, the model dropped when the loop-back stops;
 * echo paths it cannot model are left alone and the search stops costing after 10 s. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/log.h"
#include "media/echo.h"
#include "media/prompt_set.h"
#include "media/session.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tests/fixture_prompts.h"

#ifndef MEDIA_PROMPTS_BASE
#define MEDIA_PROMPTS_BASE "build/prompts"
#endif

#define B MEDIA_ECHO_BLOCK

static struct prompt_set *set_en, *set_ja;
static const struct prompt_audio *menu;

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

struct chan_rec {
	struct media_session *ms;
	char digits[128];
	int n_digits;
	int n_done;
	bool barge_in; /* a digit stops the guidance */
	int next_id; /* catalogue playback: next prompt id */
	bool all_played;
};

static void rec_digit(void *user, char d)
{
	struct chan_rec *r = user;

	if (r->n_digits < (int)sizeof(r->digits) - 1)
		r->digits[r->n_digits++] = d;
	if (r->barge_in)
		media_session_stop(r->ms);
}

/* Gaussian noise, fixed seed (Box-Muller on a small LCG). */
static uint32_t lcg = 12345;
static float noise(float rms)
{
	float u1, u2;

	lcg = lcg * 1664525u + 1013904223u;
	u1 = ((lcg >> 8) + 1.0f) / 16777217.0f;
	lcg = lcg * 1664525u + 1013904223u;
	u2 = (lcg >> 8) / 16777216.0f;
	return rms * sqrtf(-2.0f * logf(u1)) * cosf(6.2831853f * u2);
}

/* rx = echo * gain + keys + noise, G.711 µ-law. */
static void mix_rx(uint8_t *rx, const uint8_t *tx, float gain, const int16_t *keys, float noise_rms)
{
	for (int i = 0; i < MEDIA_BLOCK; i++) {
		float v = g711_ulaw_decode(tx[i]) * gain;

		if (keys)
			v += keys[i];
		if (noise_rms > 0)
			v += noise(noise_rms);
		rx[i] = g711_ulaw_encode(dtmf_sat16(v));
	}
}

/* ---- talk-off: echo of every prompt through sessions ------------------------- */

/* Play the whole catalogue: up to 20 prompts per sequence, then a number. */
static void echo_next(void *user)
{
	struct chan_rec *r = user;
	struct prompt_seq seq;

	prompt_seq_reset(&seq);
	if (r->next_id > PROMPT_COUNT) {
		r->all_played = true;
		return;
	}
	if (r->next_id == PROMPT_COUNT) {
		prompt_seq_add_number(&seq, "0123456789");
		prompt_seq_add_number(&seq, "9876543210");
		r->next_id++;
	}
	while (r->next_id < PROMPT_COUNT && seq.n < 20) {
		if (r->next_id != PROMPT_NUMBER)
			prompt_seq_add(&seq, (enum prompt_id)r->next_id);
		r->next_id++;
	}
	assert_int_equal(media_session_play(r->ms, &seq), 0);
}

static const struct media_session_ops echo_ops = { .digit = rec_digit, .prompt_done = echo_next };

static void echo_of_every_prompt(bool removal)
{
	static const float att_db[3] = { 0, 6, 10 };
	struct media_group *g[2];
	struct chan_rec r[6] = { 0 };
	uint8_t tx[MEDIA_BLOCK], rx[MEDIA_BLOCK];
	bool busy = true;
	long blocks = 0;

	g[0] = media_group_alloc(3, DTMF_LAW_ULAW, set_en);
	g[1] = media_group_alloc(3, DTMF_LAW_ULAW, set_ja);
	media_group_set_echo_removal(g[0], removal);
	media_group_set_echo_removal(g[1], removal);
	step(removal ? "Echo removal on: the loop-back is also subtracted" :
		       "Echo removal off: the detector alone rejects the echo");
	step("Every prompt of both languages, then numbers, looped back at 0, -6, -10 dB");
	for (int c = 0; c < 6; c++) {
		r[c].ms = media_session_open(g[c / 3], c % 3, &echo_ops, &r[c]);
		assert_non_null(r[c].ms);
		echo_next(&r[c]);
	}
	while (busy) {
		busy = false;
		for (int c = 0; c < 6; c++) {
			float gain = powf(10.0f, -att_db[c % 3] / 20.0f);

			media_session_tx(r[c].ms, tx);
			mix_rx(rx, tx, gain, NULL, 0);
			media_session_rx(r[c].ms, rx);
			busy |= !r[c].all_played;
		}
		blocks++;
	}
	printf("     %ld s of guidance per channel\n", blocks / 50);
	for (int c = 0; c < 6; c++) {
		printf("     <- %s at -%.0f dB: %d digits %s\n", c < 3 ? "en" : "ja", att_db[c % 3],
		       r[c].n_digits, r[c].digits);
		assert_int_equal(r[c].n_digits, 0);
	}
	media_group_free(g[0]);
	media_group_free(g[1]);
}

static void test_echo_of_every_prompt_is_never_a_digit(void **state)
{
	echo_of_every_prompt(false);
	echo_of_every_prompt(true);
}

static void replay_menu(void *user)
{
	struct chan_rec *r = user;
	struct prompt_seq seq;

	r->n_done++;
	if (r->barge_in && r->n_digits)
		return;
	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, PROMPT_MENU);
	prompt_seq_add(&seq, PROMPT_CONDITION_MENU);
	prompt_seq_add_number(&seq, "0398765432");
	assert_int_equal(media_session_play(r->ms, &seq), 0);
}

static const struct media_session_ops keys_ops = { .digit = rec_digit, .prompt_done = replay_menu };

/* Keys at -30 dBm0 (low tone; high tone 6 dB lower), white noise 15 dB below the low
 * tone, over guidance echoed at echo_gain that repeats whenever it finishes (stopped
 * for good by a digit if r->barge_in). r gets the digits heard, sent what was keyed. */
static void keys_over_echo(const struct prompt_set *ps, unsigned on_ms, unsigned off_ms,
			   float echo_gain, bool removal, struct chan_rec *r, char *sent,
			   size_t sentlen)
{
	static const char keys[] = "1234567890*#1234567890*#";
	struct dtmf_gen_params gp = {
		.level_dbm0 = -30, .twist_db = 6, .on_ms = on_ms, .off_ms = off_ms, .seed = 99
	};
	struct media_group *g = media_group_alloc(1, DTMF_LAW_ULAW, ps);
	struct dtmf_gen *gen = dtmf_gen_alloc(&gp);
	float noise_rms = dtmf_dbm0_to_amp(-30 - 15) / sqrtf(2.0f);
	int16_t pcm[MEDIA_BLOCK];
	uint8_t tx[MEDIA_BLOCK], rx[MEDIA_BLOCK];
	size_t blocks = (sizeof(keys) - 1) * (on_ms + off_ms) / 20 + 10;

	assert_non_null(g);
	assert_non_null(gen);
	media_group_set_echo_removal(g, removal);
	r->ms = media_session_open(g, 0, &keys_ops, r);
	replay_menu(r);
	assert_int_equal(dtmf_gen_put(gen, keys), 0);
	snprintf(sent, sentlen, "%s", keys);
	for (size_t b = 0; b < blocks; b++) {
		size_t k = dtmf_gen_tx(gen, pcm, MEDIA_BLOCK);

		memset(pcm + k, 0, (MEDIA_BLOCK - k) * sizeof(int16_t));
		media_session_tx(r->ms, tx);
		mix_rx(rx, tx, echo_gain, pcm, noise_rms);
		media_session_rx(r->ms, rx);
	}
	dtmf_gen_free(gen);
	media_group_free(g);
}

/* heard is sent with some digits left out, nothing added or reordered, once a key
 * heard twice in a row is counted once (sent has no key twice in a row): the echo can
 * mask the middle of a long key, which then starts again (a split, counted in *splits). */
static bool is_subsequence(const char *heard, const char *sent, int *splits)
{
	*splits = 0;
	for (const char *h0 = heard; *heard; heard++) {
		if (heard > h0 && heard[0] == heard[-1]) {
			(*splits)++;
			continue;
		}
		sent = strchr(sent, *heard);
		if (!sent)
			return false;
		sent++;
	}
	return true;
}

static void keys_over_echo_run(bool removal, const unsigned *min_pct)
{
	static const unsigned on[] = { 50, 100, 150 };
	char sent[64];

	for (int l = 0; l < 2; l++) {
		for (unsigned i = 0; i < 3; i++) {
			struct chan_rec r = { 0 };
			int splits, heard;
			bool ok;

			keys_over_echo(l ? set_ja : set_en, on[i], on[i], 0.316f, removal, &r, sent,
				       sizeof(sent));
			ok = is_subsequence(r.digits, sent, &splits);
			heard = r.n_digits - splits;
			printf("     %s %u/%u ms: %d of %zu heard (%d split): %s\n",
			       l ? "ja" : "en", on[i], on[i], heard, strlen(sent), splits,
			       r.digits);
			/* some may be masked, none invented */
			assert_true(ok);
			assert_true(splits <= 2);
			assert_true(heard * 100 >= (int)(min_pct[i] * strlen(sent)));
		}
	}
}

static void test_keys_over_guidance_echo_are_detected(void **state)
{
	static const unsigned min_off[] = { 25, 50, 50 }, min_on[] = { 75, 90, 90 };
	char sent[64];

	step("Keys -30 dBm0, 6 dB twist, 15 dB SNR, no echo: every key heard");
	for (int l = 0; l < 2; l++) {
		struct chan_rec r = { 0 };

		keys_over_echo(l ? set_ja : set_en, 50, 50, 0, true, &r, sent, sizeof(sent));
		printf("     %s 50/50 ms: heard %s\n", l ? "ja" : "en", r.digits);
		assert_string_equal(r.digits, sent);
	}
	step("Same keys over guidance echoed at -10 dB that never stops (no barge-in),");
	step("detector alone (echo removal off): the echo is louder than the keys");
	keys_over_echo_run(false, min_off);
	step("with the lab's loop-back found and subtracted (echo removal on)");
	keys_over_echo_run(true, min_on);
	step("With barge-in (the first key heard stops the guidance) no later key is lost,");
	step("even with echo removal off");
	for (int l = 0; l < 2; l++) {
		struct chan_rec r = { .barge_in = true };
		const char *tail;

		keys_over_echo(l ? set_ja : set_en, 100, 100, 0.316f, false, &r, sent,
			       sizeof(sent));
		tail = strchr(sent, r.digits[0]);
		printf("     %s 100/100 ms: heard %s\n", l ? "ja" : "en", r.digits);
		assert_non_null(tail);
		assert_true(tail - sent <= 4);
		assert_string_equal(r.digits, tail);
	}
}

/* ---- the removal itself, on linear audio ------------------------------------- */

/* A line that echoes what we send: delay in samples, gain; rx = echo (+ nothing). */
struct loopback {
	int16_t *sent; /* every sample sent so far */
	size_t n;
	size_t delay;
	float gain;
};

static void send_block(struct loopback *lb, struct media_echo *ec, size_t blk)
{
	int16_t tx[B];

	for (int i = 0; i < B; i++)
		tx[i] = menu->pcm[(blk * B + (size_t)i) % menu->n];
	memcpy(lb->sent + lb->n, tx, sizeof(tx));
	lb->n += B;
	media_echo_tx(ec, tx, true);
}

/* The block received now; returns echo energy before and after removal. */
static void recv_block(struct loopback *lb, struct media_echo *ec, double *before, double *after)
{
	int16_t rx[B];

	for (int i = 0; i < B; i++) {
		size_t at = lb->n - B + (size_t)i;

		rx[i] = at >= lb->delay ? (int16_t)lrintf(lb->sent[at - lb->delay] * lb->gain) : 0;
		*before += (double)rx[i] * rx[i];
	}
	media_echo_rx(ec, rx);
	for (int i = 0; i < B; i++)
		*after += (double)rx[i] * rx[i];
}

/* Run secs of guidance; returns the echo reduction in dB over the last second. */
static double run(struct loopback *lb, struct media_echo *ec, unsigned secs, size_t *blk)
{
	double before = 0, after = 0;

	for (unsigned b = 0; b < secs * 50; b++) {
		double b0 = 0, a0 = 0;

		send_block(lb, ec, (*blk)++);
		recv_block(lb, ec, &b0, &a0);
		if (b >= (secs - 1) * 50) {
			before += b0;
			after += a0;
		}
	}
	return 10 * log10((before + 1) / (after + 1));
}

static struct loopback *lb_new(size_t delay, float gain)
{
	struct loopback *lb = calloc(1, sizeof(*lb));

	assert_non_null(lb);
	lb->sent = calloc(50 * 60 * B, sizeof(int16_t));
	assert_non_null(lb->sent);
	lb->delay = delay;
	lb->gain = gain;
	return lb;
}

static void lb_free(struct loopback *lb)
{
	free(lb->sent);
	free(lb);
}

static void test_lab_loopback_is_found_and_removed(void **state)
{
	struct media_echo ec;
	struct loopback *lb = lb_new(3 * B, 0.316f);
	size_t blk = 0;
	double red;

	media_echo_reset(&ec);
	step("The lab loops our guidance back 60 ms late at -10 dB");
	red = run(lb, &ec, 2, &blk);
	printf("     <- delay %d blocks, gain %.3f, echo %.1f dB lower\n", ec.lag, ec.gain, red);
	assert_int_equal(ec.lag, 3);
	assert_true(fabsf(ec.gain - 0.316f) < 0.01f);
	assert_true(red > 30);
	assert_int_equal(ec.locks, 1);

	step("The lab turns the loop-back up to -6 dB: the gain follows");
	lb->gain = 0.5f;
	red = run(lb, &ec, 2, &blk);
	printf("     <- gain %.3f, echo %.1f dB lower\n", ec.gain, red);
	assert_true(fabsf(ec.gain - 0.5f) < 0.01f);
	assert_true(red > 30);

	step("The lab stops looping back: the model is dropped within 2 s");
	lb->gain = 0;
	run(lb, &ec, 2, &blk);
	assert_int_equal(ec.lag, -1);
	step("...and found again when it resumes, at a new delay");
	lb->gain = 0.316f;
	lb->delay = 5 * B;
	run(lb, &ec, 2, &blk);
	assert_int_equal(ec.lag, 5);
	assert_int_equal(ec.locks, 2);
	lb_free(lb);
}

static void test_the_path_survives_gaps_between_prompts(void **state)
{
	struct media_echo ec;
	struct loopback *lb = lb_new(1 * B, 0.316f);
	size_t blk = 0;
	int16_t silence[B] = { 0 };
	unsigned b = 0;

	media_echo_reset(&ec);
	run(lb, &ec, 1, &blk);
	assert_int_equal(ec.lag, 1);
	step("Guidance stops; after the echo tail the history is dropped");
	while (media_echo_tx(&ec, silence, false))
		b++;
	printf("     <- tail of %u blocks\n", b);
	assert_int_equal(b, MEDIA_ECHO_LAGS);
	assert_false(media_echo_wants_tx(&ec, false));
	step("The next prompt is cleaned from its first block, without a new search");
	lb->n = 0;
	assert_true(run(lb, &ec, 1, &blk) > 30);
	assert_int_equal(ec.locks, 1);
	lb_free(lb);
}

static void test_paths_it_cannot_model_are_left_alone(void **state)
{
	struct media_echo ec;
	struct loopback *lb = lb_new(37, 0.316f); /* not a whole block */
	size_t blk = 0;
	double red;
	int wanted = 0;

	media_echo_reset(&ec);
	step("A 4.6 ms echo (a hybrid, not a block loop-back): nothing is locked");
	red = run(lb, &ec, 5, &blk);
	printf("     <- after 5 s: lag %d, echo %.1f dB lower\n", ec.lag, red);
	assert_int_equal(ec.lag, -1);
	assert_true(fabs(red) < 0.01);
	step("After 10 s of guidance the search looks at one block in 8, still no lock");
	run(lb, &ec, 15, &blk);
	assert_true(ec.slow);
	assert_int_equal(ec.lag, -1);
	assert_int_equal(ec.locks, 0);
	for (int b = 0; b < 80; b++) {
		int16_t tx[B] = { 1000 };

		media_echo_tx(&ec, tx, true);
		wanted += media_echo_wants_rx(&ec);
	}
	assert_int_equal(wanted, 80 / MEDIA_ECHO_SLOW_EVERY);
	lb_free(lb);
}

static void test_a_loop_back_that_starts_late_is_still_found(void **state)
{
	struct media_echo ec;
	struct loopback *lb = lb_new(2 * B, 0.0f);
	size_t blk = 0;
	double red;

	media_echo_reset(&ec);
	step("A silent line for 15 s of guidance: nothing locked, the search slows down");
	run(lb, &ec, 15, &blk);
	assert_int_equal(ec.locks, 0);
	assert_true(ec.slow);
	step("The lab starts looping back at -10 dB: found within 2 s");
	lb->gain = 0.316f;
	run(lb, &ec, 2, &blk);
	red = run(lb, &ec, 1, &blk);
	printf("     <- delay %d blocks, echo %.1f dB lower over the last second\n", ec.lag, red);
	assert_int_equal(ec.lag, 2);
	assert_false(ec.slow);
	assert_true(red > 30);
	lb_free(lb);
}

static int group_setup(void **state)
{
	log_set_all(LOGL_NOTICE);
	set_en = fx_prompts("en");
	set_ja = fx_prompts("ja");
	menu = prompt_set_get(set_en, PROMPT_MENU);
	return 0;
}

static int group_teardown(void **state)
{
	prompt_set_free(set_en);
	prompt_set_free(set_ja);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_of_every_prompt_is_never_a_digit),
		cmocka_unit_test(test_keys_over_guidance_echo_are_detected),
		cmocka_unit_test(test_lab_loopback_is_found_and_removed),
		cmocka_unit_test(test_the_path_survives_gaps_between_prompts),
		cmocka_unit_test(test_paths_it_cannot_model_are_left_alone),
		cmocka_unit_test(test_a_loop_back_that_starts_late_is_still_found),
	};

	return cmocka_run_group_tests_name("media_echo", tests, group_setup, group_teardown);
}
