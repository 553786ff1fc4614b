/* tdm-dtmf/dtmf_gen.h - DTMF generator (Q.23 frequencies) for the lab tool and tests.
 * Produces 8 kHz 16-bit linear audio: digits with a level per tone in dBm0, twist,
 * on/off durations, optional random start phases. Does not encode G.711 (see g711.h).
 * Levels: 0 dBm0 is a sine of peak 22,764 (full-scale sine = +3.14 dBm0). Twist in
 * spandsp's sense: positive = "normal" (low-group tone louder than the high-group). */
#ifndef TDM_DTMF_DTMF_GEN_H
#define TDM_DTMF_DTMF_GEN_H

#include <stddef.h>
#include <stdint.h>

#define DTMF_RATE 8000
#define DTMF_DIGITS "123A456B789C*0#D"

/* Row and column frequency of a digit (0-9 * # A-D); -EINVAL for anything else. */
int dtmf_digit_freqs(char digit, float *low_hz, float *high_hz);
/* Peak amplitude (linear, int16 scale) of a sine at level dBm0. */
float dtmf_dbm0_to_amp(float dbm0);
int16_t dtmf_sat16(float v);

/* One sinusoid pair, synthesised into a float buffer (added, not overwritten). */
struct dtmf_tone {
	float freq[2];	/* Hz: low, high */
	float amp[2];	/* peak */
	double phase[2];	/* radians, advanced by dtmf_tone_add */
};
/* Tone for digit with the low tone at level_dbm0 and the high at level - twist. */
int dtmf_tone_init(struct dtmf_tone *t, char digit, float level_dbm0, float twist_db);
void dtmf_tone_add(struct dtmf_tone *t, float *buf, size_t n);

struct dtmf_gen_params {
	float level_dbm0;	/* low-group tone; default -10 */
	float twist_db;	/* low minus high, dB */
	unsigned on_ms;	/* default 50 */
	unsigned off_ms;	/* default 50 */
	uint32_t seed;	/* 0: every tone starts at phase 0; else random phases */
};

struct dtmf_gen;
/* params NULL: defaults. NULL on ENOMEM. */
struct dtmf_gen *dtmf_gen_alloc(const struct dtmf_gen_params *params);
void dtmf_gen_free(struct dtmf_gen *gen);
/* Queue digits (up to 256 pending); -EINVAL on a non-DTMF character, -ENOSPC if full. */
int dtmf_gen_put(struct dtmf_gen *gen, const char *digits);
/* Write up to max samples: each digit is on_ms of tone then off_ms of silence.
 * Returns the number written; less than max once the queue is drained. */
size_t dtmf_gen_tx(struct dtmf_gen *gen, int16_t *pcm, size_t max);

#endif
