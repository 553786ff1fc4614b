/* feature/cfwd/store.c - opening the cfwd SQLite store: WAL, synchronous=FULL, bounded
 * busy wait, per-component forward-only migrations, the prepared statement table,
 * transactions, the audit helper and SQLite-to-errno mapping. The subscriber, PIN,
 * list and billing operations live in store_sub.c, store_pin.c and store_list.c. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/metrics.h"
#include "core/util.h"
#include "feature/cfwd/store_int.h"

static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_BEGIN_READ] = "BEGIN",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SUB_GET] = "SELECT active, condition, last_condition, selected, ring_time, "
		       "number_request, remote_enabled, pin_hash IS NOT NULL, pin_failures, "
		       "locked_until FROM subscriber WHERE number = ?1",
	[ST_SUB_ENTRIES] = "SELECT entry, target FROM forward_entry WHERE number = ?1",
	[ST_SUB_INSERT] = "INSERT INTO subscriber(number, active, created) VALUES (?1, ?2, ?3)",
	[ST_SUB_DELETE] = "DELETE FROM subscriber WHERE number = ?1",
	[ST_SUB_UPDATE] = "UPDATE subscriber SET active = ?2, condition = ?3, "
			  "last_condition = ?4, selected = ?5, ring_time = ?6, "
			  "number_request = ?7, remote_enabled = ?8, pin_failures = ?9, "
			  "locked_until = ?10 WHERE number = ?1",
	[ST_SUB_LIST] = "SELECT number FROM subscriber ORDER BY number",
	[ST_ENTRY_SET] = "INSERT OR REPLACE INTO forward_entry(number, entry, target) "
			 "VALUES (?1, ?2, ?3)",
	[ST_ENTRY_DEL] = "DELETE FROM forward_entry WHERE number = ?1 AND entry = ?2",
	[ST_PIN_GET] = "SELECT pin_hash FROM subscriber WHERE number = ?1",
	[ST_PIN_SET] = "UPDATE subscriber SET pin_hash = ?2 WHERE number = ?1",
	[ST_REJ_ADD] = "INSERT INTO reject(number, caller, added) VALUES (?1, ?2, ?3)",
	[ST_REJ_DEL] = "DELETE FROM reject WHERE number = ?1 AND caller = ?2",
	[ST_REJ_HAS] = "SELECT 1 FROM reject WHERE number = ?1 AND caller = ?2",
	[ST_REJ_LIST] = "SELECT caller FROM reject WHERE number = ?1 ORDER BY caller",
	[ST_AUDIT_ADD] = "INSERT INTO audit(at, who, number, what) VALUES (?1, ?2, ?3, ?4)",
	[ST_AUDIT_LIST] = "SELECT id, at, who, number, what FROM audit "
			  "WHERE ?1 IS NULL OR number = ?1 ORDER BY id",
	[ST_CDR_ADD] = "INSERT INTO cdr(call_ref, leg, billed, src, dst, start_s, answer_s, "
		       "end_s, duration_s) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	[ST_CDR_LIST] = "SELECT id, call_ref, leg, billed, src, dst, start_s, answer_s, end_s, "
			"duration_s FROM cdr ORDER BY id",
};

/* Component "cfwd": forward-only steps; never edit a released step, append a new one. */
static const struct store_migration cfwd_steps[] = {
	{ .sql = "CREATE TABLE subscriber ("
		 " number TEXT PRIMARY KEY,"
		 " active INTEGER NOT NULL DEFAULT 1,"
		 " condition INTEGER NOT NULL DEFAULT 0 CHECK (condition BETWEEN 0 AND 4),"
		 " last_condition INTEGER NOT NULL DEFAULT 1,"
		 " selected INTEGER NOT NULL DEFAULT -1 CHECK (selected BETWEEN -1 AND 4),"
		 " ring_time INTEGER NOT NULL DEFAULT 20 CHECK (ring_time BETWEEN 5 AND 60),"
		 " number_request INTEGER NOT NULL DEFAULT 0,"
		 " remote_enabled INTEGER NOT NULL DEFAULT 0,"
		 " pin_hash TEXT,"
		 " pin_failures INTEGER NOT NULL DEFAULT 0,"
		 " locked_until INTEGER NOT NULL DEFAULT 0,"
		 " created INTEGER NOT NULL);"
		 "CREATE TABLE forward_entry ("
		 " number TEXT NOT NULL REFERENCES subscriber(number) ON DELETE CASCADE,"
		 " entry INTEGER NOT NULL CHECK (entry BETWEEN 0 AND 4),"
		 " target TEXT NOT NULL,"
		 " PRIMARY KEY (number, entry));"
		 "CREATE TABLE reject ("
		 " number TEXT NOT NULL REFERENCES subscriber(number) ON DELETE CASCADE,"
		 " caller TEXT NOT NULL,"
		 " added INTEGER NOT NULL,"
		 " PRIMARY KEY (number, caller));"
		 "CREATE TABLE audit ("
		 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
		 " at INTEGER NOT NULL, who TEXT NOT NULL, number TEXT, what TEXT NOT NULL);"
		 "CREATE INDEX audit_number ON audit(number);"
		 "CREATE TABLE cdr ("
		 " id INTEGER PRIMARY KEY AUTOINCREMENT,"
		 " call_ref TEXT NOT NULL, leg TEXT NOT NULL, billed TEXT NOT NULL,"
		 " src TEXT NOT NULL, dst TEXT NOT NULL,"
		 " start_s INTEGER NOT NULL, answer_s INTEGER NOT NULL, end_s INTEGER NOT NULL,"
		 " duration_s INTEGER NOT NULL);" },
};

static const struct value_string cond_names[] = {
	{ CFWD_COND_OFF, "off" },
	{ CFWD_COND_UNCONDITIONAL, "unconditional" },
	{ CFWD_COND_NO_REPLY, "no-reply" },
	{ CFWD_COND_BUSY, "busy" },
	{ CFWD_COND_NO_REPLY_BUSY, "no-reply-busy" },
	{ 0, NULL }
};

static const struct value_string who_names[] = {
	{ STORE_WHO_142, "142" },
	{ STORE_WHO_REMOTE, "remote" },
	{ STORE_WHO_CFWDCTL, "cfwdctl" },
	{ STORE_WHO_DAEMON, "cfwdd" },
	{ 0, NULL }
};

const char *cfwd_condition_name(enum cfwd_condition c)
{
	return get_value_string(cond_names, c);
}

int cfwd_condition_parse(const char *s, enum cfwd_condition *out)
{
	int v;

	if (!s || get_string_value(cond_names, s, &v))
		return -EINVAL;
	*out = v;
	return 0;
}

const char *store_who_name(enum store_who who)
{
	return get_value_string(who_names, who);
}

int store_errno(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return 0;
	case SQLITE_FULL:
		return -ENOSPC;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return -EBUSY;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return -EBADMSG;
	case SQLITE_CONSTRAINT:
		return -EEXIST;
	case SQLITE_NOMEM:
		return -ENOMEM;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_AUTH:
		return -EACCES;
	default:
		return -EIO;
	}
}

void store_opts_default(struct store_opts *o)
{
	o->busy_timeout_ms = 2000;
	o->pwhash_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	o->pwhash_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	o->lockout_attempts = 3;
	o->lockout_s = 3600;
}

int store_opts_load(struct conf *c, struct store_opts *o, const char **path, char *err,
		    size_t errlen)
{
	const char *hash;
	long v;
	int rc;

	rc = conf_get_str(c, "store", "path", NULL, path, err, errlen);
	if (!rc)
		rc = conf_get_long(c, "store", "busy_timeout_ms", 0, 600000, o->busy_timeout_ms,
				   &v, err, errlen);
	if (rc)
		return rc;
	o->busy_timeout_ms = (int)v;
	rc = conf_get_long(c, "service", "pin_lockout_attempts", 1, 100, o->lockout_attempts,
			   &v, err, errlen);
	if (rc)
		return rc;
	o->lockout_attempts = (int)v;
	rc = conf_get_long(c, "service", "pin_lockout_minutes", 1, 100000, o->lockout_s / 60,
			   &v, err, errlen);
	if (rc)
		return rc;
	o->lockout_s = (int)v * 60;
	rc = conf_get_str(c, "store", "pwhash", "interactive", &hash, err, errlen);
	if (rc)
		return rc;
	if (!strcmp(hash, "interactive")) {
		o->pwhash_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		o->pwhash_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	} else if (!strcmp(hash, "moderate")) {
		o->pwhash_opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
		o->pwhash_memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
	} else if (!strcmp(hash, "min")) {
		o->pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
		o->pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		conf_errf(c, conf_find(c, "store", "pwhash"), err, errlen,
			  "expected interactive, moderate or min");
		return -EINVAL;
	}
	return 0;
}

static int exec_logged(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		LOGP(DSTORE, LOGL_ERROR, "'%.60s': %s", sql, msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return store_errno(rc);
	}
	return 0;
}

int store_schema_version(sqlite3 *db, const char *component)
{
	sqlite3_stmt *s;
	int rc, v = 0;

	rc = sqlite3_prepare_v2(db, "SELECT version FROM schema_version WHERE component = ?1",
				-1, &s, NULL);
	if (rc != SQLITE_OK) {
		/* no table yet means version 0 of everything */
		if (strstr(sqlite3_errmsg(db), "no such table"))
			return 0;
		return store_errno(rc);
	}
	sqlite3_bind_text(s, 1, component, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	else if (rc != SQLITE_DONE)
		v = store_errno(rc);
	sqlite3_finalize(s);
	return v;
}

static int set_version(sqlite3 *db, const char *component, int version)
{
	sqlite3_stmt *s;
	int rc;

	rc = sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO schema_version(component, version)"
				" VALUES (?1, ?2)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_errno(rc);
	sqlite3_bind_text(s, 1, component, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 2, version);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_errno(rc);
}

static int migrate_step(sqlite3 *db, const char *component, const struct store_migration *m,
			int version)
{
	int rc, cur;

	rc = exec_logged(db, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	cur = store_schema_version(db, component);	/* someone else may have done it */
	if (cur < 0) {
		rc = cur;
		goto fail;
	}
	if (cur >= version)
		goto commit;
	if (m->sql && (rc = exec_logged(db, m->sql)))
		goto fail;
	if (m->fn && (rc = m->fn(db)))
		goto fail;
	rc = set_version(db, component, version);
	if (rc)
		goto fail;
commit:
	rc = exec_logged(db, "COMMIT");
	if (rc)
		goto fail;
	if (cur < version)
		LOGP(DSTORE, LOGL_NOTICE, "schema %s migrated to version %d", component, version);
	return 0;
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

int store_migrate(sqlite3 *db, const char *component, const struct store_migration *steps,
		  size_t n)
{
	int rc, cur;

	rc = exec_logged(db, "CREATE TABLE IF NOT EXISTS schema_version ("
			     " component TEXT PRIMARY KEY, version INTEGER NOT NULL)");
	if (rc)
		return rc;
	cur = store_schema_version(db, component);
	if (cur < 0)
		return cur;
	if ((size_t)cur > n) {
		LOGP(DSTORE, LOGL_ERROR, "schema %s is version %d, this program knows %zu",
		     component, cur, n);
		return -EPROTO;
	}
	for (size_t i = (size_t)cur; i < n; i++) {
		rc = migrate_step(db, component, &steps[i], (int)i + 1);
		if (rc)
			return rc;
	}
	return 0;
}

static int open_pragmas(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *s;
	int rc;

	sqlite3_busy_timeout(st->db, st->o.busy_timeout_ms);
	rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=WAL", -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(s, 0), "wal"))
			rc = SQLITE_CANTOPEN;
		else if (rc == SQLITE_ROW)
			rc = SQLITE_OK;
		sqlite3_finalize(s);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(st->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", sqlite3_db_filename(st->db, "main"),
			 sqlite3_errmsg(st->db));
		return store_errno(rc);
	}
	return 0;
}

struct store *store_open(const char *path, char *err, size_t errlen)
{
	struct store_opts o;

	store_opts_default(&o);
	return store_open_opts(path, &o, err, errlen);
}

struct store *store_open_opts(const char *path, const struct store_opts *o, char *err,
			      size_t errlen)
{
	struct store *st;
	int rc;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium initialisation failed");
		return NULL;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->o = *o;
	rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) :
							      sqlite3_errstr(rc));
		goto fail;
	}
	if (open_pragmas(st, err, errlen))
		goto fail;
	rc = store_migrate(st->db, "cfwd", cfwd_steps, ARRAY_SIZE(cfwd_steps));
	if (rc) {
		snprintf(err, errlen, "%s: schema: %s", path,
			 rc == -EPROTO ? "file is newer than this program" :
					 sqlite3_errmsg(st->db));
		goto fail;
	}
	for (int i = 0; i < ST_COUNT; i++) {
		rc = sqlite3_prepare_v3(st->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
					&st->stmt[i], NULL);
		if (rc != SQLITE_OK) {
			snprintf(err, errlen, "%s: prepare '%.40s': %s", path, stmt_sql[i],
				 sqlite3_errmsg(st->db));
			goto fail;
		}
	}
	/* SQLite falls back to read-only silently when the file is not writable: say it
	 * once here, since from now on every change will be refused ("try later") */
	if (sqlite3_db_readonly(st->db, "main") == 1)
		LOGP(DSTORE, LOGL_ERROR, "store %s is read-only: every change will be refused "
		     "until it is writable", path);
	return st;
fail:
	store_close(st);
	return NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	sodium_memzero(st, sizeof(*st));
	free(st);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

void store_reset(struct store *st, enum store_stmt id)
{
	sqlite3_reset(st->stmt[id]);
}

int store_step(struct store *st, enum store_stmt id)
{
	sqlite3_stmt *s = st->stmt[id];
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return 0;
	}
	if ((rc & 0xff) != SQLITE_CONSTRAINT)
		LOGP(DSTORE, LOGL_ERROR, "'%s': %s", sqlite3_sql(s), sqlite3_errmsg(st->db));
	sqlite3_reset(s);
	return store_errno(rc);
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (!v)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

int store_tx_begin(struct store *st)
{
	st->tx_start_us = clock_now_us();
	store_stmt(st, ST_BEGIN);
	return store_step(st, ST_BEGIN);
}

void store_tx_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return;	/* SQLite already rolled back (e.g. after SQLITE_FULL) */
	store_stmt(st, ST_ROLLBACK);
	store_step(st, ST_ROLLBACK);
}

int store_tx_commit(struct store *st)
{
	int rc;

	store_stmt(st, ST_COMMIT);
	rc = store_step(st, ST_COMMIT);
	if (rc)
		store_tx_rollback(st);
	else
		metric_observe_us(METRIC_STORE_LATENCY, "op=write", clock_now_us() - st->tx_start_us);
	return rc;
}

int store_audit(struct store *st, enum store_who who, const char *num, const char *fmt, ...)
{
	sqlite3_stmt *s = store_stmt(st, ST_AUDIT_ADD);
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)clock_wall_s());
	sqlite3_bind_text(s, 2, store_who_name(who), -1, SQLITE_STATIC);
	store_bind_text(s, 3, num);
	store_bind_text(s, 4, what);
	LOGP(DSTORE, LOGL_INFO, "%s %s: %s", store_who_name(who), num ? num : "-", what);
	return store_step(st, ST_AUDIT_ADD);
}
