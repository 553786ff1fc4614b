/* isup/call_leg.h - one ISUP call leg on one CIC, as a table FSM (STYLE.md):
 * incoming (IAM received) or outgoing (IAM sent), through alerting and answer to
 * release (REL/RLC, Q.764 2.3). The owner (a call object, a 142 session, the lab) drives
 * it with leg_* requests and hears back alerting/progress/answer/release. Signalling
 * neutral above this line: no libss7 type crosses it. */
#ifndef ISUP_CALL_LEG_H
#define ISUP_CALL_LEG_H

#include <stdbool.h>
#include <stdint.h>

#include "isup/facts.h"

struct isup_link;
struct call_leg;

/* Q.850 causes used by the ISUP layer */
#define CAUSE_UNALLOCATED 1
#define CAUSE_NORMAL 16
#define CAUSE_USER_BUSY 17
#define CAUSE_NO_USER_RESPONDING 18
#define CAUSE_NO_ANSWER 19
#define CAUSE_INVALID_NUMBER 28
#define CAUSE_NORMAL_UNSPECIFIED 31
#define CAUSE_NO_CIRCUIT 34
#define CAUSE_NETWORK_OOO 38
#define CAUSE_TEMPORARY_FAILURE 41
#define CAUSE_CONGESTION 42
#define CAUSE_RECOVERY_ON_TIMER 102
#define CAUSE_TRY_AGAIN 256	/* lost dual seizure: retry on another circuit */

struct call_leg_ops {
	void (*alerting)(void *user, struct call_leg *leg);		/* ACM received */
	void (*progress)(void *user, struct call_leg *leg, int event);	/* CPG received */
	void (*answered)(void *user, struct call_leg *leg);		/* ANM/CON received */
	/* The far end released (REL), the circuit was reset, or a timer expired. Called
	 * once; the leg finishes by itself afterwards: do not touch it again. */
	void (*released)(void *user, struct call_leg *leg, int cause);
};

/* Outgoing leg: seize a circuit on lk and send the IAM built from facts (calling number
 * and presentation unchanged, redirection set only if present in facts). NULL with
 * *cause set (34 no circuit, 42 too many setups, 38 link down). */
struct call_leg *call_leg_setup(struct isup_link *lk, const struct call_facts *f,
				const struct call_leg_ops *ops, void *user, int *cause);
/* The same on a given circuit (cic != 0), e.g. for the lab's dual-seizure test: NULL with
 * cause 34 when that circuit is not idle. */
struct call_leg *call_leg_setup_on(struct isup_link *lk, uint16_t cic,
				   const struct call_facts *f, const struct call_leg_ops *ops,
				   void *user, int *cause);
/* out was placed to continue in: its IAM's departure is measured against in's IAM
 * arrival (isup/iam_latency.h). Call right after call_leg_setup(). */
void call_leg_continues(struct call_leg *out, const struct call_leg *in);
/* Incoming legs are created by the link; the owner adopts them here. */
void call_leg_set_owner(struct call_leg *leg, const struct call_leg_ops *ops, void *user);

int call_leg_alert(struct call_leg *leg);		/* ACM */
/* Backward call indicators' charge indicator (Q.763 3.5 bits BA). libss7 always sends
 * "no indication": the link rewrites the next ACM we send on this CIC on its way out. */
enum call_charge { CALL_CHARGE_NO_INDICATION = 0, CALL_CHARGE_NONE = 1, CALL_CHARGE_CHARGE = 2 };
int call_leg_alert_charge(struct call_leg *leg, enum call_charge charge);	/* ACM */
/* ACM whose optional backward call indicators say "in-band information available"
 * (Q.763 3.37; libss7 sends none: the link adds it on the way out), e.g. before an
 * announcement on a call that is never answered. */
int call_leg_alert_inband(struct call_leg *leg, enum call_charge charge);	/* ACM */
int call_leg_progress(struct call_leg *leg, int event);	/* CPG (CPG_EVENT_*) */
int call_leg_answer(struct call_leg *leg);		/* ANM, or CON before ACM */
/* REL with cause (Q.850). No released callback follows; the leg finishes on RLC. */
void call_leg_release(struct call_leg *leg, int cause);

/* Legs of another signalling system (pri/pri_call.c: a PRI B-channel). The backend
 * runs its own protocol; the call layer, features and sessions drive the leg with the
 * same call_leg_* requests (alert, progress, answer, release go to the backend) and the
 * backend reports back with call_leg_foreign_event(). call_leg_link() is NULL for them,
 * call_leg_cic() is the channel number; use call_leg_span()/call_leg_trunk_name(). */
struct call_leg_backend {
	int (*alert)(void *priv);
	int (*progress)(void *priv, int event);
	int (*answer)(void *priv);
	void (*release)(void *priv, int cause);	/* no released callback follows */
	const char *(*state_name)(const void *priv);
	const char *(*trunk_name)(const void *priv);
};
struct tdm_span;
struct call_leg *call_leg_foreign_new(const struct call_leg_backend *be, void *priv,
				      struct tdm_span *span, unsigned ts,
				      const struct call_facts *f, bool outgoing);
enum call_leg_foreign_ev {
	CALL_LEG_FOREIGN_ALERTING, CALL_LEG_FOREIGN_PROGRESS, CALL_LEG_FOREIGN_ANSWERED,
	CALL_LEG_FOREIGN_RELEASED,	/* arg: cause; the leg is freed after the owner heard */
};
void call_leg_foreign_event(struct call_leg *leg, enum call_leg_foreign_ev ev, int arg);
bool call_leg_is_foreign(const struct call_leg *leg);
struct tdm_span *call_leg_span(const struct call_leg *leg);	/* any leg */
const char *call_leg_trunk_name(const struct call_leg *leg);	/* linkset or trunk */

const struct call_facts *call_leg_facts(const struct call_leg *leg);
struct isup_link *call_leg_link(const struct call_leg *leg);
uint16_t call_leg_cic(const struct call_leg *leg);
unsigned call_leg_timeslot(const struct call_leg *leg);
bool call_leg_is_outgoing(const struct call_leg *leg);
const char *call_leg_state_name(const struct call_leg *leg);
uint64_t call_leg_start_us(const struct call_leg *leg);	/* IAM sent/received */

#endif
