/* tdm-dtmf/g711.h - G.711 µ-law and A-law companding of 16-bit linear samples.
 * Per-sample encode/decode and whole-buffer helpers; no packetisation, no PLC.
 * Spec: ITU-T G.711 (segment/quantisation tables as in the Recommendation). */
#ifndef TDM_DTMF_G711_H
#define TDM_DTMF_G711_H

#include <stddef.h>
#include <stdint.h>

uint8_t g711_ulaw_encode(int16_t s);
int16_t g711_ulaw_decode(uint8_t u);
uint8_t g711_alaw_encode(int16_t s);
int16_t g711_alaw_decode(uint8_t a);

/* Buffer forms: n samples from in to out. */
void g711_ulaw_encode_buf(uint8_t *out, const int16_t *in, size_t n);
void g711_ulaw_decode_buf(int16_t *out, const uint8_t *in, size_t n);
void g711_alaw_encode_buf(uint8_t *out, const int16_t *in, size_t n);
void g711_alaw_decode_buf(int16_t *out, const uint8_t *in, size_t n);

#endif
