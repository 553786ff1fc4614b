/* media/dialogue.c - glue between a cfwd dialogue (142 or remote control) and a media
 * session: the dialogue's ops drive the player, the session's digit and
 * prompt-finished events drive the dialogue. Each callback touches its handle only
 * before calling into the other side, because the owner may free it inside end(). */
#include <errno.h>
#include <stdlib.h>

#include "media/dialogue.h"

enum dlg_kind { DLG_142, DLG_REMOTE };

struct media_dlg {
	enum dlg_kind kind;
	struct media_session *ms;
	void *dlg; /* cfwd_ivr or cfwd_remote; NULL after end() */
	media_dlg_end_cb end;
	void *user;
};

static void dlg_play(void *user, const struct prompt_seq *seq)
{
	struct media_dlg *d = user;

	media_session_play(d->ms, seq);
}

static void dlg_stop(void *user)
{
	struct media_dlg *d = user;

	media_session_stop(d->ms);
}

static void dlg_end(void *user, int cause)
{
	struct media_dlg *d = user;

	d->dlg = NULL;
	media_session_stop(d->ms);
	d->end(d->user, cause); /* may free d */
}

static const struct cfwd_ivr_ops dlg_ops = {
	.play = dlg_play,
	.stop_prompt = dlg_stop,
	.end = dlg_end,
};

static void ms_digit(void *user, char digit)
{
	struct media_dlg *d = user;

	if (!d->dlg)
		return;
	/* -EPERM during closing prompts: the key is ignored */
	if (d->kind == DLG_142)
		cfwd_ivr_digit(d->dlg, digit);
	else
		cfwd_remote_digit(d->dlg, digit);
}

static void ms_prompt_done(void *user)
{
	struct media_dlg *d = user;

	if (!d->dlg)
		return;
	if (d->kind == DLG_142)
		cfwd_ivr_prompt_done(d->dlg);
	else
		cfwd_remote_prompt_done(d->dlg);
}

static const struct media_session_ops dlg_ms_ops = {
	.digit = ms_digit,
	.prompt_done = ms_prompt_done,
};

static struct media_dlg *dlg_open(struct media_group *g, unsigned chan, enum dlg_kind kind,
				  media_dlg_end_cb end, void *user)
{
	struct media_dlg *d;

	if (!end) {
		errno = EINVAL;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		errno = ENOMEM;
		return NULL;
	}
	d->kind = kind;
	d->end = end;
	d->user = user;
	d->ms = media_session_open(g, chan, &dlg_ms_ops, d);
	if (!d->ms) {
		free(d);
		return NULL;
	}
	return d;
}

static struct media_dlg *dlg_started(struct media_dlg *d, void *dlg)
{
	if (!dlg) {
		media_session_close(d->ms);
		free(d);
		errno = ENOMEM;
		return NULL;
	}
	d->dlg = dlg;
	return d;
}

struct media_dlg *media_dlg_start_142(struct media_group *g, unsigned chan, struct loop *l,
				      const struct cfwd_ivr_conf *conf, const char *caller,
				      media_dlg_end_cb end, void *user)
{
	struct media_dlg *d = dlg_open(g, chan, DLG_142, end, user);

	if (!d)
		return NULL;
	return dlg_started(d, cfwd_ivr_start(l, conf, &dlg_ops, d, caller));
}

struct media_dlg *media_dlg_start_remote(struct media_group *g, unsigned chan, struct loop *l,
					 const struct cfwd_remote_conf *conf, const char *caller,
					 media_dlg_end_cb end, void *user)
{
	struct media_dlg *d = dlg_open(g, chan, DLG_REMOTE, end, user);

	if (!d)
		return NULL;
	return dlg_started(d, cfwd_remote_start(l, conf, &dlg_ops, d, caller));
}

int media_dlg_rx(struct media_dlg *d, const uint8_t *blk)
{
	return media_session_rx(d->ms, blk);
}

void media_dlg_tx(struct media_dlg *d, uint8_t *blk)
{
	media_session_tx(d->ms, blk);
}

void media_dlg_hangup(struct media_dlg *d)
{
	if (d->dlg) {
		if (d->kind == DLG_142)
			cfwd_ivr_hangup(d->dlg);
		else
			cfwd_remote_hangup(d->dlg);
	}
	d->dlg = NULL;
	media_dlg_free(d);
}

void media_dlg_free(struct media_dlg *d)
{
	if (!d)
		return;
	media_session_close(d->ms);
	free(d);
}

const char *media_dlg_state(const struct media_dlg *d)
{
	if (!d->dlg)
		return "ENDED";
	return d->kind == DLG_142 ? cfwd_ivr_state_name(d->dlg) : cfwd_remote_state_name(d->dlg);
}

struct media_session *media_dlg_media(struct media_dlg *d)
{
	return d->ms;
}
