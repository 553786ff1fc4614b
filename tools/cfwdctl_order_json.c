/* tools/cfwdctl_order_json.c - cfwdctl --json output of the order and doc groups: an
 * order as one object, the verification result with every finding, and `order show`
 * with its documents, checks and history. Dates are "YYYY-MM-DD" or null, times
 * epoch seconds. Text output stays in cfwdctl_order.c. */
#include <stdio.h>

#include "core/util.h"
#include "tools/cfwdctl_order.h"

static void json_day(FILE *f, int32_t d)
{
	char buf[16];

	if (d == DOC_DATE_NONE) {
		fputs("null", f);
		return;
	}
	doc_date_format(d, buf, sizeof(buf));
	fprintf(f, "\"%s\"", buf);
}

static void json_key_str(FILE *f, const char *key, const char *v, bool comma)
{
	fprintf(f, "%s\"%s\":", comma ? "," : "", key);
	cfwdctl_json_str(f, v);
}

void octl_json_order(FILE *f, const struct order *r)
{
	fprintf(f, "{\"id\":%lld", (long long)r->id);
	json_key_str(f, "number", r->number, true);
	json_key_str(f, "state", order_state_name(r->state), true);
	json_key_str(f, "name", r->name, true);
	json_key_str(f, "address", r->address, true);
	fprintf(f, ",\"corporate\":%s,\"with_phone_install\":%s,\"round\":%d",
		r->corporate ? "true" : "false", r->with_phone_install ? "true" : "false",
		r->round);
	fputs(",\"want_date\":", f);
	json_day(f, r->want_date);
	fputs(",\"work_date\":", f);
	json_day(f, r->work_date);
	fputs(",\"verified_on\":", f);
	json_day(f, r->verified_on);
	fputs(",\"active_on\":", f);
	json_day(f, r->active_on);
	json_key_str(f, "reason", r->reason[0] ? r->reason : NULL, true);
	fprintf(f, ",\"created\":%lld,\"updated\":%lld}", (long long)r->created,
		(long long)r->updated);
}

static void json_finding(FILE *f, const struct doc_finding *fd, int round)
{
	fputc('{', f);
	if (round > 0)
		fprintf(f, "\"round\":%d,", round);
	json_key_str(f, "rule", fd->rule, false);
	json_key_str(f, "outcome", doc_outcome_name(fd->outcome), true);
	if (fd->doc_id)
		fprintf(f, ",\"document\":%lld", (long long)fd->doc_id);
	else
		fputs(",\"document\":null", f);
	json_key_str(f, "detail", fd->detail, true);
	fputc('}', f);
}

void octl_json_verify(FILE *f, const struct order *r, const struct order_verify_result *v)
{
	fputs("{\"ok\":true,\"order\":", f);
	octl_json_order(f, r);
	json_key_str(f, "verdict", doc_outcome_name(v->verdict), true);
	fputs(",\"findings\":[", f);
	for (size_t i = 0; i < MIN(v->nfindings, (size_t)ORDER_FINDINGS_MAX); i++) {
		if (i)
			fputc(',', f);
		json_finding(f, &v->findings[i], 0);
	}
	fprintf(f, "],\"images_deleted\":%d}\n", v->files_deleted);
}

struct json_list {
	FILE *f;
	int n;
};

static int doc_cb(void *u, const struct order_doc *d)
{
	struct json_list *l = u;
	FILE *f = l->f;

	fprintf(f, "%s{\"id\":%lld,\"round\":%d", l->n++ ? "," : "", (long long)d->rec.id,
		d->round);
	json_key_str(f, "type", d->type, true);
	json_key_str(f, "side", doc_side_name(d->rec.side), true);
	fputs(",\"issued\":", f);
	json_day(f, d->rec.issued);
	fputs(",\"expires\":", f);
	json_day(f, d->rec.expires);
	json_key_str(f, "name", d->rec.name, true);
	json_key_str(f, "address", d->rec.address, true);
	fprintf(f, ",\"masked\":%s,\"changes\":%s,\"unclear\":%s,\"altered\":%s",
		d->rec.masked ? "true" : "false", d->rec.changes ? "true" : "false",
		d->rec.unclear ? "true" : "false", d->rec.altered ? "true" : "false");
	json_key_str(f, "sha256", d->sha256[0] ? d->sha256 : NULL, true);
	fprintf(f, ",\"size\":%lld,\"added\":%lld,\"image_deleted\":", (long long)d->size,
		(long long)d->added);
	if (d->deleted)
		fprintf(f, "%lld}", (long long)d->deleted);
	else
		fputs("null}", f);
	return 0;
}

static int check_cb(void *u, int round, const struct doc_finding *fd)
{
	struct json_list *l = u;

	if (l->n++)
		fputc(',', l->f);
	json_finding(l->f, fd, round);
	return 0;
}

static int event_cb(void *u, const struct order_event_row *e)
{
	struct json_list *l = u;
	FILE *f = l->f;

	fprintf(f, "%s{\"at\":%lld", l->n++ ? "," : "", (long long)e->at);
	json_key_str(f, "operator", e->operator_, true);
	json_key_str(f, "event", e->event, true);
	json_key_str(f, "from", order_state_name(e->from), true);
	json_key_str(f, "to", order_state_name(e->to), true);
	json_key_str(f, "reason", e->reason[0] ? e->reason : NULL, true);
	fputc('}', f);
	return 0;
}

int octl_json_show(struct octl *c, const struct order *r)
{
	FILE *f = c->ctx->out;
	struct json_list l = { .f = f };
	int rc;

	fputs("{\"ok\":true,\"order\":", f);
	octl_json_order(f, r);
	fputs(",\"documents\":[", f);
	rc = orders_docs_foreach(c->o, r->id, doc_cb, &l);
	fputs("],\"checks\":[", f);
	l.n = 0;
	if (!rc)
		rc = orders_checks_foreach(c->o, r->id, check_cb, &l);
	fputs("],\"history\":[", f);
	l.n = 0;
	if (!rc)
		rc = orders_events_foreach(c->o, r->id, event_cb, &l);
	fputs("]}\n", f);
	return rc;
}
