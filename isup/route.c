/* isup/route.c - prefix routing table (see route.h). A linear scan for the longest
 * prefix: tables are tens of entries, lookups one per call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/util.h"
#include "isup/route.h"

struct route {
	char prefix[24];
	char linkset[32];
};

struct route_table {
	struct route *r;
	size_t n, cap;
};

struct route_table *route_table_alloc(void)
{
	return calloc(1, sizeof(struct route_table));
}

void route_table_free(struct route_table *t)
{
	if (!t)
		return;
	free(t->r);
	free(t);
}

size_t route_table_count(const struct route_table *t)
{
	return t->n;
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if ((*s < '0' || *s > '9') && *s != '*' && *s != '#')
			return false;
	return true;
}

int route_table_add(struct route_table *t, const char *prefix, const char *linkset)
{
	if (strlen(prefix) >= sizeof(t->r->prefix) || !all_digits(prefix) ||
	    !linkset[0] || strlen(linkset) >= sizeof(t->r->linkset))
		return -EINVAL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct route *r = realloc(t->r, cap * sizeof(*r));

		if (!r)
			return -ENOMEM;
		t->r = r;
		t->cap = cap;
	}
	str_copy(t->r[t->n].prefix, prefix, sizeof(t->r->prefix));
	str_copy(t->r[t->n].linkset, linkset, sizeof(t->r->linkset));
	t->n++;
	return 0;
}

struct route_table *route_table_load(struct conf *c, char *err, size_t errlen)
{
	struct route_table *t = route_table_alloc();
	struct conf_entry *e = NULL;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	while ((e = conf_next(c, "route", "route", e))) {
		char prefix[32], linkset[40], extra[2];

		if (sscanf(e->value, "%31s %39s %1s", prefix, linkset, extra) != 2 ||
		    route_table_add(t, prefix, linkset) < 0) {
			conf_errf(c, e, err, errlen, "expected 'route => PREFIX LINKSET'");
			route_table_free(t);
			return NULL;
		}
	}
	return t;
}

int route_conf_check(struct conf *c, bool (*exists)(void *user, const char *name), void *user,
		     char *err, size_t errlen)
{
	struct conf_entry *e = NULL;

	while ((e = conf_next(c, "route", "route", e))) {
		char prefix[32], linkset[40];

		if (sscanf(e->value, "%31s %39s", prefix, linkset) == 2 && !exists(user, linkset)) {
			conf_errf(c, e, err, errlen, "no [linkset %s]", linkset);
			return -EINVAL;
		}
	}
	return 0;
}

const char *route_lookup(const struct route_table *t, const char *number)
{
	const struct route *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < t->n; i++) {
		size_t n = strlen(t->r[i].prefix);

		if (n >= best_len && !strncmp(number, t->r[i].prefix, n) &&
		    (!best || n > best_len)) {
			best = &t->r[i];
			best_len = n;
		}
	}
	return best ? best->linkset : NULL;
}
