/* tools/cfwdctl_sub.c - cfwdctl groups about subscribers themselves: subscriber
 * add/remove/list/show, show, service activate/suspend, audit; and the subscriber
 * printer (text or JSON) that every change command ends with. Never prints a PIN. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tools/cfwdctl.h"

struct rej_out {
	FILE *f;
	int n;
};

static int json_reject_cb(void *user, const char *caller)
{
	struct rej_out *o = user;

	fputs(o->n++ ? "," : "", o->f);
	cfwdctl_json_str(o->f, caller);
	return 0;
}

static int text_reject_cb(void *user, const char *caller)
{
	struct rej_out *o = user;

	fprintf(o->f, " %s", caller);
	return 0;
}

static void print_sub_json(struct cfwdctl *ctx, const struct cfwd_sub *s)
{
	FILE *f = ctx->out;
	struct rej_out o = { .f = f };

	fputs("{\"number\":", f);
	cfwdctl_json_str(f, s->number);
	fprintf(f, ",\"active\":%s,\"condition\":\"%s\",\"last_condition\":\"%s\"",
		s->active ? "true" : "false", cfwd_condition_name(s->condition),
		cfwd_condition_name(s->last_condition));
	fprintf(f, ",\"selected\":%d,\"forward_to\":", s->selected);
	cfwdctl_json_str(f, s->selected >= 0 && s->registered[s->selected] ?
				    s->list[s->selected] : NULL);
	fputs(",\"list\":[", f);
	for (int e = 0; e < CFWD_LIST_ENTRIES; e++) {
		fputs(e ? "," : "", f);
		cfwdctl_json_str(f, s->registered[e] ? s->list[e] : NULL);
	}
	fprintf(f, "],\"ring_time\":%d,\"number_request\":%s,\"remote_enabled\":%s,"
		   "\"has_pin\":%s,\"pin_failures\":%d,\"locked_until\":%lld,\"reject\":[",
		s->ring_time_s, s->number_request ? "true" : "false",
		s->remote_enabled ? "true" : "false", s->has_pin ? "true" : "false",
		s->pin_failures, (long long)s->locked_until);
	store_reject_foreach(ctx->st, s->number, json_reject_cb, &o);
	fputs("]}", f);
}

static void print_sub_text(struct cfwdctl *ctx, const struct cfwd_sub *s)
{
	FILE *f = ctx->out;
	struct rej_out o = { .f = f };

	fprintf(f, "number          %s\n", s->number);
	fprintf(f, "service         %s\n", s->active ? "active" : "suspended");
	fprintf(f, "condition       %s (remote start: %s)\n", cfwd_condition_name(s->condition),
		cfwd_condition_name(s->last_condition));
	if (s->selected >= 0 && s->registered[s->selected])
		fprintf(f, "forward-to      %s (entry %d)\n", s->list[s->selected], s->selected);
	else
		fprintf(f, "forward-to      -\n");
	fprintf(f, "list           ");
	for (int e = 0; e < CFWD_LIST_ENTRIES; e++)
		fprintf(f, " %d:%s%s", e, s->registered[e] ? s->list[e] : "-",
			e == s->selected ? "*" : "");
	fprintf(f, "\nring-time       %d s\n", s->ring_time_s);
	fprintf(f, "number-request  %s\n", s->number_request ? "on" : "off");
	fprintf(f, "remote          %s", s->remote_enabled ? "enabled" : "disabled");
	if (s->pin_failures)
		fprintf(f, ", %d wrong PIN(s)", s->pin_failures);
	if (s->locked_until > time(NULL))
		fprintf(f, ", locked until %lld", (long long)s->locked_until);
	fprintf(f, "\nreject         ");
	store_reject_foreach(ctx->st, s->number, text_reject_cb, &o);
	fputc('\n', f);
}

int cfwdctl_print_sub(struct cfwdctl *ctx, const char *num)
{
	struct cfwd_sub s;
	int rc;

	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	rc = store_sub_get(ctx->st, num, &s);
	if (rc)
		return cfwdctl_store_err(ctx, rc, num);
	if (ctx->json) {
		print_sub_json(ctx, &s);
		fputc('\n', ctx->out);
	} else {
		print_sub_text(ctx, &s);
	}
	return CFWDCTL_OK;
}

struct list_out {
	struct cfwdctl *ctx;
	int n;
};

static int list_cb(void *user, const struct cfwd_sub *s)
{
	struct list_out *lo = user;
	struct cfwdctl *ctx = lo->ctx;
	const char *to = s->selected >= 0 && s->registered[s->selected] ?
				 s->list[s->selected] : "-";

	if (ctx->json) {
		fputs(lo->n++ ? "," : "", ctx->out);
		print_sub_json(ctx, s);
		return 0;
	}
	fprintf(ctx->out, "%s %s %s %s\n", s->number, s->active ? "active" : "suspended",
		cfwd_condition_name(s->condition), to);
	return 0;
}

static int sub_list(struct cfwdctl *ctx)
{
	struct list_out lo = { .ctx = ctx };
	int rc;

	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	if (ctx->json)
		fputc('[', ctx->out);
	rc = store_sub_foreach(ctx->st, list_cb, &lo);
	if (ctx->json)
		fputs("]\n", ctx->out);
	return cfwdctl_store_err(ctx, rc, "list");
}

/* Checks the number, runs a change, prints the subscriber afterwards. */
static int change_done(struct cfwdctl *ctx, int rc, const char *num)
{
	if (rc)
		return cfwdctl_store_err(ctx, rc, num);
	return cfwdctl_print_sub(ctx, num);
}

int cfwdctl_subscriber_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	const char *verb, *num;
	int rc = cfwdctl_args_parse(ctx, argc, argv, "suspended", &a);

	if (rc)
		return rc;
	verb = a.npos > 0 ? a.pos[0] : "";
	if (!strcmp(verb, "list") && a.npos == 1)
		return sub_list(ctx);
	if (a.npos != 2)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: subscriber add|remove|show NUM | list");
	num = a.pos[1];
	if ((rc = cfwdctl_check_sub(ctx, num)))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	if (!strcmp(verb, "add"))
		return change_done(ctx, store_sub_add(ctx->st, STORE_WHO_CFWDCTL, num,
						      !cfwdctl_arg(&a, "suspended")), num);
	if (!strcmp(verb, "show"))
		return cfwdctl_print_sub(ctx, num);
	if (!strcmp(verb, "remove")) {
		rc = store_sub_remove(ctx->st, STORE_WHO_CFWDCTL, num);
		if (rc)
			return cfwdctl_store_err(ctx, rc, num);
		if (ctx->json)
			fprintf(ctx->out, "{\"ok\":true,\"removed\":\"%s\"}\n", num);
		else
			fprintf(ctx->out, "%s removed\n", num);
		return CFWDCTL_OK;
	}
	return cfwdctl_err(ctx, CFWDCTL_BAD, "subscriber: unknown verb '%s'", verb);
}

int cfwdctl_show_main(struct cfwdctl *ctx, int argc, char **argv)
{
	int rc;

	if (argc != 2)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: show NUM");
	if ((rc = cfwdctl_check_sub(ctx, argv[1])))
		return rc;
	return cfwdctl_print_sub(ctx, argv[1]);
}

int cfwdctl_service_main(struct cfwdctl *ctx, int argc, char **argv)
{
	bool on;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "activate") && strcmp(argv[1], "suspend")))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: service activate|suspend NUM");
	on = !strcmp(argv[1], "activate");
	if ((rc = cfwdctl_check_sub(ctx, argv[2])))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return change_done(ctx, store_set_active(ctx->st, STORE_WHO_CFWDCTL, argv[2], on),
			   argv[2]);
}

static int audit_cb(void *user, const struct store_audit *au)
{
	struct cfwdctl *ctx = user;
	char when[32];
	struct tm tm;

	gmtime_r(&au->when, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!ctx->json) {
		fprintf(ctx->out, "%s %-7s %s %s\n", when, store_who_name(au->who),
			au->number[0] ? au->number : "-", au->what);
		return 0;
	}
	fprintf(ctx->out, "{\"id\":%lld,\"at\":\"%s\",\"who\":\"%s\",\"number\":",
		(long long)au->id, when, store_who_name(au->who));
	cfwdctl_json_str(ctx->out, au->number);
	fputs(",\"what\":", ctx->out);
	cfwdctl_json_str(ctx->out, au->what);
	fputs("}\n", ctx->out);
	return 0;
}

int cfwdctl_audit_main(struct cfwdctl *ctx, int argc, char **argv)
{
	const char *num = argc > 1 ? argv[1] : NULL;
	int rc;

	if (argc > 2)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: audit [NUM]");
	if (num && (rc = cfwdctl_check_sub(ctx, num)))
		return rc;
	if (!cfwdctl_store(ctx))
		return CFWDCTL_FAIL;
	return cfwdctl_store_err(ctx, store_audit_foreach(ctx->st, num, audit_cb, ctx), "audit");
}
