/* feature/cfwd/order_int.h - internals shared by order.c, order_docs.c and
 * order_ops.c: the context, SQL helpers and the transition transaction.
 * Not for other modules. */
#ifndef CFWD_ORDER_INT_H
#define CFWD_ORDER_INT_H

#include <limits.h>

#include "feature/cfwd/order.h"

struct loop;

struct orders {
	sqlite3 *db;
	struct loop *loop;		/* only for the FSM's deferred frees */
	char op[64];			/* operator recorded with every event */
	int lead_days;
	char docs_dir[PATH_MAX - 64];
};

int order_sql_err(struct orders *o, int rc, const char *what);
sqlite3_stmt *order_prepare(struct orders *o, const char *sql);	/* NULL: logged */
int order_exec(struct orders *o, const char *sql);
int order_done(struct orders *o, sqlite3_stmt *s, const char *what);	/* finalizes */
void order_bind_date(sqlite3_stmt *s, int i, int32_t days);
int32_t order_col_date(sqlite3_stmt *s, int i);
void order_col_text(sqlite3_stmt *s, int i, char *buf, size_t len);

/* Printable one-line text shorter than size (NULL allowed if may_be_null). */
bool order_text_ok(const char *s, size_t size, bool may_be_null);

int order_event_add(struct orders *o, int64_t id, enum order_event ev,
		    enum order_state from, enum order_state to, const char *reason);
int order_fsm_step(struct orders *o, int64_t id, enum order_state from,
		   enum order_event ev, enum order_state *to);

typedef int (*order_choose_fn)(struct orders *o, const struct order *r, void *arg,
			       enum order_event *ev);
typedef int (*order_apply_fn)(struct orders *o, struct order *r, void *arg, char *why,
			      size_t len);
int order_tx(struct orders *o, int64_t id, enum order_event ev, const char *reason,
	     order_choose_fn choose, order_apply_fn fn, void *arg, struct order *out);

/* Inside a transaction: record every kept image of the order as deleted (now, by the
 * operator). After the commit: unlink the order's files that rows mark deleted. */
int order_docs_mark_deleted(struct orders *o, int64_t id);
int order_docs_unlink(struct orders *o, int64_t id);
/* Kept documents of the order (rows not deleted), for verification. */
int order_docs_load(struct orders *o, int64_t id, struct order_doc **docs, size_t *n);

#endif
