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
 * keeps the timing sharp). A digit starts after HITS_ON consecutive windows agree and
 * ends after MISSES_OFF windows that do not: 20 ms of tone gives at most 4 hits, 40 ms
 * at least 6; a 10 ms dropout spoils at most 4-5 windows, a 40 ms pause at least 8.
 *
 * Not here: echo cancellation, tone muting, per-channel law (one law per bank).
 * This file is compiled with -O3 -ffp-contract=off: every lane computes exactly the same
 * floating-point operations, so a channel's digits do not depend on its neighbours, on
 * the vector width chosen at run time, or on the one-channel API (dtmf_det.c). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
#define TWIST_NORMAL_DB 9.0	/* low group louder; spec: accept 8 dB */
#endif
#ifndef TWIST_REVERSE_DB
#define TWIST_REVERSE_DB 5.0	/* high group louder; spec: accept 4 dB */
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
#ifndef MISSES_OFF
#define MISSES_OFF 6
#endif

typedef float vf __attribute__((vector_size(32)));
typedef int32_t vi __attribute__((vector_size(32)));

static const float bin_hz[NBIN] = { 697, 770, 852, 941, 1209, 1336, 1477, 1633 };
static const char digit_chars[] = "123A456B789C*0#D";

/* Per-bin and per-sample constants, shared by all banks. */
struct dtmf_consts {
	float wr[DTMF_STEP];	/* rising half of the Hann window; falling = 1 - wr */
	float coef[NBIN], cosw[NBIN], sinw[NBIN];
	float rot_re[NBIN], rot_im[NBIN];	/* exp(-j w DTMF_STEP) */
	float tan2[NBIN];	/* squared tangent of the phase tolerance per step */
	float thresh, twist_n, twist_r, energy_k;
};

/* Analysis state of 8 channels. */
struct dtmf_group {
	vf yr_re[NBIN], yr_im[NBIN];	/* rising-half DFT of the previous step */
	vf pv_re[NBIN], pv_im[NBIN];	/* previous window's DFT */
	vf er;	/* previous step's rising-half windowed energy */
};

struct dtmf_chan {
	int64_t step;	/* steps processed since start or reset */
	int64_t cand_step;	/* window start (steps) of the candidate's first hit */
	int8_t cand, cur;	/* digit index 0-15 or -1 */
	uint8_t hits, misses;
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
	}
	/* |DFT|^2 of a full-window tone of peak A is (A * sum(w) / 2)^2 = 400 A^2; the
	 * windowed energy of that tone is A^2 / 2 * sum(w^2) = 15 A^2. */
	k->thresh = (float)(400.0 * a * a);
	k->twist_n = (float)pow(10.0, TWIST_NORMAL_DB / 10.0);
	k->twist_r = (float)pow(10.0, TWIST_REVERSE_DB / 10.0);
	k->energy_k = (float)(400.0 / 15.0 * pow(10.0, ENERGY_DB / 10.0));
	consts_ready = 1;
}

/* lanes of a where mask m is set, else of b (a macro: no vector passed by value) */
#define VSEL(m, a, b) ((vf)(((vi)(a) & (m)) | ((vi)(b) & ~(m))))

/* Goertzel recursions over one step, rising and falling half-window, all 8 bins in
 * flight (16 independent chains hide the multiply-add latency). */
static inline __attribute__((always_inline)) void
filter_bins(const float (*x)[LANES], vf *yr_re, vf *yr_im, vf *yf_re, vf *yf_im)
{
	const struct dtmf_consts *k = &consts;
	vf r1[NBIN], r2[NBIN], f1[NBIN], f2[NBIN];

#pragma GCC unroll 8
	for (int b = 0; b < NBIN; b++)
		r1[b] = r2[b] = f1[b] = f2[b] = (vf){ 0 };
	/* two samples per turn, the older state overwritten in place: no register moves */
	for (int n = 0; n < DTMF_STEP; n += 2) {
		vf x0 = *(const vf *)x[n], x1 = *(const vf *)x[n + 1];
		vf xr0 = x0 * k->wr[n], xr1 = x1 * k->wr[n + 1];
		vf xf0 = x0 - xr0, xf1 = x1 - xr1;

#pragma GCC unroll 8
		for (int b = 0; b < NBIN; b++) {
			vf c = (vf){ 0 } + k->coef[b];

			r2[b] = xr0 + c * r1[b] - r2[b];
			f2[b] = xf0 + c * f1[b] - f2[b];
			r1[b] = xr1 + c * r2[b] - r1[b];
			f1[b] = xf1 + c * f2[b] - f1[b];
		}
	}
#pragma GCC unroll 8
	for (int b = 0; b < NBIN; b++) {
		yr_re[b] = r1[b] - k->cosw[b] * r2[b];
		yr_im[b] = k->sinw[b] * r2[b];
		yf_re[b] = f1[b] - k->cosw[b] * f2[b];
		yf_im[b] = k->sinw[b] * f2[b];
	}
}

/* Windowed energy of the step: rising and falling half. */
static inline __attribute__((always_inline)) void
filter_energy(const float (*x)[LANES], vf *er, vf *ef)
{
	vf er_acc = { 0 }, ef_acc = { 0 };

	for (int n = 0; n < DTMF_STEP; n++) {
		vf xv = *(const vf *)x[n];
		vf xr = xv * consts.wr[n];
		vf xf = xv - xr;

		er_acc += xr * xr;
		ef_acc += xf * xf;
	}
	*er = er_acc;
	*ef = ef_acc;
}

/* Strongest of bins [b0, b0+4): power, index, phase step z and its tolerance. */
static inline void group_best(const vf *p, const vf *z_re, const vf *z_im, int b0,
			      vf *bp, vi *bi, vf *bzr, vf *bzi, vf *btan)
{
	const struct dtmf_consts *k = &consts;

	*bp = p[b0];
	*bi = (vi){ 0 } + 0;
	*bzr = z_re[b0];
	*bzi = z_im[b0];
	*btan = (vf){ 0 } + k->tan2[b0];
	for (int i = 1; i < 4; i++) {
		vi m = p[b0 + i] > *bp;

		*bp = VSEL(m, p[b0 + i], *bp);
		*bi = (m & i) | (~m & *bi);
		*bzr = VSEL(m, z_re[b0 + i], *bzr);
		*bzi = VSEL(m, z_im[b0 + i], *bzi);
		*btan = VSEL(m, (vf){ 0 } + k->tan2[b0 + i], *btan);
	}
}

/* One step for 8 channels: digit[l] = index 0-15 if the window ending here holds a
 * valid DTMF pair for lane l, else -1. */
static inline __attribute__((always_inline)) void
group_step_body(struct dtmf_group *g, const float (*x)[LANES], int32_t *digit)
{
	const struct dtmf_consts *k = &consts;
	vf yr_re[NBIN], yr_im[NBIN], yf_re[NBIN], yf_im[NBIN], er, ef;
	vf p[NBIN], z_re[NBIN], z_im[NBIN];
	vf rp, rzr, rzi, rtan, cp, czr, czi, ctan, energy;
	vi ri, ci, ok;

	filter_bins(x, yr_re, yr_im, yf_re, yf_im);
	filter_energy(x, &er, &ef);
	for (int b = 0; b < NBIN; b++) {
		/* window = previous rising half + this falling half, shifted by one step */
		vf v_re = g->yr_re[b] + k->rot_re[b] * yf_re[b] - k->rot_im[b] * yf_im[b];
		vf v_im = g->yr_im[b] + k->rot_re[b] * yf_im[b] + k->rot_im[b] * yf_re[b];
		/* phase advance since the previous window, less the nominal one */
		vf a_re = v_re * g->pv_re[b] + v_im * g->pv_im[b];
		vf a_im = v_im * g->pv_re[b] - v_re * g->pv_im[b];

		p[b] = v_re * v_re + v_im * v_im;
		z_re[b] = a_re * k->rot_re[b] - a_im * k->rot_im[b];
		z_im[b] = a_re * k->rot_im[b] + a_im * k->rot_re[b];
		g->pv_re[b] = v_re;
		g->pv_im[b] = v_im;
		g->yr_re[b] = yr_re[b];
		g->yr_im[b] = yr_im[b];
	}
	energy = g->er + ef;
	g->er = er;

	group_best(p, z_re, z_im, 0, &rp, &ri, &rzr, &rzi, &rtan);
	group_best(p, z_re, z_im, 4, &cp, &ci, &czr, &czi, &ctan);
	ok = (rp >= k->thresh) & (cp >= k->thresh);
	ok &= (rp <= cp * k->twist_n) & (cp <= rp * k->twist_r);
	ok &= (rp + cp >= energy * k->energy_k);
	ok &= (rzr > 0) & (rzi * rzi <= rtan * rzr * rzr);
	ok &= (czr > 0) & (czi * czi <= ctan * czr * czr);
	vi d = (ok & (ri * 4 + ci)) | ~ok;	/* -1 where not ok */

	memcpy(digit, &d, sizeof(d));
}

/* The same code for every vector width the host offers (all lanes compute the same
 * operations; 8 bins x 4 states fit in 32 registers, and AVX2 spills them cheaply).
 * Both APIs go through this function, so they agree on any host. */
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
static void group_step(struct dtmf_group *g, const float (*x)[LANES], int32_t *digit)
{
	group_step_body(g, x, digit);
}

const char *dtmf_bank_impl(void)
{
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
	    __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq"))
		return "avx512";
	return __builtin_cpu_supports("avx2") ? "avx2" : "sse2";
}

static void chan_window(struct dtmf_bank *bank, unsigned c, int d)
{
	struct dtmf_chan *ch = &bank->chans[c];

	if (d >= 0 && d == ch->cand) {
		if (ch->hits < 255)
			ch->hits++;
	} else {
		ch->cand = (int8_t)d;
		ch->hits = d >= 0;
		ch->cand_step = ch->step - 1;
	}
	if (ch->cur >= 0) {
		if (d == ch->cur)
			ch->misses = 0;
		else if (++ch->misses >= MISSES_OFF)
			ch->cur = -1;
	}
	if (ch->cur < 0 && ch->cand >= 0 && ch->hits >= HITS_ON) {
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

static void group_load(const struct dtmf_bank *bank, unsigned grp, const void *const *in,
		       size_t off, float (*x)[LANES])
{
	for (unsigned l = 0; l < LANES; l++) {
		unsigned c = grp * LANES + l;
		const void *src = c < bank->nchan ? in[c] : NULL;

		if (!src) {
			for (int n = 0; n < DTMF_STEP; n++)
				x[n][l] = 0.0f;
		} else if (bank->law == DTMF_LAW_SLIN16) {
			const int16_t *s = (const int16_t *)src + off;

			for (int n = 0; n < DTMF_STEP; n++)
				x[n][l] = s[n];
		} else {
			const uint8_t *s = (const uint8_t *)src + off;

			for (int n = 0; n < DTMF_STEP; n++)
				x[n][l] = bank->table[s[n]];
		}
	}
}

int dtmf_bank_rx(struct dtmf_bank *bank, const void *const *in, size_t n)
{
	float x[DTMF_STEP][LANES] __attribute__((aligned(32)));
	int32_t digit[LANES];

	if (n % DTMF_STEP)
		return -EINVAL;
	for (size_t off = 0; off < n; off += DTMF_STEP) {
		for (unsigned grp = 0; grp < bank->ngroups; grp++) {
			unsigned lanes = bank->nchan - grp * LANES;

			group_load(bank, grp, in, off, x);
			group_step(&bank->groups[grp], (const float (*)[LANES])x, digit);
			if (lanes > LANES)
				lanes = LANES;
			for (unsigned l = 0; l < lanes; l++)
				chan_window(bank, grp * LANES + l, digit[l]);
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
