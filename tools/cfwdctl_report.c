/* tools/cfwdctl_report.c - `cfwdctl report --html FILE [--days N]`: a static HTML page
 * with inline SVG charts over the last N whole days (local time, TZ) of the store:
 * answered calls per
 * hour by outcome (direct, forwarded, remote control) from the billing records, the
 * forwarded share per day, and 142 use (changes made through 142, from the audit log)
 * per hour of day. Billing records exist for answered calls only, so unanswered calls
 * are not shown; no number or PIN appears on the page, only counts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/util.h"
#include "feature/cfwd/billing.h"
#include "tools/cfwdctl.h"

#define REPORT_MAX_DAYS 31
#define REPORT_HOURS (REPORT_MAX_DAYS * 24)

enum { OUT_DIRECT, OUT_FORWARDED, OUT_REMOTE, OUT_COUNT };

static const struct {
	const char *name, *color;
} outcomes[OUT_COUNT] = {
	[OUT_DIRECT] = { "answered, not forwarded", "#4e79a7" },
	[OUT_FORWARDED] = { "answered, forwarded", "#f28e2b" },
	[OUT_REMOTE] = { "remote control", "#59a14f" },
};

struct report {
	long off;			/* local time - UTC, s (TZ at the window's end) */
	char zone[16];			/* its name, e.g. "JST" */
	time_t end;			/* local seconds, exclusive, on a midnight */
	unsigned hours;
	time_t latest;			/* newest record seen (first pass) */
	unsigned per_hour[REPORT_HOURS][OUT_COUNT];
	unsigned calls_142[24];		/* audit rows by 142, per hour of day */
	unsigned total[OUT_COUNT], total_142;
};

static int scan_cdr_latest(void *user, const struct billing_record *r)
{
	struct report *rp = user;

	if (r->start_s > rp->latest)
		rp->latest = r->start_s;
	return 0;
}

static int scan_audit_latest(void *user, const struct store_audit *a)
{
	struct report *rp = user;

	if (a->who == STORE_WHO_142 && a->when > rp->latest)
		rp->latest = a->when;
	return 0;
}

/* Hour bucket of t (UTC seconds), or -1 outside the window. */
static int hour_of(const struct report *rp, time_t t)
{
	time_t start = rp->end - (time_t)rp->hours * 3600;

	t += rp->off;
	if (t < start || t >= rp->end)
		return -1;
	return (int)((t - start) / 3600);
}

/* A call's caller leg counts as answered; its forward leg moves it to "forwarded". */
static int add_cdr(void *user, const struct billing_record *r)
{
	struct report *rp = user;
	int h = hour_of(rp, r->start_s);

	if (h < 0)
		return 0;
	if (r->leg == BILLING_LEG_REMOTE) {
		rp->per_hour[h][OUT_REMOTE]++;
	} else if (r->leg == BILLING_LEG_FORWARD) {
		rp->per_hour[h][OUT_FORWARDED]++;
		if (rp->per_hour[h][OUT_DIRECT])
			rp->per_hour[h][OUT_DIRECT]--;
	} else if (r->leg == BILLING_LEG_CALLER) {
		rp->per_hour[h][OUT_DIRECT]++;
	}
	return 0;
}

static int add_audit(void *user, const struct store_audit *a)
{
	struct report *rp = user;

	if (a->who == STORE_WHO_142 && hour_of(rp, a->when) >= 0) {
		rp->calls_142[((a->when + rp->off) / 3600) % 24]++;
		rp->total_142++;
	}
	return 0;
}

/* Window end: the local midnight after the newest record (or after now on an empty
 * store), so a report of last month's store still shows last month, in whole days. The
 * UTC offset is the one at that time (no DST change inside a window is handled). */
static void report_window(struct report *rp, unsigned days)
{
	time_t t = rp->latest ? rp->latest : clock_wall_s();
	struct tm tm;

	localtime_r(&t, &tm);
	rp->off = tm.tm_gmtoff;
	str_copy(rp->zone, tm.tm_zone ? tm.tm_zone : "UTC", sizeof(rp->zone));
	rp->end = ((t + rp->off) / 86400 + 1) * 86400;
	rp->hours = days * 24;
}

static int report_collect(struct store *st, struct report *rp, unsigned days)
{
	int rc = store_cdr_foreach(st, scan_cdr_latest, rp);

	if (!rc)
		rc = store_audit_foreach(st, NULL, scan_audit_latest, rp);
	if (rc)
		return rc;
	report_window(rp, days);
	rc = store_cdr_foreach(st, add_cdr, rp);
	if (!rc)
		rc = store_audit_foreach(st, NULL, add_audit, rp);
	for (unsigned h = 0; h < rp->hours; h++)
		for (unsigned o = 0; o < OUT_COUNT; o++)
			rp->total[o] += rp->per_hour[h][o];
	return rc;
}

/* Axis maximum: 4 grid steps of 1, 2 or 5 x 10^k, the smallest that holds v. */
static unsigned nice_max(unsigned v)
{
	static const unsigned step[3] = { 1, 2, 5 };

	for (unsigned mag = 1;; mag *= 10)
		for (unsigned i = 0; i < 3; i++)
			if (4 * step[i] * mag >= v)
				return 4 * step[i] * mag;
}

static void html_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

#define W 960
#define H 240
#define ML 48	/* left margin: y labels */
#define MB 28	/* bottom margin: x labels */
#define MT 12

static void svg_open(FILE *f, const char *id, const char *title, unsigned ymax)
{
	fprintf(f, "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		   "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">\n<title>%s</title>\n",
		id, W, H, W, H, title);
	for (unsigned i = 0; i <= 4; i++) {
		double y = MT + (H - MT - MB) * (1.0 - i / 4.0);

		fprintf(f, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>"
			   "<text class=\"ylab\" x=\"%d\" y=\"%.1f\">%g</text>\n",
			ML, W - 8, y, y, ML - 6, y + 4, ymax * i / 4.0);
	}
}

static double bar_h(unsigned v, unsigned ymax)
{
	return (double)(H - MT - MB) * v / (ymax ? ymax : 1);
}

static void chart_calls_per_hour(FILE *f, const struct report *rp)
{
	double bw = (double)(W - ML - 8) / rp->hours;
	unsigned ymax = 0;

	for (unsigned h = 0; h < rp->hours; h++) {
		unsigned sum = 0;

		for (unsigned o = 0; o < OUT_COUNT; o++)
			sum += rp->per_hour[h][o];
		ymax = sum > ymax ? sum : ymax;
	}
	ymax = nice_max(ymax);
	svg_open(f, "calls-per-hour", "Answered calls per hour by outcome", ymax);
	for (unsigned h = 0; h < rp->hours; h++) {
		double y = H - MB;
		time_t t = rp->end - (time_t)(rp->hours - h) * 3600;
		struct tm tm;

		gmtime_r(&t, &tm);
		if (tm.tm_hour == 0)
			fprintf(f, "<text class=\"xlab\" x=\"%.1f\" y=\"%d\">%02d-%02d</text>\n",
				ML + h * bw, H - 8, tm.tm_mon + 1, tm.tm_mday);
		for (unsigned o = 0; o < OUT_COUNT; o++) {
			unsigned v = rp->per_hour[h][o];

			if (!v)
				continue;
			y -= bar_h(v, ymax);
			fprintf(f, "<rect class=\"o%u\" data-hour=\"%u\" data-n=\"%u\" x=\"%.1f\" "
				   "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
				   "<title>%02d:00 %s: %u</title></rect>\n",
				o, h, v, ML + h * bw, y, bw > 2 ? bw - 1 : bw, bar_h(v, ymax),
				outcomes[o].color, tm.tm_hour, outcomes[o].name, v);
		}
	}
	fputs("</svg>\n", f);
}

static void chart_forward_share(FILE *f, const struct report *rp)
{
	unsigned days = rp->hours / 24;
	double bw = (double)(W - ML - 8) / days;

	svg_open(f, "forward-share", "Forwarded share of answered calls per day (%)", 100);
	for (unsigned d = 0; d < days; d++) {
		unsigned fw = 0, all = 0, pct;
		time_t t = rp->end - (time_t)(days - d) * 86400;
		struct tm tm;

		for (unsigned h = d * 24; h < d * 24 + 24; h++) {
			fw += rp->per_hour[h][OUT_FORWARDED];
			all += rp->per_hour[h][OUT_FORWARDED] + rp->per_hour[h][OUT_DIRECT];
		}
		gmtime_r(&t, &tm);
		fprintf(f, "<text class=\"xlab\" x=\"%.1f\" y=\"%d\">%02d-%02d</text>\n",
			ML + d * bw + bw / 2 - 16, H - 8, tm.tm_mon + 1, tm.tm_mday);
		if (!all)
			continue;
		pct = (fw * 100 + all / 2) / all;
		fprintf(f, "<rect class=\"share\" data-day=\"%u\" data-pct=\"%u\" x=\"%.1f\" "
			   "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%u of %u "
			   "(%u%%)</title></rect>\n<text class=\"val\" x=\"%.1f\" y=\"%.1f\">%u%%"
			   "</text>\n", d, pct, ML + d * bw + 2, H - MB - bar_h(pct, 100), bw - 4,
			bar_h(pct, 100), outcomes[OUT_FORWARDED].color, fw, all, pct,
			ML + d * bw + bw / 2 - 10, H - MB - bar_h(pct, 100) - 4, pct);
	}
	fputs("</svg>\n", f);
}

static void chart_142(FILE *f, const struct report *rp)
{
	double bw = (double)(W - ML - 8) / 24;
	unsigned ymax = 0;

	for (unsigned h = 0; h < 24; h++)
		ymax = rp->calls_142[h] > ymax ? rp->calls_142[h] : ymax;
	ymax = nice_max(ymax);
	svg_open(f, "use-142", "Changes made through 142, by hour of day", ymax);
	for (unsigned h = 0; h < 24; h++) {
		unsigned v = rp->calls_142[h];

		fprintf(f, "<text class=\"xlab\" x=\"%.1f\" y=\"%d\">%02u</text>\n",
			ML + h * bw + bw / 2 - 7, H - 8, h);
		if (v)
			fprintf(f, "<rect class=\"u142\" data-hour=\"%u\" data-n=\"%u\" x=\"%.1f\" "
				   "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#76b7b2\">"
				   "<title>%02u:00: %u</title></rect>\n", h, v, ML + h * bw + 2,
				H - MB - bar_h(v, ymax), bw - 4, bar_h(v, ymax), h, v);
	}
	fputs("</svg>\n", f);
}

static const char style[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}"
	"h1{font-size:20px}h2{font-size:16px;margin-top:28px}"
	"table{border-collapse:collapse}td,th{padding:2px 12px;text-align:right}"
	"th:first-child,td:first-child{text-align:left}"
	".grid{stroke:#ddd}.ylab{font-size:11px;text-anchor:end;fill:#666}"
	".xlab,.val{font-size:11px;fill:#444}.key{display:inline-block;width:12px;"
	"height:12px;margin:0 4px 0 16px;vertical-align:middle}";

static void report_html(FILE *f, const struct report *rp, const char *db)
{
	time_t start = rp->end - (time_t)rp->hours * 3600;
	unsigned answered = rp->total[OUT_DIRECT] + rp->total[OUT_FORWARDED];
	char from[32], to[32];
	struct tm tm;

	strftime(from, sizeof(from), "%Y-%m-%d %H:00", gmtime_r(&start, &tm));
	strftime(to, sizeof(to), "%Y-%m-%d %H:00", gmtime_r(&rp->end, &tm));
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<title>cfwd report %s</title>\n<style>%s</style></head><body>\n"
		   "<h1>Call forwarding report, %s to %s %s</h1>\n<table>\n"
		   "<tr><th>outcome</th><th>calls</th></tr>\n", to, style, from, to, rp->zone);
	for (unsigned o = 0; o < OUT_COUNT; o++)
		fprintf(f, "<tr><td>%s</td><td id=\"total-o%u\">%u</td></tr>\n",
			outcomes[o].name, o, rp->total[o]);
	fprintf(f, "<tr><td>forwarded share</td><td id=\"share\">%u%%</td></tr>\n"
		   "<tr><td>changes through 142</td><td id=\"total-142\">%u</td></tr>\n"
		   "</table>\n<h2>Answered calls per hour</h2><p>",
		answered ? (rp->total[OUT_FORWARDED] * 100 + answered / 2) / answered : 0,
		rp->total_142);
	for (unsigned o = 0; o < OUT_COUNT; o++)
		fprintf(f, "<span class=\"key\" style=\"background:%s\"></span>%s",
			outcomes[o].color, outcomes[o].name);
	fputs("</p>\n", f);
	chart_calls_per_hour(f, rp);
	fputs("<h2>Forwarded share per day</h2>\n", f);
	chart_forward_share(f, rp);
	fputs("<h2>142 use</h2>\n", f);
	chart_142(f, rp);
	fputs("<p><small>From the billing records (answered calls only) and the audit log of ",
	      f);
	html_esc(f, db);
	fputs(", by cfwdctl report.</small></p>\n</body></html>\n", f);
}

int cfwdctl_report_main(struct cfwdctl *ctx, int argc, char **argv)
{
	struct cfwdctl_args a;
	const char *path, *days_s;
	struct report *rp;
	struct store *st;
	char *end;
	long days = 7;
	FILE *f;
	int rc = cfwdctl_args_parse(ctx, argc, argv, "html: days:", &a);

	if (rc)
		return rc;
	path = cfwdctl_arg(&a, "html");
	days_s = cfwdctl_arg(&a, "days");
	if (!path || a.npos)
		return cfwdctl_err(ctx, CFWDCTL_BAD, "usage: report --html FILE [--days N]");
	if (days_s) {
		days = strtol(days_s, &end, 10);
		if (*end || end == days_s || days < 1 || days > REPORT_MAX_DAYS)
			return cfwdctl_err(ctx, CFWDCTL_BAD, "--days: 1..%d", REPORT_MAX_DAYS);
	}
	st = cfwdctl_store(ctx);
	if (!st)
		return CFWDCTL_FAIL;
	rp = calloc(1, sizeof(*rp));
	if (!rp)
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "out of memory");
	rc = report_collect(st, rp, (unsigned)days);
	if (rc) {
		free(rp);
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "reading the store: %s", strerror(-rc));
	}
	f = fopen(path, "w");
	if (!f) {
		rc = -errno;
		free(rp);
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "%s: %s", path, strerror(-rc));
	}
	report_html(f, rp, ctx->db_path);
	rc = ferror(f) | fclose(f);
	if (!rc && ctx->json)
		fprintf(ctx->out, "{\"ok\":true,\"html\":\"%s\",\"direct\":%u,\"forwarded\":%u,"
			"\"remote\":%u,\"changes_142\":%u}\n", path, rp->total[OUT_DIRECT],
			rp->total[OUT_FORWARDED], rp->total[OUT_REMOTE], rp->total_142);
	free(rp);
	if (rc)
		return cfwdctl_err(ctx, CFWDCTL_FAIL, "%s: write failed", path);
	return CFWDCTL_OK;
}
