/* pri/pri_facts.c - Q.931 (libpri) <-> call facts. Numbers keep their digits, type of
 * number, presentation and screening; the Redirecting Number IE becomes RGN, and OCN too
 * for a first diversion (ISUP carries both), the DivertingLegInformation2 counter and
 * original called number fill RI/OCN when the switch type carries them. Pure functions,
 * table-tested in tests/test_pri_facts.c. Does not send anything. */
#include <string.h>

#include "core/util.h"
#include "pri/pri_facts.h"

#define NPI_E164 0x01
#define PRES_SHIFT 5

/* ISUP NAI (Q.763 3.9) and Q.931 type of number (4.5.10) */
enum { NAI_SUBSCRIBER = 1, NAI_UNKNOWN = 2, NAI_NATIONAL = 3, NAI_INTERNATIONAL = 4 };
enum { TON_UNKNOWN = 0, TON_INTERNATIONAL = 1, TON_NATIONAL = 2, TON_SUBSCRIBER = 4 };

/* ISUP redirection indicator: call diverted / diverted, all information restricted */
enum { RI_DIVERTED = 3, RI_DIVERTED_RESTRICTED = 4 };

uint8_t pri_facts_nai_from_plan(int plan)
{
	switch ((plan >> 4) & 0x07) {
	case TON_INTERNATIONAL:
		return NAI_INTERNATIONAL;
	case TON_NATIONAL:
		return NAI_NATIONAL;
	case TON_SUBSCRIBER:
		return NAI_SUBSCRIBER;
	default:
		return NAI_UNKNOWN;
	}
}

int pri_facts_plan_from_nai(uint8_t nai)
{
	switch (nai) {
	case NAI_INTERNATIONAL:
		return TON_INTERNATIONAL << 4 | NPI_E164;
	case NAI_NATIONAL:
		return TON_NATIONAL << 4 | NPI_E164;
	case NAI_SUBSCRIBER:
		return TON_SUBSCRIBER << 4 | NPI_E164;
	default:
		return TON_UNKNOWN << 4 | NPI_E164;
	}
}

uint8_t pri_facts_reason_to_isup(int q931_reason)
{
	switch (q931_reason) {
	case 1:
		return 1;	/* call forwarding busy */
	case 2:
		return 2;	/* call forwarding no reply */
	case 3:		/* libpri's PRI_REDIR_DEFLECTION */
	case 4:		/* Q.931 call deflection */
		return 4;	/* deflection during alerting */
	case 9:
		return 6;	/* called DTE out of order: mobile subscriber not reachable */
	case 15:
		return 3;	/* call forwarding unconditional */
	default:
		return 0;	/* unknown, and 10 (forwarding by the called DTE) */
	}
}

int pri_facts_reason_from_isup(uint8_t isup_reason)
{
	switch (isup_reason) {
	case 1:
		return PRI_REDIR_FORWARD_ON_BUSY;
	case 2:
		return PRI_REDIR_FORWARD_ON_NO_REPLY;
	case 3:
		return PRI_REDIR_UNCONDITIONAL;
	case 4:
	case 5:
		return 4;	/* Q.931 code for call deflection (libpri's constant is 3) */
	case 6:
		return PRI_REDIR_DTE_OUT_OF_ORDER;
	default:
		return PRI_REDIR_UNKNOWN;
	}
}

uint8_t pri_facts_tmr_from_cap(int transcap)
{
	switch (transcap) {
	case PRI_TRANS_CAP_DIGITAL:
		return 2;
	case PRI_TRANS_CAP_3_1K_AUDIO:
		return 3;
	default:
		return 0;
	}
}

int pri_facts_cap_from_tmr(uint8_t tmr)
{
	switch (tmr) {
	case 2:
		return PRI_TRANS_CAP_DIGITAL;
	case 3:
		return PRI_TRANS_CAP_3_1K_AUDIO;
	default:
		return PRI_TRANS_CAP_SPEECH;
	}
}

int pri_facts_cause(int cause)
{
	if (cause == 256)	/* CAUSE_TRY_AGAIN of the call layer */
		return PRI_CAUSE_NORMAL_CIRCUIT_CONGESTION;
	if (cause < 1 || cause > 127)
		return PRI_CAUSE_NORMAL_UNSPECIFIED;
	return cause;
}

void pri_facts_number_in(struct call_number *n, const struct pri_party_number *p)
{
	memset(n, 0, sizeof(*n));
	if (!p->valid)
		return;
	str_copy(n->digits, p->str, sizeof(n->digits));
	n->nai = pri_facts_nai_from_plan(p->plan);
	n->pres = (uint8_t)((p->presentation & PRI_PRES_RESTRICTION) >> PRES_SHIFT);
	n->screen = (uint8_t)(p->presentation & PRI_PRES_NUMBER_TYPE);
}

void pri_facts_number_out(struct pri_party_number *p, const struct call_number *n)
{
	memset(p, 0, sizeof(*p));
	p->valid = 1;
	p->plan = pri_facts_plan_from_nai(n->nai);
	p->presentation = (n->pres & 0x03) << PRES_SHIFT | (n->screen & 0x03);
	str_copy(p->str, n->digits, sizeof(p->str));
}

const struct pri_party_redirecting *pri_facts_find_redirecting(const struct pri_subcommands *s)
{
	if (!s)
		return NULL;
	for (int i = 0; i < s->counter_subcmd && i < PRI_MAX_SUBCOMMANDS; i++)
		if (s->subcmd[i].cmd == PRI_SUBCMD_REDIRECTING)
			return &s->subcmd[i].u.redirecting;
	return NULL;
}

/* Redirecting Number IE (+ DivertingLegInformation2) -> RGN, OCN, RI */
static void redirection_in(struct call_facts *f, const struct pri_party_redirecting *r)
{
	unsigned count = r->count > 0 ? (unsigned)r->count : 1;

	pri_facts_number_in(&f->rgn, &r->from.number);
	f->rgn.screen = 0;
	if (r->orig_called.number.valid && r->orig_called.number.str[0] && count > 1) {
		pri_facts_number_in(&f->ocn, &r->orig_called.number);
		f->ri_orig_reason = pri_facts_reason_to_isup(r->orig_reason);
	} else {
		f->ocn = f->rgn;	/* first diversion: the redirecting party was called */
		f->ri_orig_reason = pri_facts_reason_to_isup(r->reason);
	}
	f->ocn.screen = 0;
	f->has_ri = true;
	f->ri_ind = f->rgn.pres == 0 ? RI_DIVERTED : RI_DIVERTED_RESTRICTED;
	f->ri_reason = pri_facts_reason_to_isup(r->reason);
	f->ri_counter = (uint8_t)(count > 15 ? 15 : count);
}

void pri_facts_from_ring(struct call_facts *f, const pri_event_ring *r,
			 const struct pri_party_redirecting *redir)
{
	memset(f, 0, sizeof(*f));
	str_copy(f->called.digits, r->callednum, sizeof(f->called.digits));
	f->called.nai = pri_facts_nai_from_plan(r->calledplan);
	f->called_complete = r->complete != 0;
	if (r->calling.number.valid) {
		pri_facts_number_in(&f->calling, &r->calling.number);
		f->has_calling = f->calling.digits[0] || f->calling.pres == 2;
	}
	f->category = CALL_CATEGORY_ORDINARY;
	f->tmr = pri_facts_tmr_from_cap(r->ctype);
	if (redir && redir->from.number.valid && redir->from.number.str[0]) {
		redirection_in(f, redir);
	} else if (r->redirectingnum[0]) {
		struct pri_party_redirecting fb;

		memset(&fb, 0, sizeof(fb));
		fb.from.number.valid = 1;
		fb.from.number.plan = r->callingplanrdnis;
		str_copy(fb.from.number.str, r->redirectingnum, sizeof(fb.from.number.str));
		fb.reason = r->redirectingreason;
		fb.count = 1;
		redirection_in(f, &fb);
	}
}

void pri_facts_caller_out(struct pri_party_id *caller, const struct call_facts *f)
{
	memset(caller, 0, sizeof(*caller));
	if (!f->has_calling)
		return;
	pri_facts_number_out(&caller->number, &f->calling);
	if (f->calling.pres == 2 && !f->calling.digits[0])
		caller->number.presentation = PRES_NUMBER_NOT_AVAILABLE;
}

bool pri_facts_redirecting_out(struct pri_party_redirecting *r, const struct call_facts *f)
{
	const struct call_number *from = f->rgn.digits[0] ? &f->rgn : &f->ocn;

	memset(r, 0, sizeof(*r));
	if (!from->digits[0])
		return false;
	pri_facts_number_out(&r->from.number, from);
	/* RGN has no screening indicator in ISUP: the network provides it */
	r->from.number.presentation = (from->pres & 0x03) << PRES_SHIFT | PRI_PRES_NETWORK_NUMBER;
	r->reason = pri_facts_reason_from_isup(f->has_ri ? f->ri_reason : 0);
	r->count = f->has_ri && f->ri_counter ? f->ri_counter : 1;
	r->orig_reason = pri_facts_reason_from_isup(f->has_ri ? f->ri_orig_reason : 0);
	if (f->ocn.digits[0] && strcmp(f->ocn.digits, from->digits)) {
		pri_facts_number_out(&r->orig_called.number, &f->ocn);
		r->orig_called.number.presentation =
			(f->ocn.pres & 0x03) << PRES_SHIFT | PRI_PRES_NETWORK_NUMBER;
	}
	return true;
}
