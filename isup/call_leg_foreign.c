/* isup/call_leg_foreign.c - foreign call legs (isup/call_leg.h): a call_leg shell for a
 * call of another signalling system (pri/pri_call.c: a PRI B-channel). It holds the
 * facts, the owner and the backend; the call_leg_* requests in isup/call_leg.c forward to
 * the backend, and the backend reports back here. No FSM, no link, no timer: the backend
 * runs its own protocol. */
#include <stdlib.h>

#include "core/clock.h"
#include "isup/call_leg_int.h"
#include "isup/link.h"

struct call_leg *call_leg_foreign_new(const struct call_leg_backend *be, void *priv,
				      struct tdm_span *span, unsigned ts,
				      const struct call_facts *f, bool outgoing)
{
	struct call_leg *leg = calloc(1, sizeof(*leg));

	if (!leg)
		return NULL;
	leg->be = be;
	leg->be_priv = priv;
	leg->be_span = span;
	leg->be_ts = ts;
	leg->cicn = (uint16_t)ts;
	leg->facts = *f;
	leg->outgoing = outgoing;
	leg->start_us = clock_now_us();
	return leg;
}

void call_leg_foreign_event(struct call_leg *leg, enum call_leg_foreign_ev ev, int arg)
{
	const struct call_leg_ops *ops = leg->ops;

	switch (ev) {
	case CALL_LEG_FOREIGN_ALERTING:
		if (ops && ops->alerting)
			ops->alerting(leg->user, leg);
		break;
	case CALL_LEG_FOREIGN_PROGRESS:
		if (ops && ops->progress)
			ops->progress(leg->user, leg, arg);
		break;
	case CALL_LEG_FOREIGN_ANSWERED:
		if (ops && ops->answered)
			ops->answered(leg->user, leg);
		break;
	case CALL_LEG_FOREIGN_RELEASED:
		call_leg_owner_released(leg, arg);
		free(leg);
		break;
	}
}

bool call_leg_is_foreign(const struct call_leg *leg)
{
	return leg->be != NULL;
}

struct tdm_span *call_leg_span(const struct call_leg *leg)
{
	return leg->be ? leg->be_span : isup_link_span(leg->lk);
}

const char *call_leg_trunk_name(const struct call_leg *leg)
{
	return leg->be ? leg->be->trunk_name(leg->be_priv) : isup_link_name(leg->lk);
}
