/* pri/pri_leg.c - the Q.931 call leg FSM (Q.931 5.1-5.3 states, user or network side
 * alike: libpri does the side-specific procedures). Requests from the owner call libpri
 * and move the FSM; libpri events (pri_trunk_event.c) move it and reach the owner. A
 * leg ends when either side clears: after our pri_hangup() libpri finishes the clearing
 * (RELEASE/RELEASE COMPLETE, T305/T308) on its own and its late events for the call
 * are ignored, so the leg and its B-channel are free at once (as chan_dahdi does). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsm.h"
#include "core/log.h"
#include "drivers/tdm.h"
#include "pri/pri_facts.h"
#include "pri/pri_int.h"

enum leg_state {
	ST_NULL,		/* allocated */
	ST_CALL_INITIATED,	/* out: SETUP sent */
	ST_OUT_PROCEEDING,	/* out: CALL PROCEEDING received */
	ST_CALL_DELIVERED,	/* out: ALERTING received */
	ST_CALL_PRESENT,	/* in: SETUP received */
	ST_IN_PROCEEDING,	/* in: CALL PROCEEDING sent */
	ST_CALL_RECEIVED,	/* in: ALERTING sent */
	ST_ACTIVE,		/* CONNECT sent or received */
	ST_RELEASED,
};

enum leg_event {
	EV_SETUP_TX, EV_SETUP_RX, EV_PROCEEDING_RX, EV_ALERTING_RX, EV_PROGRESS_RX,
	EV_CONNECT_RX, EV_PROCEEDING_TX, EV_ALERTING_TX, EV_CONNECT_TX, EV_CLEAR,
};

static const char *const leg_event_names[] = {
	[EV_SETUP_TX] = "SETUP_TX", [EV_SETUP_RX] = "SETUP_RX",
	[EV_PROCEEDING_RX] = "PROCEEDING_RX", [EV_ALERTING_RX] = "ALERTING_RX",
	[EV_PROGRESS_RX] = "PROGRESS_RX", [EV_CONNECT_RX] = "CONNECT_RX",
	[EV_PROCEEDING_TX] = "PROCEEDING_TX", [EV_ALERTING_TX] = "ALERTING_TX",
	[EV_CONNECT_TX] = "CONNECT_TX", [EV_CLEAR] = "CLEAR",
};

/* Moves that need no extra work: the event names the next state. */
static void leg_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	static const uint32_t next[] = {
		[EV_SETUP_TX] = ST_CALL_INITIATED, [EV_SETUP_RX] = ST_CALL_PRESENT,
		[EV_PROCEEDING_RX] = ST_OUT_PROCEEDING, [EV_ALERTING_RX] = ST_CALL_DELIVERED,
		[EV_CONNECT_RX] = ST_ACTIVE, [EV_PROCEEDING_TX] = ST_IN_PROCEEDING,
		[EV_ALERTING_TX] = ST_CALL_RECEIVED, [EV_CONNECT_TX] = ST_ACTIVE,
	};

	if (event == EV_PROGRESS_RX)
		return;
	fsm_state_chg(fi, next[event]);
}

static void leg_allstate(struct fsm_inst *fi, uint32_t event, void *data)
{
	fsm_state_chg(fi, ST_RELEASED);
	fsm_inst_term(fi);
}

static void leg_cleanup(struct fsm_inst *fi)
{
	struct pri_leg *leg = fsm_inst_priv(fi);

	pri_trunk_leg_unlink(leg->t, leg);
	free(leg);
}

#define OUT_RX (S(EV_PROCEEDING_RX) | S(EV_ALERTING_RX) | S(EV_PROGRESS_RX) | S(EV_CONNECT_RX))
#define IN_TX (S(EV_PROCEEDING_TX) | S(EV_ALERTING_TX) | S(EV_CONNECT_TX))

static const struct fsm_state leg_states[] = {
	[ST_NULL] = {
		.name = "NULL",
		.in_event_mask = S(EV_SETUP_TX) | S(EV_SETUP_RX),
		.out_state_mask = S(ST_CALL_INITIATED) | S(ST_CALL_PRESENT) | S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_CALL_INITIATED] = {
		.name = "CALL_INITIATED",
		.in_event_mask = OUT_RX,
		.out_state_mask = S(ST_OUT_PROCEEDING) | S(ST_CALL_DELIVERED) | S(ST_ACTIVE) |
				  S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_OUT_PROCEEDING] = {
		.name = "OUT_PROCEEDING",
		.in_event_mask = OUT_RX,
		.out_state_mask = S(ST_OUT_PROCEEDING) | S(ST_CALL_DELIVERED) | S(ST_ACTIVE) |
				  S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_CALL_DELIVERED] = {
		.name = "CALL_DELIVERED",
		.in_event_mask = S(EV_PROGRESS_RX) | S(EV_CONNECT_RX),
		.out_state_mask = S(ST_ACTIVE) | S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_CALL_PRESENT] = {
		.name = "CALL_PRESENT",
		.in_event_mask = IN_TX,
		.out_state_mask = S(ST_IN_PROCEEDING) | S(ST_CALL_RECEIVED) | S(ST_ACTIVE) |
				  S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_IN_PROCEEDING] = {
		.name = "IN_PROCEEDING",
		.in_event_mask = S(EV_ALERTING_TX) | S(EV_CONNECT_TX),
		.out_state_mask = S(ST_CALL_RECEIVED) | S(ST_ACTIVE) | S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_CALL_RECEIVED] = {
		.name = "CALL_RECEIVED",
		.in_event_mask = S(EV_CONNECT_TX),
		.out_state_mask = S(ST_ACTIVE) | S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_ACTIVE] = {
		.name = "ACTIVE",
		.in_event_mask = S(EV_PROGRESS_RX),
		.out_state_mask = S(ST_RELEASED),
		.action = leg_action,
	},
	[ST_RELEASED] = {
		.name = "RELEASED",
	},
};

static const struct fsm pri_leg_fsm = {
	.name = "pri_leg",
	.states = leg_states,
	.num_states = sizeof(leg_states) / sizeof(leg_states[0]),
	.event_names = leg_event_names,
	.num_events = sizeof(leg_event_names) / sizeof(leg_event_names[0]),
	.log_subsys = DPRI,
	.allstate_event_mask = S(EV_CLEAR),
	.allstate_action = leg_allstate,
	.cleanup = leg_cleanup,
};

static struct pri_leg *leg_alloc(struct pri_trunk *t, unsigned chan, bool outgoing)
{
	struct pri_leg *leg = calloc(1, sizeof(*leg));
	char id[48];

	if (!leg)
		return NULL;
	snprintf(id, sizeof(id), "%s/b%u", t->cfg.name, chan);
	leg->fi = fsm_inst_alloc(&pri_leg_fsm, t->loop, leg, id);
	if (!leg->fi) {
		free(leg);
		return NULL;
	}
	leg->t = t;
	leg->chan = chan;
	leg->outgoing = outgoing;
	pri_trunk_leg_link(t, leg);
	return leg;
}

/* SETUP: B-channel exclusive, speech in the span's law, the called number complete. */
static int leg_send_setup(struct pri_leg *leg, const struct call_facts *held)
{
	struct pri_trunk *t = leg->t;
	struct call_facts wire, *f = &wire;
	struct pri_sr *sr = pri_sr_new();
	struct pri_party_id caller;
	struct pri_party_redirecting redir;
	char called[CALL_NUM_SIZE];
	int res;

	if (!sr)
		return -ENOMEM;
	call_facts_to_wire(&wire, held, &t->cfg.numfmt);
	strcpy(called, f->called.digits);
	pri_sr_set_channel(sr, (int)leg->chan, 1, 0);
	pri_sr_set_bearer(sr, pri_facts_cap_from_tmr(f->tmr),
			  tdm_span_law(t->span) == TDM_LAW_ALAW ? PRI_LAYER_1_ALAW
								: PRI_LAYER_1_ULAW);
	pri_sr_set_called(sr, called, pri_facts_plan_from_nai(f->called.nai ? f->called.nai : 3),
			  1);
	pri_facts_caller_out(&caller, f);
	if (caller.number.valid)
		pri_sr_set_caller_party(sr, &caller);
	if (pri_facts_redirecting_out(&redir, f))
		pri_sr_set_redirecting_parties(sr, &redir);
	res = pri_setup(t->pri, leg->call, sr);
	pri_sr_free(sr);
	return res ? -EIO : 0;
}

struct pri_leg *pri_leg_setup(struct pri_trunk *t, const struct call_facts *f,
			      const struct pri_leg_ops *ops, void *user, int *cause)
{
	struct pri_leg *leg;
	unsigned chan;

	if (!t->up) {
		*cause = 38;	/* network out of order */
		return NULL;
	}
	chan = pri_trunk_pick_chan(t);
	if (!chan || !(leg = leg_alloc(t, chan, true))) {
		*cause = 34;	/* no circuit/channel available */
		return NULL;
	}
	leg->facts = *f;
	leg->ops = ops;
	leg->user = user;
	leg->call = pri_new_call(t->pri);
	if (!leg->call || leg_send_setup(leg, f) < 0) {
		if (leg->call)
			pri_destroycall(t->pri, leg->call);
		leg->call = NULL;
		fsm_inst_dispatch(leg->fi, EV_CLEAR, NULL);
		*cause = 41;	/* temporary failure */
		return NULL;
	}
	t->st.calls_out++;
	fsm_inst_dispatch(leg->fi, EV_SETUP_TX, NULL);
	LOGPFSM(leg->fi, LOGL_INFO, "SETUP %s -> %s", f->calling.digits, f->called.digits);
	pri_trunk_sched_arm(t);
	return leg;
}

struct pri_leg *pri_leg_incoming(struct pri_trunk *t, const pri_event_ring *r, unsigned chan)
{
	struct pri_leg *leg = leg_alloc(t, chan, false);

	if (!leg)
		return NULL;
	leg->call = r->call;
	pri_facts_from_ring(&leg->facts, r, pri_facts_find_redirecting(r->subcmds));
	call_facts_from_wire(&leg->facts, &t->cfg.numfmt);
	t->st.calls_in++;
	fsm_inst_dispatch(leg->fi, EV_SETUP_RX, NULL);
	LOGPFSM(leg->fi, LOGL_INFO, "SETUP %s -> %s", leg->facts.calling.digits,
		leg->facts.called.digits);
	return leg;
}

void pri_leg_set_owner(struct pri_leg *leg, const struct pri_leg_ops *ops, void *user)
{
	leg->ops = ops;
	leg->user = user;
}

static int leg_request(struct pri_leg *leg, uint32_t event, int res)
{
	if (res)
		return -EIO;
	pri_trunk_sched_arm(leg->t);
	return fsm_inst_dispatch(leg->fi, event, NULL);
}

int pri_leg_proceeding(struct pri_leg *leg)
{
	if (!(S(fsm_inst_state(leg->fi)) & S(ST_CALL_PRESENT)))
		return -EPERM;
	return leg_request(leg, EV_PROCEEDING_TX,
			   pri_proceeding(leg->t->pri, leg->call, (int)leg->chan, 0));
}

int pri_leg_alert(struct pri_leg *leg)
{
	if (!(S(fsm_inst_state(leg->fi)) & (S(ST_CALL_PRESENT) | S(ST_IN_PROCEEDING))))
		return -EPERM;
	/* info 1: in-band information (ringback) is available on the B-channel */
	return leg_request(leg, EV_ALERTING_TX,
			   pri_acknowledge(leg->t->pri, leg->call, (int)leg->chan, 1));
}

int pri_leg_answer(struct pri_leg *leg)
{
	if (!(S(fsm_inst_state(leg->fi)) &
	      (S(ST_CALL_PRESENT) | S(ST_IN_PROCEEDING) | S(ST_CALL_RECEIVED))))
		return -EPERM;
	return leg_request(leg, EV_CONNECT_TX,
			   pri_answer(leg->t->pri, leg->call, (int)leg->chan, 0));
}

int pri_leg_progress(struct pri_leg *leg)
{
	uint32_t st = fsm_inst_state(leg->fi);

	if (!(S(st) & (S(ST_IN_PROCEEDING) | S(ST_CALL_RECEIVED))))
		return -EPERM;
	if (pri_progress(leg->t->pri, leg->call, (int)leg->chan, 1))
		return -EIO;
	pri_trunk_sched_arm(leg->t);
	return 0;
}

/* Hand the call back to libpri for clearing and end the leg. */
static void leg_end(struct pri_leg *leg, int cause, bool hangup)
{
	struct pri_trunk *t = leg->t;

	if (leg->call && hangup)
		pri_hangup(t->pri, leg->call, pri_facts_cause(cause));
	leg->call = NULL;
	leg->ops = NULL;
	fsm_inst_dispatch(leg->fi, EV_CLEAR, NULL);
	pri_trunk_sched_arm(t);
}

/* Causes libpri clears with RELEASE COMPLETE while nothing was answered to the SETUP
 * (Q.931 5.3.2 a, with hangup_fix on). */
static bool cause_gives_release_complete(int cause)
{
	return cause == 1 || cause == 34 || cause == 44 || cause == 81 || cause == 82 ||
	       cause == 88;
}

void pri_leg_release(struct pri_leg *leg, int cause)
{
	int q850;

	if (!leg || fsm_inst_terminated(leg->fi))
		return;
	q850 = pri_facts_cause(cause);
	LOGPFSM(leg->fi, LOGL_INFO, "clearing, cause %d", q850);
	/* (the trunk answers every SETUP with CALL PROCEEDING: in CALL_PRESENT libpri would
	 * send nothing for a DISCONNECT, the call not being "alive" yet) */
	if (fsm_inst_state(leg->fi) == ST_CALL_PRESENT && !cause_gives_release_complete(q850))
		pri_proceeding(leg->t->pri, leg->call, (int)leg->chan, 0);
	leg_end(leg, q850, true);
}

static void leg_tell_released(struct pri_leg *leg, int cause)
{
	const struct pri_leg_ops *ops = leg->ops;

	leg->ops = NULL;
	if (ops && ops->released)
		ops->released(leg->user, leg, cause);
}

void pri_leg_rx_clear(struct pri_leg *leg, int cause, bool libpri_freed)
{
	if (fsm_inst_terminated(leg->fi))
		return;
	LOGPFSM(leg->fi, LOGL_INFO, "cleared by the far end, cause %d", cause);
	if (libpri_freed)
		leg->call = NULL;
	leg_tell_released(leg, pri_facts_cause(cause));
	leg_end(leg, cause, true);
}

void pri_leg_drop(struct pri_leg *leg, int cause)
{
	if (fsm_inst_terminated(leg->fi))
		return;
	LOGPFSM(leg->fi, LOGL_NOTICE, "dropped, cause %d", cause);
	if (leg->call)
		pri_destroycall(leg->t->pri, leg->call);
	leg->call = NULL;
	leg_tell_released(leg, cause);
	leg_end(leg, cause, false);
}

void pri_leg_rx(struct pri_leg *leg, enum pri_leg_rx what, int arg)
{
	static const uint32_t ev[] = {
		[PRI_LEG_RX_PROCEEDING] = EV_PROCEEDING_RX, [PRI_LEG_RX_ALERTING] = EV_ALERTING_RX,
		[PRI_LEG_RX_PROGRESS] = EV_PROGRESS_RX, [PRI_LEG_RX_CONNECT] = EV_CONNECT_RX,
	};

	if (fsm_inst_terminated(leg->fi) || fsm_inst_dispatch(leg->fi, ev[what], NULL) < 0)
		return;
	if (!leg->ops)
		return;
	if (what == PRI_LEG_RX_ALERTING && leg->ops->alerting)
		leg->ops->alerting(leg->user, leg);
	else if (what == PRI_LEG_RX_PROGRESS && leg->ops->progress)
		leg->ops->progress(leg->user, leg, arg);
	else if (what == PRI_LEG_RX_CONNECT && leg->ops->answered)
		leg->ops->answered(leg->user, leg);
}

const struct call_facts *pri_leg_facts(const struct pri_leg *leg)
{
	return &leg->facts;
}

struct pri_trunk *pri_leg_trunk(const struct pri_leg *leg)
{
	return leg->t;
}

unsigned pri_leg_channel(const struct pri_leg *leg)
{
	return leg->chan;
}

bool pri_leg_is_outgoing(const struct pri_leg *leg)
{
	return leg->outgoing;
}

const char *pri_leg_state_name(const struct pri_leg *leg)
{
	return fsm_inst_state_name(leg->fi);
}
