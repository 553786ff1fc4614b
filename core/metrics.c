/* core/metrics.c - the metric registry (see metrics.h): one static table of series per
 * metric, looked up by label string; values updated with relaxed atomics so a DSP thread
 * may count digits, but series are created by the loop thread. Exposition walks the
 * table after running the collector. Labels are validated once, at creation, so the
 * writers never need to escape. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/metrics.h"
#include "core/util.h"

struct metric_series {
	char labels[METRIC_LABELS_LEN];
	uint64_t count;		/* counter value; histogram observation count */
	int64_t gauge;
	uint64_t sum_us;	/* histogram */
	uint64_t bucket[METRIC_HIST_BUCKETS + 1];	/* per bucket, not cumulative */
};

struct metric_def {
	const char *name;
	const char *help;
	enum metric_type type;
	bool bare;		/* no labels needed: shown as 0 before the first update */
};

static const struct metric_def defs[METRIC_COUNT] = {
	[METRIC_CALLS] = { "cfwd_calls_total", "Calls ended, by outcome.", METRIC_COUNTER },
	[METRIC_DIVERSIONS] = { "cfwd_diversions_total",
				"Calls forwarded, by diversion reason.", METRIC_COUNTER },
	[METRIC_CALLS_ACTIVE] = { "cfwd_calls_active", "Calls in progress.", METRIC_GAUGE,
				  true },
	[METRIC_IVR_SESSIONS] = { "cfwd_ivr_sessions_total",
				  "142 settings dialogues, by result.", METRIC_COUNTER },
	[METRIC_REMOTE_SESSIONS] = { "cfwd_remote_sessions_total",
				     "Remote control dialogues, by result.", METRIC_COUNTER },
	[METRIC_DTMF_DIGITS] = { "cfwd_dtmf_digits_total", "In-band DTMF digits detected.",
				 METRIC_COUNTER, true },
	[METRIC_LINK_UP] = { "cfwd_link_up", "Signalling link in service (1) or not (0).",
			     METRIC_GAUGE },
	[METRIC_CICS] = { "cfwd_cics", "Circuits per linkset and state.", METRIC_GAUGE },
	[METRIC_STORE_LATENCY] = { "cfwd_store_latency_seconds",
				   "Store transaction latency.", METRIC_HISTOGRAM },
	[METRIC_LOCKOUTS] = { "cfwd_pin_lockouts_total", "PIN lockouts started.",
			      METRIC_COUNTER, true },
	[METRIC_PIN_FAILURES] = { "cfwd_pin_failures_total", "Wrong PINs entered.",
				  METRIC_COUNTER, true },
	[METRIC_SESSIONS_ACTIVE] = { "cfwd_sessions_active",
				     "142 and remote control calls in progress.", METRIC_GAUGE,
				     true },
	[METRIC_SESSIONS_ENDED] = { "cfwd_sessions_ended_total",
				    "142 and remote control calls ended, by who ended them.",
				    METRIC_COUNTER },
	[METRIC_STORE_WRITES] = { "cfwd_store_writes_total",
				  "Store changes of 142 and remote control (made off the event "
				  "loop), by result; lock_timeout: no write lock within the bound, "
				  "nothing written.",
				  METRIC_COUNTER },
};

/* Histogram upper bounds in microseconds (0.5 ms .. 1 s), then +Inf. */
static const uint64_t bucket_us[METRIC_HIST_BUCKETS] = {
	500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 1000000,
};

static struct metric_series table[METRIC_COUNT][METRIC_MAX_SERIES];
static unsigned nseries[METRIC_COUNT];
static uint64_t dropped;
static metrics_collect_fn collector;
static void *collector_user;

const char *metric_name(enum metric_id id)
{
	return id < METRIC_COUNT ? defs[id].name : "unknown";
}

enum metric_type metric_type(enum metric_id id)
{
	return defs[id].type;
}

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

static bool value_char(char c)
{
	return c > ' ' && c < 127 && c != ',' && c != '=' && c != '"' && c != '\\' &&
	       c != '{' && c != '}';
}

/* "k=v,k=v": names [A-Za-z_][A-Za-z0-9_]*, values non-empty without , = " \ { } or
 * blanks. "" is the empty set. */
static bool labels_valid(const char *l)
{
	while (*l) {
		const char *p = l;

		while (name_char(*p, p == l))
			p++;
		if (p == l || *p != '=')
			return false;
		l = ++p;
		while (value_char(*p))
			p++;
		if (p == l || (*p && *p != ','))
			return false;
		l = *p ? p + 1 : p;
		if (p[0] == ',' && !*l)
			return false;
	}
	return true;
}

struct metric_series *metric_series(enum metric_id id, const char *labels)
{
	struct metric_series *s;

	if (!labels)
		labels = "";
	if (id >= METRIC_COUNT)
		return NULL;
	for (unsigned i = 0; i < nseries[id]; i++)
		if (!strcmp(table[id][i].labels, labels))
			return &table[id][i];
	if (strlen(labels) >= METRIC_LABELS_LEN || !labels_valid(labels) ||
	    nseries[id] == METRIC_MAX_SERIES) {
		__atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
		return NULL;
	}
	s = &table[id][nseries[id]++];
	memset(s, 0, sizeof(*s));
	str_copy(s->labels, labels, sizeof(s->labels));
	return s;
}

void metric_series_add(struct metric_series *s, uint64_t n)
{
	if (s)
		__atomic_add_fetch(&s->count, n, __ATOMIC_RELAXED);
}

void metric_series_set(struct metric_series *s, int64_t v)
{
	if (s)
		__atomic_store_n(&s->gauge, v, __ATOMIC_RELAXED);
}

void metric_series_gauge_add(struct metric_series *s, int64_t d)
{
	if (s)
		__atomic_add_fetch(&s->gauge, d, __ATOMIC_RELAXED);
}

void metric_series_observe_us(struct metric_series *s, uint64_t us)
{
	unsigned b = 0;

	if (!s)
		return;
	while (b < METRIC_HIST_BUCKETS && us > bucket_us[b])
		b++;
	__atomic_add_fetch(&s->bucket[b], 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->sum_us, us, __ATOMIC_RELAXED);
	__atomic_add_fetch(&s->count, 1, __ATOMIC_RELAXED);
}

static struct metric_series *series_of(enum metric_id id, const char *labels,
				       enum metric_type want, int *rc)
{
	struct metric_series *s;

	*rc = 0;
	if (id >= METRIC_COUNT || defs[id].type != want) {
		*rc = -EINVAL;
		return NULL;
	}
	s = metric_series(id, labels);
	if (!s)
		*rc = nseries[id] == METRIC_MAX_SERIES ? -ENOSPC : -EINVAL;
	return s;
}

int metric_add(enum metric_id id, const char *labels, uint64_t n)
{
	int rc;

	metric_series_add(series_of(id, labels, METRIC_COUNTER, &rc), n);
	return rc;
}

int metric_inc(enum metric_id id, const char *labels)
{
	return metric_add(id, labels, 1);
}

int metric_set(enum metric_id id, const char *labels, int64_t v)
{
	int rc;

	metric_series_set(series_of(id, labels, METRIC_GAUGE, &rc), v);
	return rc;
}

int metric_observe_us(enum metric_id id, const char *labels, uint64_t us)
{
	int rc;

	metric_series_observe_us(series_of(id, labels, METRIC_HISTOGRAM, &rc), us);
	return rc;
}

int metric_mirror(enum metric_id id, const char *labels, uint64_t v)
{
	int rc;
	struct metric_series *s = series_of(id, labels, METRIC_COUNTER, &rc);

	if (s)
		__atomic_store_n(&s->count, v, __ATOMIC_RELAXED);
	return rc;
}

int64_t metric_value(enum metric_id id, const char *labels)
{
	if (!labels)
		labels = "";
	if (id >= METRIC_COUNT)
		return 0;
	for (unsigned i = 0; i < nseries[id]; i++) {
		const struct metric_series *s = &table[id][i];

		if (strcmp(s->labels, labels))
			continue;
		if (defs[id].type == METRIC_GAUGE)
			return __atomic_load_n(&s->gauge, __ATOMIC_RELAXED);
		return (int64_t)__atomic_load_n(&s->count, __ATOMIC_RELAXED);
	}
	return 0;
}

void metrics_set_collector(metrics_collect_fn fn, void *user)
{
	collector = fn;
	collector_user = user;
}

void metric_clear(enum metric_id id)
{
	if (id < METRIC_COUNT)
		nseries[id] = 0;
}

void metrics_reset(void)
{
	for (unsigned i = 0; i < METRIC_COUNT; i++)
		nseries[i] = 0;
	dropped = 0;
}

static void collect(void)
{
	if (collector)
		collector(collector_user);
}

/* {k="v",k="v"} from "k=v,k=v" plus an optional extra pair (le for buckets). */
static void prom_labels(FILE *f, const char *l, const char *extra_k, const char *extra_v)
{
	bool first = true;

	if (!*l && !extra_k)
		return;
	fputc('{', f);
	while (*l) {
		size_t k = strcspn(l, "="), v = strcspn(l + k + 1, ",");

		fprintf(f, "%s%.*s=\"%.*s\"", first ? "" : ",", (int)k, l, (int)v, l + k + 1);
		first = false;
		l += k + 1 + v;
		l += *l == ',';
	}
	if (extra_k)
		fprintf(f, "%s%s=\"%s\"", first ? "" : ",", extra_k, extra_v);
	fputc('}', f);
}

static void prom_histogram(FILE *f, const char *name, const struct metric_series *s)
{
	uint64_t cum = 0;
	char le[32];

	for (unsigned b = 0; b <= METRIC_HIST_BUCKETS; b++) {
		cum += __atomic_load_n(&s->bucket[b], __ATOMIC_RELAXED);
		if (b < METRIC_HIST_BUCKETS)
			snprintf(le, sizeof(le), "%g", (double)bucket_us[b] / 1e6);
		else
			strcpy(le, "+Inf");
		fprintf(f, "%s_bucket", name);
		prom_labels(f, s->labels, "le", le);
		fprintf(f, " %llu\n", (unsigned long long)cum);
	}
	fprintf(f, "%s_sum", name);
	prom_labels(f, s->labels, NULL, NULL);
	fprintf(f, " %.6f\n", (double)s->sum_us / 1e6);
	fprintf(f, "%s_count", name);
	prom_labels(f, s->labels, NULL, NULL);
	fprintf(f, " %llu\n", (unsigned long long)s->count);
}

static const char *const type_names[] = { "counter", "gauge", "histogram" };

int metrics_write_prom(FILE *f)
{
	collect();
	for (unsigned id = 0; id < METRIC_COUNT; id++) {
		const struct metric_def *d = &defs[id];

		fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", d->name, d->help, d->name,
			type_names[d->type]);
		if (!nseries[id] && d->bare)
			fprintf(f, "%s 0\n", d->name);
		for (unsigned i = 0; i < nseries[id]; i++) {
			const struct metric_series *s = &table[id][i];

			if (d->type == METRIC_HISTOGRAM) {
				prom_histogram(f, d->name, s);
				continue;
			}
			fputs(d->name, f);
			prom_labels(f, s->labels, NULL, NULL);
			if (d->type == METRIC_GAUGE)
				fprintf(f, " %lld\n", (long long)s->gauge);
			else
				fprintf(f, " %llu\n", (unsigned long long)s->count);
		}
	}
	fprintf(f, "# HELP cfwd_metrics_dropped_total Updates lost: bad labels or full "
		   "table.\n# TYPE cfwd_metrics_dropped_total counter\n"
		   "cfwd_metrics_dropped_total %llu\n",
		(unsigned long long)dropped);
	return ferror(f) ? -EIO : 0;
}

int metrics_format_prom(char *buf, size_t len)
{
	char *mem = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&mem, &n);
	int rc;

	if (!f)
		return -ENOMEM;
	rc = metrics_write_prom(f);
	if (fclose(f) != 0 && !rc)
		rc = -EIO;
	if (!rc && n + 1 > len)
		rc = -ENOSPC;
	if (!rc) {
		memcpy(buf, mem, n + 1);
		rc = (int)n;
	}
	free(mem);
	return rc;
}

/* Upper bound (ms) of the bucket holding quantile q: "p99<=5ms" reads at a glance. */
static double hist_quantile_ms(const struct metric_series *s, double q)
{
	uint64_t want = (uint64_t)((double)s->count * q + 0.999999), cum = 0;

	for (unsigned b = 0; b < METRIC_HIST_BUCKETS; b++) {
		cum += s->bucket[b];
		if (cum >= want)
			return (double)bucket_us[b] / 1000.0;
	}
	return -1.0;	/* above the last bound */
}

static void text_series(FILE *f, enum metric_type t, const struct metric_series *s)
{
	const char *l = *s->labels ? s->labels : "-";

	if (t == METRIC_GAUGE) {
		fprintf(f, "  %-32s %lld\n", l, (long long)s->gauge);
	} else if (t == METRIC_COUNTER) {
		fprintf(f, "  %-32s %llu\n", l, (unsigned long long)s->count);
	} else {
		double p50 = hist_quantile_ms(s, 0.5), p99 = hist_quantile_ms(s, 0.99);

		fprintf(f, "  %-32s n=%llu avg=%.2fms", l, (unsigned long long)s->count,
			s->count ? (double)s->sum_us / 1000.0 / (double)s->count : 0.0);
		if (s->count)
			fprintf(f, " p50<=%s%gms p99<=%s%gms", p50 < 0 ? ">" : "",
				p50 < 0 ? 1000.0 : p50, p99 < 0 ? ">" : "",
				p99 < 0 ? 1000.0 : p99);
		fputc('\n', f);
	}
}

int metrics_write_text(FILE *f)
{
	collect();
	for (unsigned id = 0; id < METRIC_COUNT; id++) {
		const struct metric_def *d = &defs[id];

		fprintf(f, "%s (%s)\n", d->name, type_names[d->type]);
		if (!nseries[id])
			fprintf(f, "  %-32s %s\n", "-", d->bare ? "0" : "(none yet)");
		for (unsigned i = 0; i < nseries[id]; i++)
			text_series(f, d->type, &table[id][i]);
	}
	if (dropped)
		fprintf(f, "cfwd_metrics_dropped_total %llu\n", (unsigned long long)dropped);
	return ferror(f) ? -EIO : 0;
}

int metrics_write_json(FILE *f)
{
	collect();
	fputc('{', f);
	for (unsigned id = 0; id < METRIC_COUNT; id++) {
		const struct metric_def *d = &defs[id];

		fprintf(f, "%s\"%s\":{", id ? "," : "", d->name);
		if (!nseries[id] && d->bare)
			fputs("\"\":0", f);
		for (unsigned i = 0; i < nseries[id]; i++) {
			const struct metric_series *s = &table[id][i];

			fprintf(f, "%s\"%s\":", i ? "," : "", s->labels);
			if (d->type == METRIC_GAUGE)
				fprintf(f, "%lld", (long long)s->gauge);
			else if (d->type == METRIC_COUNTER)
				fprintf(f, "%llu", (unsigned long long)s->count);
			else
				fprintf(f, "{\"count\":%llu,\"sum_s\":%.6f}",
					(unsigned long long)s->count, (double)s->sum_us / 1e6);
		}
		fputc('}', f);
	}
	fprintf(f, ",\"cfwd_metrics_dropped_total\":%llu}\n", (unsigned long long)dropped);
	return ferror(f) ? -EIO : 0;
}

int metrics_write_textfile(const char *path)
{
	char tmp[4096];
	FILE *f;
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	rc = metrics_write_prom(f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = rc ? rc : -errno;
	if (fclose(f) != 0 && !rc)
		rc = -EIO;
	if (!rc && rename(tmp, path) < 0)
		rc = -errno;
	if (rc)
		unlink(tmp);
	return rc;
}
