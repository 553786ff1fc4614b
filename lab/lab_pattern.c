/* lab/lab_pattern.c - cfwd-lab call --play-pattern SEED: after answer the caller plays a
 * known byte sequence (xorshift32 from SEED) on its timeslot and the far end plays the
 * one from SEED + 1; each side keeps what it hears, and at the end the longest stretch
 * of the other side's sequence found byte-exact in it is reported (wherever it starts:
 * alignment and lost blocks do not matter). For a transparent (digital) bearer path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "drivers/tdm.h"
#include "lab/lab_int.h"

#define PAT_AHEAD 4	/* blocks kept queued ahead, as for DTMF */

static uint32_t pat_seed_state(uint32_t seed)
{
	uint32_t x = seed * 2654435761u ^ 0x9e3779b9u;

	return x ? x : 1;
}

static uint8_t pat_next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return (uint8_t)(*x >> 24);
}

int lab_pattern_start(struct lab *lab, int side)
{
	lab->pat_x[side] = pat_seed_state(lab->co->pattern_seed + (uint32_t)side);
	lab->pat_sent[side] = 0;
	lab->pat_pending[side] = false;
	lab->pat_rx_len[side] = 0;
	if (!lab->pat_rx[side])
		lab->pat_rx[side] = malloc(LAB_REC_MAX);
	return lab->pat_rx[side] ? 0 : -1;
}

void lab_pattern_rx(struct lab *lab, int side, const uint8_t *blk)
{
	if (!lab->pat_rx[side] || lab->pat_rx_len[side] + TDM_BLOCK_BYTES > LAB_REC_MAX)
		return;
	memcpy(lab->pat_rx[side] + lab->pat_rx_len[side], blk, TDM_BLOCK_BYTES);
	lab->pat_rx_len[side] += TDM_BLOCK_BYTES;
}

/* Keep the timeslot's send queue PAT_AHEAD blocks ahead with the side's sequence. */
void lab_pattern_fill(struct lab *lab, int side, struct tdm_span *s, unsigned ts)
{
	for (int k = 0; k < PAT_AHEAD; k++) {
		if (!lab->pat_pending[side]) {
			for (unsigned i = 0; i < TDM_BLOCK_BYTES; i++)
				lab->pat_blk[side][i] = pat_next(&lab->pat_x[side]);
			lab->pat_pending[side] = true;
		}
		if (tdm_bearer_write(s, ts, lab->pat_blk[side]) < 0)
			break;	/* queue full: this block goes next time */
		lab->pat_pending[side] = false;
		lab->pat_sent[side] += TDM_BLOCK_BYTES;
	}
}

static uint32_t pat_key(const uint8_t *b)
{
	return ((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
		(uint32_t)b[3] << 24) * 2654435761u >> 16;
}

/* The longest r[i..i+len) equal to some p[k..k+len): a hash of every 4-byte window of
 * p, each window of r looked up and extended; r is skipped past each run found. */
static size_t pat_longest_run(const uint8_t *p, size_t n, const uint8_t *r, size_t m)
{
	int32_t *head = malloc(65536 * sizeof(*head));
	int32_t *next = malloc((n ? n : 1) * sizeof(*next));
	size_t best = 0;

	if (!head || !next || n < 4)
		goto out;
	memset(head, 0xff, 65536 * sizeof(*head));
	for (size_t k = 0; k + 4 <= n; k++) {
		uint32_t h = pat_key(p + k);

		next[k] = head[h];
		head[h] = (int32_t)k;
	}
	for (size_t i = 0; i + 4 <= m;) {
		size_t run = 0;

		for (int32_t k = head[pat_key(r + i)]; k >= 0; k = next[k]) {
			size_t j = 0;

			while (i + j < m && (size_t)k + j < n && r[i + j] == p[k + j])
				j++;
			run = MAX(run, j);
		}
		best = MAX(best, run);
		i += run >= 4 ? run : 1;
	}
out:
	free(head);
	free(next);
	return best;
}

/* Side heard, of the other side's sequence: the longest exact run; on stderr. */
static void pat_report_side(struct lab *lab, int side)
{
	int other = !side;
	size_t n = lab->pat_sent[other], run = 0;
	uint8_t *p = malloc(n ? n : 1);
	uint32_t x = pat_seed_state(lab->co->pattern_seed + (uint32_t)other);

	if (p) {
		for (size_t i = 0; i < n; i++)
			p[i] = pat_next(&x);
		run = pat_longest_run(p, n, lab->pat_rx[side], lab->pat_rx_len[side]);
	}
	free(p);
	fprintf(stderr, "cfwd-lab: pattern: %s heard %zu bytes of the %s's pattern in a row "
		"(%zu sent, %zu received)\n", side ? "far end" : "caller", run,
		other ? "far end" : "caller", n, lab->pat_rx_len[side]);
}

void lab_pattern_report(struct lab *lab)
{
	pat_report_side(lab, 0);
	pat_report_side(lab, 1);
}
