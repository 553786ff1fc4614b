/* feature/cfwd/order_fsm.c - the order workflow table (states, allowed events, allowed
 * next states) and the restore/dispatch/read-back step order.c runs inside its
 * transaction. Every event leads to one fixed state (ev_target[]), so the action is
 * the same for all states: the masks decide what is allowed. */
#include <errno.h>
#include <string.h>

#include "core/loop.h"
#include "core/util.h"
#include "feature/cfwd/order_fsm.h"

#define ST(x) S(ORDER_ST_##x)
#define EV(x) S(ORDER_EV_##x)
#define NO_CHANGE ORDER_ST_COUNT

static const enum order_state ev_target[ORDER_EV_COUNT] = {
	[ORDER_EV_APPLY] = ORDER_ST_APPLIED,
	[ORDER_EV_ACK] = ORDER_ST_AWAITING_DOCUMENTS,
	[ORDER_EV_DOC_ADDED] = NO_CHANGE,
	[ORDER_EV_SUBMIT] = ORDER_ST_VERIFYING,
	[ORDER_EV_VERIFIED] = ORDER_ST_SCHEDULED,
	[ORDER_EV_RETURN] = ORDER_ST_RETURNED,
	[ORDER_EV_REJECT] = ORDER_ST_REJECTED,
	[ORDER_EV_RESCHEDULE] = ORDER_ST_SCHEDULED,
	[ORDER_EV_ACTIVATE] = ORDER_ST_ACTIVE,
	[ORDER_EV_CANCEL] = ORDER_ST_CANCELLED,
};

static void order_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	int *rc = data;
	enum order_state to = ev_target[event];

	*rc = to == NO_CHANGE ? 0 : fsm_state_chg(fi, to);
}

/* All states except NEW may be restored from the store: NEW leads anywhere. */
#define ALL_STORED                                                                      \
	(ST(APPLIED) | ST(AWAITING_DOCUMENTS) | ST(VERIFYING) | ST(RETURNED) | ST(REJECTED) | \
	 ST(SCHEDULED) | ST(ACTIVE) | ST(CANCELLED))

static const struct fsm_state order_states[ORDER_ST_COUNT] = {
	[ORDER_ST_NEW] = {
		.name = "NEW",
		.in_event_mask = EV(APPLY),
		.out_state_mask = ALL_STORED,
		.action = order_action,
	},
	[ORDER_ST_APPLIED] = {
		.name = "APPLIED",
		.in_event_mask = EV(ACK) | EV(CANCEL),
		.out_state_mask = ST(AWAITING_DOCUMENTS) | ST(CANCELLED),
		.action = order_action,
	},
	[ORDER_ST_AWAITING_DOCUMENTS] = {
		.name = "AWAITING_DOCUMENTS",
		.in_event_mask = EV(DOC_ADDED) | EV(SUBMIT) | EV(CANCEL),
		.out_state_mask = ST(VERIFYING) | ST(CANCELLED),
		.action = order_action,
	},
	[ORDER_ST_VERIFYING] = {
		.name = "VERIFYING",
		.in_event_mask = EV(VERIFIED) | EV(RETURN) | EV(REJECT) | EV(CANCEL),
		.out_state_mask = ST(SCHEDULED) | ST(RETURNED) | ST(REJECTED) | ST(CANCELLED),
		.action = order_action,
	},
	[ORDER_ST_RETURNED] = {
		.name = "RETURNED",
		.in_event_mask = EV(DOC_ADDED) | EV(SUBMIT) | EV(CANCEL),
		.out_state_mask = ST(VERIFYING) | ST(CANCELLED),
		.action = order_action,
	},
	[ORDER_ST_REJECTED] = {
		.name = "REJECTED",
	},
	[ORDER_ST_SCHEDULED] = {
		.name = "SCHEDULED",
		.in_event_mask = EV(RESCHEDULE) | EV(ACTIVATE) | EV(CANCEL),
		.out_state_mask = ST(SCHEDULED) | ST(ACTIVE) | ST(CANCELLED),
		.action = order_action,
	},
	[ORDER_ST_ACTIVE] = {
		.name = "ACTIVE",
	},
	[ORDER_ST_CANCELLED] = {
		.name = "CANCELLED",
	},
};

static const char *const order_event_names[ORDER_EV_COUNT] = {
	[ORDER_EV_APPLY] = "apply",
	[ORDER_EV_ACK] = "ack",
	[ORDER_EV_DOC_ADDED] = "doc-added",
	[ORDER_EV_SUBMIT] = "submit",
	[ORDER_EV_VERIFIED] = "verified",
	[ORDER_EV_RETURN] = "return",
	[ORDER_EV_REJECT] = "reject",
	[ORDER_EV_RESCHEDULE] = "reschedule",
	[ORDER_EV_ACTIVATE] = "activate",
	[ORDER_EV_CANCEL] = "cancel",
};

const struct fsm order_fsm = {
	.name = "order",
	.states = order_states,
	.num_states = ORDER_ST_COUNT,
	.event_names = order_event_names,
	.num_events = ORDER_EV_COUNT,
	.log_subsys = DORDER,
};

static const struct value_string state_names[] = {
	{ ORDER_ST_NEW, "new" },
	{ ORDER_ST_APPLIED, "applied" },
	{ ORDER_ST_AWAITING_DOCUMENTS, "awaiting-documents" },
	{ ORDER_ST_VERIFYING, "verifying" },
	{ ORDER_ST_RETURNED, "returned-for-reupload" },
	{ ORDER_ST_REJECTED, "rejected" },
	{ ORDER_ST_SCHEDULED, "scheduled" },
	{ ORDER_ST_ACTIVE, "active" },
	{ ORDER_ST_CANCELLED, "cancelled" },
	{ 0, NULL }
};

const char *order_state_name(enum order_state st)
{
	return get_value_string(state_names, (int)st);
}

int order_state_parse(const char *s, enum order_state *out)
{
	int v;

	if (get_string_value(state_names, s, &v) || v == ORDER_ST_NEW)
		return -EINVAL;
	*out = (enum order_state)v;
	return 0;
}

const char *order_event_name(enum order_event ev)
{
	return ev < ORDER_EV_COUNT ? order_event_names[ev] : "unknown";
}

int order_state_ends_verification(enum order_state st)
{
	return st == ORDER_ST_SCHEDULED || st == ORDER_ST_RETURNED || st == ORDER_ST_REJECTED ||
	       st == ORDER_ST_CANCELLED;
}

int order_fsm_run(struct loop *l, const char *id, enum order_state from,
		  enum order_event ev, enum order_state *to)
{
	struct fsm_inst *fi;
	int rc = 0;

	if (from >= ORDER_ST_COUNT || ev >= ORDER_EV_COUNT)
		return -EINVAL;
	fi = fsm_inst_alloc(&order_fsm, l, NULL, id);
	if (!fi)
		return -ENOMEM;
	if (from != ORDER_ST_NEW)
		rc = fsm_state_chg(fi, from);	/* restore from the row */
	if (!rc) {
		int ret = fsm_inst_dispatch(fi, ev, &rc);

		if (ret)
			rc = ret;
	}
	*to = (enum order_state)fsm_inst_state(fi);
	fsm_inst_term(fi);
	loop_run_once(l, 0);	/* runs the deferred free */
	return rc;
}
