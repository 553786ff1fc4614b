/* lab/ladder.c - the cfwd-lab message printer and --expect checker. Fields are named once
 * (field table below) and used by the ladder line, the JSON object and the expectations,
 * so what the lab prints is what it can check. Presentation fields accept names
 * (allowed, restricted, not-available) as well as numbers. No I/O besides printing. */
#include "lab/ladder.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "isup/msu.h"

enum fld {
	F_TYPE, F_CIC, F_OPC, F_DPC, F_SLS, F_CALLED, F_CALLED_NAI, F_CALLING, F_CALLING_NAI,
	F_CALLING_PRES, F_CALLING_SCREEN, F_CATEGORY, F_OCN, F_OCN_NAI, F_OCN_PRES, F_RGN,
	F_RGN_NAI, F_RGN_PRES, F_REDIR_IND, F_REDIR_ORIG_REASON, F_REDIR_COUNTER,
	F_REDIR_REASON, F_REDIR_NUM, F_CONNECTED, F_CONNECTED_PRES, F_CAUSE, F_CAUSE_LOCATION,
	F_EVENT, F_EVENT_RESTRICTED, F_REDIRECT_COUNTER_77, F_HOP_COUNTER, F_GENERIC_NUMBER,
	F_SUBSEQUENT, F_RANGE, F_COUNT
};

static const char *const fld_names[F_COUNT] = {
	"type", "cic", "opc", "dpc", "sls", "called", "called_nai", "calling", "calling_nai",
	"calling_pres", "calling_screen", "category", "ocn", "ocn_nai", "ocn_pres", "rgn",
	"rgn_nai", "rgn_pres", "redir_ind", "redir_orig_reason", "redir_counter",
	"redir_reason", "redir_num", "connected", "connected_pres", "cause", "cause_location",
	"event", "event_restricted", "redirect_counter_77", "hop_counter", "generic_number",
	"subsequent", "range",
};

static bool fld_is_string(enum fld f)
{
	return f == F_TYPE || f == F_CALLED || f == F_CALLING || f == F_OCN || f == F_RGN ||
	       f == F_REDIR_NUM || f == F_CONNECTED || f == F_GENERIC_NUMBER ||
	       f == F_SUBSEQUENT;
}

static int fld_lookup(const char *name)
{
	int i;

	for (i = 0; i < F_COUNT; i++)
		if (!strcmp(fld_names[i], name))
			return i;
	return -1;
}

bool ladder_field_known(const char *field)
{
	return fld_lookup(field) >= 0;
}

static const char *pres_name(unsigned p)
{
	static const char *const n[4] = { "allowed", "restricted", "not-available", "reserved" };

	return n[p & 3];
}

static bool num(char *buf, size_t len, bool present, unsigned v)
{
	if (!present)
		return false;
	snprintf(buf, len, "%u", v);
	return true;
}

static bool str(char *buf, size_t len, const struct isup_number *n)
{
	if (!n->present)
		return false;
	str_copy(buf, n->digits, len);
	return true;
}

static bool type_text(const struct isup_msg_view *v, char *buf, size_t len)
{
	static const char *const lssu[8] = { "SIO", "SIN", "SIE", "SIOS", "SIPO", "SIB",
					     "LSSU6", "LSSU7" };

	if (v->kind == MTP2_FISU)
		str_copy(buf, "FISU", len);
	else if (v->kind == MTP2_LSSU)
		snprintf(buf, len, "LSSU-%s", lssu[v->lssu_status & 7]);
	else if (v->msg_type >= 0)
		str_copy(buf, isup_msg_type_name(v->msg_type), len);
	else if (v->si == 0)
		str_copy(buf, "SNM", len);
	else if (v->si == 1 || v->si == 2)
		str_copy(buf, "SNT", len);
	else
		snprintf(buf, len, "SI%u", v->si);
	return true;
}

static bool field_get(const struct isup_msg_view *v, enum fld f, char *buf, size_t len)
{
	bool isup = v->msg_type >= 0, mtp3 = v->kind == MTP2_MSU;

	buf[0] = '\0';
	switch (f) {
	case F_TYPE: return type_text(v, buf, len);
	case F_CIC: return num(buf, len, isup, v->cic);
	case F_OPC: return num(buf, len, mtp3, v->opc);
	case F_DPC: return num(buf, len, mtp3, v->dpc);
	case F_SLS: return num(buf, len, mtp3, v->sls);
	case F_CALLED: return str(buf, len, &v->called);
	case F_CALLED_NAI: return num(buf, len, v->called.present, v->called.nai);
	case F_CALLING: return str(buf, len, &v->calling);
	case F_CALLING_NAI: return num(buf, len, v->calling.present, v->calling.nai);
	case F_CALLING_PRES: return num(buf, len, v->calling.present, v->calling.pres);
	case F_CALLING_SCREEN: return num(buf, len, v->calling.present, v->calling.screen);
	case F_CATEGORY: return num(buf, len, v->msg_type == ISUP_MT_IAM, v->calling_cat);
	case F_OCN: return str(buf, len, &v->ocn);
	case F_OCN_NAI: return num(buf, len, v->ocn.present, v->ocn.nai);
	case F_OCN_PRES: return num(buf, len, v->ocn.present, v->ocn.pres);
	case F_RGN: return str(buf, len, &v->rgn);
	case F_RGN_NAI: return num(buf, len, v->rgn.present, v->rgn.nai);
	case F_RGN_PRES: return num(buf, len, v->rgn.present, v->rgn.pres);
	case F_REDIR_IND: return num(buf, len, v->ri_present, v->ri_ind);
	case F_REDIR_ORIG_REASON: return num(buf, len, v->ri_present, v->ri_orig_reason);
	case F_REDIR_COUNTER: return num(buf, len, v->ri_present, v->ri_counter);
	case F_REDIR_REASON: return num(buf, len, v->ri_present, v->ri_reason);
	case F_REDIR_NUM: return str(buf, len, &v->redir_num);
	case F_CONNECTED: return str(buf, len, &v->connected);
	case F_CONNECTED_PRES: return num(buf, len, v->connected.present, v->connected.pres);
	case F_CAUSE: return num(buf, len, v->cause_present, v->cause_value);
	case F_CAUSE_LOCATION: return num(buf, len, v->cause_present, v->cause_location);
	case F_EVENT: return num(buf, len, v->event_present, v->event_ind);
	case F_EVENT_RESTRICTED: return num(buf, len, v->event_present, v->event_restricted);
	case F_REDIRECT_COUNTER_77:
		return num(buf, len, v->redirect_counter_present, v->redirect_counter);
	case F_HOP_COUNTER: return num(buf, len, v->hop_counter_present, v->hop_counter);
	case F_GENERIC_NUMBER: return str(buf, len, &v->generic);
	case F_SUBSEQUENT: return str(buf, len, &v->subsequent);
	case F_RANGE: return num(buf, len, isup_view_has(v, 0x16), v->range);
	case F_COUNT: break;
	}
	return false;
}

bool ladder_field(const struct isup_msg_view *v, const char *field, char *buf, size_t len)
{
	int f = fld_lookup(field);

	if (f < 0) {
		buf[0] = '\0';
		return false;
	}
	return field_get(v, (enum fld)f, buf, len);
}

/* ---- formatting ---- */

struct out {
	char *buf;
	size_t len, pos;
};

static void outf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void outf(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(o->pos < o->len ? o->buf + o->pos : NULL,
		      o->pos < o->len ? o->len - o->pos : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->pos += (size_t)n;
}

static void line_number(struct out *o, const char *label, const struct isup_number *n,
			bool pres)
{
	if (!n->present)
		return;
	outf(o, " %s=%s", label, n->digits[0] ? n->digits : "-");
	if (pres)
		outf(o, "(%s)", pres_name(n->pres));
}

int ladder_format_line(char *buf, size_t len, uint64_t t_ms, const char *span, bool sent,
		       const struct isup_msg_view *v)
{
	struct out o = { buf, len, 0 };
	char type[16];

	if (len)
		buf[0] = '\0';
	type_text(v, type, sizeof(type));
	outf(&o, "%4llu.%03llu %-6s ", (unsigned long long)(t_ms / 1000),
	     (unsigned long long)(t_ms % 1000), span);
	if (v->msg_type >= 0)
		outf(&o, "cic=%-4u", v->cic);
	else
		outf(&o, "%-8s", "");
	outf(&o, " %s  %-4s", sent ? "->" : "<-", type);
	line_number(&o, "called", &v->called, false);
	line_number(&o, "subsequent", &v->subsequent, false);
	line_number(&o, "calling", &v->calling, true);
	line_number(&o, "ocn", &v->ocn, true);
	line_number(&o, "rgn", &v->rgn, true);
	if (v->ri_present)
		outf(&o, " ri=%u/%u/%u/%u", v->ri_ind, v->ri_orig_reason, v->ri_counter,
		     v->ri_reason);
	if (v->redirect_counter_present)
		outf(&o, " redirect_counter_77=%u", v->redirect_counter);
	line_number(&o, "redir_num", &v->redir_num, true);
	line_number(&o, "connected", &v->connected, true);
	line_number(&o, "generic", &v->generic, true);
	if (v->event_present)
		outf(&o, " event=%u%s", v->event_ind, v->event_restricted ? "(restricted)" : "");
	if (v->cause_present)
		outf(&o, " cause=%u(loc %u)", v->cause_value, v->cause_location);
	if (v->hop_counter_present)
		outf(&o, " hop=%u", v->hop_counter);
	if (isup_view_has(v, 0x16))
		outf(&o, " range=%u", v->range);
	return (int)o.pos;
}

static void json_string(struct out *o, const char *s)
{
	outf(o, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			outf(o, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			outf(o, "\\u%04x", (unsigned char)*s);
		else
			outf(o, "%c", *s);
	}
	outf(o, "\"");
}

int ladder_format_json(char *buf, size_t len, uint64_t t_ms, const char *span, bool sent,
		       const struct isup_msg_view *v)
{
	struct out o = { buf, len, 0 };
	char val[64];
	int f;

	if (len)
		buf[0] = '\0';
	outf(&o, "{\"t\":%llu.%03llu,\"span\":", (unsigned long long)(t_ms / 1000),
	     (unsigned long long)(t_ms % 1000));
	json_string(&o, span);
	outf(&o, ",\"dir\":\"%s\"", sent ? "out" : "in");
	for (f = 0; f < F_COUNT; f++) {
		if (!field_get(v, (enum fld)f, val, sizeof(val)))
			continue;
		outf(&o, ",\"%s\":", fld_names[f]);
		if (fld_is_string((enum fld)f))
			json_string(&o, val);
		else
			outf(&o, "%s", val);
	}
	outf(&o, "}");
	return (int)o.pos;
}

/* ---- the ladder object and --expect ---- */

#define MAX_EXPECT 64

struct expect {
	int type;		/* ISUP message type, -1: any message having the field */
	int dir;		/* -1 both, 0 received (in), 1 sent (out) */
	char span[32];		/* "" any span */
	int field;
	char value[64];
	char spec[128];
	unsigned checked, failed;
};

struct ladder {
	FILE *out;
	bool json;
	struct expect ex[MAX_EXPECT];
	unsigned n_ex;
	unsigned failures;
};

struct ladder *ladder_alloc(FILE *out, bool json)
{
	struct ladder *lad = calloc(1, sizeof(*lad));

	if (!lad)
		return NULL;
	lad->out = out;
	lad->json = json;
	return lad;
}

void ladder_free(struct ladder *lad)
{
	free(lad);
}

/* "TYPE[@in|@out][@SPAN]": @in = received by the lab, @out = sent by it. */
static int parse_type(struct expect *e, char *t)
{
	char *at = strchr(t, '@'), *tok, *save = NULL;

	if (at) {
		*at = '\0';
		for (tok = strtok_r(at + 1, "@", &save); tok; tok = strtok_r(NULL, "@", &save)) {
			if (!strcmp(tok, "in"))
				e->dir = 0;
			else if (!strcmp(tok, "out"))
				e->dir = 1;
			else
				str_copy(e->span, tok, sizeof(e->span));
		}
	}
	e->type = isup_msg_type_from_name(t);
	return e->type;
}

int ladder_expect_add(struct ladder *lad, const char *spec, char *err, size_t errlen)
{
	struct expect *e;
	const char *eq = strchr(spec, '='), *dot;
	char lhs[64];
	const char *fname = lhs;

	if (lad->n_ex == MAX_EXPECT) {
		snprintf(err, errlen, "too many --expect (max %d)", MAX_EXPECT);
		return -EINVAL;
	}
	if (!eq || (size_t)(eq - spec) >= sizeof(lhs) || strlen(eq + 1) >= 64) {
		snprintf(err, errlen, "--expect '%s': want [TYPE.]FIELD=VALUE", spec);
		return -EINVAL;
	}
	e = &lad->ex[lad->n_ex];
	memset(e, 0, sizeof(*e));
	memcpy(lhs, spec, (size_t)(eq - spec));
	lhs[eq - spec] = '\0';
	e->type = -1;
	e->dir = -1;
	dot = strchr(lhs, '.');
	if (dot) {
		lhs[dot - lhs] = '\0';
		fname = dot + 1;
		if (parse_type(e, lhs) < 0) {
			snprintf(err, errlen, "--expect '%s': unknown message type in '%s'", spec,
				 lhs);
			return -EINVAL;
		}
	}
	e->field = fld_lookup(fname);
	if (e->field < 0) {
		snprintf(err, errlen, "--expect '%s': unknown field '%s'", spec, fname);
		return -EINVAL;
	}
	str_copy(e->value, eq + 1, sizeof(e->value));
	str_copy(e->spec, spec, sizeof(e->spec));
	lad->n_ex++;
	return 0;
}

static bool value_matches(const struct expect *e, bool present, const char *got)
{
	bool pres_field = e->field == F_CALLING_PRES || e->field == F_OCN_PRES ||
			  e->field == F_RGN_PRES || e->field == F_CONNECTED_PRES;

	if (!present)
		return e->value[0] == '\0';
	if (!strcasecmp(got, e->value))
		return true;
	return pres_field && !strcasecmp(pres_name((unsigned)atoi(got)), e->value);
}

static int check(struct ladder *lad, const char *span, bool sent,
		 const struct isup_msg_view *v)
{
	int fails = 0;
	unsigned i;

	for (i = 0; i < lad->n_ex; i++) {
		struct expect *e = &lad->ex[i];
		char got[64];
		bool present;

		if (e->type >= 0 && e->type != v->msg_type)
			continue;
		if ((e->dir >= 0 && e->dir != (int)sent) || (e->span[0] && strcmp(e->span, span)))
			continue;
		present = field_get(v, (enum fld)e->field, got, sizeof(got));
		if (e->type < 0 && !present)
			continue;
		e->checked++;
		if (value_matches(e, present, got))
			continue;
		e->failed++;
		fails++;
		fprintf(stderr, "EXPECT FAILED: %s: %s cic=%u on %s has %s=%s\n", e->spec,
			isup_msg_type_name(v->msg_type), v->cic, span, fld_names[e->field],
			present ? got : "(absent)");
	}
	lad->failures += (unsigned)fails;
	return fails;
}

int ladder_msg(struct ladder *lad, uint64_t t_ms, const char *span, bool sent,
	       const struct isup_msg_view *v)
{
	char line[1024];

	if (lad->json)
		ladder_format_json(line, sizeof(line), t_ms, span, sent, v);
	else
		ladder_format_line(line, sizeof(line), t_ms, span, sent, v);
	if (lad->out) {
		fprintf(lad->out, "%s\n", line);
		fflush(lad->out);
	}
	return check(lad, span, sent, v);
}

int ladder_finish(struct ladder *lad)
{
	unsigned i;

	for (i = 0; i < lad->n_ex; i++) {
		if (lad->ex[i].checked)
			continue;
		fprintf(stderr, "EXPECT FAILED: %s: no such message seen\n", lad->ex[i].spec);
		lad->failures++;
	}
	return (int)lad->failures;
}

unsigned ladder_failures(const struct ladder *lad)
{
	return lad->failures;
}
