/* tests/test_dtmf_conf.c - DTMF receiver conformance (issue 3), spandsp-style: every
 * requirement is a sweep over synthesised signals with random tone phases and block
 * alignment, 50 ms on / 50 ms off unless stated, through G.711 µ-law (and A-law where
 * it matters). Levels are dBm0 per tone; twist is the low-group level minus the
 * high-group level (positive = "normal" in spandsp's words). The full talk-off run on
 * 130 minutes of speech is `make talkoff`; here a short slice of it runs every time. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdm-dtmf/dtmf_det.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tdm-dtmf/wav.h"
#include "tests/test_dtmf_sig.h"

#define TRIALS 20

static uint64_t seed = 4242;

static void step(const char *what)
{
	printf("  -- %s\n", what);
}

struct burst {
	float level, twist, dev_lo, dev_hi;
	unsigned on_ms, off_ms;
	double snr_db;	/* per tone; 0 = no noise */
	enum dtmf_law law;
};

/* All 16 digits once, as the burst says; returns the detected digits in r. */
static void play_16(const struct burst *b, struct sig_result *r)
{
	struct sig s;

	sig_init(&s, seed++);
	sig_silence(&s, 20 + (unsigned)(sig_uniform(&s) * 20));
	for (const char *d = DTMF_DIGITS; *d; d++) {
		sig_tone(&s, *d, b->level, b->twist, b->dev_lo, b->dev_hi, b->on_ms);
		sig_silence(&s, b->off_ms);
	}
	if (b->snr_db)
		sig_noise(&s, 0, sig_tone_power(b->level) / pow(10.0, b->snr_db / 10.0));
	sig_detect(&s, b->law, 160, r);
	sig_free(&s);
}

/* Every trial detects exactly the 16 digits, in order, nothing else. */
static void expect_all(const struct burst *b)
{
	for (int t = 0; t < TRIALS; t++) {
		struct sig_result r;

		play_16(b, &r);
		if (strcmp(r.digits, DTMF_DIGITS))
			fail_msg("level %.1f twist %.1f dev %.3f/%.3f on %u off %u snr %.0f: got \"%s\"",
				 b->level, b->twist, b->dev_lo, b->dev_hi, b->on_ms, b->off_ms,
				 b->snr_db, r.digits);
	}
}

/* No trial detects anything. */
static void expect_none(const struct burst *b)
{
	for (int t = 0; t < TRIALS; t++) {
		struct sig_result r;

		play_16(b, &r);
		if (r.count)
			fail_msg("level %.1f twist %.1f dev %.3f/%.3f on %u: got \"%s\"", b->level,
				 b->twist, b->dev_lo, b->dev_hi, b->on_ms, r.digits);
	}
}

/* defaults first, then the test's own fields (which override them) */
#pragma GCC diagnostic ignored "-Woverride-init"
#define BURST(...) (&(struct burst){ .level = -10, .on_ms = 50, .off_ms = 50, __VA_ARGS__ })

static void test_all_16_digits_at_four_levels_in_both_laws(void **state)
{
	static const float levels[] = { -4, -10, -20, -30 };

	for (int law = DTMF_LAW_ULAW; law <= DTMF_LAW_ALAW; law++) {
		for (int i = 0; i < 4; i++) {
			char what[80];

			snprintf(what, sizeof(what), "%s, %.0f dBm0 per tone: every digit, no extras",
				 dtmf_law_name(law), levels[i]);
			step(what);
			expect_all(BURST(.level = levels[i], .law = law));
		}
	}
}

static void test_tones_off_by_1_5_percent_are_accepted(void **state)
{
	static const float d = 0.015f;

	step("low tone alone off by +1.5 % and -1.5 %");
	expect_all(BURST(.dev_lo = d));
	expect_all(BURST(.dev_lo = -d));
	step("high tone alone off by +1.5 % and -1.5 %");
	expect_all(BURST(.dev_hi = d));
	expect_all(BURST(.dev_hi = -d));
	step("both tones off, in the same and in opposite directions");
	expect_all(BURST(.dev_lo = d, .dev_hi = d));
	expect_all(BURST(.dev_lo = -d, .dev_hi = -d));
	expect_all(BURST(.dev_lo = d, .dev_hi = -d));
	expect_all(BURST(.dev_lo = -d, .dev_hi = d));
	step("the same at -30 dBm0 in A-law");
	expect_all(BURST(.level = -30, .dev_lo = -d, .dev_hi = d, .law = DTMF_LAW_ALAW));
}

static void test_tones_off_by_more_than_3_5_percent_are_rejected(void **state)
{
	static const float devs[] = { 0.036f, 0.045f, 0.06f };

	for (int i = 0; i < 3; i++) {
		float d = devs[i];
		char what[80];

		snprintf(what, sizeof(what), "either or both tones off by +-%.1f %%: no digit",
			 d * 100);
		step(what);
		expect_none(BURST(.dev_lo = d));
		expect_none(BURST(.dev_lo = -d));
		expect_none(BURST(.dev_hi = d));
		expect_none(BURST(.dev_hi = -d));
		expect_none(BURST(.dev_lo = d, .dev_hi = d));
		expect_none(BURST(.dev_lo = -d, .dev_hi = d));
	}
	step("also at -4 dBm0 (strong tones leak widest)");
	expect_none(BURST(.level = -4, .dev_lo = 0.036f));
	expect_none(BURST(.level = -4, .dev_hi = -0.036f));
}

static void test_8_db_normal_and_4_db_reverse_twist_are_accepted(void **state)
{
	step("normal twist 8 dB: low tone at -4, high tone at -12 dBm0");
	expect_all(BURST(.level = -4, .twist = 8));
	step("normal twist 8 dB at -20 / -28 dBm0, with both tones 1 % off");
	expect_all(BURST(.level = -20, .twist = 8, .dev_lo = 0.01f, .dev_hi = -0.01f));
	step("reverse twist 4 dB: low tone at -10, high tone at -6 dBm0");
	expect_all(BURST(.level = -10, .twist = -4));
	step("reverse twist 4 dB at -30 / -26 dBm0 in A-law");
	expect_all(BURST(.level = -30, .twist = -4, .law = DTMF_LAW_ALAW));
	step("both twists with white noise 12 dB below the weaker tone");
	expect_all(BURST(.level = -4, .twist = 8, .snr_db = 20));
	expect_all(BURST(.level = -10, .twist = -4, .snr_db = 12));
}

static void test_levels_down_to_minus_36_detected_nothing_below_minus_45(void **state)
{
	step("-36 dBm0 per tone: every digit, in both laws");
	expect_all(BURST(.level = -36));
	expect_all(BURST(.level = -36, .law = DTMF_LAW_ALAW));
	step("-45, -48 and -55 dBm0 per tone: nothing");
	expect_none(BURST(.level = -45));
	expect_none(BURST(.level = -48));
	expect_none(BURST(.level = -55, .law = DTMF_LAW_ALAW));
	step("-3 dBm0 per tone (the pair peaks at full scale): still every digit");
	expect_all(BURST(.level = -3, .on_ms = 60));
}

static void test_40_ms_bursts_accepted_20_ms_never(void **state)
{
	step("40 ms on / 40 ms off: every digit");
	expect_all(BURST(.on_ms = 40, .off_ms = 40));
	step("40 ms on at -30 dBm0, 12 dB SNR per tone: every digit");
	expect_all(BURST(.level = -30, .on_ms = 40, .off_ms = 50, .snr_db = 12));
	step("20, 15 and 10 ms bursts: never a digit");
	expect_none(BURST(.on_ms = 20, .off_ms = 50));
	expect_none(BURST(.on_ms = 15, .off_ms = 30));
	expect_none(BURST(.on_ms = 10, .off_ms = 20));
	expect_none(BURST(.level = -4, .on_ms = 20, .off_ms = 20));
}

/* One digit of 2 x 50 ms around a gap of gap_ms; new_phase restarts the tone. */
static unsigned count_with_gap(char digit, unsigned gap_ms, int new_phase)
{
	struct sig s;
	struct sig_result r;
	size_t at;

	sig_init(&s, seed++);
	sig_silence(&s, 20 + (unsigned)(sig_uniform(&s) * 20));
	at = s.n + 8 * 40 + (size_t)(sig_uniform(&s) * 160);	/* 40-60 ms in */
	if (new_phase) {
		sig_tone(&s, digit, -10, 0, 0, 0, (unsigned)(at - s.n) / 8);
		sig_silence(&s, gap_ms);
		sig_tone(&s, digit, -10, 0, 0, 0, 50);
	} else {
		sig_tone(&s, digit, -10, 0, 0, 0, 100 + gap_ms);
		memset(s.buf + at, 0, (size_t)gap_ms * 8 * sizeof(float));
	}
	sig_silence(&s, 60);
	sig_detect(&s, DTMF_LAW_ULAW, 160, &r);
	sig_free(&s);
	assert_true(r.count == 0 || r.digits[0] == digit);
	return r.count;
}

static void test_10_ms_dropout_does_not_split_40_ms_pause_separates(void **state)
{
	step("dropouts of 2 to 10 ms inside a tone: one digit, every time");
	for (unsigned gap = 2; gap <= 10; gap += 2) {
		for (int t = 0; t < 2 * TRIALS; t++) {
			char d = DTMF_DIGITS[t % 16];

			assert_int_equal(count_with_gap(d, gap, 0), 1);
			assert_int_equal(count_with_gap(d, gap, 1), 1);
		}
	}
	step("pauses of 40 and 50 ms between two bursts of the same digit: two digits");
	for (unsigned gap = 40; gap <= 50; gap += 10) {
		for (int t = 0; t < 2 * TRIALS; t++) {
			char d = DTMF_DIGITS[t % 16];

			assert_int_equal(count_with_gap(d, gap, 0), 2);
			assert_int_equal(count_with_gap(d, gap, 1), 2);
		}
	}
}

static void test_white_noise_at_12_db_snr_and_noise_alone(void **state)
{
	step("12 dB SNR per tone at -10 and -30 dBm0: every digit");
	expect_all(BURST(.level = -10, .snr_db = 12));
	expect_all(BURST(.level = -30, .snr_db = 12));
	expect_all(BURST(.level = -20, .snr_db = 12, .law = DTMF_LAW_ALAW));
	step("60 s of white noise alone at -5 to -45 dBm0: no digit");
	for (float level = -5; level >= -45; level -= 10) {
		struct sig s;
		struct sig_result r;

		sig_init(&s, seed++);
		sig_silence(&s, 12000);
		sig_noise(&s, 0, sig_tone_power(level));
		sig_detect(&s, DTMF_LAW_ULAW, 160, &r);
		assert_int_equal(r.count, 0);
		sig_free(&s);
	}
}

static int read_wav(const char *path, int16_t **pcm, size_t *n)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[4 << 20];
	struct wav_info wi;
	const char *why;
	size_t len;

	if (!f)
		return -errno;
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (wav_parse(buf, len, &wi, &why) || wi.law != DTMF_LAW_SLIN16 || wi.rate != 8000)
		return -EINVAL;
	*n = wi.data_len / 2;
	*pcm = malloc(*n * 2 + 2);
	memcpy(*pcm, buf + wi.data_off, *n * 2);
	return 0;
}

static void no_digit_digit(void *user, char digit, uint32_t start_ms)
{
	fail_msg("false digit %c at %u ms in %s", digit, start_ms, (const char *)user);
}

static void test_speech_prompts_through_ulaw_give_no_digit(void **state)
{
	static const char *const dirs[] = {
		"/usr/share/asterisk/sounds/en_US_f_Allison/digits",
		"/usr/share/asterisk/sounds/en_US_f_Allison/letters",
		"/usr/share/asterisk/sounds/fr_CA_f_June/digits",
		"/usr/share/asterisk/sounds/ru_RU_f_IvrvoiceRU/digits",
	};
	double seconds = 0;
	char path[512];

	step("asterisk prompts (digits and letters spoken) through µ-law: no digit");
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		static const char *const names[] = { "0", "1", "2", "3", "4", "5", "6", "7",
						     "8", "9", "a", "b", "c", "d", "hundred",
						     "thousand", "oh", "star", "pound" };

		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			int16_t *pcm = NULL;
			uint8_t *ul;
			size_t n = 0;
			struct dtmf_det *det;

			snprintf(path, sizeof(path), "%s/%s.wav", dirs[d], names[i]);
			if (read_wav(path, &pcm, &n))
				continue;
			ul = malloc(n + 1);
			g711_ulaw_encode_buf(ul, pcm, n);
			det = dtmf_det_alloc(DTMF_LAW_ULAW, no_digit_digit, path);
			dtmf_det_rx(det, ul, n);
			dtmf_det_free(det);
			seconds += n / 8000.0;
			free(ul);
			free(pcm);
		}
	}
	printf("  -- %.0f s of speech scanned\n", seconds);
	if (seconds < 10)
		skip();	/* asterisk-core-sounds not installed: `make talkoff` will say so */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_16_digits_at_four_levels_in_both_laws),
		cmocka_unit_test(test_tones_off_by_1_5_percent_are_accepted),
		cmocka_unit_test(test_tones_off_by_more_than_3_5_percent_are_rejected),
		cmocka_unit_test(test_8_db_normal_and_4_db_reverse_twist_are_accepted),
		cmocka_unit_test(test_levels_down_to_minus_36_detected_nothing_below_minus_45),
		cmocka_unit_test(test_40_ms_bursts_accepted_20_ms_never),
		cmocka_unit_test(test_10_ms_dropout_does_not_split_40_ms_pause_separates),
		cmocka_unit_test(test_white_noise_at_12_db_snr_and_noise_alone),
		cmocka_unit_test(test_speech_prompts_through_ulaw_give_no_digit),
	};

	return cmocka_run_group_tests_name("dtmf_conformance", tests, NULL, NULL);
}
