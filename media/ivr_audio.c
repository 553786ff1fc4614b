/* media/ivr_audio.c - glue between a cfwd_ivr dialogue and a media session: the
 * dialogue's ops drive the player, the session's digit and prompt-finished events drive
 * the dialogue. Each callback touches its handle only before calling into the other
 * side, because the owner may free it from inside end(). */
#include <errno.h>
#include <stdlib.h>

#include "media/ivr_audio.h"

struct media_ivr {
	struct media_session *ms;
	struct cfwd_ivr *ivr;		/* NULL once end() was called */
	media_ivr_end_cb end;
	void *user;
};

static void ivr_play(void *user, const struct prompt_seq *seq)
{
	struct media_ivr *mi = user;

	media_session_play(mi->ms, seq);
}

static void ivr_stop(void *user)
{
	struct media_ivr *mi = user;

	media_session_stop(mi->ms);
}

static void ivr_end(void *user, int cause)
{
	struct media_ivr *mi = user;

	mi->ivr = NULL;
	media_session_stop(mi->ms);
	mi->end(mi->user, cause);	/* may free mi */
}

static const struct cfwd_ivr_ops media_ivr_ops = {
	.play = ivr_play,
	.stop_prompt = ivr_stop,
	.end = ivr_end,
};

static void ms_digit(void *user, char digit)
{
	struct media_ivr *mi = user;

	if (mi->ivr)
		cfwd_ivr_digit(mi->ivr, digit);	/* -EPERM in closing prompts: ignored */
}

static void ms_prompt_done(void *user)
{
	struct media_ivr *mi = user;

	if (mi->ivr)
		cfwd_ivr_prompt_done(mi->ivr);
}

static const struct media_session_ops media_ivr_ms_ops = {
	.digit = ms_digit,
	.prompt_done = ms_prompt_done,
};

struct media_ivr *media_ivr_start(struct media_group *g, unsigned chan, struct loop *l,
				  const struct cfwd_ivr_conf *conf, const char *caller,
				  media_ivr_end_cb end, void *user)
{
	struct media_ivr *mi = calloc(1, sizeof(*mi));
	struct cfwd_ivr *ivr;

	if (!mi) {
		errno = ENOMEM;
		return NULL;
	}
	mi->end = end;
	mi->user = user;
	mi->ms = media_session_open(g, chan, &media_ivr_ms_ops, mi);
	if (!mi->ms) {
		free(mi);
		return NULL;
	}
	ivr = cfwd_ivr_start(l, conf, &media_ivr_ops, mi, caller);
	if (!ivr) {
		media_session_close(mi->ms);
		free(mi);
		errno = ENOMEM;
		return NULL;
	}
	mi->ivr = ivr;
	return mi;
}

int media_ivr_rx(struct media_ivr *mi, const uint8_t *blk)
{
	return media_session_rx(mi->ms, blk);
}

void media_ivr_tx(struct media_ivr *mi, uint8_t *blk)
{
	media_session_tx(mi->ms, blk);
}

void media_ivr_hangup(struct media_ivr *mi)
{
	if (mi->ivr)
		cfwd_ivr_hangup(mi->ivr);
	mi->ivr = NULL;
	media_ivr_free(mi);
}

void media_ivr_free(struct media_ivr *mi)
{
	if (!mi)
		return;
	media_session_close(mi->ms);
	free(mi);
}

const char *media_ivr_state(const struct media_ivr *mi)
{
	return mi->ivr ? cfwd_ivr_state_name(mi->ivr) : "ENDED";
}

struct media_session *media_ivr_media(struct media_ivr *mi)
{
	return mi->ms;
}
