/* tdm-dtmf/dtmf_kern.h - the vector kernels of dtmf_bank.c, written once for a vector
 * of KW bytes (KL = KW / 4 lanes) and included twice by dtmf_bank.c: 32-byte vectors
 * for the AVX2 / AVX-512 paths, 16-byte ones for plain SSE2 (which would otherwise
 * split 32-byte vectors badly). Not a public header; defines static functions only.
 * Every lane performs the same IEEE operations in the same order in every width. */
#define VF KN(vf)
#define VI KN(vi)
#define KL (KW / 4)
#define KSEL(m, a, b) ((VF)(((VI)(a) & (m)) | ((VI)(b) & ~(m))))
#define KLD(p) (*(const VF *)(p))
#define KST(p, v) (*(VF *)(p) = (v))

typedef float VF __attribute__((vector_size(KW)));
typedef int32_t VI __attribute__((vector_size(KW)));

/* Goertzel recursions over one step, rising and falling half-window, all 8 bins in
 * flight (16 independent chains hide the multiply-add latency), lanes [h, h + KL). */
static inline __attribute__((always_inline)) void
KN(filter_bins)(const float (*x)[LANES], int h, VF *yr_re, VF *yr_im, VF *yf_re, VF *yf_im)
{
	const struct dtmf_consts *k = &consts;
	VF r1[NBIN], r2[NBIN], f1[NBIN], f2[NBIN];

#pragma GCC unroll 8
	for (int b = 0; b < NBIN; b++)
		r1[b] = r2[b] = f1[b] = f2[b] = (VF){ 0 };
	/* two samples per turn, the older state overwritten in place: no register moves */
	for (int n = 0; n < DTMF_STEP; n += 2) {
		VF x0 = KLD(&x[n][h]), x1 = KLD(&x[n + 1][h]);
		VF xr0 = x0 * k->wr[n], xr1 = x1 * k->wr[n + 1];
		VF xf0 = x0 - xr0, xf1 = x1 - xr1;

#pragma GCC unroll 8
		for (int b = 0; b < NBIN; b++) {
			VF c = (VF){ 0 } + k->coef[b];

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
KN(filter_energy)(const float (*x)[LANES], int h, VF *er, VF *ef)
{
	VF er_acc = { 0 }, ef_acc = { 0 };

	for (int n = 0; n < DTMF_STEP; n++) {
		VF xv = KLD(&x[n][h]);
		VF xr = xv * consts.wr[n];
		VF xf = xv - xr;

		er_acc += xr * xr;
		ef_acc += xf * xf;
	}
	*er = er_acc;
	*ef = ef_acc;
}

/* Strongest of bins [b0, b0+4): power, index, phase step z and its tolerance. */
static inline __attribute__((always_inline)) void
KN(group_best)(const VF *p, const VF *z_re, const VF *z_im, int b0, VF *bp, VI *bi, VF *bzr,
	       VF *bzi, VF *btan)
{
	const struct dtmf_consts *k = &consts;

	*bp = p[b0];
	*bi = (VI){ 0 };
	*bzr = z_re[b0];
	*bzi = z_im[b0];
	*btan = (VF){ 0 } + k->tan2[b0];
	for (int i = 1; i < 4; i++) {
		VI m = p[b0 + i] > *bp;

		*bp = KSEL(m, p[b0 + i], *bp);
		*bi = (m & i) | (~m & *bi);
		*bzr = KSEL(m, z_re[b0 + i], *bzr);
		*bzi = KSEL(m, z_im[b0 + i], *bzi);
		*btan = KSEL(m, (VF){ 0 } + k->tan2[b0 + i], *btan);
	}
}

/* One step for lanes [h, h + KL) of a group: w->digit[l] = index 0-15 if the window
 * ending here holds a valid DTMF pair for lane l, else -1; with the pair's share of
 * the window energy and the phase steps of its two bins, for the run tests. */
static inline __attribute__((always_inline)) void
KN(group_step)(struct dtmf_group *g, const float (*x)[LANES], struct dtmf_win *w, int h)
{
	const struct dtmf_consts *k = &consts;
	VF yr_re[NBIN], yr_im[NBIN], yf_re[NBIN], yf_im[NBIN], er, ef;
	VF p[NBIN], z_re[NBIN], z_im[NBIN];
	VF rp, rzr, rzi, rtan, cp, czr, czi, ctan, energy;
	VI ri, ci, ok, d;

	KN(filter_bins)(x, h, yr_re, yr_im, yf_re, yf_im);
	KN(filter_energy)(x, h, &er, &ef);
	for (int b = 0; b < NBIN; b++) {
		VF pv_re = KLD(&g->pv_re[b][h]), pv_im = KLD(&g->pv_im[b][h]);
		/* window = previous rising half + this falling half, shifted by one step */
		VF v_re = KLD(&g->yr_re[b][h]) + k->rot_re[b] * yf_re[b] - k->rot_im[b] * yf_im[b];
		VF v_im = KLD(&g->yr_im[b][h]) + k->rot_re[b] * yf_im[b] + k->rot_im[b] * yf_re[b];
		/* phase advance since the previous window, less the nominal one */
		VF a_re = v_re * pv_re + v_im * pv_im;
		VF a_im = v_im * pv_re - v_re * pv_im;

		p[b] = v_re * v_re + v_im * v_im;
		z_re[b] = a_re * k->rot_re[b] - a_im * k->rot_im[b];
		z_im[b] = a_re * k->rot_im[b] + a_im * k->rot_re[b];
		KST(&g->pv_re[b][h], v_re);
		KST(&g->pv_im[b][h], v_im);
		KST(&g->yr_re[b][h], yr_re[b]);
		KST(&g->yr_im[b][h], yr_im[b]);
	}
	energy = KLD(&g->er[h]) + ef;
	KST(&g->er[h], er);

	KN(group_best)(p, z_re, z_im, 0, &rp, &ri, &rzr, &rzi, &rtan);
	KN(group_best)(p, z_re, z_im, 4, &cp, &ci, &czr, &czi, &ctan);
	ok = (rp >= k->thresh) & (cp >= k->thresh);
	ok &= (rp <= cp * k->twist_n) & (cp <= rp * k->twist_r);
	ok &= (rp + cp >= energy * k->energy_k);
	ok &= (rzr > 0) & (rzi * rzi <= rtan * rzr * rzr);
	ok &= (czr > 0) & (czi * czi <= ctan * czr * czr);
	d = (ok & ((ri << 2) + ci)) | ~ok;	/* -1 where not ok */
	memcpy(w->digit + h, &d, sizeof(d));
	KST(&w->rp[h], rp);
	KST(&w->cp[h], cp);
	KST(&w->energy[h], energy);
	KST(&w->rzr[h], rzr);
	KST(&w->rzi[h], rzi);
	KST(&w->czr[h], czr);
	KST(&w->czi[h], czi);
}

/* G.711 expansion in vector arithmetic, bit-exact with g711_*_decode(): the segment
 * becomes a float exponent. µ-law: t = (8 m + 132) 2^e, value = +-(t - 132). A-law:
 * t = 16 m + 8 (e = 0) or (16 m + 264) 2^(e-1), value = +-t. rows: codes as int32. */
static inline __attribute__((always_inline)) void
KN(group_expand)(const int32_t (*rows)[LANES], float (*x)[LANES], int alaw, int h)
{
	for (int n = 0; n < DTMF_STEP; n++) {
#if KW == 32
		/* two 16-byte loads, as the transpose stored them (store forwarding) */
		VI c = __builtin_shufflevector(*(const vi4 *)&rows[n][0], *(const vi4 *)&rows[n][4],
					       0, 1, 2, 3, 4, 5, 6, 7);
#else
		VI c = *(const VI *)&rows[n][h];
#endif
		VI e, m, neg;
		VF t;

		if (alaw) {
			VI a = c ^ 0x55, nz;

			e = (a >> 4) & 7;
			m = a & 15;
			nz = ~(e == 0);
			t = __builtin_convertvector((m << 4) + 8 + (nz & 256), VF) *
			    (VF)((((e - 1) & nz) + 127) << 23);
			neg = (a & 0x80) == 0;
			t = KSEL(neg, -t, t);
		} else {
			VI u = ~c & 0xff;

			e = (u >> 4) & 7;
			m = u & 15;
			t = __builtin_convertvector((m << 3) + 132, VF) * (VF)((e + 127) << 23);
			neg = ~((u & 0x80) == 0);
			t = KSEL(neg, 132.0f - t, t - 132.0f);	/* no -0.0 */
		}
		KST(&x[n][h], t);
	}
}

#undef VF
#undef VI
#undef KL
#undef KSEL
#undef KLD
#undef KST
