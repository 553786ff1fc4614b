/* feature/cfwd/doc_rules.c - the §8 document table and the pure check over it.
 * Every accepted type, its sides, masking, date limits and refusals are rows of
 * doc_types[]; the check walks the rows, it does not know any type by name.
 * Rule names are built from the row's stem ("passport-needs-holder-page") or are
 * the fixed set-level names of rule_outcomes[]. No I/O, no clock. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "feature/cfwd/doc_rules.h"

#define SIDE(x) (1u << (x))
#define FRONT SIDE(DOC_SIDE_FRONT)
#define BACK SIDE(DOC_SIDE_BACK)
#define PHOTO SIDE(DOC_SIDE_PHOTO_PAGE)
#define HOLDER SIDE(DOC_SIDE_HOLDER_PAGE)
#define IND DOC_FOR_INDIVIDUAL
#define CORP DOC_FOR_CORPORATION

#define INSURANCE(id_, label_)                                                       \
	{ .id = id_, .stem = "insurance", .label = label_, .for_mask = IND,          \
	  .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT, .required_sides = FRONT, \
	  .needs_supplementary = true, .must_be_masked = true }

static const struct doc_type doc_types[] = {
	{ .id = "drivers-licence", .stem = "licence", .label = "driver's licence (運転免許証)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT | BACK,
	  .required_sides = FRONT, .sides_if_changes = BACK, .expiry_required = true },
	{ .id = "passport", .stem = "passport", .label = "passport (パスポート)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = PHOTO | HOLDER,
	  .required_sides = PHOTO | HOLDER, .expiry_required = true },
	{ .id = "resident-register-card", .stem = "juki-card",
	  .label = "resident register card with photo (住民基本台帳カード)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT | BACK,
	  .required_sides = FRONT, .sides_if_changes = BACK, .expiry_required = true },
	{ .id = "residence-card", .stem = "residence-card", .label = "residence card (在留カード)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT | BACK,
	  .required_sides = FRONT | BACK, .expiry_required = true },
	{ .id = "special-permanent-resident-certificate", .stem = "permanent-resident-cert",
	  .label = "special permanent resident certificate (特別永住者証明書)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT | BACK,
	  .required_sides = FRONT | BACK, .expiry_required = true },
	{ .id = "alien-registration-certificate", .stem = "alien-registration-cert",
	  .label = "alien registration certificate of a special permanent resident "
		   "(外国人登録証明書)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT | BACK,
	  .required_sides = FRONT | BACK, .expiry_required = true },
	{ .id = "mynumber-card", .stem = "mynumber", .label = "My Number card (マイナンバーカード)",
	  .for_mask = IND, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT | BACK,
	  .required_sides = FRONT, .refused_sides = BACK, .expiry_required = true },
	INSURANCE("health-insurance-card", "health insurance card (健康保険証)"),
	INSURANCE("national-civil-servant-mutual-aid-card", "国家公務員共済組合員証"),
	INSURANCE("local-civil-servant-mutual-aid-card", "地方公務員共済組合員証"),
	INSURANCE("private-school-mutual-aid-card", "私立学校教職員共済加入者証"),
	INSURANCE("sdf-medical-card", "自衛官診療証"),
	{ .id = "utility-receipt", .stem = "utility-receipt",
	  .label = "utility receipt: electricity, city gas, water (公共料金領収証)",
	  .for_mask = IND | CORP, .role = DOC_ROLE_SUPPLEMENTARY, .allowed_sides = FRONT,
	  .required_sides = FRONT, .issued_within_months = 6,
	  .proves_corporate_address = true, .supplements_insurance = true },
	{ .id = "resident-record", .stem = "resident-record",
	  .label = "copy of the resident record (住民票の写し)",
	  .for_mask = IND, .role = DOC_ROLE_SUPPLEMENTARY, .allowed_sides = FRONT,
	  .required_sides = FRONT, .issued_within_months = 6, .refuse_if_domicile = true,
	  .refuse_if_mynumber = true, .supplements_insurance = true },
	{ .id = "registry-certificate", .stem = "registry-certificate",
	  .label = "certificate of registered matters (登記事項証明書)",
	  .for_mask = CORP, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT,
	  .required_sides = FRONT, .issued_within_months = 6, .head_office = true },
	{ .id = "seal-certificate", .stem = "seal-certificate",
	  .label = "seal registration certificate (印鑑登録証明書)",
	  .for_mask = CORP, .role = DOC_ROLE_PRIMARY, .allowed_sides = FRONT,
	  .required_sides = FRONT, .issued_within_months = 6, .head_office = true },
	{ .id = "tax-receipt", .stem = "tax-receipt",
	  .label = "national or local tax receipt or tax certificate (納税証明書)",
	  .for_mask = CORP, .role = DOC_ROLE_SUPPLEMENTARY, .allowed_sides = FRONT,
	  .required_sides = FRONT, .issued_within_months = 6, .proves_corporate_address = true },
	{ .id = "social-insurance-receipt", .stem = "social-insurance-receipt",
	  .label = "social insurance premium receipt (社会保険料の領収書)",
	  .for_mask = CORP, .role = DOC_ROLE_SUPPLEMENTARY, .allowed_sides = FRONT,
	  .required_sides = FRONT, .issued_within_months = 6, .proves_corporate_address = true },
};

/* Set-level and per-record rules with fixed names; anything not listed returns. */
static const struct {
	const char *rule;
	enum doc_outcome outcome;
} rule_outcomes[] = {
	{ "name-mismatch", DOC_REJECT },
	{ "address-mismatch", DOC_REJECT },
	{ "altered", DOC_REJECT },
};

static const char *const side_names[DOC_SIDE_COUNT] = {
	[DOC_SIDE_FRONT] = "front",
	[DOC_SIDE_BACK] = "back",
	[DOC_SIDE_PHOTO_PAGE] = "photo-page",
	[DOC_SIDE_HOLDER_PAGE] = "holder-page",
};

const struct doc_type *doc_type_find(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(doc_types); i++)
		if (strcmp(doc_types[i].id, id) == 0)
			return &doc_types[i];
	return NULL;
}

size_t doc_type_count(void)
{
	return ARRAY_SIZE(doc_types);
}

const struct doc_type *doc_type_at(size_t i)
{
	return i < ARRAY_SIZE(doc_types) ? &doc_types[i] : NULL;
}

const char *doc_side_name(enum doc_side side)
{
	return side < DOC_SIDE_COUNT ? side_names[side] : "unknown";
}

int doc_side_parse(const char *s, enum doc_side *out)
{
	for (int i = 0; i < DOC_SIDE_COUNT; i++) {
		if (strcmp(side_names[i], s) == 0) {
			*out = (enum doc_side)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *doc_outcome_name(enum doc_outcome o)
{
	switch (o) {
	case DOC_PASS:
		return "pass";
	case DOC_RETURN:
		return "return";
	case DOC_REJECT:
		return "reject";
	}
	return "unknown";
}

/* ---- dates: proleptic Gregorian days since 1970-01-01 ---- */

static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int month_days(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

int doc_date_parse(const char *s, int32_t *days)
{
	int y = 0, m = 0, d = 0;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -EINVAL;
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
	}
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -EINVAL;
	*days = days_from_civil(y, m, d);
	return 0;
}

void doc_date_format(int32_t days, char *buf, size_t len)
{
	int y, m, d;

	if (days == DOC_DATE_NONE) {
		snprintf(buf, len, "-");
		return;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

int32_t doc_date_minus_months(int32_t days, int months)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	m -= months;
	while (m < 1) {
		m += 12;
		y--;
	}
	return days_from_civil(y, m, MIN(d, month_days(y, m)));
}

int doc_date_month(int32_t days, int32_t *first)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	if (first)
		*first = days_from_civil(y, m, 1);
	return month_days(y, m);
}

/* ---- the check ---- */

struct check {
	const struct doc_application *app;
	struct doc_finding *out;
	size_t max;
	size_t n;
	enum doc_outcome verdict;
};

static enum doc_outcome rule_outcome(const char *rule)
{
	for (size_t i = 0; i < ARRAY_SIZE(rule_outcomes); i++)
		if (strcmp(rule_outcomes[i].rule, rule) == 0)
			return rule_outcomes[i].outcome;
	return DOC_RETURN;
}

static void fail(struct check *c, int64_t doc_id, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct check *c, int64_t doc_id, const char *rule, const char *fmt, ...)
{
	enum doc_outcome o = rule_outcome(rule);
	va_list ap;

	if (o > c->verdict)
		c->verdict = o;
	if (c->n < c->max) {
		struct doc_finding *f = &c->out[c->n];

		str_copy(f->rule, rule, sizeof(f->rule));
		f->outcome = o;
		f->doc_id = doc_id;
		va_start(ap, fmt);
		vsnprintf(f->detail, sizeof(f->detail), fmt, ap);
		va_end(ap);
	}
	c->n++;
}

/* Compare ignoring ASCII case, ASCII blanks and the ideographic space U+3000. */
static bool text_equal(const char *a, const char *b)
{
	for (;;) {
		while (*a == ' ' || *a == '\t' || !strncmp(a, "\xe3\x80\x80", 3))
			a += *a == ' ' || *a == '\t' ? 1 : 3;
		while (*b == ' ' || *b == '\t' || !strncmp(b, "\xe3\x80\x80", 3))
			b += *b == ' ' || *b == '\t' ? 1 : 3;
		if (!*a || !*b)
			return !*a && !*b;
		char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
		char cb = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;

		if (ca != cb)
			return false;
		a++;
		b++;
	}
}

bool doc_record_refused(const struct doc_record *d)
{
	return (d->type->refused_sides & SIDE(d->side)) ||
	       (d->type->refuse_if_domicile && d->shows_domicile) ||
	       (d->type->refuse_if_mynumber && d->shows_mynumber);
}


static const char *kind_name(const struct doc_application *app)
{
	return app->corporate ? "a corporation" : "an individual";
}

static void check_dates(struct check *c, const struct doc_record *d)
{
	const struct doc_type *t = d->type;
	int32_t today = c->app->today;
	char rule[48], b1[12], b2[12];

	doc_date_format(d->expires, b1, sizeof(b1));
	if (d->expires != DOC_DATE_NONE && d->expires < today)
		fail(c, d->id, "expired", "%s expired on %s", t->label, b1);
	if (!t->issued_within_months)
		return;
	doc_date_format(d->issued, b1, sizeof(b1));
	if (d->issued == DOC_DATE_NONE) {
		fail(c, d->id, "issue-date-missing", "%s needs its issue or receipt date",
		     t->label);
	} else if (d->issued > today) {
		fail(c, d->id, "issued-in-future", "%s dated %s, after today", t->label, b1);
	} else {
		int32_t limit = doc_date_minus_months(today, t->issued_within_months);

		doc_date_format(limit, b2, sizeof(b2));
		snprintf(rule, sizeof(rule), "issued-over-%d-months", t->issued_within_months);
		if (d->issued < limit)
			fail(c, d->id, rule, "%s dated %s, before %s", t->label, b1, b2);
	}
}

/* One record on its own: who may use it, refusals, masking, legibility, dates. */
static void check_record(struct check *c, const struct doc_record *d)
{
	const struct doc_type *t = d->type;
	char rule[48];

	if (!(t->for_mask & (c->app->corporate ? DOC_FOR_CORPORATION : DOC_FOR_INDIVIDUAL)))
		fail(c, d->id, c->app->corporate ? "not-for-corporations" : "not-for-individuals",
		     "%s is not accepted for %s", t->label, kind_name(c->app));
	if (t->refused_sides & SIDE(d->side)) {
		snprintf(rule, sizeof(rule), "%s-%s-refused", t->stem, doc_side_name(d->side));
		fail(c, d->id, rule, "the %s of the %s must not be uploaded",
		     doc_side_name(d->side), t->label);
	}
	if (t->refuse_if_domicile && d->shows_domicile) {
		snprintf(rule, sizeof(rule), "%s-shows-domicile", t->stem);
		fail(c, d->id, rule, "%s shows the registered domicile", t->label);
	}
	if (t->refuse_if_mynumber && d->shows_mynumber) {
		snprintf(rule, sizeof(rule), "%s-shows-mynumber", t->stem);
		fail(c, d->id, rule, "%s shows the My Number", t->label);
	}
	if (t->must_be_masked && !d->masked) {
		snprintf(rule, sizeof(rule), "%s-not-masked", t->stem);
		fail(c, d->id, rule, "symbol, number and insurer number must be masked");
	}
	if (!t->must_be_masked && d->masked)
		fail(c, d->id, "partly-hidden", "%s has hidden parts", t->label);
	if (d->altered)
		fail(c, d->id, "altered", "%s shows signs of alteration", t->label);
	if (d->unclear)
		fail(c, d->id, "image-unclear", "%s image is not legible", t->label);
	check_dates(c, d);
}

/* Sides needed for one type, over all its records; expiry recorded somewhere. */
static void check_type_sides(struct check *c, const struct doc_type *t,
			     const struct doc_record *docs, size_t n)
{
	unsigned have = 0, need = t->required_sides;
	bool changes = false, has_expiry = false;
	int64_t first = 0;
	char rule[48];

	for (size_t i = 0; i < n; i++) {
		if (docs[i].type != t)
			continue;
		if (!first)
			first = docs[i].id;
		have |= SIDE(docs[i].side);
		changes |= docs[i].changes;
		has_expiry |= docs[i].expires != DOC_DATE_NONE;
	}
	if (changes)
		need |= t->sides_if_changes;
	for (int s = 0; s < DOC_SIDE_COUNT; s++) {
		if (!(need & ~have & SIDE(s)))
			continue;
		snprintf(rule, sizeof(rule), "%s-needs-%s", t->stem, doc_side_name(s));
		fail(c, first, rule, "%s needs its %s%s", t->label, doc_side_name(s),
		     (t->sides_if_changes & SIDE(s)) ? " (changes are recorded)" : "");
	}
	if (t->expiry_required && !has_expiry)
		fail(c, first, "expiry-date-missing", "%s needs its expiry date", t->label);
}

/* The set: one primary type for this kind of customer, and its supplementary. */
static void check_set(struct check *c, const struct doc_record *docs, size_t n)
{
	unsigned kind = c->app->corporate ? DOC_FOR_CORPORATION : DOC_FOR_INDIVIDUAL;
	const struct doc_type *primary = NULL;
	unsigned nprimary = 0;
	bool has_supp = false;
	char rule[48];

	if (n == 0) {
		fail(c, 0, "no-documents", "no identity document was uploaded");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct doc_type *t = docs[i].type;
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = docs[j].type == t;
		if (seen)
			continue;
		check_type_sides(c, t, docs, n);
		if (!(t->for_mask & kind))
			continue;
		if (t->role == DOC_ROLE_PRIMARY && nprimary++ == 0)
			primary = t;
		has_supp |= t->supplements_insurance;
	}
	if (nprimary == 0)
		fail(c, 0, "no-primary-document", "no primary identity document for %s",
		     kind_name(c->app));
	else if (nprimary > 1)
		fail(c, 0, "several-primary-documents", "one set only: %u primary types uploaded",
		     nprimary);
	else if (primary->needs_supplementary && !has_supp) {
		snprintf(rule, sizeof(rule), "%s-needs-supplementary", primary->stem);
		fail(c, 0, rule, "%s needs a utility receipt or resident record as well",
		     primary->label);
	}
}

/* Name and address against the application; a corporation's register may show a
 * different head office if a receipt shows the application address. */
static void check_identity(struct check *c, const struct doc_record *docs, size_t n)
{
	const struct doc_application *app = c->app;
	unsigned kind = app->corporate ? DOC_FOR_CORPORATION : DOC_FOR_INDIVIDUAL;
	bool name_shown = false, addr_shown = false, office_differs = false, receipt = false;
	int64_t office_id = 0;

	for (size_t i = 0; i < n; i++) {
		const struct doc_record *d = &docs[i];

		if (d->name && !text_equal(d->name, app->name))
			fail(c, d->id, "name-mismatch", "name '%s' differs from the application",
			     d->name);
		else if (d->name && d->type->role == DOC_ROLE_PRIMARY &&
			 (d->type->for_mask & kind))
			name_shown = true;
		if (!d->address)
			continue;
		bool same = text_equal(d->address, app->address);

		if (app->corporate && d->type->head_office && !same) {
			office_differs = true;
			office_id = d->id;
		} else if (!same) {
			fail(c, d->id, "address-mismatch",
			     "address '%s' differs from the application", d->address);
		} else {
			addr_shown = true;
			receipt |= d->type->proves_corporate_address;
		}
	}
	if (!name_shown)
		fail(c, 0, "name-not-shown", "no primary document shows the applicant's name");
	if (office_differs && !receipt)
		fail(c, office_id, "corporate-address-differs-needs-receipt",
		     "head office differs from the application address: a tax, social "
		     "insurance or utility receipt showing it is needed");
	else if (!addr_shown)
		fail(c, 0, "address-not-shown", "no document shows the application address");
}

size_t doc_rules_check(const struct doc_application *app, const struct doc_record *docs,
		       size_t n, struct doc_finding *out, size_t max,
		       enum doc_outcome *verdict)
{
	struct check c = { .app = app, .out = out, .max = max, .verdict = DOC_PASS };

	check_set(&c, docs, n);
	for (size_t i = 0; i < n; i++)
		check_record(&c, &docs[i]);
	if (n)
		check_identity(&c, docs, n);
	*verdict = c.verdict;
	return c.n;
}
