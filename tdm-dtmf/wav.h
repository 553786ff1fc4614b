/* tdm-dtmf/wav.h - minimal RIFF/WAVE header reading and writing for 8 kHz mono audio:
 * PCM16, µ-law (format 7) and A-law (format 6), plain or WAVE_FORMAT_EXTENSIBLE.
 * Parses a header in memory; does no file I/O and no resampling. */
#ifndef TDM_DTMF_WAV_H
#define TDM_DTMF_WAV_H

#include <stddef.h>
#include <stdint.h>

#include "tdm-dtmf/dtmf_bank.h"

struct wav_info {
	enum dtmf_law law;
	unsigned rate, channels, bits;
	size_t data_off, data_len;	/* bytes of sample data, clipped to the buffer */
};

/* True if buf starts with a RIFF/WAVE magic. */
int wav_is_wav(const uint8_t *buf, size_t len);
/* 0 on success; -EINVAL (malformed) or -ENOTSUP (encoding) with *why set to a short
 * reason. Rate and channel count are reported, not checked. */
int wav_parse(const uint8_t *buf, size_t len, struct wav_info *wi, const char **why);
/* Writes a 44-byte header (46 for G.711, which carries cbSize) for nsamples mono
 * 8 kHz samples; returns its length. */
size_t wav_header(uint8_t *out, enum dtmf_law law, size_t nsamples);
#define WAV_HEADER_MAX 58

#endif
