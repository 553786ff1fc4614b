/* media/session.c - timeslot sessions of a media group: received blocks are queued per
 * channel (two deep) and run through the group's DTMF bank in one pass once every open
 * session has a block; digits are dispatched to the session owners; transmit blocks come
 * from each session's player. Single-threaded; callbacks may close sessions. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/metrics.h"
#include "media/echo.h"
#include "media/session.h"
#include "tdm-dtmf/g711.h"

#define RXQ 2

struct media_session {
	struct media_group *g;
	unsigned chan;
	bool open;
	bool fed; /* its rxq[0] is in the bank pass under way */
	const struct media_session_ops *ops;
	void *user;
	struct media_player player;
	unsigned rxn;
	uint8_t rxq[RXQ][MEDIA_BLOCK];
	struct media_session_stats st;
	struct media_echo ec;
};

struct media_group {
	unsigned nchan;
	enum dtmf_law law;
	const struct prompt_set *ps;
	struct dtmf_bank *bank;
	struct media_session *s;
	const void **in;
	unsigned nopen;
	unsigned nready; /* open sessions with a queued block */
	bool flushing;
	bool echo_removal;
};

/* G.711 encoders as tables: the µ-law code depends on s >> 2 only, A-law on s >> 3. */
static uint8_t ulaw_enc[16384], alaw_enc[8192];
static int16_t ulaw_dec[256], alaw_dec[256];

static void tables_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	for (int i = 0; i < 16384; i++)
		ulaw_enc[i] = g711_ulaw_encode((int16_t)((i - 8192) * 4));
	for (int i = 0; i < 8192; i++)
		alaw_enc[i] = g711_alaw_encode((int16_t)((i - 4096) * 8));
	for (int i = 0; i < 256; i++) {
		ulaw_dec[i] = g711_ulaw_decode((uint8_t)i);
		alaw_dec[i] = g711_alaw_decode((uint8_t)i);
	}
}

static void on_digit(void *user, unsigned chan, char digit, uint32_t start_ms)
{
	struct media_group *g = user;
	struct media_session *ms = &g->s[chan];

	if (!ms->open)
		return;
	ms->st.digits++;
	metric_inc(METRIC_DTMF_DIGITS, NULL);
	LOGP(DMEDIA, LOGL_DEBUG, "chan %u: DTMF %c at %u ms", chan, digit, start_ms);
	if (ms->ops->digit)
		ms->ops->digit(ms->user, digit);
}

struct media_group *media_group_alloc(unsigned nchan, enum dtmf_law law,
				      const struct prompt_set *ps)
{
	struct media_group *g;

	if (!nchan || !ps || (law != DTMF_LAW_ULAW && law != DTMF_LAW_ALAW))
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	tables_init();
	g->nchan = nchan;
	g->law = law;
	g->ps = ps;
	g->s = calloc(nchan, sizeof(*g->s));
	g->in = calloc(nchan, sizeof(*g->in));
	g->bank = dtmf_bank_alloc(nchan, law, on_digit, g);
	if (!g->s || !g->in || !g->bank) {
		media_group_free(g);
		return NULL;
	}
	for (unsigned c = 0; c < nchan; c++) {
		g->s[c].g = g;
		g->s[c].chan = c;
	}
	g->echo_removal = true;
	return g;
}

void media_group_free(struct media_group *g)
{
	if (!g)
		return;
	dtmf_bank_free(g->bank);
	free(g->in);
	free(g->s);
	free(g);
}

void media_group_set_echo_removal(struct media_group *g, bool on)
{
	g->echo_removal = on;
}

unsigned media_group_open_count(const struct media_group *g)
{
	return g->nopen;
}

static void rxq_pop(struct media_session *ms)
{
	if (!ms->rxn)
		return;
	if (--ms->rxn)
		memcpy(ms->rxq[0], ms->rxq[1], MEDIA_BLOCK);
	else
		ms->g->nready--;
}

void media_group_flush(struct media_group *g)
{
	bool any = false;

	if (g->flushing || !g->nready)
		return;
	g->flushing = true;
	for (unsigned c = 0; c < g->nchan; c++) {
		struct media_session *ms = &g->s[c];

		ms->fed = ms->open && ms->rxn;
		g->in[c] = ms->fed ? ms->rxq[0] : NULL;
		any |= ms->fed;
	}
	if (any)
		dtmf_bank_rx(g->bank, g->in, MEDIA_BLOCK);
	for (unsigned c = 0; c < g->nchan; c++) {
		struct media_session *ms = &g->s[c];

		if (ms->fed) {
			ms->fed = false;
			rxq_pop(ms);
		}
	}
	g->flushing = false;
}

static void on_player_done(void *user)
{
	struct media_session *ms = user;

	if (ms->open && ms->ops->prompt_done)
		ms->ops->prompt_done(ms->user);
}

struct media_session *media_session_open(struct media_group *g, unsigned chan,
					 const struct media_session_ops *ops, void *user)
{
	struct media_session *ms;

	if (chan >= g->nchan || !ops) {
		errno = EINVAL;
		return NULL;
	}
	ms = &g->s[chan];
	if (ms->open) {
		errno = EBUSY;
		return NULL;
	}
	memset(ms, 0, sizeof(*ms));
	ms->g = g;
	ms->chan = chan;
	ms->ops = ops;
	ms->user = user;
	media_player_init(&ms->player, g->ps, g->law, on_player_done, ms);
	media_echo_reset(&ms->ec);
	dtmf_bank_reset(g->bank, chan);
	ms->open = true;
	g->nopen++;
	LOGP(DMEDIA, LOGL_INFO, "chan %u: media session open", chan);
	return ms;
}

void media_session_close(struct media_session *ms)
{
	if (!ms->open)
		return;
	if (ms->rxn)
		ms->g->nready--;
	ms->rxn = 0;
	ms->fed = false;
	ms->open = false;
	media_player_stop(&ms->player);
	ms->g->nopen--;
	LOGP(DMEDIA, LOGL_INFO, "chan %u: media session closed", ms->chan);
}

static void decode(enum dtmf_law law, int16_t *out, const uint8_t *in)
{
	const int16_t *t = law == DTMF_LAW_ALAW ? alaw_dec : ulaw_dec;

	for (int i = 0; i < MEDIA_BLOCK; i++)
		out[i] = t[in[i]];
}

/* Queue a received block, with the echo of our guidance taken out when modelled. */
static void rx_store(struct media_session *ms, uint8_t *dst, const uint8_t *blk)
{
	int16_t lin[MEDIA_BLOCK];

	if (!ms->g->echo_removal || !media_echo_wants_rx(&ms->ec)) {
		memcpy(dst, blk, MEDIA_BLOCK);
		return;
	}
	decode(ms->g->law, lin, blk);
	if (!media_echo_rx(&ms->ec, lin)) {
		memcpy(dst, blk, MEDIA_BLOCK);
		return;
	}
	if (ms->g->law == DTMF_LAW_ALAW) {
		for (int i = 0; i < MEDIA_BLOCK; i++)
			dst[i] = alaw_enc[(lin[i] >> 3) + 4096];
	} else {
		for (int i = 0; i < MEDIA_BLOCK; i++)
			dst[i] = ulaw_enc[(lin[i] >> 2) + 8192];
	}
}

int media_session_rx(struct media_session *ms, const uint8_t *blk)
{
	struct media_group *g = ms->g;

	if (!ms->open)
		return -ESHUTDOWN;
	ms->st.rx_blocks++;
	if (ms->rxn == RXQ) {
		/* Re-entered from a callback during a pass: the queue is in use, drop this. */
		if (g->flushing)
			return -ENOBUFS;
		/* This channel is a block ahead of another: run the pass without it. */
		media_group_flush(g);
		if (!ms->open)
			return 0;
	}
	rx_store(ms, ms->rxq[ms->rxn], blk);
	if (ms->rxn++ == 0)
		g->nready++;
	if (g->nready == g->nopen)
		media_group_flush(g);
	return 0;
}

void media_session_tx(struct media_session *ms, uint8_t *blk)
{
	bool playing = media_player_busy(&ms->player);

	if (!ms->open) {
		memset(blk, ms->g->law == DTMF_LAW_ALAW ? 0xd5 : 0xff, MEDIA_BLOCK);
		return;
	}
	ms->st.tx_blocks++;
	if (playing)
		ms->st.play_blocks++;
	if (ms->g->echo_removal && media_echo_wants_tx(&ms->ec, playing)) {
		int16_t lin[MEDIA_BLOCK];

		media_player_tx_both(&ms->player, blk, lin);
		if (ms->open) /* prompt_done may have closed it */
			media_echo_tx(&ms->ec, lin, playing);
		return;
	}
	media_player_tx(&ms->player, blk);
}

int media_session_play(struct media_session *ms, const struct prompt_seq *seq)
{
	int rc;

	if (!ms->open)
		return -ESHUTDOWN;
	rc = media_player_play(&ms->player, seq);
	if (rc) {
		LOGP(DMEDIA, LOGL_ERROR, "chan %u: cannot play this sequence", ms->chan);
		return rc;
	}
	ms->st.plays++;
	return 0;
}

void media_session_stop(struct media_session *ms)
{
	if (!ms->open)
		return;
	if (media_player_busy(&ms->player))
		ms->st.stops++;
	media_player_stop(&ms->player);
}

bool media_session_playing(const struct media_session *ms)
{
	return ms->open && media_player_busy(&ms->player);
}

unsigned media_session_chan(const struct media_session *ms)
{
	return ms->chan;
}

void media_session_get_stats(const struct media_session *ms, struct media_session_stats *st)
{
	*st = ms->st;
	st->echo_locks = ms->ec.locks;
	st->echo_lag = ms->ec.lag;
	st->echo_gain = ms->ec.gain;
}
