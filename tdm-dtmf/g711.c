/* tdm-dtmf/g711.c - G.711 µ-law and A-law companding (ITU-T G.711).
 * Encoders follow the Recommendation's segment tables on 14-bit (µ) and 13-bit (A)
 * magnitudes; decoders return the segment mid-point scaled to 16 bits. The µ-law
 * code for 0 is 0xff and the A-law code for +0 is 0xd5, as on the wire. */
#include "tdm-dtmf/g711.h"

#define ULAW_BIAS 33	/* 0x84 >> 2: bias on the 14-bit magnitude */
#define ULAW_CLIP 8159

/* Segment of a biased magnitude: number of significant bits above bit 4. */
static int seg_of(int v, int first_top)
{
	int seg = 0;

	while (seg < 8 && v > first_top) {
		v >>= 1;
		seg++;
	}
	return seg;
}

uint8_t g711_ulaw_encode(int16_t s)
{
	int x = s >> 2;
	uint8_t mask = 0xff;
	int seg;

	if (x < 0) {
		x = -x;
		mask = 0x7f;
	}
	if (x > ULAW_CLIP)
		x = ULAW_CLIP;
	x += ULAW_BIAS;
	seg = seg_of(x, 0x3f);
	if (seg >= 8)
		return 0x7f ^ mask;
	return (uint8_t)(((seg << 4) | ((x >> (seg + 1)) & 0x0f)) ^ mask);
}

int16_t g711_ulaw_decode(uint8_t u)
{
	int t;

	u = (uint8_t)~u;
	t = ((u & 0x0f) << 3) + 0x84;
	t <<= (u & 0x70) >> 4;
	return (int16_t)((u & 0x80) ? (0x84 - t) : (t - 0x84));
}

uint8_t g711_alaw_encode(int16_t s)
{
	int x = s >> 3;
	uint8_t mask = 0xd5;
	int seg, code;

	if (x < 0) {
		x = -x - 1;
		mask = 0x55;
	}
	seg = seg_of(x, 0x1f);
	if (seg >= 8)
		return 0x7f ^ mask;
	code = seg << 4;
	if (seg < 2)
		code |= (x >> 1) & 0x0f;
	else
		code |= (x >> seg) & 0x0f;
	return (uint8_t)(code ^ mask);
}

int16_t g711_alaw_decode(uint8_t a)
{
	int t, seg;

	a ^= 0x55;
	t = (a & 0x0f) << 4;
	seg = (a & 0x70) >> 4;
	if (seg == 0)
		t += 8;
	else
		t = (t + 0x108) << (seg - 1);
	return (int16_t)((a & 0x80) ? t : -t);
}

void g711_ulaw_encode_buf(uint8_t *out, const int16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_ulaw_encode(in[i]);
}

void g711_ulaw_decode_buf(int16_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_ulaw_decode(in[i]);
}

void g711_alaw_encode_buf(uint8_t *out, const int16_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_alaw_encode(in[i]);
}

void g711_alaw_decode_buf(int16_t *out, const uint8_t *in, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g711_alaw_decode(in[i]);
}
