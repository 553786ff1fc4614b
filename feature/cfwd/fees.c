/* feature/cfwd/fees.c - fee configuration and the per-subscriber monthly charge from the
 * active orders (the day the service became active starts the charge; the installation
 * fee falls in that month). Pure arithmetic apart from reading the orders. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/conf.h"
#include "core/util.h"
#include "feature/cfwd/fees.h"
#include "feature/cfwd/order.h"

static const struct value_string prorata_names[] = {
	{ FEES_PRORATA_DAILY, "daily" },
	{ FEES_PRORATA_NONE, "none" },
	{ FEES_PRORATA_HALF_MONTH, "half-month" },
	{ 0, NULL }
};

void fees_default(struct fees *f)
{
	f->monthly = 550;
	f->install = 1100;
	f->install_with_phone = 550;
	f->prorata = FEES_PRORATA_DAILY;
	f->work_lead_days = 1;
}

const char *fees_prorata_name(enum fees_prorata p)
{
	return get_value_string(prorata_names, (int)p);
}

int fees_load(struct conf *c, struct fees *f, char *err, size_t errlen)
{
	const char *pr = NULL;
	long lead = f->work_lead_days;
	int v;

	if (conf_get_long(c, "fees", "monthly", 0, 100000, f->monthly, &f->monthly, err,
			  errlen) ||
	    conf_get_long(c, "fees", "install", 0, 100000, f->install, &f->install, err,
			  errlen) ||
	    conf_get_long(c, "fees", "install_with_phone", 0, 100000, f->install_with_phone,
			  &f->install_with_phone, err, errlen) ||
	    conf_get_long(c, "orders", "work_lead_days", 1, 60, lead, &lead, err, errlen) ||
	    conf_get_str(c, "fees", "prorata", NULL, &pr, err, errlen))
		return -EINVAL;
	f->work_lead_days = (int)lead;
	if (!pr)
		return 0;
	if (get_string_value(prorata_names, pr, &v)) {
		conf_errf(c, conf_find(c, "fees", "prorata"), err, errlen,
			  "'%s': expected daily, none or half-month", pr);
		return -EINVAL;
	}
	f->prorata = (enum fees_prorata)v;
	return 0;
}

long fees_monthly_charge(const struct fees *f, int32_t month_first, int32_t from, int *days)
{
	int mdays = doc_date_month(month_first, NULL);
	int32_t last = month_first + mdays - 1;

	*days = 0;
	if (from > last)
		return 0;
	if (from <= month_first) {
		*days = mdays;
		return f->monthly;
	}
	*days = last - from + 1;
	switch (f->prorata) {
	case FEES_PRORATA_DAILY:
		return f->monthly * *days / mdays;	/* yen, rounded down */
	case FEES_PRORATA_HALF_MONTH:
		return from - month_first + 1 <= 15 ? f->monthly : f->monthly / 2;
	case FEES_PRORATA_NONE:
		break;
	}
	return f->monthly;
}

struct month_walk {
	const struct fees *f;
	int32_t first;
	int (*cb)(void *user, const struct fees_line *l);
	void *user;
};

static int month_line(void *user, const struct order *r)
{
	struct month_walk *w = user;
	struct fees_line l = { .order_id = r->id, .active_on = r->active_on };
	int mdays = doc_date_month(w->first, NULL);

	if (r->active_on == DOC_DATE_NONE || r->active_on >= w->first + mdays)
		return 0;
	str_copy(l.number, r->number, sizeof(l.number));
	l.monthly = fees_monthly_charge(w->f, w->first, r->active_on, &l.days);
	if (r->active_on >= w->first)
		l.install = r->with_phone_install ? w->f->install_with_phone : w->f->install;
	l.total = l.monthly + l.install;
	return w->cb(w->user, &l);
}

int fees_month_foreach(struct orders *o, const struct fees *f, int32_t month_first,
		       int (*cb)(void *user, const struct fees_line *l), void *user)
{
	struct month_walk w = { .f = f, .first = month_first, .cb = cb, .user = user };

	return orders_foreach(o, ORDER_ST_ACTIVE, month_line, &w);
}
