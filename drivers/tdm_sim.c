/* drivers/tdm_sim.c - the "sim" TDM backend: a span is a point-to-point link between two
 * processes over UDP on 127.0.0.1 (docs/sim-span.md has the datagram format). One socket
 * per span; SUs one per datagram, a loop round's sent with one sendmmsg at its end, FISUs
 * that only acknowledge held briefly and dropped when a newer SU says as much, datagrams
 * received with recvmmsg; bearer every 20 ms as ONE BEARER_MULTI datagram per span
 * holding all enabled timeslots' G.711 blocks (per-timeslot BEARER to a peer whose HELLO
 * does not offer MULTI; both accepted), paced by a core/loop timer; HELLO keepalives; the
 * span is up while the peer was heard within dead_ms. No retransmission (loopback). */
#include "drivers/tdm_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"

#define SIM_MAGIC0 'C'
#define SIM_MAGIC1 'S'
#define SIM_VERSION 1
#define SIM_HDR 8
#define SIM_MAP 4	/* BEARER_MULTI: timeslot bitmap before the blocks */
#define SIM_DGRAM_MAX (SIM_HDR + SIM_MAP + TDM_TIMESLOTS_MAX * TDM_BLOCK_BYTES)
#define SIM_OUT_MAX 32	/* SU datagrams batched per span per loop round */
#define SIM_RX_BATCH 16	/* datagrams taken per recvmmsg */
#define SIM_FISU_HOLD_US 5000	/* an acknowledging FISU waits this long for an MSU */

enum sim_type { SIM_HELLO = 1, SIM_SU = 2, SIM_BEARER = 3, SIM_BEARER_MULTI = 4 };

/* HELLO flags */
#define SIM_HELLO_HEARD 0x01	/* the sender has the span up */
#define SIM_HELLO_MULTI 0x02	/* the sender accepts BEARER_MULTI */

struct sim_span {
	int fd;
	struct timer tick;
	uint64_t next_tick_us;
	uint64_t last_heard_us;
	uint64_t last_hello_us;
	uint16_t seq;
	uint16_t rx_seq;
	bool heard_any;
	bool peer_multi;		/* the peer's last HELLO offered BEARER_MULTI */
	bool told_bad;			/* a malformed BEARER_MULTI was logged once */
	uint64_t rx_gaps;		/* datagrams missing by sequence number */
	/* SU datagrams written this loop round, sent with one sendmmsg at its end */
	uint8_t out[SIM_OUT_MAX][SIM_HDR + TDM_SU_MAX];
	size_t out_len[SIM_OUT_MAX];
	unsigned n_out;
	/* per timeslot: the FISU held back (acknowledgement only), the header of the last
	 * SU sent, and whether MSUs flow (no LSSU since the last MSU) */
	uint32_t held_map;
	uint8_t held[TDM_TIMESLOTS_MAX + 1][3];
	uint8_t last_hdr[TDM_TIMESLOTS_MAX + 1][2];
	uint32_t last_valid, in_service;
	struct timer hold;
	struct tdm_span *span;
	struct sim_span *next_dirty;	/* on the dirty list while n_out > 0 */
};

static struct sim_span *dirty;	/* spans with SUs to send at the end of the round */

/* The 8-byte header; seq advances once per datagram, in the order they leave. */
static void sim_hdr_fill(struct sim_span *sim, uint8_t *buf, enum sim_type type, unsigned ts,
			 uint8_t flags)
{
	buf[0] = SIM_MAGIC0;
	buf[1] = SIM_MAGIC1;
	buf[2] = SIM_VERSION;
	buf[3] = (uint8_t)type;
	buf[4] = (uint8_t)ts;
	buf[5] = flags;
	buf[6] = (uint8_t)(sim->seq >> 8);
	buf[7] = (uint8_t)sim->seq;
	sim->seq++;
}

static void sim_dirty_unlink(struct sim_span *sim)
{
	for (struct sim_span **pp = &dirty; *pp; pp = &(*pp)->next_dirty) {
		if (*pp == sim) {
			*pp = sim->next_dirty;
			break;
		}
	}
	sim->next_dirty = NULL;
}

/* Send the SUs batched this round (one sendmmsg, seq numbers given now). A datagram
 * refused (ECONNREFUSED while the peer is absent, a full socket) is dropped, as a single
 * send() would have dropped it. */
static void sim_flush(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;
	struct mmsghdr mm[SIM_OUT_MAX];
	struct iovec iov[SIM_OUT_MAX];
	unsigned i, n = 0, done = 0;

	if (!sim->n_out)
		return;
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < sim->n_out; i++) {
		sim_hdr_fill(sim, sim->out[i], SIM_SU, sim->out[i][4], 0);
		iov[n] = (struct iovec){ .iov_base = sim->out[i], .iov_len = sim->out_len[i] };
		mm[n].msg_hdr.msg_iov = &iov[n];
		mm[n].msg_hdr.msg_iovlen = 1;
		n++;
	}
	sim->n_out = 0;
	sim_dirty_unlink(sim);
	while (done < n) {
		int r = sendmmsg(sim->fd, mm + done, n - done, MSG_DONTWAIT | MSG_NOSIGNAL);

		done += r > 0 ? (unsigned)r : 1;
	}
}

/* End of a loop round: every span of that loop with SUs waiting sends them. */
static void sim_flush_round(void *user)
{
	struct loop *l = user;
	struct sim_span *sim, *next;

	for (sim = dirty; sim; sim = next) {
		next = sim->next_dirty;
		if (sim->span->loop == l)
			sim_flush(sim->span);
	}
}

/* Header of a datagram sent at once: the SUs batched before it leave first. */
static void sim_hdr(struct tdm_span *s, uint8_t *buf, enum sim_type type, unsigned ts,
		    uint8_t flags)
{
	sim_flush(s);
	sim_hdr_fill(s->priv, buf, type, ts, flags);
}

static void sim_xmit(struct tdm_span *s, const uint8_t *buf, size_t len)
{
	struct sim_span *sim = s->priv;

	/* ECONNREFUSED while the peer is absent is expected: the span is down then */
	(void)send(sim->fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* An SU for the network waits for the end of the loop round (sim_flush_round), so one
 * sendmmsg carries all of a round's SUs. */
static void sim_batch_su(struct tdm_span *s, unsigned ts, const uint8_t *su, size_t len)
{
	struct sim_span *sim = s->priv;
	uint8_t li = su[2] & 0x3f;

	if (sim->n_out == SIM_OUT_MAX)
		sim_flush(s);
	sim->out[sim->n_out][4] = (uint8_t)ts;
	memcpy(sim->out[sim->n_out] + SIM_HDR, su, len);
	sim->out_len[sim->n_out++] = SIM_HDR + len;
	memcpy(sim->last_hdr[ts], su, 2);
	if (li == 1 || li == 2) {
		sim->last_valid &= ~(1u << ts);	/* LSSU: aligning, nothing held */
		sim->in_service &= ~(1u << ts);
	} else {
		sim->last_valid |= 1u << ts;
		if (li >= 3)
			sim->in_service |= 1u << ts;
	}
	if (sim->n_out > 1 || sim->next_dirty || dirty == sim)
		return;
	/* first SU of the round: arm this loop's flush unless another span did */
	for (struct sim_span *d = dirty; d; d = d->next_dirty)
		if (d->span->loop == s->loop)
			goto link;
	if (loop_defer(s->loop, sim_flush_round, s->loop)) {
		sim_flush(s);
		return;
	}
link:
	sim->next_dirty = dirty;
	dirty = sim;
}

/* su (FISU or MSU) says at least what the held FISU h said: same BIB and FIB (no
 * retransmission started or requested in between) and a BSN not older. */
static bool sim_supersedes(const uint8_t *su, const uint8_t *h)
{
	return !((su[0] ^ h[0]) & 0x80) && !((su[1] ^ h[1]) & 0x80) &&
	       ((su[0] - h[0]) & 0x7f) < 64;
}

static void sim_release_held(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;

	for (; sim->held_map; sim->held_map &= sim->held_map - 1) {
		unsigned ts = (unsigned)__builtin_ctz(sim->held_map);

		sim_batch_su(s, ts, sim->held[ts], 3);
	}
}

static void sim_hold_expired(struct timer *t, void *user)
{
	sim_release_held(user);
	sim_flush(user);
}

/* An SU libss7 wrote. FISUs carry only BSN/BIB/FSN/FIB; libss7 in DAHDIMTP2 mode writes
 * one to acknowledge, and one after every burst of MSUs. On a link in service a FISU is
 * held up to SIM_FISU_HOLD_US and dropped when a newer FISU or an MSU that says as much
 * comes first; a FISU repeating the last SU's header is dropped at once. What reaches
 * the peer is what a real link's FISU repetition shows it: the latest state, in order
 * with the MSUs. Alignment (LSSUs, and FISUs before the first MSU) is never held. */
static void sim_queue_su(struct tdm_span *s, unsigned ts, const uint8_t *su, size_t len)
{
	struct sim_span *sim = s->priv;
	uint8_t li = su[2] & 0x3f;
	uint32_t bit = 1u << ts;

	if (sim->held_map & bit) {
		sim->held_map &= ~bit;
		if (li == 1 || li == 2 || !sim_supersedes(su, sim->held[ts]))
			sim_batch_su(s, ts, sim->held[ts], 3);
	}
	if (li == 0 && len == 3) {
		if ((sim->last_valid & bit) && !memcmp(sim->last_hdr[ts], su, 2))
			return;	/* nothing new for the peer */
		if (sim->in_service & bit) {
			memcpy(sim->held[ts], su, 3);
			sim->held_map |= bit;
			if (!timer_pending(&sim->hold))
				timer_schedule_us(&sim->hold, SIM_FISU_HOLD_US);
			return;
		}
	}
	sim_batch_su(s, ts, su, len);
}

static void sim_send(struct tdm_span *s, enum sim_type type, unsigned ts, const uint8_t *p,
		     size_t len)
{
	uint8_t buf[SIM_HDR + TDM_SU_MAX + TDM_BLOCK_BYTES];
	uint8_t flags = 0;

	if (type == SIM_HELLO)
		flags = (s->up ? SIM_HELLO_HEARD : 0) | SIM_HELLO_MULTI;
	sim_hdr(s, buf, type, ts, flags);
	memcpy(buf + SIM_HDR, p, len);
	sim_xmit(s, buf, SIM_HDR + len);
}

static void sim_hello(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;
	uint8_t p[2] = { (uint8_t)s->cfg.law, (uint8_t)s->cfg.channels };

	sim->last_hello_us = clock_now_us();
	sim_send(s, SIM_HELLO, 0, p, sizeof(p));
}

static void sim_schedule(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;
	uint64_t now = clock_now_us();
	uint64_t step = tdm_span_any_enabled(s) ? TDM_BLOCK_MS * 1000ull
						: s->cfg.hello_ms * 1000ull / 2;

	sim->next_tick_us += step;
	if (sim->next_tick_us + 100000 < now || sim->next_tick_us > now + step)
		sim->next_tick_us = now + step;	/* fell behind (or slept): resync */
	timer_schedule_at_us(&sim->tick, sim->next_tick_us);
}

/* One 20 ms tick of bearer: the next block of every enabled timeslot (queued or idle,
 * taken even while down so queues do not go stale), sent as one BEARER_MULTI datagram, or
 * as one BEARER per timeslot to a peer that did not offer MULTI. */
static void sim_bearer_tick(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;
	uint8_t buf[SIM_DGRAM_MAX];
	uint8_t *blk = buf + SIM_HDR + SIM_MAP;
	uint32_t map = 0;
	unsigned ts, n = 0;

	for (ts = 1; ts <= s->cfg.channels; ts++) {
		if (!s->ts[ts].enabled)
			continue;
		tdm_bearer_next(s, ts, blk + n * TDM_BLOCK_BYTES);
		map |= 1u << ts;
		n++;
	}
	if (!n || !s->up)
		return;
	if (sim->peer_multi) {
		sim_hdr(s, buf, SIM_BEARER_MULTI, n, 0);
		buf[SIM_HDR] = (uint8_t)(map >> 24);
		buf[SIM_HDR + 1] = (uint8_t)(map >> 16);
		buf[SIM_HDR + 2] = (uint8_t)(map >> 8);
		buf[SIM_HDR + 3] = (uint8_t)map;
		sim_xmit(s, buf, SIM_HDR + SIM_MAP + n * TDM_BLOCK_BYTES);
		return;
	}
	for (; map; map &= map - 1, blk += TDM_BLOCK_BYTES)
		sim_send(s, SIM_BEARER, (unsigned)__builtin_ctz(map), blk, TDM_BLOCK_BYTES);
}

static void sim_tick(struct timer *t, void *user)
{
	struct tdm_span *s = user;
	struct sim_span *sim = s->priv;
	uint64_t now = clock_now_us();

	if (s->up && now - sim->last_heard_us >= s->cfg.dead_ms * 1000ull) {
		sim->peer_multi = false;	/* whoever comes back says again */
		tdm_span_set_up(s, false);
	}
	if (now - sim->last_hello_us >= s->cfg.hello_ms * 1000ull)
		sim_hello(s);
	sim_bearer_tick(s);
	sim_schedule(s);
}

/* BEARER_MULTI: count in the header, bitmap of timeslots, then the blocks in timeslot
 * order. Malformed ones are dropped whole (logged once per span). */
static void sim_rx_multi(struct tdm_span *s, const uint8_t *buf, size_t n)
{
	struct sim_span *sim = s->priv;
	unsigned count = buf[4];
	const uint8_t *blk = buf + SIM_HDR + SIM_MAP;
	uint32_t map = 0;

	if (n >= SIM_HDR + SIM_MAP)
		map = (uint32_t)buf[SIM_HDR] << 24 | (uint32_t)buf[SIM_HDR + 1] << 16 |
		      (uint32_t)buf[SIM_HDR + 2] << 8 | buf[SIM_HDR + 3];
	if (!map || (map & 1) || (unsigned)__builtin_popcount(map) != count ||
	    n != SIM_HDR + SIM_MAP + (size_t)count * TDM_BLOCK_BYTES) {
		if (!sim->told_bad)
			LOGP(DTDM, LOGL_ERROR, "span %s: malformed BEARER_MULTI dropped "
			     "(%zu bytes, count %u)", s->cfg.name, n, count);
		sim->told_bad = true;
		return;
	}
	for (; map; map &= map - 1, blk += TDM_BLOCK_BYTES) {
		unsigned ts = (unsigned)__builtin_ctz(map);

		if (ts <= s->cfg.channels)
			tdm_bearer_deliver(s, ts, blk);
	}
}

static void sim_rx_one(struct tdm_span *s, const uint8_t *buf, size_t n)
{
	struct sim_span *sim = s->priv;
	unsigned ts = buf[4];
	uint16_t seq = (uint16_t)(buf[6] << 8 | buf[7]);

	if (sim->heard_any && seq != sim->rx_seq)
		sim->rx_gaps++;
	sim->heard_any = true;
	sim->rx_seq = (uint16_t)(seq + 1);
	sim->last_heard_us = clock_now_us();
	if (!s->up) {
		tdm_span_set_up(s, true);
		sim_hello(s);	/* let the peer see us at once */
	}
	switch (buf[3]) {
	case SIM_SU:
		if (ts >= 1 && ts <= s->cfg.channels && s->ts[ts].link)
			tdm_link_net_rx(s->ts[ts].link, buf + SIM_HDR, n - SIM_HDR);
		break;
	case SIM_BEARER:
		if (ts >= 1 && ts <= s->cfg.channels && n == SIM_HDR + TDM_BLOCK_BYTES)
			tdm_bearer_deliver(s, ts, buf + SIM_HDR);
		break;
	case SIM_BEARER_MULTI:
		sim_rx_multi(s, buf, n);
		break;
	case SIM_HELLO:
		sim->peer_multi = (buf[5] & SIM_HELLO_MULTI) != 0;
		if (n >= SIM_HDR + 1 && buf[SIM_HDR] != (uint8_t)s->cfg.law)
			LOGP(DTDM, LOGL_ERROR, "span %s: peer uses %s, we use %s", s->cfg.name,
			     tdm_law_name(buf[SIM_HDR] ? TDM_LAW_ALAW : TDM_LAW_ULAW),
			     tdm_law_name(s->cfg.law));
		break;
	}
}

/* Datagrams are taken SIM_RX_BATCH at a time (recvmmsg), at most 64 per wakeup so that
 * other fds get their turn. One buffer set for all spans: nothing here re-enters. */
static void sim_readable(struct loop *l, int fd, short revents, void *user)
{
	static uint8_t buf[SIM_RX_BATCH][SIM_DGRAM_MAX + 64];
	struct tdm_span *s = user;
	struct mmsghdr mm[SIM_RX_BATCH];
	struct iovec iov[SIM_RX_BATCH];
	int i, n, round;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < SIM_RX_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = sizeof(buf[i]) };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	for (round = 0; round < 64 / SIM_RX_BATCH; round++) {
		n = recvmmsg(fd, mm, SIM_RX_BATCH, MSG_DONTWAIT, NULL);
		for (i = 0; i < n; i++) {
			size_t len = mm[i].msg_len;

			if (len < SIM_HDR || buf[i][0] != SIM_MAGIC0 ||
			    buf[i][1] != SIM_MAGIC1 || buf[i][2] != SIM_VERSION)
				continue;
			sim_rx_one(s, buf[i], len);
		}
		if (n < SIM_RX_BATCH)
			return;	/* the socket is empty (or failed) */
	}
}

static int sim_socket(const struct tdm_span_cfg *cfg, char *err, size_t errlen)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	if (fd < 0) {
		snprintf(err, errlen, "span %s: socket: %s", cfg->name, strerror(errno));
		return -1;
	}
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(cfg->local_port);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		snprintf(err, errlen, "span %s: bind 127.0.0.1:%u: %s", cfg->name,
			 cfg->local_port, strerror(errno));
		close(fd);
		return -1;
	}
	a.sin_port = htons(cfg->remote_port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		snprintf(err, errlen, "span %s: connect 127.0.0.1:%u: %s", cfg->name,
			 cfg->remote_port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int sim_span_open(struct tdm_span *s, char *err, size_t errlen)
{
	struct sim_span *sim = calloc(1, sizeof(*sim));

	if (!sim) {
		snprintf(err, errlen, "span %s: out of memory", s->cfg.name);
		return -ENOMEM;
	}
	sim->fd = sim_socket(&s->cfg, err, errlen);
	if (sim->fd < 0) {
		free(sim);
		return -EIO;
	}
	if (loop_fd_add(s->loop, sim->fd, POLLIN, sim_readable, s)) {
		snprintf(err, errlen, "span %s: loop_fd_add failed", s->cfg.name);
		close(sim->fd);
		free(sim);
		return -EIO;
	}
	s->priv = sim;
	sim->span = s;
	timer_setup(&sim->hold, s->loop, sim_hold_expired, s);
	timer_setup(&sim->tick, s->loop, sim_tick, s);
	sim_hello(s);
	sim->next_tick_us = clock_now_us();
	sim_schedule(s);
	return 0;
}

static void sim_span_close(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;

	sim_release_held(s);
	sim_flush(s);
	timer_cancel(&sim->hold);
	timer_cancel(&sim->tick);
	loop_fd_del(s->loop, sim->fd);
	close(sim->fd);
	free(sim);
	s->priv = NULL;
}

/* Switching from the slow hello pace to 20 ms frames (or back) takes effect now. */
static int sim_bearer_enable(struct tdm_span *s, unsigned ts, bool on)
{
	struct sim_span *sim = s->priv;

	sim->next_tick_us = clock_now_us();
	sim_schedule(s);
	return 0;
}

static int sim_link_send(struct tdm_span *s, struct tdm_link *lk, const uint8_t *su, size_t len)
{
	if (len < 3 || len > TDM_SU_MAX)
		return -EINVAL;
	sim_queue_su(s, lk->ts, su, len);
	return 0;
}

const struct tdm_ops tdm_sim_ops = {
	.name = "sim",
	.span_open = sim_span_open,
	.span_close = sim_span_close,
	.bearer_enable = sim_bearer_enable,
	.link_send = sim_link_send,
};
