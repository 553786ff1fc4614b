/* core/conf.h - INI configuration (parsed by libinih) with line numbers.
 * The whole file is loaded into an ordered list of (section, key, value, line) entries;
 * keys may repeat (route, channel). chan_dahdi's "key => value" is accepted as "key =
 * value". Every error is reported as "file:line: message". Consumers read typed values
 * and mark keys used; conf_check_unused() then reports each unknown key by line.
 * Does not know any section's meaning: modules do. */
#ifndef CORE_CONF_H
#define CORE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conf;

struct conf_entry {
	const char *section;	/* "" before the first [section] */
	const char *key;
	const char *value;
	int line;
	bool used;
};

/* Load a file. NULL on error, with "file:line: message" (or "file: strerror") in err. */
struct conf *conf_load(const char *path, char *err, size_t errlen);
/* Parse from memory (name is used in messages). */
struct conf *conf_load_string(const char *name, const char *text, char *err, size_t errlen);
void conf_free(struct conf *c);		/* NULL-safe */
const char *conf_path(const struct conf *c);

size_t conf_count(const struct conf *c);
struct conf_entry *conf_entry_at(struct conf *c, size_t i);
/* Distinct section names in order of first appearance. */
size_t conf_section_count(const struct conf *c);
const char *conf_section_at(const struct conf *c, size_t i);

/* Last entry for section/key, marked used; NULL if absent. */
struct conf_entry *conf_find(struct conf *c, const char *section, const char *key);
/* Iterate entries of a key in a section: pass prev = NULL to start. Marks used. */
struct conf_entry *conf_next(struct conf *c, const char *section, const char *key,
			     struct conf_entry *prev);

/* Typed getters. Absent key: *out = def, returns 0. Bad value: -EINVAL with
 * "file:line: [section] key: message" in err. */
int conf_get_str(struct conf *c, const char *section, const char *key, const char *def,
		 const char **out, char *err, size_t errlen);
int conf_get_long(struct conf *c, const char *section, const char *key, long min, long max,
		  long def, long *out, char *err, size_t errlen);
int conf_get_bool(struct conf *c, const char *section, const char *key, bool def, bool *out,
		  char *err, size_t errlen);

/* Format "file:line: [section] key: msg" for an entry (for consumers' own checks). */
void conf_errf(const struct conf *c, const struct conf_entry *e, char *err, size_t errlen,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* First entry nobody marked used: -ENOENT... returns -EINVAL with
 * "file:line: unknown key 'k' in [section]"; 0 if all were used. */
int conf_check_unused(const struct conf *c, char *err, size_t errlen);

/* Apply a [timers] section to a tdef table (X1 = 10000): -EINVAL on unknown/out of range. */
struct tdef;
int conf_apply_timers(struct conf *c, const char *section, struct tdef *tbl, char *err,
		      size_t errlen);
/* Same, for a section shared by several tables: applies (and marks used) only the names
 * found in tbl; the rest stay unused for conf_check_unused() to report. */
int conf_apply_timers_known(struct conf *c, const char *section, struct tdef *tbl, char *err,
			    size_t errlen);

/* Parse a channel list "1-15,17-31" into a bitmap of up to 'max' channels (1-based):
 * -EINVAL on syntax error or out of range. */
int conf_parse_ranges(const char *s, uint8_t *bitmap, unsigned max);
/* Bit layout: channel ch (1..max) is bit (ch-1)%8 of bitmap[(ch-1)/8]; the parser clears
 * (max+7)/8 bytes first. */
static inline bool conf_range_has(const uint8_t *bitmap, unsigned ch)
{
	return ch >= 1 && (bitmap[(ch - 1) / 8] >> ((ch - 1) % 8)) & 1;
}

#endif
