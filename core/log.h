/* core/log.h - logging with subsystems and levels (osmocom's LOGP shape).
 * Lines go to stderr (or a sink set with log_set_sink) as
 * "time LEVEL subsys file:line message". Filters per subsystem, settable at run time
 * with log_parse_spec("isup=debug,all=info"). Never log a PIN. */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_subsys {
	DCORE,		/* loop, timers, clock */
	DFSM,		/* FSM engine: every event and transition */
	DCONF,		/* config loader */
	DTDM,		/* TDM backends: spans, timeslots */
	DSS7,		/* libss7 messages and link state */
	DISUP,		/* ISUP circuits, validation */
	DCALL,		/* call legs and call objects */
	DDTMF,		/* in-band DTMF */
	DMEDIA,		/* prompts, bearer relay */
	DIVR,		/* 142 dialogue */
	DREMOTE,	/* remote control */
	DSTORE,		/* SQLite store */
	DCTL,		/* control socket, cfwdctl */
	DLAB,		/* cfwd-lab */
	DPRI,		/* ISDN PRI */
	DORDER,		/* contracts, documents */
	DBILL,		/* billing records */
	LOG_SUBSYS_COUNT
};

enum log_level {
	LOGL_ERROR,
	LOGL_NOTICE,
	LOGL_INFO,
	LOGL_DEBUG,
};

const char *log_subsys_name(enum log_subsys ss);
const char *log_level_name(enum log_level lvl);

bool log_enabled(enum log_subsys ss, enum log_level lvl);
void log_set_level(enum log_subsys ss, enum log_level lvl);
void log_set_all(enum log_level lvl);
/* "all=notice,isup=debug,ivr=info": 0 or -EINVAL (err gets the bad token) */
int log_parse_spec(const char *spec, char *err, size_t errlen);

/* Where lines go: NULL restores stderr. The sink gets the formatted line without '\n'. */
typedef void (*log_sink_fn)(void *user, enum log_subsys ss, enum log_level lvl, const char *line);
void log_set_sink(log_sink_fn fn, void *user);

void log_msg(enum log_subsys ss, enum log_level lvl, const char *file, int line,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define LOGP(ss, lvl, fmt, ...)                                                  \
	do {                                                                     \
		if (log_enabled(ss, lvl))                                        \
			log_msg(ss, lvl, __FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	} while (0)

#endif
