/* core/tdef.c - named timer tables (osmo_tdef's shape): lookup by id or name, current
 * value with fallback to the default, range-checked overrides. Tables are owned by
 * their modules and end with an entry whose name is NULL. */
#include <assert.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "core/tdef.h"

const struct tdef *tdef_find(const struct tdef *tbl, int id)
{
	if (!tbl)
		return NULL;
	for (; tbl->name; tbl++)
		if (tbl->id == id)
			return tbl;
	return NULL;
}

const struct tdef *tdef_find_name(const struct tdef *tbl, const char *name)
{
	if (!tbl)
		return NULL;
	for (; tbl->name; tbl++)
		if (strcasecmp(tbl->name, name) == 0)
			return tbl;
	return NULL;
}

uint32_t tdef_ms(const struct tdef *tbl, int id)
{
	const struct tdef *t = tdef_find(tbl, id);

	assert(t);
	return t->ms ? t->ms : t->default_ms;
}

int tdef_set(struct tdef *tbl, const char *name, uint32_t ms)
{
	struct tdef *t = (struct tdef *)tdef_find_name(tbl, name);

	if (!t)
		return -ENOENT;
	if (ms < t->min_ms || (t->max_ms && ms > t->max_ms))
		return -ERANGE;
	t->ms = ms;
	return 0;
}

void tdef_reset(struct tdef *tbl)
{
	if (!tbl)
		return;
	for (; tbl->name; tbl++)
		tbl->ms = 0;
}
