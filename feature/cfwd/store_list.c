/* feature/cfwd/store_list.c - the row lists of the store: call rejection list (着信拒否),
 * audit log reading, billing records (insert and iterate). Rejection changes are
 * transactions with an audit row; a billing record is one durable insert. */
#include <errno.h>
#include <string.h>

#include "core/clock.h"
#include "core/util.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/store_int.h"

static const char *col_text(sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);

	return t ? t : "";
}

struct reject_arg {
	const char *caller;
	bool add;
};

static int edit_reject(struct store *st, struct cfwd_sub *sub, const void *arg, char *what,
		       size_t len)
{
	const struct reject_arg *a = arg;
	enum store_stmt id = a->add ? ST_REJ_ADD : ST_REJ_DEL;
	sqlite3_stmt *s = store_stmt(st, id);
	int rc;

	store_bind_text(s, 1, sub->number);
	store_bind_text(s, 2, a->caller);
	if (a->add)
		sqlite3_bind_int64(s, 3, (sqlite3_int64)clock_wall_s());
	rc = store_step(st, id);
	if (!rc && !a->add && sqlite3_changes(store_db(st)) == 0)
		rc = -ESRCH;
	snprintf(what, len, "rejection list %s %s", a->add ? "add" : "remove", a->caller);
	return rc;
}

int store_reject_add(struct store *st, enum store_who who, const char *num,
		     const char *caller)
{
	struct reject_arg a = { .caller = caller, .add = true };

	if (!store_digits_ok(caller))
		return -EINVAL;
	return store_sub_change(st, who, num, edit_reject, &a);
}

int store_reject_remove(struct store *st, enum store_who who, const char *num,
			const char *caller)
{
	struct reject_arg a = { .caller = caller, .add = false };

	if (!store_digits_ok(caller))
		return -EINVAL;
	return store_sub_change(st, who, num, edit_reject, &a);
}

int store_reject_contains(struct store *st, const char *num, const char *caller)
{
	sqlite3_stmt *s;
	int rc;

	if (!store_digits_ok(num) || !caller)
		return 0;
	s = store_stmt(st, ST_REJ_HAS);
	store_bind_text(s, 1, num);
	store_bind_text(s, 2, caller);
	rc = store_step(st, ST_REJ_HAS);
	store_reset(st, ST_REJ_HAS);
	return rc;
}

int store_reject_foreach(struct store *st, const char *num,
			 int (*cb)(void *user, const char *caller), void *user)
{
	sqlite3_stmt *s = store_stmt(st, ST_REJ_LIST);
	int rc;

	store_bind_text(s, 1, num);
	while ((rc = store_step(st, ST_REJ_LIST)) == 1) {
		rc = cb(user, col_text(s, 0));
		if (rc) {
			store_reset(st, ST_REJ_LIST);
			return rc;
		}
	}
	return rc;
}

static enum store_who who_parse(const char *s)
{
	for (int w = STORE_WHO_142; w <= STORE_WHO_DAEMON; w++)
		if (!strcmp(s, store_who_name(w)))
			return w;
	return STORE_WHO_DAEMON;
}

int store_audit_foreach(struct store *st, const char *num,
			int (*cb)(void *user, const struct store_audit *a), void *user)
{
	sqlite3_stmt *s = store_stmt(st, ST_AUDIT_LIST);
	struct store_audit a;
	int rc;

	store_bind_text(s, 1, num);
	while ((rc = store_step(st, ST_AUDIT_LIST)) == 1) {
		memset(&a, 0, sizeof(a));
		a.id = sqlite3_column_int64(s, 0);
		a.when = (time_t)sqlite3_column_int64(s, 1);
		a.who = who_parse(col_text(s, 2));
		str_copy(a.number, col_text(s, 3), sizeof(a.number));
		str_copy(a.what, col_text(s, 4), sizeof(a.what));
		rc = cb(user, &a);
		if (rc) {
			store_reset(st, ST_AUDIT_LIST);
			return rc;
		}
	}
	return rc;
}

int store_cdr_add(struct store *st, struct billing_record *rec)
{
	sqlite3_stmt *s = store_stmt(st, ST_CDR_ADD);
	int rc;

	store_bind_text(s, 1, rec->call_ref);
	store_bind_text(s, 2, billing_leg_name(rec->leg));
	store_bind_text(s, 3, rec->billed);
	store_bind_text(s, 4, rec->from);
	store_bind_text(s, 5, rec->to);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)rec->start_s);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)rec->answer_s);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)rec->end_s);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)rec->duration_s);
	rc = store_step(st, ST_CDR_ADD);
	if (!rc)
		rec->id = (int64_t)sqlite3_last_insert_rowid(store_db(st));
	return rc;
}

int store_cdr_foreach(struct store *st,
		      int (*cb)(void *user, const struct billing_record *rec), void *user)
{
	sqlite3_stmt *s = store_stmt(st, ST_CDR_LIST);
	struct billing_record r;
	int rc;

	while ((rc = store_step(st, ST_CDR_LIST)) == 1) {
		memset(&r, 0, sizeof(r));
		r.id = sqlite3_column_int64(s, 0);
		str_copy(r.call_ref, col_text(s, 1), sizeof(r.call_ref));
		billing_leg_parse(col_text(s, 2), &r.leg);
		str_copy(r.billed, col_text(s, 3), sizeof(r.billed));
		str_copy(r.from, col_text(s, 4), sizeof(r.from));
		str_copy(r.to, col_text(s, 5), sizeof(r.to));
		r.start_s = (time_t)sqlite3_column_int64(s, 6);
		r.answer_s = (time_t)sqlite3_column_int64(s, 7);
		r.end_s = (time_t)sqlite3_column_int64(s, 8);
		r.duration_s = (uint32_t)sqlite3_column_int64(s, 9);
		rc = cb(user, &r);
		if (rc) {
			store_reset(st, ST_CDR_LIST);
			return rc;
		}
	}
	return rc;
}
