/* tdm-dtmf/wav.c - RIFF/WAVE header parsing and writing for 8 kHz mono PCM16, µ-law and
 * A-law. Walks the chunk list for "fmt " and "data"; tolerates a data size larger than
 * the file (truncated recordings) by clipping; rejects everything it does not know. */
#include <errno.h>
#include <string.h>

#include "tdm-dtmf/wav.h"

#define FMT_PCM 1
#define FMT_ALAW 6
#define FMT_ULAW 7
#define FMT_EXTENSIBLE 0xfffe

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

int wav_is_wav(const uint8_t *buf, size_t len)
{
	return len >= 12 && !memcmp(buf, "RIFF", 4) && !memcmp(buf + 8, "WAVE", 4);
}

static int wav_fmt(const uint8_t *c, uint32_t size, struct wav_info *wi, const char **why)
{
	unsigned fmt;

	if (size < 16) {
		*why = "fmt chunk too short";
		return -EINVAL;
	}
	fmt = le16(c);
	wi->channels = le16(c + 2);
	wi->rate = le32(c + 4);
	wi->bits = le16(c + 14);
	if (fmt == FMT_EXTENSIBLE) {
		if (size < 40) {
			*why = "extensible fmt chunk too short";
			return -EINVAL;
		}
		fmt = le16(c + 24);	/* first two bytes of the sub-format GUID */
	}
	if (fmt == FMT_PCM && wi->bits == 16) {
		wi->law = DTMF_LAW_SLIN16;
	} else if ((fmt == FMT_ULAW || fmt == FMT_ALAW) && wi->bits == 8) {
		wi->law = fmt == FMT_ULAW ? DTMF_LAW_ULAW : DTMF_LAW_ALAW;
	} else {
		*why = "encoding is not PCM16, mu-law or A-law";
		return -ENOTSUP;
	}
	return 0;
}

int wav_parse(const uint8_t *buf, size_t len, struct wav_info *wi, const char **why)
{
	size_t off = 12;
	int have_fmt = 0, rc;

	memset(wi, 0, sizeof(*wi));
	if (!wav_is_wav(buf, len)) {
		*why = "not a RIFF/WAVE file";
		return -EINVAL;
	}
	while (off + 8 <= len) {
		uint32_t size = le32(buf + off + 4);
		const uint8_t *body = buf + off + 8;

		if (!memcmp(buf + off, "fmt ", 4)) {
			if (size > len - off - 8) {
				*why = "fmt chunk truncated";
				return -EINVAL;
			}
			rc = wav_fmt(body, size, wi, why);
			if (rc)
				return rc;
			have_fmt = 1;
		} else if (!memcmp(buf + off, "data", 4)) {
			if (!have_fmt) {
				*why = "data chunk before fmt chunk";
				return -EINVAL;
			}
			wi->data_off = off + 8;
			wi->data_len = size > len - off - 8 ? len - off - 8 : size;
			wi->data_len -= wi->data_len % (wi->bits / 8 * (wi->channels ? wi->channels : 1));
			return 0;
		}
		if (size > len - off - 8)
			break;
		off += 8 + size + (size & 1);
	}
	*why = have_fmt ? "no data chunk" : "no fmt chunk";
	return -EINVAL;
}

size_t wav_header(uint8_t *out, enum dtmf_law law, size_t nsamples)
{
	unsigned bytes = law == DTMF_LAW_SLIN16 ? 2 : 1;
	unsigned fmt = law == DTMF_LAW_SLIN16 ? FMT_PCM : law == DTMF_LAW_ALAW ? FMT_ALAW : FMT_ULAW;
	uint32_t fmt_size = law == DTMF_LAW_SLIN16 ? 16 : 18;
	uint32_t data = (uint32_t)(nsamples * bytes);
	size_t hlen = 12 + 8 + fmt_size + 8;

	memcpy(out, "RIFF", 4);
	put32(out + 4, (uint32_t)(hlen - 8 + data + (data & 1)));
	memcpy(out + 8, "WAVE", 4);
	memcpy(out + 12, "fmt ", 4);
	put32(out + 16, fmt_size);
	put16(out + 20, fmt);
	put16(out + 22, 1);
	put32(out + 24, 8000);
	put32(out + 28, 8000 * bytes);
	put16(out + 32, bytes);
	put16(out + 34, bytes * 8);
	if (fmt_size == 18)
		put16(out + 36, 0);
	memcpy(out + hlen - 8, "data", 4);
	put32(out + hlen - 4, data);
	return hlen;
}
