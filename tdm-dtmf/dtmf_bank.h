/* tdm-dtmf/dtmf_bank.h - in-band DTMF detector for many timeslots at once.
 * Each channel is an independent detector (Q.23/Q.24 receiver); the bank runs them
 * in SIMD lanes, 8 channels per vector, on 40-sample (5 ms) steps. Reports each digit
 * once, at its debounced start. Does not cancel echo or mute the tone.
 * dtmf_det.h is the one-channel form of the same detector (identical decisions). */
#ifndef TDM_DTMF_DTMF_BANK_H
#define TDM_DTMF_DTMF_BANK_H

#include <stddef.h>
#include <stdint.h>

enum dtmf_law {
	DTMF_LAW_ULAW,	/* G.711 µ-law, one byte per sample */
	DTMF_LAW_ALAW,	/* G.711 A-law, one byte per sample */
	DTMF_LAW_SLIN16,	/* 16-bit linear, host order */
};
const char *dtmf_law_name(enum dtmf_law law);
/* "ulaw", "alaw", "slin16" (also "mulaw", "slin"); -EINVAL if unknown. */
int dtmf_law_parse(const char *s, enum dtmf_law *law);
size_t dtmf_law_bytes(enum dtmf_law law);

/* Samples per analysis step; dtmf_bank_rx takes multiples of it (160 = 4 steps). */
#define DTMF_STEP 40

struct dtmf_bank;
/* start_ms: time of the digit's start since the channel's first sample (or reset). */
typedef void (*dtmf_bank_digit_cb)(void *user, unsigned chan, char digit, uint32_t start_ms);

/* NULL on ENOMEM or nchan == 0. The first call sets up tables shared by all banks
 * (make it before starting threads, if any; each bank is then one thread's). */
struct dtmf_bank *dtmf_bank_alloc(unsigned nchan, enum dtmf_law law, dtmf_bank_digit_cb cb,
				  void *user);
void dtmf_bank_free(struct dtmf_bank *bank);	/* NULL-safe */
unsigned dtmf_bank_channels(const struct dtmf_bank *bank);

/* Feed n samples (a multiple of DTMF_STEP) to every channel: in[c] points to channel c's
 * n samples in the bank's law, or is NULL for silence. Digits are reported through the
 * callback before it returns. -EINVAL on a bad n. */
int dtmf_bank_rx(struct dtmf_bank *bank, const void *const *in, size_t n);
/* Forget channel chan's history and restart its clock at 0 (a new call). */
int dtmf_bank_reset(struct dtmf_bank *bank, unsigned chan);
/* Vector code chosen for this host: "avx512", "avx2" or "sse2". */
const char *dtmf_bank_impl(void);
/* Force one (tests and benchmarks): -ENOTSUP if this host cannot run it. */
int dtmf_bank_set_impl(const char *name);

#endif
