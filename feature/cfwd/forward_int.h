/* feature/cfwd/forward_int.h - the forwarding feature's objects, shared by
 * feature/cfwd/forward.c (mechanics) and feature/cfwd/forward_bill.c (records). */
#ifndef CFWD_FORWARD_INT_H
#define CFWD_FORWARD_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/loop.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/decide.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/store.h"
#include "isup/facts.h"

struct call;
struct cdr_writer;

#define FWD_BILL_BATCH 128	/* records written in one transaction at most */

struct forward {
	struct loop *loop;
	struct store *store;
	struct cfwd_decide_conf conf;
	struct forward_stats st;
	uint64_t next_ref;		/* call references for billing */
	/* records of calls ended in this loop round, written together when it ends */
	struct billing_record bill[FWD_BILL_BATCH];
	unsigned n_bill;
	/* records for the writer process, handed over in one write() when the round ends */
	struct billing_record to_cdr[FWD_BILL_BATCH];
	unsigned n_cdr;
	bool bill_queued;
	bool freed;			/* forward_free() ran while a flush was queued */
	struct cdr_writer *cdr;		/* billing writer process, or NULL: in the loop */
	forward_announce_fn announce;	/* announcement treatment, or NULL: REL only */
	void *announce_user;
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

/* Queue the billing records of a finished call (SERVICE.md §7): two for an answered
 * forwarded call, none otherwise. When the current loop round ends they go to the
 * writer process in one write() with the round's other records, or (no writer, pipe
 * full) are written in one transaction (one fsync for every call that ended in the
 * round, not one per record). Store failures are logged and counted. */
void forward_bill(struct fwd_call *fc);
/* Hand over / write the queued records now (also at forward_free). */
void forward_bill_flush(struct forward *fw);

#endif
