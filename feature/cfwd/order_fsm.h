/* feature/cfwd/order_fsm.h - the order workflow of SERVICE.md §8 as a core/fsm table:
 * applied -> awaiting-documents -> verifying -> scheduled -> active, with
 * returned-for-reupload (back to verifying after a new upload), rejected and cancelled.
 * The state lives in the store; an instance is restored from the row, given one
 * event, and its new state persisted by order.c. No I/O here. */
#ifndef CFWD_ORDER_FSM_H
#define CFWD_ORDER_FSM_H

#include <stdint.h>

#include "core/fsm.h"

enum order_state {
	ORDER_ST_NEW,		/* not stored yet: the restore point of every instance */
	ORDER_ST_APPLIED,
	ORDER_ST_AWAITING_DOCUMENTS,
	ORDER_ST_VERIFYING,
	ORDER_ST_RETURNED,	/* returned-for-reupload, with the reasons */
	ORDER_ST_REJECTED,
	ORDER_ST_SCHEDULED,	/* work date fixed */
	ORDER_ST_ACTIVE,
	ORDER_ST_CANCELLED,
	ORDER_ST_COUNT
};

enum order_event {
	ORDER_EV_APPLY,		/* application stored */
	ORDER_EV_ACK,		/* acknowledgement mail sent */
	ORDER_EV_DOC_ADDED,	/* a document was uploaded (no state change) */
	ORDER_EV_SUBMIT,	/* upload complete: verify it */
	ORDER_EV_VERIFIED,	/* every rule passed: work date fixed */
	ORDER_EV_RETURN,	/* a document problem: upload again */
	ORDER_EV_REJECT,	/* not approved */
	ORDER_EV_RESCHEDULE,	/* another work date */
	ORDER_EV_ACTIVATE,	/* work done: service active */
	ORDER_EV_CANCEL,
	ORDER_EV_COUNT
};

extern const struct fsm order_fsm;

/* "applied", "awaiting-documents", ... as cfwdctl prints and parses them. */
const char *order_state_name(enum order_state st);
int order_state_parse(const char *s, enum order_state *out);	/* 0 or -EINVAL */
const char *order_event_name(enum order_event ev);
/* Verification ended (the document files are deleted on entering these). */
int order_state_ends_verification(enum order_state st);

/* Restore an instance in state 'from' (id names it in the log, "order=7"), dispatch
 * ev, and report the state it reached. 0, -EPERM (not allowed in 'from': logged,
 * *to = from) or -ENOMEM. The instance is freed before returning (l is only used
 * for that deferred free). */
struct loop;
int order_fsm_run(struct loop *l, const char *id, enum order_state from,
		  enum order_event ev, enum order_state *to);

#endif
