/* tests/test_tdm_sim.c - sim spans between two ends in one process, on a fake clock:
 * a span is down until its peer appears and goes down when the peer leaves; SUs cross
 * the link with DAHDI MTP2 framing through the hook both ways; bearer blocks flow every
 * 20 ms, idle when nothing is queued, all of a span's timeslots in one BEARER_MULTI
 * datagram (seen on the wire by a hand-written peer), one BEARER per timeslot with a peer
 * of the older format; a cross-connect relays one span's timeslot to another; FISUs
 * that only acknowledge give way to newer SUs; [span] config is parsed with
 * line-numbered errors. Ports from CFWD_PORT_BASE. */
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
#include "tests/fixture_sim.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

struct end {
	struct tdm_span *span;
	int ups, downs;
	unsigned rx_blocks, rx_idle;
	uint8_t last_blk[TDM_BLOCK_BYTES];
	unsigned hook_rx, hook_tx;
	bool hook_refuse_rx;
	int link_ups;
	unsigned ts_data[TDM_TIMESLOTS_MAX + 1];	/* non-idle blocks per timeslot */
	uint8_t ts_blk[TDM_TIMESLOTS_MAX + 1][TDM_BLOCK_BYTES];	/* the last of them */
};

struct fix {
	struct loop *loop;
	unsigned port_base;
	struct end e[4];
};

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
	memcpy(e->last_blk, blk, TDM_BLOCK_BYTES);
	if (blk[0] == 0xff && blk[TDM_BLOCK_BYTES - 1] == 0xff) {
		e->rx_idle++;
		return;
	}
	e->ts_data[ts]++;
	memcpy(e->ts_blk[ts], blk, TDM_BLOCK_BYTES);
}

static const struct tdm_span_events events = { on_state, on_rx };

/* End i of pair i/2 listens on base+i and sends to its partner's port. */
static struct tdm_span *open_end(struct fix *f, int i)
{
	char name[8];

	snprintf(name, sizeof(name), "s%d", i);
	f->e[i].span = fx_sim_end(f->loop, name, f->port_base, (unsigned)i, TDM_LAW_ULAW, &events,
				  &f->e[i]);
	return f->e[i].span;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	fake_clock_enable(1000000, 1700000000);
	f->loop = loop_alloc();
	f->port_base = fx_free_port_base(4, 0);
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
	fx_run_ms(f->loop, 1500);
	assert_false(tdm_span_is_up(f->e[0].span));
	assert_int_equal(f->e[0].ups, 0);

	step("the peer appears: both ends come up");
	open_end(f, 1);
	fx_run_ms(f->loop, 300);
	assert_true(tdm_span_is_up(f->e[0].span));
	assert_true(tdm_span_is_up(f->e[1].span));
	assert_int_equal(f->e[0].ups, 1);

	step("the peer goes away: down after dead_ms (1000) without a datagram");
	tdm_span_close(f->e[1].span);
	f->e[1].span = NULL;
	fx_run_ms(f->loop, 600);
	assert_true(tdm_span_is_up(f->e[0].span));
	fx_run_ms(f->loop, 600);
	assert_false(tdm_span_is_up(f->e[0].span));
	assert_int_equal(f->e[0].downs, 1);

	step("and it comes back");
	open_end(f, 1);
	fx_run_ms(f->loop, 300);
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
	fx_run_ms(f->loop, 100);
	assert_int_equal(f->e[0].link_ups, 1);

	step("libss7 at A writes an SU + 2 FCS bytes; libss7 at B reads the same");
	assert_int_equal(send(tdm_link_fd(a), su, sizeof(su), 0), sizeof(su));
	fx_run_ms(f->loop, 10);
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
	fx_run_ms(f->loop, 10);
	n = recv(tdm_link_fd(b), rx, sizeof(rx), MSG_DONTWAIT);
	assert_int_equal(n, 4 + 2);
	assert_int_equal(rx[3], 0x42);

	step("B's hook discards: nothing reaches libss7, the discard is counted");
	f->e[1].hook_refuse_rx = true;
	send(tdm_link_fd(a), su, sizeof(su), 0);
	fx_run_ms(f->loop, 10);
	assert_true(recv(tdm_link_fd(b), rx, sizeof(rx), MSG_DONTWAIT) < 0);
	tdm_link_get_stats(b, &st);
	assert_int_equal(st.rx_sus, 2);
	assert_int_equal(st.rx_discarded, 1);

	step("a runt write from libss7 is discarded");
	send(tdm_link_fd(a), su, 3, 0);
	fx_run_ms(f->loop, 10);
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
	fx_run_ms(f->loop, 100);
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[1].span, 1, true), 0);

	step("A queues 3 blocks of speech; B receives them in order, then idle");
	for (i = 0; i < 3; i++) {
		memset(blk, 0x10 + i, sizeof(blk));
		assert_int_equal(tdm_bearer_write(f->e[0].span, 1, blk), 0);
	}
	fx_run_ms(f->loop, 60);
	assert_int_equal(f->e[1].rx_blocks, 3);
	assert_int_equal(f->e[1].last_blk[0], 0x12);
	fx_run_ms(f->loop, 200);
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
	fx_run_ms(f->loop, 100);
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[1].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[2].span, 5, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[3].span, 5, true), 0);

	step("caller (s0) -> node s1 ts1 == s2 ts5 -> callee (s3)");
	assert_int_equal(tdm_bearer_bridge(f->e[1].span, 1, f->e[2].span, 5), 0);
	memset(blk, 0x5a, sizeof(blk));
	tdm_bearer_write(f->e[0].span, 1, blk);
	fx_run_ms(f->loop, 80);
	assert_int_equal(f->e[1].rx_blocks, 0);	/* relayed, not delivered */
	assert_true(f->e[3].rx_blocks > 0);
	assert_int_equal(f->e[3].rx_blocks - f->e[3].rx_idle, 1);

	step("disconnect: s1 gets its blocks again");
	assert_int_equal(tdm_bearer_bridge(f->e[1].span, 1, NULL, 0), 0);
	fx_run_ms(f->loop, 40);
	assert_true(f->e[1].rx_blocks > 0);
}

/* ---- a peer written from docs/sim-span.md, on a plain UDP socket ------------------- */

#define WIRE_HDR 8
#define WIRE_MAX (WIRE_HDR + 4 + TDM_TIMESLOTS_MAX * TDM_BLOCK_BYTES)

struct wire_peer {
	int fd;
	uint16_t seq;
};

/* What the peer read from our span since the last look. */
struct wire_seen {
	unsigned hello, bearer, multi;
	uint8_t hello_flags;
	unsigned bearer_ts[TDM_TIMESLOTS_MAX * 4];	/* timeslots of the BEARERs, in order */
	uint8_t bearer_blk[TDM_TIMESLOTS_MAX * 4][TDM_BLOCK_BYTES];
	uint8_t multi_dgram[WIRE_MAX];	/* the last BEARER_MULTI */
	size_t multi_len;
};

/* The peer on port base+1, facing our span on base+0. */
static void wire_open(struct fix *f, struct wire_peer *w)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	w->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	assert_true(w->fd >= 0);
	a.sin_port = htons((uint16_t)(f->port_base + 1));
	assert_int_equal(bind(w->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	a.sin_port = htons((uint16_t)f->port_base);
	assert_int_equal(connect(w->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	w->seq = 0;
}

static void wire_send(struct wire_peer *w, uint8_t type, uint8_t ts, uint8_t flags,
		      const uint8_t *p, size_t len)
{
	uint8_t buf[WIRE_MAX];

	buf[0] = 'C';
	buf[1] = 'S';
	buf[2] = 1;
	buf[3] = type;
	buf[4] = ts;
	buf[5] = flags;
	buf[6] = (uint8_t)(w->seq >> 8);
	buf[7] = (uint8_t)w->seq++;
	memcpy(buf + WIRE_HDR, p, len);
	assert_int_equal(send(w->fd, buf, WIRE_HDR + len, 0), (ssize_t)(WIRE_HDR + len));
}

static void wire_hello(struct wire_peer *w, uint8_t flags)
{
	const uint8_t p[2] = { 0, 31 };	/* u-law, 31 timeslots */

	wire_send(w, 1, 0, flags, p, sizeof(p));
}

static void wire_read(struct wire_peer *w, struct wire_seen *sn)
{
	uint8_t buf[WIRE_MAX + 64];
	ssize_t n;

	memset(sn, 0, sizeof(*sn));
	while ((n = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= WIRE_HDR) {
		assert_memory_equal(buf, "CS\x01", 3);
		if (buf[3] == 1) {
			sn->hello++;
			sn->hello_flags = buf[5];
		} else if (buf[3] == 3 && sn->bearer < TDM_TIMESLOTS_MAX * 4) {
			assert_int_equal(n, WIRE_HDR + TDM_BLOCK_BYTES);
			sn->bearer_ts[sn->bearer] = buf[4];
			memcpy(sn->bearer_blk[sn->bearer++], buf + WIRE_HDR, TDM_BLOCK_BYTES);
		} else if (buf[3] == 4) {
			sn->multi++;
			memcpy(sn->multi_dgram, buf, (size_t)n);
			sn->multi_len = (size_t)n;
		}
	}
}

/* A recognisable block: timeslot in byte 0, block number in byte 1, then a ramp. */
static void pattern(uint8_t *b, unsigned ts, unsigned k)
{
	unsigned i;

	for (i = 0; i < TDM_BLOCK_BYTES; i++)
		b[i] = (uint8_t)(ts * 37 + k * 101 + i * 3);
	b[0] = (uint8_t)ts;
	b[1] = (uint8_t)k;
}

/* Timeslots 1-15 and 17-31: an E1 with 16 left for signalling. */
#define E1_BEARER_MAP 0xfffefffeu

static bool e1_bearer(unsigned ts)
{
	return ts != 16;
}

static void test_thirty_timeslots_travel_in_one_datagram_per_tick(void **state)
{
	struct fix *f = *state;
	struct wire_peer w;
	struct wire_seen *sn = calloc(1, sizeof(*sn));
	uint8_t blk[TDM_BLOCK_BYTES], dgram[4 + 30 * TDM_BLOCK_BYTES];
	unsigned ts, i, k;

	step("a peer written from the doc says HELLO offering BEARER_MULTI (flags 0x02)");
	wire_open(f, &w);
	open_end(f, 0);
	wire_hello(&w, 0x02);
	fx_run_ms(f->loop, 100);
	assert_true(tdm_span_is_up(f->e[0].span));
	wire_read(&w, sn);
	assert_true(sn->hello >= 1);
	assert_int_equal(sn->hello_flags, 0x03);	/* heard + MULTI */

	step("30 timeslots enabled, one block queued on each");
	for (ts = 1; ts <= 31; ts++)
		if (e1_bearer(ts))
			assert_int_equal(tdm_bearer_enable(f->e[0].span, ts, true), 0);
	for (ts = 1; ts <= 31; ts++) {
		if (!e1_bearer(ts))
			continue;
		pattern(blk, ts, 0);
		assert_int_equal(tdm_bearer_write(f->e[0].span, ts, blk), 0);
	}
	wire_read(&w, sn);

	step("each 20 ms: exactly one BEARER_MULTI, 30 blocks in timeslot order");
	for (k = 0; k < 5; k++) {
		fx_run_ms(f->loop, 20);
		wire_read(&w, sn);
		assert_int_equal(sn->multi, 1);
		assert_int_equal(sn->bearer, 0);
		assert_int_equal(sn->multi_len, 8 + 4 + 30 * TDM_BLOCK_BYTES);
		assert_int_equal(sn->multi_dgram[4], 30);	/* count */
		assert_int_equal((uint32_t)sn->multi_dgram[8] << 24 |
				 (uint32_t)sn->multi_dgram[9] << 16 |
				 (uint32_t)sn->multi_dgram[10] << 8 | sn->multi_dgram[11],
				 E1_BEARER_MAP);
		for (ts = 1, i = 0; ts <= 31; ts++) {
			const uint8_t *got = sn->multi_dgram + 12 + i * TDM_BLOCK_BYTES;

			if (!e1_bearer(ts))
				continue;
			i++;
			if (k == 0) {	/* the queued speech, byte for byte */
				pattern(blk, ts, 0);
				assert_memory_equal(got, blk, TDM_BLOCK_BYTES);
			} else {	/* then idle */
				assert_int_equal(got[0], 0xff);
				assert_int_equal(got[TDM_BLOCK_BYTES - 1], 0xff);
			}
		}
	}

	step("the peer sends one BEARER_MULTI of 30 blocks: each reaches its timeslot");
	for (ts = 1, i = 0; ts <= 31; ts++)
		if (e1_bearer(ts))
			pattern(dgram + 4 + TDM_BLOCK_BYTES * i++, ts, 7);
	dgram[0] = 0xff, dgram[1] = 0xfe, dgram[2] = 0xff, dgram[3] = 0xfe;
	wire_send(&w, 4, 30, 0, dgram, sizeof(dgram));
	fx_run_ms(f->loop, 5);
	assert_int_equal(f->e[0].rx_blocks, 30);
	for (ts = 1; ts <= 31; ts++) {
		if (!e1_bearer(ts)) {
			assert_int_equal(f->e[0].ts_data[ts], 0);
			continue;
		}
		pattern(blk, ts, 7);
		assert_int_equal(f->e[0].ts_data[ts], 1);
		assert_memory_equal(f->e[0].ts_blk[ts], blk, TDM_BLOCK_BYTES);
	}

	step("a BEARER_MULTI whose count does not match its bitmap is dropped whole");
	wire_send(&w, 4, 29, 0, dgram, sizeof(dgram));
	step("nor one a block short");
	wire_send(&w, 4, 30, 0, dgram, sizeof(dgram) - TDM_BLOCK_BYTES);
	fx_run_ms(f->loop, 5);
	assert_int_equal(f->e[0].rx_blocks, 30);
	close(w.fd);
	free(sn);
}

static void test_a_peer_of_the_older_format_gets_one_bearer_per_timeslot(void **state)
{
	struct fix *f = *state;
	struct wire_peer w;
	struct wire_seen *sn = calloc(1, sizeof(*sn));
	uint8_t blk[TDM_BLOCK_BYTES];
	unsigned ts;

	step("an older peer: HELLO without the MULTI flag");
	wire_open(f, &w);
	open_end(f, 0);
	wire_hello(&w, 0x01);
	fx_run_ms(f->loop, 100);
	assert_true(tdm_span_is_up(f->e[0].span));
	for (ts = 1; ts <= 3; ts++) {
		assert_int_equal(tdm_bearer_enable(f->e[0].span, ts, true), 0);
		pattern(blk, ts, 1);
		assert_int_equal(tdm_bearer_write(f->e[0].span, ts, blk), 0);
	}
	wire_read(&w, sn);

	step("it gets one BEARER (type 3) per enabled timeslot per 20 ms, byte exact");
	fx_run_ms(f->loop, 20);
	wire_read(&w, sn);
	assert_int_equal(sn->multi, 0);
	assert_int_equal(sn->bearer, 3);
	for (ts = 1; ts <= 3; ts++) {
		pattern(blk, ts, 1);
		assert_int_equal(sn->bearer_ts[ts - 1], ts);
		assert_memory_equal(sn->bearer_blk[ts - 1], blk, TDM_BLOCK_BYTES);
	}

	step("its BEARER on timeslot 2 is delivered to timeslot 2");
	pattern(blk, 2, 9);
	wire_send(&w, 3, 2, 0, blk, sizeof(blk));
	fx_run_ms(f->loop, 5);
	assert_int_equal(f->e[0].ts_data[2], 1);
	assert_int_equal(f->e[0].ts_data[1] + f->e[0].ts_data[3], 0);
	assert_memory_equal(f->e[0].ts_blk[2], blk, TDM_BLOCK_BYTES);

	step("the peer is upgraded and its HELLO offers MULTI: one datagram from the next tick");
	wire_hello(&w, 0x03);
	fx_run_ms(f->loop, 5);
	wire_read(&w, sn);
	fx_run_ms(f->loop, 20);
	wire_read(&w, sn);
	assert_int_equal(sn->multi, 1);
	assert_int_equal(sn->bearer, 0);
	assert_int_equal(sn->multi_dgram[4], 3);
	assert_int_equal(sn->multi_dgram[11], 0x0e);	/* timeslots 1, 2, 3 */
	close(w.fd);
	free(sn);
}

/* SU datagrams the peer read since the last look (header bytes 0-2 of each SU). */
static unsigned wire_read_sus(struct wire_peer *w, uint8_t hdr[][3], unsigned max)
{
	uint8_t buf[WIRE_MAX + 64];
	unsigned k = 0;
	ssize_t n;

	while ((n = recv(w->fd, buf, sizeof(buf), MSG_DONTWAIT)) >= WIRE_HDR) {
		if (buf[3] != 2)
			continue;
		assert_true(n >= WIRE_HDR + 3);
		assert_int_equal(buf[4], 16);
		if (k < max)
			memcpy(hdr[k], buf + WIRE_HDR, 3);
		k++;
	}
	return k;
}

/* libss7 at our end writes SU (header bsn|bib, fsn|fib, li) + 2 FCS bytes. */
static void ss7_writes(struct tdm_link *lk, uint8_t b0, uint8_t b1, uint8_t li)
{
	uint8_t su[12] = { b0, b1, li, 0x85, 1, 2, 3, 4, 5, 6 };
	size_t len = li ? 3 + (li < 3 ? 1 : li) : 3;

	assert_int_equal(send(tdm_link_fd(lk), su, len + 2, 0), (ssize_t)(len + 2));
}

/* Let datagrams in flight arrive without moving the fake clock. */
static void run_now(struct fix *f)
{
	for (int i = 0; i < 4; i++)
		loop_run_once(f->loop, 2);
}

static void test_acknowledging_fisus_give_way_to_newer_sus(void **state)
{
	struct fix *f = *state;
	struct wire_peer w;
	struct tdm_link *lk;
	uint8_t h[8][3];

	wire_open(f, &w);
	open_end(f, 0);
	lk = tdm_link_open(f->e[0].span, 16, 0, hook, on_link_state, &f->e[0]);
	assert_non_null(lk);
	wire_hello(&w, 0x03);
	fx_run_ms(f->loop, 100);
	wire_read_sus(&w, h, 8);

	step("aligning: LSSU SIN, then the FISU of ALIGNEDREADY: both leave at once");
	ss7_writes(lk, 0xff, 0xff, 1);
	run_now(f);
	ss7_writes(lk, 0xff, 0xff, 0);
	run_now(f);
	assert_int_equal(wire_read_sus(&w, h, 8), 2);
	assert_int_equal(h[0][2], 1);
	assert_int_equal(h[1][2], 0);

	step("in service: MSU fsn 0, then the FISU libss7 writes after it (same header): dropped");
	ss7_writes(lk, 0xff, 0x80, 5);
	ss7_writes(lk, 0xff, 0x80, 0);
	fx_run_ms(f->loop, 20);
	assert_int_equal(wire_read_sus(&w, h, 8), 1);
	assert_int_equal(h[0][2], 5);

	step("a FISU acknowledging bsn 0 is held; our MSU fsn 1 acknowledging as much goes alone");
	ss7_writes(lk, 0x80, 0x80, 0);
	run_now(f);
	assert_int_equal(wire_read_sus(&w, h, 8), 0);
	ss7_writes(lk, 0x80, 0x81, 5);
	run_now(f);
	assert_int_equal(wire_read_sus(&w, h, 8), 1);
	assert_memory_equal(h[0], "\x80\x81\x05", 3);

	step("two FISUs in a row: only the newer one, once the hold time is over");
	ss7_writes(lk, 0x81, 0x81, 0);
	ss7_writes(lk, 0x82, 0x81, 0);
	run_now(f);
	assert_int_equal(wire_read_sus(&w, h, 8), 0);
	fx_run_ms(f->loop, 10);
	assert_int_equal(wire_read_sus(&w, h, 8), 1);
	assert_memory_equal(h[0], "\x82\x81\x00", 3);

	step("a FISU with BIB inverted (retransmission request) is never superseded by the MSU");
	ss7_writes(lk, 0x03, 0x81, 0);
	ss7_writes(lk, 0x83, 0x82, 5);
	run_now(f);
	assert_int_equal(wire_read_sus(&w, h, 8), 2);
	assert_memory_equal(h[0], "\x03\x81\x00", 3);
	assert_memory_equal(h[1], "\x83\x82\x05", 3);

	step("an LSSU (realignment) sends a held FISU first");
	ss7_writes(lk, 0x84, 0x82, 0);
	ss7_writes(lk, 0xff, 0xff, 1);
	run_now(f);
	assert_int_equal(wire_read_sus(&w, h, 8), 2);
	assert_int_equal(h[0][2], 0);
	assert_int_equal(h[1][2], 1);
	close(w.fd);
}

static void test_thirty_timeslots_between_two_spans_arrive_byte_exact(void **state)
{
	struct fix *f = *state;
	uint8_t blk[TDM_BLOCK_BYTES];
	unsigned ts, k;

	open_end(f, 0);
	open_end(f, 1);
	fx_run_ms(f->loop, 100);
	for (ts = 1; ts <= 31; ts++) {
		if (!e1_bearer(ts))
			continue;
		assert_int_equal(tdm_bearer_enable(f->e[0].span, ts, true), 0);
		assert_int_equal(tdm_bearer_enable(f->e[1].span, ts, true), 0);
	}
	step("A queues two blocks on each of 30 timeslots");
	for (k = 0; k < 2; k++)
		for (ts = 1; ts <= 31; ts++)
			if (e1_bearer(ts)) {
				pattern(blk, ts, k);
				assert_int_equal(tdm_bearer_write(f->e[0].span, ts, blk), 0);
			}
	step("B gets both on the right timeslot, then idle: 50 blocks each per second");
	fx_run_ms(f->loop, 1000);
	for (ts = 1; ts <= 31; ts++) {
		if (!e1_bearer(ts))
			continue;
		pattern(blk, ts, 1);
		assert_int_equal(f->e[1].ts_data[ts], 2);
		assert_memory_equal(f->e[1].ts_blk[ts], blk, TDM_BLOCK_BYTES);
	}
	assert_in_range(f->e[1].rx_blocks, 30 * 49, 30 * 51);
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
	step("no cross-connect to itself or to a disabled timeslot (laws may differ)");
	tdm_span_cfg_default(&cfg, "a");
	cfg.law = TDM_LAW_ALAW;
	cfg.local_port = (uint16_t)(f->port_base + 2);
	cfg.remote_port = (uint16_t)(f->port_base + 3);
	alaw = tdm_span_open(f->loop, &cfg, NULL, NULL, err, sizeof(err));
	assert_non_null(alaw);
	assert_int_equal(tdm_bearer_enable(alaw, 1, true), 0);
	assert_int_equal(tdm_bearer_bridge(f->e[0].span, 1, alaw, 1), 0);
	assert_int_equal(tdm_bearer_bridge(f->e[0].span, 1, NULL, 0), 0);
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
		cmocka_unit_test_setup_teardown(test_thirty_timeslots_travel_in_one_datagram_per_tick,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_a_peer_of_the_older_format_gets_one_bearer_per_timeslot, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_thirty_timeslots_between_two_spans_arrive_byte_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acknowledging_fisus_give_way_to_newer_sus,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_misuse_is_refused, setup, teardown),
		cmocka_unit_test(test_span_config_is_read_from_a_span_section),
	};

	return cmocka_run_group_tests_name("tdm_sim", tests, NULL, NULL);
}
