/* pri/pri_leg.h - one Q.931 call on one B-channel of a PRI trunk, as a table FSM:
 * incoming (SETUP received) or outgoing (SETUP sent), through proceeding/alerting and
 * connect to clearing. The owner (a call object, a 142 session, the lab) drives it with
 * pri_leg_* requests and hears back alerting/progress/answer/release, exactly as with an
 * ISUP call_leg (isup/call_leg.h): the same facts, the same Q.850 causes. No libpri type
 * crosses this header. */
#ifndef PRI_PRI_LEG_H
#define PRI_PRI_LEG_H

#include <stdbool.h>
#include <stdint.h>

#include "isup/facts.h"

struct pri_trunk;
struct pri_leg;

struct pri_leg_ops {
	void (*alerting)(void *user, struct pri_leg *leg);		/* ALERTING received */
	void (*progress)(void *user, struct pri_leg *leg, int event);	/* PROGRESS received */
	void (*answered)(void *user, struct pri_leg *leg);		/* CONNECT received */
	/* The far end cleared (DISCONNECT/RELEASE/RELEASE COMPLETE), the D-channel went
	 * down, or the trunk closed. Called once; the leg is gone afterwards. */
	void (*released)(void *user, struct pri_leg *leg, int cause);
};

/* Outgoing leg: take an idle B-channel and send SETUP built from f (called number, the
 * caller and its presentation/screening unchanged, Redirecting Number IE when f carries
 * a redirection set). NULL with *cause set (34 no B-channel, 38 D-channel down). */
struct pri_leg *pri_leg_setup(struct pri_trunk *t, const struct call_facts *f,
			      const struct pri_leg_ops *ops, void *user, int *cause);
/* Incoming legs are created by the trunk; the owner adopts them here. */
void pri_leg_set_owner(struct pri_leg *leg, const struct pri_leg_ops *ops, void *user);

int pri_leg_proceeding(struct pri_leg *leg);	/* CALL PROCEEDING */
int pri_leg_alert(struct pri_leg *leg);		/* ALERTING (in-band tones available) */
int pri_leg_answer(struct pri_leg *leg);	/* CONNECT */
/* PROGRESS "in-band information available" (e.g. an announcement before answer). */
int pri_leg_progress(struct pri_leg *leg);
/* Clear with a Q.850 cause (DISCONNECT, or RELEASE COMPLETE before anything was sent).
 * No released callback follows; the leg and its B-channel are free on return. */
void pri_leg_release(struct pri_leg *leg, int cause);

const struct call_facts *pri_leg_facts(const struct pri_leg *leg);
struct pri_trunk *pri_leg_trunk(const struct pri_leg *leg);
unsigned pri_leg_channel(const struct pri_leg *leg);	/* B-channel = timeslot */
bool pri_leg_is_outgoing(const struct pri_leg *leg);
const char *pri_leg_state_name(const struct pri_leg *leg);

#endif
