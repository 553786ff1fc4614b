/* feature/cfwd/forward_bill.c - billing records of forwarded calls, written when the call
 * ends (SERVICE.md §7): an answered forwarded call gives caller -> subscriber (billed to
 * the caller) and subscriber -> forward-to (billed to the subscriber), with the IAM,
 * answer and release times; an unanswered call or leg gives none. Calls that were not
 * diverted are plain calls to the subscriber and are not billed here. Records are
 * handed to the writer process (forward_cdr.h) when cfwdd started one, all of a loop
 * round's in one write() at its end (a write per record was 2 per call); otherwise, or
 * when its pipe is full, batched per loop round into one transaction (group commit):
 * with synchronous=FULL a commit per record would cost an fsync each. */
#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward_cdr.h"
#include "feature/cfwd/forward_int.h"

static void forward_bill_write(struct forward *fw);

/* The round's records to the writer process; what the pipe does not take is written in
 * the loop (forward_bill_write). */
static void forward_bill_pipe(struct forward *fw)
{
	int k;

	if (!fw->n_cdr)
		return;
	k = fw->cdr ? cdr_writer_put(fw->cdr, fw->to_cdr, fw->n_cdr) : 0;
	if (k < 0)
		k = 0;
	fw->st.billed += (unsigned)k;
	for (unsigned i = (unsigned)k; i < fw->n_cdr; i++) {
		if (fw->n_bill == FWD_BILL_BATCH)
			forward_bill_write(fw);
		fw->bill[fw->n_bill++] = fw->to_cdr[i];
	}
	fw->n_cdr = 0;
}

void forward_bill_flush(struct forward *fw)
{
	forward_bill_pipe(fw);
	forward_bill_write(fw);
}

static void forward_bill_write(struct forward *fw)
{
	sqlite3 *db = store_db(fw->store);
	bool tx;
	int rc;

	if (!fw->n_bill)
		return;
	tx = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
	for (unsigned i = 0; i < fw->n_bill; i++) {
		rc = store_cdr_add(fw->store, &fw->bill[i]);
		if (rc < 0) {
			fw->st.store_errors++;
			LOGP(DBILL, LOGL_ERROR, "call %s: record %s not stored (%d)",
			     fw->bill[i].call_ref, billing_leg_name(fw->bill[i].leg), rc);
			continue;
		}
		fw->st.billed++;
	}
	if (tx && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		LOGP(DBILL, LOGL_ERROR, "%u records: commit failed: %s", fw->n_bill,
		     sqlite3_errmsg(db));
		fw->st.store_errors++;
		fw->st.billed -= fw->n_bill;
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	fw->n_bill = 0;
}

static void bill_flush_cb(void *user)
{
	struct forward *fw = user;

	fw->bill_queued = false;
	if (fw->freed) {
		free(fw);	/* the store may be closed already; nothing is queued */
		return;
	}
	forward_bill_flush(fw);
}

void forward_bill(struct fwd_call *fc)
{
	struct forward *fw = fc->fw;
	struct billing_record rec[2];
	char ref[32];
	struct billing_call bc = {
		.kind = BILLING_CALL_FORWARDED,
		.call_ref = ref,
		.caller = fc->in.has_calling ? fc->in.calling.digits : "",
		.called = fc->sub.number,
		.forward_to = fc->forward_to,
		.start_s = fc->start_s,
		.answer_s = fc->answered ? fc->answer_s : 0,
		.end_s = clock_wall_s(),
	};
	int n;

	if (!fc->diverted || !fc->answered)
		return;
	snprintf(ref, sizeof(ref), "fwd-%llu-%llu", (unsigned long long)clock_wall_ms(),
		 (unsigned long long)++fw->next_ref);
	n = billing_records_for_call(&bc, rec);
	if (n < 0) {
		LOGP(DBILL, LOGL_ERROR, "call %s: inconsistent facts, no record", ref);
		return;
	}
	if (n == 2)
		rec[1].start_s = fc->onward_start_s;	/* the onward IAM */
	if ((fw->cdr ? fw->n_cdr : fw->n_bill) + (unsigned)n > FWD_BILL_BATCH)
		forward_bill_flush(fw);
	for (int i = 0; i < n; i++) {
		if (fw->cdr)
			fw->to_cdr[fw->n_cdr++] = rec[i];
		else
			fw->bill[fw->n_bill++] = rec[i];
	}
	if ((fw->n_cdr || fw->n_bill) && !fw->bill_queued) {
		if (loop_defer(fw->loop, bill_flush_cb, fw) == 0)
			fw->bill_queued = true;
		else
			forward_bill_flush(fw);
	}
	LOGP(DBILL, LOGL_INFO, "call %s: %s -> %s -> %s, %d records", ref, bc.caller,
	     bc.called, bc.forward_to, n);
}
