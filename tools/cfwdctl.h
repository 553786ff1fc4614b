/* tools/cfwdctl.h - what cfwdctl command groups share: the context (config, store path
 * and handle, --json), argument splitting, output and error helpers, exit statuses.
 * A group is a function `int NAME_main(struct cfwdctl *ctx, int argc, char **argv)`
 * (argv[0] is the group word) listed in the table of tools/cfwdctl.c. */
#ifndef TOOLS_CFWDCTL_H
#define TOOLS_CFWDCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "feature/cfwd/numbers.h"
#include "feature/cfwd/store.h"

enum {
	CFWDCTL_OK = 0,
	CFWDCTL_FAIL = 1,	/* the store failed: busy, disk full, corrupt, I/O */
	CFWDCTL_BAD = 2,	/* bad input: nothing was changed */
};

struct cfwdctl {
	const char *db_path;		/* --db, else [store] path, else "cfwd.db" */
	const char *conf_path;		/* --conf, else conf/cfwd.conf if present */
	struct conf *conf;		/* NULL without a config file */
	struct store_opts opts;		/* from [store] / [service] */
	struct cfwd_refused refused;	/* from [refused] / [service] */
	struct store *st;		/* opened by cfwdctl_store() */
	bool json;			/* --json: machine-readable stdout */
	FILE *out;			/* stdout */
};

typedef int (*cfwdctl_main_fn)(struct cfwdctl *ctx, int argc, char **argv);
struct cfwdctl_group {
	const char *name;
	cfwdctl_main_fn main;		/* NULL: group not linked in (weak), skipped */
	const char *usage;		/* one or more lines, each "name ..." */
};

/* The open store, or NULL after printing the error (then return CFWDCTL_FAIL). */
struct store *cfwdctl_store(struct cfwdctl *ctx);

/* Positionals and --name options; spec like "to: when: entry: csv" (':' = takes a
 * value). An unknown option or a missing value prints an error: returns CFWDCTL_BAD. */
#define CFWDCTL_MAX_ARGS 8
struct cfwdctl_args {
	int npos;
	const char *pos[CFWDCTL_MAX_ARGS];
	int nopt;
	const char *opt_name[CFWDCTL_MAX_ARGS];
	const char *opt_value[CFWDCTL_MAX_ARGS];	/* "" for flags */
};
int cfwdctl_args_parse(struct cfwdctl *ctx, int argc, char **argv, const char *spec,
		       struct cfwdctl_args *a);
const char *cfwdctl_arg(const struct cfwdctl_args *a, const char *name);	/* or NULL */

/* One line "cfwdctl: ..." on stderr (and {"ok":false,"error":...} on stdout with
 * --json); returns status. */
int cfwdctl_err(struct cfwdctl *ctx, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Store result to exit status with a message: -ENOENT unknown subscriber (BAD), -EINVAL,
 * -ENXIO, -EEXIST, -ESRCH (BAD), others (FAIL). 0 stays 0. */
int cfwdctl_store_err(struct cfwdctl *ctx, int rc, const char *num);
/* Subscriber number check: 0 or CFWDCTL_BAD after the error line. */
int cfwdctl_check_sub(struct cfwdctl *ctx, const char *num);

void cfwdctl_json_str(FILE *f, const char *s);	/* quoted, escaped; NULL -> null */
/* The subscriber as text lines or one JSON object (rejection list included). */
int cfwdctl_print_sub(struct cfwdctl *ctx, const char *num);

/* Groups of this tool (tools/cfwdctl_sub.c, tools/cfwdctl_fwd.c). */
int cfwdctl_subscriber_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_show_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_service_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_audit_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_forward_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_ring_time_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_remote_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_number_request_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_reject_main(struct cfwdctl *ctx, int argc, char **argv);
int cfwdctl_cdr_main(struct cfwdctl *ctx, int argc, char **argv);

/* Groups of other components, linked when their file exists (weak). */
int cfwdctl_order_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));
int cfwdctl_status_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));
int cfwdctl_stats_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));
int cfwdctl_log_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));
int cfwdctl_report_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));
int cfwdctl_doc_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));
int cfwdctl_bill_main(struct cfwdctl *ctx, int argc, char **argv) __attribute__((weak));

#endif
