/* feature/cfwd/store_int.h - internals shared by the store_*.c files: the store struct,
 * the prepared statement table, transaction and audit helpers. Not for other modules. */
#ifndef CFWD_STORE_INT_H
#define CFWD_STORE_INT_H

#include "feature/cfwd/store.h"

enum store_stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SUB_GET,
	ST_SUB_ENTRIES,
	ST_SUB_INSERT,
	ST_SUB_DELETE,
	ST_SUB_UPDATE,
	ST_SUB_LIST,
	ST_ENTRY_SET,
	ST_ENTRY_DEL,
	ST_PIN_GET,
	ST_PIN_SET,
	ST_REJ_ADD,
	ST_REJ_DEL,
	ST_REJ_HAS,
	ST_REJ_LIST,
	ST_AUDIT_ADD,
	ST_AUDIT_LIST,
	ST_CDR_ADD,
	ST_CDR_LIST,
	ST_BEGIN_READ,
	ST_COUNT
};

struct store {
	sqlite3 *db;
	struct store_opts o;
	sqlite3_stmt *stmt[ST_COUNT];
	char dummy_hash[128];	/* verified against when there is no real hash */
	uint64_t tx_start_us;	/* store_tx_begin(), for the write-latency metric */
};

/* The statement, reset and unbound, ready for binding. */
sqlite3_stmt *store_stmt(struct store *st, enum store_stmt id);
/* Step a statement: 0 on SQLITE_DONE (and resets it), 1 on SQLITE_ROW, else logs once
 * with the statement, resets it and returns -errno. */
int store_step(struct store *st, enum store_stmt id);
void store_reset(struct store *st, enum store_stmt id);

int store_tx_begin(struct store *st);		/* BEGIN IMMEDIATE */
int store_tx_commit(struct store *st);		/* on failure rolls back */
void store_tx_rollback(struct store *st);

int store_audit(struct store *st, enum store_who who, const char *num, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Reads a subscriber inside the caller's transaction (or none). */
int store_sub_read(struct store *st, const char *num, struct cfwd_sub *out);
/* Writes the scalar columns and the list entries of sub. */
int store_sub_write(struct store *st, const struct cfwd_sub *sub);

/* One change transaction: read num, let fn edit the record (and write what it did in
 * what; never a PIN), write it back, add the audit row, commit. fn may run statements. */
typedef int (*store_edit_fn)(struct store *st, struct cfwd_sub *sub, const void *arg,
			     char *what, size_t len);
int store_sub_change(struct store *st, enum store_who who, const char *num, store_edit_fn fn,
		     const void *arg);
bool store_digits_ok(const char *s);	/* 1..15 digits */

int store_bind_text(sqlite3_stmt *s, int i, const char *v);	/* NULL binds NULL */

#endif
