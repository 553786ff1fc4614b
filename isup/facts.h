/* isup/facts.h - the signalling-neutral "call facts" of a call attempt: called and
 * calling numbers with their indicators, category, and the redirection set (OCN, RGN,
 * RI). Filled from an ISUP IAM (isup/call_leg.c), read by routing and features, and
 * used to build an onward IAM. Does not hold any libss7 type. Q.763 codings. */
#ifndef ISUP_FACTS_H
#define ISUP_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#define CALL_NUM_SIZE 24	/* Q.763 numbers fit in 20 digits; + NUL, with margin */

struct call_number {
	char digits[CALL_NUM_SIZE];	/* "" when absent */
	uint8_t nai;			/* SS7_NAI_* values (3 national, 4 international) */
	uint8_t pres;			/* APRI: 0 allowed, 1 restricted, 2 not available */
	uint8_t screen;			/* calling number only */
};

struct call_facts {
	struct call_number called;
	bool called_complete;		/* ST digit seen */
	struct call_number calling;
	bool has_calling;		/* parameter present (pres 2 may carry no digits) */
	uint8_t category;		/* calling party's category, 10 = ordinary */
	uint8_t tmr;			/* transmission medium requirement */
	struct call_number ocn;		/* original called number ("" = absent) */
	struct call_number rgn;		/* redirecting number ("" = absent) */
	bool has_ri;			/* redirection information present */
	uint8_t ri_ind, ri_orig_reason, ri_counter, ri_reason;
};

#define CALL_CATEGORY_ORDINARY 10

/* How numbers look on one linkset's wire. We hold numbers as dialled in the country
 * ("0312345678", "010..." abroad); Q.763 wants a national (significant) number without
 * the trunk prefix, NAI 3, and an international number without the international prefix,
 * NAI 4. With a prefix set, call_facts_to_wire takes it off and sets the NAI, and
 * call_facts_from_wire puts it back for that NAI. Empty prefixes: no change either way. */
struct call_num_format {
	char natprefix[4];		/* nationalprefix, e.g. "0" */
	char intlprefix[4];		/* internationalprefix, e.g. "010" */
};

/* Every number in f (called, calling, OCN, RGN) from the wire form to ours. */
void call_facts_from_wire(struct call_facts *f, const struct call_num_format *fmt);
/* A copy of f with every number in the wire form: a number starting with the
 * international prefix goes out without it as NAI 4, one starting with the national
 * prefix without it as NAI 3, any other (a service code such as 142) as NAI 2 unknown. */
void call_facts_to_wire(struct call_facts *out, const struct call_facts *f,
			const struct call_num_format *fmt);

#endif
