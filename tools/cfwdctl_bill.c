/* tools/cfwdctl_bill.c - `cfwdctl bill month YYYY-MM`: the month's charges per
 * subscriber from the active orders (monthly fee with the pro-rata rule of
 * conf/fees.conf, installation fee in the month the service became active), then the
 * month's call billing records of SERVICE.md §7 as CSV (answered in that month, local
 * time). Active subscribers without an order are listed, not charged. With --json,
 * one object: fees, charges, total, unbilled, call_records. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "feature/cfwd/billing.h"
#include "tools/cfwdctl_order.h"

struct bill {
	struct octl *c;
	FILE *f;
	bool json;
	char (*numbers)[16];
	size_t n, cap;
	long total;
	time_t from, to;		/* the month, local time */
	int records, unbilled;
};

static int bill_line(void *user, const struct fees_line *l)
{
	struct bill *b = user;
	char d[16];

	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		void *nv = realloc(b->numbers, cap * sizeof(*b->numbers));

		if (!nv)
			return -ENOMEM;
		b->numbers = nv;
		b->cap = cap;
	}
	str_copy(b->numbers[b->n++], l->number, sizeof(b->numbers[0]));
	doc_date_format(l->active_on, d, sizeof(d));
	b->total += l->total;
	if (b->json)
		fprintf(b->f, "%s{\"number\":\"%s\",\"order\":%lld,\"active_from\":\"%s\","
			      "\"days\":%d,\"monthly\":%ld,\"install\":%ld,\"total\":%ld}",
			b->n > 1 ? "," : "", l->number, (long long)l->order_id, d, l->days,
			l->monthly, l->install, l->total);
	else
		fprintf(b->f, "%-12s %-6lld %-11s %4d %7ld %7ld %7ld\n", l->number,
			(long long)l->order_id, d, l->days, l->monthly, l->install, l->total);
	return 0;
}

static int unbilled(void *user, const struct cfwd_sub *sub)
{
	struct bill *b = user;

	if (!sub->active)
		return 0;
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->numbers[i], sub->number))
			return 0;
	if (b->json)
		fprintf(b->f, "%s\"%s\"", b->unbilled ? "," : "", sub->number);
	else
		fprintf(b->f, "# %s: active without an order, not charged\n", sub->number);
	b->unbilled++;
	return 0;
}

static int cdr_line(void *user, const struct billing_record *rec)
{
	struct bill *b = user;

	if (rec->answer_s < b->from || rec->answer_s >= b->to)
		return 0;
	if (!b->json) {
		b->records++;
		return billing_csv_row(b->f, rec);
	}
	fprintf(b->f, "%s{\"id\":%lld,\"call_ref\":", b->records++ ? "," : "",
		(long long)rec->id);
	cfwdctl_json_str(b->f, rec->call_ref);
	fprintf(b->f, ",\"leg\":\"%s\",\"billed\":\"%s\",\"from\":\"%s\",\"to\":\"%s\","
		      "\"start\":%lld,\"answer\":%lld,\"end\":%lld,\"duration_s\":%u}",
		billing_leg_name(rec->leg), rec->billed, rec->from, rec->to,
		(long long)rec->start_s, (long long)rec->answer_s, (long long)rec->end_s,
		rec->duration_s);
	return 0;
}

static time_t local_midnight(int32_t day)
{
	struct tm tm = { .tm_isdst = -1 };
	char buf[16];

	doc_date_format(day, buf, sizeof(buf));
	sscanf(buf, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return mktime(&tm);
}

static int bill_text(struct octl *c, struct bill *b, const char *month, int32_t first)
{
	FILE *f = b->f;
	int rc;

	fprintf(f, "charges %s (yen; monthly %ld, installation %ld or %ld with the phone "
		   "service; first month pro-rata %s)\n", month, c->fees.monthly, c->fees.install,
		c->fees.install_with_phone, fees_prorata_name(c->fees.prorata));
	fprintf(f, "%-12s %-6s %-11s %4s %7s %7s %7s\n", "number", "order", "active-from",
		"days", "monthly", "install", "total");
	rc = fees_month_foreach(c->o, &c->fees, first, bill_line, b);
	if (!rc)
		rc = store_sub_foreach(c->ctx->st, unbilled, b);
	if (!rc) {
		fprintf(f, "total %ld yen for %zu subscriber(s)\n", b->total, b->n);
		fprintf(f, "call records %s (SERVICE.md section 7, answered in the month)\n",
			month);
		rc = billing_csv_header(f);
	}
	if (!rc)
		rc = store_cdr_foreach(c->ctx->st, cdr_line, b);
	if (!rc)
		fprintf(f, "%d call record(s)\n", b->records);
	return rc;
}

static int bill_json(struct octl *c, struct bill *b, const char *month, int32_t first)
{
	FILE *f = b->f;
	int rc;

	fprintf(f, "{\"ok\":true,\"month\":\"%s\",\"fees\":{\"monthly\":%ld,\"install\":%ld,"
		   "\"install_with_phone\":%ld,\"prorata\":\"%s\"},\"charges\":[", month,
		c->fees.monthly, c->fees.install, c->fees.install_with_phone,
		fees_prorata_name(c->fees.prorata));
	rc = fees_month_foreach(c->o, &c->fees, first, bill_line, b);
	fprintf(f, "],\"total\":%ld,\"unbilled\":[", b->total);
	if (!rc)
		rc = store_sub_foreach(c->ctx->st, unbilled, b);
	fputs("],\"call_records\":[", f);
	if (!rc)
		rc = store_cdr_foreach(c->ctx->st, cdr_line, b);
	fputs("]}\n", f);
	return rc;
}

static int bill_month(struct octl *c, const char *month)
{
	struct bill b = { .c = c, .f = c->ctx->out, .json = c->ctx->json };
	char iso[16];
	int32_t first;
	int rc;

	if (strlen(month) != 7 || month[4] != '-')
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "'%s' is not a month (YYYY-MM)", month);
	snprintf(iso, sizeof(iso), "%s-01", month);
	if (doc_date_parse(iso, &first))
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "'%s' is not a month (YYYY-MM)", month);
	if ((rc = octl_open(c)))
		return rc;
	b.from = local_midnight(first);
	b.to = local_midnight(first + doc_date_month(first, NULL));
	rc = b.json ? bill_json(c, &b, month, first) : bill_text(c, &b, month, first);
	free(b.numbers);
	return rc ? cfwdctl_store_err(c->ctx, rc, "bill month") : 0;
}

int cfwdctl_bill_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct octl c;
	int rc;

	if ((rc = octl_init(&c, ctx, argc, argv, "")))
		return rc;
	if (c.npos == 2 && !strcmp(c.pos[0], "month"))
		rc = bill_month(&c, c.pos[1]);
	else
		rc = cfwdctl_err(ctx, CFWDCTL_BAD, "usage: bill month YYYY-MM [--fees FILE]");
	octl_close(&c);
	return rc;
}
