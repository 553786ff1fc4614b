/* feature/cfwd/order_ops.c - the order transitions: application, acknowledgement,
 * submission, verification (every rule of doc_rules over the current upload round,
 * recorded as document_checks rows), work date, activation (the subscriber's service
 * row in the same transaction), return, rejection, cancellation. Each one is a single
 * order_tx(): refused by the FSM or by a date check, nothing is written. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "feature/cfwd/order_int.h"
#include "feature/cfwd/store.h"

static bool number_ok(const char *n)
{
	size_t len = n ? strlen(n) : 0;

	if ((len != 10 && len != 11) || n[0] != '0')
		return false;
	for (size_t i = 0; i < len; i++)
		if (n[i] < '0' || n[i] > '9')
			return false;
	return true;
}

bool order_text_ok(const char *s, size_t size, bool may_be_null)
{
	if (!s)
		return may_be_null;
	if (!*s || strlen(s) >= size)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;	/* one line in show, the log and the CSV */
	return true;
}

static bool text_ok(const char *s, size_t size)
{
	return order_text_ok(s, size, false);
}

/* 1 if the line has an open order or an active service, 0 if not, or -errno. */
static int line_taken(struct orders *o, const char *number)
{
	sqlite3_stmt *s = order_prepare(o,
		"SELECT 1 FROM orders WHERE number = ?1 AND state NOT IN ('rejected', 'cancelled') "
		"UNION ALL SELECT 1 FROM subscriber WHERE number = ?1 AND active = 1");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : order_sql_err(o, rc, "line check");
	sqlite3_finalize(s);
	return rc;
}

static int order_insert(struct orders *o, const struct order_application *a, int32_t want,
			enum order_state st, int64_t *id)
{
	sqlite3_stmt *s = order_prepare(o, "INSERT INTO orders(number, name, address, corporate, "
					   "with_phone, state, want_date, created, updated) "
					   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, a->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, a->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, a->address, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, a->corporate);
	sqlite3_bind_int(s, 5, a->with_phone_install);
	sqlite3_bind_text(s, 6, order_state_name(st), -1, SQLITE_STATIC);
	order_bind_date(s, 7, want);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)clock_wall_s());
	rc = order_done(o, s, "add order");
	*id = sqlite3_last_insert_rowid(o->db);
	return rc;
}

int orders_new(struct orders *o, const struct order_application *a, int64_t *id)
{
	enum order_state to;
	int32_t want = DOC_DATE_NONE;
	int rc;

	if (!number_ok(a->number) || !text_ok(a->name, ORDER_NAME_SIZE) ||
	    !text_ok(a->address, ORDER_ADDR_SIZE) ||
	    (a->want_date && doc_date_parse(a->want_date, &want)))
		return -EINVAL;
	if ((rc = order_exec(o, "BEGIN IMMEDIATE")))
		return rc;
	rc = line_taken(o, a->number);
	if (rc > 0)
		rc = -EEXIST;
	if (rc || (rc = order_fsm_step(o, 0, ORDER_ST_NEW, ORDER_EV_APPLY, &to)) ||
	    (rc = order_insert(o, a, want, to, id)) ||
	    (rc = order_event_add(o, *id, ORDER_EV_APPLY, ORDER_ST_NEW, to, NULL)) ||
	    (rc = order_exec(o, "COMMIT"))) {
		sqlite3_exec(o->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	LOGP(DORDER, LOGL_INFO, "order=%lld: applied for %s", (long long)*id, a->number);
	return 0;
}

int orders_ack(struct orders *o, int64_t id)
{
	return order_tx(o, id, ORDER_EV_ACK, NULL, NULL, NULL, NULL, NULL);
}

static int submit_apply(struct orders *o, struct order *r, void *arg, char *why, size_t len)
{
	struct order_doc *docs;
	size_t n;
	int rc = order_docs_load(o, r->id, &docs, &n);

	free(docs);
	if (rc)
		return rc;
	if (n == 0)
		return -ENODATA;	/* nothing uploaded in this round */
	snprintf(why, len, "%zu document(s), round %d", n, r->round);
	return 0;
}

int orders_submit(struct orders *o, int64_t id)
{
	return order_tx(o, id, ORDER_EV_SUBMIT, NULL, NULL, submit_apply, NULL, NULL);
}

static int check_add(struct orders *o, const struct order *r, const struct doc_finding *f)
{
	sqlite3_stmt *s = order_prepare(o, "INSERT INTO document_checks(order_id, round, "
					   "document_id, at, operator, rule, outcome, detail) "
					   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");

	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int(s, 2, r->round);
	if (f->doc_id)
		sqlite3_bind_int64(s, 3, f->doc_id);
	sqlite3_bind_int64(s, 4, (sqlite3_int64)clock_wall_s());
	sqlite3_bind_text(s, 5, o->op, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, f->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 7, doc_outcome_name(f->outcome), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 8, f->detail, -1, SQLITE_STATIC);
	return order_done(o, s, "add check");
}

static int operator_apply(struct orders *o, struct order *r, void *arg, char *why, size_t len)
{
	struct doc_finding f = { .outcome = *(enum doc_outcome *)arg };

	str_copy(f.rule, "operator", sizeof(f.rule));
	str_copy(f.detail, why, sizeof(f.detail));
	if (f.outcome == DOC_RETURN)
		r->round++;
	return order_state_ends_verification(r->state) && f.outcome != DOC_PASS ?
		       check_add(o, r, &f) : 0;
}

int orders_return(struct orders *o, int64_t id, const char *reason)
{
	enum doc_outcome out = DOC_RETURN;

	if (!text_ok(reason, ORDER_REASON_SIZE))
		return -EINVAL;
	return order_tx(o, id, ORDER_EV_RETURN, reason, NULL, operator_apply, &out, NULL);
}

int orders_reject(struct orders *o, int64_t id, const char *reason)
{
	enum doc_outcome out = DOC_REJECT;

	if (!text_ok(reason, ORDER_REASON_SIZE))
		return -EINVAL;
	return order_tx(o, id, ORDER_EV_REJECT, reason, NULL, operator_apply, &out, NULL);
}

int orders_cancel(struct orders *o, int64_t id, const char *reason)
{
	if (!text_ok(reason, ORDER_REASON_SIZE))
		return -EINVAL;
	return order_tx(o, id, ORDER_EV_CANCEL, reason, NULL, NULL, NULL, NULL);
}

/* The earliest work date: lead days after verification, and not in the past. */
static int32_t earliest_work_date(const struct orders *o, const struct order *r)
{
	int32_t base = orders_today();

	if (r->verified_on != DOC_DATE_NONE && r->verified_on > base)
		base = r->verified_on;
	return base + o->lead_days;
}

static int schedule_apply(struct orders *o, struct order *r, void *arg, char *why, size_t len)
{
	int32_t d = *(int32_t *)arg;
	char buf[16];

	if (d < earliest_work_date(o, r))
		return -ERANGE;
	r->work_date = d;
	doc_date_format(d, buf, sizeof(buf));
	snprintf(why, len, "work date %s", buf);
	return 0;
}

int orders_schedule(struct orders *o, int64_t id, const char *date)
{
	int32_t d;

	if (!date || doc_date_parse(date, &d))
		return -EINVAL;
	return order_tx(o, id, ORDER_EV_RESCHEDULE, NULL, NULL, schedule_apply, &d, NULL);
}

/* The subscriber's service row, written with SQL inside our transaction: store.h's
 * store_sub_add()/store_set_active() commit on their own, which would split the
 * activation from the order's state change. Same columns and audit row as theirs. */
static int subscriber_activate(struct orders *o, const struct order *r)
{
	sqlite3_stmt *s = order_prepare(o, "INSERT INTO subscriber(number, active, created) "
					   "VALUES (?1, 1, ?2) "
					   "ON CONFLICT(number) DO UPDATE SET active = 1");
	char what[80];
	int rc;

	if (!s)
		return -EIO;
	sqlite3_bind_text(s, 1, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)clock_wall_s());
	if ((rc = order_done(o, s, "activate subscriber")))
		return rc;
	s = order_prepare(o, "INSERT INTO audit(at, who, number, what) VALUES (?1, ?2, ?3, ?4)");
	if (!s)
		return -EIO;
	snprintf(what, sizeof(what), "service activated (order %lld)", (long long)r->id);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)clock_wall_s());
	sqlite3_bind_text(s, 2, store_who_name(STORE_WHO_CFWDCTL), -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 4, what, -1, SQLITE_STATIC);
	return order_done(o, s, "audit activation");
}

static int activate_apply(struct orders *o, struct order *r, void *arg, char *why, size_t len)
{
	int32_t today = orders_today();

	if (r->work_date == DOC_DATE_NONE || today < r->work_date)
		return -ERANGE;
	r->active_on = today;
	snprintf(why, len, "service active on %s", r->number);
	return subscriber_activate(o, r);
}

int orders_activate(struct orders *o, int64_t id)
{
	return order_tx(o, id, ORDER_EV_ACTIVATE, NULL, NULL, activate_apply, NULL, NULL);
}

/* ---- verification ---- */

static int verify_choose(struct orders *o, const struct order *r, void *arg,
			 enum order_event *ev)
{
	struct order_verify_result *res = arg;
	struct doc_application app = {
		.corporate = r->corporate, .name = r->name, .address = r->address,
		.today = orders_today(),
	};
	struct order_doc *docs;
	struct doc_record *recs;
	size_t n;
	int rc;

	*ev = ORDER_EV_VERIFIED;
	if (r->state != ORDER_ST_VERIFYING)
		return 0;	/* the FSM refuses it */
	if ((rc = order_docs_load(o, r->id, &docs, &n)))
		return rc;
	recs = calloc(n ? n : 1, sizeof(*recs));
	if (!recs) {
		free(docs);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		recs[i] = docs[i].rec;
		res->files_deleted += docs[i].path[0] != 0;
	}
	res->nfindings = doc_rules_check(&app, recs, n, res->findings, ORDER_FINDINGS_MAX,
					 &res->verdict);
	free(recs);
	free(docs);
	*ev = res->verdict == DOC_PASS ? ORDER_EV_VERIFIED :
	      res->verdict == DOC_RETURN ? ORDER_EV_RETURN : ORDER_EV_REJECT;
	return 0;
}

static int verify_apply(struct orders *o, struct order *r, void *arg, char *why, size_t len)
{
	struct order_verify_result *res = arg;
	struct doc_finding sum = { .outcome = res->verdict };
	size_t shown = MIN(res->nfindings, (size_t)ORDER_FINDINGS_MAX), off = 0;
	int rc;

	for (size_t i = 0; i < shown; i++) {
		if ((rc = check_add(o, r, &res->findings[i])))
			return rc;
		off += (size_t)snprintf(why + MIN(off, len), len - MIN(off, len), "%s%s",
					i ? ", " : "", res->findings[i].rule);
	}
	str_copy(sum.rule, "verdict", sizeof(sum.rule));
	snprintf(sum.detail, sizeof(sum.detail), "%zu rule(s) failed", res->nfindings);
	if ((rc = check_add(o, r, &sum)))
		return rc;
	if (res->verdict == DOC_PASS) {
		r->verified_on = orders_today();
		r->work_date = earliest_work_date(o, r);
		if (r->want_date != DOC_DATE_NONE && r->want_date > r->work_date)
			r->work_date = r->want_date;
		snprintf(why, len, "all rules passed");
	} else if (res->verdict == DOC_RETURN) {
		r->round++;
	}
	res->state = r->state;
	res->work_date = r->work_date;
	return 0;
}

int orders_verify(struct orders *o, int64_t id, struct order_verify_result *res)
{
	memset(res, 0, sizeof(*res));
	res->work_date = DOC_DATE_NONE;
	return order_tx(o, id, ORDER_EV_VERIFIED, NULL, verify_choose, verify_apply, res, NULL);
}
