/* feature/cfwd/forward_int.h - the forwarding feature's objects, shared by
 * feature/cfwd/forward.c (mechanics) and feature/cfwd/forward_bill.c (records). */
#ifndef CFWD_FORWARD_INT_H
#define CFWD_FORWARD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/loop.h"
#include "feature/cfwd/decide.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/store.h"
#include "isup/facts.h"

struct call;

struct forward {
	struct loop *loop;
	struct store *store;
	struct cfwd_decide_conf conf;
	struct forward_stats st;
	uint64_t next_ref;		/* call references for billing */
};

/* One call to a subscriber that forwarding watches (freed when the call ends). */
struct fwd_call {
	struct forward *fw;
	struct call *call;		/* set from the first observer event */
	struct call_facts in;		/* the incoming IAM's facts */
	struct cfwd_sub sub;		/* the settings read for this call */
	struct cfwd_call_facts df;	/* the decision's view of the IAM (points into in) */
	uint32_t ring_ms;		/* CFNR armed: ring timer length */
	struct timer ring;
	bool diverted, answered;
	char forward_to[CFWD_REDIR_NUM_SIZE];
	uint16_t cic;			/* incoming circuit (logs) */
	time_t start_s, onward_start_s, answer_s;	/* wall clock */
};

/* Write the billing records of a finished call (SERVICE.md §7): two for an answered
 * forwarded call, none otherwise. Store failures are logged and counted. */
void forward_bill(struct fwd_call *fc);

#endif
