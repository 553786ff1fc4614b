/* tests/test_dtmf_sig.c - synthetic signals for the DTMF tests (see test_dtmf_sig.h).
 * Random numbers from a seeded xorshift so every failure is reproducible. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-dtmf/dtmf_det.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tests/test_dtmf_sig.h"

void sig_init(struct sig *s, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->rng = seed * 2654435761u + 88172645463325252ull;
}

void sig_free(struct sig *s)
{
	free(s->buf);
	s->buf = NULL;
	s->n = s->cap = 0;
}

double sig_uniform(struct sig *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (s->rng >> 11) * (1.0 / 9007199254740992.0);
}

static float *sig_grow(struct sig *s, size_t n)
{
	if (s->n + n > s->cap) {
		size_t cap = (s->n + n) * 2 + 8000;

		s->buf = realloc(s->buf, cap * sizeof(float));
		if (!s->buf)
			abort();
		s->cap = cap;
	}
	memset(s->buf + s->n, 0, n * sizeof(float));
	s->n += n;
	return s->buf + s->n - n;
}

void sig_tone(struct sig *s, char digit, float level, float twist, float dev_lo,
	      float dev_hi, unsigned ms)
{
	struct dtmf_tone t;
	size_t n = (size_t)ms * 8;

	if (dtmf_tone_init(&t, digit, level, twist))
		abort();
	t.freq[0] *= 1.0f + dev_lo;
	t.freq[1] *= 1.0f + dev_hi;
	t.phase[0] = 2.0 * M_PI * sig_uniform(s);
	t.phase[1] = 2.0 * M_PI * sig_uniform(s);
	dtmf_tone_add(&t, sig_grow(s, n), n);
}

void sig_silence(struct sig *s, unsigned ms)
{
	sig_grow(s, (size_t)ms * 8);
}

void sig_samples_silence(struct sig *s, size_t n)
{
	sig_grow(s, n);
}

void sig_noise(struct sig *s, size_t from, double power)
{
	double sd = sqrt(power);

	for (size_t i = from; i < s->n; i++) {
		/* Box-Muller */
		double u1 = sig_uniform(s) + 1e-12, u2 = sig_uniform(s);

		s->buf[i] += (float)(sd * sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
	}
}

double sig_tone_power(float level_dbm0)
{
	double a = dtmf_dbm0_to_amp(level_dbm0);

	return a * a / 2.0;
}

void sig_encode(const struct sig *s, enum dtmf_law law, void *out)
{
	for (size_t i = 0; i < s->n; i++) {
		int16_t v = dtmf_sat16(s->buf[i]);

		if (law == DTMF_LAW_ULAW)
			((uint8_t *)out)[i] = g711_ulaw_encode(v);
		else if (law == DTMF_LAW_ALAW)
			((uint8_t *)out)[i] = g711_alaw_encode(v);
		else
			((int16_t *)out)[i] = v;
	}
}

static void sig_digit(void *user, char digit, uint32_t start_ms)
{
	struct sig_result *r = user;

	if (r->count < SIG_MAX_DIGITS) {
		r->start_ms[r->count] = start_ms;
		r->digits[r->count++] = digit;
		r->digits[r->count] = '\0';
	}
}

void sig_detect(const struct sig *s, enum dtmf_law law, size_t block, struct sig_result *r)
{
	size_t w = dtmf_law_bytes(law);
	uint8_t *enc = malloc(s->n * w + 1);
	struct dtmf_det *det = dtmf_det_alloc(law, sig_digit, r);
	uint64_t rng = s->n * 7 + 1;

	if (!enc || !det)
		abort();
	memset(r, 0, sizeof(*r));
	sig_encode(s, law, enc);
	for (size_t off = 0; off < s->n;) {
		size_t b = block;

		if (!b) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			b = 1 + rng % 400;
		}
		if (b > s->n - off)
			b = s->n - off;
		dtmf_det_rx(det, enc + off * w, b);
		off += b;
	}
	dtmf_det_free(det);
	free(enc);
}
