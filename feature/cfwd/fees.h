/* feature/cfwd/fees.h - the service's fees (SERVICE.md §8) and the monthly charge per
 * subscriber: monthly 550 yen, installation 1,100 yen or a reduced amount when
 * installed together with the phone service, pro-rata rule for the first month.
 * Amounts and rule come from conf/fees.conf ([fees], [orders]). Call charges are the
 * billing records of §7 (billing.h); nothing here prices calls. */
#ifndef CFWD_FEES_H
#define CFWD_FEES_H

#include <stdint.h>

struct conf;
struct orders;

enum fees_prorata {
	FEES_PRORATA_DAILY,	/* first month: monthly * active days / days in month */
	FEES_PRORATA_NONE,	/* first month charged in full */
	FEES_PRORATA_HALF_MONTH,	/* active from the 16th or later: half */
};

struct fees {
	long monthly;			/* yen, tax included */
	long install;
	long install_with_phone;	/* reduced installation fee */
	enum fees_prorata prorata;
	int work_lead_days;		/* earliest work date: verification day + this */
};

/* 550 / 1100 / 550 / daily / 1. The seed page says only that the installation fee is
 * "reduced" with the phone service; 550 (half) is our documented default. */
void fees_default(struct fees *f);
/* [fees] monthly, install, install_with_phone (0..100000), prorata =
 * daily|none|half-month; [orders] work_lead_days (1..60). -EINVAL with a message. */
int fees_load(struct conf *c, struct fees *f, char *err, size_t errlen);
const char *fees_prorata_name(enum fees_prorata p);

/* The monthly fee for a month (first day month_first) of a service active from day
 * 'from'; 0 if it starts after the month. *days gets the active days in the month. */
long fees_monthly_charge(const struct fees *f, int32_t month_first, int32_t from, int *days);

struct fees_line {
	char number[16];
	int64_t order_id;
	int32_t active_on;
	int days;
	long monthly, install, total;
};
/* One line per active order whose service was active in that month, in order id
 * order. cb's non-zero return stops and is returned. */
int fees_month_foreach(struct orders *o, const struct fees *f, int32_t month_first,
		       int (*cb)(void *user, const struct fees_line *l), void *user);

#endif
