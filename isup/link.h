/* isup/link.h - one ISUP linkset: a libss7 instance (ITU, SS7_TRANSPORT_DAHDIMTP2) on
 * the signalling link of a TDM span, its CIC pool and the call legs on its circuits.
 * Every SU passes our validator (isup/msu.h) and the tap before libss7 sees it; libss7's
 * timers and events are driven from our loop. Group reset at link up, BLO/UBL, RSC,
 * dual seizure. Config: [linkset NAME] with chan_dahdi.conf's SS7 words. */
#ifndef ISUP_LINK_H
#define ISUP_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct conf;
struct tdm_span;
struct call_leg;
struct cic_pool;

#include "isup/facts.h"

#define LINKSET_CICS_MAX 31


struct linkset_cfg {
	char name[32];
	char span[32];		/* [span NAME] carrying the link and the circuits */
	unsigned opc, dpc;	/* pointcode, adjpointcode (ITU 14 bit) */
	int ni;			/* networkindicator: SS7_NI_* */
	unsigned sigchan;	/* timeslot of the signalling link */
	unsigned n_cics;
	uint16_t cics[LINKSET_CICS_MAX];
	uint8_t timeslots[LINKSET_CICS_MAX];
	unsigned max_setups;	/* calls in setup at once (bounded in-flight), default 200 */
	unsigned service_setups;	/* more, beyond max_setups, for incoming calls the
					 * owner marks as service calls (142), default 10 */
	uint32_t t7_ms, t9_ms, t1_ms;	/* isup_timer.t7/t9/t1: await ACM/answer/RLC */
	struct call_num_format numfmt;	/* nationalprefix / internationalprefix */
};

/* Parse section "linkset NAME". 0 or -EINVAL with "file:line: ..." in err. */
int linkset_cfg_parse(struct conf *c, const char *section, struct linkset_cfg *cfg,
		      char *err, size_t errlen);

struct isup_link_stats {
	uint64_t su_rx, su_tx, msu_rx, msu_tx;
	uint64_t dropped;		/* malformed SUs/MSUs dropped by the validator */
	uint64_t iam_rejected;		/* IAMs released with cause 28 by the validator */
	uint64_t iam_in, iam_out, congestion;	/* congestion: refused by max_setups/no CIC */
	uint64_t service_taken;	/* service calls taken beyond max_setups */
	uint64_t unexpected;		/* messages for no call / unknown CIC */
	uint64_t dual_seizures, resets, link_downs;
};

struct isup_link;

/* What the owner (cfwdd's call layer, or the lab) hears from a link. */
struct isup_link_owner {
	/* A new incoming leg (IAM accepted, facts filled). The owner must call
	 * call_leg_set_owner() and route it, or call_leg_release() it. */
	void (*incoming)(void *user, struct isup_link *lk, struct call_leg *leg);
	void (*link_state)(void *user, struct isup_link *lk, bool up);	/* optional */
	/* Every SU sent and received (after validation), for pcap/ladder. Optional. */
	void (*su_tap)(void *user, struct isup_link *lk, bool sent, const uint8_t *su,
		       size_t len);
	/* An incoming call the linkset still takes when max_setups calls are in setup
	 * (up to service_setups more): e.g. the subscriber's own 142. Optional. */
	bool (*service_call)(void *user, struct isup_link *lk, const struct call_facts *f);
};

/* Open the link on span's sigchan. NULL with a message in err. */
struct isup_link *isup_link_open(struct loop *l, const struct linkset_cfg *cfg,
				 struct tdm_span *span, const struct isup_link_owner *owner,
				 void *user, char *err, size_t errlen);
/* Release/reset everything without signalling and free (legs report cause 41). */
void isup_link_close(struct isup_link *lk);

const char *isup_link_name(const struct isup_link *lk);
const struct linkset_cfg *isup_link_cfg(const struct isup_link *lk);
bool isup_link_is_up(const struct isup_link *lk);
struct cic_pool *isup_link_cics(struct isup_link *lk);
struct tdm_span *isup_link_span(struct isup_link *lk);
const struct isup_link_stats *isup_link_stats(const struct isup_link *lk);
unsigned isup_link_setups(const struct isup_link *lk);	/* legs before answer */
unsigned isup_link_legs(const struct isup_link *lk);	/* live legs */

/* Block (BLO) or unblock (UBL) one of our circuits towards the far end (Q.764 2.8.2):
 * the far end stops / resumes using it for its outgoing calls; calls in progress are
 * not affected. -ENOENT (not ours), -ENOTCONN (link down), -EIO. */
int isup_link_block(struct isup_link *lk, uint16_t cic, bool block);

/* Reset every circuit (GRS, Q.764 2.9.3): calls on the link end at once (owners hear
 * released(41)), circuits wait in "reset" for the GRA. -ENOTCONN if the link is down. */
int isup_link_reset(struct isup_link *lk);

/* Release every call on the link towards the network (REL cause, waiting for RLC);
 * each leg's owner hears released(cause) first, so call objects and sessions end too.
 * Used at shutdown. */
void isup_link_release_all(struct isup_link *lk, int cause);

#endif
