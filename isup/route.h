/* isup/route.h - the routing table: called-number prefix -> linkset name, longest
 * prefix wins. Config: [route] with repeated "route => PREFIX LINKSET" lines.
 * No match means "unallocated number" (cause 1) to the caller. Pure data. */
#ifndef ISUP_ROUTE_H
#define ISUP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>

struct conf;
struct route_table;

/* Read [route]; NULL with "file:line: ..." in err. An absent section is an empty table. */
struct route_table *route_table_load(struct conf *c, char *err, size_t errlen);
struct route_table *route_table_alloc(void);
int route_table_add(struct route_table *t, const char *prefix, const char *linkset);
void route_table_free(struct route_table *t);	/* NULL-safe */
size_t route_table_count(const struct route_table *t);

/* Every [route] line must name a linkset for which exists(user, name) is true:
 * 0, or -EINVAL with "file:line: ..." in err. */
int route_conf_check(struct conf *c, bool (*exists)(void *user, const char *name), void *user,
		     char *err, size_t errlen);

/* Linkset name for number (longest matching prefix), or NULL. */
const char *route_lookup(const struct route_table *t, const char *number);

#endif
