/* tdm-dtmf/dtmf_bank.c - DTMF detection for many channels, 8 channels per SIMD vector.
 *
 * Analysis: Hann windows of 80 samples (10 ms) every 40 samples (5 ms). Each 40-sample
 * step runs two Goertzel recursions per DTMF frequency (one on the rising half of the
 * window, one on the falling half), so every window is the sum of two half-window DFTs
 * and no sample is filtered twice. Per window and channel, the strongest row and column
 * bins must: pass the level threshold; be within the twist limits; hold most of the
 * window's energy (rejects speech and noise); and have a phase advance from the previous
 * window matching their nominal frequency within FREQ_TOL (a frequency estimate much
 * finer than the bins, which is what rejects tones beyond ±3.5 % while a 10 ms window
 * keeps the timing sharp). A digit is reported once HITS_ON consecutive windows agree
 * and their averages pass the run tests (energy share, frequency; see chan_run_ok), and
 * ends after MISSES_OFF windows that do not: 20 ms of tone gives at most 4 hits, 40 ms
 * at least 6; a 20 ms dropout spoils at most 5 windows, a 40 ms pause at least 8.
 *
 * Vectors: the kernels (dtmf_kern.h) run 8 lanes as AVX-512 or AVX2 32-byte vectors or
 * as two SSE2 halves, chosen at run time (no -march needed). G.711 is expanded in
 * vector arithmetic after an SSE2 byte transpose when all 8 lanes have data.
 * Not here: echo cancellation, tone muting, per-channel law (one law per bank).
 * This file is compiled with -O3 -ffp-contract=off: every lane computes exactly the same
 * floating-point operations, so a channel's digits do not depend on its neighbours, on
 * the vector width chosen at run time, or on the one-channel API (dtmf_det.c). */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <emmintrin.h>

#include "tdm-dtmf/dtmf_bank.h"
#include "tdm-dtmf/g711.h"

#define LANES 8
#define NBIN 8
#define WIN (2 * DTMF_STEP)

/* tunables (overridable with -D for experiments) */
#ifndef THRESH_DBM0
#define THRESH_DBM0 -41.0	/* per tone; spec: detect -36, nothing below -45 */
#endif
#ifndef TWIST_NORMAL_DB
#define TWIST_NORMAL_DB 10.0	/* low group louder; spec: accept 8 dB (noise margin) */
#endif
#ifndef TWIST_REVERSE_DB
#define TWIST_REVERSE_DB 6.0	/* high group louder; spec: accept 4 dB (noise margin) */
#endif
#ifndef ENERGY_DB
#define ENERGY_DB -1.0		/* share of the window's energy in the two tones */
#endif
#ifndef FREQ_TOL
#define FREQ_TOL 0.025		/* accept ±1.5 %, reject beyond ±3.5 % */
#endif
#ifndef HITS_ON
#define HITS_ON 5
#endif
/* over the last HITS_ON windows before a digit is reported (noise averages out) */
#ifndef RUN_ENERGY_DB
#define RUN_ENERGY_DB -0.4	/* mean share of the energy in the two tones */
#endif
#ifndef RUN_FREQ_TOL
#define RUN_FREQ_TOL 0.02	/* mean frequency offset of each tone */
#endif
#ifndef MISSES_OFF
#define MISSES_OFF 6
#endif

typedef int32_t vi4 __attribute__((vector_size(16)));

static const float bin_hz[NBIN] = { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };
static const char digit_chars[] = "123A456B789C*0#D";

/* Per-bin and per-sample constants, shared by all banks. */
struct dtmf_consts {
	float wr[DTMF_STEP];	/* rising half of the Hann window; falling = 1 - wr */
	float coef[NBIN], cosw[NBIN], sinw[NBIN];
	float rot_re[NBIN], rot_im[NBIN];	/* exp(-j w DTMF_STEP) */
	float tan2[NBIN];	/* squared tangent of the phase tolerance per step */
	float thresh, twist_n, twist_r, energy_k;
	float ratio_k;	/* (row + column power) * ratio_k / energy = share of the energy */
	float run_ratio, run_tol;
	float rad_per_step[NBIN];	/* nominal phase step w * DTMF_STEP */
};

/* What a step says about each lane of a group. */
struct dtmf_win {
	int32_t digit[LANES];	/* 0-15, -1 for none */
	float rp[LANES], cp[LANES], energy[LANES];	/* row, column bin power; window energy */
	float rzr[LANES], rzi[LANES], czr[LANES], czi[LANES];	/* phase steps, row/col */
} __attribute__((aligned(32)));

/* Analysis state of 8 channels (lanes), struct of arrays. */
struct dtmf_group {
	float yr_re[NBIN][LANES], yr_im[NBIN][LANES];	/* rising-half DFT of the last step */
	float pv_re[NBIN][LANES], pv_im[NBIN][LANES];	/* previous window's DFT */
	float er[LANES];	/* previous step's rising-half windowed energy */
} __attribute__((aligned(32)));

struct dtmf_chan {
	int64_t step;	/* steps processed since start or reset */
	int64_t cand_step;	/* window start (steps) of the candidate's first hit */
	int8_t cand, cur;	/* digit index 0-15 or -1 */
	uint8_t hits, misses;
	/* the candidate's last HITS_ON windows: energy share, frequency offsets */
	float ratio[HITS_ON], rdev[HITS_ON], cdev[HITS_ON];
};

struct dtmf_bank {
	struct dtmf_group *groups;	/* 32-byte aligned */
	struct dtmf_chan *chans;
	unsigned nchan, ngroups;
	enum dtmf_law law;
	dtmf_bank_digit_cb cb;
	void *user;
	float table[256];	/* G.711 decode */
};

static struct dtmf_consts consts;
static int consts_ready;

static void consts_init(void)
{
	struct dtmf_consts *k = &consts;
	double a = pow(10.0, THRESH_DBM0 / 20.0) * 22764.0;

	for (int n = 0; n < DTMF_STEP; n++)
		k->wr[n] = (float)(0.5 - 0.5 * cos(2.0 * M_PI * n / WIN));
	for (int b = 0; b < NBIN; b++) {
		double w = 2.0 * M_PI * bin_hz[b] / 8000.0;
		double tol = w * FREQ_TOL * DTMF_STEP;

		k->coef[b] = (float)(2.0 * cos(w));
		k->cosw[b] = (float)cos(w);
		k->sinw[b] = (float)sin(w);
		k->rot_re[b] = (float)cos(w * DTMF_STEP);
		k->rot_im[b] = (float)-sin(w * DTMF_STEP);
		k->tan2[b] = (float)(tan(tol) * tan(tol));
		k->rad_per_step[b] = (float)(w * DTMF_STEP);
	}
	/* |DFT|^2 of a full-window tone of peak A is (A * sum(w) / 2)^2 = 400 A^2; the
	 * windowed energy of that tone is A^2 / 2 * sum(w^2) = 15 A^2. */
	k->thresh = (float)(400.0 * a * a);
	k->twist_n = (float)pow(10.0, TWIST_NORMAL_DB / 10.0);
	k->twist_r = (float)pow(10.0, TWIST_REVERSE_DB / 10.0);
	k->energy_k = (float)(400.0 / 15.0 * pow(10.0, ENERGY_DB / 10.0));
	k->ratio_k = (float)(15.0 / 400.0);
	k->run_ratio = (float)pow(10.0, RUN_ENERGY_DB / 10.0);
	k->run_tol = (float)RUN_FREQ_TOL;
	consts_ready = 1;
}

#define KW 32
#define KN(name) name##_w8
#include "tdm-dtmf/dtmf_kern.h"
#undef KW
#undef KN
#define KW 16
#define KN(name) name##_w4
#include "tdm-dtmf/dtmf_kern.h"
#undef KW
#undef KN

/* Run-time dispatch: the same kernels at three widths; both APIs go through these
 * pointers, so they agree on any host (and hosts agree with each other). */
typedef void (*group_step_fn)(struct dtmf_group *g, const float (*x)[LANES], struct dtmf_win *w);
typedef void (*group_expand_fn)(const int32_t (*rows)[LANES], float (*x)[LANES], int alaw);
static group_step_fn group_step;
static group_expand_fn group_expand;

__attribute__((target("arch=x86-64-v4")))
static void group_step_v4(struct dtmf_group *g, const float (*x)[LANES], struct dtmf_win *w)
{
	group_step_w8(g, x, w, 0);
}

__attribute__((target("arch=x86-64-v4")))
static void group_expand_v4(const int32_t (*rows)[LANES], float (*x)[LANES], int alaw)
{
	group_expand_w8(rows, x, alaw, 0);
}

__attribute__((target("avx2")))
static void group_step_avx2(struct dtmf_group *g, const float (*x)[LANES], struct dtmf_win *w)
{
	group_step_w8(g, x, w, 0);
}

__attribute__((target("avx2")))
static void group_expand_avx2(const int32_t (*rows)[LANES], float (*x)[LANES], int alaw)
{
	group_expand_w8(rows, x, alaw, 0);
}

static void group_step_sse2(struct dtmf_group *g, const float (*x)[LANES], struct dtmf_win *w)
{
	group_step_w4(g, x, w, 0);
	group_step_w4(g, x, w, 4);
}

static void group_expand_sse2(const int32_t (*rows)[LANES], float (*x)[LANES], int alaw)
{
	group_expand_w4(rows, x, alaw, 0);
	group_expand_w4(rows, x, alaw, 4);
}

/* x86-64-v4: the AVX-512 subsets the v4 level promises */
static int host_has_avx512(void)
{
	return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
	       __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
	       __builtin_cpu_supports("avx512cd");
}

int dtmf_bank_set_impl(const char *name)
{
	__builtin_cpu_init();
	if (!strcmp(name, "avx512") && host_has_avx512()) {
		group_step = group_step_v4;
		group_expand = group_expand_v4;
	} else if (!strcmp(name, "avx2") && __builtin_cpu_supports("avx2")) {
		group_step = group_step_avx2;
		group_expand = group_expand_avx2;
	} else if (!strcmp(name, "sse2")) {
		group_step = group_step_sse2;
		group_expand = group_expand_sse2;
	} else {
		return -ENOTSUP;
	}
	return 0;
}

/* The widest kernels this host runs. */
static void kernels_select(void)
{
	__builtin_cpu_init();
	if (dtmf_bank_set_impl(host_has_avx512() ? "avx512" :
			       __builtin_cpu_supports("avx2") ? "avx2" : "sse2"))
		abort();	/* sse2 is always there on x86-64 */
}

const char *dtmf_bank_impl(void)
{
	if (!group_step)
		kernels_select();
	return group_step == group_step_v4 ? "avx512" :
	       group_step == group_step_avx2 ? "avx2" : "sse2";
}

/* The run tests: over the best 3 of the candidate's last HITS_ON windows, the pair
 * holds on average at least run_ratio of the energy, and over all HITS_ON each tone is
 * on average within run_tol of its frequency. Per window the limits are looser
 * (ENERGY_DB, FREQ_TOL) so that noise does not break runs; averaged, the noise shrinks
 * and steady harmonic voices (a vowel whose harmonics sit on a row and a column) fail. */
static bool chan_run_ok(const struct dtmf_chan *ch)
{
	float ratio = 0, rdev = 0, cdev = 0;

	for (int i = 0; i < HITS_ON; i++) {
		ratio += ch->ratio[i];
		rdev += ch->rdev[i];
		cdev += ch->cdev[i];
	}
	return ratio >= HITS_ON * consts.run_ratio && fabsf(rdev) <= HITS_ON * consts.run_tol &&
	       fabsf(cdev) <= HITS_ON * consts.run_tol;
}

/* Power response of the 80-sample Hann window to a tone off its bin by dev (relative):
 * the share a slightly mistuned tone loses, given back before the run energy test. */
static float hann_gain(float dev, int bin)
{
	float d = fabsf(dev) * bin_hz[bin] / (8000.0f / WIN), x = (float)M_PI * d, a;

	if (d < 1e-4f)
		return 1.0f;
	if (d > 0.9f)
		d = 0.9f, x = (float)M_PI * d;
	a = sinf(x) / x / (1.0f - d * d);
	return a * a;
}

static void chan_window(struct dtmf_bank *bank, unsigned c, const struct dtmf_win *w, int l)
{
	struct dtmf_chan *ch = &bank->chans[c];
	int d = w->digit[l];

	if (d >= 0 && d == ch->cand) {
		if (ch->hits < 255)
			ch->hits++;
	} else {
		ch->cand = (int8_t)d;
		ch->hits = d >= 0;
		ch->cand_step = ch->step - 1;
	}
	if (d >= 0 && d != ch->cur) {	/* run statistics, unless this digit is reported */
		int slot = ch->hits % HITS_ON, rb = d >> 2, cb = 4 + (d & 3);

		ch->rdev[slot] = atan2f(w->rzi[l], w->rzr[l]) / consts.rad_per_step[rb];
		ch->cdev[slot] = atan2f(w->czi[l], w->czr[l]) / consts.rad_per_step[cb];
		/* share of the window's energy in the pair (hits have energy > 0) */
		ch->ratio[slot] = (w->rp[l] / hann_gain(ch->rdev[slot], rb) +
				   w->cp[l] / hann_gain(ch->cdev[slot], cb)) *
				  consts.ratio_k / w->energy[l];
	}
	if (ch->cur >= 0) {
		if (d == ch->cur)
			ch->misses = 0;
		else if (++ch->misses >= MISSES_OFF)
			ch->cur = -1;
	}
	if (ch->cur < 0 && ch->cand >= 0 && ch->hits >= HITS_ON && chan_run_ok(ch)) {
		/* the first hit window starts on average ~1 ms before the tone */
		int64_t s = ch->cand_step * DTMF_STEP + 8;

		ch->cur = ch->cand;
		ch->misses = 0;
		if (bank->cb)
			bank->cb(bank->user, c, digit_chars[ch->cur],
				 (uint32_t)((s < 0 ? 0 : s) / 8));
	}
	ch->step++;
}

/* Two transposed rows of bytes (samples n, n+1 of 8 lanes) widened to int32. */
static inline void widen_rows(__m128i v, int32_t (*out)[LANES])
{
	const __m128i z = _mm_setzero_si128();
	__m128i lo = _mm_unpacklo_epi8(v, z), hi = _mm_unpackhi_epi8(v, z);

	_mm_storeu_si128((__m128i *)&out[0][0], _mm_unpacklo_epi16(lo, z));
	_mm_storeu_si128((__m128i *)&out[0][4], _mm_unpackhi_epi16(lo, z));
	_mm_storeu_si128((__m128i *)&out[1][0], _mm_unpacklo_epi16(hi, z));
	_mm_storeu_si128((__m128i *)&out[1][4], _mm_unpackhi_epi16(hi, z));
}

/* 8 samples of 8 channels: out[n][l] = src[l][off + n] (SSE2, present on any x86-64). */
static inline void transpose_8x8(const uint8_t *const *src, size_t off, int32_t (*out)[LANES])
{
	__m128i t0 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(src[0] + off)),
				       _mm_loadl_epi64((const __m128i *)(src[1] + off)));
	__m128i t1 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(src[2] + off)),
				       _mm_loadl_epi64((const __m128i *)(src[3] + off)));
	__m128i t2 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(src[4] + off)),
				       _mm_loadl_epi64((const __m128i *)(src[5] + off)));
	__m128i t3 = _mm_unpacklo_epi8(_mm_loadl_epi64((const __m128i *)(src[6] + off)),
				       _mm_loadl_epi64((const __m128i *)(src[7] + off)));
	__m128i u0 = _mm_unpacklo_epi16(t0, t1), u1 = _mm_unpackhi_epi16(t0, t1);
	__m128i u2 = _mm_unpacklo_epi16(t2, t3), u3 = _mm_unpackhi_epi16(t2, t3);

	widen_rows(_mm_unpacklo_epi32(u0, u2), out + 0);
	widen_rows(_mm_unpackhi_epi32(u0, u2), out + 2);
	widen_rows(_mm_unpacklo_epi32(u1, u3), out + 4);
	widen_rows(_mm_unpackhi_epi32(u1, u3), out + 6);
}

static void group_load(const struct dtmf_bank *bank, unsigned grp, const void *const *in,
		       size_t off, float (*x)[LANES])
{
	const uint8_t *src[LANES];
	int full = bank->law != DTMF_LAW_SLIN16 && (grp + 1) * LANES <= bank->nchan;

	for (unsigned l = 0; full && l < LANES; l++) {
		src[l] = in[grp * LANES + l];
		full = src[l] != NULL;
	}
	if (full) {
		/* 8 channels of G.711: transpose the bytes, then expand 8 lanes at once */
		int32_t rows[DTMF_STEP][LANES] __attribute__((aligned(32)));

		for (int n = 0; n < DTMF_STEP; n += 8)
			transpose_8x8(src, off + n, rows + n);
		group_expand((const int32_t (*)[LANES])rows, x, bank->law == DTMF_LAW_ALAW);
		return;
	}
	for (unsigned l = 0; l < LANES; l++) {
		unsigned c = grp * LANES + l;
		const void *p = c < bank->nchan ? in[c] : NULL;

		if (!p) {
			for (int n = 0; n < DTMF_STEP; n++)
				x[n][l] = 0.0f;
		} else if (bank->law == DTMF_LAW_SLIN16) {
			const int16_t *s = (const int16_t *)p + off;

			for (int n = 0; n < DTMF_STEP; n++)
				x[n][l] = s[n];
		} else {
			const uint8_t *s = (const uint8_t *)p + off;

			for (int n = 0; n < DTMF_STEP; n++)
				x[n][l] = bank->table[s[n]];
		}
	}
}

int dtmf_bank_rx(struct dtmf_bank *bank, const void *const *in, size_t n)
{
	float x[DTMF_STEP][LANES] __attribute__((aligned(32)));
	struct dtmf_win w;

	if (n % DTMF_STEP || (n && !in))
		return -EINVAL;
	for (size_t off = 0; off < n; off += DTMF_STEP) {
		for (unsigned grp = 0; grp < bank->ngroups; grp++) {
			unsigned lanes = bank->nchan - grp * LANES;

			group_load(bank, grp, in, off, x);
			group_step(&bank->groups[grp], (const float (*)[LANES])x, &w);
			if (lanes > LANES)
				lanes = LANES;
			for (unsigned l = 0; l < lanes; l++)
				chan_window(bank, grp * LANES + l, &w, (int)l);
		}
	}
	return 0;
}

int dtmf_bank_reset(struct dtmf_bank *bank, unsigned chan)
{
	struct dtmf_group *g;
	unsigned l = chan % LANES;

	if (chan >= bank->nchan)
		return -EINVAL;
	g = &bank->groups[chan / LANES];
	for (int b = 0; b < NBIN; b++) {
		g->yr_re[b][l] = 0;
		g->yr_im[b][l] = 0;
		g->pv_re[b][l] = 0;
		g->pv_im[b][l] = 0;
	}
	g->er[l] = 0;
	bank->chans[chan] = (struct dtmf_chan){ .cand = -1, .cur = -1 };
	return 0;
}

struct dtmf_bank *dtmf_bank_alloc(unsigned nchan, enum dtmf_law law, dtmf_bank_digit_cb cb,
				  void *user)
{
	struct dtmf_bank *bank;
	void *mem = NULL;

	if (!nchan || law > DTMF_LAW_SLIN16)
		return NULL;
	if (!consts_ready)
		consts_init();
	if (!group_step)
		kernels_select();
	bank = calloc(1, sizeof(*bank));
	if (!bank)
		return NULL;
	bank->nchan = nchan;
	bank->ngroups = (nchan + LANES - 1) / LANES;
	bank->law = law;
	bank->cb = cb;
	bank->user = user;
	bank->chans = calloc(nchan, sizeof(*bank->chans));
	if (posix_memalign(&mem, 64, bank->ngroups * sizeof(struct dtmf_group)) || !bank->chans) {
		free(mem);
		dtmf_bank_free(bank);
		return NULL;
	}
	bank->groups = mem;
	memset(bank->groups, 0, bank->ngroups * sizeof(struct dtmf_group));
	for (unsigned c = 0; c < nchan; c++)
		dtmf_bank_reset(bank, c);
	for (int i = 0; i < 256; i++)
		bank->table[i] = law == DTMF_LAW_ALAW ? g711_alaw_decode((uint8_t)i)
						      : g711_ulaw_decode((uint8_t)i);
	return bank;
}

void dtmf_bank_free(struct dtmf_bank *bank)
{
	if (!bank)
		return;
	free(bank->groups);
	free(bank->chans);
	free(bank);
}

unsigned dtmf_bank_channels(const struct dtmf_bank *bank)
{
	return bank->nchan;
}

const char *dtmf_law_name(enum dtmf_law law)
{
	switch (law) {
	case DTMF_LAW_ULAW:
		return "ulaw";
	case DTMF_LAW_ALAW:
		return "alaw";
	case DTMF_LAW_SLIN16:
		return "slin16";
	}
	return "unknown";
}

int dtmf_law_parse(const char *s, enum dtmf_law *law)
{
	if (!strcmp(s, "ulaw") || !strcmp(s, "mulaw"))
		*law = DTMF_LAW_ULAW;
	else if (!strcmp(s, "alaw"))
		*law = DTMF_LAW_ALAW;
	else if (!strcmp(s, "slin16") || !strcmp(s, "slin"))
		*law = DTMF_LAW_SLIN16;
	else
		return -EINVAL;
	return 0;
}

size_t dtmf_law_bytes(enum dtmf_law law)
{
	return law == DTMF_LAW_SLIN16 ? 2 : 1;
}
