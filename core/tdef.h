/* core/tdef.h - named timer table (osmo_tdef's shape): T (protocol) and X (ours)
 * timers with defaults, overridable from config ("[timers]" X1 = 10000) and at run
 * time. Each module owns a table terminated by an entry with name == NULL. */
#ifndef CORE_TDEF_H
#define CORE_TDEF_H

#include <stdint.h>

struct tdef {
	int id;			/* nonzero, unique within the table; FSM states refer to it */
	const char *name;	/* "X1", "T9" */
	const char *desc;	/* "inter-digit" */
	uint32_t default_ms;
	uint32_t min_ms, max_ms;	/* accepted range for overrides (0, 0: any) */
	uint32_t ms;		/* current value; 0 means "use default_ms" */
};

const struct tdef *tdef_find(const struct tdef *tbl, int id);
const struct tdef *tdef_find_name(const struct tdef *tbl, const char *name);
/* Current value of timer id in ms; asserts the id exists. */
uint32_t tdef_ms(const struct tdef *tbl, int id);
/* Override by name: 0, -ENOENT (no such timer) or -ERANGE (outside min..max). */
int tdef_set(struct tdef *tbl, const char *name, uint32_t ms);
void tdef_reset(struct tdef *tbl);	/* back to defaults */

#endif
