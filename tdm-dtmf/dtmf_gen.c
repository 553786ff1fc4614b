/* tdm-dtmf/dtmf_gen.c - DTMF generator: Q.23 frequency pairs synthesised in double
 * precision phase, saturated to int16. A small queue of digits, each played as
 * on_ms of tone and off_ms of silence. No G.711 here and no timing against a clock. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-dtmf/dtmf_gen.h"

#define GEN_QUEUE 256

static const float row_hz[4] = { 697.0f, 770.0f, 852.0f, 941.0f };
static const float col_hz[4] = { 1209.0f, 1336.0f, 1477.0f, 1633.0f };

struct dtmf_gen {
	struct dtmf_gen_params p;
	char queue[GEN_QUEUE];
	size_t head, count;
	struct dtmf_tone tone;
	size_t pos;	/* sample position within the current digit */
	size_t on, off;	/* samples */
	int active;	/* a digit is being played */
	uint32_t rng;
};

int dtmf_digit_freqs(char digit, float *low_hz, float *high_hz)
{
	const char *p;

	if (digit == '\0')
		return -EINVAL;
	if (digit >= 'a' && digit <= 'd')
		digit = (char)(digit - 'a' + 'A');
	p = strchr(DTMF_DIGITS, digit);
	if (!p)
		return -EINVAL;
	*low_hz = row_hz[(p - DTMF_DIGITS) / 4];
	*high_hz = col_hz[(p - DTMF_DIGITS) % 4];
	return 0;
}

float dtmf_dbm0_to_amp(float dbm0)
{
	return 22764.0f * powf(10.0f, dbm0 / 20.0f);
}

int16_t dtmf_sat16(float v)
{
	long r = lrintf(v);

	if (r > 32767)
		return 32767;
	if (r < -32768)
		return -32768;
	return (int16_t)r;
}

int dtmf_tone_init(struct dtmf_tone *t, char digit, float level_dbm0, float twist_db)
{
	int rc = dtmf_digit_freqs(digit, &t->freq[0], &t->freq[1]);

	if (rc)
		return rc;
	t->amp[0] = dtmf_dbm0_to_amp(level_dbm0);
	t->amp[1] = dtmf_dbm0_to_amp(level_dbm0 - twist_db);
	t->phase[0] = 0.0;
	t->phase[1] = 0.0;
	return 0;
}

void dtmf_tone_add(struct dtmf_tone *t, float *buf, size_t n)
{
	for (int k = 0; k < 2; k++) {
		double step = 2.0 * M_PI * t->freq[k] / DTMF_RATE;
		double ph = t->phase[k];

		for (size_t i = 0; i < n; i++) {
			buf[i] += t->amp[k] * (float)sin(ph);
			ph += step;
		}
		t->phase[k] = fmod(ph, 2.0 * M_PI);
	}
}

struct dtmf_gen *dtmf_gen_alloc(const struct dtmf_gen_params *params)
{
	struct dtmf_gen *gen = calloc(1, sizeof(*gen));

	if (!gen)
		return NULL;
	if (params) {
		gen->p = *params;
	} else {
		gen->p.level_dbm0 = -10.0f;
		gen->p.on_ms = 50;
		gen->p.off_ms = 50;
	}
	gen->on = (size_t)gen->p.on_ms * DTMF_RATE / 1000;
	gen->off = (size_t)gen->p.off_ms * DTMF_RATE / 1000;
	gen->rng = gen->p.seed;
	return gen;
}

void dtmf_gen_free(struct dtmf_gen *gen)
{
	free(gen);
}

int dtmf_gen_put(struct dtmf_gen *gen, const char *digits)
{
	float lo, hi;

	for (const char *c = digits; *c; c++)
		if (dtmf_digit_freqs(*c, &lo, &hi))
			return -EINVAL;
	if (gen->count + strlen(digits) > GEN_QUEUE)
		return -ENOSPC;
	for (const char *c = digits; *c; c++) {
		gen->queue[(gen->head + gen->count) % GEN_QUEUE] = *c;
		gen->count++;
	}
	return 0;
}

static double gen_random_phase(struct dtmf_gen *gen)
{
	/* xorshift32: reproducible phases for a given seed */
	gen->rng ^= gen->rng << 13;
	gen->rng ^= gen->rng >> 17;
	gen->rng ^= gen->rng << 5;
	return 2.0 * M_PI * (gen->rng / 4294967296.0);
}

static int gen_next_digit(struct dtmf_gen *gen)
{
	char d;

	if (!gen->count)
		return 0;
	d = gen->queue[gen->head];
	gen->head = (gen->head + 1) % GEN_QUEUE;
	gen->count--;
	dtmf_tone_init(&gen->tone, d, gen->p.level_dbm0, gen->p.twist_db);
	if (gen->p.seed) {
		gen->tone.phase[0] = gen_random_phase(gen);
		gen->tone.phase[1] = gen_random_phase(gen);
	}
	gen->pos = 0;
	gen->active = 1;
	return 1;
}

size_t dtmf_gen_tx(struct dtmf_gen *gen, int16_t *pcm, size_t max)
{
	float buf[160];
	size_t done = 0;

	while (done < max) {
		size_t n, left;

		if (!gen->active && !gen_next_digit(gen))
			break;
		if (gen->pos < gen->on) {
			left = gen->on - gen->pos;
			n = left < max - done ? left : max - done;
			n = n < 160 ? n : 160;
			memset(buf, 0, n * sizeof(float));
			dtmf_tone_add(&gen->tone, buf, n);
			for (size_t i = 0; i < n; i++)
				pcm[done + i] = dtmf_sat16(buf[i]);
		} else {
			left = gen->on + gen->off - gen->pos;
			n = left < max - done ? left : max - done;
			memset(pcm + done, 0, n * sizeof(int16_t));
		}
		gen->pos += n;
		done += n;
		if (gen->pos >= gen->on + gen->off)
			gen->active = 0;
	}
	return done;
}
