/* media/prompt_set.h - one language's rendered voice guidance in memory: every prompt
 * id of feature/cfwd/prompt_ids.h (but PROMPT_NUMBER) loaded from DIR/<name>.wav, which
 * must be 8 kHz mono 16-bit PCM, kept as linear int16 and pre-encoded in µ-law and A-law
 * so playback is a copy. Loading fails, naming the file, if any prompt is missing or
 * unreadable: the daemon refuses to start rather than play silence. Plays nothing. */
#ifndef MEDIA_PROMPT_SET_H
#define MEDIA_PROMPT_SET_H

#include <stddef.h>
#include <stdint.h>

#include "feature/cfwd/prompt_ids.h"

struct conf;
struct prompt_set;

/* One prompt's audio: n samples, linear and in both G.711 laws. */
struct prompt_audio {
	const int16_t *pcm;
	const uint8_t *ulaw;
	const uint8_t *alaw;
	size_t n;
};

/* Load every prompt from dir ("build/prompts/ja"). NULL with e.g.
 * "build/prompts/ja/menu.wav: No such file or directory" or
 * "build/prompts/ja/menu.wav: not 8 kHz mono PCM16" in err. */
struct prompt_set *prompt_set_load(const char *dir, char *err, size_t errlen);
/* Load base/lang; lang is "ja" or "en" (any name made of [a-z_-] is accepted). */
struct prompt_set *prompt_set_load_lang(const char *base, const char *lang, char *err,
					size_t errlen);
/* From config section [media]: prompts = BASE (default "build/prompts"), language =
 * ja|en (default ja). Marks the keys used. NULL with "file:line: ..." or the loader's
 * message in err. */
struct prompt_set *prompt_set_load_conf(struct conf *c, char *err, size_t errlen);
void prompt_set_free(struct prompt_set *ps); /* NULL-safe */
const char *prompt_set_dir(const struct prompt_set *ps);

/* The audio of id, or NULL for PROMPT_NUMBER and out of range. */
const struct prompt_audio *prompt_set_get(const struct prompt_set *ps, enum prompt_id id);
/* Total samples loaded (for logs: "ja: 49 prompts, 312 s"). */
size_t prompt_set_samples(const struct prompt_set *ps);

/* Read an 8 kHz mono PCM16 WAV file into a malloc'd buffer (*pcm, *n samples).
 * 0, or -errno with "path: reason" in err (-EINVAL for a wrong format). */
int media_wav_read(const char *path, int16_t **pcm, size_t *n, char *err, size_t errlen);

#endif
