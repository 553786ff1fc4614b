/* core/log.c - LOGP logging: per-subsystem level filters (NOTICE by default), a spec
 * parser ("all=info,isup=debug"), and one sink (stderr unless a test or the daemon sets
 * another). Lines read "HH:MM:SS.mmm LEVEL subsys file:line message".
 * Does not rotate files or buffer: every line goes out as it is made. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"

static const char *const subsys_names[LOG_SUBSYS_COUNT] = {
	[DCORE] = "core",   [DFSM] = "fsm",   [DCONF] = "conf",	    [DTDM] = "tdm",
	[DSS7] = "ss7",	    [DISUP] = "isup", [DCALL] = "call",	    [DDTMF] = "dtmf",
	[DMEDIA] = "media", [DIVR] = "ivr",   [DREMOTE] = "remote", [DSTORE] = "store",
	[DCTL] = "ctl",	    [DLAB] = "lab",   [DPRI] = "pri",	    [DORDER] = "order",
	[DBILL] = "bill",
};

static const char *const level_names[] = {
	[LOGL_ERROR] = "ERROR",
	[LOGL_NOTICE] = "NOTICE",
	[LOGL_INFO] = "INFO",
	[LOGL_DEBUG] = "DEBUG",
};

#define LEVEL_COUNT ((int)ARRAY_SIZE(level_names))
#define LEVEL_DEFAULT LOGL_NOTICE
#define LEVEL_UNSET (-1)

static signed char levels[LOG_SUBSYS_COUNT];
static bool levels_init;
static log_sink_fn sink;
static void *sink_user;

static void init_levels(void)
{
	if (levels_init)
		return;
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		levels[i] = LEVEL_DEFAULT;
	levels_init = true;
}

const char *log_subsys_name(enum log_subsys ss)
{
	if ((unsigned)ss >= LOG_SUBSYS_COUNT)
		return "unknown";
	return subsys_names[ss];
}

const char *log_level_name(enum log_level lvl)
{
	if ((unsigned)lvl >= (unsigned)LEVEL_COUNT)
		return "unknown";
	return level_names[lvl];
}

bool log_enabled(enum log_subsys ss, enum log_level lvl)
{
	init_levels();
	if ((unsigned)ss >= LOG_SUBSYS_COUNT)
		return true;
	return (int)lvl <= levels[ss];
}

void log_set_level(enum log_subsys ss, enum log_level lvl)
{
	init_levels();
	if ((unsigned)ss < LOG_SUBSYS_COUNT)
		levels[ss] = (signed char)lvl;
}

void log_set_all(enum log_level lvl)
{
	init_levels();
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		levels[i] = (signed char)lvl;
}

static int parse_level(const char *s, size_t n)
{
	for (int i = 0; i < LEVEL_COUNT; i++)
		if (strlen(level_names[i]) == n && strncasecmp(level_names[i], s, n) == 0)
			return i;
	return LEVEL_UNSET;
}

/* -1 for "all", the subsystem number, or -2 if unknown. */
static int parse_subsys(const char *s, size_t n)
{
	if (n == 3 && strncasecmp(s, "all", 3) == 0)
		return -1;
	for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
		if (strlen(subsys_names[i]) == n && strncasecmp(subsys_names[i], s, n) == 0)
			return i;
	return -2;
}

static void bad_token(char *err, size_t errlen, const char *tok, size_t n)
{
	if (err && errlen)
		snprintf(err, errlen, "bad log spec token '%.*s'", (int)n, tok);
}

/* Validates the whole spec before applying any of it. */
int log_parse_spec(const char *spec, char *err, size_t errlen)
{
	signed char next[LOG_SUBSYS_COUNT];
	const char *p = spec;

	init_levels();
	memcpy(next, levels, sizeof(next));
	while (*p) {
		size_t n = strcspn(p, ", ");
		const char *eq = memchr(p, '=', n);
		int ss, lvl;

		if (n == 0) {
			p++;
			continue;
		}
		if (!eq) {
			bad_token(err, errlen, p, n);
			return -EINVAL;
		}
		ss = parse_subsys(p, (size_t)(eq - p));
		lvl = parse_level(eq + 1, n - (size_t)(eq - p) - 1);
		if (ss == -2 || lvl == LEVEL_UNSET) {
			bad_token(err, errlen, p, n);
			return -EINVAL;
		}
		for (int i = 0; i < LOG_SUBSYS_COUNT; i++)
			if (ss == -1 || ss == i)
				next[i] = (signed char)lvl;
		p += n;
	}
	memcpy(levels, next, sizeof(levels));
	return 0;
}

void log_set_sink(log_sink_fn fn, void *user)
{
	sink = fn;
	sink_user = user;
}

void log_msg(enum log_subsys ss, enum log_level lvl, const char *file, int line, const char *fmt,
	     ...)
{
	char buf[1024];
	uint64_t wall_ms = clock_wall_ms();
	time_t secs = (time_t)(wall_ms / 1000u);
	struct tm tm;
	va_list ap;
	int n;

	localtime_r(&secs, &tm);
	n = snprintf(buf, sizeof(buf), "%02d:%02d:%02d.%03u %s %s %s:%d ", tm.tm_hour, tm.tm_min,
		     tm.tm_sec, (unsigned)(wall_ms % 1000u), log_level_name(lvl),
		     log_subsys_name(ss), file, line);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(buf)) {
		va_start(ap, fmt);
		vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
		va_end(ap);
	}
	n = (int)strlen(buf);
	while (n > 0 && buf[n - 1] == '\n') /* LOGP("...\n") from osmocom habits */
		buf[--n] = '\0';
	if (sink)
		sink(sink_user, ss, lvl, buf);
	else
		fprintf(stderr, "%s\n", buf);
}
