/* media/player.h - plays a prompt sequence on one timeslot, 20 ms at a time: the owner
 * asks for the next block (160 bytes of µ-law or A-law, or 160 linear samples) and the
 * player copies it from the prompt set's pre-encoded audio. PROMPT_NUMBER items are read
 * by concatenating digit prompts with a short gap; items are separated by a longer gap.
 * Silence when idle. Reports the end of a sequence through a callback (not when the
 * sequence was stopped or replaced). Does not pace itself: the owner's 20 ms does. */
#ifndef MEDIA_PLAYER_H
#define MEDIA_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/cfwd/prompt_ids.h"
#include "media/prompt_set.h"
#include "tdm-dtmf/dtmf_bank.h"

#define MEDIA_BLOCK 160 /* samples per 20 ms */
#define MEDIA_ITEM_GAP_MS 200 /* silence between the items of a sequence */
#define MEDIA_DIGIT_GAP_MS 60 /* silence between the digits of a number */

typedef void (*media_player_done_cb)(void *user);

/* Embeddable; fields are private to player.c. */
struct media_player {
	const struct prompt_set *ps;
	enum dtmf_law law; /* ULAW or ALAW for media_player_tx */
	media_player_done_cb done;
	void *user;
	struct prompt_seq seq;
	bool active;
	size_t item; /* index in seq */
	size_t digit; /* index in a PROMPT_NUMBER item's digits */
	const struct prompt_audio *cur; /* NULL: in a gap */
	size_t pos; /* samples of cur played */
	size_t gap; /* samples of silence left before the next piece */
	uint64_t blocks; /* blocks produced while active (for tests) */
};

/* law: DTMF_LAW_ULAW or DTMF_LAW_ALAW (-EINVAL otherwise). */
int media_player_init(struct media_player *p, const struct prompt_set *ps, enum dtmf_law law,
		      media_player_done_cb done, void *user);
/* Start seq (copied), replacing whatever plays (not reported). -EINVAL for an id the
 * set has no audio for or a non-digit in a number; nothing changes then. An empty
 * sequence is finished at the next block. */
int media_player_play(struct media_player *p, const struct prompt_seq *seq);
/* Stop now (barge-in): the next block is silence; not reported as finished. */
void media_player_stop(struct media_player *p);
bool media_player_busy(const struct media_player *p);

/* The next 20 ms: 160 bytes in the player's law. When the sequence ends inside the
 * block, the rest is silence and done() is called before returning; done() may call
 * media_player_play() again (it starts at the next block). */
void media_player_tx(struct media_player *p, uint8_t *out);
/* Same, as 160 linear samples. */
void media_player_tx_pcm(struct media_player *p, int16_t *out);
/* Both at once: out in the player's law and lin the same samples before companding. */
void media_player_tx_both(struct media_player *p, uint8_t *out, int16_t *lin);
/* Milliseconds a sequence lasts when played to the end (gaps included). */
uint64_t media_player_seq_ms(const struct prompt_set *ps, const struct prompt_seq *seq);

#endif
