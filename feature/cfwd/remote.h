/* feature/cfwd/remote.h - remote control of forwarding (SERVICE.md §4): a caller on
 * a remote-control access number enters the subscriber number + #, the PIN, then 1
 * (start with the last condition), 0 (stop) or 2 + list no. (select and start). One
 * table FSM per session. Every failure (unknown number, wrong PIN, remote disabled,
 * service inactive, locked out) gets the same prompts at the same point; the lockout
 * itself is counted by the store. Does not answer, release or bill the call. */
#ifndef CFWD_REMOTE_H
#define CFWD_REMOTE_H

#include "core/tdef.h"
#include "feature/cfwd/ivr.h"
#include "feature/cfwd/store.h"

struct loop;
struct cfwd_remote;
struct pin_check;
struct store_writer;

extern struct tdef cfwd_remote_tdefs[]; /* X1..X4 as in ivr.h */

struct cfwd_remote_conf {
	struct store *store;
	int max_rejects; /* rejected number/PIN attempts per call, 0: 3 */
	int max_invalid; /* invalid entries in a row, 0: 3 */
	/* Where the slow PIN hash runs (pin_check.h). NULL: inside the loop, synchronously
	 * (tools and tests only: it stalls every call for 50-90 ms per check). */
	struct pin_check *checker;
	/* Where the PIN outcome (lockout counters) and the start/stop are written
	 * (store_writer.h): the session waits in VERIFYING / COMMITTING. NULL: on store,
	 * inside the loop (tools and tests only: it waits on the write lock). */
	struct store_writer *writer;
	int pin_threads;	/* [service] pin_check_threads 1..8, 0: 2 */
	int pin_jobs;		/* [service] pin_check_jobs 1..256 in flight, 0: 16 */
};

/* [service] invalid_key_limit = 1..9, remote_attempts_per_call = 1..9,
 * pin_check_threads, pin_check_jobs and [timers]
 * X1..X4. Absent keys keep the values. 0 or -EINVAL with "file:line: ..." in err. */
struct conf;
int cfwd_remote_conf_load(struct conf *c, struct cfwd_remote_conf *rc, char *err, size_t errlen);

/* Same audio side as the 142 dialogue (struct cfwd_ivr_ops); caller is only logged.
 * NULL on ENOMEM. conf, ops and the store must outlive the session. */
struct cfwd_remote *cfwd_remote_start(struct loop *l, const struct cfwd_remote_conf *conf,
				      const struct cfwd_ivr_ops *ops, void *user,
				      const char *caller);
int cfwd_remote_digit(struct cfwd_remote *rm, char digit); /* 0, -EPERM, -ESHUTDOWN */
int cfwd_remote_prompt_done(struct cfwd_remote *rm);
/* Nothing more is played or changed; end() is not called. The handle is invalid once
 * the current loop round ends. */
int cfwd_remote_hangup(struct cfwd_remote *rm);
const char *cfwd_remote_state_name(const struct cfwd_remote *rm);

#endif
