/* tools/cfwdctl.c - cfwdctl's main: global options (--db, --conf, --json), the config
 * file, the table of command groups and the helpers they share (argument splitting,
 * one-line errors, exit statuses 0 / 1 store failure / 2 bad input, JSON strings).
 * Works on the store file directly; the daemon's control socket is not handled here. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "tools/cfwdctl.h"

#define DEFAULT_CONF "conf/cfwd.conf"
#define DEFAULT_DB "cfwd.db"

static const struct cfwdctl_group groups[] = {
	{ "subscriber", cfwdctl_subscriber_main,
	  "subscriber add NUM [--suspended] | remove NUM | list | show NUM" },
	{ "show", cfwdctl_show_main, "show NUM" },
	{ "service", cfwdctl_service_main, "service activate|suspend NUM" },
	{ "forward", cfwdctl_forward_main,
	  "forward set NUM [--to N] --when unconditional|no-reply|busy|no-reply-busy|off\n"
	  "forward list NUM --entry 0..4 --to N\n"
	  "forward select NUM --entry 0..4" },
	{ "ring-time", cfwdctl_ring_time_main, "ring-time NUM SECONDS (5..60)" },
	{ "remote", cfwdctl_remote_main, "remote enable NUM --pin PIN | disable NUM" },
	{ "number-request", cfwdctl_number_request_main, "number-request on|off NUM" },
	{ "reject", cfwdctl_reject_main, "reject add|remove NUM CALLER | list NUM" },
	{ "cdr", cfwdctl_cdr_main, "cdr export --csv" },
	{ "audit", cfwdctl_audit_main, "audit [NUM]  (--json: one object per line)" },
	/* ---- groups of other components: one line each, below this mark ---- */
	{ "order", cfwdctl_order_main,
	  "order new NUM --name NAME --address ADDR [--corporate] [--with-phone-install] "
	  "[--want-date DATE]\n"
	  "order ack|submit|verify|activate ID | schedule ID --date DATE\n"
	  "order return|reject|cancel ID --reason TEXT | show ID | list [--state STATE]\n"
	  "  (order, doc, bill: --operator NAME (default $USER), --fees FILE "
	  "(default conf/fees.conf))" },
	{ "doc", cfwdctl_doc_main,
	  "doc add ORDER --type TYPE --side front|back|photo-page|holder-page --file F "
	  "[--issued DATE] [--expires DATE] [--name ..] [--address ..] [--masked] [--changes] "
	  "[--shows-domicile] [--shows-mynumber] [--unclear] [--altered] | doc types" },
	{ "bill", cfwdctl_bill_main, "bill month YYYY-MM" },
	{ "status", cfwdctl_status_main,
	  "status [cics] [--ctl SOCKET]  (spans, links, CIC states, calls of the running cfwdd)" },
	{ "stats", cfwdctl_stats_main, "stats [--prom] [--ctl SOCKET]  (asks the running cfwdd)" },
	{ "log", cfwdctl_log_main, "log [SPEC] [--ctl SOCKET]  (e.g. all=notice,isup=debug)" },
	{ "report", cfwdctl_report_main, "report --html FILE [--days N]" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cfwdctl [--db FILE] [--conf FILE] [--json] COMMAND ...\n"
		   "  default config " DEFAULT_CONF " ([store] path gives the database)\n"
		   "exit status: 0 done, 1 store failure (nothing changed), 2 bad input "
		   "(nothing changed)\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		const char *u = groups[i].usage;

		if (!groups[i].main)
			continue;
		while (*u) {
			size_t n = strcspn(u, "\n");

			fprintf(f, "  %.*s\n", (int)n, u);
			u += n + (u[n] == '\n');
		}
	}
}

int cfwdctl_err(struct cfwdctl *ctx, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "cfwdctl: %s\n", msg);
	if (ctx->json) {
		fprintf(ctx->out, "{\"ok\":false,\"status\":%d,\"error\":", status);
		cfwdctl_json_str(ctx->out, msg);
		fprintf(ctx->out, "}\n");
	}
	return status;
}

int cfwdctl_store_err(struct cfwdctl *ctx, int rc, const char *num)
{
	switch (rc) {
	case 0:
		return CFWDCTL_OK;
	case -ENOENT:
		return cfwdctl_err(ctx, CFWDCTL_BAD, "unknown subscriber %s", num);
	case -EEXIST:
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: already present", num);
	case -ESRCH:
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: not on the list", num);
	case -ENXIO:
		return cfwdctl_err(ctx, CFWDCTL_BAD,
				   "%s: no registered forward-to number selected", num);
	case -EINVAL:
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: invalid value", num);
	case -EBUSY:
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "store busy (another writer); retry");
	case -ENOSPC:
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "store: disk full, nothing changed");
	case -EBADMSG:
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "store file is corrupt: %s", ctx->db_path);
	default:
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "store error: %s", strerror(-rc));
	}
}

int cfwdctl_check_sub(struct cfwdctl *ctx, const char *num)
{
	int v = cfwd_number_check_subscriber(num);

	if (v == CFWD_NUM_OK)
		return 0;
	return cfwdctl_err(ctx, CFWDCTL_BAD, "'%s' is not a subscriber number (%s)",
			   num ? num : "", cfwd_number_verdict_name(v));
}

struct store *cfwdctl_store(struct cfwdctl *ctx)
{
	char err[512];

	if (ctx->st)
		return ctx->st;
	ctx->st = store_open_opts(ctx->db_path, &ctx->opts, err, sizeof(err));
	if (!ctx->st)
		cfwdctl_err(ctx, CFWDCTL_FAIL, "%s", err);
	return ctx->st;
}

static bool spec_has(const char *spec, const char *name, bool *takes_value)
{
	size_t n = strlen(name);

	for (const char *p = spec; (p = strstr(p, name)); p += n) {
		bool start = p == spec || p[-1] == ' ';
		char end = p[n];

		if (start && (end == '\0' || end == ' ' || end == ':')) {
			*takes_value = end == ':';
			return true;
		}
	}
	return false;
}

int cfwdctl_args_parse(struct cfwdctl *ctx, int argc, char **argv, const char *spec,
		       struct cfwdctl_args *a)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		bool val;

		if (strncmp(argv[i], "--", 2) != 0 || !argv[i][2]) {
			if (a->npos == CFWDCTL_MAX_ARGS)
				return cfwdctl_err(ctx, CFWDCTL_BAD, "too many arguments");
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (!spec_has(spec, argv[i] + 2, &val))
			return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: unknown option %s", argv[0],
					   argv[i]);
		if (val && i + 1 >= argc)
			return cfwdctl_err(ctx, CFWDCTL_BAD, "%s needs a value", argv[i]);
		if (a->nopt == CFWDCTL_MAX_ARGS)
			return cfwdctl_err(ctx, CFWDCTL_BAD, "too many options");
		a->opt_name[a->nopt] = argv[i] + 2;
		a->opt_value[a->nopt++] = val ? argv[++i] : "";
	}
	return 0;
}

const char *cfwdctl_arg(const struct cfwdctl_args *a, const char *name)
{
	for (int i = a->nopt - 1; i >= 0; i--)
		if (!strcmp(a->opt_name[i], name))
			return a->opt_value[i];
	return NULL;
}

void cfwdctl_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static int load_conf(struct cfwdctl *ctx, bool explicit_conf)
{
	const char *path = NULL;
	char err[512];

	store_opts_default(&ctx->opts);
	cfwd_refused_default(&ctx->refused);
	if (!explicit_conf && access(ctx->conf_path, R_OK) != 0)
		return 0;	/* no config: built-in defaults */
	ctx->conf = conf_load(ctx->conf_path, err, sizeof(err));
	if (!ctx->conf)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s", err);
	if (store_opts_load(ctx->conf, &ctx->opts, &path, err, sizeof(err)) ||
	    cfwd_refused_load(ctx->conf, &ctx->refused, err, sizeof(err)))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s", err);
	if (!ctx->db_path && path)
		ctx->db_path = path;
	return 0;
}

/* Global options may appear anywhere; they are taken out of argv. */
static int global_opts(struct cfwdctl *ctx, int *argc, char **argv, bool *explicit_conf)
{
	int n = 0;

	for (int i = 1; i < *argc; i++) {
		bool db = !strcmp(argv[i], "--db"), conf = !strcmp(argv[i], "--conf");

		if (!strcmp(argv[i], "--json")) {
			ctx->json = true;
		} else if (db || conf) {
			if (i + 1 >= *argc)
				return cfwdctl_err(ctx, CFWDCTL_BAD, "%s needs a value", argv[i]);
			if (db)
				ctx->db_path = argv[++i];
			else
				ctx->conf_path = argv[++i];
			*explicit_conf |= conf;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			exit(0);
		} else {
			argv[++n] = argv[i];
		}
	}
	*argc = n + 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct cfwdctl ctx = { .conf_path = DEFAULT_CONF, .out = stdout };
	bool explicit_conf = false;
	int rc;

	log_set_all(LOGL_ERROR);
	rc = global_opts(&ctx, &argc, argv, &explicit_conf);
	if (!rc)
		rc = load_conf(&ctx, explicit_conf);
	if (rc)
		return rc;
	if (!ctx.db_path)
		ctx.db_path = DEFAULT_DB;
	if (argc < 2) {
		usage(stderr);
		return CFWDCTL_BAD;
	}
	rc = -1;
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++)
		if (groups[i].main && !strcmp(groups[i].name, argv[1]))
			rc = groups[i].main(&ctx, argc - 1, argv + 1);
	if (rc < 0)
		rc = cfwdctl_err(&ctx, CFWDCTL_BAD, "unknown command '%s' (see --help)", argv[1]);
	store_close(ctx.st);
	conf_free(ctx.conf);
	if (fflush(stdout) == EOF && rc == 0)
		rc = CFWDCTL_FAIL;
	return rc;
}
