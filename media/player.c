/* media/player.c - prompt sequence playback for one timeslot: walks the sequence's
 * pieces (a prompt, or one digit of a number), inserts the gaps, and copies 20 ms
 * blocks out of the prompt set's pre-encoded audio. No mixing, no resampling, no timers. */
#include <errno.h>
#include <string.h>

#include "media/player.h"

#define ITEM_GAP (MEDIA_ITEM_GAP_MS * 8)
#define DIGIT_GAP (MEDIA_DIGIT_GAP_MS * 8)

enum fill_mode { FILL_ULAW, FILL_ALAW, FILL_PCM };

int media_player_init(struct media_player *p, const struct prompt_set *ps, enum dtmf_law law,
		      media_player_done_cb done, void *user)
{
	if (law != DTMF_LAW_ULAW && law != DTMF_LAW_ALAW)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->ps = ps;
	p->law = law;
	p->done = done;
	p->user = user;
	return 0;
}

static const struct prompt_audio *digit_audio(const struct prompt_set *ps, char d)
{
	return prompt_set_get(ps, (enum prompt_id)(PROMPT_DIGIT_0 + (d - '0')));
}

static bool seq_valid(const struct prompt_set *ps, const struct prompt_seq *seq)
{
	if (seq->n > PROMPT_SEQ_MAX)
		return false;
	for (size_t i = 0; i < seq->n; i++) {
		const struct prompt_item *it = &seq->item[i];

		if (it->id != PROMPT_NUMBER) {
			if (!prompt_set_get(ps, it->id))
				return false;
			continue;
		}
		if (strnlen(it->digits, PROMPT_DIGITS_SIZE) == PROMPT_DIGITS_SIZE)
			return false;
		for (const char *d = it->digits; *d; d++) {
			if (*d < '0' || *d > '9')
				return false;
		}
	}
	return true;
}

/* Move to the next piece: the next digit of a number (after a short gap) or the first
 * piece of the next item (after the item gap; no gap before the very first piece).
 * false when the sequence is over. */
static bool piece_next(struct media_player *p, bool first)
{
	const struct prompt_item *it;

	if (first) {
		p->item = 0;
		p->digit = 0;
		p->gap = 0;
	} else {
		if (p->item >= p->seq.n)
			return false;
		it = &p->seq.item[p->item];
		if (it->id == PROMPT_NUMBER && it->digits[p->digit + 1]) {
			p->digit++;
			p->gap = DIGIT_GAP;
			p->cur = digit_audio(p->ps, it->digits[p->digit]);
			p->pos = 0;
			return true;
		}
		p->item++;
		p->digit = 0;
		p->gap = ITEM_GAP;
	}
	for (; p->item < p->seq.n; p->item++) {
		it = &p->seq.item[p->item];
		if (it->id == PROMPT_NUMBER && !it->digits[0])
			continue;
		p->cur = it->id == PROMPT_NUMBER ? digit_audio(p->ps, it->digits[0]) :
						   prompt_set_get(p->ps, it->id);
		p->pos = 0;
		return true;
	}
	p->cur = NULL;
	return false;
}

int media_player_play(struct media_player *p, const struct prompt_seq *seq)
{
	if (!seq_valid(p->ps, seq))
		return -EINVAL;
	p->seq = *seq;
	p->active = true;
	if (!piece_next(p, true))
		p->item = p->seq.n; /* empty: finished at the next block */
	return 0;
}

void media_player_stop(struct media_player *p)
{
	p->active = false;
	p->cur = NULL;
	p->gap = 0;
}

bool media_player_busy(const struct media_player *p)
{
	return p->active;
}

static void fill_silence(enum fill_mode m, void *out, size_t k, size_t n)
{
	if (m == FILL_PCM)
		memset((int16_t *)out + k, 0, n * sizeof(int16_t));
	else
		memset((uint8_t *)out + k, m == FILL_ULAW ? 0xff : 0xd5, n);
}

static void fill_audio(enum fill_mode m, void *out, size_t k, const struct prompt_audio *a,
		       size_t pos, size_t n)
{
	if (m == FILL_PCM)
		memcpy((int16_t *)out + k, a->pcm + pos, n * sizeof(int16_t));
	else
		memcpy((uint8_t *)out + k, (m == FILL_ULAW ? a->ulaw : a->alaw) + pos, n);
}

/* out in mode m; lin (optional) gets the same 20 ms as linear samples. */
static void fill(struct media_player *p, enum fill_mode m, void *out, int16_t *lin)
{
	bool finished = false;
	size_t k = 0, left;

	if (p->active)
		p->blocks++;
	while (k < MEDIA_BLOCK && p->active) {
		left = MEDIA_BLOCK - k;
		if (p->gap) {
			size_t g = p->gap < left ? p->gap : left;

			fill_silence(m, out, k, g);
			if (lin)
				fill_silence(FILL_PCM, lin, k, g);
			p->gap -= g;
			k += g;
		} else if (p->cur && p->pos < p->cur->n) {
			size_t c = p->cur->n - p->pos < left ? p->cur->n - p->pos : left;

			fill_audio(m, out, k, p->cur, p->pos, c);
			if (lin)
				fill_audio(FILL_PCM, lin, k, p->cur, p->pos, c);
			p->pos += c;
			k += c;
		} else if (!piece_next(p, false)) {
			p->active = false;
			finished = true;
		}
	}
	if (k < MEDIA_BLOCK) {
		fill_silence(m, out, k, MEDIA_BLOCK - k);
		if (lin)
			fill_silence(FILL_PCM, lin, k, MEDIA_BLOCK - k);
	}
	if (finished && p->done)
		p->done(p->user);
}

void media_player_tx(struct media_player *p, uint8_t *out)
{
	fill(p, p->law == DTMF_LAW_ALAW ? FILL_ALAW : FILL_ULAW, out, NULL);
}

void media_player_tx_pcm(struct media_player *p, int16_t *out)
{
	fill(p, FILL_PCM, out, NULL);
}

void media_player_tx_both(struct media_player *p, uint8_t *out, int16_t *lin)
{
	fill(p, p->law == DTMF_LAW_ALAW ? FILL_ALAW : FILL_ULAW, out, lin);
}

uint64_t media_player_seq_ms(const struct prompt_set *ps, const struct prompt_seq *seq)
{
	uint64_t samples = 0;
	bool any = false;

	for (size_t i = 0; i < seq->n; i++) {
		const struct prompt_item *it = &seq->item[i];

		if (it->id != PROMPT_NUMBER) {
			samples += (any ? ITEM_GAP : 0) + prompt_set_get(ps, it->id)->n;
			any = true;
			continue;
		}
		for (size_t d = 0; it->digits[d]; d++) {
			samples += (any ? (d ? DIGIT_GAP : ITEM_GAP) : 0) +
				   digit_audio(ps, it->digits[d])->n;
			any = true;
		}
	}
	return samples / 8;
}
