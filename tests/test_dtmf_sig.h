/* tests/test_dtmf_sig.h - synthetic test signals for the DTMF tests: tone pairs with
 * random phases, frequency offsets, twist, silence, white noise; runs them through
 * G.711 and a detector and collects the digits. Test-only, deterministic per seed. */
#ifndef TESTS_TEST_DTMF_SIG_H
#define TESTS_TEST_DTMF_SIG_H

#include <stddef.h>
#include <stdint.h>

#include "tdm-dtmf/dtmf_bank.h"

struct sig {
	float *buf;
	size_t n, cap;
	uint64_t rng;
};

void sig_init(struct sig *s, uint64_t seed);
void sig_free(struct sig *s);
/* Tone pair for digit: low tone at level, high at level - twist, each frequency scaled
 * by (1 + dev), random phases. */
void sig_tone(struct sig *s, char digit, float level, float twist, float dev_lo,
	      float dev_hi, unsigned ms);
void sig_silence(struct sig *s, unsigned ms);
void sig_samples_silence(struct sig *s, size_t n);
/* White Gaussian noise of the given power per sample (linear^2) added from sample from. */
void sig_noise(struct sig *s, size_t from, double power);
double sig_uniform(struct sig *s);
double sig_tone_power(float level_dbm0);

#define SIG_MAX_DIGITS 256
struct sig_result {
	char digits[SIG_MAX_DIGITS + 1];
	uint32_t start_ms[SIG_MAX_DIGITS];
	unsigned count;
};

/* Encode in law, feed a one-channel detector in blocks of block samples (random block
 * sizes 1-400 if block == 0). */
void sig_detect(const struct sig *s, enum dtmf_law law, size_t block, struct sig_result *r);
/* Encode as law into out (n bytes, or n int16 for slin16). */
void sig_encode(const struct sig *s, enum dtmf_law law, void *out);

#endif
