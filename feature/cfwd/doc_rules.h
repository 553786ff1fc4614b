/* feature/cfwd/doc_rules.h - identity-document rules of SERVICE.md §8, held as data.
 * A table of document types (who may use them, which sides are needed or refused,
 * masking, date limits) drives one pure check: (application, uploaded documents,
 * today) -> every failed rule by name, and a verdict (pass / return / reject).
 * Does not touch files, the store or the clock: callers pass "today". */
#ifndef FEATURE_CFWD_DOC_RULES_H
#define FEATURE_CFWD_DOC_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum doc_side {
	DOC_SIDE_FRONT,
	DOC_SIDE_BACK,
	DOC_SIDE_PHOTO_PAGE,
	DOC_SIDE_HOLDER_PAGE,
	DOC_SIDE_COUNT
};

enum doc_role {
	DOC_ROLE_PRIMARY,	/* one set: exactly one primary type */
	DOC_ROLE_SUPPLEMENTARY,	/* receipts, resident record */
};

#define DOC_FOR_INDIVIDUAL 1u
#define DOC_FOR_CORPORATION 2u

/* A verdict orders by severity: one reject rule rejects the order. */
enum doc_outcome {
	DOC_PASS,
	DOC_RETURN,	/* returned for re-upload with the reasons */
	DOC_REJECT,	/* not approved */
};

#define DOC_DATE_NONE INT32_MIN

struct doc_type {
	const char *id;			/* "mynumber-card": the --type word */
	const char *stem;		/* "mynumber": rule names start with it */
	const char *label;		/* "passport (パスポート)" */
	unsigned for_mask;		/* DOC_FOR_INDIVIDUAL | DOC_FOR_CORPORATION */
	enum doc_role role;
	unsigned allowed_sides;		/* S(side): sides that may be recorded */
	unsigned required_sides;	/* always needed */
	unsigned sides_if_changes;	/* needed when the document records changes */
	unsigned refused_sides;		/* refused on upload, image not kept:
					 * rule "<stem>-<side>-refused" */
	bool needs_supplementary;	/* health insurance: plus a supplementary document */
	bool must_be_masked;		/* symbol, number, insurer number hidden */
	int issued_within_months;	/* 0: issue date not checked */
	bool expiry_required;		/* the document carries an expiry date */
	bool refuse_if_domicile;	/* resident record showing registered domicile */
	bool refuse_if_mynumber;	/* resident record showing My Number */
	bool head_office;		/* corporate register: address may differ (receipt) */
	bool proves_corporate_address;	/* receipt that can back a differing address */
	bool supplements_insurance;	/* can be the insurance card's supplementary */
};

/* One uploaded document as the operator recorded it. */
struct doc_record {
	int64_t id;
	const struct doc_type *type;
	enum doc_side side;
	int32_t issued;			/* days since 1970-01-01, or DOC_DATE_NONE */
	int32_t expires;
	const char *name;		/* as read on the document; NULL: not shown */
	const char *address;
	bool masked;			/* parts were hidden by the customer */
	bool changes;			/* the document records changes (back side needed) */
	bool shows_domicile;
	bool shows_mynumber;
	bool unclear;			/* image not legible */
	bool altered;			/* signs of alteration */
};

struct doc_application {
	bool corporate;
	const char *name;
	const char *address;
	int32_t today;			/* days since epoch */
};

struct doc_finding {
	char rule[48];			/* "passport-needs-holder-page" */
	enum doc_outcome outcome;
	int64_t doc_id;			/* 0: about the set, not one document */
	char detail[160];
};

const struct doc_type *doc_type_find(const char *id);
size_t doc_type_count(void);
const struct doc_type *doc_type_at(size_t i);

const char *doc_side_name(enum doc_side side);
int doc_side_parse(const char *s, enum doc_side *out);	/* 0 or -EINVAL */
const char *doc_outcome_name(enum doc_outcome o);

/* Strict ISO date "YYYY-MM-DD" -> days since epoch: 0 or -EINVAL. */
int doc_date_parse(const char *s, int32_t *days);
/* days -> "YYYY-MM-DD" (buf >= 11). */
void doc_date_format(int32_t days, char *buf, size_t len);
/* Same calendar day 'months' months earlier (clamped to the month's last day). */
int32_t doc_date_minus_months(int32_t days, int months);
/* Days in the month holding 'days'; *first gets that month's first day. */
int doc_date_month(int32_t days, int32_t *first);

/* Is this record refused on upload (its image must not be kept)? */
bool doc_record_refused(const struct doc_record *d);

/* Check a set. Writes up to max findings (every failed rule, in a stable order),
 * returns the number of failures found (may exceed max), sets *verdict. */
size_t doc_rules_check(const struct doc_application *app, const struct doc_record *docs,
		       size_t n, struct doc_finding *out, size_t max,
		       enum doc_outcome *verdict);

#endif
