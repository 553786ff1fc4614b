/* feature/cfwd/numbers.h - number validation shared by 142, remote control and cfwdctl:
 * subscriber numbers, forward-to numbers against the refused list of SERVICE.md §5
 * (configuration [refused] and [service] remote_access in conf/cfwd.conf), caller
 * numbers for the rejection list, PIN shape. Pure functions; no store access. */
#ifndef CFWD_NUMBERS_H
#define CFWD_NUMBERS_H

#include <stdbool.h>
#include <stddef.h>

#define CFWD_REFUSED_MAX 32
#define CFWD_ACCESS_MAX 8
#define CFWD_PATTERN_SIZE 16
#define CFWD_LABEL_SIZE 24
#define CFWD_SERVICE_CODE_DEFAULT "142"	/* [service] service_code */

/* A refused prefix ("0120") or a service pattern ("1XY": X/Y = any digit, whole number). */
struct cfwd_refused_rule {
	char digits[CFWD_PATTERN_SIZE];
	char label[CFWD_LABEL_SIZE];	/* "toll-free", "navi-dial", ... ("" if none) */
};

struct cfwd_refused {
	struct cfwd_refused_rule prefix[CFWD_REFUSED_MAX];
	size_t n_prefix;
	struct cfwd_refused_rule service[CFWD_REFUSED_MAX];
	size_t n_service;
	char access[CFWD_ACCESS_MAX][CFWD_PATTERN_SIZE];	/* remote-control access numbers */
	size_t n_access;
};

/* The list of SERVICE.md §5: service 1XY; prefixes 0120, 0800, 0570, 0990, 010, 00;
 * access numbers 0363044141, 0664806142. */
void cfwd_refused_default(struct cfwd_refused *r);
/* [refused] prefix = DIGITS [label] / service = PATTERN [label] (repeatable; if the
 * section has any entry, it replaces the default list) and [service] remote_access =
 * NUMBER (repeatable, replaces the default access numbers). 0 or -EINVAL + err. */
struct conf;
int cfwd_refused_load(struct conf *c, struct cfwd_refused *r, char *err, size_t errlen);

enum cfwd_number_verdict {
	CFWD_NUM_OK,
	CFWD_NUM_EMPTY,
	CFWD_NUM_NOT_DIGITS,		/* malformed: something else than 0-9 */
	CFWD_NUM_NOT_NATIONAL,		/* does not start with 0 */
	CFWD_NUM_TOO_SHORT,		/* national but fewer than 10 digits */
	CFWD_NUM_TOO_LONG,		/* more than 11 digits */
	CFWD_NUM_SERVICE_CODE,		/* matches a service pattern (1XY) */
	CFWD_NUM_REFUSED_PREFIX,	/* toll-free, navi dial, international, carrier... */
	CFWD_NUM_OWN_NUMBER,		/* the subscriber's own number */
	CFWD_NUM_ACCESS_NUMBER,		/* a remote-control access number */
};
/* "ok", "empty", "malformed", "not-national", "too-short", "too-long",
 * "refused-service-code", "refused-prefix", "own-number", "access-number" */
const char *cfwd_number_verdict_name(enum cfwd_number_verdict v);

/* Forward-to number check (SERVICE.md §5): returns an enum cfwd_number_verdict. sub may
 * be NULL (no own-number check). Order: malformed, service code, own, access, prefix,
 * national shape (0 + 9..10 digits). */
int cfwd_number_check_forward_to(const struct cfwd_refused *cfg, const char *sub,
				 const char *to);
/* One-line human reason, e.g. "0120 numbers are refused (toll-free)". */
void cfwd_number_describe(const struct cfwd_refused *cfg, const char *to, int verdict,
			  char *buf, size_t len);

/* A subscriber number: national, 0 + 9..10 digits. Returns a verdict. */
int cfwd_number_check_subscriber(const char *num);
/* A caller number for the rejection list: 1..15 digits. Returns a verdict. */
int cfwd_number_check_caller(const char *num);
/* A remote-control PIN: exactly 4 digits. */
bool cfwd_pin_valid(const char *pin);

#endif
