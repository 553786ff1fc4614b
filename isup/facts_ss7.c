/* isup/facts_ss7.c - call facts to and from libss7: filled from ss7_event_iam (the
 * '#' ST marker stripped, the redirection set taken only from this IAM, since calls are
 * freed on every path), and set on an outgoing isup_call: called number, the caller
 * exactly as received, category, TMR, and OCN/RGN/RI only when the facts carry them.
 * Never isup_set_redirect_counter (national parameter 0x77, notes §2.2). The number
 * format (prefixes on and off the wire) is isup/facts.c's. */
#include <string.h>

#include "core/util.h"
#include "isup/link_int.h"

static void num_from(struct call_number *n, const char *digits, uint8_t nai, uint8_t pres,
		     uint8_t screen)
{
	str_copy(n->digits, digits, sizeof(n->digits));
	n->nai = nai;
	n->pres = pres;
	n->screen = screen;
}

void call_facts_from_iam(struct call_facts *f, const ss7_event_iam *e)
{
	size_t n;

	memset(f, 0, sizeof(*f));
	num_from(&f->called, e->called_party_num, e->called_nai, 0, 0);
	n = strlen(f->called.digits);
	if (n && f->called.digits[n - 1] == '#') {
		f->called.digits[n - 1] = '\0';
		f->called_complete = true;
	}
	num_from(&f->calling, e->calling_party_num, e->calling_nai, e->presentation_ind,
		 e->screening_ind);
	f->has_calling = e->calling_party_num[0] ||
			 e->presentation_ind == SS7_PRESENTATION_ADDR_NOT_AVAILABLE;
	f->category = e->calling_party_cat;
	f->tmr = (uint8_t)e->transcap;
	/* the leg is fresh (calls are freed on every path), so these are this IAM's */
	if (e->orig_called_num[0])
		num_from(&f->ocn, e->orig_called_num, e->orig_called_nai,
			 e->orig_called_pres_ind, 0);
	if (e->redirecting_num[0])
		num_from(&f->rgn, e->redirecting_num, e->redirecting_num_nai,
			 e->redirecting_num_presentation_ind, 0);
	f->has_ri = e->redirect_info != 0;
	if (f->has_ri) {
		f->ri_ind = e->redirect_info_ind;
		f->ri_orig_reason = e->redirect_info_orig_reas;
		f->ri_counter = e->redirect_info_counter;
		f->ri_reason = e->redirect_info_reas;
	}
}

/* The onward IAM: called number, the caller exactly as received, the category, and the
 * redirection set only when the facts carry it. Never isup_set_redirect_counter. */
void call_facts_to_iam(struct isup_call *c, const struct ss7 *ss7, const struct call_facts *f)
{
	isup_set_called(c, f->called.digits, f->called.nai ? f->called.nai : SS7_NAI_NATIONAL,
			ss7);
	if (f->has_calling)
		isup_set_calling(c, f->calling.digits, f->calling.nai, f->calling.pres,
				 f->calling.screen);
	isup_set_calling_party_category(c, f->category ? f->category
						       : CALL_CATEGORY_ORDINARY);
	isup_set_tmr(c, f->tmr);
	if (f->ocn.digits[0])
		isup_set_orig_called_num(c, f->ocn.digits, f->ocn.nai, f->ocn.pres, 0);
	if (f->rgn.digits[0])
		isup_set_redirecting_number(c, f->rgn.digits, f->rgn.nai, f->rgn.pres, 0);
	if (f->has_ri)
		isup_set_redirection_info(c, f->ri_ind, f->ri_orig_reason, f->ri_counter,
					  f->ri_reason);
}

