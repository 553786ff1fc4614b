/* feature/cfwd/ivr.h - the 142 customer-control dialogue (SERVICE.md §3 and §5): one
 * table FSM per session, driven by digits, prompt-finished reports, timers and hang-up.
 * Plays guidance and ends the session through an ops struct; reads and changes the
 * subscriber's settings through the store, committing before "done" is played (on
 * the store writer's thread when there is one).
 * Does not answer or release calls, detect DTMF or render audio: the owner does. */
#ifndef CFWD_IVR_H
#define CFWD_IVR_H

#include "core/tdef.h"
#include "feature/cfwd/numbers.h"
#include "feature/cfwd/prompt_ids.h"
#include "feature/cfwd/store.h"

struct loop;
struct cfwd_ivr;

/* Timers of both dialogues (ids of cfwd_ivr_tdefs and cfwd_remote_tdefs). */
enum cfwd_ivr_timer {
	CFWD_X_INTER_DIGIT = 1, /* X1, 10 s */
	CFWD_X_FIRST_DIGIT = 2, /* X2, 10 s, from the end of the prompt */
	CFWD_X_SESSION = 3, /* X3, 180 s, whole session */
	CFWD_X_PROMPT_GUARD = 4, /* X4, 30 s, closing prompt never reported finished */
};
extern struct tdef cfwd_ivr_tdefs[]; /* override with conf_apply_timers() */

/* The audio side. play() replaces whatever is playing; neither a replaced nor a
 * stopped sequence is reported finished. end() asks the owner to release the call
 * (cause: Q.850, 16 normal); do not call the session after end(): its memory is
 * freed at the end of the current loop round. */
struct cfwd_ivr_ops {
	void (*play)(void *user, const struct prompt_seq *seq);
	void (*stop_prompt)(void *user);
	void (*end)(void *user, int cause);
};

struct store_writer;
struct cfwd_ivr_conf {
	struct store *store;	/* reads */
	/* Where changes are made (store_writer.h): the session waits in COMMITTING, keys
	 * dropped, until the commit is durable or refused. NULL: on store, inside the
	 * loop (tools and tests only: it waits on the write lock with every call). */
	struct store_writer *writer;
	const struct cfwd_refused *refused; /* SERVICE.md §5, from config */
	int max_invalid; /* invalid entries in a row, 0: 3 */
};

/* [service] invalid_key_limit = 1..9 and [timers] X1..X4 (shared with remote control's
 * table). Absent keys keep the values. 0 or -EINVAL with "file:line: ..." in err. */
struct conf;
int cfwd_ivr_conf_load(struct conf *c, struct cfwd_ivr_conf *ic, char *err, size_t errlen);

/* Start a session for the access leg's calling number: looks the subscriber up and
 * plays the menu, or "not available on this line" for a non-subscriber or an inactive
 * service. conf, ops and the store must outlive the session. NULL on ENOMEM. */
struct cfwd_ivr *cfwd_ivr_start(struct loop *l, const struct cfwd_ivr_conf *conf,
				const struct cfwd_ivr_ops *ops, void *user, const char *caller);
/* DTMF digit 0-9 * # A-D. 0, or -EPERM when the state takes no digits (closing prompt),
 * -ESHUTDOWN after the end. */
int cfwd_ivr_digit(struct cfwd_ivr *ivr, char digit);
/* The sequence of the last play() finished playing. */
int cfwd_ivr_prompt_done(struct cfwd_ivr *ivr);
/* The caller hung up: nothing more is played or changed; end() is not called. The
 * handle is invalid once the current loop round ends. */
int cfwd_ivr_hangup(struct cfwd_ivr *ivr);
/* "MENU", "CONFIRM"...: for tests and status. */
const char *cfwd_ivr_state_name(const struct cfwd_ivr *ivr);

#endif
