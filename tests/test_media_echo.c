/* tests/test_media_echo.c - removal of our guidance's echo (media/echo.h): the lab's
 * loop-back (whole-block delay, flat gain) is found and subtracted, the gain tracked,
 * the model dropped when the loop-back stops; echo paths it cannot model (a delay that
 * is not a whole block) are left alone and the search stops costing after 10 s.
 * The guidance is the rendered English menu; G.711 is left out here (test_media.c
 * covers the session path). */
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

#ifndef MEDIA_PROMPTS_BASE
#define MEDIA_PROMPTS_BASE "build/prompts"
#endif

#define B MEDIA_ECHO_BLOCK

static struct prompt_set *set_en;
static const struct prompt_audio *menu;

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

/* A line that echoes what we send: delay in samples, gain; rx = echo (+ nothing). */
struct loopback {
	int16_t *sent;		/* every sample sent so far */
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
	struct loopback *lb = lb_new(37, 0.316f);	/* not a whole block */
	size_t blk = 0;
	double red;

	media_echo_reset(&ec);
	step("A 4.6 ms echo (a hybrid, not a block loop-back): nothing is locked");
	red = run(lb, &ec, 5, &blk);
	printf("     <- after 5 s: lag %d, echo %.1f dB lower\n", ec.lag, red);
	assert_int_equal(ec.lag, -1);
	assert_true(fabs(red) < 0.01);
	step("After 10 s of guidance the search gives up for the call");
	run(lb, &ec, 6, &blk);
	assert_true(ec.gave_up);
	assert_false(media_echo_wants_tx(&ec, true));
	assert_false(media_echo_wants_rx(&ec));
	lb_free(lb);
}

static void test_no_echo_locks_nothing(void **state)
{
	struct media_echo ec;
	struct loopback *lb = lb_new(2 * B, 0.0f);
	size_t blk = 0;

	media_echo_reset(&ec);
	step("A silent line: no delay is ever locked");
	run(lb, &ec, 11, &blk);
	assert_int_equal(ec.locks, 0);
	assert_true(ec.gave_up);
	lb_free(lb);
}

static int group_setup(void **state)
{
	char err[512];

	log_set_all(LOGL_NOTICE);
	set_en = prompt_set_load_lang(MEDIA_PROMPTS_BASE, "en", err, sizeof(err));
	if (!set_en)
		fail_msg("%s", err);
	menu = prompt_set_get(set_en, PROMPT_MENU);
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
		cmocka_unit_test(test_lab_loopback_is_found_and_removed),
		cmocka_unit_test(test_the_path_survives_gaps_between_prompts),
		cmocka_unit_test(test_paths_it_cannot_model_are_left_alone),
		cmocka_unit_test(test_no_echo_locks_nothing),
	};

	return cmocka_run_group_tests_name("media_echo", tests, group_setup, group_teardown);
}
