/* tools/cfwd_dtmf.c - cfwd-dtmf: the lab's DTMF tool.
 *   detect [--law ulaw|alaw|slin16] FILE   one line "<start_ms> <digit>" per digit
 *   gen --digits D [--law L] [--level dBm0] [--twist dB] [--on ms] [--off ms] FILE
 *   talkoff [--law L] [--gain dB] [--min-minutes M] PATH...   false digits on speech
 * Input is raw 8 kHz audio or a WAV (header detected). Errors: one line on stderr,
 * exit 2 (talkoff exits 1 when it finds digits or too little speech). */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdm-dtmf/dtmf_det.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tdm-dtmf/wav.h"

struct audio {
	uint8_t *mem;	/* whole file */
	const uint8_t *data;	/* samples in law */
	size_t nsamples;
	enum dtmf_law law;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: cfwd-dtmf detect [--law ulaw|alaw|slin16] FILE\n"
		"       cfwd-dtmf gen --digits DIGITS [--law L] [--level dBm0] [--twist dB]\n"
		"                     [--on ms] [--off ms] FILE   (FILE *.wav: with a header)\n"
		"       cfwd-dtmf talkoff [--law L] [--gain dB] [--min-minutes M] PATH...\n");
}

static int read_file(const char *path, uint8_t **mem, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0;
	uint8_t *buf;

	if (!f)
		return -errno;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (n < cap)
			break;
		cap *= 2;
		uint8_t *nb = realloc(buf, cap);

		if (!nb)
			free(buf);
		buf = nb;
	}
	if (!buf || ferror(f)) {
		int err = buf ? -EIO : -ENOMEM;

		free(buf);
		fclose(f);
		return err;
	}
	fclose(f);
	*mem = buf;
	*len = n;
	return 0;
}

/* Loads FILE as raw audio in law, or as a WAV whose header decides the law. */
static int audio_load(const char *path, enum dtmf_law law, struct audio *a)
{
	struct wav_info wi;
	const char *why;
	size_t len = 0;
	int rc = read_file(path, &a->mem, &len);

	if (rc) {
		fprintf(stderr, "cfwd-dtmf: %s: %s\n", path, strerror(-rc));
		return rc;
	}
	if (!wav_is_wav(a->mem, len)) {
		if (len % dtmf_law_bytes(law)) {
			fprintf(stderr, "cfwd-dtmf: %s: odd length for 16-bit samples\n", path);
			free(a->mem);
			return -EINVAL;
		}
		a->law = law;
		a->data = a->mem;
		a->nsamples = len / dtmf_law_bytes(law);
		return 0;
	}
	rc = wav_parse(a->mem, len, &wi, &why);
	if (!rc && wi.rate != 8000) {
		why = "sample rate is not 8000 Hz";
		rc = -ENOTSUP;
	} else if (!rc && wi.channels != 1) {
		why = "not mono";
		rc = -ENOTSUP;
	}
	if (rc) {
		fprintf(stderr, "cfwd-dtmf: %s: %s\n", path, why);
		free(a->mem);
		return rc;
	}
	a->law = wi.law;
	a->data = a->mem + wi.data_off;
	a->nsamples = wi.data_len / dtmf_law_bytes(wi.law);
	return 0;
}

static void print_digit(void *user, char digit, uint32_t start_ms)
{
	printf("%u %c\n", start_ms, digit);
}

static int cmd_detect(enum dtmf_law law, const char *path)
{
	struct audio a;
	struct dtmf_det *det;

	if (audio_load(path, law, &a))
		return 2;
	det = dtmf_det_alloc(a.law, print_digit, NULL);
	if (!det) {
		fprintf(stderr, "cfwd-dtmf: out of memory\n");
		free(a.mem);
		return 2;
	}
	/* 160-sample blocks, as a timeslot delivers them */
	for (size_t off = 0; off < a.nsamples; off += 160) {
		size_t n = a.nsamples - off < 160 ? a.nsamples - off : 160;

		dtmf_det_rx(det, a.data + off * dtmf_law_bytes(a.law), n);
	}
	dtmf_det_free(det);
	free(a.mem);
	return fflush(stdout) ? 2 : 0;
}

static int write_all(FILE *f, const void *p, size_t n)
{
	return fwrite(p, 1, n, f) == n ? 0 : -EIO;
}

static int cmd_gen(enum dtmf_law law, const struct dtmf_gen_params *p, const char *digits,
		   const char *path)
{
	struct dtmf_gen *gen = dtmf_gen_alloc(p);
	size_t total = strlen(digits) * ((size_t)p->on_ms + p->off_ms) * 8, n, len;
	int16_t *pcm = malloc(total * 2 + 2);
	uint8_t *out = malloc(total * 2 + WAV_HEADER_MAX), *q;
	FILE *f = NULL;
	int rc = 2;

	if (!gen || !pcm || !out)
		goto done;
	if (dtmf_gen_put(gen, digits)) {
		fprintf(stderr, "cfwd-dtmf: bad or too many digits: %s\n", digits);
		goto done;
	}
	n = dtmf_gen_tx(gen, pcm, total);
	len = strlen(path);
	q = out;
	if (len > 4 && !strcasecmp(path + len - 4, ".wav"))
		q += wav_header(out, law, n);
	if (law == DTMF_LAW_ULAW)
		g711_ulaw_encode_buf(q, pcm, n);
	else if (law == DTMF_LAW_ALAW)
		g711_alaw_encode_buf(q, pcm, n);
	else
		memcpy(q, pcm, n * 2);	/* host order: little-endian on our targets */
	f = fopen(path, "wb");
	if (!f || write_all(f, out, (size_t)(q - out) + n * dtmf_law_bytes(law)) ||
	    fclose(f)) {
		fprintf(stderr, "cfwd-dtmf: %s: %s\n", path, strerror(errno ? errno : EIO));
		f = NULL;
		goto done;
	}
	f = NULL;
	rc = 0;
done:
	if (f)
		fclose(f);
	dtmf_gen_free(gen);
	free(pcm);
	free(out);
	return rc;
}

/* talkoff: every *.wav under the given paths, converted to one law, through a fresh
 * detector per file; any digit is a false digit. */
struct talkoff {
	enum dtmf_law law;
	float gain;	/* linear, applied before encoding (saturating) */
	const char *file;
	double samples;
	unsigned files, skipped, false_digits;
};

static struct talkoff *talkoff_run;

static void talkoff_digit(void *user, char digit, uint32_t start_ms)
{
	struct talkoff *t = user;

	t->false_digits++;
	printf("false digit %c at %u ms in %s\n", digit, start_ms, t->file);
}

static void talkoff_file(struct talkoff *t, const char *path)
{
	struct audio a;
	struct dtmf_det *det;
	size_t w = dtmf_law_bytes(t->law);
	uint8_t *conv;

	if (audio_load(path, DTMF_LAW_SLIN16, &a)) {
		t->skipped++;
		return;
	}
	conv = malloc(a.nsamples * 2 + 1);
	det = dtmf_det_alloc(t->law, talkoff_digit, t);
	if (!conv || !det)
		abort();
	for (size_t i = 0; i < a.nsamples; i++) {
		int16_t v;

		if (a.law == DTMF_LAW_SLIN16)
			memcpy(&v, a.data + 2 * i, 2);
		else if (a.law == DTMF_LAW_ULAW)
			v = g711_ulaw_decode(a.data[i]);
		else
			v = g711_alaw_decode(a.data[i]);
		if (t->gain != 1.0f)
			v = dtmf_sat16(v * t->gain);
		if (t->law == DTMF_LAW_ULAW)
			conv[i] = g711_ulaw_encode(v);
		else if (t->law == DTMF_LAW_ALAW)
			conv[i] = g711_alaw_encode(v);
		else
			memcpy(conv + 2 * i, &v, 2);
	}
	t->file = path;
	for (size_t off = 0; off < a.nsamples; off += 160) {
		size_t n = a.nsamples - off < 160 ? a.nsamples - off : 160;

		dtmf_det_rx(det, conv + off * w, n);
	}
	t->files++;
	t->samples += (double)a.nsamples;
	dtmf_det_free(det);
	free(conv);
	free(a.mem);
}

static int talkoff_visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t len = strlen(path);

	if (type == FTW_F && len > 4 && !strcasecmp(path + len - 4, ".wav"))
		talkoff_file(talkoff_run, path);
	return 0;
}

static int cmd_talkoff(enum dtmf_law law, float gain_db, double min_minutes, char **paths,
		       int npaths)
{
	struct talkoff t = { .law = law, .gain = powf(10.0f, gain_db / 20.0f) };
	double minutes;

	talkoff_run = &t;
	for (int i = 0; i < npaths; i++) {
		if (nftw(paths[i], talkoff_visit, 16, FTW_PHYS)) {
			fprintf(stderr, "cfwd-dtmf: %s: %s\n", paths[i], strerror(errno));
			return 2;
		}
	}
	minutes = t.samples / 8000.0 / 60.0;
	printf("talkoff %s %+.0f dB: %u files (%u skipped), %.1f minutes of speech, "
	       "%u false digits\n", dtmf_law_name(law), gain_db, t.files, t.skipped, minutes,
	       t.false_digits);
	if (minutes < min_minutes) {
		printf("talkoff %s: FAIL, less than %.0f minutes scanned\n", dtmf_law_name(law),
		       min_minutes);
		return 1;
	}
	return t.false_digits ? 1 : 0;
}

struct opts {
	struct dtmf_gen_params gen;
	enum dtmf_law law;
	const char *digits;
	double min_minutes;
	float gain_db;
};

/* Options after the command word: 0; 1 for --help; 2 for an error already reported;
 * 3 for an unknown option (getopt said which; the caller prints the usage). */
static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option opts[] = {
		{ "law", required_argument, NULL, 'l' },
		{ "digits", required_argument, NULL, 'd' },
		{ "level", required_argument, NULL, 'v' },
		{ "twist", required_argument, NULL, 't' },
		{ "on", required_argument, NULL, 'n' },
		{ "off", required_argument, NULL, 'f' },
		{ "min-minutes", required_argument, NULL, 'm' },
		{ "gain", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	optind = 2;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		errno = 0;
		end = NULL;
		if (c == 'l' && dtmf_law_parse(optarg, &o->law)) {
			fprintf(stderr, "cfwd-dtmf: unknown law %s\n", optarg);
			return 2;
		} else if (c == 'd') {
			o->digits = optarg;
		} else if (c == 'v') {
			o->gen.level_dbm0 = strtof(optarg, &end);
		} else if (c == 't') {
			o->gen.twist_db = strtof(optarg, &end);
		} else if (c == 'n') {
			o->gen.on_ms = (unsigned)strtoul(optarg, &end, 10);
		} else if (c == 'f') {
			o->gen.off_ms = (unsigned)strtoul(optarg, &end, 10);
		} else if (c == 'm') {
			o->min_minutes = strtod(optarg, &end);
		} else if (c == 'g') {
			o->gain_db = strtof(optarg, &end);
		} else if (c == 'h') {
			return 1;
		} else if (c != 'l') {
			return 3;
		}
		if (end && (*end || end == optarg || errno)) {
			fprintf(stderr, "cfwd-dtmf: bad number: %s\n", optarg);
			return 2;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = {
		.gen = { .level_dbm0 = -10, .on_ms = 50, .off_ms = 50, .seed = 1 },
		.law = DTMF_LAW_ULAW,
	};
	const char *cmd;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	cmd = argv[1];
	rc = parse_opts(argc, argv, &o);
	if (rc) {
		if (rc != 2)
			usage(rc == 1 ? stdout : stderr);
		return rc == 1 ? 0 : 2;
	}
	if (!strcmp(cmd, "detect") && optind == argc - 1)
		return cmd_detect(o.law, argv[optind]);
	if (!strcmp(cmd, "gen") && optind == argc - 1 && o.digits)
		return cmd_gen(o.law, &o.gen, o.digits, argv[optind]);
	if (!strcmp(cmd, "talkoff") && optind < argc)
		return cmd_talkoff(o.law, o.gain_db, o.min_minutes, argv + optind, argc - optind);
	usage(stderr);
	return 2;
}
