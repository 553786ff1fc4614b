/* core/metrics.h - the process's counters, gauges and one latency histogram, each a
 * fixed metric (enum metric_id) with up to METRIC_MAX_SERIES label sets like
 * "outcome=answered" or "link=ls1,state=up". Fixed arrays: no allocation, ever; a label
 * set is looked up by string (or resolved once to a handle for hot paths). Exposed as
 * Prometheus text (0.0.4), text lines for cfwdctl, JSON, or an atomically renamed
 * textfile (node_exporter's textfile collector). No HTTP here (daemon/metrics_http.c). */
#ifndef CORE_METRICS_H
#define CORE_METRICS_H

#include <stdint.h>
#include <stdio.h>

enum metric_id {
	METRIC_CALLS,		/* counter  outcome=answered|busy|no_answer|rejected|failed */
	METRIC_DIVERSIONS,	/* counter  reason=unconditional|busy|no_reply */
	METRIC_CALLS_ACTIVE,	/* gauge    calls in progress */
	METRIC_IVR_SESSIONS,	/* counter  result=completed|abandoned|failed (142) */
	METRIC_REMOTE_SESSIONS,	/* counter  result=... (remote control) */
	METRIC_DTMF_DIGITS,	/* counter  digits detected in-band */
	METRIC_LINK_UP,		/* gauge    link=NAME: 1 in service, 0 out */
	METRIC_CICS,		/* gauge    linkset=NAME,state=idle|busy|blocked|... */
	METRIC_STORE_LATENCY,	/* histogram op=read|write, seconds */
	METRIC_LOCKOUTS,	/* counter  PIN lockouts */
	METRIC_PIN_FAILURES,	/* counter  wrong PINs (no digits, ever) */
	METRIC_SESSIONS_ACTIVE,	/* gauge    142 and remote-control calls in progress */
	METRIC_SESSIONS_ENDED,	/* counter  by=dialogue|caller|failed */
	METRIC_STORE_WRITES,	/* counter  result=committed|failed|lock_timeout|queue_full
				 * (the sessions' changes, made off the loop) */
	METRIC_COUNT
};

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM };

#define METRIC_MAX_SERIES 256	/* label sets per metric: 48 linksets x 5 circuit states fit */
#define METRIC_LABELS_LEN 64	/* "k=v,k=v" incl. NUL */
#define METRIC_HIST_BUCKETS 10	/* upper bounds in metrics.c, plus +Inf */

struct metric_series;		/* a handle: stays valid until metrics_reset() */

const char *metric_name(enum metric_id id);	/* "cfwd_calls_total" */
enum metric_type metric_type(enum metric_id id);

/* The series of id with these labels (NULL or "" for none), created on first use.
 * NULL when labels are malformed (-EINVAL) or the metric's table is full (-ENOSPC,
 * counted in cfwd_metrics_dropped_total). */
struct metric_series *metric_series(enum metric_id id, const char *labels);

/* Hot-path updates on a handle (NULL-safe: a dropped series is a no-op). */
void metric_series_add(struct metric_series *s, uint64_t n);	/* counter */
void metric_series_set(struct metric_series *s, int64_t v);	/* gauge */
void metric_series_gauge_add(struct metric_series *s, int64_t d);	/* gauge +- */
void metric_series_observe_us(struct metric_series *s, uint64_t us);	/* histogram */

/* By name: metric_inc(METRIC_CALLS, "outcome=answered"). 0 or -EINVAL / -ENOSPC. */
int metric_inc(enum metric_id id, const char *labels);
int metric_add(enum metric_id id, const char *labels, uint64_t n);
int metric_set(enum metric_id id, const char *labels, int64_t v);
int metric_observe_us(enum metric_id id, const char *labels, uint64_t us);
/* A counter kept by its module (e.g. isup's call statistics), copied in by a collector:
 * v must never go down. 0 or -EINVAL / -ENOSPC. */
int metric_mirror(enum metric_id id, const char *labels, uint64_t v);

/* Current value (counter or gauge; histogram: its count); 0 for an unknown series. */
int64_t metric_value(enum metric_id id, const char *labels);
/* Gauges describing a state (link up, CIC states) are refreshed by a collector called
 * before every exposition; one collector per process, NULL removes it. */
typedef void (*metrics_collect_fn)(void *user);
void metrics_set_collector(metrics_collect_fn fn, void *user);
/* Drop every series (tests, or a gauge family rebuilt by the collector). */
void metrics_reset(void);
void metric_clear(enum metric_id id);

/* Prometheus text format into buf (NUL-terminated): length, or -ENOSPC if it did not fit. */
int metrics_format_prom(char *buf, size_t len);
int metrics_write_prom(FILE *f);	/* 0 or -EIO */
/* "cfwd_calls_total{outcome=answered} 12" lines, histograms as count/sum/p-buckets. */
int metrics_write_text(FILE *f);
/* One JSON object {"cfwd_calls_total":{"outcome=answered":12},...}. */
int metrics_write_json(FILE *f);
/* Write Prometheus text to path via path.tmp and rename(2): readers never see half a
 * file. 0 or -errno. */
int metrics_write_textfile(const char *path);

#endif
