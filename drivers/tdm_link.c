/* drivers/tdm_link.c - signalling-link relay between libss7's fd, which libss7 uses as a
 * DAHDI MTP2 channel (each datagram = SU + 2 FCS bytes), and the backend's network side,
 * through the link's hook (validator + pcap) in both directions. The FCS bytes are zero:
 * nothing checks them. Two kinds of fd:
 * - in process (tdm_link_open_inproc on a sim span): a drivers/tdm_vfd.h descriptor;
 *   an SU from the network is queued for libss7's next read(), what libss7 write()s is
 *   relayed at once. No kernel crossing between libss7 and the span.
 * - a SOCK_SEQPACKET socketpair (tdm_link_open, and dahdi spans, whose backend paces
 *   libss7 by not reading the socket): libss7 has one end, we poll the other; what
 *   libss7 wrote is taken in one recvmmsg per wakeup (or when its owner asks). */
#include "drivers/tdm_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/loop.h"
#include "drivers/tdm_vfd.h"

#define FCS_LEN 2

#define RELAY_BATCH 16	/* SUs taken from libss7 per wakeup (one recvmmsg) */

/* One SU libss7 wrote: strip the FCS, hook, send to the network while the span is up. */
static void ss7_side_su(struct tdm_link *lk, uint8_t *buf, size_t n, bool trunc)
{
	size_t len;

	if (trunc || n < 3 + FCS_LEN) {
		lk->st.tx_discarded++;
		return;
	}
	len = n - FCS_LEN;
	if (len > TDM_SU_MAX || (lk->hook && !lk->hook(lk->user, lk, TDM_SU_TX, buf, &len,
							 TDM_SU_MAX))) {
		lk->st.tx_discarded++;
		return;
	}
	if (!lk->span->up || lk->span->ops->link_send(lk->span, lk, buf, len)) {
		lk->st.tx_discarded++;
		return;
	}
	lk->st.tx_sus++;
}

/* libss7 wrote: take every SU waiting (up to RELAY_BATCH) in one recvmmsg. */
static void ss7_side_take(struct tdm_link *lk, int fd)
{
	uint8_t buf[RELAY_BATCH][TDM_SU_MAX + FCS_LEN + 64];
	struct iovec iov[RELAY_BATCH];
	struct mmsghdr mm[RELAY_BATCH];
	int n, i;

	memset(mm, 0, sizeof(mm));
	for (i = 0; i < RELAY_BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = sizeof(buf[i]) };
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	n = recvmmsg(fd, mm, RELAY_BATCH, MSG_DONTWAIT, NULL);
	for (i = 0; i < n; i++)
		ss7_side_su(lk, buf[i], mm[i].msg_len,
			    (mm[i].msg_hdr.msg_flags & MSG_TRUNC) != 0);
}

static void ss7_side_readable(struct loop *l, int fd, short revents, void *user)
{
	ss7_side_take(user, fd);
}

/* In process: libss7 write() one SU + 2 bytes; relayed before write() returns. */
static void ss7_side_wrote(void *user, const uint8_t *buf, size_t n)
{
	uint8_t su[TDM_SU_MAX + FCS_LEN];

	/* the hook may rewrite in place (up to TDM_SU_MAX): libss7's buffer is its own */
	if (n > sizeof(su)) {
		ss7_side_su(user, su, n, true);
		return;
	}
	memcpy(su, buf, n);
	ss7_side_su(user, su, n, false);
}

void tdm_link_take_tx(struct tdm_link *lk)
{
	if (!lk->vfd)
		ss7_side_take(lk, lk->fd_ours);
}

void tdm_link_net_rx(struct tdm_link *lk, const uint8_t *su, size_t len)
{
	uint8_t buf[TDM_SU_MAX + FCS_LEN];

	if (len > TDM_SU_MAX) {
		lk->st.rx_discarded++;
		return;
	}
	memcpy(buf, su, len);
	if (lk->hook && !lk->hook(lk->user, lk, TDM_SU_RX, buf, &len, TDM_SU_MAX)) {
		lk->st.rx_discarded++;
		return;
	}
	if (len > TDM_SU_MAX) {
		lk->st.rx_discarded++;
		return;
	}
	buf[len] = buf[len + 1] = 0;
	if (lk->vfd) {
		if (!tdm_vfd_push(lk->vfd, buf, len + FCS_LEN)) {
			LOGP(DTDM, LOGL_ERROR, "span %s ts %u: SU to libss7 lost: %u SUs wait",
			     lk->span->cfg.name, lk->ts, tdm_vfd_pending(lk->vfd));
			lk->st.rx_discarded++;
			return;
		}
	} else if (send(lk->fd_ours, buf, len + FCS_LEN, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		LOGP(DTDM, LOGL_ERROR, "span %s ts %u: SU to libss7 lost: %s",
		     lk->span->cfg.name, lk->ts, strerror(errno));
		lk->st.rx_discarded++;
		return;
	}
	lk->st.rx_sus++;
}

int tdm_link_inject(struct tdm_link *lk, const uint8_t *su, size_t len)
{
	uint8_t buf[TDM_SU_MAX + FCS_LEN];

	if (len < 3 || len > TDM_SU_MAX)
		return -1;
	memcpy(buf, su, len);
	buf[len] = buf[len + 1] = 0;
	if (lk->vfd)
		return tdm_vfd_push(lk->vfd, buf, len + FCS_LEN) ? 0 : -1;
	if (send(lk->fd_ours, buf, len + FCS_LEN, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return -1;
	lk->st.rx_sus++;	/* the owner reads as many as were relayed */
	return 0;
}

/* libss7's fd as a socketpair end (ours polled on the loop). */
static int link_socketpair(struct tdm_link *lk)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv))
		return -1;
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	/* libss7's end too: its owner may call ss7_read until it returns -1 (EAGAIN), and
	 * a full socket must not block the one thread that also empties it */
	fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK);
	lk->fd_ours = sv[0];
	lk->fd_ss7 = sv[1];
	if (loop_fd_add(lk->span->loop, lk->fd_ours, POLLIN, ss7_side_readable, lk)) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	return 0;
}

/* libss7's fd served in process. Only where the backend takes every SU at once: the
 * sim backend's link_send never waits, dahdi's paces libss7 through the socket. */
static int link_vfd(struct tdm_link *lk)
{
	if (lk->span->ops != &tdm_sim_ops)
		return -1;
	lk->vfd = malloc(sizeof(*lk->vfd));
	if (!lk->vfd)
		return -1;
	if (tdm_vfd_open(lk->vfd, ss7_side_wrote, lk) < 0) {
		free(lk->vfd);
		lk->vfd = NULL;
		return -1;
	}
	lk->fd_ours = -1;
	lk->fd_ss7 = lk->vfd->fd;
	return 0;
}

static void link_fds_close(struct tdm_link *lk)
{
	if (lk->vfd) {
		tdm_vfd_close(lk->vfd);
		free(lk->vfd);
		lk->vfd = NULL;
		return;
	}
	loop_fd_del(lk->span->loop, lk->fd_ours);
	close(lk->fd_ours);
	close(lk->fd_ss7);
}

static struct tdm_link *link_open(struct tdm_span *s, unsigned ts, uint16_t id,
				  tdm_su_hook hook, tdm_link_state_cb state_cb, void *user,
				  bool inproc)
{
	struct tdm_link *lk;

	if (ts < 1 || ts > s->cfg.channels || s->ts[ts].link || s->ts[ts].enabled) {
		errno = EINVAL;
		return NULL;
	}
	lk = calloc(1, sizeof(*lk));
	if (!lk)
		return NULL;
	lk->span = s;
	lk->ts = ts;
	lk->id = id;
	lk->hook = hook;
	lk->state_cb = state_cb;
	lk->user = user;
	/* a vfd that cannot be had (fd number too high) falls back to the socketpair */
	if ((!inproc || link_vfd(lk)) && link_socketpair(lk)) {
		free(lk);
		return NULL;
	}
	if (s->ops->link_open && s->ops->link_open(s, lk)) {
		link_fds_close(lk);
		free(lk);
		errno = EIO;
		return NULL;
	}
	s->ts[ts].link = lk;
	lk->next = s->links;
	s->links = lk;
	LOGP(DTDM, LOGL_INFO, "span %s ts %u: signalling link %u open (fd %d for libss7%s)",
	     s->cfg.name, ts, id, lk->fd_ss7, lk->vfd ? ", in process" : "");
	return lk;
}

struct tdm_link *tdm_link_open(struct tdm_span *s, unsigned ts, uint16_t id, tdm_su_hook hook,
			       tdm_link_state_cb state_cb, void *user)
{
	return link_open(s, ts, id, hook, state_cb, user, false);
}

struct tdm_link *tdm_link_open_inproc(struct tdm_span *s, unsigned ts, uint16_t id,
				      tdm_su_hook hook, tdm_link_state_cb state_cb, void *user)
{
	return link_open(s, ts, id, hook, state_cb, user, true);
}

void tdm_link_close(struct tdm_link *lk)
{
	struct tdm_span *s;
	struct tdm_link **pp;

	if (!lk)
		return;
	s = lk->span;
	for (pp = &s->links; *pp; pp = &(*pp)->next) {
		if (*pp == lk) {
			*pp = lk->next;
			break;
		}
	}
	if (s->ops->link_close)
		s->ops->link_close(s, lk);
	s->ts[lk->ts].link = NULL;
	link_fds_close(lk);
	free(lk);
}

bool tdm_link_is_inproc(const struct tdm_link *lk)
{
	return lk->vfd != NULL;
}

unsigned tdm_link_rx_pending(const struct tdm_link *lk)
{
	return lk->vfd ? tdm_vfd_pending(lk->vfd) : 0;
}

int tdm_link_fd(const struct tdm_link *lk)
{
	return lk->fd_ss7;
}

uint16_t tdm_link_id(const struct tdm_link *lk)
{
	return lk->id;
}

struct tdm_span *tdm_link_span(const struct tdm_link *lk)
{
	return lk->span;
}

unsigned tdm_link_ts(const struct tdm_link *lk)
{
	return lk->ts;
}

void tdm_link_get_stats(const struct tdm_link *lk, struct tdm_link_stats *st)
{
	*st = lk->st;
}
