/* tests/test_metrics_http.c - cfwdd's metrics export and operations commands: a
 * Prometheus scrape over HTTP on an ephemeral loopback port (driven by loop_run_once,
 * no sleeps), 404 for other paths, the textfile written at open and at close, bad
 * [metrics] values reported by line, and the control socket's stats/log commands. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "daemon/metrics_http.h"
#include "daemon/ops_ctl.h"

struct fix {
	char dir[64];
	char textfile[128];
	struct loop *loop;
	struct conf *conf;
	struct metrics_export *mx;
};

static void step(const char *what)
{
	printf("  -- %s\n", what);
}

static int setup(void **state)
{
	static struct fix fx;
	char text[512], err[256];

	memset(&fx, 0, sizeof(fx));
	strcpy(fx.dir, "/tmp/test_metrics_http.XXXXXX");
	assert_non_null(mkdtemp(fx.dir));
	snprintf(fx.textfile, sizeof(fx.textfile), "%s/cfwd.prom", fx.dir);
	snprintf(text, sizeof(text), "[metrics]\nhttp = 127.0.0.1:0\ntextfile = %s\n"
		 "interval = 60\n", fx.textfile);
	metrics_reset();
	fx.conf = conf_load_string("test.conf", text, err, sizeof(err));
	assert_non_null(fx.conf);
	fx.loop = loop_alloc();
	assert_non_null(fx.loop);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fix *fx = *state;

	metrics_export_close(fx->mx);
	loop_free(fx->loop);
	conf_free(fx->conf);
	unlink(fx->textfile);
	rmdir(fx->dir);
	return 0;
}

/* One HTTP exchange: send req, run the loop until the server closed the connection. */
static void http_get(struct fix *fx, const char *req, char *resp, size_t len)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)metrics_export_port(fx->mx)),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t got = 0;

	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	for (int round = 0; round < 50; round++) {
		ssize_t n;

		loop_run_once(fx->loop, 20);
		while ((n = read(fd, resp + got, len - 1 - got)) > 0)
			got += (size_t)n;
		if (n == 0)
			break;	/* server closed: the whole reply is in */
	}
	resp[got] = 0;
	close(fd);
}

static void test_prometheus_scrape_over_http(void **state)
{
	struct fix *fx = *state;
	char err[256], resp[16384];

	step("cfwdd opens [metrics] http = 127.0.0.1:0 (an ephemeral port)");
	fx->mx = metrics_export_open(fx->loop, fx->conf, err, sizeof(err));
	assert_non_null(fx->mx);
	assert_true(metrics_export_port(fx->mx) > 0);
	step("Two calls answered, one forwarded on no reply");
	metric_add(METRIC_CALLS, "outcome=answered", 2);
	metric_inc(METRIC_DIVERSIONS, "reason=no_reply");
	step("Prometheus scrapes GET /metrics");
	http_get(fx, "GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n", resp, sizeof(resp));
	assert_true(!strncmp(resp, "HTTP/1.0 200 OK\r\n", 17));
	assert_non_null(strstr(resp, "Content-Type: text/plain; version=0.0.4"));
	assert_non_null(strstr(resp, "\ncfwd_calls_total{outcome=\"answered\"} 2\n"));
	assert_non_null(strstr(resp, "\ncfwd_diversions_total{reason=\"no_reply\"} 1\n"));
	step("Another path is 404, a POST is 405");
	http_get(fx, "GET /admin HTTP/1.0\r\n\r\n", resp, sizeof(resp));
	assert_true(!strncmp(resp, "HTTP/1.0 404 ", 13));
	http_get(fx, "POST /metrics HTTP/1.0\r\n\r\n", resp, sizeof(resp));
	assert_true(!strncmp(resp, "HTTP/1.0 405 ", 13));
}

static void test_textfile_written_at_open_and_at_close(void **state)
{
	struct fix *fx = *state;
	char err[256], buf[8192];
	FILE *f;
	size_t n;

	fx->mx = metrics_export_open(fx->loop, fx->conf, err, sizeof(err));
	assert_non_null(fx->mx);
	step("The textfile exists as soon as cfwdd starts");
	assert_int_equal(access(fx->textfile, R_OK), 0);
	step("A lockout, then cfwdd stops: the last values are on disk");
	metric_inc(METRIC_LOCKOUTS, NULL);
	metrics_export_close(fx->mx);
	fx->mx = NULL;
	f = fopen(fx->textfile, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	assert_non_null(strstr(buf, "\ncfwd_pin_lockouts_total 1\n"));
}

static void test_bad_metrics_address_is_reported_by_line(void **state)
{
	struct fix *fx = *state;
	char err[256];
	struct conf *c = conf_load_string("bad.conf", "[metrics]\nhttp = localhost:x\n", err,
					  sizeof(err));

	assert_non_null(c);
	step("http = localhost:x is refused with a message");
	assert_null(metrics_export_open(fx->loop, c, err, sizeof(err)));
	assert_non_null(strstr(err, "localhost:x"));
	conf_free(c);
	c = conf_load_string("bad.conf", "[metrics]\ninterval = 0\n", err, sizeof(err));
	step("interval = 0 is refused with file:line");
	assert_null(metrics_export_open(fx->loop, c, err, sizeof(err)));
	assert_non_null(strstr(err, "bad.conf:2"));
	conf_free(c);
}

static char *ctl(const char *line, bool *handled)
{
	static char *mem;
	size_t n = 0;
	FILE *f;

	free(mem);
	mem = NULL;
	f = open_memstream(&mem, &n);
	*handled = ops_ctl_handle(line, f);
	fclose(f);
	return mem;
}

static void test_stats_and_log_levels_through_the_control_socket(void **state)
{
	bool h;

	metric_inc(METRIC_CALLS, "outcome=busy");
	step("cfwdctl stats: text lines");
	assert_non_null(strstr(ctl("stats", &h), "outcome=busy"));
	assert_true(h);
	step("cfwdctl --json stats, cfwdctl stats --prom");
	assert_true(ctl("stats json", &h)[0] == '{');
	assert_non_null(strstr(ctl("stats prom", &h), "cfwd_calls_total{outcome=\"busy\"} 1"));
	step("cfwdctl log isup=debug turns on call ladders for isup at run time");
	log_set_all(LOGL_NOTICE);
	assert_false(log_enabled(DISUP, LOGL_DEBUG));
	assert_string_equal(ctl("log isup=debug", &h), "ok isup=debug\n");
	assert_true(log_enabled(DISUP, LOGL_DEBUG));
	assert_non_null(strstr(ctl("log", &h), "log isup     debug\n"));
	assert_non_null(strstr(ctl("log", &h), "log store    notice\n"));
	step("A bad spec is refused and changes nothing");
	assert_true(!strncmp(ctl("log isup=loud", &h), "error ", 6));
	assert_true(log_enabled(DISUP, LOGL_DEBUG));
	log_set_all(LOGL_NOTICE);
	step("Other commands are left to cfwdd");
	ctl("status", &h);
	assert_false(h);
}

static void test_log_lines_carry_syslog_priority_when_stderr_is_the_journal(void **state)
{
	struct fix *fx = *state;
	char path[128], env[64], buf[512];
	int saved = dup(2), fd;
	struct stat st;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/journal", fx->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0 && saved >= 0);
	step("systemd connects stderr to the journal and names it in $JOURNAL_STREAM");
	dup2(fd, 2);
	fstat(fd, &st);
	snprintf(env, sizeof(env), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", env, 1);
	ops_log_setup();
	LOGP(DSTORE, LOGL_NOTICE, "store open");
	LOGP(DSTORE, LOGL_ERROR, "disk full");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(fd);
	log_set_sink(NULL, NULL);
	unsetenv("JOURNAL_STREAM");
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	unlink(path);
	step("journald reads <5> as notice and <3> as error");
	assert_true(!strncmp(buf, "<5>", 3));
	assert_non_null(strstr(buf, "store open\n<3>"));
	assert_non_null(strstr(buf, "disk full\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prometheus_scrape_over_http, setup, teardown),
		cmocka_unit_test_setup_teardown(test_textfile_written_at_open_and_at_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_bad_metrics_address_is_reported_by_line, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_stats_and_log_levels_through_the_control_socket,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_log_lines_carry_syslog_priority_when_stderr_is_the_journal, setup,
			teardown),
	};

	return cmocka_run_group_tests_name("metrics_http", tests, NULL, NULL);
}
