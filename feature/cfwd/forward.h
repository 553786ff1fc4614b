/* feature/cfwd/forward.h - call forwarding on the wire (SERVICE.md §6-7): for an IAM to
 * a subscriber, read the settings from the store (per call), decide (decide.h), and run
 * the mechanics: CFU (onward leg at once), CFB (on the subscriber leg's REL 17), CFNR
 * (our ring timer from the subscriber leg's ACM), with the onward IAM's redirection set
 * and no notification to the caller; billing records at release for answered forwarded
 * calls. Does not dispatch 142 / access numbers (forward_hook.h) nor play announcements
 * (an announcer is plugged in with forward_set_announcer). */
#ifndef CFWD_FORWARD_H
#define CFWD_FORWARD_H

#include <stdbool.h>
#include <stdint.h>

#include "feature/cfwd/decide.h"

struct loop;
struct store;
struct call_ctx;
struct call_leg;
struct forward;

struct forward_stats {
	uint64_t offered;	/* IAMs to a subscriber */
	uint64_t rejected;	/* Number Request / rejection list */
	uint64_t announced;	/* of those, given to the announcer */
	uint64_t cfu, cfb, cfnr;	/* diversions placed */
	uint64_t limit;		/* not diverted: counter limit reached */
	uint64_t billed;	/* billing records written */
	uint64_t store_errors;
};

/* NULL on ENOMEM. The store and config outlive the forward object. */
struct forward *forward_alloc(struct loop *l, struct store *st,
			      const struct cfwd_decide_conf *conf);
void forward_free(struct forward *fw);	/* NULL-safe; calls in progress must be gone */

/* An incoming leg whose called number may be a subscriber. Returns false when it is not
 * a subscriber or forwarding has nothing to do with the call (plain routing goes on);
 * true when the call was taken: rejected, diverted, or offered with CFB/CFNR armed. */
bool forward_incoming(struct forward *fw, struct call_ctx *ctx, struct call_leg *in);

const struct forward_stats *forward_stats(const struct forward *fw);

/* The announcement treatment (feature/cfwd/announce.h): for a rejected call whose
 * treatment is `announce`, fn takes the caller's leg (true) or declines (false: REL). */
typedef bool (*forward_announce_fn)(void *user, struct call_leg *in, enum cfwd_why why,
				    uint8_t cause);
void forward_set_announcer(struct forward *fw, forward_announce_fn fn, void *user);

/* Write billing records from a child process (forward_cdr.h) instead of the loop, so
 * commits never stall signalling. Call before any call arrives. 0 or -errno + err. */
int forward_start_writer(struct forward *fw, char *err, size_t errlen);

#endif
