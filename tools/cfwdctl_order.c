/* tools/cfwdctl_order.c - `cfwdctl order ...`: applications and their workflow (new,
 * ack, submit, verify, schedule, activate, return, reject, cancel, show, list), plus the
 * option splitting and setup the doc and bill groups share. Bad input (unknown order, a
 * transition the FSM refuses, an unparsable date) is one line on stderr, exit 2, and
 * nothing changed. Documents are tools/cfwdctl_doc.c, billing tools/cfwdctl_bill.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/util.h"
#include "tools/cfwdctl_order.h"

#define DEFAULT_FEES "conf/fees.conf"

static bool spec_takes(const char *spec, const char *name, bool *value)
{
	size_t n = strlen(name);

	for (const char *p = spec; (p = strstr(p, name)); p += n) {
		if ((p == spec || p[-1] == ' ') && (p[n] == 0 || p[n] == ' ' || p[n] == ':')) {
			*value = p[n] == ':';
			return true;
		}
	}
	return false;
}

static int split_args(struct octl *c, int argc, char **argv, const char *spec)
{
	for (int i = 1; i < argc; i++) {
		const char *name = argv[i] + 2;
		bool value;

		if (strncmp(argv[i], "--", 2) != 0) {
			if (c->npos == (int)ARRAY_SIZE(c->pos))
				return cfwdctl_err(c->ctx, CFWDCTL_BAD, "too many arguments");
			c->pos[c->npos++] = argv[i];
			continue;
		}
		if (!spec_takes(spec, name, &value) && !spec_takes("operator: fees:", name, &value))
			return cfwdctl_err(c->ctx, CFWDCTL_BAD, "unknown option %s", argv[i]);
		if (value && i + 1 >= argc)
			return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s needs a value", argv[i]);
		if (c->nopt == OCTL_MAX_OPTS)
			return cfwdctl_err(c->ctx, CFWDCTL_BAD, "too many options");
		c->opt_name[c->nopt] = name;
		c->opt_value[c->nopt++] = value ? argv[++i] : "";
	}
	return 0;
}

const char *octl_opt(const struct octl *c, const char *name)
{
	const char *v = NULL;

	for (int i = 0; i < c->nopt; i++)
		if (!strcmp(c->opt_name[i], name))
			v = c->opt_value[i];
	return v;
}

static int load_fees(struct octl *c)
{
	const char *path = octl_opt(c, "fees");
	char err[512];
	struct conf *cf;
	int rc;

	fees_default(&c->fees);
	if (!path && access(DEFAULT_FEES, R_OK) != 0)
		return 0;
	cf = conf_load(path ? path : DEFAULT_FEES, err, sizeof(err));
	if (!cf)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s", err);
	rc = fees_load(cf, &c->fees, err, sizeof(err));
	if (!rc && conf_check_unused(cf, err, sizeof(err)))
		rc = -EINVAL;
	conf_free(cf);
	return rc ? cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s", err) : 0;
}

/* CFWD_TODAY=YYYY-MM-DD: the wall clock reads noon of that day. */
static int set_today(struct octl *c)
{
	const char *t = getenv("CFWD_TODAY");
	struct tm tm = { .tm_hour = 12, .tm_isdst = -1 };
	int32_t d;

	if (!t || !*t)
		return 0;
	if (doc_date_parse(t, &d) || sscanf(t, "%d-%d-%d", &tm.tm_year, &tm.tm_mon,
					    &tm.tm_mday) != 3)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD,
				   "CFWD_TODAY '%s' is not a date (YYYY-MM-DD)", t);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	fake_clock_enable(0, mktime(&tm));
	return 0;
}

int octl_init(struct octl *c, struct cfwdctl *ctx, int argc, char **argv, const char *spec)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->ctx = ctx;
	if ((rc = split_args(c, argc, argv, spec)) || (rc = load_fees(c)))
		return rc;
	return set_today(c);
}

int octl_open(struct octl *c)
{
	const char *op = octl_opt(c, "operator");
	char err[512];

	if (!cfwdctl_store(c->ctx))
		return CFWDCTL_FAIL;
	c->o = orders_open(store_db(c->ctx->st), err, sizeof(err));
	if (!c->o)
		return cfwdctl_err(c->ctx, CFWDCTL_FAIL, "%s", err);
	if (!op || !*op)
		op = getenv("USER");
	orders_set_operator(c->o, op);
	orders_set_lead_days(c->o, c->fees.work_lead_days);
	orders_sweep(c->o);	/* images left by a crash after a commit */
	return 0;
}

void octl_close(struct octl *c)
{
	orders_close(c->o);
	c->o = NULL;
}

/* ---- helpers ---- */

static int parse_id(struct octl *c, const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!s)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "an order id is needed");
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "'%s' is not an order id", s);
	*id = v;
	return 0;
}

static int check_date(struct octl *c, const char *opt)
{
	const char *v = octl_opt(c, opt);
	int32_t d;

	if (v && doc_date_parse(v, &d))
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "--%s '%s' is not a date (YYYY-MM-DD)",
				   opt, v);
	return 0;
}

static void fmt_day(int32_t d, char *buf, size_t len)
{
	doc_date_format(d, buf, len);
}

static void fmt_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* A library result to an exit status with one line; what = the command word. */
static int order_err(struct octl *c, int rc, int64_t id, const char *what)
{
	struct order r;
	char d[16];

	switch (rc) {
	case 0:
		return CFWDCTL_OK;
	case -ENOENT:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "unknown order %lld", (long long)id);
	case -EPERM:
		if (orders_get(c->o, id, &r) == 0)
			return cfwdctl_err(c->ctx, CFWDCTL_BAD, "order %lld is %s: %s not allowed",
					   (long long)id, order_state_name(r.state), what);
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s not allowed", what);
	case -EEXIST:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD,
				   "the line already has an open order or an active service");
	case -ENODATA:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "order %lld: no documents uploaded yet",
				   (long long)id);
	case -EFBIG:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "file larger than %d MiB",
				   ORDER_DOC_MAX_BYTES >> 20);
	case -EINVAL:
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "%s: invalid value", what);
	case -ERANGE:
		if (orders_get(c->o, id, &r) == 0 && !strcmp(what, "activate")) {
			fmt_day(r.work_date, d, sizeof(d));
			return cfwdctl_err(c->ctx, CFWDCTL_BAD,
					   "order %lld: work date %s not reached", (long long)id, d);
		}
		return cfwdctl_err(c->ctx, CFWDCTL_BAD,
				   "order %lld: the work date must be at least %d day(s) after "
				   "verification and today", (long long)id, c->fees.work_lead_days);
	default:
		return cfwdctl_store_err(c->ctx, rc, what);
	}
}

/* ---- order new / show / list ---- */

/* After a change: "order 7: scheduled, work date ..." or {"ok":true,"order":{...}}. */
static int print_order(struct octl *c, int64_t id, const char *verb)
{
	FILE *f = c->ctx->out;
	struct order r;
	char d[16];
	int rc = orders_get(c->o, id, &r);

	if (rc)
		return order_err(c, rc, id, verb);
	if (c->ctx->json) {
		fputs("{\"ok\":true,\"order\":", f);
		octl_json_order(f, &r);
		fputs("}\n", f);
		return 0;
	}
	if (!strcmp(verb, "applied for")) {
		fprintf(f, "order %lld applied for %s\n", (long long)id, r.number);
		return 0;
	}
	fprintf(f, "order %lld: %s", (long long)id, order_state_name(r.state));
	fmt_day(r.work_date, d, sizeof(d));
	if (!strcmp(verb, "schedule"))
		fprintf(f, ", work date %s", d);
	else if (!strcmp(verb, "activate"))
		fprintf(f, ", service of %s active", r.number);
	fputc('\n', f);
	return 0;
}

static int order_new(struct octl *c)
{
	struct order_application a = {
		.number = c->pos[1], .name = octl_opt(c, "name"),
		.address = octl_opt(c, "address"), .corporate = octl_opt(c, "corporate"),
		.with_phone_install = octl_opt(c, "with-phone-install"),
		.want_date = octl_opt(c, "want-date"),
	};
	int64_t id = 0;
	int rc;

	if (c->npos != 2 || !a.name || !a.address || !*a.name || !*a.address)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD,
				   "usage: order new NUM --name NAME --address ADDRESS "
				   "[--corporate] [--with-phone-install] [--want-date DATE]");
	if ((rc = cfwdctl_check_sub(c->ctx, a.number)) || (rc = check_date(c, "want-date")))
		return rc;
	if ((rc = octl_open(c)))
		return rc;
	rc = orders_new(c->o, &a, &id);
	if (rc)
		return order_err(c, rc, 0, "new");
	return print_order(c, id, "applied for");
}

static int show_event(void *u, const struct order_event_row *e)
{
	FILE *f = u;
	char t[32];

	fmt_time(e->at, t, sizeof(t));
	fprintf(f, "  %s  %-12s %-10s %s -> %s%s%s\n", t, e->operator_, e->event,
		order_state_name(e->from), order_state_name(e->to), e->reason[0] ? ": " : "",
		e->reason);
	return 0;
}

static int show_doc(void *u, const struct order_doc *d)
{
	FILE *f = u;
	char is[16], ex[16], t[32];

	fmt_day(d->rec.issued, is, sizeof(is));
	fmt_day(d->rec.expires, ex, sizeof(ex));
	fmt_time(d->deleted, t, sizeof(t));
	fprintf(f, "  %lld  round %d  %s %s  issued %s  expires %s%s%s%s\n",
		(long long)d->rec.id, d->round, d->type, doc_side_name(d->rec.side), is, ex,
		d->rec.masked ? "  masked" : "", d->rec.changes ? "  changes" : "",
		d->rec.unclear ? "  unclear" : "");
	if (!d->sha256[0])
		fprintf(f, "      image refused, never kept\n");
	else
		fprintf(f, "      sha256 %s  %lld bytes  %s%s\n", d->sha256, (long long)d->size,
			d->deleted ? "image deleted " : "image kept", d->deleted ? t : "");
	return 0;
}

static int show_check(void *u, int round, const struct doc_finding *fd)
{
	FILE *f = u;

	fprintf(f, "  round %d  %-6s %s", round, doc_outcome_name(fd->outcome), fd->rule);
	if (fd->doc_id)
		fprintf(f, " (document %lld)", (long long)fd->doc_id);
	fprintf(f, ": %s\n", fd->detail);
	return 0;
}

static int order_show(struct octl *c)
{
	FILE *f = c->ctx->out;
	struct order r;
	char want[16], work[16], ver[16], act[16];
	int64_t id;
	int rc;

	if (c->npos != 2)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "usage: order show ID");
	if ((rc = parse_id(c, c->pos[1], &id)) || (rc = octl_open(c)))
		return rc;
	if ((rc = orders_get(c->o, id, &r)))
		return order_err(c, rc, id, "show");
	if (c->ctx->json)
		return order_err(c, octl_json_show(c, &r), id, "show");
	fmt_day(r.want_date, want, sizeof(want));
	fmt_day(r.work_date, work, sizeof(work));
	fmt_day(r.verified_on, ver, sizeof(ver));
	fmt_day(r.active_on, act, sizeof(act));
	fprintf(f, "order %lld  %s  %s  %s\n", (long long)r.id, r.number,
		r.corporate ? "corporation" : "individual", order_state_name(r.state));
	fprintf(f, "  name %s\n  address %s\n  installed with the phone service: %s\n", r.name,
		r.address, r.with_phone_install ? "yes" : "no");
	fprintf(f, "  desired %s  verified %s  work date %s  active %s  upload round %d\n", want,
		ver, work, act, r.round);
	if (r.reason[0])
		fprintf(f, "  reason %s\n", r.reason);
	fprintf(f, "documents:\n");
	if ((rc = orders_docs_foreach(c->o, id, show_doc, f)))
		return order_err(c, rc, id, "show");
	fprintf(f, "checks:\n");
	if ((rc = orders_checks_foreach(c->o, id, show_check, f)))
		return order_err(c, rc, id, "show");
	fprintf(f, "history:\n");
	return order_err(c, orders_events_foreach(c->o, id, show_event, f), id, "show");
}

static int list_line(void *u, const struct order *r)
{
	struct octl *c = u;
	FILE *f = c->ctx->out;
	char work[16];

	if (c->ctx->json) {
		if (c->nout++)
			fputc(',', f);
		octl_json_order(f, r);
		return 0;
	}

	fmt_day(r->work_date, work, sizeof(work));
	fprintf(f, "%-5lld %-12s %-22s %-10s %s%s\n", (long long)r->id, r->number,
		order_state_name(r->state), work, r->name, r->corporate ? " (corporation)" : "");
	return 0;
}

static int order_list(struct octl *c)
{
	const char *s = octl_opt(c, "state");
	enum order_state st;
	int rc;

	if (c->npos != 1)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "usage: order list [--state STATE]");
	if (s && order_state_parse(s, &st))
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "unknown state '%s'", s);
	if ((rc = octl_open(c)))
		return rc;
	if (c->ctx->json)
		fputc('[', c->ctx->out);
	else
		fprintf(c->ctx->out, "%-5s %-12s %-22s %-10s %s\n", "id", "number", "state",
			"work-date", "name");
	rc = orders_foreach(c->o, s ? (int)st : -1, list_line, c);
	if (c->ctx->json)
		fputs("]\n", c->ctx->out);
	return order_err(c, rc, 0, "list");
}

/* ---- transitions ---- */

static void print_verify(struct octl *c, int64_t id, const struct order_verify_result *v)
{
	FILE *f = c->ctx->out;
	char d[16];

	for (size_t i = 0; i < MIN(v->nfindings, (size_t)ORDER_FINDINGS_MAX); i++) {
		const struct doc_finding *fd = &v->findings[i];

		fprintf(f, "FAIL %s", fd->rule);
		if (fd->doc_id)
			fprintf(f, " (document %lld)", (long long)fd->doc_id);
		fprintf(f, ": %s\n", fd->detail);
	}
	fmt_day(v->work_date, d, sizeof(d));
	if (v->state == ORDER_ST_SCHEDULED)
		fprintf(f, "order %lld: all rules passed; scheduled, work date %s\n",
			(long long)id, d);
	else
		fprintf(f, "order %lld: %s (%zu rule(s) failed)\n", (long long)id,
			order_state_name(v->state), v->nfindings);
	fprintf(f, "order %lld: %d document image(s) deleted\n", (long long)id, v->files_deleted);
}

static int order_step(struct octl *c, const char *verb)
{
	const char *reason = octl_opt(c, "reason"), *date = octl_opt(c, "date");
	struct order_verify_result v;
	struct order r;
	int64_t id;
	int rc;

	if (c->npos != 2)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "usage: order %s ID%s", verb,
				   !strcmp(verb, "schedule") ? " --date DATE" : "");
	if ((rc = parse_id(c, c->pos[1], &id)) || (rc = check_date(c, "date")))
		return rc;
	if (!strcmp(verb, "schedule") && !date)
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "usage: order schedule ID --date DATE");
	if ((!strcmp(verb, "cancel") || !strcmp(verb, "return") || !strcmp(verb, "reject")) &&
	    (!reason || !*reason))
		return cfwdctl_err(c->ctx, CFWDCTL_BAD, "order %s needs --reason TEXT", verb);
	if ((rc = octl_open(c)))
		return rc;
	if (!strcmp(verb, "ack"))
		rc = orders_ack(c->o, id);
	else if (!strcmp(verb, "submit"))
		rc = orders_submit(c->o, id);
	else if (!strcmp(verb, "verify"))
		rc = orders_verify(c->o, id, &v);
	else if (!strcmp(verb, "schedule"))
		rc = orders_schedule(c->o, id, date);
	else if (!strcmp(verb, "activate"))
		rc = orders_activate(c->o, id);
	else if (!strcmp(verb, "return"))
		rc = orders_return(c->o, id, reason);
	else if (!strcmp(verb, "reject"))
		rc = orders_reject(c->o, id, reason);
	else
		rc = orders_cancel(c->o, id, reason);
	if (rc)
		return order_err(c, rc, id, verb);
	if (strcmp(verb, "verify"))
		return print_order(c, id, verb);
	if (c->ctx->json) {
		if ((rc = orders_get(c->o, id, &r)))
			return order_err(c, rc, id, verb);
		octl_json_verify(c->ctx->out, &r, &v);
	} else {
		print_verify(c, id, &v);
	}
	return 0;
}

static const char *const step_verbs[] = {
	"ack", "submit", "verify", "schedule", "activate", "return", "reject", "cancel",
};

int cfwdctl_order_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct octl c;
	int rc;

	rc = octl_init(&c, ctx, argc, argv,
		       "name: address: corporate with-phone-install want-date: state: date: "
		       "reason:");
	if (rc)
		return rc;
	if (c.npos < 1)
		rc = cfwdctl_err(ctx, CFWDCTL_BAD, "usage: order new|show|list|ack|submit|verify|"
						   "schedule|activate|return|reject|cancel ...");
	else if (!strcmp(c.pos[0], "new"))
		rc = order_new(&c);
	else if (!strcmp(c.pos[0], "show"))
		rc = order_show(&c);
	else if (!strcmp(c.pos[0], "list"))
		rc = order_list(&c);
	else {
		size_t i = 0;

		while (i < ARRAY_SIZE(step_verbs) && strcmp(c.pos[0], step_verbs[i]))
			i++;
		rc = i < ARRAY_SIZE(step_verbs) ?
			     order_step(&c, step_verbs[i]) :
			     cfwdctl_err(ctx, CFWDCTL_BAD, "unknown order command '%s'", c.pos[0]);
	}
	octl_close(&c);
	return rc;
}
