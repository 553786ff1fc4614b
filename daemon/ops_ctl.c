/* daemon/ops_ctl.c - the "stats" and "log" control socket commands (see ops_ctl.h).
 * Replies are plain text lines ("ok ...", "error ..."), or the metric page as asked.
 * Does not know the node: gauges come from the collector (ops_metrics_node.c). Also the
 * journald log sink (syslog priority prefixes when stderr is the journal). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* sd-daemon(3)'s "<N>" prefixes: journald reads them as the line's priority. */
static void journal_sink(void *user, enum log_subsys ss, enum log_level lvl, const char *line)
{
	static const int prio[] = { [LOGL_ERROR] = 3, [LOGL_NOTICE] = 5, [LOGL_INFO] = 6,
				    [LOGL_DEBUG] = 7 };

	fprintf(stderr, "<%d>%s\n", prio[lvl], line);
}

void ops_log_setup(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!js || sscanf(js, "%llu:%llu", &dev, &ino) != 2 || fstat(2, &st) < 0)
		return;
	if ((unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino)
		log_set_sink(journal_sink, NULL);
}
