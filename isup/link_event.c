/* isup/link_event.c - what a linkset does with each libss7 event: link up (group reset
 * of every circuit, Q.764 2.9.3) and down (every leg lost, circuits to reset), circuit
 * maintenance (GRS/GRA, RSC, BLO/UBL, CGB/CGU) and call messages handed to the leg on
 * the CIC. Every isup_call libss7 hands us that no leg owns is freed here. */
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "isup/link_int.h"

static struct isup_call *ev_call(ss7_event *e)
{
	switch (e->e) {
	case ISUP_EVENT_IAM: return e->iam.call;
	case ISUP_EVENT_ACM: return e->acm.call;
	case ISUP_EVENT_ANM: return e->anm.call;
	case ISUP_EVENT_CON: return e->con.call;
	case ISUP_EVENT_REL: return e->rel.call;
	case ISUP_EVENT_RLC: return e->rlc.call;
	case ISUP_EVENT_CPG: return e->cpg.call;
	case ISUP_EVENT_RSC: return e->rsc.call;
	case ISUP_EVENT_GRS: return e->grs.call;
	case ISUP_EVENT_GRA: return e->gra.call;
	case ISUP_EVENT_CQM: return e->cqm.call;
	case ISUP_EVENT_CGB: return e->cgb.call;
	case ISUP_EVENT_CGU: return e->cgu.call;
	case ISUP_EVENT_CGBA: return e->cgba.call;
	case ISUP_EVENT_CGUA: return e->cgua.call;
	case ISUP_EVENT_BLO: return e->blo.call;
	case ISUP_EVENT_UBL: return e->ubl.call;
	case ISUP_EVENT_BLA: return e->bla.call;
	case ISUP_EVENT_UBA: return e->uba.call;
	case ISUP_EVENT_COT: return e->cot.call;
	case ISUP_EVENT_CCR: return e->ccr.call;
	case ISUP_EVENT_CVT: return e->cvt.call;
	case ISUP_EVENT_UCIC: return e->ucic.call;
	case ISUP_EVENT_LPA: return e->lpa.call;
	case ISUP_EVENT_SUS: return e->sus.call;
	case ISUP_EVENT_RES: return e->res.call;
	case ISUP_EVENT_SAM: return e->sam.call;
	case ISUP_EVENT_FAR: return e->far.call;
	case ISUP_EVENT_FAA: return e->faa.call;
	case ISUP_EVENT_FRJ: return e->frj.call;
	case ISUP_EVENT_DIGITTIMEOUT: return e->digittimeout.call;
	default: return NULL;
	}
}

static int ev_cic(ss7_event *e)
{
	switch (e->e) {
	case ISUP_EVENT_IAM: return e->iam.cic;
	case ISUP_EVENT_ACM: return e->acm.cic;
	case ISUP_EVENT_ANM: return e->anm.cic;
	case ISUP_EVENT_CON: return e->con.cic;
	case ISUP_EVENT_REL: return e->rel.cic;
	case ISUP_EVENT_RLC: return e->rlc.cic;
	case ISUP_EVENT_CPG: return e->cpg.cic;
	case ISUP_EVENT_RSC: return e->rsc.cic;
	case ISUP_EVENT_BLO: return e->blo.cic;
	case ISUP_EVENT_UBL: return e->ubl.cic;
	default: return -1;
	}
}

/* Free a call struct nobody else holds (no leg on its circuit uses it). */
static void link_free_unowned(struct isup_link *lk, struct isup_call *c)
{
	for (unsigned i = 0; i < cic_pool_size(lk->cics); i++) {
		struct call_leg *leg = cic_pool_at(lk->cics, i)->leg;

		if (leg && call_leg_isup_call(leg) == c)
			return;
	}
	isup_free_call(lk->ss7, c);
}

void link_all_legs_lost(struct isup_link *lk, int cause)
{
	for (unsigned i = 0; i < cic_pool_size(lk->cics); i++) {
		struct cic *cic = cic_pool_at(lk->cics, i);
		struct call_leg *leg = cic->leg;

		if (leg) {
			struct isup_call *c = call_leg_isup_call(leg);

			call_leg_forget_call(leg);
			call_leg_rx(leg, LEG_EV_LOST, cause);
			if (c && !lk->closing)
				isup_free_call(lk->ss7, c);
		}
		cic->leg = NULL;
		cic_set_state(cic, CIC_RESET);
	}
}

/* Q.764 2.9.3.1: after the link comes up, reset every circuit with GRS (<= 32 each). */
void link_group_reset(struct isup_link *lk)
{
	unsigned n = cic_pool_size(lk->cics);
	unsigned i = 0;

	while (i < n) {
		uint16_t first = cic_pool_at(lk->cics, i)->cic;
		uint16_t last = first;
		struct isup_call *c;

		while (i + 1 < n && cic_pool_at(lk->cics, i + 1)->cic == last + 1 &&
		       last - first < 31) {
			i++;
			last++;
		}
		i++;
		c = isup_new_call(lk->ss7, first, lk->cfg.dpc, 0);
		if (!c || isup_grs(lk->ss7, c, last) < 0) {
			/* no route: the link went down again before this event was handled;
			 * its next up resets the circuits */
			LOGP(DISUP, LOGL_ERROR, "%s: cannot send GRS %u-%u", lk->cfg.name, first,
			     last);
			if (c)
				isup_free_call(lk->ss7, c);
			continue;
		}
		LOGP(DISUP, LOGL_INFO, "%s: GRS cic %u-%u", lk->cfg.name, first, last);
		for (unsigned k = 0; k < LINK_GRS_MAX; k++) {
			if (!lk->grs_pending[k]) {
				lk->grs_pending[k] = c;
				break;
			}
		}
	}
}

/* Is c one of our GRS awaiting GRA? With remove, forget it (GRA came). */
static bool link_grs_pending(struct isup_link *lk, struct isup_call *c, bool remove)
{
	for (unsigned k = 0; k < LINK_GRS_MAX; k++) {
		if (lk->grs_pending[k] == c) {
			if (remove)
				lk->grs_pending[k] = NULL;
			return true;
		}
	}
	return false;
}

static void link_range_reset(struct isup_link *lk, int first, int last, struct isup_call *keep)
{
	for (int n = first; n <= last; n++) {
		struct cic *cic = cic_pool_find(lk->cics, n);

		if (!cic)
			continue;
		if (cic->leg) {
			struct call_leg *leg = cic->leg;
			struct isup_call *c = call_leg_isup_call(leg);

			call_leg_forget_call(leg);
			call_leg_rx(leg, LEG_EV_LOST, CAUSE_TEMPORARY_FAILURE);
			if (c && c != keep)
				isup_free_call(lk->ss7, c);
			lk->st.resets++;
		}
		cic->leg = NULL;
		cic->blocked_remote = false;
		cic_set_state(cic, CIC_IDLE);
	}
}

static void link_on_grs(struct isup_link *lk, ss7_event_cicrange *g)
{
	unsigned char status[255];

	LOGP(DISUP, LOGL_INFO, "%s: GRS cic %d-%d received", lk->cfg.name, g->startcic,
	     g->endcic);
	link_range_reset(lk, g->startcic, g->endcic, g->call);
	memset(status, 0, sizeof(status));
	/* crossing GRS (both ends reset at link up): the struct is also our pending GRS,
	 * keep it for our GRA */
	if (isup_gra(lk->ss7, g->call, g->endcic, status) < 0)
		link_grs_pending(lk, g->call, true);	/* libss7 freed it */
	else if (!link_grs_pending(lk, g->call, false))
		isup_free_call(lk->ss7, g->call);
}

static void link_on_gra(struct isup_link *lk, ss7_event_cicrange *g)
{
	for (int n = g->startcic; n <= g->endcic; n++) {
		struct cic *cic = cic_pool_find(lk->cics, n);

		if (cic && !cic->leg && cic->state == CIC_RESET)
			cic_set_state(cic, CIC_IDLE);
	}
	link_grs_pending(lk, g->call, true);
	link_free_unowned(lk, g->call);
}

static void link_on_rsc(struct isup_link *lk, ss7_event_rsc *r)
{
	struct cic *cic = cic_pool_find(lk->cics, r->cic);

	if (cic && cic->leg) {
		call_leg_forget_call(cic->leg);
		call_leg_rx(cic->leg, LEG_EV_LOST, CAUSE_TEMPORARY_FAILURE);
		lk->st.resets++;
	}
	if (cic) {
		cic->leg = NULL;
		cic->blocked_remote = false;
		cic_set_state(cic, CIC_IDLE);
	}
	if (isup_rlc(lk->ss7, r->call) >= 0)
		isup_free_call(lk->ss7, r->call);
}

/* Beyond max_setups: a call the owner marks as a service call (the subscriber's 142) is
 * still taken while service_setups more are in setup, so overload never locks the
 * subscribers out of their own settings. */
static bool link_takes_service_call(struct isup_link *lk, struct call_leg *leg)
{
	if (lk->setups > lk->cfg.max_setups + lk->cfg.service_setups ||
	    !lk->owner->service_call)
		return false;
	if (!lk->owner->service_call(lk->user, lk, call_leg_facts(leg)))
		return false;
	lk->st.service_taken++;
	return true;
}

static void link_on_iam(struct isup_link *lk, ss7_event_iam *iam)
{
	struct cic *cic = cic_pool_find(lk->cics, iam->cic);
	struct call_leg *leg;

	lk->st.iam_in++;
	if (!cic) {
		LOGP(DISUP, LOGL_NOTICE, "%s: IAM on unequipped cic %d", lk->cfg.name, iam->cic);
		lk->st.unexpected++;
		isup_free_call(lk->ss7, iam->call);
		isup_ucic(lk->ss7, iam->cic, lk->cfg.dpc);
		return;
	}
	/* idle, or reserved by a lost dual seizure (busy-in without a leg) */
	if (cic->leg || (cic->state != CIC_IDLE && cic->state != CIC_BUSY_IN)) {
		LOGP(DISUP, LOGL_NOTICE, "%s: IAM on cic %d in state %s: ignored", lk->cfg.name,
		     iam->cic, cic_state_name(cic->state));
		lk->st.unexpected++;
		link_free_unowned(lk, iam->call);
		return;
	}
	cic_set_state(cic, CIC_IDLE);
	leg = call_leg_new_in(lk, cic, iam);
	if (!leg) {
		isup_rel(lk->ss7, iam->call, CAUSE_CONGESTION);
		return;
	}
	if (lk->setups > lk->cfg.max_setups && !link_takes_service_call(lk, leg)) {
		lk->st.congestion++;
		call_leg_release(leg, CAUSE_CONGESTION);
		return;
	}
	lk->owner->incoming(lk->user, lk, leg);
}

static void link_on_block(struct isup_link *lk, ss7_event *e, bool block)
{
	struct cic *cic = cic_pool_find(lk->cics, ev_cic(e));
	struct isup_call *c = ev_call(e);

	if (cic)
		cic->blocked_remote = block;
	LOGP(DISUP, LOGL_INFO, "%s: cic %d %s by the far end", lk->cfg.name, ev_cic(e),
	     block ? "blocked" : "unblocked");
	if ((block ? isup_bla(lk->ss7, c) : isup_uba(lk->ss7, c)) >= 0)
		link_free_unowned(lk, c);
}

static void link_on_group_block(struct isup_link *lk, ss7_event_cicrange *g, bool block)
{
	for (int n = g->startcic; n <= g->endcic; n++) {
		struct cic *cic = cic_pool_find(lk->cics, n);

		if (cic && g->status[n - g->startcic])
			cic->blocked_remote = block;
	}
	if ((block ? isup_cgba(lk->ss7, g->call, g->endcic, g->status)
		   : isup_cgua(lk->ss7, g->call, g->endcic, g->status)) >= 0)
		link_free_unowned(lk, g->call);
}

/* A call message: to the leg that owns this call struct, else clean up. */
static void link_on_call_msg(struct isup_link *lk, ss7_event *e, enum call_leg_ev ev, int arg)
{
	struct cic *cic = cic_pool_find(lk->cics, ev_cic(e));
	struct isup_call *c = ev_call(e);

	if (cic && cic->leg && call_leg_isup_call(cic->leg) == c) {
		call_leg_rx(cic->leg, ev, arg);
		return;
	}
	lk->st.unexpected++;
	if (ev == LEG_EV_REL_RX) {
		/* REL for no call of ours (e.g. after our reset): confirm it */
		if (isup_rlc(lk->ss7, c) >= 0)
			link_free_unowned(lk, c);
	} else if (ev == LEG_EV_RLC_RX) {
		if (cic && !cic->leg && cic->state == CIC_RESET)
			cic_set_state(cic, CIC_IDLE);
		link_free_unowned(lk, c);
	} else {
		LOGP(DISUP, LOGL_NOTICE, "%s: %s on cic %d with no call", lk->cfg.name,
		     ss7_event2str(e->e), ev_cic(e));
		link_free_unowned(lk, c);
	}
}

static void link_on_state(struct isup_link *lk, bool up)
{
	if (up == lk->up)
		return;
	lk->up = up;
	LOGP(DSS7, LOGL_NOTICE, "%s: link %s", lk->cfg.name, up ? "up" : "down");
	if (up) {
		link_group_reset(lk);
	} else {
		lk->st.link_downs++;
		link_all_legs_lost(lk, CAUSE_TEMPORARY_FAILURE);
	}
	if (lk->owner->link_state)
		lk->owner->link_state(lk->user, lk, up);
}

void link_handle_event(struct isup_link *lk, ss7_event *e)
{
	struct isup_call *c;

	switch (e->e) {
	case SS7_EVENT_UP: link_on_state(lk, true); break;
	case SS7_EVENT_DOWN: link_on_state(lk, false); break;
	case MTP2_LINK_UP:
	case MTP2_LINK_DOWN: break;
	case ISUP_EVENT_IAM: link_on_iam(lk, &e->iam); break;
	case ISUP_EVENT_ACM: link_on_call_msg(lk, e, LEG_EV_ACM_RX, 0); break;
	case ISUP_EVENT_CPG: link_on_call_msg(lk, e, LEG_EV_CPG_RX, e->cpg.event); break;
	case ISUP_EVENT_ANM:
	case ISUP_EVENT_CON: link_on_call_msg(lk, e, LEG_EV_ANM_RX, 0); break;
	case ISUP_EVENT_REL: link_on_call_msg(lk, e, LEG_EV_REL_RX, e->rel.cause); break;
	case ISUP_EVENT_RLC: link_on_call_msg(lk, e, LEG_EV_RLC_RX, 0); break;
	case ISUP_EVENT_GRS: link_on_grs(lk, &e->grs); break;
	case ISUP_EVENT_GRA: link_on_gra(lk, &e->gra); break;
	case ISUP_EVENT_RSC: link_on_rsc(lk, &e->rsc); break;
	case ISUP_EVENT_BLO: link_on_block(lk, e, true); break;
	case ISUP_EVENT_UBL: link_on_block(lk, e, false); break;
	case ISUP_EVENT_CGB: link_on_group_block(lk, &e->cgb, true); break;
	case ISUP_EVENT_CGU: link_on_group_block(lk, &e->cgu, false); break;
	default:
		c = ev_call(e);
		LOGP(DISUP, LOGL_INFO, "%s: %s ignored", lk->cfg.name, ss7_event2str(e->e));
		if (c)
			link_free_unowned(lk, c);
		break;
	}
}

/* IAMs the validator refused never reached libss7: release them with REL 28. */
void link_send_rejects(struct isup_link *lk)
{
	while (lk->n_rejects) {
		uint16_t n = lk->rejects[--lk->n_rejects];
		struct cic *cic = cic_pool_find(lk->cics, n);
		struct call_leg *leg;

		if (!cic || cic->leg || cic->state != CIC_IDLE) {
			LOGP(DISUP, LOGL_NOTICE, "%s: rejected IAM on cic %u: circuit not idle",
			     lk->cfg.name, n);
			continue;
		}
		leg = call_leg_new_in(lk, cic, NULL);
		if (leg)
			call_leg_release(leg, CAUSE_INVALID_NUMBER);
	}
}
