/* isup/call_leg_int.h - struct call_leg, shared by isup/call_leg.c (ISUP legs, the FSM)
 * and isup/call_leg_foreign.c (foreign legs: a shell around another signalling system's
 * call, e.g. a PRI B-channel). Private to those two files; everyone else goes through
 * isup/call_leg.h. */
#ifndef ISUP_CALL_LEG_INT_H
#define ISUP_CALL_LEG_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "isup/call_leg.h"

struct fsm_inst;
struct isup_call;
struct cic;

struct call_leg {
	struct fsm_inst *fi;
	struct isup_link *lk;
	struct cic *cic;
	uint16_t cicn;
	struct isup_call *c;
	bool outgoing, in_setup, rel_retried;
	bool gone;		/* cleaned up; its memory is freed at the end of the round */
	struct call_facts facts;
	const struct call_leg_ops *ops;
	void *user;
	int cause;
	uint64_t start_us;
	const struct call_leg_backend *be;	/* foreign leg (PRI): no lk, no fi */
	void *be_priv;
	struct tdm_span *be_span;
	unsigned be_ts;
};

/* Tell the owner its leg is gone (released callback), at most once. */
void call_leg_owner_released(struct call_leg *leg, int cause);

#endif
