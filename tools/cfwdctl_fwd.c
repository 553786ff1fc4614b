/* tools/cfwdctl_fwd.c - cfwdctl groups that change forwarding settings: forward set /
 * list / select, ring-time, remote enable/disable, number-request, reject, and the
 * billing export (cdr export --csv). Numbers are checked with numbers.h, the same code
 * 142 and remote control use; bad input exits 2 before the store is touched. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "feature/cfwd/billing.h"
#include "tools/cfwdctl.h"

static int done(struct cfwdctl *ctx, int rc, const char *num)
{
	if (rc)
		return cfwdctl_store_err(ctx, rc, num);
	return cfwdctl_print_sub(ctx, num);
}

static int check_to(struct cfwdctl *ctx, const char *num, const char *to)
{
	char why[160];
	int v = cfwd_number_check_forward_to(&ctx->refused, num, to);

	if (v == CFWD_NUM_OK)
		return 0;
	cfwd_number_describe(&ctx->refused, to, v, why, sizeof(why));
	return cfwdctl_err(ctx, CFWDCTL_BAD, "forward-to refused (%s): %s",
			   cfwd_number_verdict_name(v), why);
}

/* Whole decimal number in [min, max]: 0 or CFWDCTL_BAD. */
static int parse_int(struct cfwdctl *ctx, const char *what, const char *s, int min, int max,
		     int *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: value missing", what);
	v = strtol(s, &end, 10);
	if (*end || v < min || v > max)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: '%s' is not %d..%d", what, s, min, max);
	*out = (int)v;
	return 0;
}

static int forward_set(struct cfwdctl *ctx, const char *num, const struct cfwdctl_args *a)
{
	const char *to = cfwdctl_arg(a, "to"), *when = cfwdctl_arg(a, "when");
	enum cfwd_condition cond = CFWD_COND_OFF;
	int rc;

	if (cfwdctl_arg(a, "entry"))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "forward set takes --to and --when");
	if (!when && !to)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "forward set NUM [--to N] --when COND");
	if (when && cfwd_condition_parse(when, &cond))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "--when: '%s' is not unconditional, no-reply, "
				   "busy, no-reply-busy or off", when);
	if (to && (rc = check_to(ctx, num, to)))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	if (!when)
		rc = store_set_forward_to(ctx->st, STORE_WHO_CFWDCTL, num, to);
	else
		rc = store_forward_set(ctx->st, STORE_WHO_CFWDCTL, num, to, cond);
	return done(ctx, rc, num);
}

int cfwdctl_forward_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	const char *verb, *num, *to;
	int rc, entry;

	if ((rc = cfwdctl_args_parse(ctx, argc, argv, "to: when: entry:", &a)))
		return rc;
	if (a.npos != 2)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: forward set|list|select NUM ...");
	verb = a.pos[0];
	num = a.pos[1];
	if ((rc = cfwdctl_check_sub(ctx, num)))
		return rc;
	if (!strcmp(verb, "set"))
		return forward_set(ctx, num, &a);
	if (strcmp(verb, "list") && strcmp(verb, "select"))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "forward: unknown verb '%s'", verb);
	if ((rc = parse_int(ctx, "--entry", cfwdctl_arg(&a, "entry"), 0, 4, &entry)))
		return rc;
	if (!strcmp(verb, "select")) {
		if (!cfwdctl_store(ctx))
			return CFWDCTL_FAIL;
		rc = store_select_entry(ctx->st, STORE_WHO_CFWDCTL, num, entry);
		if (rc == -ENXIO)
			return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: list entry %d is not registered",
					   num, entry);
		return done(ctx, rc, num);
	}
	to = cfwdctl_arg(&a, "to");
	if (!to)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "forward list NUM --entry N --to NUMBER");
	if ((rc = check_to(ctx, num, to)))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return done(ctx, store_set_list_entry(ctx->st, STORE_WHO_CFWDCTL, num, entry, to), num);
}

int cfwdctl_ring_time_main(struct cfwdctl *ctx, int argc, char **argv)
{
	int rc, secs;

	if (argc != 3)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: ring-time NUM SECONDS");
	if ((rc = cfwdctl_check_sub(ctx, argv[1])))
		return rc;
	if ((rc = parse_int(ctx, "ring-time", argv[2], CFWD_RING_TIME_MIN, CFWD_RING_TIME_MAX,
			    &secs)))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return done(ctx, store_set_ring_time(ctx->st, STORE_WHO_CFWDCTL, argv[1], secs), argv[1]);
}

int cfwdctl_remote_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	const char *pin;
	bool enable;
	int rc;

	if ((rc = cfwdctl_args_parse(ctx, argc, argv, "pin:", &a)))
		return rc;
	if (a.npos != 2 || (strcmp(a.pos[0], "enable") && strcmp(a.pos[0], "disable")))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: remote enable NUM --pin PIN | "
				   "disable NUM");
	enable = !strcmp(a.pos[0], "enable");
	pin = cfwdctl_arg(&a, "pin");
	if ((rc = cfwdctl_check_sub(ctx, a.pos[1])))
		return rc;
	if (enable && !cfwd_pin_valid(pin))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "--pin must be 4 digits");
	if (!enable && pin)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "remote disable takes no --pin");
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return done(ctx, store_set_remote(ctx->st, STORE_WHO_CFWDCTL, a.pos[1], enable, pin),
		    a.pos[1]);
}

int cfwdctl_number_request_main(struct cfwdctl *ctx, int argc, char **argv)
{
	int rc;

	if (argc != 3 || (strcmp(argv[1], "on") && strcmp(argv[1], "off")))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: number-request on|off NUM");
	if ((rc = cfwdctl_check_sub(ctx, argv[2])))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return done(ctx, store_set_number_request(ctx->st, STORE_WHO_CFWDCTL, argv[2],
						  !strcmp(argv[1], "on")), argv[2]);
}

static int reject_print_cb(void *user, const char *caller)
{
	struct cfwdctl *ctx = user;

	fprintf(ctx->out, "%s\n", caller);
	return 0;
}

int cfwdctl_reject_main(struct cfwdctl *ctx, int argc, char **argv)
{
	bool add;
	int rc, v;

	if (argc == 3 && !strcmp(argv[1], "list") && !ctx->json) {
		if ((rc = cfwdctl_check_sub(ctx, argv[2])))
			return rc;
		if (!cfwdctl_store(ctx))
			return CFWDCTL_FAIL;
		return cfwdctl_store_err(ctx, store_reject_foreach(ctx->st, argv[2],
								   reject_print_cb, ctx), argv[2]);
	}
	if (argc == 3 && !strcmp(argv[1], "list"))
		return cfwdctl_print_sub(ctx, argv[2]);	/* JSON: the "reject" array */
	if (argc != 4 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove")))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: reject add|remove NUM CALLER | list NUM");
	add = !strcmp(argv[1], "add");
	if ((rc = cfwdctl_check_sub(ctx, argv[2])))
		return rc;
	v = cfwd_number_check_caller(argv[3]);
	if (v != CFWD_NUM_OK)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "caller '%s' is %s", argv[3],
				   cfwd_number_verdict_name(v));
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	rc = add ? store_reject_add(ctx->st, STORE_WHO_CFWDCTL, argv[2], argv[3]) :
		   store_reject_remove(ctx->st, STORE_WHO_CFWDCTL, argv[2], argv[3]);
	if (rc == -EEXIST || rc == -ESRCH)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s %s on the rejection list of %s", argv[3],
				   add ? "is already" : "is not", argv[2]);
	return done(ctx, rc, argv[2]);
}

int cfwdctl_cdr_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	int rc;

	if ((rc = cfwdctl_args_parse(ctx, argc, argv, "csv", &a)))
		return rc;
	if (a.npos != 1 || strcmp(a.pos[0], "export") || !cfwdctl_arg(&a, "csv"))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: cdr export --csv");
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return cfwdctl_store_err(ctx, billing_export_csv(ctx->st, ctx->out), "cdr export");
}
