/* drivers/tdm_law.c - G.711 A-law <-> µ-law transcoding for cross-connects between spans
 * of different laws. Two 256-byte tables, built once from the Recommendation's
 * reconstruction levels: each code maps to the same-signed code of the other law whose
 * decoded value is nearest (ties to the smaller magnitude). No linear I/O, no gain. */
#include "drivers/tdm.h"

#include <stdbool.h>
#include <string.h>

/* Decoded magnitude of a code's 7-bit index (segment << 4 | step), 16-bit linear scale. */
static unsigned ulaw_mag(unsigned idx)
{
	unsigned seg = (idx >> 4) & 7, step = idx & 15;

	return (((2 * step + 33) << seg) - 33) * 4;	/* G.711 µ-law, 14-bit units x4 */
}

static unsigned alaw_mag(unsigned idx)
{
	unsigned seg = (idx >> 4) & 7, step = idx & 15;

	if (!seg)
		return (2 * step + 1) * 8;		/* G.711 A-law, 13-bit units x8 */
	return ((2 * step + 33) << (seg - 1)) * 8;
}

/* Wire codes: µ-law is the inverted sign/magnitude (0xff = +0), A-law has the even bits
 * inverted (0xd5 = +0); in both the sign bit set after un-inverting means positive. */
static unsigned ulaw_idx(uint8_t c, bool *neg)
{
	uint8_t u = (uint8_t)~c;

	*neg = (u & 0x80) != 0;
	return u & 0x7f;
}

static unsigned alaw_idx(uint8_t c, bool *neg)
{
	uint8_t a = c ^ 0x55;

	*neg = (a & 0x80) == 0;
	return a & 0x7f;
}

static uint8_t ulaw_code(unsigned idx, bool neg)
{
	return (uint8_t)~(idx | (neg ? 0x80 : 0));
}

static uint8_t alaw_code(unsigned idx, bool neg)
{
	return (uint8_t)((idx | (neg ? 0 : 0x80)) ^ 0x55);
}

/* Index 0..127 of the level nearest mag; levels rise with the index. */
static unsigned nearest(unsigned (*mag)(unsigned), unsigned v)
{
	unsigned best = 0, i, d, bd = ~0u;

	for (i = 0; i < 128; i++) {
		d = mag(i) > v ? mag(i) - v : v - mag(i);
		if (d < bd) {
			bd = d;
			best = i;
		}
	}
	return best;
}

static uint8_t u2a[256], a2u[256];
static bool tables_built;

static void build_tables(void)
{
	unsigned c, idx;
	bool neg;

	for (c = 0; c < 256; c++) {
		idx = ulaw_idx((uint8_t)c, &neg);
		u2a[c] = alaw_code(nearest(alaw_mag, ulaw_mag(idx)), neg);
		idx = alaw_idx((uint8_t)c, &neg);
		a2u[c] = ulaw_code(nearest(ulaw_mag, alaw_mag(idx)), neg);
	}
	tables_built = true;
}

void tdm_law_convert(enum tdm_law from, enum tdm_law to, uint8_t *out, const uint8_t *in,
		     size_t n)
{
	const uint8_t *tab;
	size_t i;

	if (from == to) {
		memmove(out, in, n);
		return;
	}
	if (!tables_built)
		build_tables();
	tab = from == TDM_LAW_ULAW ? u2a : a2u;
	for (i = 0; i < n; i++)
		out[i] = tab[in[i]];
}
