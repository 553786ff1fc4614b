/* pri/pri_trunk_event.c - libpri events of one trunk translated into the leg FSM:
 * D-channel up/down, SETUP (B-channel choice: the requested one when idle, another when
 * the request was not exclusive, else cause 44), CALL PROCEEDING/ALERTING/PROGRESS/
 * CONNECT, and the three clearing events. Events for calls we already handed back to
 * libpri are finished (pri_hangup on HANGUP/HANGUP_REQ) and otherwise ignored. */
#include <stdio.h>

#include "core/conf.h"
#include "core/log.h"
#include "drivers/tdm.h"
#include "pri/pri_int.h"

static unsigned ev_chan(int channel)
{
	return channel < 0 ? 0 : (unsigned)channel & 0xff;
}

/* B-channel for a SETUP: 0 when none acceptable (the call is rejected with cause 44). */
static unsigned ring_chan(struct pri_trunk *t, const pri_event_ring *r)
{
	unsigned ch = ev_chan(r->channel);
	bool ours = ch >= 1 && ch <= PRI_TRUNK_CHANS_MAX && conf_range_has(t->cfg.bchans, ch) &&
		    ch <= tdm_span_channels(t->span);

	if (ours && !t->chan[ch])
		return ch;
	if (ch == 0 || ch == 0xff || r->flexible)
		return pri_trunk_pick_chan(t);
	return 0;
}

static void trunk_ring(struct pri_trunk *t, const pri_event_ring *r)
{
	unsigned ch = ring_chan(t, r);
	struct pri_leg *leg;

	if (!ch) {
		LOGP(DPRI, LOGL_NOTICE, "trunk %s: SETUP for channel %d refused (busy or not ours)",
		     t->cfg.name, r->channel);
		t->st.calls_rejected++;
		pri_hangup(t->pri, r->call, PRI_CAUSE_REQUESTED_CHAN_UNAVAIL);
		return;
	}
	leg = pri_leg_incoming(t, r, ch);
	if (!leg) {
		pri_hangup(t->pri, r->call, PRI_CAUSE_SWITCH_CONGESTION);
		return;
	}
	/* CALL PROCEEDING at once (en-bloc SETUP): confirms the B-channel, and makes the call
	 * "alive" in libpri, which otherwise absorbs the caller's DISCONNECT silently */
	pri_leg_proceeding(leg);
	if (t->owner->incoming)
		t->owner->incoming(t->user, t, leg);
	else
		pri_leg_release(leg, PRI_CAUSE_INCOMING_CALL_BARRED);
}

static void trunk_dchan(struct pri_trunk *t, bool up)
{
	if (t->up == up)
		return;
	t->up = up;
	LOGP(DPRI, up ? LOGL_INFO : LOGL_NOTICE, "trunk %s: D-channel %s", t->cfg.name,
	     up ? "up" : "down");
	if (up) {
		t->st.dchan_ups++;
	} else {
		t->st.dchan_downs++;
		pri_trunk_drop_legs(t, PRI_CAUSE_DESTINATION_OUT_OF_ORDER);
	}
	if (t->owner->dchan_state)
		t->owner->dchan_state(t->user, t, up);
}

void pri_trunk_drop_legs(struct pri_trunk *t, int cause)
{
	while (t->legs)
		pri_leg_drop(t->legs, cause);	/* unlinks it */
}

static void trunk_clear(struct pri_trunk *t, const pri_event_hangup *h, int e)
{
	struct pri_leg *leg = pri_trunk_leg_by_call(t, h->call);

	if (leg) {
		pri_leg_rx_clear(leg, h->cause, e == PRI_EVENT_HANGUP_ACK);
		return;
	}
	/* not (or no longer) ours: let libpri finish and free its call */
	if (e != PRI_EVENT_HANGUP_ACK && h->call)
		pri_hangup(t->pri, h->call, h->cause);
}

static void trunk_progress(struct pri_trunk *t, q931_call *call, enum pri_leg_rx what, int arg)
{
	struct pri_leg *leg = pri_trunk_leg_by_call(t, call);

	if (leg)
		pri_leg_rx(leg, what, arg);
}

void pri_trunk_handle_event(struct pri_trunk *t, pri_event *e)
{
	struct pri_leg *leg;

	LOGP(DPRI, LOGL_DEBUG, "trunk %s: event %s", t->cfg.name, pri_event2str(e->e));
	switch (e->e) {
	case PRI_EVENT_DCHAN_UP:
		trunk_dchan(t, true);
		break;
	case PRI_EVENT_DCHAN_DOWN:
		trunk_dchan(t, false);
		break;
	case PRI_EVENT_RING:
		trunk_ring(t, &e->ring);
		break;
	case PRI_EVENT_PROCEEDING:
		trunk_progress(t, e->proceeding.call, PRI_LEG_RX_PROCEEDING, 0);
		break;
	case PRI_EVENT_RINGING:
		trunk_progress(t, e->ringing.call, PRI_LEG_RX_ALERTING, 0);
		break;
	case PRI_EVENT_PROGRESS:
		trunk_progress(t, e->proceeding.call, PRI_LEG_RX_PROGRESS, e->proceeding.progress);
		break;
	case PRI_EVENT_ANSWER:
		trunk_progress(t, e->answer.call, PRI_LEG_RX_CONNECT, 0);
		break;
	case PRI_EVENT_HANGUP_REQ:
	case PRI_EVENT_HANGUP:
	case PRI_EVENT_HANGUP_ACK:
		trunk_clear(t, &e->hangup, e->e);
		break;
	case PRI_EVENT_RESTART:
		leg = pri_trunk_leg_on(t, ev_chan(e->restart.channel));
		if (leg)
			pri_leg_drop(leg, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE);
		break;
	default:
		break;
	}
}
