/* tdm-dtmf/dtmf_det.c - one-channel DTMF detector: a one-channel dtmf_bank fed through
 * a DTMF_STEP-sample buffer, so blocks of any size give the same digits as the bank.
 * A partial step left at the end of the input waits for the next call. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-dtmf/dtmf_det.h"

struct dtmf_det {
	struct dtmf_bank *bank;
	enum dtmf_law law;
	dtmf_det_digit_cb cb;
	void *user;
	size_t fill;	/* samples in buf */
	int16_t buf[DTMF_STEP];	/* G.711 bytes or slin16 samples */
};

static void det_digit(void *user, unsigned chan, char digit, uint32_t start_ms)
{
	struct dtmf_det *det = user;

	if (det->cb)
		det->cb(det->user, digit, start_ms);
}

struct dtmf_det *dtmf_det_alloc(enum dtmf_law law, dtmf_det_digit_cb cb, void *user)
{
	struct dtmf_det *det = calloc(1, sizeof(*det));

	if (!det)
		return NULL;
	det->law = law;
	det->cb = cb;
	det->user = user;
	det->bank = dtmf_bank_alloc(1, law, det_digit, det);
	if (!det->bank) {
		free(det);
		return NULL;
	}
	return det;
}

void dtmf_det_free(struct dtmf_det *det)
{
	if (!det)
		return;
	dtmf_bank_free(det->bank);
	free(det);
}

int dtmf_det_rx(struct dtmf_det *det, const void *samples, size_t n)
{
	size_t w = dtmf_law_bytes(det->law);
	const uint8_t *p = samples;

	if (n && !samples)
		return -EINVAL;
	while (n) {
		size_t take, whole;

		if (det->fill == 0 && n >= DTMF_STEP) {
			/* whole steps straight from the caller's buffer */
			whole = n - n % DTMF_STEP;
			dtmf_bank_rx(det->bank, (const void *const *)&p, whole);
			p += whole * w;
			n -= whole;
			continue;
		}
		take = DTMF_STEP - det->fill;
		if (take > n)
			take = n;
		memcpy((uint8_t *)det->buf + det->fill * w, p, take * w);
		det->fill += take;
		p += take * w;
		n -= take;
		if (det->fill == DTMF_STEP) {
			const void *b = det->buf;

			dtmf_bank_rx(det->bank, &b, DTMF_STEP);
			det->fill = 0;
		}
	}
	return 0;
}

void dtmf_det_reset(struct dtmf_det *det)
{
	dtmf_bank_reset(det->bank, 0);
	det->fill = 0;
}
