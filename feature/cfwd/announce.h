/* feature/cfwd/announce.h - the announcement treatment of a rejected call (SERVICE.md §6,
 * [service] number_request_treatment / reject_list_treatment = announce): the caller's
 * leg gets ACM (no charge, optional backward call indicators "in-band information
 * available"), hears the prompt on its own timeslot (media/player.h, one block sent per
 * block received, so the span paces it), then REL with the reject cause. The call is
 * never answered, forwarded or billed. Plugs into forward_set_announcer(); decides nothing. */
#ifndef CFWD_ANNOUNCE_H
#define CFWD_ANNOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/cfwd/decide.h"

struct loop;
struct prompt_set;
struct tdm_span;
struct call_leg;
struct announcer;

struct announcer_stats {
	uint64_t started;	/* announcements begun (ACM sent) */
	uint64_t completed;	/* played to the end, then REL */
	uint64_t caller_released;	/* the caller hung up during the announcement */
	uint64_t timed_out;	/* no audio clock on the timeslot: released anyway */
	uint64_t refused;	/* not taken (unknown span, slot busy, ENOMEM) */
};

/* ps must outlive the announcer. NULL on ENOMEM. */
struct announcer *announcer_alloc(struct loop *l, const struct prompt_set *ps);
/* Announcements still running are dropped without signalling. NULL-safe. */
void announcer_free(struct announcer *a);
/* Shutdown: every announcement is forgotten; its leg is left to the caller, who
 * releases it (isup_link_release_all). */
void announcer_stop(struct announcer *a);
/* A span whose timeslots may carry announcements. 0 or -ENOMEM. */
int announcer_add_span(struct announcer *a, struct tdm_span *s);

/* The forward_announce_fn: announce to the caller of in why the call is rejected
 * (Number Request or rejection list), then release with cause. false when it cannot
 * (the caller then releases the leg plainly); true when the leg was taken. */
bool announcer_incoming(void *user, struct call_leg *in, enum cfwd_why why, uint8_t cause);
/* A received bearer block of (s, ts); false when no announcement is on that timeslot. */
bool announcer_bearer_rx(struct announcer *a, struct tdm_span *s, unsigned ts,
			 const uint8_t *blk);

unsigned announcer_active(const struct announcer *a);
const struct announcer_stats *announcer_stats(const struct announcer *a);

#endif
