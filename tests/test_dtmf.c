/* tests/test_dtmf.c - basic behaviour of tdm-dtmf: G.711 round trips, the generator,
 * all 16 digits through each law and block size, start times, the bank API giving the
 * same digits as the one-channel API. Signals are synthesised here (test_dtmf_sig.c).
 * The spec-derived conformance sweeps are in test_dtmf_conf.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdm-dtmf/dtmf_bank.h"
#include "tdm-dtmf/dtmf_det.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tests/test_dtmf_sig.h"

static void step(const char *what)
{
	printf("  -- %s\n", what);
}

static void test_g711_round_trip_is_within_one_quantisation_step(void **state)
{
	step("every code decodes to a value that encodes back to the same code");
	for (int c = 0; c < 256; c++) {
		int16_t u = g711_ulaw_decode((uint8_t)c), a = g711_alaw_decode((uint8_t)c);

		/* µ-law has two codes for zero (0x7f and 0xff) */
		if (c != 0x7f)
			assert_int_equal(g711_ulaw_encode(u), c);
		assert_int_equal(g711_alaw_encode(a), c);
	}
	step("silence is 0xff in µ-law and 0xd5 in A-law; full scale saturates");
	assert_int_equal(g711_ulaw_encode(0), 0xff);
	assert_int_equal(g711_alaw_encode(0), 0xd5);
	assert_int_equal(g711_ulaw_decode(g711_ulaw_encode(32767)), 32124);
	assert_int_equal(g711_ulaw_decode(g711_ulaw_encode(-32768)), -32124);
	assert_int_equal(g711_alaw_decode(g711_alaw_encode(32767)), 32256);
	step("a linear ramp stays within half a step of the original");
	for (int v = -32768; v < 32768; v += 7) {
		int du = g711_ulaw_decode(g711_ulaw_encode((int16_t)v)) - v;
		int da = g711_alaw_decode(g711_alaw_encode((int16_t)v)) - v;
		int mag = v < 0 ? -v : v;

		assert_true(abs(du) <= (mag < 32124 ? mag / 32 + 8 : 700));
		assert_true(abs(da) <= (mag < 32256 ? mag / 32 + 8 : 600));
	}
}

static void test_generator_plays_digits_with_on_and_off_times(void **state)
{
	struct dtmf_gen_params p = { .level_dbm0 = -10, .on_ms = 60, .off_ms = 40 };
	struct dtmf_gen *gen = dtmf_gen_alloc(&p);
	int16_t pcm[2000];
	size_t n;
	int peak = 0;

	step("two digits at -10 dBm0 per tone, 60 ms on, 40 ms off");
	assert_non_null(gen);
	assert_int_equal(dtmf_gen_put(gen, "1x"), -EINVAL);
	assert_int_equal(dtmf_gen_put(gen, "1#"), 0);
	n = dtmf_gen_tx(gen, pcm, 2000);
	assert_int_equal(n, 1600);
	step("tone for 480 samples, then silence for 320");
	for (int i = 0; i < 480; i++)
		peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
	assert_in_range(peak, 13000, 14500);	/* 2 x 7198 at most */
	for (int i = 480; i < 800; i++)
		assert_int_equal(pcm[i], 0);
	assert_int_not_equal(pcm[801], 0);
	assert_int_equal(dtmf_gen_tx(gen, pcm, 10), 0);
	dtmf_gen_free(gen);
}

static void all_digits_detected(enum dtmf_law law, size_t block)
{
	struct sig s;
	struct sig_result r;

	sig_init(&s, 1000 + law * 10 + block);
	sig_silence(&s, 30);
	for (const char *d = DTMF_DIGITS; *d; d++) {
		sig_tone(&s, *d, -10, 0, 0, 0, 50);
		sig_silence(&s, 50);
	}
	sig_detect(&s, law, block, &r);
	assert_string_equal(r.digits, DTMF_DIGITS);
	step("each digit starts within 3 ms of its tone");
	for (unsigned i = 0; i < r.count; i++)
		assert_in_range(r.start_ms[i], 30 + 100 * i - 3, 30 + 100 * i + 3);
	sig_free(&s);
}

static void test_all_16_digits_in_ulaw_alaw_and_linear(void **state)
{
	step("µ-law in 160-sample blocks");
	all_digits_detected(DTMF_LAW_ULAW, 160);
	step("A-law in 160-sample blocks");
	all_digits_detected(DTMF_LAW_ALAW, 160);
	step("16-bit linear in 160-sample blocks");
	all_digits_detected(DTMF_LAW_SLIN16, 160);
	step("µ-law in blocks of 1 sample, 7 samples and random sizes");
	all_digits_detected(DTMF_LAW_ULAW, 1);
	all_digits_detected(DTMF_LAW_ULAW, 7);
	all_digits_detected(DTMF_LAW_ULAW, 0);
}

static void test_silence_gives_no_digit(void **state)
{
	struct sig s;
	struct sig_result r;

	sig_init(&s, 5);
	sig_silence(&s, 2000);
	sig_detect(&s, DTMF_LAW_ULAW, 160, &r);
	assert_int_equal(r.count, 0);
	sig_free(&s);
}

static void test_a_held_key_is_one_digit_and_a_change_of_key_is_two(void **state)
{
	struct sig s;
	struct sig_result r;

	step("5 held for 2 s, then 7 straight after it, then 7 again after 60 ms");
	sig_init(&s, 11);
	sig_silence(&s, 40);
	sig_tone(&s, '5', -12, 2, 0.01f, -0.01f, 2000);
	sig_tone(&s, '7', -12, 2, 0, 0, 80);
	sig_silence(&s, 60);
	sig_tone(&s, '7', -12, 2, 0, 0, 80);
	sig_silence(&s, 100);
	sig_noise(&s, 0, sig_tone_power(-30));
	sig_detect(&s, DTMF_LAW_ULAW, 160, &r);
	assert_string_equal(r.digits, "577");
	assert_in_range(r.start_ms[0], 37, 43);
	assert_in_range(r.start_ms[1], 2037, 2048);	/* no gap: the first windows are mixed */
	assert_in_range(r.start_ms[2], 2177, 2183);
	sig_free(&s);
}

struct bank_log {
	char digits[24][64];
	uint32_t start[24][64];
	unsigned count[24];
};

static void bank_digit(void *user, unsigned chan, char digit, uint32_t start_ms)
{
	struct bank_log *log = user;

	assert_true(chan < 24);
	assert_true(log->count[chan] < 63);
	log->start[chan][log->count[chan]] = start_ms;
	log->digits[chan][log->count[chan]++] = digit;
}

/* 19 channels (not a multiple of the vector width), each with its own digits, levels,
 * offsets and noise, through a bank in 160-sample blocks; each channel's digits and
 * start times must equal a one-channel detector's. The bank's log is returned. */
static struct bank_log *bank_versus_one_channel(void)
{
	enum { NCH = 19 };
	struct sig sigs[NCH];
	uint8_t *enc[NCH];
	struct bank_log *log = calloc(1, sizeof(*log));
	struct dtmf_bank *bank = dtmf_bank_alloc(NCH, DTMF_LAW_ULAW, bank_digit, log);
	size_t len = 8 * 4000;

	assert_non_null(bank);
	for (int c = 0; c < NCH; c++) {
		sig_init(&sigs[c], 77 + c);
		sig_silence(&sigs[c], 10 + c * 3);
		while (sigs[c].n < len - 1200) {
			char d = DTMF_DIGITS[(int)(sig_uniform(&sigs[c]) * 16)];

			sig_tone(&sigs[c], d, -5 - 30 * sig_uniform(&sigs[c]), 0,
				 0.02 * sig_uniform(&sigs[c]) - 0.01, 0, 35 + c * 2);
			sig_silence(&sigs[c], 30 + 5 * (c % 5));
		}
		sig_samples_silence(&sigs[c], len - sigs[c].n);
		sig_noise(&sigs[c], 0, c % 3 ? 1000 : 100000);
		enc[c] = malloc(len);
		sig_encode(&sigs[c], DTMF_LAW_ULAW, enc[c]);
	}
	for (size_t off = 0; off < len; off += 160) {
		const void *in[NCH];

		for (int c = 0; c < NCH; c++)
			in[c] = enc[c] + off;
		assert_int_equal(dtmf_bank_rx(bank, in, 160), 0);
	}
	assert_int_equal(dtmf_bank_rx(bank, (const void *const *)enc, 100), -EINVAL);
	for (int c = 0; c < NCH; c++) {
		struct sig_result r;

		sig_detect(&sigs[c], DTMF_LAW_ULAW, 0, &r);
		assert_true(r.count > 10);
		assert_int_equal(log->count[c], r.count);
		assert_memory_equal(log->digits[c], r.digits, r.count);
		assert_memory_equal(log->start[c], r.start_ms, r.count * sizeof(uint32_t));
		free(enc[c]);
		sig_free(&sigs[c]);
	}
	dtmf_bank_free(bank);
	return log;
}

static void test_bank_gives_each_channel_the_same_digits_as_one_channel(void **state)
{
	step("19 channels, each with its own digits, levels, offsets and noise");
	step("the bank is fed 160-sample blocks of all 19 channels at once");
	step("each channel's digits and start times equal a one-channel detector's");
	free(bank_versus_one_channel());
}

static void test_every_vector_width_gives_the_same_digits(void **state)
{
	static const char *const impls[] = { "sse2", "avx2", "avx512" };
	const char *host = dtmf_bank_impl();
	struct bank_log *first = NULL;

	for (int i = 0; i < 3; i++) {
		struct bank_log *log;
		char what[96];

		if (dtmf_bank_set_impl(impls[i])) {
			printf("  -- %s: not on this host\n", impls[i]);
			continue;
		}
		snprintf(what, sizeof(what),
			 "%s kernels: bank = one channel, and = the first width's digits", impls[i]);
		step(what);
		log = bank_versus_one_channel();
		all_digits_detected(DTMF_LAW_ALAW, 160);
		if (!first)
			first = log;
		else
			assert_memory_equal(log, first, sizeof(*log));
		if (log != first)
			free(log);
	}
	free(first);
	assert_int_equal(dtmf_bank_set_impl(host), 0);
	assert_int_equal(dtmf_bank_set_impl("mmx"), -ENOTSUP);
}

static void test_bank_reset_restarts_a_channel_clock(void **state)
{
	struct bank_log *log = calloc(1, sizeof(*log));
	struct dtmf_bank *bank = dtmf_bank_alloc(3, DTMF_LAW_SLIN16, bank_digit, log);
	struct sig s;
	int16_t pcm[8000];
	const void *in[3] = { NULL, pcm, pcm };

	step("a digit 100 ms after a reset starts at 100 ms on the reset channel only");
	sig_init(&s, 3);
	sig_silence(&s, 100);
	sig_tone(&s, '7', -10, 0, 0, 0, 60);
	sig_silence(&s, 840);
	sig_encode(&s, DTMF_LAW_SLIN16, pcm);
	assert_int_equal(dtmf_bank_rx(bank, (const void *const[3]){ NULL, NULL, NULL }, 400), 0);
	assert_int_equal(dtmf_bank_reset(bank, 1), 0);
	assert_int_equal(dtmf_bank_reset(bank, 3), -EINVAL);
	assert_int_equal(dtmf_bank_rx(bank, in, 8000), 0);
	assert_int_equal(log->count[0], 0);
	assert_int_equal(log->count[1], 1);
	assert_int_equal(log->count[2], 1);
	assert_int_equal(log->digits[1][0], '7');
	assert_in_range(log->start[1][0], 97, 103);
	assert_in_range(log->start[2][0], 147, 153);
	dtmf_bank_free(bank);
	sig_free(&s);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g711_round_trip_is_within_one_quantisation_step),
		cmocka_unit_test(test_generator_plays_digits_with_on_and_off_times),
		cmocka_unit_test(test_all_16_digits_in_ulaw_alaw_and_linear),
		cmocka_unit_test(test_silence_gives_no_digit),
		cmocka_unit_test(test_a_held_key_is_one_digit_and_a_change_of_key_is_two),
		cmocka_unit_test(test_bank_gives_each_channel_the_same_digits_as_one_channel),
		cmocka_unit_test(test_every_vector_width_gives_the_same_digits),
		cmocka_unit_test(test_bank_reset_restarts_a_channel_clock),
	};

	return cmocka_run_group_tests_name("dtmf", tests, NULL, NULL);
}
