/* feature/cfwd/numbers.c - number validation for 142, remote control and cfwdctl:
 * the refused forward-to list of SERVICE.md §5 (defaults and [refused] configuration),
 * subscriber/caller number shapes, PIN shape. No store, no I/O except config reading. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/conf.h"
#include "core/util.h"
#include "feature/cfwd/numbers.h"

#define NATIONAL_MIN 10
#define NATIONAL_MAX 11

static const struct value_string verdict_names[] = {
	{ CFWD_NUM_OK, "ok" },
	{ CFWD_NUM_EMPTY, "empty" },
	{ CFWD_NUM_NOT_DIGITS, "malformed" },
	{ CFWD_NUM_NOT_NATIONAL, "not-national" },
	{ CFWD_NUM_TOO_SHORT, "too-short" },
	{ CFWD_NUM_TOO_LONG, "too-long" },
	{ CFWD_NUM_SERVICE_CODE, "refused-service-code" },
	{ CFWD_NUM_REFUSED_PREFIX, "refused-prefix" },
	{ CFWD_NUM_OWN_NUMBER, "own-number" },
	{ CFWD_NUM_ACCESS_NUMBER, "access-number" },
	{ 0, NULL }
};

const char *cfwd_number_verdict_name(enum cfwd_number_verdict v)
{
	return get_value_string(verdict_names, v);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void rule_set(struct cfwd_refused_rule *r, const char *digits, const char *label)
{
	str_copy(r->digits, digits, sizeof(r->digits));
	str_copy(r->label, label, sizeof(r->label));
}

void cfwd_refused_default(struct cfwd_refused *r)
{
	static const char *const prefixes[][2] = {
		{ "0120", "toll-free" }, { "0800", "toll-free" }, { "0570", "navi-dial" },
		{ "0990", "premium" },	 { "010", "international" }, { "00", "carrier" },
	};

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		rule_set(&r->prefix[r->n_prefix++], prefixes[i][0], prefixes[i][1]);
	rule_set(&r->service[r->n_service++], "1XY", "service-code");
	str_copy(r->access[r->n_access++], "0363044141", CFWD_PATTERN_SIZE);
	str_copy(r->access[r->n_access++], "0664806142", CFWD_PATTERN_SIZE);
}

/* "DIGITS [label]" into a rule; patterns may hold X/Y wildcards. */
static int parse_rule(struct conf *c, struct conf_entry *e, bool pattern,
		      struct cfwd_refused_rule *r, char *err, size_t errlen)
{
	const char *v = e->value;
	size_t n = strcspn(v, " \t");
	const char *label = v + n;

	while (*label == ' ' || *label == '\t')
		label++;
	if (n == 0 || n >= sizeof(r->digits) || strlen(label) >= sizeof(r->label))
		goto bad;
	for (size_t i = 0; i < n; i++) {
		bool ok = isdigit((unsigned char)v[i]) ||
			  (pattern && (v[i] == 'X' || v[i] == 'Y'));
		if (!ok)
			goto bad;
	}
	memcpy(r->digits, v, n);
	r->digits[n] = '\0';
	str_copy(r->label, label, sizeof(r->label));
	return 0;
bad:
	conf_errf(c, e, err, errlen, "expected %s [label], got '%s'",
		  pattern ? "a digit pattern (0-9, X, Y)" : "digits", v);
	return -EINVAL;
}

static int load_rules(struct conf *c, const char *key, bool pattern,
		      struct cfwd_refused_rule *rules, size_t *n, char *err, size_t errlen)
{
	struct conf_entry *e = NULL;
	size_t count = 0;
	int rc;

	while ((e = conf_next(c, "refused", key, e))) {
		if (count == CFWD_REFUSED_MAX) {
			conf_errf(c, e, err, errlen, "more than %d entries", CFWD_REFUSED_MAX);
			return -EINVAL;
		}
		rc = parse_rule(c, e, pattern, &rules[count], err, errlen);
		if (rc)
			return rc;
		count++;
	}
	*n = count;
	return 0;
}

int cfwd_refused_load(struct conf *c, struct cfwd_refused *r, char *err, size_t errlen)
{
	struct cfwd_refused tmp;
	struct conf_entry *e = NULL;
	size_t n = 0;
	int rc;

	cfwd_refused_default(r);
	tmp = *r;
	rc = load_rules(c, "prefix", false, tmp.prefix, &tmp.n_prefix, err, errlen);
	if (!rc)
		rc = load_rules(c, "service", true, tmp.service, &tmp.n_service, err, errlen);
	if (rc)
		return rc;
	if (tmp.n_prefix || tmp.n_service) {
		memcpy(r->prefix, tmp.prefix, sizeof(r->prefix));
		r->n_prefix = tmp.n_prefix;
		memcpy(r->service, tmp.service, sizeof(r->service));
		r->n_service = tmp.n_service;
	}
	while ((e = conf_next(c, "service", "remote_access", e))) {
		if (n == CFWD_ACCESS_MAX || !all_digits(e->value) ||
		    strlen(e->value) >= CFWD_PATTERN_SIZE) {
			conf_errf(c, e, err, errlen, "bad access number '%s'", e->value);
			return -EINVAL;
		}
		str_copy(tmp.access[n++], e->value, CFWD_PATTERN_SIZE);
	}
	if (n) {
		memcpy(r->access, tmp.access, sizeof(r->access));
		r->n_access = n;
	}
	return 0;
}

static bool pattern_match(const char *pat, const char *num)
{
	if (strlen(pat) != strlen(num))
		return false;
	for (; *pat; pat++, num++)
		if (*pat != 'X' && *pat != 'Y' && *pat != *num)
			return false;
	return true;
}

static const struct cfwd_refused_rule *find_prefix(const struct cfwd_refused *cfg,
						   const char *to)
{
	for (size_t i = 0; i < cfg->n_prefix; i++) {
		const char *p = cfg->prefix[i].digits;

		if (strncmp(to, p, strlen(p)) == 0)
			return &cfg->prefix[i];
	}
	return NULL;
}

static int national_shape(const char *num)
{
	size_t len;

	if (!num || !*num)
		return CFWD_NUM_EMPTY;
	if (!all_digits(num))
		return CFWD_NUM_NOT_DIGITS;
	if (num[0] != '0')
		return CFWD_NUM_NOT_NATIONAL;
	len = strlen(num);
	if (len < NATIONAL_MIN)
		return CFWD_NUM_TOO_SHORT;
	if (len > NATIONAL_MAX)
		return CFWD_NUM_TOO_LONG;
	return CFWD_NUM_OK;
}

int cfwd_number_check_forward_to(const struct cfwd_refused *cfg, const char *sub,
				 const char *to)
{
	if (!to || !*to)
		return CFWD_NUM_EMPTY;
	if (!all_digits(to))
		return CFWD_NUM_NOT_DIGITS;
	for (size_t i = 0; i < cfg->n_service; i++)
		if (pattern_match(cfg->service[i].digits, to))
			return CFWD_NUM_SERVICE_CODE;
	if (sub && strcmp(sub, to) == 0)
		return CFWD_NUM_OWN_NUMBER;
	for (size_t i = 0; i < cfg->n_access; i++)
		if (strcmp(cfg->access[i], to) == 0)
			return CFWD_NUM_ACCESS_NUMBER;
	if (find_prefix(cfg, to))
		return CFWD_NUM_REFUSED_PREFIX;
	return national_shape(to);
}

void cfwd_number_describe(const struct cfwd_refused *cfg, const char *to, int verdict,
			  char *buf, size_t len)
{
	const struct cfwd_refused_rule *r;

	switch (verdict) {
	case CFWD_NUM_OK:
		snprintf(buf, len, "%s is accepted", to);
		break;
	case CFWD_NUM_EMPTY:
		snprintf(buf, len, "no number given");
		break;
	case CFWD_NUM_NOT_DIGITS:
		snprintf(buf, len, "'%s' is malformed: digits 0-9 only", to);
		break;
	case CFWD_NUM_NOT_NATIONAL:
	case CFWD_NUM_TOO_SHORT:
	case CFWD_NUM_TOO_LONG:
		snprintf(buf, len, "%s is not a national number (0 and 10 or 11 digits)", to);
		break;
	case CFWD_NUM_SERVICE_CODE:
		snprintf(buf, len, "%s is a service number and is refused", to);
		break;
	case CFWD_NUM_REFUSED_PREFIX:
		r = find_prefix(cfg, to);
		snprintf(buf, len, "%s numbers are refused%s%s%s", r ? r->digits : to,
			 r && r->label[0] ? " (" : "", r ? r->label : "",
			 r && r->label[0] ? ")" : "");
		break;
	case CFWD_NUM_OWN_NUMBER:
		snprintf(buf, len, "%s is the subscriber's own number", to);
		break;
	case CFWD_NUM_ACCESS_NUMBER:
		snprintf(buf, len, "%s is a remote-control access number", to);
		break;
	default:
		snprintf(buf, len, "%s is refused", to);
		break;
	}
}

int cfwd_number_check_subscriber(const char *num)
{
	return national_shape(num);
}

int cfwd_number_check_caller(const char *num)
{
	if (!num || !*num)
		return CFWD_NUM_EMPTY;
	if (!all_digits(num))
		return CFWD_NUM_NOT_DIGITS;
	if (strlen(num) > 15)
		return CFWD_NUM_TOO_LONG;
	return CFWD_NUM_OK;
}

bool cfwd_pin_valid(const char *pin)
{
	return pin && strlen(pin) == 4 && all_digits(pin);
}
