/* feature/cfwd/order.c - order rows in the store: schema (component "orders"), the
 * context, reading and listing, and order_tx(): the one transaction every transition
 * runs in (lock, load the row, restore the FSM and dispatch, side effects, write the
 * row and its event, commit). Documents are in order_docs.c, the transitions that
 * need more than a state change in order_ops.c. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "feature/cfwd/order_int.h"
#include "feature/cfwd/store.h"

/* Forward-only: never edit a released step, append one. */
static const struct store_migration order_steps[] = {
	{ .sql = "CREATE TABLE orders ("
		 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
		 " number TEXT NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL,"
		 " corporate INTEGER NOT NULL, with_phone INTEGER NOT NULL,"
		 " state TEXT NOT NULL, round INTEGER NOT NULL DEFAULT 1,"
		 " want_date TEXT, work_date TEXT, verified_on TEXT, active_on TEXT,"
		 " reason TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);"
		 "CREATE INDEX orders_number ON orders(number);"
		 "CREATE INDEX orders_state ON orders(state);"
		 "CREATE TABLE order_events ("
		 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
		 " order_id INTEGER NOT NULL REFERENCES orders(id),"
		 " at INTEGER NOT NULL, operator TEXT NOT NULL, event TEXT NOT NULL,"
		 " from_state TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT);"
		 "CREATE INDEX order_events_order ON order_events(order_id);"
		 "CREATE TABLE documents ("
		 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
		 " order_id INTEGER NOT NULL REFERENCES orders(id), round INTEGER NOT NULL,"
		 " type TEXT NOT NULL, side TEXT NOT NULL, issued TEXT, expires TEXT,"
		 " name TEXT, address TEXT, masked INTEGER NOT NULL, changes INTEGER NOT NULL,"
		 " shows_domicile INTEGER NOT NULL, shows_mynumber INTEGER NOT NULL,"
		 " unclear INTEGER NOT NULL, altered INTEGER NOT NULL,"
		 " path TEXT, sha256 TEXT, size INTEGER,"
		 " added INTEGER NOT NULL, added_by TEXT NOT NULL,"
		 " deleted INTEGER, deleted_by TEXT);"
		 "CREATE INDEX documents_order ON documents(order_id);"
		 "CREATE TABLE document_checks ("
		 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
		 " order_id INTEGER NOT NULL REFERENCES orders(id), round INTEGER NOT NULL,"
		 " document_id INTEGER, at INTEGER NOT NULL, operator TEXT NOT NULL,"
		 " rule TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT);"
		 "CREATE INDEX document_checks_order ON document_checks(order_id);" },
};

struct orders *orders_open(sqlite3 *db, char *err, size_t errlen)
{
	const char *file = sqlite3_db_filename(db, "main");
	struct orders *o;
	int rc;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium: initialisation failed");
		return NULL;
	}
	rc = store_migrate(db, "orders", order_steps, ARRAY_SIZE(order_steps));
	if (rc) {
		snprintf(err, errlen, "orders schema: %s", strerror(-rc));
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o || !(o->loop = loop_alloc())) {
		free(o);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->db = db;
	o->lead_days = 1;
	str_copy(o->op, "cfwdctl", sizeof(o->op));
	if (file && *file)
		snprintf(o->docs_dir, sizeof(o->docs_dir), "%s.docs", file);
	return o;
}

void orders_close(struct orders *o)
{
	if (!o)
		return;
	loop_free(o->loop);
	free(o);
}

void orders_set_operator(struct orders *o, const char *op)
{
	if (op && *op)
		str_copy(o->op, op, sizeof(o->op));
}

void orders_set_lead_days(struct orders *o, int days)
{
	o->lead_days = days < 1 ? 1 : days;
}

const char *orders_docs_dir(const struct orders *o)
{
	return o->docs_dir;
}

int32_t orders_today(void)
{
	time_t now = clock_wall_s();
	struct tm tm;
	char buf[16];
	int32_t d = 0;

	localtime_r(&now, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d", &tm);
	doc_date_parse(buf, &d);
	return d;
}

/* ---- SQL helpers ---- */

int order_sql_err(struct orders *o, int rc, const char *what)
{
	LOGP(DORDER, LOGL_ERROR, "%s: %s", what, sqlite3_errmsg(o->db));
	return store_errno(rc);
}

sqlite3_stmt *order_prepare(struct orders *o, const char *sql)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(o->db, sql, -1, &s, NULL) != SQLITE_OK) {
		LOGP(DORDER, LOGL_ERROR, "prepare '%s': %s", sql, sqlite3_errmsg(o->db));
		return NULL;
	}
	return s;
}

int order_exec(struct orders *o, const char *sql)
{
	int rc = sqlite3_exec(o->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : order_sql_err(o, rc, sql);
}

/* Step a write statement to completion and finalize it. */
int order_done(struct orders *o, sqlite3_stmt *s, const char *what)
{
	int rc;

	if (!s)
		return -EIO;
	rc = sqlite3_step(s);
	if (rc != SQLITE_DONE) {
		rc = order_sql_err(o, rc, what);
		sqlite3_finalize(s);
		return rc;
	}
	sqlite3_finalize(s);
	return 0;
}

void order_bind_date(sqlite3_stmt *s, int i, int32_t days)
{
	char buf[16];

	if (days == DOC_DATE_NONE) {
		sqlite3_bind_null(s, i);
		return;
	}
	doc_date_format(days, buf, sizeof(buf));
	sqlite3_bind_text(s, i, buf, -1, SQLITE_TRANSIENT);
}

int32_t order_col_date(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	int32_t d;

	return t && doc_date_parse(t, &d) == 0 ? d : DOC_DATE_NONE;
}

void order_col_text(sqlite3_stmt *s, int i, char *buf, size_t len)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	str_copy(buf, t ? t : "", len);
}

/* ---- rows ---- */

#define ORDER_COLS                                                                       \
	"id, number, name, address, corporate, with_phone, state, round, want_date, "    \
	"work_date, verified_on, active_on, reason, created, updated"

static void order_from_row(sqlite3_stmt *s, struct order *r)
{
	char st[32];

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(s, 0);
	order_col_text(s, 1, r->number, sizeof(r->number));
	order_col_text(s, 2, r->name, sizeof(r->name));
	order_col_text(s, 3, r->address, sizeof(r->address));
	r->corporate = sqlite3_column_int(s, 4);
	r->with_phone_install = sqlite3_column_int(s, 5);
	order_col_text(s, 6, st, sizeof(st));
	if (order_state_parse(st, &r->state))
		r->state = ORDER_ST_NEW;	/* a corrupt row: no event is allowed */
	r->round = sqlite3_column_int(s, 7);
	r->want_date = order_col_date(s, 8);
	r->work_date = order_col_date(s, 9);
	r->verified_on = order_col_date(s, 10);
	r->active_on = order_col_date(s, 11);
	order_col_text(s, 12, r->reason, sizeof(r->reason));
	r->created = (time_t)sqlite3_column_int64(s, 13);
	r->updated = (time_t)sqlite3_column_int64(s, 14);
}

int orders_get(struct orders *o, int64_t id, struct order *out)
{
	sqlite3_stmt *s = order_prepare(o, "SELECT " ORDER_COLS " FROM orders WHERE id = ?1");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		order_from_row(s, out);
		rc = 0;
	} else {
		rc = rc == SQLITE_DONE ? -ENOENT : order_sql_err(o, rc, "read order");
	}
	sqlite3_finalize(s);
	return rc;
}

int orders_foreach(struct orders *o, int state, int (*cb)(void *u, const struct order *r),
		   void *user)
{
	sqlite3_stmt *s = order_prepare(o, "SELECT " ORDER_COLS " FROM orders "
					   "WHERE ?1 IS NULL OR state = ?1 ORDER BY id");
	struct order r;
	int rc;

	if (!s)
		return -EIO;
	if (state >= 0)
		sqlite3_bind_text(s, 1, order_state_name(state), -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		order_from_row(s, &r);
		rc = cb(user, &r);
		if (rc) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : order_sql_err(o, rc, "list orders");
	sqlite3_finalize(s);
	return rc;
}

int orders_events_foreach(struct orders *o, int64_t id,
			  int (*cb)(void *u, const struct order_event_row *e), void *user)
{
	sqlite3_stmt *s = order_prepare(o, "SELECT id, at, operator, event, from_state, "
					   "to_state, reason FROM order_events "
					   "WHERE order_id = ?1 ORDER BY id");
	struct order_event_row e;
	char st[32];
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&e, 0, sizeof(e));
		e.id = sqlite3_column_int64(s, 0);
		e.at = (time_t)sqlite3_column_int64(s, 1);
		order_col_text(s, 2, e.operator_, sizeof(e.operator_));
		order_col_text(s, 3, e.event, sizeof(e.event));
		order_col_text(s, 4, st, sizeof(st));
		if (order_state_parse(st, &e.from))
			e.from = ORDER_ST_NEW;
		order_col_text(s, 5, st, sizeof(st));
		if (order_state_parse(st, &e.to))
			e.to = ORDER_ST_NEW;
		order_col_text(s, 6, e.reason, sizeof(e.reason));
		rc = cb(user, &e);
		if (rc) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : order_sql_err(o, rc, "list order events");
	sqlite3_finalize(s);
	return rc;
}

static int order_write(struct orders *o, const struct order *r)
{
	sqlite3_stmt *s = order_prepare(o, "UPDATE orders SET state = ?2, round = ?3, "
					   "want_date = ?4, work_date = ?5, verified_on = ?6, "
					   "active_on = ?7, reason = ?8, updated = ?9 "
					   "WHERE id = ?1");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_text(s, 2, order_state_name(r->state), -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 3, r->round);
	order_bind_date(s, 4, r->want_date);
	order_bind_date(s, 5, r->work_date);
	order_bind_date(s, 6, r->verified_on);
	order_bind_date(s, 7, r->active_on);
	if (r->reason[0])
		sqlite3_bind_text(s, 8, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)r->updated);
	return order_done(o, s, "write order");
}

int order_event_add(struct orders *o, int64_t id, enum order_event ev,
		    enum order_state from, enum order_state to, const char *reason)
{
	sqlite3_stmt *s = order_prepare(o, "INSERT INTO order_events(order_id, at, operator, "
					   "event, from_state, to_state, reason) "
					   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)clock_wall_s());
	sqlite3_bind_text(s, 3, o->op, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, order_event_name(ev), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, order_state_name(from), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, order_state_name(to), -1, SQLITE_STATIC);
	if (reason && *reason)
		sqlite3_bind_text(s, 7, reason, -1, SQLITE_STATIC);
	return order_done(o, s, "add order event");
}

int order_fsm_step(struct orders *o, int64_t id, enum order_state from,
		   enum order_event ev, enum order_state *to)
{
	char name[32];

	snprintf(name, sizeof(name), "order=%lld", (long long)id);
	return order_fsm_run(o->loop, name, from, ev, to);
}

/* The transaction of one transition; see the file header. choose (optional) picks the
 * event from the locked row; fn (optional) runs after the FSM accepted it, may edit the
 * row, run statements and write the event's reason into why; a non-zero return rolls
 * everything back. Image files are unlinked only after the commit. */
int order_tx(struct orders *o, int64_t id, enum order_event ev, const char *reason,
	     order_choose_fn choose, order_apply_fn fn, void *arg, struct order *out)
{
	char why[ORDER_REASON_SIZE];
	struct order r;
	enum order_state from, to;
	bool ends = false;
	int rc;

	str_copy(why, reason ? reason : "", sizeof(why));
	rc = order_exec(o, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	if ((rc = orders_get(o, id, &r)) || (choose && (rc = choose(o, &r, arg, &ev))))
		goto fail;
	from = r.state;
	rc = order_fsm_step(o, id, from, ev, &to);
	if (rc)
		goto fail;
	r.state = to;
	r.updated = clock_wall_s();
	if (fn && (rc = fn(o, &r, arg, why, sizeof(why))))
		goto fail;
	/* The row keeps the reason of the last return, rejection or cancellation. */
	if (ev == ORDER_EV_RETURN || ev == ORDER_EV_REJECT || ev == ORDER_EV_CANCEL)
		str_copy(r.reason, why, sizeof(r.reason));
	else if (ev == ORDER_EV_VERIFIED)
		r.reason[0] = 0;
	ends = order_state_ends_verification(to);	/* marks only images still kept */
	if (ends && (rc = order_docs_mark_deleted(o, id)))
		goto fail;
	if ((rc = order_write(o, &r)) || (rc = order_event_add(o, id, ev, from, to, why)))
		goto fail;
	rc = order_exec(o, "COMMIT");
	if (rc)
		goto fail;
	if (out)
		*out = r;
	if (ends)
		order_docs_unlink(o, id);
	return 0;
fail:
	sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}
