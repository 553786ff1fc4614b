/* tests/test_tdm_sim.c - sim spans between two ends in one process, on a fake clock:
 * a span is down until its peer appears and goes down when the peer leaves; SUs cross
 * the link with DAHDI MTP2 framing through the hook both ways; bearer blocks flow every
 * 20 ms, idle when nothing is queued; a cross-connect relays one span's timeslot to
 * another; [span] config is parsed with line-numbered errors. Ports from CFWD_PORT_BASE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
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
#include "core/loop.h"
#include "drivers/tdm.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

struct end {
	struct tdm_span *span;
	int ups, downs;
	unsigned rx_blocks, rx_idle;
	uint8_t last_blk[TDM_BLOCK_BYTES];
	unsigned hook_rx, hook_tx;
	bool hook_refuse_rx;
	int link_ups;
};

struct fix {
	struct loop *loop;
	unsigned port_base;
	struct end e[4];
};

/* A base port with n free UDP ports above it: $CFWD_PORT_BASE (+off) when set, else
 * probed at random in 20000-39999 so parallel runs do not collide. */
static unsigned free_port_base(unsigned n, unsigned off)
{
	const char *env = getenv("CFWD_PORT_BASE");
	unsigned seed = (unsigned)getpid() ^ (unsigned)clock_now_us(), tries, i;

	if (env && atoi(env) > 1024)
		return (unsigned)atoi(env) + off;
	for (tries = 0; tries < 200; tries++) {
		unsigned base = 20000 + rand_r(&seed) % (20000 - n);
		bool ok = true;

		for (i = 0; i < n && ok; i++) {
			struct sockaddr_in a = { .sin_family = AF_INET,
						 .sin_port = htons((uint16_t)(base + i)),
						 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
			int fd = socket(AF_INET, SOCK_DGRAM, 0);

			ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
			if (fd >= 0)
				close(fd);
		}
		if (ok)
			return base;
	}
	return 20000 + (unsigned)getpid() % 19000;
}

static void on_state(void *user, struct tdm_span *s, bool up)
{
	struct end *e = user;

	if (up)
		e->ups++;
	else
		e->downs++;
}

static void on_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct end *e = user;

	e->rx_blocks++;
	if (blk[0] == 0xff && blk[TDM_BLOCK_BYTES - 1] == 0xff)
		e->rx_idle++;
	memcpy(e->last_blk, blk, TDM_BLOCK_BYTES);
}

static const struct tdm_span_events events = { on_state, on_rx };

/* End i of pair i/2 listens on base+i and sends to its partner's port. */
static struct tdm_span *open_end(struct fix *f, int i)
{
	struct tdm_span_cfg cfg;
	char err[200], name[8];

	snprintf(name, sizeof(name), "s%d", i);
	tdm_span_cfg_default(&cfg, name);
	cfg.local_port = (uint16_t)(f->port_base + i);
	cfg.remote_port = (uint16_t)(f->port_base + (i ^ 1));
	f->e[i].span = tdm_span_open(f->loop, &cfg, &events, &f->e[i], err, sizeof(err));
	if (!f->e[i].span)
		fail_msg("%s", err);
	return f->e[i].span;
}

/* Let datagrams in flight arrive, then move the fake clock ms at a time. */
static void run_ms(struct fix *f, unsigned ms)
{
	unsigned i;

	loop_run_once(f->loop, 5);
	for (i = 0; i < ms; i += 5) {
		fake_time_passes(5);
		loop_run_once(f->loop, 0);
		loop_run_once(f->loop, 2);
	}
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	fake_clock_enable(1000000, 1700000000);
	f->loop = loop_alloc();
	f->port_base = free_port_base(4, 0);
	*state = f;
	return f->loop ? 0 : -1;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	int i;

	for (i = 0; i < 4; i++)
		tdm_span_close(f->e[i].span);
	loop_free(f->loop);
	fake_clock_disable();
	free(f);
	return 0;
}

static void test_span_is_down_until_the_peer_appears_and_down_when_it_leaves(void **state)
{
	struct fix *f = *state;

	step("the exchange side opens its span; nobody at the other end");
	open_end(f, 0);
	run_ms(f, 1500);
	assert_false(tdm_span_is_up(f->e[0].span));
	assert_int_equal(f->e[0].ups, 0);

	step("the peer appears: both ends come up");
	open_end(f, 1);
	run_ms(f, 300);
	assert_true(tdm_span_is_up(f->e[0].span));
	assert_true(tdm_span_is_up(f->e[1].span));
	assert_int_equal(f->e[0].ups, 1);

	step("the peer goes away: down after dead_ms (1000) without a datagram");
	tdm_span_close(f->e[1].span);
	f->e[1].span = NULL;
	run_ms(f, 600);
	assert_true(tdm_span_is_up(f->e[0].span));
	run_ms(f, 600);
	assert_false(tdm_span_is_up(f->e[0].span));
	assert_int_equal(f->e[0].downs, 1);

	step("and it comes back");
	open_end(f, 1);
	run_ms(f, 300);
	assert_true(tdm_span_is_up(f->e[0].span));
	assert_int_equal(f->e[0].ups, 2);
}

static bool hook(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
		 size_t *len, size_t cap)
{
	struct end *e = user;

	if (dir == TDM_SU_RX) {
		e->hook_rx++;
		if (e->hook_refuse_rx)
			return false;
		if (*len >= 4 && su[3] == 0x99) {	/* rewrite in place */
			su[3] = 0x42;
			*len = 4;
		}
	} else {
		e->hook_tx++;
	}
	return true;
}

static void on_link_state(void *user, struct tdm_link *lk, bool up)
{
	struct end *e = user;

	if (up)
		e->link_ups++;
}

static void test_signal_units_cross_the_link_through_the_hook(void **state)
{
	struct fix *f = *state;
	struct tdm_link *a, *b;
	uint8_t su[8] = { 0x80, 0x81, 0x03, 0x85, 1, 2, 0xaa, 0xbb };	/* + 2 FCS */
	uint8_t rx[64];
	struct tdm_link_stats st;
	ssize_t n;

	open_end(f, 0);
	open_end(f, 1);
	a = tdm_link_open(f->e[0].span, 16, 0, hook, on_link_state, &f->e[0]);
	b = tdm_link_open(f->e[1].span, 16, 1, hook, on_link_state, &f->e[1]);
	assert_non_null(a);
	assert_non_null(b);
	assert_null(tdm_link_open(f->e[0].span, 16, 2, hook, NULL, NULL));
	run_ms(f, 100);
	assert_int_equal(f->e[0].link_ups, 1);

	step("libss7 at A writes an SU + 2 FCS bytes; libss7 at B reads the same");
	assert_int_equal(send(tdm_link_fd(a), su, sizeof(su), 0), sizeof(su));
	run_ms(f, 10);
	n = recv(tdm_link_fd(b), rx, sizeof(rx), MSG_DONTWAIT);
	assert_int_equal(n, sizeof(su));
	assert_memory_equal(rx, su, 6);
	assert_int_equal(rx[6], 0);
	assert_int_equal(rx[7], 0);
	assert_int_equal(f->e[0].hook_tx, 1);
	assert_int_equal(f->e[1].hook_rx, 1);

	step("B's hook rewrites an SU in place");
	su[3] = 0x99;
	send(tdm_link_fd(a), su, sizeof(su), 0);
	run_ms(f, 10);
	n = recv(tdm_link_fd(b), rx, sizeof(rx), MSG_DONTWAIT);
	assert_int_equal(n, 4 + 2);
	assert_int_equal(rx[3], 0x42);

	step("B's hook discards: nothing reaches libss7, the discard is counted");
	f->e[1].hook_refuse_rx = true;
	send(tdm_link_fd(a), su, sizeof(su), 0);
	run_ms(f, 10);
	assert_true(recv(tdm_link_fd(b), rx, sizeof(rx), MSG_DONTWAIT) < 0);
	tdm_link_get_stats(b, &st);
	assert_int_equal(st.rx_sus, 2);
	assert_int_equal(st.rx_discarded, 1);

	step("a runt write from libss7 is discarded");
	send(tdm_link_fd(a), su, 3, 0);
	run_ms(f, 10);
	tdm_link_get_stats(a, &st);
	assert_int_equal(st.tx_discarded, 1);
	assert_int_equal(tdm_link_ts(a), 16);
	assert_int_equal(tdm_link_id(b), 1);
}

static void test_bearer_blocks_flow_every_20_ms_and_idle_fills_gaps(void **state)
{
	struct fix *f = *state;
	uint8_t blk[TDM_BLOCK_BYTES];
	unsigned i;

	open_end(f, 0);
	open_end(f, 1);
	run_ms(f, 100);
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[1].span, 1, true), 0);

	step("A queues 3 blocks of speech; B receives them in order, then idle");
	for (i = 0; i < 3; i++) {
		memset(blk, 0x10 + i, sizeof(blk));
		assert_int_equal(tdm_bearer_write(f->e[0].span, 1, blk), 0);
	}
	run_ms(f, 60);
	assert_int_equal(f->e[1].rx_blocks, 3);
	assert_int_equal(f->e[1].last_blk[0], 0x12);
	run_ms(f, 200);
	assert_int_equal(f->e[1].rx_blocks, 13);
	assert_int_equal(f->e[1].rx_idle, 10);

	step("the queue holds 160 ms; more is refused");
	for (i = 0; i < TDM_TXQ_BLOCKS; i++)
		assert_int_equal(tdm_bearer_write(f->e[0].span, 1, blk), 0);
	assert_int_equal(tdm_bearer_write(f->e[0].span, 1, blk), -ENOBUFS);
	assert_int_equal(tdm_bearer_write(f->e[0].span, 2, blk), -EINVAL);
}

static void test_cross_connect_relays_a_timeslot_to_another_span(void **state)
{
	struct fix *f = *state;
	uint8_t blk[TDM_BLOCK_BYTES];
	int i;

	for (i = 0; i < 4; i++)
		open_end(f, i);
	run_ms(f, 100);
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[1].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[2].span, 5, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[3].span, 5, true), 0);

	step("caller (s0) -> node s1 ts1 == s2 ts5 -> callee (s3)");
	assert_int_equal(tdm_bearer_bridge(f->e[1].span, 1, f->e[2].span, 5), 0);
	memset(blk, 0x5a, sizeof(blk));
	tdm_bearer_write(f->e[0].span, 1, blk);
	run_ms(f, 80);
	assert_int_equal(f->e[1].rx_blocks, 0);	/* relayed, not delivered */
	assert_true(f->e[3].rx_blocks > 0);
	assert_int_equal(f->e[3].rx_blocks - f->e[3].rx_idle, 1);

	step("disconnect: s1 gets its blocks again");
	assert_int_equal(tdm_bearer_bridge(f->e[1].span, 1, NULL, 0), 0);
	run_ms(f, 40);
	assert_true(f->e[1].rx_blocks > 0);
}

static void test_misuse_is_refused(void **state)
{
	struct fix *f = *state;
	struct tdm_span_cfg cfg;
	char err[200];
	struct tdm_span *alaw;

	open_end(f, 0);
	open_end(f, 1);
	step("a signalling timeslot cannot carry bearer, nor a bearer timeslot a link");
	assert_non_null(tdm_link_open(f->e[0].span, 16, 0, NULL, NULL, NULL));
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 16, true), -EINVAL);
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 1, true), 0);
	assert_null(tdm_link_open(f->e[0].span, 1, 1, NULL, NULL, NULL));
	step("timeslots outside 1..channels");
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 0, true), -EINVAL);
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 32, true), -EINVAL);
	assert_null(tdm_link_open(f->e[0].span, 32, 1, NULL, NULL, NULL));
	step("no cross-connect between laws, to itself, or to a disabled timeslot");
	tdm_span_cfg_default(&cfg, "a");
	cfg.law = TDM_LAW_ALAW;
	cfg.local_port = (uint16_t)(f->port_base + 2);
	cfg.remote_port = (uint16_t)(f->port_base + 3);
	alaw = tdm_span_open(f->loop, &cfg, NULL, NULL, err, sizeof(err));
	assert_non_null(alaw);
	assert_int_equal(tdm_bearer_enable(alaw, 1, true), 0);
	assert_int_equal(tdm_bearer_bridge(f->e[0].span, 1, alaw, 1), -EINVAL);
	assert_int_equal(tdm_bearer_bridge(f->e[0].span, 1, f->e[0].span, 1), -EINVAL);
	assert_int_equal(tdm_bearer_bridge(f->e[0].span, 1, f->e[1].span, 1), -EINVAL);
	assert_int_equal(tdm_law_idle(TDM_LAW_ALAW), 0xd5);
	step("a port already bound is an error with a message");
	cfg.local_port = (uint16_t)(f->port_base + 2);
	assert_null(tdm_span_open(f->loop, &cfg, NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "bind"));
	tdm_span_close(alaw);
}

static void test_span_config_is_read_from_a_span_section(void **state)
{
	char err[256];
	struct tdm_span_cfg cfg;
	struct conf *c = conf_load_string("t.conf",
					  "[span local]\nbackend = sim\nlaw = alaw\n"
					  "channels = 24\nlocal_port = 30001\nremote_port = 30002\n"
					  "[span bad]\nlaw = slin\nlocal_port = 1\nremote_port = 2\n"
					  "[span noport]\nlocal_port = 5\n",
					  err, sizeof(err));

	assert_non_null(c);
	assert_int_equal(tdm_span_cfg_parse(c, "span local", &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.name, "local");
	assert_int_equal(cfg.law, TDM_LAW_ALAW);
	assert_int_equal(cfg.channels, 24);
	assert_int_equal(cfg.local_port, 30001);
	assert_int_equal(cfg.remote_port, 30002);
	assert_int_equal(cfg.dead_ms, 1000);
	assert_int_equal(tdm_span_cfg_parse(c, "span bad", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "t.conf:8"));
	assert_int_equal(tdm_span_cfg_parse(c, "span noport", &cfg, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "remote_port"));
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_span_is_down_until_the_peer_appears_and_down_when_it_leaves, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_signal_units_cross_the_link_through_the_hook,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_bearer_blocks_flow_every_20_ms_and_idle_fills_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cross_connect_relays_a_timeslot_to_another_span,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse_is_refused, setup, teardown),
		cmocka_unit_test(test_span_config_is_read_from_a_span_section),
	};

	return cmocka_run_group_tests_name("tdm_sim", tests, NULL, NULL);
}
