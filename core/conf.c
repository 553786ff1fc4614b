/* core/conf.c - INI configuration read by libinih into an ordered list of entries with
 * line numbers (a line-counting reader feeds ini_parse_stream(): Debian's inih lacks
 * INI_HANDLER_LINENO). Keys may repeat; "key => value" reads as "key = value"; lookups
 * ignore case; every error reads "file:line: message". Typed getters, the unused-key
 * check, [timers] overrides and channel ranges are here; section meanings are not. */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/tdef.h"

struct conf {
	char *path;
	struct conf_entry *ents;
	size_t n, cap;
	char **sections;
	size_t nsec, seccap;
};

struct parse_ctx {
	struct conf *c;
	const char *p; /* next unread byte of the text */
	int lineno; /* line of the text most recently handed to inih */
	int long_line; /* first line too long for inih's buffer (0: none) */
	bool nomem;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* fgets-style reader over memory that counts lines; an over-long line is replaced by a
 * comment and remembered, so it is reported instead of being parsed in pieces. */
static char *count_reader(char *str, int num, void *stream)
{
	struct parse_ctx *ctx = stream;
	size_t len, max = (size_t)num - 1;

	if (!*ctx->p)
		return NULL;
	len = strcspn(ctx->p, "\n");
	if (ctx->p[len] == '\n')
		len++;
	ctx->lineno++;
	if (len > max) {
		if (!ctx->long_line)
			ctx->long_line = ctx->lineno;
		snprintf(str, (size_t)num, ";\n");
		ctx->p += len;
		return str;
	}
	memcpy(str, ctx->p, len);
	str[len] = '\0';
	ctx->p += len;
	return str;
}

static const char *intern_section(struct conf *c, const char *section)
{
	char *s;

	for (size_t i = 0; i < c->nsec; i++)
		if (strcmp(c->sections[i], section) == 0)
			return c->sections[i];
	if (c->nsec == c->seccap) {
		size_t ncap = c->seccap ? 2 * c->seccap : 8;
		char **p = realloc(c->sections, ncap * sizeof(*p));

		if (!p)
			return NULL;
		c->sections = p;
		c->seccap = ncap;
	}
	s = strdup(section);
	if (s)
		c->sections[c->nsec++] = s;
	return s;
}

static int add_entry(struct conf *c, const char *section, const char *key, const char *value,
		     int line)
{
	struct conf_entry *e;

	if (c->n == c->cap) {
		size_t ncap = c->cap ? 2 * c->cap : 32;

		e = realloc(c->ents, ncap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		c->ents = e;
		c->cap = ncap;
	}
	e = &c->ents[c->n];
	e->section = intern_section(c, section);
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = line;
	e->used = false;
	if (!e->section || !e->key || !e->value) {
		free((char *)e->key);
		free((char *)e->value);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

static int ini_cb(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = user;

	if (!value)
		value = "";
	if (value[0] == '>') { /* chan_dahdi "key => value" */
		value++;
		while (*value == ' ' || *value == '\t')
			value++;
	}
	if (add_entry(ctx->c, section, name, value, ctx->lineno) < 0) {
		ctx->nomem = true;
		return 0;
	}
	return 1;
}

struct conf *conf_load_string(const char *name, const char *text, char *err, size_t errlen)
{
	struct parse_ctx ctx = { .p = text };
	struct conf *c = calloc(1, sizeof(*c));
	int rc;

	if (!c || !(c->path = strdup(name))) {
		free(c);
		set_err(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	ctx.c = c;
	ini_allow_multiline = false; /* an indented line is a line, not a continuation */
	rc = ini_parse_stream(count_reader, &ctx, ini_cb, &ctx);
	if (ctx.nomem || rc == -2) {
		set_err(err, errlen, "%s: out of memory", name);
	} else if (ctx.long_line && (rc <= 0 || ctx.long_line < rc)) {
		set_err(err, errlen, "%s:%d: line too long", name, ctx.long_line);
	} else if (rc > 0) {
		set_err(err, errlen, "%s:%d: syntax error (expected [section] or key = value)",
			name, rc);
	} else if (rc < 0) {
		set_err(err, errlen, "%s: parse error", name);
	} else {
		return c;
	}
	conf_free(c);
	return NULL;
}

struct conf *conf_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	struct conf *c;

	if (!f) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (getdelim(&buf, &len, '\0', f) < 0 && ferror(f)) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	c = conf_load_string(path, buf ? buf : "", err, errlen);
	free(buf);
	return c;
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->ents[i].key);
		free((char *)c->ents[i].value);
	}
	for (size_t i = 0; i < c->nsec; i++)
		free(c->sections[i]);
	free(c->sections);
	free(c->ents);
	free(c->path);
	free(c);
}

const char *conf_path(const struct conf *c)
{
	return c->path;
}

size_t conf_count(const struct conf *c)
{
	return c->n;
}

struct conf_entry *conf_entry_at(struct conf *c, size_t i)
{
	return i < c->n ? &c->ents[i] : NULL;
}

size_t conf_section_count(const struct conf *c)
{
	return c->nsec;
}

const char *conf_section_at(const struct conf *c, size_t i)
{
	return i < c->nsec ? c->sections[i] : NULL;
}

static bool entry_is(const struct conf_entry *e, const char *section, const char *key)
{
	return strcasecmp(e->section, section) == 0 && strcasecmp(e->key, key) == 0;
}

struct conf_entry *conf_find(struct conf *c, const char *section, const char *key)
{
	for (size_t i = c->n; i-- > 0;) {
		if (entry_is(&c->ents[i], section, key)) {
			c->ents[i].used = true;
			return &c->ents[i];
		}
	}
	return NULL;
}

struct conf_entry *conf_next(struct conf *c, const char *section, const char *key,
			     struct conf_entry *prev)
{
	size_t i = prev ? (size_t)(prev - c->ents) + 1 : 0;

	for (; i < c->n; i++) {
		if (entry_is(&c->ents[i], section, key)) {
			c->ents[i].used = true;
			return &c->ents[i];
		}
	}
	return NULL;
}

void conf_errf(const struct conf *c, const struct conf_entry *e, char *err, size_t errlen,
	       const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (e)
		set_err(err, errlen, "%s:%d: [%s] %s: %s", c->path, e->line, e->section, e->key,
			msg);
	else
		set_err(err, errlen, "%s: %s", c->path, msg);
}

int conf_get_str(struct conf *c, const char *section, const char *key, const char *def,
		 const char **out, char *err, size_t errlen)
{
	struct conf_entry *e = conf_find(c, section, key);

	*out = e ? e->value : def;
	return 0;
}

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	return 0;
}

int conf_get_long(struct conf *c, const char *section, const char *key, long min, long max,
		  long def, long *out, char *err, size_t errlen)
{
	struct conf_entry *e = conf_find(c, section, key);
	long v;

	if (!e) {
		*out = def;
		return 0;
	}
	if (parse_long(e->value, &v) < 0 || v < min || v > max) {
		conf_errf(c, e, err, errlen, "expected a number in %ld..%ld", min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int conf_get_bool(struct conf *c, const char *section, const char *key, bool def, bool *out,
		  char *err, size_t errlen)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	struct conf_entry *e = conf_find(c, section, key);

	if (!e) {
		*out = def;
		return 0;
	}
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(e->value, yes[i]) == 0 || strcasecmp(e->value, no[i]) == 0) {
			*out = strcasecmp(e->value, yes[i]) == 0;
			return 0;
		}
	}
	conf_errf(c, e, err, errlen, "expected yes or no");
	return -EINVAL;
}

int conf_check_unused(const struct conf *c, char *err, size_t errlen)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct conf_entry *e = &c->ents[i];

		if (e->used)
			continue;
		if (e->section[0])
			set_err(err, errlen, "%s:%d: unknown key '%s' in [%s]", c->path, e->line,
				e->key, e->section);
		else
			set_err(err, errlen, "%s:%d: unknown key '%s' outside any [section]",
				c->path, e->line, e->key);
		return -EINVAL;
	}
	return 0;
}

/* "10000", "10000 ms" or "10 s" into milliseconds. */
static int parse_ms(const char *s, uint32_t *ms)
{
	unsigned long long v;
	unsigned long long mult = 1;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	while (*end == ' ' || *end == '\t')
		end++;
	if (strcasecmp(end, "s") == 0)
		mult = 1000;
	else if (*end && strcasecmp(end, "ms") != 0)
		return -EINVAL;
	if (v > UINT32_MAX / mult)
		return -EINVAL;
	*ms = (uint32_t)(v * mult);
	return 0;
}

/* Checks every entry of the section first, then applies them all (or none). */
static int apply_timers(struct conf *c, const char *section, struct tdef *tbl, bool known_only,
			char *err, size_t errlen)
{
	if (!section)
		section = "timers";
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->n; i++) {
			struct conf_entry *e = &c->ents[i];
			const struct tdef *t;
			uint32_t ms;

			if (strcasecmp(e->section, section) != 0)
				continue;
			t = tdef_find_name(tbl, e->key);
			if (!t && known_only)
				continue;
			if (!t) {
				conf_errf(c, e, err, errlen, "unknown timer");
				return -EINVAL;
			}
			if (parse_ms(e->value, &ms) < 0) {
				conf_errf(c, e, err, errlen,
					  "expected milliseconds (10000, 10000ms or 10s)");
				return -EINVAL;
			}
			if (ms < t->min_ms || (t->max_ms && ms > t->max_ms)) {
				conf_errf(c, e, err, errlen, "%u ms out of range %u..%u ms", ms,
					  t->min_ms, t->max_ms ? t->max_ms : UINT32_MAX);
				return -EINVAL;
			}
			if (pass == 1) {
				tdef_set(tbl, t->name, ms);
				e->used = true;
			}
		}
	}
	return 0;
}

int conf_apply_timers(struct conf *c, const char *section, struct tdef *tbl, char *err,
		      size_t errlen)
{
	return apply_timers(c, section, tbl, false, err, errlen);
}

int conf_apply_timers_known(struct conf *c, const char *section, struct tdef *tbl, char *err,
			    size_t errlen)
{
	return apply_timers(c, section, tbl, true, err, errlen);
}

static int parse_uint(const char **p, unsigned *v)
{
	unsigned long n;
	char *end;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	errno = 0;
	n = strtoul(*p, &end, 10);
	if (errno || n > UINT_MAX)
		return -EINVAL;
	*v = (unsigned)n;
	*p = end;
	while (**p == ' ' || **p == '\t')
		(*p)++;
	return 0;
}

int conf_parse_ranges(const char *s, uint8_t *bitmap, unsigned max)
{
	const char *p = s;

	memset(bitmap, 0, (max + 7) / 8);
	for (;;) {
		unsigned lo, hi;

		if (parse_uint(&p, &lo) < 0)
			return -EINVAL;
		hi = lo;
		if (*p == '-') {
			p++;
			if (parse_uint(&p, &hi) < 0)
				return -EINVAL;
		}
		if (lo < 1 || hi > max || lo > hi)
			return -EINVAL;
		for (unsigned ch = lo; ch <= hi; ch++)
			bitmap[(ch - 1) / 8] |= (uint8_t)(1u << ((ch - 1) % 8));
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -EINVAL;
	}
}
