/* feature/cfwd/forward_bill.c - billing records of forwarded calls, written when the call
 * ends (SERVICE.md §7): an answered forwarded call gives caller -> subscriber (billed to
 * the caller) and subscriber -> forward-to (billed to the subscriber), with the IAM,
 * answer and release times; an unanswered call or leg gives none. Calls that were not
 * diverted are plain calls to the subscriber and are not billed here. */
#include <stdio.h>

#include "core/clock.h"
#include "core/log.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward_int.h"

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
	int n, rc;

	if (!fc->diverted || !fc->answered)
		return;
	snprintf(ref, sizeof(ref), "fwd-%llu-%llu", (unsigned long long)clock_wall_ms(),
		 (unsigned long long)++fw->next_ref);
	n = billing_records_for_call(&bc, rec);
	if (n < 0) {
		LOGP(DBILL, LOGL_ERROR, "call %s: inconsistent facts, no record", ref);
		return;
	}
	for (int i = 0; i < n; i++) {
		rc = store_cdr_add(fw->store, &rec[i]);
		if (rc < 0) {
			fw->st.store_errors++;
			LOGP(DBILL, LOGL_ERROR, "call %s: record %s not stored (%d)", ref,
			     billing_leg_name(rec[i].leg), rc);
			continue;
		}
		fw->st.billed++;
	}
	LOGP(DBILL, LOGL_INFO, "call %s: %s -> %s -> %s, %d records", ref, bc.caller,
	     bc.called, bc.forward_to, n);
}
