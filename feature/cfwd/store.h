/* feature/cfwd/store.h - the cfwd store: one SQLite file (WAL, synchronous=FULL) shared by
 * cfwdd and cfwdctl. Subscribers, forward-to list 0..4, conditions, ring time, Number
 * Request, call rejection list, PIN hashes (crypto_pwhash) with lockout, billing records
 * and an audit log. Every change is one transaction with its audit row, durable when the
 * function returns 0. Does not check numbers against the refused list (numbers.h). */
#ifndef CFWD_STORE_H
#define CFWD_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define CFWD_NUM_SIZE 16	/* up to 15 digits + NUL */
#define CFWD_LIST_ENTRIES 5	/* forward-to list entries 0..4 */
#define CFWD_RING_TIME_DEFAULT 20
#define CFWD_RING_TIME_MIN 5
#define CFWD_RING_TIME_MAX 60

enum cfwd_condition {
	CFWD_COND_OFF,
	CFWD_COND_UNCONDITIONAL,
	CFWD_COND_NO_REPLY,
	CFWD_COND_BUSY,
	CFWD_COND_NO_REPLY_BUSY,
};
/* "off", "unconditional", "no-reply", "busy", "no-reply-busy" */
const char *cfwd_condition_name(enum cfwd_condition c);
int cfwd_condition_parse(const char *s, enum cfwd_condition *out);	/* 0 or -EINVAL */

/* Who made a change (audit log). */
enum store_who { STORE_WHO_142, STORE_WHO_REMOTE, STORE_WHO_CFWDCTL, STORE_WHO_DAEMON };
const char *store_who_name(enum store_who who);	/* "142", "remote", "cfwdctl", "cfwdd" */

struct cfwd_sub {
	char number[CFWD_NUM_SIZE];
	bool active;			/* service active (not suspended) */
	enum cfwd_condition condition;
	enum cfwd_condition last_condition;	/* last non-off condition; UNCONDITIONAL if never */
	char list[CFWD_LIST_ENTRIES][CFWD_NUM_SIZE];	/* "" when not registered */
	bool registered[CFWD_LIST_ENTRIES];
	int selected;			/* 0..4, or -1 when none */
	int ring_time_s;		/* 5..60, default 20 */
	bool number_request;		/* 非通知拒否 */
	bool remote_enabled;
	bool has_pin;			/* the PIN itself is never readable */
	int pin_failures;		/* consecutive wrong PINs */
	time_t locked_until;		/* wall seconds; 0 = not locked */
};

struct store_opts {
	int busy_timeout_ms;		/* bounded wait on SQLITE_BUSY, default 2000 */
	unsigned long long pwhash_opslimit;	/* default crypto_pwhash_OPSLIMIT_INTERACTIVE */
	size_t pwhash_memlimit;		/* default crypto_pwhash_MEMLIMIT_INTERACTIVE */
	int lockout_attempts;		/* wrong PINs before lockout, default 3 */
	int lockout_s;			/* lockout length, default 3600 */
};
void store_opts_default(struct store_opts *o);
/* [store] busy_timeout_ms, pwhash = interactive|moderate|min, path; [service]
 * pin_lockout_attempts, pin_lockout_minutes. *path gets [store] path (NULL if absent). */
struct conf;
int store_opts_load(struct conf *c, struct store_opts *o, const char **path, char *err,
		    size_t errlen);

struct store;
/* Open (create if missing) and migrate. NULL on error with a message in err. */
struct store *store_open(const char *path, char *err, size_t errlen);
struct store *store_open_opts(const char *path, const struct store_opts *o, char *err,
			      size_t errlen);
void store_close(struct store *st);	/* NULL-safe */
sqlite3 *store_db(struct store *st);	/* for components with their own tables */

/* Schema versioning per component: table schema_version(component, version). Step i
 * (0-based) brings the component to version i + 1; each step runs in its own transaction
 * with the version bump. Forward-only: -EPROTO if the file is newer than steps[]. */
struct store_migration {
	const char *sql;		/* may hold several statements; NULL if fn only */
	int (*fn)(sqlite3 *db);		/* optional, after sql; 0 or -errno */
};
int store_migrate(sqlite3 *db, const char *component, const struct store_migration *steps,
		  size_t n);
int store_schema_version(sqlite3 *db, const char *component);	/* >= 0 or -errno */
/* Map an SQLite result code to -errno: FULL -ENOSPC, BUSY/LOCKED -EBUSY, CORRUPT/NOTADB
 * -EBADMSG, CONSTRAINT -EEXIST, others -EIO. */
int store_errno(int sqlite_rc);

/* Errors of everything below: -ENOENT unknown subscriber, -EINVAL bad argument, -ENOSPC,
 * -EIO, -EBADMSG, -EBUSY (busy past the bounded wait). On error nothing was changed. */
int store_sub_get(struct store *st, const char *num, struct cfwd_sub *out);
/* store_sub_get() and store_reject_contains(num, caller) from the same snapshot, one
 * read transaction (a call's lookup): *rejected 1 or 0 (0 when caller is empty). 0,
 * -ENOENT (not a subscriber) or -errno. */
int store_sub_get_screened(struct store *st, const char *num, const char *caller,
			   struct cfwd_sub *out, int *rejected);
int store_sub_add(struct store *st, enum store_who who, const char *num, bool active);
							/* -EEXIST */
int store_sub_remove(struct store *st, enum store_who who, const char *num);
/* Calls cb for each subscriber in number order; a non-zero return stops and is returned. */
int store_sub_foreach(struct store *st, int (*cb)(void *user, const struct cfwd_sub *sub),
		      void *user);
int store_set_active(struct store *st, enum store_who who, const char *num, bool active);

/* -ENXIO: starting (cond != OFF) without a selected registered entry. */
int store_set_condition(struct store *st, enum store_who who, const char *num,
			enum cfwd_condition cond);
/* Remote "start": condition := last_condition; entry >= 0 selects it first. -ENXIO. */
int store_start_last(struct store *st, enum store_who who, const char *num, int entry);
/* to == NULL clears the entry (-EBUSY if it is selected). */
int store_set_list_entry(struct store *st, enum store_who who, const char *num, int entry,
			 const char *to);
int store_select_entry(struct store *st, enum store_who who, const char *num, int entry);
							/* -ENXIO if unregistered */
/* 142 `2`: entry 0 := to and select it. cfwdctl `forward set`: the same (to may be NULL:
 * keep) and then the condition, all in one transaction. */
int store_set_forward_to(struct store *st, enum store_who who, const char *num,
			 const char *to);
int store_forward_set(struct store *st, enum store_who who, const char *num, const char *to,
		      enum cfwd_condition cond);
int store_set_ring_time(struct store *st, enum store_who who, const char *num, int secs);
int store_set_number_request(struct store *st, enum store_who who, const char *num, bool on);

/* Enable needs a 4-digit PIN (stored hashed; -EINVAL otherwise); disable forgets the hash.
 * Both reset the lockout. */
int store_set_remote(struct store *st, enum store_who who, const char *num, bool enabled,
		     const char *pin);
enum store_pin_result {
	STORE_PIN_OK,
	STORE_PIN_WRONG,	/* counted; may have started the lockout */
	STORE_PIN_LOCKED,	/* locked out: not even compared */
	STORE_PIN_UNKNOWN,	/* no such subscriber */
	STORE_PIN_DISABLED,	/* remote control off or no PIN */
	STORE_PIN_INACTIVE,	/* service suspended */
};
const char *store_pin_result_name(enum store_pin_result r);
/* Same hashing work whatever the outcome. Callers give every result but OK the same
 * rejection. Returns 0 with *res set, or -errno when the store failed. */
int store_pin_verify(struct store *st, const char *num, const char *pin,
		     enum store_pin_result *res);
/* The same in three steps, so that the slow hash can run off the event loop
 * (feature/cfwd/pin_check.h): prepare reads the stored hash (a dummy one for unknown
 * numbers: same cost), store_pin_hash_verify() is the only slow part and touches no
 * store, settle classifies on a fresh read (a PIN changed meanwhile does not match)
 * and does the lockout bookkeeping. settle wipes the ticket. */
struct store_pin_ticket {
	char hash[128];	/* crypto_pwhash_STRBYTES */
	bool real;	/* the subscriber's own hash, not the dummy */
	bool pin_valid;	/* 4 digits */
};
int store_pin_prepare(struct store *st, const char *num, const char *pin,
		      struct store_pin_ticket *t);
bool store_pin_hash_verify(const struct store_pin_ticket *t, const char *pin);
int store_pin_settle(struct store *st, const char *num, struct store_pin_ticket *t,
		     bool verified, enum store_pin_result *res);

/* Call rejection list (着信拒否). add: -EEXIST if present; remove: -ESRCH if absent. */
int store_reject_add(struct store *st, enum store_who who, const char *num,
		     const char *caller);
int store_reject_remove(struct store *st, enum store_who who, const char *num,
			const char *caller);
int store_reject_contains(struct store *st, const char *num, const char *caller);
							/* 1, 0 or -errno */
int store_reject_foreach(struct store *st, const char *num,
			 int (*cb)(void *user, const char *caller), void *user);

/* Audit log, oldest first; num == NULL for all subscribers. */
struct store_audit {
	int64_t id;
	time_t when;
	enum store_who who;
	char number[CFWD_NUM_SIZE];
	char what[160];
};
int store_audit_foreach(struct store *st, const char *num,
			int (*cb)(void *user, const struct store_audit *a), void *user);

/* Billing records (model in billing.h). */
struct billing_record;
int store_cdr_add(struct store *st, struct billing_record *rec);	/* sets rec->id */
int store_cdr_foreach(struct store *st,
		      int (*cb)(void *user, const struct billing_record *rec), void *user);

#endif
