/* media/ivr_audio.h - a 142 dialogue (feature/cfwd/ivr.h) with its audio: binds a real
 * cfwd_ivr session to a media session, so digits detected in the received audio go to
 * cfwd_ivr_digit, play/stop_prompt drive the player, and a finished sequence is reported
 * with cfwd_ivr_prompt_done. The glue that answers a 142 IAM on a CIC owns it: it feeds
 * received blocks, sends the transmit blocks, releases the call on end() and reports a
 * hang-up. Does not answer or release calls itself. */
#ifndef MEDIA_IVR_AUDIO_H
#define MEDIA_IVR_AUDIO_H

#include <stdint.h>

#include "feature/cfwd/ivr.h"
#include "media/session.h"

struct loop;
struct media_ivr;

/* The dialogue asks for the call to be released (Q.850 cause). The dialogue is gone;
 * the owner calls media_ivr_free() (may do so from inside this callback). */
typedef void (*media_ivr_end_cb)(void *user, int cause);

/* Open channel chan of g and start the dialogue for caller (the welcome or "not
 * available" guidance starts at the next transmit block). conf must outlive it.
 * NULL with errno (EBUSY: channel taken, ENOMEM). */
struct media_ivr *media_ivr_start(struct media_group *g, unsigned chan, struct loop *l,
				  const struct cfwd_ivr_conf *conf, const char *caller,
				  media_ivr_end_cb end, void *user);
/* 20 ms of received audio (160 bytes) / the next 20 ms to send. */
int media_ivr_rx(struct media_ivr *mi, const uint8_t *blk);
void media_ivr_tx(struct media_ivr *mi, uint8_t *blk);
/* The caller hung up: the dialogue changes nothing more and end() is not called; the
 * handle is freed. */
void media_ivr_hangup(struct media_ivr *mi);
/* Free after end() (or to drop the session outright, as on hang-up). NULL-safe. */
void media_ivr_free(struct media_ivr *mi);
/* The dialogue's state name ("MENU"), or "ENDED" after end(). */
const char *media_ivr_state(const struct media_ivr *mi);
struct media_session *media_ivr_media(struct media_ivr *mi);

#endif
