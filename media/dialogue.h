/* media/dialogue.h - a 142 dialogue (feature/cfwd/ivr.h) or a remote-control dialogue
 * (feature/cfwd/remote.h) bound to a media session: detected digits go to the dialogue,
 * its play/stop_prompt drive the player, finished sequences are reported back.
 * The glue that answered the IAM feeds and takes the blocks, releases the call on end()
 * and reports a hang-up. Does not answer or release calls itself. */
#ifndef MEDIA_DIALOGUE_H
#define MEDIA_DIALOGUE_H

#include <stdint.h>

#include "feature/cfwd/ivr.h"
#include "feature/cfwd/remote.h"
#include "media/session.h"

struct loop;
struct media_dlg;

/* The dialogue asks for the call to be released (Q.850 cause). The dialogue is gone;
 * the owner calls media_dlg_free() (may do so from inside this callback). */
typedef void (*media_dlg_end_cb)(void *user, int cause);

/* Open channel chan of g and start the 142 dialogue for caller (its first guidance
 * starts at the next transmit block). conf must outlive it. NULL with errno (EBUSY:
 * channel taken, EINVAL, ENOMEM). */
struct media_dlg *media_dlg_start_142(struct media_group *g, unsigned chan, struct loop *l,
				      const struct cfwd_ivr_conf *conf, const char *caller,
				      media_dlg_end_cb end, void *user);
/* Same for a call on a remote-control access number. */
struct media_dlg *media_dlg_start_remote(struct media_group *g, unsigned chan, struct loop *l,
					 const struct cfwd_remote_conf *conf, const char *caller,
					 media_dlg_end_cb end, void *user);
/* 20 ms of received audio (160 bytes) / the next 20 ms to send. */
int media_dlg_rx(struct media_dlg *d, const uint8_t *blk);
void media_dlg_tx(struct media_dlg *d, uint8_t *blk);
/* The caller hung up: the dialogue changes nothing more and end() is not called; the
 * handle is freed. */
void media_dlg_hangup(struct media_dlg *d);
/* Free after end() (or to drop the session outright). NULL-safe. */
void media_dlg_free(struct media_dlg *d);
/* The dialogue's state name ("MENU"), or "ENDED" after end(). */
const char *media_dlg_state(const struct media_dlg *d);
struct media_session *media_dlg_media(struct media_dlg *d);

#endif
