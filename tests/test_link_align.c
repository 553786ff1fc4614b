/* tests/test_link_align.c - MTP2 alignment of one of our linksets (isup/link.c over a sim
 * span, libss7 in DAHDIMTP2 mode) against a far end that this test plays SU by SU on a
 * raw UDP socket (docs/sim-span.md), so that it can restart in the awkward moments a
 * real peer restarting under load produces. libss7 ignores an LSSU with the status of
 * the last one it read; without isup/link_io.c's LSSU memory handling these links
 * stayed out of service for ever (found by the reliability soak: cfwdd killed -9 and
 * restarted under load, `make soak` in CI). Asserted: what our link puts on the wire.
 * Real clock (libss7's timers); ports from fx_port_base. Not here: MTP3 (the far end
 * never answers an SLTM), calls. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "isup/link.h"
#include "isup/node.h"
#include "tests/fixture_isup.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

enum { SIO, SIN, SIE, SIOS, SIPO, SIB };
#define FISU 0x10	/* what far_wait() reports for a FISU from us */
#define SIG_TS 16

/* The far end of our span "local": a UDP socket speaking the sim-span datagrams. */
struct far {
	int fd;
	uint16_t seq;
	uint64_t last_hello_ms;
	bool silent;		/* no HELLO: our span goes down after dead_ms */
};

struct fx {
	struct loop *l;
	struct conf *c;
	struct isup_node *node;
	struct far far;
};

static const struct isup_node_owner owner;	/* no calls in these tests */

static void far_send(struct far *f, unsigned type, unsigned ts, const uint8_t *p, size_t n)
{
	uint8_t d[64] = { 'C', 'S', 1, (uint8_t)type, (uint8_t)ts, type == 1 ? 2 : 0,
			  (uint8_t)(f->seq >> 8), (uint8_t)f->seq };

	memcpy(d + 8, p, n);
	f->seq++;
	assert_int_equal(send(f->fd, d, 8 + n, 0), (ssize_t)(8 + n));
}

static void far_lssu(struct fx *x, unsigned status, const char *why)
{
	const uint8_t su[] = { 0xff, 0xff, 0x01, (uint8_t)status };
	static const char *const names[] = { "SIO", "SIN", "SIE", "SIOS", "SIPO", "SIB" };

	print_message("     far end -> cfwd  LSSU %s (%s)\n", names[status], why);
	far_send(&x->far, 2, SIG_TS, su, sizeof(su));
}

static void far_fisu(struct fx *x)
{
	const uint8_t su[] = { 0xff, 0xff, 0x00 };

	print_message("     far end -> cfwd  FISU\n");
	far_send(&x->far, 2, SIG_TS, su, sizeof(su));
}

/* Run the loop for up to ms; HELLO every 100 ms unless silent. Returns the status of the
 * first LSSU (or FISU) our link sends in that time, -1 if none. */
static int far_wait(struct fx *x, unsigned ms)
{
	uint64_t end = clock_now_ms() + ms;
	uint8_t d[5000];

	while (clock_now_ms() < end) {
		ssize_t n;

		if (!x->far.silent && clock_now_ms() - x->far.last_hello_ms >= 100) {
			const uint8_t hello[] = { 0, 31 };

			far_send(&x->far, 1, 0, hello, sizeof(hello));
			x->far.last_hello_ms = clock_now_ms();
		}
		loop_run_once(x->l, 5);
		while ((n = recv(x->far.fd, d, sizeof(d), MSG_DONTWAIT)) > 0) {
			if (n < 8 + 3 || d[3] != 2 || d[4] != SIG_TS)
				continue;	/* HELLO, bearer */
			if ((d[8 + 2] & 0x3f) == 0)
				return FISU;
			if ((d[8 + 2] & 0x3f) <= 2 && n >= 8 + 4)
				return d[8 + 3] & 7;
		}
	}
	return -1;
}

/* Wait for our link to send an LSSU of status want (others are skipped). */
static bool cfwd_sends(struct fx *x, int want, unsigned ms)
{
	uint64_t end = clock_now_ms() + ms;

	while (clock_now_ms() < end) {
		int got = far_wait(x, (unsigned)(end - clock_now_ms()));

		if (got < 0)
			break;
		print_message("     cfwd -> far end  %s\n", got == FISU ? "FISU"
						      : got == SIO ? "LSSU SIO"
						      : got == SIN ? "LSSU SIN"
						      : got == SIE ? "LSSU SIE" : "LSSU other");
		if (got == want)
			return true;
	}
	return false;
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	unsigned base = fx_port_base();
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	log_set_level(DSS7, LOGL_ERROR);
	log_set_level(DTDM, LOGL_ERROR);
	log_set_level(DISUP, LOGL_ERROR);
	x->l = loop_alloc();
	/* span local: ours listens on base, sends to base + 2 (fixture_isup.c) */
	x->far.fd = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = htons((uint16_t)(base + 2));
	assert_int_equal(bind(x->far.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	a.sin_port = htons((uint16_t)base);
	assert_int_equal(connect(x->far.fd, (struct sockaddr *)&a, sizeof(a)), 0);
	x->node = fx_node_open(x->l, true, base, 0, &x->c, &owner, x);
	assert_non_null(x->node);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;

	isup_node_close(x->node);
	conf_free(x->c);
	close(x->far.fd);
	loop_free(x->l);
	free(x);
	return 0;
}

/* Our link comes out of alarm and starts alignment: its first SIO. */
static void span_up_and_first_sio(struct fx *x)
{
	step("the far end says HELLO: span local up, our MTP2 starts aligning");
	assert_true(cfwd_sends(x, SIO, 3000));
}

static void test_far_end_restarting_alignment_twice_is_followed(void **state)
{
	struct fx *x = *state;

	span_up_and_first_sio(x);
	step("far end aligning in emergency: we prove");
	far_lssu(x, SIE, "far end aligned");
	assert_true(cfwd_sends(x, SIE, 1000));
	step("the far end restarts (its SIOS never leaves: DAHDI MTP2 keeps the latest LSSU)");
	far_lssu(x, SIO, "far end restarted");
	assert_true(cfwd_sends(x, SIE, 1000));
	step("and restarts again at once: the same SIO, which libss7 alone would ignore");
	far_lssu(x, SIO, "far end restarted again");
	assert_true(cfwd_sends(x, SIE, 1000));
	step("the far end follows: both prove (T4 emergency 0.5 s) and go aligned-ready");
	far_lssu(x, SIE, "far end aligned");
	assert_true(cfwd_sends(x, FISU, 3000));
	far_fisu(x);
}

static void test_far_end_back_after_span_down_is_heard_with_the_same_lssu(void **state)
{
	struct fx *x = *state;

	span_up_and_first_sio(x);
	far_lssu(x, SIO, "far end not aligned");
	assert_true(cfwd_sends(x, SIE, 1000));
	step("the far end goes silent: span down after dead_ms (1 s), our link in alarm");
	x->far.silent = true;
	for (int i = 0; i < 30 && tdm_span_is_up(x->node->spans[0]); i++)
		far_wait(x, 100);
	assert_false(tdm_span_is_up(x->node->spans[0]));
	while (far_wait(x, 50) >= 0)
		;	/* what was sent before the span went down */
	step("it comes back: span up, our MTP2 aligns again (SIO) after the hold-back");
	x->far.silent = false;
	assert_true(cfwd_sends(x, SIO, 4000));
	step("its first LSSU is an SIO again, the status libss7 last read before the alarm");
	far_lssu(x, SIO, "far end not aligned");
	assert_true(cfwd_sends(x, SIE, 1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_far_end_restarting_alignment_twice_is_followed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_far_end_back_after_span_down_is_heard_with_the_same_lssu, setup,
			teardown),
	};

	return cmocka_run_group_tests_name("link_align", tests, NULL, NULL);
}
