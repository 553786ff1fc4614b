/* pri/pri_int.h - bodies shared by pri_trunk.c (libpri instance, D-channel, loop),
 * pri_trunk_event.c (libpri events -> legs) and pri_leg.c (the leg FSM). Only pri/
 * includes this: it exposes libpri. */
#ifndef PRI_PRI_INT_H
#define PRI_PRI_INT_H

#include <libpri.h>

#include "core/loop.h"
#include "pri/pri_leg.h"
#include "pri/pri_trunk.h"

struct fsm_inst;
struct tdm_link;

struct pri_leg {
	struct pri_leg *next;		/* trunk's list */
	struct pri_trunk *t;
	q931_call *call;		/* NULL once handed back to libpri */
	struct fsm_inst *fi;
	unsigned chan;
	bool outgoing;
	struct call_facts facts;
	const struct pri_leg_ops *ops;
	void *user;
};

struct pri_trunk {
	struct pri_trunk_cfg cfg;
	struct loop *loop;
	struct tdm_span *span;
	struct tdm_link *tl;
	struct pri *pri;
	int fd;
	struct timer sched;
	const struct pri_trunk_owner *owner;
	void *user;
	struct pri_pcap *pcap;
	pri_trunk_tap tap;
	void *tap_user;
	bool up;
	bool l1_lost;			/* span went down: layer 2 restarts on its return */
	struct pri_leg *chan[PRI_TRUNK_CHANS_MAX + 1];	/* leg on each B-channel */
	struct pri_leg *legs;
	unsigned n_legs, n_bchans, last_chan;
	struct pri_trunk_stats st;
};

/* pri_trunk.c */
void pri_trunk_sched_arm(struct pri_trunk *t);
unsigned pri_trunk_pick_chan(struct pri_trunk *t);	/* 0: none idle */
void pri_trunk_leg_link(struct pri_trunk *t, struct pri_leg *leg);
void pri_trunk_leg_unlink(struct pri_trunk *t, struct pri_leg *leg);
struct pri_leg *pri_trunk_leg_by_call(struct pri_trunk *t, q931_call *call);

/* pri_trunk_event.c */
void pri_trunk_handle_event(struct pri_trunk *t, pri_event *e);
/* Release every leg (owners told cause), e.g. D-channel down or trunk close. */
void pri_trunk_drop_legs(struct pri_trunk *t, int cause);

/* pri_leg.c: events from libpri */
struct pri_leg *pri_leg_incoming(struct pri_trunk *t, const pri_event_ring *r, unsigned chan);
enum pri_leg_rx { PRI_LEG_RX_PROCEEDING, PRI_LEG_RX_ALERTING, PRI_LEG_RX_PROGRESS,
		  PRI_LEG_RX_CONNECT };
void pri_leg_rx(struct pri_leg *leg, enum pri_leg_rx what, int arg);
/* The far end cleared: DISCONNECT (libpri waits for our pri_hangup) or RELEASE /
 * RELEASE COMPLETE (hangup_ack: libpri already freed its call). */
void pri_leg_rx_clear(struct pri_leg *leg, int cause, bool libpri_freed);
/* D-channel down / trunk close: owner told, libpri's call destroyed, leg gone. */
void pri_leg_drop(struct pri_leg *leg, int cause);

#endif
