/* media/session.h - the audio of 142 / remote-control sessions: a media_group (one DTMF
 * bank for up to nchan timeslots, e.g. a span) and media_sessions, one per timeslot:
 * received G.711 blocks -> detector -> digit callback; each transmit block from the
 * player (guidance or silence); our guidance's echo removed when modelled (echo.h).
 * Detection runs for all channels at once, at most one block late. Knows nothing of
 * ISUP or spans: the glue feeds rx blocks and takes tx blocks. */
#ifndef MEDIA_SESSION_H
#define MEDIA_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "feature/cfwd/prompt_ids.h"
#include "media/player.h"
#include "media/prompt_set.h"
#include "tdm-dtmf/dtmf_bank.h"

/* Typical glue, in its bearer_rx callback: media_session_rx(ms, blk), then
 * media_session_tx(ms, out) and tdm_bearer_write(span, ts, out): playback is paced by
 * the span. Blocks of a group wait until every open session has one (or one has two).
 * The detector alone never takes our echoed guidance for digits; the echo removal lets
 * keys pressed over a loud echo through. No general echo canceller. */
struct media_group;
struct media_session;

struct media_session_ops {
	void (*digit)(void *user, char digit); /* 0-9 * # A-D, once per key press */
	void (*prompt_done)(void *user); /* the last play() finished */
};

/* law: DTMF_LAW_ULAW or DTMF_LAW_ALAW (the span's). ps must outlive the group.
 * NULL on ENOMEM or a bad argument. */
struct media_group *media_group_alloc(unsigned nchan, enum dtmf_law law,
				      const struct prompt_set *ps);
/* Frees the sessions too; not from inside a session callback. NULL-safe. */
void media_group_free(struct media_group *g);
unsigned media_group_open_count(const struct media_group *g);
/* Remove the echo of our guidance from received audio when its path is a whole-block
 * delay and a flat gain (media/echo.h); on by default. Detection never relies on it:
 * the detector rejects the echo by itself, this lets keys through over a loud echo. */
void media_group_set_echo_removal(struct media_group *g, bool on);
/* Run the detector now on every pending block (open sessions without one get 20 ms of
 * silence). The owner may call it at the end of its 20 ms round; not needed otherwise. */
void media_group_flush(struct media_group *g);

/* Bind channel chan (0..nchan-1; e.g. timeslot - 1): the detector channel is reset, the
 * player idle. NULL with errno EBUSY (channel taken) or EINVAL. ops and user must stay
 * valid until media_session_close(). */
struct media_session *media_session_open(struct media_group *g, unsigned chan,
					 const struct media_session_ops *ops, void *user);
/* Unbind: no callback is made after this; safe from inside a callback (the memory
 * belongs to the group). */
void media_session_close(struct media_session *ms);

/* One received 20 ms block (160 bytes in the group's law). Digit callbacks may run
 * inside, for this or other sessions of the group. -ESHUTDOWN after close; -ENOBUFS
 * (block dropped) when called from a digit callback with two blocks already queued. */
int media_session_rx(struct media_session *ms, const uint8_t *blk);
/* The next 20 ms to send (160 bytes): guidance or silence. prompt_done may run inside. */
void media_session_tx(struct media_session *ms, uint8_t *blk);

/* Play seq (replacing what plays, not reported). -EINVAL for a bad seq (nothing plays),
 * -ESHUTDOWN after close. */
int media_session_play(struct media_session *ms, const struct prompt_seq *seq);
void media_session_stop(struct media_session *ms); /* barge-in; not reported */
bool media_session_playing(const struct media_session *ms);
unsigned media_session_chan(const struct media_session *ms);

struct media_session_stats {
	uint64_t rx_blocks, tx_blocks, play_blocks, digits, plays, stops;
	unsigned long echo_locks; /* times the echo path was found */
	int echo_lag; /* its delay in blocks, -1: none modelled */
	float echo_gain;
};
void media_session_get_stats(const struct media_session *ms, struct media_session_stats *st);

#endif
