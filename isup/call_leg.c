/* isup/call_leg.c - one ISUP call leg per CIC as a table FSM (core/fsm.h). States follow
 * Q.764 basic call: NULL -> OUT_SETUP (IAM sent, T7) or IN_SETUP (IAM received) ->
 * ALERTING (ACM; T9 on outgoing legs) -> ANSWERED -> RELEASING (REL sent, T1) ->
 * RELEASED. The libss7 call struct is freed on every path to RELEASED, or forgotten when
 * libss7 already dropped it. Owner callbacks run at most once per kind of event. */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/fsm.h"
#include "core/log.h"
#include "core/util.h"
#include "isup/call_leg_int.h"
#include "isup/link_int.h"

enum leg_state {
	LEG_ST_NULL,
	LEG_ST_OUT_SETUP,
	LEG_ST_IN_SETUP,
	LEG_ST_ALERTING,
	LEG_ST_ANSWERED,
	LEG_ST_RELEASING,
	LEG_ST_RELEASED,
};

enum leg_timer { LEG_T1 = 1, LEG_T7, LEG_T9 };

static const char *const leg_event_names[LEG_EV_COUNT] = {
	[LEG_EV_IAM_TX] = "IAM_TX", [LEG_EV_IAM_RX] = "IAM_RX", [LEG_EV_ACM_RX] = "ACM_RX",
	[LEG_EV_CPG_RX] = "CPG_RX", [LEG_EV_ANM_RX] = "ANM_RX", [LEG_EV_REL_RX] = "REL_RX",
	[LEG_EV_RLC_RX] = "RLC_RX", [LEG_EV_ALERT] = "ALERT", [LEG_EV_PROGRESS] = "PROGRESS",
	[LEG_EV_ANSWER] = "ANSWER", [LEG_EV_RELEASE] = "RELEASE", [LEG_EV_LOST] = "LOST",
};

void call_leg_owner_released(struct call_leg *leg, int cause)
{
	const struct call_leg_ops *ops = leg->ops;

	leg->ops = NULL;	/* once */
	if (ops && ops->released)
		ops->released(leg->user, leg, cause);
}

static void leg_end_setup(struct call_leg *leg)
{
	if (leg->in_setup) {
		leg->in_setup = false;
		leg->lk->setups--;
	}
}

/* Take the call struct away from the leg before handing it to libss7 for good. */
static struct isup_call *leg_take_call(struct call_leg *leg)
{
	struct isup_call *c = leg->c;

	leg->c = NULL;
	return c;
}

static void leg_send_rlc(struct call_leg *leg)
{
	struct isup_call *c = leg_take_call(leg);

	if (c && isup_rlc(leg->lk->ss7, c) >= 0)
		isup_free_call(leg->lk->ss7, c);
}

static void leg_send_rel(struct call_leg *leg, int cause)
{
	struct isup_link *lk = leg->lk;

	if (!leg->c)
		leg->c = isup_new_call(lk->ss7, leg->cicn, lk->cfg.dpc, 0);
	leg->cause = cause;
	if (!leg->c || isup_rel(lk->ss7, leg->c, cause) < 0) {
		leg->c = NULL;	/* isup_rel frees the call when it cannot send */
		fsm_state_chg(leg->fi, LEG_ST_RELEASED);
		return;
	}
	fsm_state_chg_ms(leg->fi, LEG_ST_RELEASING, lk->cfg.t1_ms, LEG_T1);
}

/* Events every state takes: far-end REL, our REL, loss of the circuit. */
static void leg_allstate(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct call_leg *leg = fsm_inst_priv(fi);
	int arg = (int)(intptr_t)data;
	uint32_t st = fsm_inst_state(fi);

	if (st == LEG_ST_RELEASED)
		return;
	switch (event) {
	case LEG_EV_REL_RX:
		/* Q.764 2.3.1: answer RLC; in RELEASING this is a REL collision */
		leg_send_rlc(leg);
		call_leg_owner_released(leg, arg);
		fsm_state_chg(fi, LEG_ST_RELEASED);
		break;
	case LEG_EV_RELEASE:
		leg->ops = NULL;
		if (st != LEG_ST_RELEASING)
			leg_send_rel(leg, arg);
		break;
	case LEG_EV_LOST:
		leg->c = NULL;
		call_leg_owner_released(leg, arg);
		fsm_state_chg(fi, LEG_ST_RELEASED);
		break;
	}
}

static void leg_out_setup(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct call_leg *leg = fsm_inst_priv(fi);

	switch (event) {
	case LEG_EV_ACM_RX:
		fsm_state_chg_ms(fi, LEG_ST_ALERTING, leg->lk->cfg.t9_ms, LEG_T9);
		if (leg->ops && leg->ops->alerting)
			leg->ops->alerting(leg->user, leg);
		break;
	case LEG_EV_CPG_RX:
		if (leg->ops && leg->ops->progress)
			leg->ops->progress(leg->user, leg, (int)(intptr_t)data);
		break;
	case LEG_EV_ANM_RX:
		fsm_state_chg(fi, LEG_ST_ANSWERED);
		if (leg->ops && leg->ops->answered)
			leg->ops->answered(leg->user, leg);
		break;
	}
}

static void leg_in_setup(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct call_leg *leg = fsm_inst_priv(fi);
	struct ss7 *ss7 = leg->lk->ss7;

	switch (event) {
	case LEG_EV_ALERT:
		isup_acm(ss7, leg->c);
		fsm_state_chg(fi, LEG_ST_ALERTING);
		break;
	case LEG_EV_ANSWER:
		isup_con(ss7, leg->c);
		fsm_state_chg(fi, LEG_ST_ANSWERED);
		break;
	}
}

static void leg_alerting(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct call_leg *leg = fsm_inst_priv(fi);
	struct ss7 *ss7 = leg->lk->ss7;

	switch (event) {
	case LEG_EV_CPG_RX:
		if (leg->ops && leg->ops->progress)
			leg->ops->progress(leg->user, leg, (int)(intptr_t)data);
		break;
	case LEG_EV_PROGRESS:
		isup_cpg(ss7, leg->c, (int)(intptr_t)data);
		break;
	case LEG_EV_ANM_RX:
		fsm_state_chg(fi, LEG_ST_ANSWERED);
		if (leg->ops && leg->ops->answered)
			leg->ops->answered(leg->user, leg);
		break;
	case LEG_EV_ANSWER:
		isup_anm(ss7, leg->c);
		fsm_state_chg(fi, LEG_ST_ANSWERED);
		break;
	}
}

static void leg_answered(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct call_leg *leg = fsm_inst_priv(fi);

	if (event == LEG_EV_CPG_RX && leg->ops && leg->ops->progress)
		leg->ops->progress(leg->user, leg, (int)(intptr_t)data);
	else if (event == LEG_EV_PROGRESS)
		isup_cpg(leg->lk->ss7, leg->c, (int)(intptr_t)data);
}

static void leg_answered_onenter(struct fsm_inst *fi, uint32_t prev)
{
	leg_end_setup(fsm_inst_priv(fi));
}

static void leg_releasing(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct call_leg *leg = fsm_inst_priv(fi);
	struct isup_call *c;

	if (event != LEG_EV_RLC_RX)
		return;
	c = leg_take_call(leg);
	if (c)
		isup_free_call(leg->lk->ss7, c);
	fsm_state_chg(fi, LEG_ST_RELEASED);
}

static void leg_released_onenter(struct fsm_inst *fi, uint32_t prev)
{
	struct call_leg *leg = fsm_inst_priv(fi);
	struct isup_link *lk = leg->lk;

	leg_end_setup(leg);
	if (leg->c) {	/* never left behind: the next call on this CIC must start clean */
		isup_free_call(lk->ss7, leg->c);
		leg->c = NULL;
	}
	if (leg->cic && leg->cic->leg == leg)
		cic_release(leg->cic);
	leg->cic = NULL;
	lk->legs--;
	fsm_inst_term(fi);
}

#define RELEASE_EVENTS (S(LEG_EV_REL_RX) | S(LEG_EV_RELEASE) | S(LEG_EV_LOST))

static const struct fsm_state leg_states[] = {
	[LEG_ST_NULL] = {
		.name = "NULL",
		.out_state_mask = S(LEG_ST_OUT_SETUP) | S(LEG_ST_IN_SETUP) |
				  S(LEG_ST_RELEASING) | S(LEG_ST_RELEASED),
	},
	[LEG_ST_OUT_SETUP] = {
		.name = "OUT_SETUP",
		.in_event_mask = S(LEG_EV_ACM_RX) | S(LEG_EV_CPG_RX) | S(LEG_EV_ANM_RX),
		.out_state_mask = S(LEG_ST_ALERTING) | S(LEG_ST_ANSWERED) |
				  S(LEG_ST_RELEASING) | S(LEG_ST_RELEASED),
		.action = leg_out_setup,
	},
	[LEG_ST_IN_SETUP] = {
		.name = "IN_SETUP",
		.in_event_mask = S(LEG_EV_ALERT) | S(LEG_EV_ANSWER),
		.out_state_mask = S(LEG_ST_ALERTING) | S(LEG_ST_ANSWERED) |
				  S(LEG_ST_RELEASING) | S(LEG_ST_RELEASED),
		.action = leg_in_setup,
	},
	[LEG_ST_ALERTING] = {
		.name = "ALERTING",
		.in_event_mask = S(LEG_EV_CPG_RX) | S(LEG_EV_PROGRESS) | S(LEG_EV_ANM_RX) |
				 S(LEG_EV_ANSWER),
		.out_state_mask = S(LEG_ST_ANSWERED) | S(LEG_ST_RELEASING) |
				  S(LEG_ST_RELEASED),
		.action = leg_alerting,
	},
	[LEG_ST_ANSWERED] = {
		.name = "ANSWERED",
		.in_event_mask = S(LEG_EV_CPG_RX) | S(LEG_EV_PROGRESS),
		.out_state_mask = S(LEG_ST_RELEASING) | S(LEG_ST_RELEASED),
		.onenter = leg_answered_onenter,
		.action = leg_answered,
	},
	[LEG_ST_RELEASING] = {
		.name = "RELEASING",
		.in_event_mask = S(LEG_EV_RLC_RX),
		.out_state_mask = S(LEG_ST_RELEASED),
		.action = leg_releasing,
	},
	[LEG_ST_RELEASED] = {
		.name = "RELEASED",
		.onenter = leg_released_onenter,
	},
};

/* T7 (no ACM) and T9 (no answer): release with the Q.850 cause; T1 (no RLC): reset the
 * circuit once (Q.764 2.9.3.3), then give up. */
static int leg_timer_cb(struct fsm_inst *fi, int timer_id)
{
	struct call_leg *leg = fsm_inst_priv(fi);
	int cause = timer_id == LEG_T9 ? CAUSE_NO_ANSWER : CAUSE_RECOVERY_ON_TIMER;

	switch (timer_id) {
	case LEG_T7:
	case LEG_T9:
		LOGPFSM(fi, LOGL_INFO, "T%d expired: release cause %d",
			timer_id == LEG_T9 ? 9 : 7, cause);
		leg_send_rel(leg, cause);
		call_leg_owner_released(leg, cause);
		break;
	case LEG_T1:
		if (!leg->rel_retried && leg->c) {
			leg->rel_retried = true;
			LOGPFSM(fi, LOGL_NOTICE, "T1 expired: sending RSC");
			isup_rsc(leg->lk->ss7, leg->c);
			fsm_timer_schedule_ms(fi, leg->lk->cfg.t1_ms, LEG_T1);
		} else {
			fsm_state_chg(fi, LEG_ST_RELEASED);
		}
		break;
	}
	link_pump(leg->lk);
	return 0;
}

static void leg_free_deferred(void *user)
{
	free(user);
}

static void leg_cleanup(struct fsm_inst *fi)
{
	struct call_leg *leg = fsm_inst_priv(fi);

	leg->gone = true;
	loop_defer(leg->lk->loop, leg_free_deferred, leg);
}

static const struct fsm call_leg_fsm = {
	.name = "call_leg",
	.states = leg_states,
	.num_states = ARRAY_SIZE(leg_states),
	.event_names = leg_event_names,
	.num_events = LEG_EV_COUNT,
	.log_subsys = DCALL,
	.timer_cb = leg_timer_cb,
	.allstate_event_mask = RELEASE_EVENTS,
	.allstate_action = leg_allstate,
	.cleanup = leg_cleanup,
};

static struct call_leg *leg_alloc(struct isup_link *lk, struct cic *cic, bool outgoing)
{
	struct call_leg *leg = calloc(1, sizeof(*leg));
	char id[48];

	if (!leg)
		return NULL;
	snprintf(id, sizeof(id), "%s:cic=%u", lk->cfg.name, cic->cic);
	leg->fi = fsm_inst_alloc(&call_leg_fsm, lk->loop, leg, id);
	if (!leg->fi) {
		free(leg);
		return NULL;
	}
	leg->lk = lk;
	leg->cic = cic;
	leg->cicn = cic->cic;
	leg->outgoing = outgoing;
	leg->in_setup = true;
	leg->start_us = clock_now_us();
	lk->setups++;
	lk->legs++;
	return leg;
}

struct call_leg *call_leg_new_in(struct isup_link *lk, struct cic *cic, ss7_event_iam *iam)
{
	struct call_leg *leg;

	if (cic->leg || cic->state != CIC_IDLE)
		return NULL;
	leg = leg_alloc(lk, cic, false);
	if (!leg)
		return NULL;
	cic->leg = leg;
	cic_set_state(cic, CIC_BUSY_IN);
	if (iam) {
		leg->c = iam->call;
		call_facts_from_iam(&leg->facts, iam);
		call_facts_from_wire(&leg->facts, &lk->cfg.numfmt);
	}
	if (cic->iam_rx_us) {	/* when the IAM reached us, not when libss7 got to it */
		leg->start_us = cic->iam_rx_us;
		cic->iam_rx_us = 0;
	}
	fsm_state_chg(leg->fi, LEG_ST_IN_SETUP);
	return leg;
}

struct call_leg *call_leg_setup(struct isup_link *lk, const struct call_facts *f,
				const struct call_leg_ops *ops, void *user, int *cause)
{
	return call_leg_setup_on(lk, 0, f, ops, user, cause);
}

struct call_leg *call_leg_setup_on(struct isup_link *lk, uint16_t cicn,
				   const struct call_facts *f, const struct call_leg_ops *ops,
				   void *user, int *cause)
{
	struct call_facts wire;
	struct call_leg *leg;
	struct cic *cic;

	if (!lk->up) {
		*cause = CAUSE_NETWORK_OOO;
		return NULL;
	}
	if (lk->setups >= lk->cfg.max_setups) {
		lk->st.congestion++;
		*cause = CAUSE_CONGESTION;
		return NULL;
	}
	cic = cicn ? cic_seize_this(lk->cics, cicn, NULL) : cic_seize_out(lk->cics, NULL);
	if (!cic) {
		lk->st.congestion++;
		*cause = CAUSE_NO_CIRCUIT;
		return NULL;
	}
	leg = leg_alloc(lk, cic, true);
	if (leg)
		leg->c = isup_new_call(lk->ss7, cic->cic, lk->cfg.dpc, 1);
	if (!leg || !leg->c) {
		cic_release(cic);
		if (leg) {
			leg->cic = NULL;
			fsm_state_chg(leg->fi, LEG_ST_RELEASED);
		}
		*cause = CAUSE_TEMPORARY_FAILURE;
		return NULL;
	}
	cic->leg = leg;
	leg->facts = *f;
	call_facts_to_wire(&wire, f, &lk->cfg.numfmt);
	call_facts_to_iam(leg->c, lk->ss7, &wire);
	lk->st.iam_out++;
	fsm_state_chg_ms(leg->fi, LEG_ST_OUT_SETUP, lk->cfg.t7_ms, LEG_T7);
	/* No owner yet: when isup_iam cannot send (no route: the link went down and the
	 * event is not handled yet) libss7 drops the call struct through our call_null
	 * callback from inside isup_iam, which ends the leg (LEG_EV_LOST). The caller hears
	 * of it by the NULL we return, never by a released() into an object it is still
	 * setting up (the hostile soak freed a call that way). */
	if (isup_iam(lk->ss7, leg->c) < 0) {
		if (leg->c) {	/* not through call_null: the leg is still ours to end */
			leg->c = NULL;	/* freed by libss7 */
			fsm_state_chg(leg->fi, LEG_ST_RELEASED);
		}
		*cause = CAUSE_TEMPORARY_FAILURE;
		return NULL;
	}
	leg->ops = ops;
	leg->user = user;
	link_pump(lk);
	return leg;
}

void call_leg_continues(struct call_leg *out, const struct call_leg *in)
{
	struct cic *cic;

	if (out->be)
		return;
	cic = cic_pool_find(out->lk->cics, out->cicn);

	if (cic && cic->leg == out && in)
		cic->iam_origin_us = in->start_us;
}

void call_leg_set_owner(struct call_leg *leg, const struct call_leg_ops *ops, void *user)
{
	leg->ops = ops;
	leg->user = user;
}

static int leg_request(struct call_leg *leg, enum call_leg_ev ev, int arg)
{
	int rc;

	if (leg->be)
		return -EINVAL;
	if (fsm_inst_terminated(leg->fi))
		return -ESHUTDOWN;
	rc = fsm_inst_dispatch(leg->fi, ev, (void *)(intptr_t)arg);
	link_pump(leg->lk);
	return rc;
}

int call_leg_alert(struct call_leg *leg)
{
	if (leg->be)
		return leg->be->alert(leg->be_priv);
	return leg_request(leg, LEG_EV_ALERT, 0);
}

int call_leg_alert_charge(struct call_leg *leg, enum call_charge charge)
{
	if (charge != CALL_CHARGE_NO_INDICATION && !leg->be)
		leg->lk->acm_charge[leg->cicn & 0xfff] = (uint8_t)(0x80 | (charge & 3));
	return call_leg_alert(leg);
}

int call_leg_alert_inband(struct call_leg *leg, enum call_charge charge)
{
	if (leg->be)	/* PRI: the backend's ALERTING carries progress indicator 8 */
		return call_leg_alert(leg);
	leg->lk->acm_charge[leg->cicn & 0xfff] = (uint8_t)(0x80 | ACM_MARK_INBAND | (charge & 3));
	return call_leg_alert(leg);
}

/* SU = BSN FSN LI SIO, ITU routing label (4), CIC (2), message type, ACM: BCI octet 1. */
/* libss7's ACM has no optional part (pointer 0): OBCI "in-band information available"
 * (Q.763 3.37 bit A) is appended as its only optional parameter. */
static void acm_add_obci(uint8_t *su, size_t *len, size_t cap)
{
	static const uint8_t obci[] = { 0x29, 0x01, 0x01, 0x00 };

	if (*len != 14 || su[13] != 0 || cap < *len + sizeof(obci))
		return;
	su[13] = 0x01;
	memcpy(su + 14, obci, sizeof(obci));
	*len += sizeof(obci);
	su[2] = (uint8_t)((su[2] & 0xc0) | (*len - 3));
}

void link_acm_charge_rewrite(struct isup_link *lk, uint8_t *su, size_t *len, size_t cap)
{
	uint16_t cic;
	uint8_t mark;

	if (*len < 13 || (su[2] & 0x3f) < 3 || (su[3] & 0x0f) != 5 || su[10] != 0x06)
		return;
	cic = (uint16_t)(su[8] | (su[9] & 0x0f) << 8);
	mark = lk->acm_charge[cic];
	if (!(mark & 0x80))
		return;
	lk->acm_charge[cic] = 0;
	if (mark & 3)
		su[11] = (uint8_t)((su[11] & ~3u) | (mark & 3));
	if (mark & ACM_MARK_INBAND)
		acm_add_obci(su, len, cap);
	LOGP(DISUP, LOGL_DEBUG, "%s: cic %u ACM charge indicator %u%s", lk->cfg.name, cic,
	     mark & 3, mark & ACM_MARK_INBAND ? ", in-band information" : "");
}

int call_leg_progress(struct call_leg *leg, int event)
{
	if (leg->be)
		return leg->be->progress(leg->be_priv, event);
	return leg_request(leg, LEG_EV_PROGRESS, event);
}

int call_leg_answer(struct call_leg *leg)
{
	if (leg->be)
		return leg->be->answer(leg->be_priv);
	return leg_request(leg, LEG_EV_ANSWER, 0);
}

void call_leg_release(struct call_leg *leg, int cause)
{
	if (leg->be) {
		leg->be->release(leg->be_priv, cause);
		free(leg);
		return;
	}
	leg_request(leg, LEG_EV_RELEASE, cause);
}

void call_leg_terminate(struct call_leg *leg, int cause)
{
	if (fsm_inst_terminated(leg->fi))
		return;
	call_leg_owner_released(leg, cause);
	call_leg_release(leg, cause);
}

void call_leg_rx(struct call_leg *leg, enum call_leg_ev ev, int arg)
{
	if (!fsm_inst_terminated(leg->fi))
		fsm_inst_dispatch(leg->fi, ev, (void *)(intptr_t)arg);
}

struct isup_call *call_leg_isup_call(const struct call_leg *leg)
{
	return leg->c;
}

void call_leg_forget_call(struct call_leg *leg)
{
	leg->c = NULL;
}

static void leg_lost_deferred(void *user)
{
	struct call_leg *leg = user;

	if (!leg->gone)	/* else ended meanwhile (its free is queued after us) */
		call_leg_rx(leg, LEG_EV_LOST, CAUSE_TEMPORARY_FAILURE);
}

/* libss7 drops the leg's call struct from inside one of its send functions (isup_iam,
 * isup_acm, ... when no route is left: the link went down and its event is not handled
 * yet). The leg forgets the struct now and ends at the end of the loop round: ending it
 * now would run its owner's released() inside the code that was sending, e.g. a call
 * relaying an ACM, which then wrote into the call its own released() had freed (the
 * hostile soak, under ASan). */
void call_leg_lost_later(struct call_leg *leg)
{
	leg->c = NULL;
	if (loop_defer(leg->lk->loop, leg_lost_deferred, leg) < 0)
		call_leg_rx(leg, LEG_EV_LOST, CAUSE_TEMPORARY_FAILURE);
}

bool call_leg_in_setup(const struct call_leg *leg)
{
	return leg->in_setup;
}

const struct call_facts *call_leg_facts(const struct call_leg *leg)
{
	return &leg->facts;
}

struct isup_link *call_leg_link(const struct call_leg *leg)
{
	return leg->lk;
}

uint16_t call_leg_cic(const struct call_leg *leg)
{
	return leg->cicn;
}

unsigned call_leg_timeslot(const struct call_leg *leg)
{
	struct cic *cic;

	if (leg->be)
		return leg->be_ts;
	cic = cic_pool_find(leg->lk->cics, leg->cicn);

	return cic ? cic->timeslot : 0;
}

bool call_leg_is_outgoing(const struct call_leg *leg)
{
	return leg->outgoing;
}

const char *call_leg_state_name(const struct call_leg *leg)
{
	if (leg->be)
		return leg->be->state_name(leg->be_priv);
	return fsm_inst_state_name(leg->fi);
}

uint64_t call_leg_start_us(const struct call_leg *leg)
{
	return leg->start_us;
}
