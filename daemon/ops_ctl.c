/* daemon/ops_ctl.c - the "stats" and "log" control socket commands (see ops_ctl.h).
 * Replies are plain text lines ("ok ...", "error ..."), or the metric page as asked.
 * Does not know the node: gauges come from the collector (ops_metrics_node.c). */
#include <ctype.h>
#include <string.h>

#include "core/log.h"
#include "core/metrics.h"
#include "daemon/ops_ctl.h"

/* The most verbose level enabled for ss ("error" when even notices are off). */
static enum log_level level_of(enum log_subsys ss)
{
	enum log_level l = LOGL_DEBUG;

	while (l > LOGL_ERROR && !log_enabled(ss, l))
		l--;
	return l;
}

/* "log isup     debug": lower case, the words log_parse_spec() takes back. */
static void log_show(FILE *out)
{
	for (unsigned ss = 0; ss < LOG_SUBSYS_COUNT; ss++) {
		const char *l = log_level_name(level_of(ss));

		fprintf(out, "log %-8s ", log_subsys_name(ss));
		while (*l)
			fputc(tolower((unsigned char)*l++), out);
		fputc('\n', out);
	}
}

static void log_set(const char *spec, FILE *out)
{
	char err[128];

	if (log_parse_spec(spec, err, sizeof(err)) < 0) {
		fprintf(out, "error bad log spec: %s\n", err);
		return;
	}
	LOGP(DCTL, LOGL_NOTICE, "log levels set: %s", spec);
	fprintf(out, "ok %s\n", spec);
}

bool ops_ctl_handle(const char *line, FILE *out)
{
	if (!strcmp(line, "stats") || !strcmp(line, "stats text")) {
		metrics_write_text(out);
	} else if (!strcmp(line, "stats json")) {
		metrics_write_json(out);
	} else if (!strcmp(line, "stats prom")) {
		metrics_write_prom(out);
	} else if (!strcmp(line, "log")) {
		log_show(out);
	} else if (!strncmp(line, "log ", 4)) {
		log_set(line + 4, out);
	} else {
		return false;
	}
	return true;
}
