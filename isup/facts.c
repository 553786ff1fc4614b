/* isup/facts.c - the number format of one trunk's wire (isup/facts.h struct
 * call_num_format): numbers held as dialled in the country ("0312345678", "010...")
 * go out without the national or international prefix, typed national or international
 * (Q.763 NAI 3/4; pri/ maps them to Q.931 types of number), and come back with the
 * prefix for those types. Shared by ISUP linksets and PRI trunks. Pure functions on
 * call facts: does not know libss7 or libpri. */
#include <stdbool.h>
#include <string.h>

#include "isup/facts.h"

/* Q.763 3.9 nature of address indicator */
enum { NAI_UNKNOWN = 2, NAI_NATIONAL = 3, NAI_INTERNATIONAL = 4 };

static bool has_prefix(const char *digits, const char *prefix)
{
	size_t n = strlen(prefix);

	return n && strlen(digits) > n && !strncmp(digits, prefix, n);
}

static void num_from_wire(struct call_number *n, const struct call_num_format *fmt)
{
	const char *prefix = n->nai == NAI_NATIONAL	     ? fmt->natprefix
			     : n->nai == NAI_INTERNATIONAL ? fmt->intlprefix
							       : "";
	size_t pl = strlen(prefix), dl = strlen(n->digits);

	if (!pl || !dl || pl + dl >= sizeof(n->digits))
		return;		/* no room (numbers are bounded well below it) */
	memmove(n->digits + pl, n->digits, dl + 1);
	memcpy(n->digits, prefix, pl);
}

/* Take off a prefix has_prefix() found: the rest moves to the front. */
static void strip(char *digits, size_t n)
{
	memmove(digits, digits + n, strlen(digits + n) + 1);
}

static void num_to_wire(struct call_number *n, const struct call_num_format *fmt)
{
	if (!n->digits[0] || (!fmt->natprefix[0] && !fmt->intlprefix[0]))
		return;
	if (has_prefix(n->digits, fmt->intlprefix)) {
		strip(n->digits, strlen(fmt->intlprefix));
		n->nai = NAI_INTERNATIONAL;
	} else if (has_prefix(n->digits, fmt->natprefix)) {
		strip(n->digits, strlen(fmt->natprefix));
		n->nai = NAI_NATIONAL;
	} else if (n->nai == NAI_NATIONAL || n->nai == NAI_INTERNATIONAL || !n->nai) {
		n->nai = NAI_UNKNOWN;	/* a service code such as 142 */
	}
}

void call_facts_from_wire(struct call_facts *f, const struct call_num_format *fmt)
{
	num_from_wire(&f->called, fmt);
	num_from_wire(&f->calling, fmt);
	num_from_wire(&f->ocn, fmt);
	num_from_wire(&f->rgn, fmt);
}

void call_facts_to_wire(struct call_facts *out, const struct call_facts *f,
			const struct call_num_format *fmt)
{
	*out = *f;
	num_to_wire(&out->called, fmt);
	num_to_wire(&out->calling, fmt);
	num_to_wire(&out->ocn, fmt);
	num_to_wire(&out->rgn, fmt);
}
