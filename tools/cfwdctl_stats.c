/* tools/cfwdctl_stats.c - cfwdctl groups that ask the running daemon over its control
 * socket ([control] socket, --ctl, else /tmp/cfwdd.ctl):
 *   status [cics]    spans, links, CIC states with the leak count, calls in progress
 *   stats [--prom]   counters and gauges (text, --json object, or Prometheus text)
 *   log [SPEC]       show or set log levels per subsystem at run time
 * The store is not opened. A small client of its own: cfwdctl does not link daemon/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/conf.h"
#include "tools/cfwdctl.h"

#define CTL_DEFAULT "/tmp/cfwdd.ctl"

static const char *ctl_path(struct cfwdctl *ctx, const struct cfwdctl_args *a)
{
	const char *p = cfwdctl_arg(a, "ctl");
	char err[128];

	if (p)
		return p;
	if (ctx->conf && conf_get_str(ctx->conf, "control", "socket", CTL_DEFAULT, &p, err,
				      sizeof(err)) == 0)
		return p;
	return CTL_DEFAULT;
}

/* Send one line, copy the reply to out. 0 or -errno (after the error line). */
static int ctl_ask(struct cfwdctl *ctx, const char *path, const char *line, FILE *out)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n;
	int fd, rc = 0;

	if (strlen(path) >= sizeof(sa.sun_path))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "%s: socket path too long", path), -EINVAL;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		cfwdctl_err(ctx, CFWDCTL_FAIL, "%s: %s (is cfwdd running?)", path, strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (write(fd, line, strlen(line)) < 0 || write(fd, "\n", 1) < 0)
		rc = -errno;
	shutdown(fd, SHUT_WR);
	while (!rc && (n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, out);
	close(fd);
	if (rc)
		cfwdctl_err(ctx, CFWDCTL_FAIL, "%s: %s", path, strerror(-rc));
	return rc;
}

int cfwdctl_status_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	int rc = cfwdctl_args_parse(ctx, argc, argv, "ctl:", &a);
	const char *req = ctx->json ? "status json" : "status";

	if (rc)
		return rc;
	if (a.npos == 1 && !strcmp(a.pos[0], "cics"))
		req = "status cics";
	else if (a.npos)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: status [cics]");
	return ctl_ask(ctx, ctl_path(ctx, &a), req, ctx->out) ? CFWDCTL_FAIL : CFWDCTL_OK;
}

int cfwdctl_stats_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	int rc = cfwdctl_args_parse(ctx, argc, argv, "ctl: prom", &a);
	const char *req = "stats";

	if (rc)
		return rc;
	if (a.npos)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "stats takes no arguments");
	if (cfwdctl_arg(&a, "prom"))
		req = "stats prom";
	else if (ctx->json)
		req = "stats json";
	return ctl_ask(ctx, ctl_path(ctx, &a), req, ctx->out) ? CFWDCTL_FAIL : CFWDCTL_OK;
}

int cfwdctl_log_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	char line[256], *reply = NULL;
	size_t n = 0;
	FILE *mem;
	int rc = cfwdctl_args_parse(ctx, argc, argv, "ctl:", &a);

	if (rc)
		return rc;
	if (a.npos > 1)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: log [SPEC]");
	if (snprintf(line, sizeof(line), "log%s%s", a.npos ? " " : "",
		     a.npos ? a.pos[0] : "") >= (int)sizeof(line))
		return cfwdctl_err(ctx, CFWDCTL_BAD, "log spec too long");
	mem = open_memstream(&reply, &n);
	if (!mem)
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "out of memory");
	rc = ctl_ask(ctx, ctl_path(ctx, &a), line, mem);
	fclose(mem);
	if (!rc && !strncmp(reply, "error ", 6)) {
		reply[strcspn(reply, "\n")] = 0;
		rc = cfwdctl_err(ctx, CFWDCTL_BAD, "%s", reply + 6);
	} else if (!rc) {
		fputs(reply, ctx->out);
	}
	free(reply);
	return rc < 0 ? CFWDCTL_FAIL : rc;
}
