/* isup/cic.h - the pool of circuits (CICs) of one linkset and their states (Q.764):
 * idle, busy incoming/outgoing, awaiting reset, with local/remote blocking flags. Hands
 * out idle circuits for outgoing calls (ours-to-control first, Q.764 2.10.1.4), counts
 * states for status and leak checks. Does not send anything: links and legs do. */
#ifndef ISUP_CIC_H
#define ISUP_CIC_H

#include <stdbool.h>
#include <stdint.h>

enum cic_state {
	CIC_IDLE,
	CIC_BUSY_IN,		/* incoming call (IAM received) */
	CIC_BUSY_OUT,		/* outgoing call (IAM sent) */
	CIC_RESET,		/* reset pending (link down, GRS/RSC sent, no GRA yet) */
	CIC_STATE_COUNT
};
const char *cic_state_name(enum cic_state s);

struct call_leg;

struct cic {
	uint16_t cic;
	uint8_t timeslot;
	enum cic_state state;
	bool blocked_remote;	/* BLO received: no outgoing calls (Q.764 2.8.2) */
	bool blocked_local;	/* we sent BLO */
	struct call_leg *leg;	/* the leg using it, or NULL */
	uint64_t iam_rx_us;	/* when an IAM for it arrived (RX hook), 0: none */
	uint64_t iam_origin_us;	/* outgoing: the incoming IAM's arrival this IAM continues */
};

struct cic_pool;

/* n circuits: cic numbers and timeslots. NULL on ENOMEM/EINVAL. */
struct cic_pool *cic_pool_alloc(const uint16_t *cics, const uint8_t *timeslots, unsigned n,
				bool we_control_even);
void cic_pool_free(struct cic_pool *p);		/* NULL-safe */

unsigned cic_pool_size(const struct cic_pool *p);
struct cic *cic_pool_at(struct cic_pool *p, unsigned i);
struct cic *cic_pool_find(struct cic_pool *p, uint16_t cic);	/* NULL if not ours */
uint16_t cic_pool_first(const struct cic_pool *p);
uint16_t cic_pool_last(const struct cic_pool *p);

/* Whether the dual-seizure rule makes us the controlling exchange for this CIC. */
bool cic_we_control(const struct cic_pool *p, uint16_t cic);

/* Seize an idle, unblocked circuit for an outgoing call: ours to control first,
 * round robin. NULL when none is free. */
struct cic *cic_seize_out(struct cic_pool *p, struct call_leg *leg);
/* Seize this idle, unblocked circuit for an outgoing call; NULL if not possible. */
struct cic *cic_seize_this(struct cic_pool *p, uint16_t cic, struct call_leg *leg);
/* Incoming IAM on a circuit: -ENOENT (not ours), -EBUSY (not idle), 0. */
int cic_seize_in(struct cic_pool *p, uint16_t cic, struct call_leg *leg, struct cic **out);
/* Back to idle (after RLC), or to reset pending. */
void cic_release(struct cic *c);
void cic_set_state(struct cic *c, enum cic_state s);

/* Counts per state, and blocked circuits. */
void cic_pool_counts(const struct cic_pool *p, unsigned counts[CIC_STATE_COUNT],
		     unsigned *blocked);
/* Circuits busy with no leg, or with a leg while idle: must stay 0. */
unsigned cic_pool_leaked(const struct cic_pool *p);
/* Idle and unblocked circuits (outgoing capacity). */
unsigned cic_pool_available(const struct cic_pool *p);

#endif
