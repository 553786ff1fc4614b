/* core/util.h - tiny helpers shared by every module: array size, min/max, safe
 * string copy, value_string-style enum naming. Nothing with state. */
#ifndef CORE_UTIL_H
#define CORE_UTIL_H

#include <stddef.h>
#include <string.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Copies at most dstlen-1 bytes and always terminates; returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t dstlen);

/* Name of value v in a table {value, "name"} ended by {0, NULL}; "unknown" if absent. */
struct value_string {
	int value;
	const char *str;
};
const char *get_value_string(const struct value_string *vs, int v);
/* -ENOENT if absent, else 0 and *v set. */
int get_string_value(const struct value_string *vs, const char *s, int *v);

#endif
