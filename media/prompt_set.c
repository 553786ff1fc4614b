/* media/prompt_set.c - load a language's rendered prompts (8 kHz mono PCM16 WAV, one
 * file per prompt id) into memory as linear, µ-law and A-law samples. A small RIFF
 * reader walks the chunks for "fmt " and "data"; anything else is refused with the file
 * named. Does not resample or convert: scripts/render-prompts produces the right format. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "media/prompt_set.h"
#include "tdm-dtmf/g711.h"

#define WAV_FMT_PCM 1
#define WAV_FMT_EXTENSIBLE 0xfffe
#define WAV_MAX_BYTES (64u << 20)

struct prompt_slot {
	struct prompt_audio a;
	int16_t *pcm;
	uint8_t *ulaw;
	uint8_t *alaw;
};

struct prompt_set {
	char dir[256];
	size_t samples;
	struct prompt_slot slot[PROMPT_COUNT];
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static int read_all(const char *path, uint8_t **buf, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat stb;
	long sz;
	int rc;

	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fileno(f), &stb) == 0 && S_ISDIR(stb.st_mode)) {
		snprintf(err, errlen, "%s: %s", path, strerror(EISDIR));
		fclose(f);
		return -EISDIR;
	}
	if (fseek(f, 0, SEEK_END) || (sz = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		return rc;
	}
	if ((size_t)sz > WAV_MAX_BYTES) {
		snprintf(err, errlen, "%s: too large for a prompt", path);
		fclose(f);
		return -EFBIG;
	}
	*buf = malloc(sz ? (size_t)sz : 1);
	if (!*buf) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	*len = fread(*buf, 1, (size_t)sz, f);
	rc = ferror(f) ? -EIO : 0;
	fclose(f);
	if (rc) {
		snprintf(err, errlen, "%s: %s", path, strerror(EIO));
		free(*buf);
	}
	return rc;
}

/* fmt chunk: PCM (or extensible with a PCM sub-format), 1 channel, 8000 Hz, 16 bits. */
static bool fmt_ok(const uint8_t *p, uint32_t len)
{
	unsigned tag;

	if (len < 16)
		return false;
	tag = le16(p);
	if (tag == WAV_FMT_EXTENSIBLE && len >= 26)
		tag = le16(p + 24);
	return tag == WAV_FMT_PCM && le16(p + 2) == 1 && le32(p + 4) == 8000 && le16(p + 14) == 16;
}

static int wav_parse(const char *path, const uint8_t *b, size_t len, int16_t **pcm, size_t *n,
		     char *err, size_t errlen)
{
	bool have_fmt = false;
	size_t off = 12;

	if (len < 12 || memcmp(b, "RIFF", 4) || memcmp(b + 8, "WAVE", 4)) {
		snprintf(err, errlen, "%s: not a WAV file", path);
		return -EINVAL;
	}
	while (off + 8 <= len) {
		uint32_t clen = le32(b + off + 4);
		const uint8_t *body = b + off + 8;
		size_t avail = len - off - 8;

		if (!memcmp(b + off, "fmt ", 4)) {
			if (clen > avail || !fmt_ok(body, clen)) {
				snprintf(err, errlen, "%s: not 8 kHz mono PCM16", path);
				return -EINVAL;
			}
			have_fmt = true;
		} else if (!memcmp(b + off, "data", 4)) {
			if (!have_fmt) {
				snprintf(err, errlen, "%s: not 8 kHz mono PCM16", path);
				return -EINVAL;
			}
			if (clen > avail || clen < 2) {
				snprintf(err, errlen, "%s: %s", path,
					 clen < 2 ? "no audio" : "truncated");
				return -EINVAL;
			}
			*n = clen / 2;
			*pcm = malloc(*n * sizeof(int16_t));
			if (!*pcm) {
				snprintf(err, errlen, "%s: out of memory", path);
				return -ENOMEM;
			}
			for (size_t i = 0; i < *n; i++)
				(*pcm)[i] = (int16_t)le16(body + 2 * i);
			return 0;
		}
		off += 8 + (size_t)clen + (clen & 1);
	}
	snprintf(err, errlen, "%s: %s", path, have_fmt ? "no data chunk" : "not 8 kHz mono PCM16");
	return -EINVAL;
}

int media_wav_read(const char *path, int16_t **pcm, size_t *n, char *err, size_t errlen)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int rc;

	rc = read_all(path, &buf, &len, err, errlen);
	if (rc)
		return rc;
	rc = wav_parse(path, buf, len, pcm, n, err, errlen);
	free(buf);
	return rc;
}

static int slot_load(struct prompt_slot *s, const char *path, char *err, size_t errlen)
{
	size_t n;
	int rc;

	rc = media_wav_read(path, &s->pcm, &n, err, errlen);
	if (rc)
		return rc;
	s->ulaw = malloc(n);
	s->alaw = malloc(n);
	if (!s->ulaw || !s->alaw) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	g711_ulaw_encode_buf(s->ulaw, s->pcm, n);
	g711_alaw_encode_buf(s->alaw, s->pcm, n);
	s->a.pcm = s->pcm;
	s->a.ulaw = s->ulaw;
	s->a.alaw = s->alaw;
	s->a.n = n;
	return 0;
}

struct prompt_set *prompt_set_load(const char *dir, char *err, size_t errlen)
{
	struct prompt_set *ps = calloc(1, sizeof(*ps));
	char path[512];

	if (!ps) {
		snprintf(err, errlen, "%s: out of memory", dir);
		return NULL;
	}
	str_copy(ps->dir, dir, sizeof(ps->dir));
	for (int id = 0; id < PROMPT_COUNT; id++) {
		if (id == PROMPT_NUMBER)
			continue;
		snprintf(path, sizeof(path), "%s/%s.wav", dir, prompt_name((enum prompt_id)id));
		if (slot_load(&ps->slot[id], path, err, errlen)) {
			prompt_set_free(ps);
			return NULL;
		}
		ps->samples += ps->slot[id].a.n;
	}
	LOGP(DMEDIA, LOGL_INFO, "prompts: %s: %d prompts, %zu s", dir, PROMPT_COUNT - 1,
	     ps->samples / 8000);
	return ps;
}

struct prompt_set *prompt_set_load_lang(const char *base, const char *lang, char *err,
					size_t errlen)
{
	char dir[256];

	if (!*lang || strspn(lang, "abcdefghijklmnopqrstuvwxyz_-") != strlen(lang)) {
		snprintf(err, errlen, "prompts: bad language '%s'", lang);
		return NULL;
	}
	snprintf(dir, sizeof(dir), "%s/%s", base, lang);
	return prompt_set_load(dir, err, errlen);
}

struct prompt_set *prompt_set_load_conf(struct conf *c, char *err, size_t errlen)
{
	const char *base, *lang;

	if (conf_get_str(c, "media", "prompts", "build/prompts", &base, err, errlen) ||
	    conf_get_str(c, "media", "language", "ja", &lang, err, errlen))
		return NULL;
	if (strcmp(lang, "ja") && strcmp(lang, "en")) {
		conf_errf(c, conf_find(c, "media", "language"), err, errlen,
			  "'%s': expected ja or en", lang);
		return NULL;
	}
	return prompt_set_load_lang(base, lang, err, errlen);
}

void prompt_set_free(struct prompt_set *ps)
{
	if (!ps)
		return;
	for (int id = 0; id < PROMPT_COUNT; id++) {
		free(ps->slot[id].pcm);
		free(ps->slot[id].ulaw);
		free(ps->slot[id].alaw);
	}
	free(ps);
}

const char *prompt_set_dir(const struct prompt_set *ps)
{
	return ps->dir;
}

const struct prompt_audio *prompt_set_get(const struct prompt_set *ps, enum prompt_id id)
{
	if ((unsigned)id >= PROMPT_COUNT || id == PROMPT_NUMBER)
		return NULL;
	return &ps->slot[id].a;
}

size_t prompt_set_samples(const struct prompt_set *ps)
{
	return ps->samples;
}
