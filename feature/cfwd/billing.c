/* feature/cfwd/billing.c - the billing record model of SERVICE.md §7 (which legs of a
 * finished call are billed, and to whom) and the CSV export of stored records.
 * Does not watch calls: the daemon fills a struct billing_call when a call ends. */
#include <errno.h>
#include <string.h>

#include "core/util.h"
#include "feature/cfwd/billing.h"

static const struct value_string leg_names[] = {
	{ BILLING_LEG_CALLER, "caller" },
	{ BILLING_LEG_FORWARD, "forward" },
	{ BILLING_LEG_REMOTE, "remote" },
	{ 0, NULL }
};

const char *billing_leg_name(enum billing_leg leg)
{
	return get_value_string(leg_names, leg);
}

int billing_leg_parse(const char *s, enum billing_leg *out)
{
	int v;

	if (!s || get_string_value(leg_names, s, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

static void leg(struct billing_record *r, const struct billing_call *c, enum billing_leg kind,
		const char *billed, const char *from, const char *to)
{
	memset(r, 0, sizeof(*r));
	str_copy(r->call_ref, c->call_ref ? c->call_ref : "", sizeof(r->call_ref));
	r->leg = kind;
	str_copy(r->billed, billed ? billed : "", sizeof(r->billed));
	str_copy(r->from, from ? from : "", sizeof(r->from));
	str_copy(r->to, to ? to : "", sizeof(r->to));
	r->start_s = c->start_s;
	r->answer_s = c->answer_s;
	r->end_s = c->end_s;
	r->duration_s = (uint32_t)(c->end_s - c->answer_s);
}

int billing_records_for_call(const struct billing_call *c, struct billing_record out[2])
{
	if (!c->called || !c->called[0])
		return -EINVAL;
	if (c->answer_s && (c->answer_s < c->start_s || c->end_s < c->answer_s))
		return -EINVAL;
	switch (c->kind) {
	case BILLING_CALL_142:
		return 0;			/* customer control is free */
	case BILLING_CALL_DIRECT:
	case BILLING_CALL_REMOTE:
		if (!c->answer_s)
			return 0;		/* never answered: no charge */
		leg(&out[0], c, c->kind == BILLING_CALL_REMOTE ? BILLING_LEG_REMOTE :
								 BILLING_LEG_CALLER,
		    c->caller, c->caller, c->called);
		return 1;
	case BILLING_CALL_FORWARDED:
		if (!c->forward_to || !c->forward_to[0])
			return -EINVAL;
		if (!c->answer_s)
			return 0;		/* forward-to busy or no answer */
		leg(&out[0], c, BILLING_LEG_CALLER, c->caller, c->caller, c->called);
		leg(&out[1], c, BILLING_LEG_FORWARD, c->called, c->called, c->forward_to);
		return 2;
	}
	return -EINVAL;
}

static void iso(char *buf, size_t len, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A CSV field: quoted when it holds a comma, quote or line break. */
static int field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return fputs(s, f) < 0 ? -EIO : 0;
	if (fputc('"', f) == EOF)
		return -EIO;
	for (; *s; s++)
		if ((*s == '"' && fputc('"', f) == EOF) || fputc(*s, f) == EOF)
			return -EIO;
	return fputc('"', f) == EOF ? -EIO : 0;
}

int billing_csv_header(FILE *f)
{
	return fputs("id,call_ref,leg,billed,from,to,start,answer,end,duration_s\r\n", f) < 0 ?
		       -EIO : 0;
}

int billing_csv_row(FILE *f, const struct billing_record *r)
{
	char start[32], answer[32], end[32];

	iso(start, sizeof(start), r->start_s);
	iso(answer, sizeof(answer), r->answer_s);
	iso(end, sizeof(end), r->end_s);
	if (fprintf(f, "%lld,", (long long)r->id) < 0 || field(f, r->call_ref) ||
	    fprintf(f, ",%s,", billing_leg_name(r->leg)) < 0 || field(f, r->billed) ||
	    fputc(',', f) == EOF || field(f, r->from) || fputc(',', f) == EOF ||
	    field(f, r->to) ||
	    fprintf(f, ",%s,%s,%s,%u\r\n", start, answer, end, r->duration_s) < 0)
		return -EIO;
	return 0;
}

static int row_cb(void *user, const struct billing_record *r)
{
	return billing_csv_row(user, r);
}

int billing_export_csv(struct store *st, FILE *f)
{
	int rc = billing_csv_header(f);

	if (!rc)
		rc = store_cdr_foreach(st, row_cb, f);
	if (!rc && fflush(f) == EOF)
		rc = -EIO;
	return rc;
}
