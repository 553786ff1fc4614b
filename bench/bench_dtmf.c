/* bench/bench_dtmf.c - DTMF detection cost: our dtmf_bank against spandsp's dtmf_rx on
 * the same µ-law input (recorded speech with digit strings), 240, 1,920 and 7,680
 * channels fed 160-sample (20 ms) blocks as a TDM tick delivers them. Both pay for the
 * G.711 decode. Prints CPU µs per channel per 20 ms block and channels per core, then
 * the `ours`, `reference`, `ratio` lines and `dtmf ratio ours/spandsp ...: X`.
 * spandsp is linked here only; the detector library does not use it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>

#include <spandsp/telephony.h>
#include <spandsp/logging.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/dtmf.h>

#include "tdm-dtmf/dtmf_bank.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tdm-dtmf/wav.h"
#include "tests/test_dtmf_sig.h"

#define BLOCK 160
#define STREAM_S 20	/* seconds of audio each channel receives */
#define SPEECH_DIR "/usr/share/asterisk/sounds/en_US_f_Allison"

struct stream {
	uint8_t *ulaw;
	size_t nblocks;
	unsigned digits;	/* digit bursts in one pass */
};

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Appends one second of a speech file (or synthetic babble if none is readable). */
static size_t add_speech(int16_t *pcm, size_t at, unsigned idx)
{
	static const char *const names[] = { "vm-intro", "vm-options", "vm-instructions",
					     "conf-getpin", "vm-password", "vm-newuser",
					     "auth-thankyou", "vm-message" };
	char path[256];
	uint8_t buf[200000];
	struct wav_info wi;
	const char *why;
	size_t len = 0, n = 8000;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.wav", SPEECH_DIR, names[idx % 8]);
	f = fopen(path, "rb");
	if (f) {
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
	}
	if (f && !wav_parse(buf, len, &wi, &why) && wi.law == DTMF_LAW_SLIN16 &&
	    wi.data_len / 2 > n + 4000) {
		memcpy(pcm + at, buf + wi.data_off + 4000 * 2, n * 2);
	} else {
		for (size_t i = 0; i < n; i++)	/* fallback: noise bursts */
			pcm[at + i] = (int16_t)((rand() % 4000 - 2000) * ((i / 800) % 2));
	}
	return at + n;
}

/* STREAM_S seconds: 1 s of speech, then 4 digits (50 ms on / 50 ms off), repeated. */
static int stream_build(struct stream *s)
{
	size_t total = (size_t)STREAM_S * 8000, at = 0;
	int16_t *pcm = calloc(total + 16000, sizeof(int16_t));
	struct dtmf_gen_params gp = { .level_dbm0 = -12, .on_ms = 50, .off_ms = 50, .seed = 7 };
	struct dtmf_gen *gen = dtmf_gen_alloc(&gp);
	unsigned idx = 0;

	if (!pcm || !gen)
		return -ENOMEM;
	s->digits = 0;
	while (at + 8000 + 3200 <= total) {
		at = add_speech(pcm, at, idx);
		char four[5];

		memcpy(four, "0312#987*6540ABCD" + (idx * 4) % 13, 4);
		four[4] = '\0';
		dtmf_gen_put(gen, four);
		at += dtmf_gen_tx(gen, pcm + at, 3200);	/* 4 x (50 + 50) ms */
		s->digits += 4;
		idx++;
	}
	s->nblocks = total / BLOCK;
	s->ulaw = malloc(total);
	if (!s->ulaw)
		return -ENOMEM;
	g711_ulaw_encode_buf(s->ulaw, pcm, total);
	dtmf_gen_free(gen);
	free(pcm);
	return 0;
}

static unsigned long ours_digits;

static void ours_digit(void *user, unsigned chan, char digit, uint32_t start_ms)
{
	ours_digits++;
}

static double run_ours(const struct stream *s, unsigned nch)
{
	struct dtmf_bank *bank = dtmf_bank_alloc(nch, DTMF_LAW_ULAW, ours_digit, NULL);
	const void **in = calloc(nch, sizeof(*in));
	double t0;

	if (!bank || !in)
		exit(1);
	ours_digits = 0;
	t0 = cpu_now();
	for (size_t b = 0; b < s->nblocks; b++) {
		for (unsigned c = 0; c < nch; c++)
			in[c] = s->ulaw + ((b + c * 7) % s->nblocks) * BLOCK;
		dtmf_bank_rx(bank, in, BLOCK);
	}
	t0 = cpu_now() - t0;
	dtmf_bank_free(bank);
	free(in);
	return t0;
}

static unsigned long ref_digits;

static void ref_digit(void *user, const char *digits, int len)
{
	ref_digits += (unsigned long)len;
}

static double run_spandsp(const struct stream *s, unsigned nch)
{
	dtmf_rx_state_t **rx = calloc(nch, sizeof(*rx));
	int16_t table[256], pcm[BLOCK];
	double t0;

	if (!rx)
		exit(1);
	for (int i = 0; i < 256; i++)
		table[i] = g711_ulaw_decode((uint8_t)i);
	for (unsigned c = 0; c < nch; c++) {
		rx[c] = dtmf_rx_init(NULL, ref_digit, NULL);
		if (!rx[c])
			exit(1);
	}
	ref_digits = 0;
	t0 = cpu_now();
	for (size_t b = 0; b < s->nblocks; b++) {
		for (unsigned c = 0; c < nch; c++) {
			const uint8_t *u = s->ulaw + ((b + c * 7) % s->nblocks) * BLOCK;

			for (int i = 0; i < BLOCK; i++)
				pcm[i] = table[u[i]];
			dtmf_rx(rx[c], pcm, BLOCK);
		}
	}
	t0 = cpu_now() - t0;
	for (unsigned c = 0; c < nch; c++)
		dtmf_rx_free(rx[c]);
	free(rx);
	return t0;
}

/* Conformance side by side: the same synthetic µ-law signals through both receivers. */
struct cond {
	const char *name;
	float level, twist, dev_lo, dev_hi;
	unsigned on_ms, gap_ms;	/* gap_ms: a dropout in the middle of each tone */
	double snr_db;
};

static void spandsp_detect(const uint8_t *ulaw, size_t n, char *digits, size_t max)
{
	dtmf_rx_state_t *rx = dtmf_rx_init(NULL, NULL, NULL);
	int16_t pcm[BLOCK];
	size_t got = 0;

	for (size_t off = 0; off + BLOCK <= n; off += BLOCK) {
		g711_ulaw_decode_buf(pcm, ulaw + off, BLOCK);
		dtmf_rx(rx, pcm, BLOCK);
		got += dtmf_rx_get(rx, digits + got, (int)(max - 1 - got));
	}
	digits[got] = '\0';
	dtmf_rx_free(rx);
}

/* Digits of the 16 found in order (longest common subsequence); the rest of what
 * was reported is extra. */
static int matched(const char *got, int *extra)
{
	int n = (int)strlen(got), prev[17] = { 0 }, cur[17];

	for (int i = 0; i < n; i++) {
		cur[0] = 0;
		for (int j = 1; j <= 16; j++) {
			int best = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];

			cur[j] = got[i] == DTMF_DIGITS[j - 1] && prev[j - 1] + 1 > best ?
					 prev[j - 1] + 1 : best;
		}
		memcpy(prev, cur, sizeof(prev));
	}
	*extra += n - prev[16];
	return prev[16];
}

/* Share of the digits detected (in order) and the number of extra digits reported. */
static void conf_compare(const struct cond *c, int trials)
{
	int ours = 0, ref = 0, ours_x = 0, ref_x = 0;

	for (int t = 0; t < trials; t++) {
		struct sig s;
		struct sig_result r;
		char sd[256];
		uint8_t *ul;

		sig_init(&s, 1000 + t);
		sig_silence(&s, 20 + t % 13);
		for (const char *d = DTMF_DIGITS; *d; d++) {
			size_t at = s.n + (size_t)c->on_ms * 4;

			sig_tone(&s, *d, c->level, c->twist, c->dev_lo, c->dev_hi,
				 c->on_ms + c->gap_ms);
			if (c->gap_ms)
				memset(s.buf + at, 0, (size_t)c->gap_ms * 8 * sizeof(float));
			sig_silence(&s, 50);
		}
		if (c->snr_db)
			sig_noise(&s, 0, sig_tone_power(c->level) / pow(10.0, c->snr_db / 10.0));
		sig_silence(&s, 60);
		ul = malloc(s.n);
		sig_encode(&s, DTMF_LAW_ULAW, ul);
		sig_detect(&s, DTMF_LAW_ULAW, BLOCK, &r);
		spandsp_detect(ul, s.n, sd, sizeof(sd));
		ours += matched(r.digits, &ours_x);
		ref += matched(sd, &ref_x);
		free(ul);
		sig_free(&s);
	}
	printf("dtmf conformance %-36s ours %5.1f %% %3d extra, spandsp %5.1f %% %3d extra\n",
	       c->name, 100.0 * ours / (16 * trials), ours_x, 100.0 * ref / (16 * trials), ref_x);
}

static void conformance(void)
{
	static const struct cond conds[] = {
		{ "-10 dBm0, 50 ms:", -10, 0, 0, 0, 50, 0, 0 },
		{ "normal twist 8 dB (low louder):", -4, 8, 0, 0, 50, 0, 0 },
		{ "reverse twist 4 dB (high louder):", -10, -4, 0, 0, 50, 0, 0 },
		{ "both tones off +1.5 % / -1.5 %:", -10, 0, 0.015f, -0.015f, 50, 0, 0 },
		{ "both tones off -1.5 % / -1.5 %:", -10, 0, -0.015f, -0.015f, 50, 0, 0 },
		{ "40 ms tones:", -10, 0, 0, 0, 40, 0, 0 },
		{ "10 ms dropout in a 100 ms tone:", -10, 0, 0, 0, 90, 10, 0 },
		{ "12 dB SNR per tone, -30 dBm0:", -30, 0, 0, 0, 50, 0, 12 },
		{ "-38 dBm0:", -38, 0, 0, 0, 50, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(conds) / sizeof(conds[0]); i++)
		conf_compare(&conds[i], 100);
}

int main(void)
{
	static const unsigned counts[] = { 240, 1920, 7680 };
	struct stream s;
	double ours_cpc = 0, ref_cpc = 0;

	if (stream_build(&s)) {
		fprintf(stderr, "bench-dtmf: out of memory\n");
		return 1;
	}
	printf("dtmf: %u s of µ-law speech with %u digits per channel, 20 ms blocks, "
	       "ours in %s code\n", STREAM_S, s.digits,
	       dtmf_bank_impl());
	for (int i = 0; i < 3; i++) {
		unsigned nch = counts[i];
		double blocks = (double)nch * s.nblocks;
		double to = run_ours(&s, nch), tr = run_spandsp(&s, nch);
		double uo = to / blocks * 1e6, ur = tr / blocks * 1e6;

		printf("dtmf ours    %5u ch: %.3f us/ch/20ms, %8.0f channels/core, digits %lu/%lu\n",
		       nch, uo, 20000.0 / uo, ours_digits, (unsigned long)s.digits * nch);
		printf("dtmf spandsp %5u ch: %.3f us/ch/20ms, %8.0f channels/core, digits %lu/%lu\n",
		       nch, ur, 20000.0 / ur, ref_digits, (unsigned long)s.digits * nch);
		ours_cpc = 20000.0 / uo;
		ref_cpc = 20000.0 / ur;
	}
	/* the other vector widths this host can run, for hosts without AVX-512 */
	for (int i = 0; i < 2; i++) {
		static const char *const impls[] = { "avx2", "sse2" };
		const char *host = dtmf_bank_impl();
		double blocks = 1920.0 * s.nblocks, uo;

		if (!strcmp(host, impls[i]) || dtmf_bank_set_impl(impls[i]))
			continue;
		uo = run_ours(&s, 1920) / blocks * 1e6;
		printf("dtmf ours-%-6s 1920 ch: %.3f us/ch/20ms, %8.0f channels/core, ratio %.2f\n",
		       impls[i], uo, 20000.0 / uo, 20000.0 / uo / ref_cpc);
		dtmf_bank_set_impl(host);
	}
	conformance();
	printf("ours: %.0f channels/core (tdm-dtmf bank, 7680 ch)\n", ours_cpc);
	printf("reference: %.0f channels/core (spandsp dtmf_rx, 7680 ch)\n", ref_cpc);
	printf("ratio: %.2f\n", ours_cpc / ref_cpc);
	printf("dtmf ratio ours/spandsp channels-per-core: %.2f\n", ours_cpc / ref_cpc);
	return 0;
}
