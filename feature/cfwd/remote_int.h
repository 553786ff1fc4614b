/* feature/cfwd/remote_int.h - internals shared by remote.c (the FSM table, session life,
 * timers, keys) and remote_store.c (the PIN check and the changes through the store, on
 * the PIN workers and the store writer). Not for other modules. */
#ifndef CFWD_REMOTE_INT_H
#define CFWD_REMOTE_INT_H

#include <stdbool.h>

#include "core/fsm.h"
#include "core/loop.h"
#include "feature/cfwd/remote.h"

enum rm_state {
	RM_ST_INIT, RM_ST_NUMBER, RM_ST_PIN, RM_ST_VERIFYING, RM_ST_COMMAND, RM_ST_LIST_NO,
	RM_ST_GOODBYE, RM_ST_COMMITTING
};
enum rm_event {
	RM_EV_START, RM_EV_DIGIT, RM_EV_PROMPT_DONE, RM_EV_HANGUP, RM_EV_SESSION_LIMIT,
	RM_EV_VERIFIED, RM_EV_SETTLED, RM_EV_COMMITTED
};

/* The PIN outcome as made by the store writer. */
struct rm_settle {
	char num[CFWD_NUM_SIZE];
	struct store_pin_ticket t;
	bool verified;
	enum store_pin_result res;	/* output */
};

/* A start or stop as made by the store writer. */
struct rm_change {
	char num[CFWD_NUM_SIZE];
	bool stop;
	int entry;	/* start: list entry to select first, -1 none */
};

struct rm_outcome {
	int rc;
	enum store_pin_result res;
};

struct cfwd_remote {
	struct fsm_inst *fi;
	struct loop *loop;
	const struct cfwd_remote_conf *conf;
	const struct cfwd_ivr_ops *ops;
	void *user;
	char caller[CFWD_NUM_SIZE];
	struct timer session;
	struct prompt_seq seq;
	bool playing;
	char num[CFWD_NUM_SIZE];
	size_t num_len;
	bool num_overflow;
	char pin[8];
	size_t pin_len;
	int rejects, invalid;
	struct store_pin_ticket ticket;
	struct pin_check_job *job;	/* while VERIFYING on the workers */
	struct store_write *sjob;	/* while VERIFYING / COMMITTING on the store writer */
	struct rm_change cmd;		/* the change of COMMITTING */
};

static inline int rm_limit(int v)
{
	return v > 0 ? v : 3;
}

/* remote.c */
void rm_go(struct cfwd_remote *rm, enum rm_state st);
void rm_say(struct cfwd_remote *rm, enum prompt_id p);

/* remote_store.c */
/* Number and PIN are in: check them (VERIFYING until the verdict). */
void rm_check(struct cfwd_remote *rm);
/* Start (entry >= 0: select it first) or stop (COMMITTING until it is durable). */
void rm_change(struct cfwd_remote *rm, bool stop, int entry);
void rm_verifying_action(struct fsm_inst *fi, uint32_t event, void *data);
void rm_committing_action(struct fsm_inst *fi, uint32_t event, void *data);
/* Whatever runs for the session on the workers or the writer: its result is dropped. */
void rm_drop_job(struct cfwd_remote *rm);

#endif
