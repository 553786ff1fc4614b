/* drivers/tdm_sim.c - the "sim" TDM backend: a span is a point-to-point link between two
 * processes over UDP on 127.0.0.1 (docs/sim-span.md has the datagram format). One socket
 * per span; SUs one per datagram; bearer as 20 ms G.711 frames per enabled timeslot,
 * paced by a core/loop timer; HELLO keepalives; the span is up while the peer was heard
 * within dead_ms. No retransmission: loopback UDP does not lose datagrams in practice. */
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

enum sim_type { SIM_HELLO = 1, SIM_SU = 2, SIM_BEARER = 3 };

struct sim_span {
	int fd;
	struct timer tick;
	uint64_t next_tick_us;
	uint64_t last_heard_us;
	uint64_t last_hello_us;
	uint16_t seq;
	uint16_t rx_seq;
	bool heard_any;
	uint64_t rx_gaps;		/* datagrams missing by sequence number */
};

static void sim_send(struct tdm_span *s, enum sim_type type, unsigned ts, const uint8_t *p,
		     size_t len)
{
	struct sim_span *sim = s->priv;
	uint8_t buf[SIM_HDR + TDM_SU_MAX + TDM_BLOCK_BYTES];

	buf[0] = SIM_MAGIC0;
	buf[1] = SIM_MAGIC1;
	buf[2] = SIM_VERSION;
	buf[3] = (uint8_t)type;
	buf[4] = (uint8_t)ts;
	buf[5] = type == SIM_HELLO && s->up ? 1 : 0;	/* HELLO flag: "I hear you" */
	buf[6] = (uint8_t)(sim->seq >> 8);
	buf[7] = (uint8_t)sim->seq;
	sim->seq++;
	memcpy(buf + SIM_HDR, p, len);
	/* ECONNREFUSED while the peer is absent is expected: the span is down then */
	(void)send(sim->fd, buf, SIM_HDR + len, MSG_DONTWAIT | MSG_NOSIGNAL);
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

static void sim_tick(struct timer *t, void *user)
{
	struct tdm_span *s = user;
	struct sim_span *sim = s->priv;
	uint64_t now = clock_now_us();
	unsigned ts;

	if (s->up && now - sim->last_heard_us >= s->cfg.dead_ms * 1000ull)
		tdm_span_set_up(s, false);
	if (now - sim->last_hello_us >= s->cfg.hello_ms * 1000ull)
		sim_hello(s);
	for (ts = 1; ts <= s->cfg.channels; ts++) {
		uint8_t blk[TDM_BLOCK_BYTES];

		if (!s->ts[ts].enabled)
			continue;
		tdm_bearer_next(s, ts, blk);
		if (s->up)
			sim_send(s, SIM_BEARER, ts, blk, sizeof(blk));
	}
	sim_schedule(s);
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
	case SIM_HELLO:
		if (n >= SIM_HDR + 1 && buf[SIM_HDR] != (uint8_t)s->cfg.law)
			LOGP(DTDM, LOGL_ERROR, "span %s: peer uses %s, we use %s", s->cfg.name,
			     tdm_law_name(buf[SIM_HDR] ? TDM_LAW_ALAW : TDM_LAW_ULAW),
			     tdm_law_name(s->cfg.law));
		break;
	}
}

static void sim_readable(struct loop *l, int fd, short revents, void *user)
{
	struct tdm_span *s = user;
	uint8_t buf[2048];
	int i;

	for (i = 0; i < 64; i++) {	/* bounded batch: others get their turn */
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n < 0)
			return;
		if (n < SIM_HDR || buf[0] != SIM_MAGIC0 || buf[1] != SIM_MAGIC1 ||
		    buf[2] != SIM_VERSION)
			continue;
		sim_rx_one(s, buf, (size_t)n);
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
	timer_setup(&sim->tick, s->loop, sim_tick, s);
	sim_hello(s);
	sim->next_tick_us = clock_now_us();
	sim_schedule(s);
	return 0;
}

static void sim_span_close(struct tdm_span *s)
{
	struct sim_span *sim = s->priv;

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
	sim_send(s, SIM_SU, lk->ts, su, len);
	return 0;
}

const struct tdm_ops tdm_sim_ops = {
	.name = "sim",
	.span_open = sim_span_open,
	.span_close = sim_span_close,
	.bearer_enable = sim_bearer_enable,
	.link_send = sim_link_send,
};
