/* tdm-dtmf/dtmf_det.h - in-band DTMF detector for one 8 kHz channel (Q.23/Q.24).
 * Fed in blocks of any size; reports each digit once, at a debounced start, with its
 * start time in ms from the detector's first sample. Does not cancel echo.
 * Same decisions as one channel of dtmf_bank.h (it is built on it). */
#ifndef TDM_DTMF_DTMF_DET_H
#define TDM_DTMF_DTMF_DET_H

#include <stddef.h>
#include <stdint.h>

#include "tdm-dtmf/dtmf_bank.h"

struct dtmf_det;
typedef void (*dtmf_det_digit_cb)(void *user, char digit, uint32_t start_ms);

struct dtmf_det *dtmf_det_alloc(enum dtmf_law law, dtmf_det_digit_cb cb, void *user);
void dtmf_det_free(struct dtmf_det *det);	/* NULL-safe */
/* n samples in the detector's law (bytes for G.711, int16_t for slin16). */
int dtmf_det_rx(struct dtmf_det *det, const void *samples, size_t n);
/* Forget history and restart the clock at 0. */
void dtmf_det_reset(struct dtmf_det *det);

#endif
