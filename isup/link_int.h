/* isup/link_int.h - the insides of struct isup_link shared by isup/link.c (transport,
 * libss7 callbacks), isup/link_event.c (event dispatch) and isup/call_leg.c. Only files
 * in isup/ include this (and with it libss7.h). isup/link_io.c pumps and does the I/O. */
#ifndef ISUP_LINK_INT_H
#define ISUP_LINK_INT_H

#include <libss7.h>

#include "core/loop.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/link.h"

struct tdm_link;

#define LINK_REJECTS_MAX 32
#define LINK_GRS_MAX 8

struct isup_link {
	struct loop *loop;
	struct linkset_cfg cfg;
	struct ss7 *ss7;
	struct tdm_span *span;
	struct tdm_link *tl;
	int fd;			/* libss7's fd (in process, or a socketpair end) */
	bool inproc;		/* tdm_link_is_inproc: no poll, link_pump writes */
	short fd_events;
	struct timer sched;	/* libss7 scheduler */
	struct timer noalarm;	/* span back up soon after down: libss7 told later */
	uint64_t alarm_us;	/* when libss7 was last told the span is down */
	bool alarmed;		/* libss7's link is in alarm: SUs from the span dropped */
	int last_lssu;		/* status of the last LSSU libss7 read (link_lssu_to_ss7) */
	/* our last SLTM's length+pattern octets: an SLTA that does not match is dropped */
	uint8_t sltm[16];
	uint8_t sltm_len;	/* 0: no SLTM outstanding */
	struct cic_pool *cics;
	const struct isup_link_owner *owner;
	void *user;
	bool up;
	bool in_pump, pump_again, closing;
	bool io_armed;		/* link_io at the end of the loop round (isup/link.c) */
	bool write_armed;	/* in process: link_write_all at the end of the round */
	uint64_t ss7_reads;	/* SUs libss7 has read; the relay counts those it sent */
	unsigned setups, legs;
	struct isup_link_stats st;
	/* IAMs refused by the validator, answered with REL 28 after the SU is relayed */
	uint16_t rejects[LINK_REJECTS_MAX];
	unsigned n_rejects;
	/* our GRS call structs awaiting GRA (a crossing GRS shares the struct) */
	struct isup_call *grs_pending[LINK_GRS_MAX];
	/* charge indicator to write into our next ACM per CIC (0x80 | enum call_charge) */
	uint8_t acm_charge[4096];
	struct isup_link *next;
};

/* Run libss7 until it is quiet: events, pending writes (in process: written at the end
 * of the loop round; on a socketpair: POLLOUT asked for), scheduler. Re-entrant safe. */
void link_pump(struct isup_link *lk);
/* isup/link_io.c: libss7 reads what the relay queued at the end of this loop round */
void link_io_arm(struct isup_link *lk);
/* Tell libss7 the link is in alarm (and make it forget the last LSSU it saw), or out. */
void link_alarm(struct isup_link *lk);
void link_noalarm(struct isup_link *lk);
/* An SU libss7 is about to read (isup/link_io.c: libss7's memory of the last LSSU) */
void link_lssu_to_ss7(struct isup_link *lk, const uint8_t *su, size_t len);
#define LINK_LAST_FISU 0x100
/* libss7 runs MTP2 on a DAHDI dchan= channel (isup/link.c) */
bool link_dchan(const struct isup_link *lk);
void link_fd_cb(struct loop *l, int fd, short revents, void *user);	/* socketpair */
void link_sched_fired(struct timer *t, void *user);	/* libss7's scheduler timer */
/* isup/link.c: lk is still open (a deferred call may find it closed) */
bool link_alive(const struct isup_link *lk);
void link_handle_event(struct isup_link *lk, ss7_event *e);
void link_all_legs_lost(struct isup_link *lk, int cause);
void link_group_reset(struct isup_link *lk);
void link_send_rejects(struct isup_link *lk);

/* call_leg.c entry points for the link */
enum call_leg_ev {
	LEG_EV_IAM_TX,		/* outgoing setup */
	LEG_EV_IAM_RX,
	LEG_EV_ACM_RX,
	LEG_EV_CPG_RX,
	LEG_EV_ANM_RX,		/* ANM or CON */
	LEG_EV_REL_RX,
	LEG_EV_RLC_RX,
	LEG_EV_ALERT,		/* owner: send ACM */
	LEG_EV_PROGRESS,	/* owner: send CPG */
	LEG_EV_ANSWER,		/* owner: send ANM/CON */
	LEG_EV_RELEASE,		/* owner: send REL */
	LEG_EV_LOST,		/* reset/link down/dual seizure: gone without signalling */
	LEG_EV_COUNT
};
struct call_leg *call_leg_new_in(struct isup_link *lk, struct cic *cic, ss7_event_iam *iam);
void call_leg_rx(struct call_leg *leg, enum call_leg_ev ev, int arg);
/* Shutdown: tell the owner the leg is gone (released(cause)), then send REL. */
void call_leg_terminate(struct call_leg *leg, int cause);
struct isup_call *call_leg_isup_call(const struct call_leg *leg);
/* libss7 dropped or re-used the call struct: forget it, never touch it again. */
void call_leg_forget_call(struct call_leg *leg);
/* libss7 dropped the leg's call struct inside a send: forget it, end the leg later */
void call_leg_lost_later(struct call_leg *leg);
void call_facts_from_iam(struct call_facts *f, const ss7_event_iam *e);
void call_facts_to_iam(struct isup_call *c, const struct ss7 *ss7, const struct call_facts *f);
bool call_leg_in_setup(const struct call_leg *leg);
/* TX SU hook: set the charge indicator of our ACM marked by call_leg_alert_charge(),
 * and add OBCI "in-band information" when marked by call_leg_alert_inband() (*len grows). */
#define ACM_MARK_INBAND 0x40
void link_acm_charge_rewrite(struct isup_link *lk, uint8_t *su, size_t *len, size_t cap);

#endif
