/* tests/test_metrics.c - the metric registry (core/metrics.h): counters by label set,
 * gauges refreshed by a collector, the store latency histogram, what a Prometheus
 * scraper reads (exact sample lines, cumulative buckets), refused label sets, a full
 * table, and the atomically renamed textfile. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/metrics.h"

static char prom[16384];

static void step(const char *what)
{
	printf("  -- %s\n", what);
}

static int setup(void **state)
{
	metrics_reset();
	metrics_set_collector(NULL, NULL);
	return 0;
}

static const char *scrape(void)
{
	int n = metrics_format_prom(prom, sizeof(prom));

	assert_true(n > 0);
	assert_int_equal(strlen(prom), (size_t)n);
	return prom;
}

static void assert_line(const char *text, const char *line)
{
	char want[256];

	snprintf(want, sizeof(want), "\n%s\n", line);
	if (!strstr(text, want) && strncmp(text, want + 1, strlen(want + 1))) {
		print_error("missing line '%s' in:\n%s\n", line, text);
		fail();
	}
}

static void test_calls_counted_by_outcome_and_diversion_reason(void **state)
{
	step("Two calls answered, one busy; one of them forwarded on busy");
	assert_int_equal(metric_inc(METRIC_CALLS, "outcome=answered"), 0);
	assert_int_equal(metric_inc(METRIC_CALLS, "outcome=answered"), 0);
	assert_int_equal(metric_inc(METRIC_CALLS, "outcome=busy"), 0);
	assert_int_equal(metric_inc(METRIC_DIVERSIONS, "reason=busy"), 0);

	step("The registry reads back per label set");
	assert_int_equal(metric_value(METRIC_CALLS, "outcome=answered"), 2);
	assert_int_equal(metric_value(METRIC_CALLS, "outcome=busy"), 1);
	assert_int_equal(metric_value(METRIC_CALLS, "outcome=no_answer"), 0);

	step("A scraper reads quoted labels, TYPE and HELP");
	scrape();
	assert_line(prom, "# TYPE cfwd_calls_total counter");
	assert_line(prom, "cfwd_calls_total{outcome=\"answered\"} 2");
	assert_line(prom, "cfwd_calls_total{outcome=\"busy\"} 1");
	assert_line(prom, "cfwd_diversions_total{reason=\"busy\"} 1");
	step("Unlabelled counters read 0 before the first digit");
	assert_line(prom, "cfwd_dtmf_digits_total 0");
	assert_line(prom, "cfwd_metrics_dropped_total 0");
}

static void test_handle_resolved_once_counts_on_the_hot_path(void **state)
{
	struct metric_series *digits = metric_series(METRIC_DTMF_DIGITS, NULL);

	step("The DTMF bank resolves its handle once and counts 1000 digits");
	assert_non_null(digits);
	assert_ptr_equal(metric_series(METRIC_DTMF_DIGITS, ""), digits);
	for (int i = 0; i < 1000; i++)
		metric_series_add(digits, 1);
	assert_int_equal(metric_value(METRIC_DTMF_DIGITS, NULL), 1000);
	assert_line(scrape(), "cfwd_dtmf_digits_total 1000");
	step("A NULL handle (dropped series) is a harmless no-op");
	metric_series_add(NULL, 1);
	metric_series_set(NULL, 1);
	metric_series_observe_us(NULL, 1);
}

struct fake_node {
	int link_up[2];
	int idle, busy;
};

static void collect_node(void *user)
{
	struct fake_node *n = user;

	metric_set(METRIC_LINK_UP, "link=tokyo", n->link_up[0]);
	metric_set(METRIC_LINK_UP, "link=osaka", n->link_up[1]);
	metric_set(METRIC_CICS, "linkset=tokyo,state=idle", n->idle);
	metric_set(METRIC_CICS, "linkset=tokyo,state=busy", n->busy);
}

static void test_link_and_cic_gauges_refreshed_by_the_collector_at_each_scrape(void **state)
{
	struct fake_node n = { { 1, 0 }, 29, 1 };

	metrics_set_collector(collect_node, &n);
	step("Link tokyo up, osaka down; 29 CICs idle, 1 busy");
	scrape();
	assert_line(prom, "cfwd_link_up{link=\"tokyo\"} 1");
	assert_line(prom, "cfwd_link_up{link=\"osaka\"} 0");
	assert_line(prom, "cfwd_cics{linkset=\"tokyo\",state=\"idle\"} 29");
	assert_line(prom, "# TYPE cfwd_cics gauge");

	step("osaka comes up, a second call seizes a CIC: the next scrape shows it");
	n.link_up[1] = 1;
	n.idle = 28;
	n.busy = 2;
	scrape();
	assert_line(prom, "cfwd_link_up{link=\"osaka\"} 1");
	assert_line(prom, "cfwd_cics{linkset=\"tokyo\",state=\"busy\"} 2");
	metrics_set_collector(NULL, NULL);
}

static void collect_calls(void *user)
{
	const uint64_t *answered = user;

	metric_mirror(METRIC_CALLS, "outcome=answered", *answered);
}

static void test_counter_kept_by_its_module_is_mirrored_at_each_scrape(void **state)
{
	uint64_t answered = 7;

	metrics_set_collector(collect_calls, &answered);
	step("isup counted 7 answered calls; the scrape copies its statistics");
	assert_line(scrape(), "cfwd_calls_total{outcome=\"answered\"} 7");
	answered = 9;
	assert_line(scrape(), "cfwd_calls_total{outcome=\"answered\"} 9");
	step("Only counters are mirrored");
	assert_int_equal(metric_mirror(METRIC_LINK_UP, "link=a", 1), -EINVAL);
	metrics_set_collector(NULL, NULL);
}

static void test_store_latency_histogram_buckets_are_cumulative(void **state)
{
	step("Store reads of 0.3 ms, 0.8 ms, 4 ms and 2 s");
	metric_observe_us(METRIC_STORE_LATENCY, "op=read", 300);
	metric_observe_us(METRIC_STORE_LATENCY, "op=read", 800);
	metric_observe_us(METRIC_STORE_LATENCY, "op=read", 4000);
	metric_observe_us(METRIC_STORE_LATENCY, "op=read", 2000000);
	scrape();
	assert_line(prom, "# TYPE cfwd_store_latency_seconds histogram");
	assert_line(prom, "cfwd_store_latency_seconds_bucket{op=\"read\",le=\"0.0005\"} 1");
	assert_line(prom, "cfwd_store_latency_seconds_bucket{op=\"read\",le=\"0.001\"} 2");
	assert_line(prom, "cfwd_store_latency_seconds_bucket{op=\"read\",le=\"0.005\"} 3");
	assert_line(prom, "cfwd_store_latency_seconds_bucket{op=\"read\",le=\"1\"} 3");
	assert_line(prom, "cfwd_store_latency_seconds_bucket{op=\"read\",le=\"+Inf\"} 4");
	assert_line(prom, "cfwd_store_latency_seconds_sum{op=\"read\"} 2.005100");
	assert_line(prom, "cfwd_store_latency_seconds_count{op=\"read\"} 4");
	assert_int_equal(metric_value(METRIC_STORE_LATENCY, "op=read"), 4);
}

static void test_malformed_labels_and_wrong_type_are_refused_and_counted(void **state)
{
	step("Label sets a scraper could not parse are refused");
	assert_int_equal(metric_inc(METRIC_CALLS, "outcome"), -EINVAL);
	assert_int_equal(metric_inc(METRIC_CALLS, "outcome="), -EINVAL);
	assert_int_equal(metric_inc(METRIC_CALLS, "9x=a"), -EINVAL);
	assert_int_equal(metric_inc(METRIC_CALLS, "a=\"b\""), -EINVAL);
	assert_int_equal(metric_inc(METRIC_CALLS, "a=b,"), -EINVAL);
	assert_int_equal(metric_inc(METRIC_CALLS, "a=b c"), -EINVAL);
	step("A gauge is not incremented, a counter not set");
	assert_int_equal(metric_set(METRIC_CALLS, "outcome=busy", 3), -EINVAL);
	assert_int_equal(metric_inc(METRIC_LINK_UP, "link=x"), -EINVAL);
	step("Two labels are fine");
	assert_int_equal(metric_set(METRIC_CICS, "linkset=a_1,state=blocked", 2), 0);
	assert_line(scrape(), "cfwd_metrics_dropped_total 6");
}

static void test_full_table_drops_new_series_but_keeps_old_ones(void **state)
{
	char l[32];

	step("32 diversion reasons fill the table");
	for (int i = 0; i < METRIC_MAX_SERIES; i++) {
		snprintf(l, sizeof(l), "reason=r%d", i);
		assert_int_equal(metric_inc(METRIC_DIVERSIONS, l), 0);
	}
	step("The 33rd is dropped; the first still counts");
	assert_int_equal(metric_inc(METRIC_DIVERSIONS, "reason=extra"), -ENOSPC);
	assert_int_equal(metric_inc(METRIC_DIVERSIONS, "reason=r0"), 0);
	assert_int_equal(metric_value(METRIC_DIVERSIONS, "reason=r0"), 2);
	step("A buffer too small for the page is refused, not truncated");
	assert_int_equal(metrics_format_prom(prom, 100), -ENOSPC);
}

static void test_textfile_is_replaced_whole(void **state)
{
	char dir[] = "/tmp/test_metrics.XXXXXX", path[128], tmp[140], buf[8192];
	FILE *f;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cfwd.prom", dir);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	step("Three lockouts, textfile written for node_exporter");
	metric_add(METRIC_LOCKOUTS, NULL, 3);
	assert_int_equal(metrics_write_textfile(path), 0);
	assert_int_equal(access(tmp, F_OK), -1);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	assert_line(buf, "cfwd_pin_lockouts_total 3");
	step("An unwritable directory gives -errno and leaves no temp file");
	assert_int_equal(metrics_write_textfile("/nonexistent-dir/cfwd.prom"), -ENOENT);
	unlink(path);
	rmdir(dir);
}

static void test_text_and_json_for_cfwdctl_stats(void **state)
{
	char *mem = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&mem, &n);

	metric_inc(METRIC_CALLS, "outcome=answered");
	metric_observe_us(METRIC_STORE_LATENCY, "op=write", 1500);
	step("cfwdctl stats: one header per metric, a line per label set");
	assert_int_equal(metrics_write_text(f), 0);
	fflush(f);
	assert_non_null(strstr(mem, "cfwd_calls_total (counter)\n  outcome=answered"));
	assert_non_null(strstr(mem, "n=1 avg=1.50ms p50<=2.5ms p99<=2.5ms"));
	rewind(f);
	step("cfwdctl --json stats: one object");
	assert_int_equal(metrics_write_json(f), 0);
	fputc(0, f);
	fflush(f);
	assert_true(mem[0] == '{');
	assert_non_null(strstr(mem, "\"cfwd_calls_total\":{\"outcome=answered\":1}"));
	assert_non_null(strstr(mem, "\"op=write\":{\"count\":1,\"sum_s\":0.001500}"));
	fclose(f);
	free(mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_calls_counted_by_outcome_and_diversion_reason, setup),
		cmocka_unit_test_setup(test_handle_resolved_once_counts_on_the_hot_path, setup),
		cmocka_unit_test_setup(
			test_link_and_cic_gauges_refreshed_by_the_collector_at_each_scrape, setup),
		cmocka_unit_test_setup(
			test_counter_kept_by_its_module_is_mirrored_at_each_scrape, setup),
		cmocka_unit_test_setup(test_store_latency_histogram_buckets_are_cumulative, setup),
		cmocka_unit_test_setup(
			test_malformed_labels_and_wrong_type_are_refused_and_counted, setup),
		cmocka_unit_test_setup(test_full_table_drops_new_series_but_keeps_old_ones, setup),
		cmocka_unit_test_setup(test_textfile_is_replaced_whole, setup),
		cmocka_unit_test_setup(test_text_and_json_for_cfwdctl_stats, setup),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
