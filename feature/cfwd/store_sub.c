/* feature/cfwd/store_sub.c - subscriber records in the store: read, add, remove, list,
 * and the forwarding settings changes (condition, list entries, selection, ring time,
 * Number Request, service state), each one transaction with its audit row.
 * Number refusal (SERVICE.md §5) is the callers' job, with numbers.h; here only shape. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/util.h"
#include "feature/cfwd/store_int.h"

bool store_digits_ok(const char *s)
{
	size_t n = 0;

	if (!s)
		return false;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n >= 1 && n < CFWD_NUM_SIZE;
}

int store_sub_read(struct store *st, const char *num, struct cfwd_sub *out)
{
	sqlite3_stmt *s;
	int rc;

	if (!store_digits_ok(num))
		return -EINVAL;
	s = store_stmt(st, ST_SUB_GET);
	store_bind_text(s, 1, num);
	rc = store_step(st, ST_SUB_GET);
	if (rc <= 0)
		return rc ? rc : -ENOENT;
	memset(out, 0, sizeof(*out));
	str_copy(out->number, num, sizeof(out->number));
	out->active = sqlite3_column_int(s, 0);
	out->condition = sqlite3_column_int(s, 1);
	out->last_condition = sqlite3_column_int(s, 2);
	out->selected = sqlite3_column_int(s, 3);
	out->ring_time_s = sqlite3_column_int(s, 4);
	out->number_request = sqlite3_column_int(s, 5);
	out->remote_enabled = sqlite3_column_int(s, 6);
	out->has_pin = sqlite3_column_int(s, 7);
	out->pin_failures = sqlite3_column_int(s, 8);
	out->locked_until = (time_t)sqlite3_column_int64(s, 9);
	store_reset(st, ST_SUB_GET);

	s = store_stmt(st, ST_SUB_ENTRIES);
	store_bind_text(s, 1, num);
	while ((rc = store_step(st, ST_SUB_ENTRIES)) == 1) {
		int e = sqlite3_column_int(s, 0);
		const char *t = (const char *)sqlite3_column_text(s, 1);

		if (e < 0 || e >= CFWD_LIST_ENTRIES || !t)
			continue;
		str_copy(out->list[e], t, sizeof(out->list[e]));
		out->registered[e] = true;
	}
	return rc;
}

int store_sub_write(struct store *st, const struct cfwd_sub *sub)
{
	sqlite3_stmt *s = store_stmt(st, ST_SUB_UPDATE);
	int rc;

	store_bind_text(s, 1, sub->number);
	sqlite3_bind_int(s, 2, sub->active);
	sqlite3_bind_int(s, 3, sub->condition);
	sqlite3_bind_int(s, 4, sub->last_condition);
	sqlite3_bind_int(s, 5, sub->selected);
	sqlite3_bind_int(s, 6, sub->ring_time_s);
	sqlite3_bind_int(s, 7, sub->number_request);
	sqlite3_bind_int(s, 8, sub->remote_enabled);
	sqlite3_bind_int(s, 9, sub->pin_failures);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)sub->locked_until);
	rc = store_step(st, ST_SUB_UPDATE);
	for (int e = 0; !rc && e < CFWD_LIST_ENTRIES; e++) {
		enum store_stmt id = sub->registered[e] ? ST_ENTRY_SET : ST_ENTRY_DEL;

		s = store_stmt(st, id);
		store_bind_text(s, 1, sub->number);
		sqlite3_bind_int(s, 2, e);
		if (sub->registered[e])
			store_bind_text(s, 3, sub->list[e]);
		rc = store_step(st, id);
	}
	return rc;
}

int store_sub_change(struct store *st, enum store_who who, const char *num, store_edit_fn fn,
		     const void *arg)
{
	struct cfwd_sub sub;
	char what[160] = "";
	int rc;

	if (!store_digits_ok(num))
		return -EINVAL;
	rc = store_tx_begin(st);
	if (rc)
		return rc;
	rc = store_sub_read(st, num, &sub);
	if (!rc)
		rc = fn(st, &sub, arg, what, sizeof(what));
	if (!rc)
		rc = store_sub_write(st, &sub);
	if (!rc)
		rc = store_audit(st, who, num, "%s", what);
	if (rc) {
		store_tx_rollback(st);
		return rc;
	}
	return store_tx_commit(st);
}

/* The record and its list entries from one snapshot (a read transaction). */
int store_sub_get(struct store *st, const char *num, struct cfwd_sub *out)
{
	int rc, rc2;

	if (!sqlite3_get_autocommit(store_db(st)))
		return store_sub_read(st, num, out);	/* already inside one */
	store_stmt(st, ST_BEGIN_READ);
	rc = store_step(st, ST_BEGIN_READ);
	if (rc)
		return rc;
	rc = store_sub_read(st, num, out);
	store_stmt(st, ST_COMMIT);
	rc2 = store_step(st, ST_COMMIT);
	return rc ? rc : rc2;
}

int store_sub_get_screened(struct store *st, const char *num, const char *caller,
			   struct cfwd_sub *out, int *rejected)
{
	bool own = sqlite3_get_autocommit(store_db(st));
	int rc = 0, rc2 = 0;

	*rejected = 0;
	if (own) {
		store_stmt(st, ST_BEGIN_READ);
		rc = store_step(st, ST_BEGIN_READ);
		if (rc)
			return rc;
	}
	rc = store_sub_read(st, num, out);
	if (!rc && caller && caller[0]) {
		rc = store_reject_contains(st, num, caller);
		*rejected = rc == 1;
		rc = rc < 0 ? rc : 0;
	}
	if (own) {
		store_stmt(st, ST_COMMIT);
		rc2 = store_step(st, ST_COMMIT);
	}
	return rc ? rc : rc2;
}

int store_sub_add(struct store *st, enum store_who who, const char *num, bool active)
{
	sqlite3_stmt *s;
	int rc;

	if (!store_digits_ok(num))
		return -EINVAL;
	rc = store_tx_begin(st);
	if (rc)
		return rc;
	s = store_stmt(st, ST_SUB_INSERT);
	store_bind_text(s, 1, num);
	sqlite3_bind_int(s, 2, active);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)clock_wall_s());
	rc = store_step(st, ST_SUB_INSERT);
	if (!rc)
		rc = store_audit(st, who, num, "subscriber added (%s)",
				 active ? "active" : "suspended");
	if (rc) {
		store_tx_rollback(st);
		return rc;
	}
	return store_tx_commit(st);
}

int store_sub_remove(struct store *st, enum store_who who, const char *num)
{
	sqlite3_stmt *s;
	int rc;

	if (!store_digits_ok(num))
		return -EINVAL;
	rc = store_tx_begin(st);
	if (rc)
		return rc;
	s = store_stmt(st, ST_SUB_DELETE);
	store_bind_text(s, 1, num);
	rc = store_step(st, ST_SUB_DELETE);
	if (!rc && sqlite3_changes(store_db(st)) == 0)
		rc = -ENOENT;
	if (!rc)
		rc = store_audit(st, who, num, "subscriber removed");
	if (rc) {
		store_tx_rollback(st);
		return rc;
	}
	return store_tx_commit(st);
}

int store_sub_foreach(struct store *st, int (*cb)(void *user, const struct cfwd_sub *sub),
		      void *user)
{
	sqlite3_stmt *s = store_stmt(st, ST_SUB_LIST);
	struct cfwd_sub sub;
	char num[CFWD_NUM_SIZE];
	int rc;

	while ((rc = store_step(st, ST_SUB_LIST)) == 1) {
		str_copy(num, (const char *)sqlite3_column_text(s, 0), sizeof(num));
		rc = store_sub_read(st, num, &sub);
		if (!rc)
			rc = cb(user, &sub);
		if (rc) {
			store_reset(st, ST_SUB_LIST);
			return rc;
		}
	}
	return rc;
}

static int edit_active(struct store *st, struct cfwd_sub *sub, const void *arg, char *what,
		       size_t len)
{
	sub->active = *(const bool *)arg;
	snprintf(what, len, "service %s", sub->active ? "activated" : "suspended");
	return 0;
}

int store_set_active(struct store *st, enum store_who who, const char *num, bool active)
{
	return store_sub_change(st, who, num, edit_active, &active);
}

static bool selected_ok(const struct cfwd_sub *sub)
{
	return sub->selected >= 0 && sub->selected < CFWD_LIST_ENTRIES &&
	       sub->registered[sub->selected];
}

/* Condition change with the "needs a selected registered number" rule. */
static int apply_condition(struct cfwd_sub *sub, enum cfwd_condition cond, char *what,
			   size_t len)
{
	size_t n = strlen(what);

	if (cond < CFWD_COND_OFF || cond > CFWD_COND_NO_REPLY_BUSY)
		return -EINVAL;
	if (cond != CFWD_COND_OFF && !selected_ok(sub))
		return -ENXIO;
	snprintf(what + n, len - n, "%scondition %s -> %s", n ? ", " : "",
		 cfwd_condition_name(sub->condition), cfwd_condition_name(cond));
	sub->condition = cond;
	if (cond != CFWD_COND_OFF)
		sub->last_condition = cond;
	return 0;
}

static int edit_condition(struct store *st, struct cfwd_sub *sub, const void *arg,
			  char *what, size_t len)
{
	return apply_condition(sub, *(const enum cfwd_condition *)arg, what, len);
}

int store_set_condition(struct store *st, enum store_who who, const char *num,
			enum cfwd_condition cond)
{
	return store_sub_change(st, who, num, edit_condition, &cond);
}

static int apply_select(struct cfwd_sub *sub, int entry, char *what, size_t len)
{
	if (entry < 0 || entry >= CFWD_LIST_ENTRIES)
		return -EINVAL;
	if (!sub->registered[entry])
		return -ENXIO;
	sub->selected = entry;
	snprintf(what, len, "selected entry %d (%s)", entry, sub->list[entry]);
	return 0;
}

static int edit_start_last(struct store *st, struct cfwd_sub *sub, const void *arg,
			   char *what, size_t len)
{
	int entry = *(const int *)arg;
	int rc;

	if (entry >= 0 && (rc = apply_select(sub, entry, what, len)))
		return rc;
	return apply_condition(sub, sub->last_condition, what, len);
}

int store_start_last(struct store *st, enum store_who who, const char *num, int entry)
{
	return store_sub_change(st, who, num, edit_start_last, &entry);
}

struct entry_arg {
	int entry;
	const char *to;
	enum cfwd_condition cond;
};

static int apply_entry(struct cfwd_sub *sub, int entry, const char *to, char *what,
		       size_t len)
{
	if (entry < 0 || entry >= CFWD_LIST_ENTRIES)
		return -EINVAL;
	if (!to) {
		if (sub->selected == entry && sub->registered[entry])
			return -EBUSY;
		sub->registered[entry] = false;
		sub->list[entry][0] = '\0';
		snprintf(what, len, "entry %d cleared", entry);
		return 0;
	}
	if (!store_digits_ok(to))
		return -EINVAL;
	str_copy(sub->list[entry], to, sizeof(sub->list[entry]));
	sub->registered[entry] = true;
	snprintf(what, len, "entry %d := %s", entry, to);
	return 0;
}

static int edit_entry(struct store *st, struct cfwd_sub *sub, const void *arg, char *what,
		      size_t len)
{
	const struct entry_arg *a = arg;

	return apply_entry(sub, a->entry, a->to, what, len);
}

int store_set_list_entry(struct store *st, enum store_who who, const char *num, int entry,
			 const char *to)
{
	struct entry_arg a = { .entry = entry, .to = to };

	return store_sub_change(st, who, num, edit_entry, &a);
}

static int edit_select(struct store *st, struct cfwd_sub *sub, const void *arg, char *what,
		       size_t len)
{
	return apply_select(sub, *(const int *)arg, what, len);
}

int store_select_entry(struct store *st, enum store_who who, const char *num, int entry)
{
	return store_sub_change(st, who, num, edit_select, &entry);
}

/* entry 0 := to (if given) and selected, then the condition (if not negative). */
static int edit_forward(struct store *st, struct cfwd_sub *sub, const void *arg,
			char *what, size_t len)
{
	const struct entry_arg *a = arg;
	int rc;

	if (a->to) {
		rc = apply_entry(sub, 0, a->to, what, len);
		if (rc)
			return rc;
		sub->selected = 0;
		strncat(what, ", selected", len - strlen(what) - 1);
	}
	if ((int)a->cond < 0)
		return 0;
	return apply_condition(sub, a->cond, what, len);
}

int store_set_forward_to(struct store *st, enum store_who who, const char *num,
			 const char *to)
{
	struct entry_arg a = { .to = to, .cond = (enum cfwd_condition)-1 };

	if (!to)
		return -EINVAL;
	return store_sub_change(st, who, num, edit_forward, &a);
}

int store_forward_set(struct store *st, enum store_who who, const char *num, const char *to,
		      enum cfwd_condition cond)
{
	struct entry_arg a = { .to = to, .cond = cond };

	if ((int)cond < 0)
		return -EINVAL;
	return store_sub_change(st, who, num, edit_forward, &a);
}

static int edit_ring_time(struct store *st, struct cfwd_sub *sub, const void *arg,
			  char *what, size_t len)
{
	int secs = *(const int *)arg;

	if (secs < CFWD_RING_TIME_MIN || secs > CFWD_RING_TIME_MAX)
		return -EINVAL;
	snprintf(what, len, "ring time %d -> %d s", sub->ring_time_s, secs);
	sub->ring_time_s = secs;
	return 0;
}

int store_set_ring_time(struct store *st, enum store_who who, const char *num, int secs)
{
	return store_sub_change(st, who, num, edit_ring_time, &secs);
}

static int edit_number_request(struct store *st, struct cfwd_sub *sub, const void *arg,
			       char *what, size_t len)
{
	sub->number_request = *(const bool *)arg;
	snprintf(what, len, "number request %s", sub->number_request ? "on" : "off");
	return 0;
}

int store_set_number_request(struct store *st, enum store_who who, const char *num, bool on)
{
	return store_sub_change(st, who, num, edit_number_request, &on);
}
