/* drivers/tdm_dahdi.c - the "dahdi" TDM backend: a span is base_channel .. +channels-1 of
 * a DAHDI span configured by dahdi_cfg (system.conf). One fd per timeslot, opened at
 * span_open (DAHDI channels are exclusive), so a missing, unconfigured or busy channel
 * stops startup with its name. Bearers: 160-byte blocks paced by the kernel (one write
 * per block read), law from DAHDI_GET_PARAMS. Links: an `mtp2` or `dchan` channel is the
 * network side of tdm_link.c's relay. Alarms: POLLPRI events and a DAHDI_SPANSTAT poll.
 * Two bridged dahdi timeslots of one law are cross-connected in the kernel (DIGITALMON);
 * the bridge set by tdm_bearer_bridge() is applied on the next block each side reads. */
#include "drivers/tdm_dahdi.h"
#include "drivers/tdm_priv.h"

#include <dahdi/user.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/loop.h"

#define DAHDI_CHANNEL_DEV "/dev/dahdi/channel"
#define DAHDI_CHECK_MS 250 /* DAHDI_SPANSTAT poll: alarms without a channel event */
#define DAHDI_TX_PRIME 2 /* idle blocks written at enable: 40 ms of jitter slack */
#define FCS_LEN 2
#define DAHDI_LINK_SETTLE_MS 60 /* no SU written this soon after the link's FLUSH */
#define SU_BUF (TDM_SU_MAX + FCS_LEN + 64)

struct dahdi_ts {
	struct tdm_span *span;
	unsigned ts;
	int fd;
	int channo;
	int sigtype;
	int kpeer; /* channel we DIGITALMON (kernel bridge), 0 = none */
	bool broken; /* read error: POLLIN off until the span recovers */
	struct tdm_dahdi_ts_stats st;
};

struct dahdi_span {
	int spanno;
	struct timer check;
	struct dahdi_ts ts[TDM_TIMESLOTS_MAX + 1];
};

/* SUs the kernel refused (EAGAIN) wait here, in order, until POLLOUT; meanwhile libss7's
 * side is not read. Room for a whole relay batch (tdm_link.c takes several SUs at once,
 * and tdm_link_take_tx() may push more before the next poll round). */
#define LINK_TXQ 32

struct dahdi_link {
	bool dchan;
	bool settling; /* just opened: SUs wait in q (DAHDI_LINK_SETTLE_MS) */
	struct timer settle;
	unsigned head, count;
	uint16_t len[LINK_TXQ];
	uint8_t q[LINK_TXQ][SU_BUF];
};

const char *tdm_dahdi_sig_name(enum tdm_dahdi_sig sig)
{
	return sig == TDM_DAHDI_SIG_DCHAN ? "dchan" : "mtp2";
}

static struct dahdi_ts *dts(struct tdm_span *s, unsigned ts)
{
	return &((struct dahdi_span *)s->priv)->ts[ts];
}

static bool sig_is_hdlc(int sigtype)
{
	return (sigtype & DAHDI_SIG_HDLCFCS) == DAHDI_SIG_HDLCFCS;
}

static short ts_events(struct tdm_span *s, unsigned ts)
{
	struct tdm_ts *t = &s->ts[ts];

	if (dts(s, ts)->broken)
		return POLLPRI;
	return (t->link || t->enabled) ? POLLIN | POLLPRI : POLLPRI;
}

/* Span state from DAHDI_SPANSTAT: up when the span reports no alarm. */
static void dahdi_check_span(struct tdm_span *s)
{
	struct dahdi_span *ds = s->priv;
	struct dahdi_spaninfo si = { .spanno = ds->spanno };
	unsigned ts;
	bool up;

	if (ioctl(ds->ts[1].fd, DAHDI_SPANSTAT, &si)) {
		up = false;
	} else {
		up = si.alarms == 0;
		if (!up && s->up)
			LOGP(DTDM, LOGL_NOTICE, "span %s: DAHDI span %d alarms 0x%x", s->cfg.name,
			     ds->spanno, si.alarms);
	}
	if (up) {
		for (ts = 1; ts <= s->cfg.channels; ts++) {
			if (ds->ts[ts].broken) {
				ds->ts[ts].broken = false;
				loop_fd_mod(s->loop, ds->ts[ts].fd, ts_events(s, ts));
			}
		}
	}
	tdm_span_set_up(s, up);
}

static void dahdi_check_timer(struct timer *t, void *user)
{
	struct tdm_span *s = user;
	struct dahdi_span *ds = s->priv;

	timer_schedule_ms(&ds->check, DAHDI_CHECK_MS); /* first: the callback may close s */
	dahdi_check_span(s);
}

static void dahdi_events(struct dahdi_ts *d)
{
	struct tdm_span *s = d->span;
	int ev, n;

	for (n = 0; n < 16; n++) {
		if (ioctl(d->fd, DAHDI_GETEVENT, &ev) || ev == DAHDI_EVENT_NONE)
			return;
		switch (ev) {
		case DAHDI_EVENT_ALARM:
		case DAHDI_EVENT_REMOVED:
			LOGP(DTDM, s->up ? LOGL_NOTICE : LOGL_DEBUG, "span %s: channel %d: %s",
			     s->cfg.name, d->channo, ev == DAHDI_EVENT_ALARM ? "alarm" : "removed");
			tdm_span_set_up(s, false);
			return; /* set_up callbacks may have closed the span */
		case DAHDI_EVENT_NOALARM:
			dahdi_check_span(s);
			return;
		case DAHDI_EVENT_BADFCS:
		case DAHDI_EVENT_ABORT:
		case DAHDI_EVENT_OVERRUN:
			d->st.bad_frames++;
			LOGP(DTDM, LOGL_DEBUG, "span %s ts %u: bad frame (event %d)", s->cfg.name,
			     d->ts, ev);
			break;
		default:
			LOGP(DTDM, LOGL_DEBUG, "span %s ts %u: event %d", s->cfg.name, d->ts, ev);
			break;
		}
	}
}

/* Kernel cross-connect: follow the bridge tdm_bearer_bridge() recorded for this timeslot.
 * Each side sets its own channel to transmit what the other one receives. */
static void dahdi_sync_bridge(struct tdm_span *s, unsigned ts)
{
	struct dahdi_ts *d = dts(s, ts);
	struct tdm_ts *t = &s->ts[ts];
	struct dahdi_confinfo ci = { 0 };
	int want = 0;

	/* spans of different laws stay on the userspace relay, which transcodes */
	if (t->peer && t->peer->ops == &tdm_dahdi_ops && t->peer->priv &&
	    t->peer->cfg.law == s->cfg.law)
		want = dts(t->peer, t->peer_ts)->channo;
	if (want == d->kpeer)
		return;
	ci.confno = want;
	ci.confmode = want ? DAHDI_CONF_DIGITALMON : DAHDI_CONF_NORMAL;
	if (ioctl(d->fd, DAHDI_SETCONF, &ci)) {
		LOGP(DTDM, LOGL_ERROR, "span %s ts %u: DAHDI_SETCONF channel %d -> %d: %s",
		     s->cfg.name, ts, d->channo, want, strerror(errno));
		return; /* the userspace relay carries the call meanwhile */
	}
	LOGP(DTDM, LOGL_INFO, "span %s ts %u: kernel cross-connect %d %s %d", s->cfg.name, ts,
	     d->channo, want ? "<-" : "-x-", want ? want : d->kpeer);
	d->kpeer = want;
	d->st.kernel_bridged = want != 0;
}

static void dahdi_fd_broken(struct dahdi_ts *d, const char *what, int err)
{
	struct tdm_span *s = d->span;

	LOGP(DTDM, LOGL_ERROR, "span %s ts %u: channel %d: %s: %s", s->cfg.name, d->ts, d->channo,
	     what, strerror(err));
	d->broken = true;
	loop_fd_mod(s->loop, d->fd, POLLPRI);
	tdm_span_set_up(s, false);
}

/* One block in, one block out: the kernel's clock paces both directions. */
static void dahdi_bearer_readable(struct dahdi_ts *d)
{
	struct tdm_span *s = d->span;
	uint8_t in[TDM_BLOCK_BYTES], out[TDM_BLOCK_BYTES];
	ssize_t n = read(d->fd, in, sizeof(in));

	if (n < 0) {
		if (errno == ELAST)
			dahdi_events(d);
		else if (errno != EAGAIN && errno != EINTR)
			dahdi_fd_broken(d, "read", errno);
		return;
	}
	if (n != TDM_BLOCK_BYTES)
		return;
	d->st.rx_blocks++;
	dahdi_sync_bridge(s, d->ts);
	if (d->kpeer) {
		d->st.rx_bridged++;
		return;
	}
	tdm_bearer_next(s, d->ts, out);
	if (write(d->fd, out, sizeof(out)) == (ssize_t)sizeof(out))
		d->st.tx_blocks++;
	else
		d->st.tx_drops++;
	tdm_bearer_deliver(s, d->ts, in); /* last: bearer_rx may close the span */
}

static void dahdi_link_readable(struct dahdi_ts *d, struct tdm_link *lk)
{
	uint8_t buf[SU_BUF];
	ssize_t n;
	int i;

	for (i = 0; i < 8; i++) {
		n = read(d->fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == ELAST)
				dahdi_events(d);
			else if (errno != EAGAIN && errno != EINTR)
				dahdi_fd_broken(d, "read", errno);
			return;
		}
		if (n < 3 + FCS_LEN) {
			d->st.bad_frames++;
			continue;
		}
		tdm_link_net_rx(lk, buf, (size_t)n - FCS_LEN);
	}
}

/* The channel has room again: send what waits, then let libss7's SUs flow again. */
static void dahdi_link_writable(struct dahdi_ts *d, struct tdm_link *lk)
{
	struct dahdi_link *dl = lk->priv;

	while (dl->count) {
		if (write(d->fd, dl->q[dl->head], dl->len[dl->head]) < 0) {
			if (errno != EAGAIN && errno != EINTR)
				dahdi_fd_broken(d, "write", errno);
			return;
		}
		dl->head = (dl->head + 1) % LINK_TXQ;
		dl->count--;
	}
	loop_fd_mod(d->span->loop, d->fd, ts_events(d->span, d->ts));
	loop_fd_mod(d->span->loop, lk->fd_ours, POLLIN);
}

static void dahdi_fd_cb(struct loop *l, int fd, short revents, void *user)
{
	struct dahdi_ts *d = user;
	struct tdm_ts *t = &d->span->ts[d->ts];

	if (revents & POLLPRI) {
		dahdi_events(d);
		return; /* events may close the span: the rest waits for the next round */
	}
	if (revents & POLLNVAL) {
		dahdi_fd_broken(d, "poll", EBADF);
		return;
	}
	if (t->link && (revents & POLLOUT))
		dahdi_link_writable(d, t->link);
	else if (t->link && (revents & (POLLIN | POLLERR)))
		dahdi_link_readable(d, t->link);
	else if (t->enabled && (revents & (POLLIN | POLLERR)))
		dahdi_bearer_readable(d);
}

static int dahdi_open_channel(struct tdm_span *s, struct dahdi_ts *d, char *err, size_t errlen)
{
	struct dahdi_params p = { 0 };
	int fd = open(DAHDI_CHANNEL_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	int e;

	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "span %s ts %u: DAHDI channel %d: open %s: %s%s", s->cfg.name,
			 d->ts, d->channo, DAHDI_CHANNEL_DEV, strerror(e),
			 e == ENOENT ? " (dahdi module not loaded?)" : "");
		return -e;
	}
	if (ioctl(fd, DAHDI_SPECIFY, &d->channo) || ioctl(fd, DAHDI_GET_PARAMS, &p)) {
		e = errno;
		snprintf(err, errlen, "span %s ts %u: DAHDI channel %d: %s%s", s->cfg.name, d->ts,
			 d->channo, strerror(e),
			 e == ENXIO ? " (not configured: system.conf + dahdi_cfg)" :
			 e == EBUSY ? " (in use by another program)" :
				      "");
		close(fd);
		return -e;
	}
	if (!p.sigtype) {
		snprintf(err, errlen,
			 "span %s ts %u: DAHDI channel %d is not configured "
			 "(system.conf + dahdi_cfg)",
			 s->cfg.name, d->ts, d->channo);
		close(fd);
		return -ENXIO;
	}
	d->fd = fd;
	d->sigtype = p.sigtype;
	d->st.channo = d->channo;
	if (d->ts == 1 || !((struct dahdi_span *)s->priv)->spanno)
		((struct dahdi_span *)s->priv)->spanno = p.spanno;
	if (!sig_is_hdlc(p.sigtype))
		s->cfg.law = p.curlaw == DAHDI_LAW_ALAW ? TDM_LAW_ALAW : TDM_LAW_ULAW;
	return 0;
}

static void dahdi_close_fds(struct tdm_span *s)
{
	struct dahdi_span *ds = s->priv;
	struct dahdi_confinfo ci = { 0 };
	unsigned ts;

	for (ts = 1; ts <= TDM_TIMESLOTS_MAX; ts++) {
		struct dahdi_ts *d = &ds->ts[ts];

		if (d->fd < 0)
			continue;
		if (d->kpeer)
			ioctl(d->fd, DAHDI_SETCONF, &ci);
		loop_fd_del(s->loop, d->fd);
		close(d->fd);
		d->fd = -1;
	}
}

static int dahdi_span_open(struct tdm_span *s, char *err, size_t errlen)
{
	struct dahdi_span *ds = calloc(1, sizeof(*ds));
	enum tdm_law cfg_law = s->cfg.law;
	unsigned ts;
	int rc;

	if (!ds) {
		snprintf(err, errlen, "span %s: out of memory", s->cfg.name);
		return -ENOMEM;
	}
	s->priv = ds;
	for (ts = 0; ts <= TDM_TIMESLOTS_MAX; ts++)
		ds->ts[ts].fd = -1;
	for (ts = 1; ts <= s->cfg.channels; ts++) {
		struct dahdi_ts *d = &ds->ts[ts];

		d->span = s;
		d->ts = ts;
		d->channo = (int)(s->cfg.base_channel + ts - 1);
		rc = dahdi_open_channel(s, d, err, errlen);
		if (!rc && loop_fd_add(s->loop, d->fd, POLLPRI, dahdi_fd_cb, d)) {
			close(d->fd);
			d->fd = -1;
			snprintf(err, errlen, "span %s: loop_fd_add failed", s->cfg.name);
			rc = -EIO;
		}
		if (rc) {
			dahdi_close_fds(s);
			free(ds);
			s->priv = NULL;
			return rc;
		}
	}
	if (s->cfg.law != cfg_law)
		LOGP(DTDM, LOGL_NOTICE, "span %s: DAHDI span %d uses %s (config said %s)",
		     s->cfg.name, ds->spanno, tdm_law_name(s->cfg.law), tdm_law_name(cfg_law));
	LOGP(DTDM, LOGL_INFO, "span %s: DAHDI span %d, channels %u-%u", s->cfg.name, ds->spanno,
	     s->cfg.base_channel, s->cfg.base_channel + s->cfg.channels - 1);
	timer_setup(&ds->check, s->loop, dahdi_check_timer, s);
	timer_schedule_ms(&ds->check, 0); /* span state: reported once open returns */
	return 0;
}

static void dahdi_span_close(struct tdm_span *s)
{
	struct dahdi_span *ds = s->priv;

	if (!ds)
		return;
	timer_cancel(&ds->check);
	dahdi_close_fds(s);
	free(ds);
	s->priv = NULL;
}

static int dahdi_bearer_enable(struct tdm_span *s, unsigned ts, bool on)
{
	struct dahdi_ts *d = dts(s, ts);
	struct dahdi_bufferinfo bi = { .txbufpolicy = DAHDI_POLICY_IMMEDIATE,
				       .rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
				       .numbufs = 8,
				       .bufsize = TDM_BLOCK_BYTES };
	int bs = TDM_BLOCK_BYTES, audio = 1, flush = DAHDI_FLUSH_ALL;
	uint8_t idle[TDM_BLOCK_BYTES];
	int i;

	if (sig_is_hdlc(d->sigtype)) {
		LOGP(DTDM, LOGL_ERROR, "span %s ts %u: DAHDI channel %d is a signalling channel",
		     s->cfg.name, ts, d->channo);
		return -EINVAL;
	}
	if (!on) {
		struct dahdi_confinfo ci = { 0 };

		if (d->kpeer && !ioctl(d->fd, DAHDI_SETCONF, &ci)) {
			LOGP(DTDM, LOGL_INFO, "span %s ts %u: kernel cross-connect %d -x- %d",
			     s->cfg.name, ts, d->channo, d->kpeer);
			d->kpeer = 0;
		}
		d->st.kernel_bridged = d->kpeer != 0;
		return loop_fd_mod(s->loop, d->fd, POLLPRI);
	}
	if (ioctl(d->fd, DAHDI_SET_BUFINFO, &bi) || ioctl(d->fd, DAHDI_SET_BLOCKSIZE, &bs) ||
	    ioctl(d->fd, DAHDI_AUDIOMODE, &audio) || ioctl(d->fd, DAHDI_FLUSH, &flush)) {
		int e = errno;

		LOGP(DTDM, LOGL_ERROR, "span %s ts %u: DAHDI channel %d: bearer setup: %s",
		     s->cfg.name, ts, d->channo, strerror(e));
		return -e;
	}
	memset(idle, tdm_law_idle(s->cfg.law), sizeof(idle));
	for (i = 0; i < DAHDI_TX_PRIME; i++) /* we write one block per block read */
		(void)!write(d->fd, idle, sizeof(idle));
	return loop_fd_mod(s->loop, d->fd, ts_events(s, ts));
}

/* The settle time after the link's flush is over: what waits goes out on POLLOUT. */
static void dahdi_link_settled(struct timer *t, void *user)
{
	struct tdm_link *lk = user;
	struct dahdi_link *dl = lk->priv;
	struct dahdi_ts *d = dts(lk->span, lk->ts);

	dl->settling = false;
	if (dl->count)
		loop_fd_mod(lk->span->loop, d->fd, POLLIN | POLLPRI | POLLOUT);
}

static int dahdi_link_open(struct tdm_span *s, struct tdm_link *lk)
{
	struct dahdi_ts *d = dts(s, lk->ts);
	struct dahdi_bufferinfo bi = { .txbufpolicy = DAHDI_POLICY_IMMEDIATE,
				       .rxbufpolicy = DAHDI_POLICY_IMMEDIATE,
				       .numbufs = 16,
				       .bufsize = 512 };
	int flush = DAHDI_FLUSH_ALL, sndbuf = 1;
	struct dahdi_link *dl;

	if (!sig_is_hdlc(d->sigtype)) {
		LOGP(DTDM, LOGL_ERROR,
		     "span %s ts %u: DAHDI channel %d is not mtp2= or dchan= "
		     "in system.conf",
		     s->cfg.name, lk->ts, d->channo);
		return -EINVAL;
	}
	if (ioctl(d->fd, DAHDI_SET_BUFINFO, &bi) || ioctl(d->fd, DAHDI_FLUSH, &flush)) {
		LOGP(DTDM, LOGL_ERROR, "span %s ts %u: DAHDI channel %d: link setup: %s",
		     s->cfg.name, lk->ts, d->channo, strerror(errno));
		return -errno;
	}
	dl = calloc(1, sizeof(*dl));
	if (!dl)
		return -ENOMEM;
	dl->dchan = (d->sigtype & DAHDI_SIG_MTP2) != DAHDI_SIG_MTP2;
	/* A frame written right after the flush is often lost (the HDLC transmitter is
	 * re-initialised). In mtp2 mode nothing would repeat it: a lab's first SIO lost
	 * kept its link unaligned past 15 s. The first SUs wait a moment in the queue. */
	dl->settling = true;
	timer_setup(&dl->settle, s->loop, dahdi_link_settled, lk);
	timer_schedule_ms(&dl->settle, DAHDI_LINK_SETTLE_MS);
	/* dchan: libss7 repeats FISUs as fast as its fd is writable; a small socket buffer
	 * lets the kernel's HDLC rate pace it (we read from it only as the channel drains). */
	if (dl->dchan)
		setsockopt(lk->fd_ss7, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	lk->priv = dl;
	LOGP(DTDM, LOGL_INFO, "span %s ts %u: DAHDI channel %d is a %s link", s->cfg.name, lk->ts,
	     d->channo, tdm_dahdi_sig_name(dl->dchan ? TDM_DAHDI_SIG_DCHAN : TDM_DAHDI_SIG_MTP2));
	return loop_fd_mod(s->loop, d->fd, POLLIN | POLLPRI);
}

static void dahdi_link_close(struct tdm_span *s, struct tdm_link *lk)
{
	struct dahdi_ts *d = dts(s, lk->ts);
	int flush = DAHDI_FLUSH_ALL;

	ioctl(d->fd, DAHDI_FLUSH, &flush);
	loop_fd_mod(s->loop, d->fd, POLLPRI);
	if (lk->priv)
		timer_cancel(&((struct dahdi_link *)lk->priv)->settle);
	free(lk->priv);
	lk->priv = NULL;
}

/* Each write() is one SU plus 2 bytes the kernel fills with the FCS. When the channel's
 * buffers are full the SU is queued (order kept) and libss7's side is not read until the
 * channel drains: in dchan mode that paces libss7's FISU stream to the line rate. */
static int dahdi_link_send(struct tdm_span *s, struct tdm_link *lk, const uint8_t *su, size_t len)
{
	struct dahdi_ts *d = dts(s, lk->ts);
	struct dahdi_link *dl = lk->priv;
	uint8_t buf[SU_BUF];
	unsigned tail;

	if (len + FCS_LEN > sizeof(buf))
		return -EMSGSIZE;
	memcpy(buf, su, len);
	buf[len] = buf[len + 1] = 0;
	if (dl->settling) {
		loop_fd_mod(s->loop, lk->fd_ours, 0); /* libss7's side waits as well */
	} else if (!dl->count) {
		if (write(d->fd, buf, len + FCS_LEN) >= 0)
			return 0;
		if (errno != EAGAIN)
			return -errno;
		loop_fd_mod(s->loop, lk->fd_ours, 0);
		loop_fd_mod(s->loop, d->fd, POLLIN | POLLPRI | POLLOUT);
	}
	if (dl->count == LINK_TXQ)
		return -ENOBUFS;
	tail = (dl->head + dl->count) % LINK_TXQ;
	memcpy(dl->q[tail], buf, len + FCS_LEN);
	dl->len[tail] = (uint16_t)(len + FCS_LEN);
	dl->count++;
	return 0;
}

int tdm_dahdi_link_sig(const struct tdm_link *lk)
{
	const struct dahdi_link *dl = lk->priv;

	if (lk->span->ops != &tdm_dahdi_ops || !dl)
		return -EINVAL;
	return dl->dchan ? TDM_DAHDI_SIG_DCHAN : TDM_DAHDI_SIG_MTP2;
}

int tdm_dahdi_ts_stats(const struct tdm_span *s, unsigned ts, struct tdm_dahdi_ts_stats *st)
{
	if (s->ops != &tdm_dahdi_ops || !s->priv || ts < 1 || ts > s->cfg.channels)
		return -EINVAL;
	*st = ((const struct dahdi_span *)s->priv)->ts[ts].st;
	return 0;
}

const struct tdm_ops tdm_dahdi_ops = {
	.name = "dahdi",
	.span_open = dahdi_span_open,
	.span_close = dahdi_span_close,
	.bearer_enable = dahdi_bearer_enable,
	.link_open = dahdi_link_open,
	.link_close = dahdi_link_close,
	.link_send = dahdi_link_send,
};
