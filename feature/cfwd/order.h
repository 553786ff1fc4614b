/* feature/cfwd/order.h - orders, identity documents and verification (SERVICE.md §8),
 * persisted in the store's SQLite file (component "orders": tables orders,
 * order_events, documents, document_checks). Every transition is one transaction:
 * the order row, its event row (time, operator, reason) and any side effect (checks,
 * document deletion record, subscriber activation) commit together or not at all.
 * Document images live in "<db>.docs/" only until verification ends. */
#ifndef CFWD_ORDER_H
#define CFWD_ORDER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "feature/cfwd/doc_rules.h"
#include "feature/cfwd/order_fsm.h"

#define ORDER_NAME_SIZE 128
#define ORDER_ADDR_SIZE 256
#define ORDER_REASON_SIZE 512
#define ORDER_DOC_MAX_BYTES (20 * 1024 * 1024)
#define ORDER_FINDINGS_MAX 32

struct orders;

struct order {
	int64_t id;
	char number[16];
	char name[ORDER_NAME_SIZE];
	char address[ORDER_ADDR_SIZE];
	bool corporate;
	bool with_phone_install;	/* installed together with the phone service */
	enum order_state state;
	int round;			/* upload round: 1, then +1 after each return */
	int32_t want_date;		/* desired work date or DOC_DATE_NONE */
	int32_t work_date;		/* fixed after verification, or DOC_DATE_NONE */
	int32_t verified_on;		/* day verification passed, or DOC_DATE_NONE */
	int32_t active_on;		/* day the service became active, or DOC_DATE_NONE */
	time_t created, updated;
	char reason[ORDER_REASON_SIZE];	/* of the last return, rejection or cancel */
};

struct order_event_row {
	int64_t id;
	time_t at;
	char operator_[64];
	char event[24];
	enum order_state from, to;
	char reason[ORDER_REASON_SIZE];
};

/* A document as recorded; the image path is empty once deleted (or never kept). */
struct order_doc {
	struct doc_record rec;		/* rec.name/address point into the fields below */
	char type[48];
	int round;
	char path[512];
	char sha256[65];
	int64_t size;
	time_t added, deleted;		/* deleted: 0 while the image is kept */
	char name[ORDER_NAME_SIZE];
	char address[ORDER_ADDR_SIZE];
};

/* What the operator enters with `doc add`. */
struct order_doc_upload {
	const char *type;		/* doc_types id */
	const char *side;		/* front|back|photo-page|holder-page */
	const char *file;
	const char *issued, *expires;	/* "YYYY-MM-DD" or NULL */
	const char *name, *address;	/* as read on the document, or NULL */
	bool masked, changes, shows_domicile, shows_mynumber, unclear, altered;
};

struct order_verify_result {
	enum doc_outcome verdict;
	enum order_state state;		/* reached */
	int32_t work_date;
	size_t nfindings;		/* may exceed ORDER_FINDINGS_MAX */
	struct doc_finding findings[ORDER_FINDINGS_MAX];
	int files_deleted;
};

/* Errors: -ENOENT unknown order, -EPERM transition not allowed in the order's state,
 * -EINVAL bad argument, -EEXIST the line has an open order or is already active,
 * -ERANGE date out of bounds (work date too early / not reached), -EFBIG file too
 * big, -errno of the file or the store (-EBUSY, -EIO, -ENOSPC). Nothing is changed. */

/* Creates/migrates the tables; the document directory is "<db file>.docs". */
struct orders *orders_open(sqlite3 *db, char *err, size_t errlen);
void orders_close(struct orders *o);	/* NULL-safe */
void orders_set_operator(struct orders *o, const char *op);	/* default "cfwdctl" */
void orders_set_lead_days(struct orders *o, int days);	/* earliest work date, >= 1 */
const char *orders_docs_dir(const struct orders *o);
/* "Today" for rules and dates: the local calendar day of clock_wall_s(). */
int32_t orders_today(void);

struct order_application {
	const char *number, *name, *address;
	bool corporate, with_phone_install;
	const char *want_date;		/* NULL or "YYYY-MM-DD" */
};
int orders_new(struct orders *o, const struct order_application *a, int64_t *id);
int orders_get(struct orders *o, int64_t id, struct order *out);
/* state < 0: all. cb's non-zero return stops and is returned. */
int orders_foreach(struct orders *o, int state, int (*cb)(void *u, const struct order *r),
		   void *user);
int orders_events_foreach(struct orders *o, int64_t id,
			  int (*cb)(void *u, const struct order_event_row *e), void *user);
int orders_docs_foreach(struct orders *o, int64_t id,
			int (*cb)(void *u, const struct order_doc *d), void *user);
int orders_checks_foreach(struct orders *o, int64_t id,
			  int (*cb)(void *u, int round, const struct doc_finding *f),
			  void *user);

int orders_ack(struct orders *o, int64_t id);
int orders_submit(struct orders *o, int64_t id);
int orders_cancel(struct orders *o, int64_t id, const char *reason);
/* Operator's own judgement (e.g. an unclear image): ends verification too. */
int orders_return(struct orders *o, int64_t id, const char *reason);
int orders_reject(struct orders *o, int64_t id, const char *reason);
/* New work date: >= verified_on + lead days and >= today + lead days. */
int orders_schedule(struct orders *o, int64_t id, const char *date);
/* Work date reached: the order and the subscriber's service become active together. */
int orders_activate(struct orders *o, int64_t id);

int orders_doc_add(struct orders *o, int64_t id, const struct order_doc_upload *u,
		   int64_t *doc_id, bool *image_kept);
/* Run every rule over the current round, record the checks, delete the images, move
 * the order on (scheduled), back (returned) or out (rejected). */
int orders_verify(struct orders *o, int64_t id, struct order_verify_result *res);
/* Delete image files whose rows say deleted, and files no row knows (a crash between
 * copy and commit). Runs under the write lock. Returns the number of files removed. */
int orders_sweep(struct orders *o);

#endif
