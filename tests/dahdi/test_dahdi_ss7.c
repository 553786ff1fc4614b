/* tests/dahdi/test_dahdi_ss7.c - libss7 over the dahdi backend's signalling links, inside
 * the DAHDI test VM: one libss7 point on span 1's timeslot 16 and one on span 2's (looped
 * dahdi_dynamic_loc spans), each on the fd tdm_link_fd() gives, with the transport the
 * channel's kind calls for (system.conf mtp2= -> SS7_TRANSPORT_DAHDIMTP2, dchan= ->
 * SS7_TRANSPORT_DAHDIDCHAN). Both links come up (MTP2 aligned, MTP3 up); the SUs went
 * through the hook both ways. Prints the time to link up and the CPU an idle link costs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"
#include "drivers/tdm_dahdi.h"
#include "tests/fixture_ss7.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

struct fix {
	struct loop *loop;
	struct tdm_span *span[2];
	struct tdm_link *link[2];
	struct fx_point pt[2];
	unsigned hook_rx, hook_tx;
};

static bool hook(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
		 size_t *len, size_t cap)
{
	struct fix *f = user;

	if (dir == TDM_SU_RX)
		f->hook_rx++;
	else
		f->hook_tx++;
	return true;
}

static void point_open(struct fx_point *p, struct tdm_link *lk, unsigned pc, unsigned adj)
{
	int sig = tdm_dahdi_link_sig(lk);
	int transport =
		sig == TDM_DAHDI_SIG_DCHAN ? SS7_TRANSPORT_DAHDIDCHAN : SS7_TRANSPORT_DAHDIMTP2;

	assert_true(sig >= 0);
	assert_int_equal(fx_point_open(p, tdm_link_fd(lk), transport, pc, adj), 0);
}

/* Let libss7 read, write and run its timers (the way isup/link.c does from the loop). */
static void point_service(struct fx_point *p)
{
	fx_point_service(p, 32, NULL, NULL);
}

static void run_ms(struct fix *f, unsigned ms, bool until_up)
{
	uint64_t end = clock_now_ms() + ms;

	while (clock_now_ms() < end && !(until_up && f->pt[0].up && f->pt[1].up)) {
		loop_run_once(f->loop, 2);
		if (f->pt[0].ss7)
			point_service(&f->pt[0]);
		if (f->pt[1].ss7)
			point_service(&f->pt[1]);
	}
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void test_libss7_links_come_up_over_dahdi(void **state)
{
	const char *want = getenv("DAHDI_SIG") ? getenv("DAHDI_SIG") : "mtp2";
	struct fix *f = calloc(1, sizeof(*f));
	char err[256];
	uint64_t t0, t_up;
	double c0;
	int i;

	assert_non_null(f);
	f->loop = loop_alloc();
	for (i = 0; i < 2; i++) {
		struct tdm_span_cfg cfg;

		tdm_span_cfg_default(&cfg, i ? "b" : "a");
		memcpy(cfg.backend, "dahdi", 6);
		cfg.base_channel = i ? 32 : 1;
		f->span[i] = tdm_span_open(f->loop, &cfg, NULL, NULL, err, sizeof(err));
		if (!f->span[i])
			fail_msg("%s", err);
		f->link[i] = tdm_link_open(f->span[i], 16, (uint16_t)i, hook, NULL, f);
		assert_non_null(f->link[i]);
	}
	run_ms(f, 100, false);
	step("timeslot 16 is a DAHDI %s channel: libss7 gets %s", want,
	     !strcmp(want, "dchan") ? "SS7_TRANSPORT_DAHDIDCHAN" : "SS7_TRANSPORT_DAHDIMTP2");
	assert_string_equal(tdm_dahdi_sig_name(tdm_dahdi_link_sig(f->link[0])), want);
	point_open(&f->pt[0], f->link[0], 1001, 2001);
	point_open(&f->pt[1], f->link[1], 2001, 1001);
	t0 = clock_now_ms();
	run_ms(f, 15000, true);
	t_up = clock_now_ms() - t0;
	step("pc 1001 (span 1) and pc 2001 (span 2): MTP3 up: %s / %s after %llu ms",
	     f->pt[0].up ? "yes" : "no", f->pt[1].up ? "yes" : "no", (unsigned long long)t_up);
	assert_true(f->pt[0].up && f->pt[1].up);
	assert_true(f->hook_rx > 0 && f->hook_tx > 0);

	c0 = cpu_s();
	t0 = clock_now_ms();
	run_ms(f, 2000, false);
	step("idle link for 2 s: %u SUs through the hook so far, CPU %.0f %% of the wall time",
	     f->hook_rx + f->hook_tx,
	     100.0 * (cpu_s() - c0) / ((double)(clock_now_ms() - t0) / 1000.0));
	assert_true(f->pt[0].up && f->pt[1].up);
	for (i = 0; i < 2; i++) {
		tdm_link_close(f->link[i]);
		tdm_span_close(f->span[i]);
	}
	loop_free(f->loop);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libss7_links_come_up_over_dahdi),
	};

	setvbuf(stdout, NULL, _IONBF, 0);
	log_parse_spec(getenv("CFWD_LOG") ? getenv("CFWD_LOG") : "all=notice", NULL, 0);
	fx_ss7_quiet();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
