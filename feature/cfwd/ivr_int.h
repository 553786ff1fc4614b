/* feature/cfwd/ivr_int.h - internals shared by ivr.c (the FSM table, session life,
 * timers) and ivr_menu.c (what each key does in each state). Not for other modules. */
#ifndef CFWD_IVR_INT_H
#define CFWD_IVR_INT_H

#include <stdbool.h>

#include "core/fsm.h"
#include "core/loop.h"
#include "feature/cfwd/ivr.h"

enum ivr_state {
	IVR_ST_INIT,
	IVR_ST_REFUSE, /* "not available on this line", then end */
	IVR_ST_MENU,
	IVR_ST_CONDITION, /* after 1: 1..4 */
	IVR_ST_NUMBER, /* digits + # */
	IVR_ST_CONFIRM, /* readback: 1 commit, 2 re-enter */
	IVR_ST_RING_TIME, /* after 3: 2 digits + # */
	IVR_ST_LIST_MENU, /* after 4: 0 register, 1 select, 3 remote */
	IVR_ST_LIST_NO, /* list number for register / select */
	IVR_ST_REMOTE_MENU, /* after 4 3: 1 enable + PIN, 0 disable */
	IVR_ST_PIN, /* 4 digits */
	IVR_ST_CHECK_MENU, /* after 8: 0 list, 2 remote setting */
	IVR_ST_DONE, /* 0 back to the menu, anything else ends */
	IVR_ST_GOODBYE, /* closing prompt, then end */
	IVR_ST_COMMITTING, /* a change is being made by the store writer; keys dropped */
};

enum ivr_event {
	IVR_EV_START,
	IVR_EV_DIGIT, /* data: const char * */
	IVR_EV_PROMPT_DONE,
	IVR_EV_HANGUP,
	IVR_EV_SESSION_LIMIT,
	IVR_EV_COMMITTED, /* data: const int * (0 or -errno) */
};

enum ivr_op {
	IVR_OP_FORWARD_TO, /* 2 + number + # */
	IVR_OP_LIST_REGISTER, /* 4 0 + n + number + # */
	IVR_OP_LIST_SELECT, /* 4 1 + n */
};

struct cfwd_ivr {
	struct fsm_inst *fi;
	struct loop *loop;
	const struct cfwd_ivr_conf *conf;
	const struct cfwd_ivr_ops *ops;
	void *user;
	char caller[CFWD_NUM_SIZE];
	struct timer session; /* X3 */
	struct prompt_seq seq; /* prefix of the next play (error, done...) */
	bool playing;
	char buf[CFWD_NUM_SIZE + 1]; /* digits of the current entry */
	size_t len;
	int invalid; /* invalid entries in a row */
	enum ivr_op op;
	int entry; /* list entry of the operation */
	char number[CFWD_NUM_SIZE]; /* awaiting confirmation */
	struct store_write *job; /* while COMMITTING */
	const char *what; /* the change being committed (a static string) */
	int enxio_prompt; /* its prompt for -ENXIO, -1: "try later" */
};

/* ivr.c */
void ivr_go(struct cfwd_ivr *ivr, enum ivr_state st);
void ivr_play(struct cfwd_ivr *ivr);
void ivr_end(struct cfwd_ivr *ivr, int cause);
void ivr_arm(struct cfwd_ivr *ivr, int timer_id);

/* ivr_menu.c: outcomes */
void ivr_invalid(struct cfwd_ivr *ivr);
void ivr_cancel(struct cfwd_ivr *ivr);
void ivr_fail(struct cfwd_ivr *ivr, enum prompt_id prompt);
void ivr_done(struct cfwd_ivr *ivr);
void ivr_store_failed(struct cfwd_ivr *ivr, const char *what, int rc);
/* The result of the change made in COMMITTING: done, its -ENXIO prompt, or try later. */
void ivr_commit_result(struct cfwd_ivr *ivr, const char *what, int rc, int enxio_prompt);
void ivr_drop_job(struct cfwd_ivr *ivr);
/* ivr_menu.c: the key handlers, one per input state */
void ivr_key_menu(struct cfwd_ivr *ivr, char d);
void ivr_key_condition(struct cfwd_ivr *ivr, char d);
void ivr_key_number(struct cfwd_ivr *ivr, char d);
void ivr_key_confirm(struct cfwd_ivr *ivr, char d);
void ivr_key_ring_time(struct cfwd_ivr *ivr, char d);
void ivr_key_list_menu(struct cfwd_ivr *ivr, char d);
void ivr_key_list_no(struct cfwd_ivr *ivr, char d);
void ivr_key_remote_menu(struct cfwd_ivr *ivr, char d);
void ivr_key_pin(struct cfwd_ivr *ivr, char d);
void ivr_key_check_menu(struct cfwd_ivr *ivr, char d);
void ivr_key_done(struct cfwd_ivr *ivr, char d);

#endif
