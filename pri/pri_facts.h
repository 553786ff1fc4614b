/* pri/pri_facts.h - Q.931 (libpri) <-> signalling-neutral call facts (isup/facts.h), as
 * Q.699 and common practice interwork them: numbering plan/type <-> NAI, calling number
 * presentation and screening kept, Redirecting Number IE (+ the diversion counter and
 * original called number that euroisdn/qsig carry in DivertingLegInformation2) <->
 * OCN/RGN/Redirection Information, bearer capability <-> TMR, Q.850 causes both ways.
 * Pure functions; only pri/ and its tests include this (it exposes libpri types). */
#ifndef PRI_PRI_FACTS_H
#define PRI_PRI_FACTS_H

#include <libpri.h>
#include <stdbool.h>
#include <stdint.h>

#include "isup/facts.h"

/* Q.931 type of number (plan >> 4) <-> ISUP nature of address indicator */
uint8_t pri_facts_nai_from_plan(int plan);
int pri_facts_plan_from_nai(uint8_t nai);	/* TON << 4 | NPI E.164 (1) */

/* Reason for redirection: Q.931 (0 unknown, 1 busy, 2 no reply, 4 deflection,
 * 9 DTE out of order, 10 by the called DTE, 15 unconditional) <-> ISUP (Q.763 3.45:
 * 0 unknown, 1 busy, 2 no reply, 3 unconditional, 4/5 deflection, 6 not reachable). */
uint8_t pri_facts_reason_to_isup(int q931_reason);
int pri_facts_reason_from_isup(uint8_t isup_reason);

/* Bearer capability information transfer capability <-> TMR (0 speech, 2 64k, 3 3.1k) */
uint8_t pri_facts_tmr_from_cap(int transcap);
int pri_facts_cap_from_tmr(uint8_t tmr);

/* Q.850 cause passed between legs: 1..127 unchanged, the call layer's TRY_AGAIN (256)
 * becomes 34, anything else 31 (normal, unspecified). Same both ways (Q.850 both sides). */
int pri_facts_cause(int cause);

/* One number: presentation/screening from libpri's combined field, digits bounded. */
void pri_facts_number_in(struct call_number *n, const struct pri_party_number *p);
void pri_facts_number_out(struct pri_party_number *p, const struct call_number *n);

/* The facts of a received SETUP. redir is the PRI_SUBCMD_REDIRECTING data (counter,
 * original called number, original reason) or NULL when the SETUP had none. */
void pri_facts_from_ring(struct call_facts *f, const pri_event_ring *r,
			 const struct pri_party_redirecting *redir);
/* What a SETUP built from f carries: the caller unchanged, and the redirecting parties
 * when f has a redirection set (returns true then): from = RGN (or OCN), orig_called =
 * OCN when the call was diverted more than once, reason/orig_reason/count from RI. */
void pri_facts_caller_out(struct pri_party_id *caller, const struct call_facts *f);
bool pri_facts_redirecting_out(struct pri_party_redirecting *r, const struct call_facts *f);

/* First PRI_SUBCMD_REDIRECTING in an event's subcommands, or NULL. */
const struct pri_party_redirecting *pri_facts_find_redirecting(const struct pri_subcommands *s);

#endif
