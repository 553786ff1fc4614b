/* core/util.c - string copy and value_string lookups shared by every module.
 * Stateless helpers only; nothing here allocates. */
#include <errno.h>
#include <string.h>

#include "core/util.h"

size_t str_copy(char *dst, const char *src, size_t dstlen)
{
	size_t n = strlen(src);

	if (dstlen) {
		size_t k = n < dstlen - 1 ? n : dstlen - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

const char *get_value_string(const struct value_string *vs, int v)
{
	for (; vs->str; vs++)
		if (vs->value == v)
			return vs->str;
	return "unknown";
}

int get_string_value(const struct value_string *vs, const char *s, int *v)
{
	for (; vs->str; vs++) {
		if (strcmp(vs->str, s) == 0) {
			*v = vs->value;
			return 0;
		}
	}
	return -ENOENT;
}
