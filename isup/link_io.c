/* isup/link_io.c - how a linkset's libss7 instance reads, writes and runs: the pump
 * (libss7's events until none is left), the end-of-round read of what the span relay
 * gave it, the writes, and libss7's scheduler on a loop timer. On a sim span libss7's fd
 * is served in process (drivers/tdm_vfd.h): nothing polls it, we read while SUs wait and
 * write while libss7 asks; on a dahdi span it is a socketpair end on the loop, written on
 * POLLOUT. Not here: the SU hook, the libss7 callbacks, opening and closing (isup/link.c),
 * what the events mean (isup/link_event.c). */
#include <errno.h>
#include <sys/time.h>

#include "core/log.h"
#include "drivers/tdm.h"
#include "drivers/tdm_vfd.h"
#include "isup/link_int.h"

static void link_update_fd(struct isup_link *lk)
{
	short want = POLLIN;

	if (lk->inproc)
		return;	/* nothing polls libss7's fd: link_write_arm */

	if (ss7_pollflags(lk->ss7, lk->fd) & POLLOUT)
		want |= POLLOUT;
	if (want != lk->fd_events) {
		loop_fd_mod(lk->loop, lk->fd, want);
		lk->fd_events = want;
	}
}

static void link_sched_arm(struct isup_link *lk)
{
	struct timeval *tv = ss7_schedule_next(lk->ss7);
	struct timeval now;
	int64_t us;

	if (!tv) {
		timer_cancel(&lk->sched);
		return;
	}
	gettimeofday(&now, NULL);
	us = (int64_t)(tv->tv_sec - now.tv_sec) * 1000000 + (tv->tv_usec - now.tv_usec);
	timer_schedule_us(&lk->sched, us > 0 ? (uint64_t)us : 0);
}

/* In process, a guard: in DAHDIMTP2 mode libss7 stops asking once its queued MSUs and
 * one FISU are written (each MSU queued was one ISUP message of ours) */
#define LINK_WRITE_MAX 1024

/* In process, end of the loop round (deferred): libss7 writes while it asks to, each
 * write relayed to the span before it returns. Not at once from link_pump: the owner
 * marks what the TX hook rewrites or measures (ACM charge, IAM origin) after the call
 * that queued the message, and the round's MSUs then carry the acknowledgements of
 * what was read in it. After its MSUs libss7 writes one FISU and stops; a FISU that an
 * MSU of the next moment says as much as is dropped by the sim span (drivers/tdm_sim.c). */
static void link_write_all(void *user)
{
	struct isup_link *lk = user;

	if (!link_alive(lk))
		return;		/* closed during the round */
	lk->write_armed = false;
	if (lk->closing)
		return;
	for (int i = 0; i < LINK_WRITE_MAX; i++)
		if (!(ss7_pollflags(lk->ss7, lk->fd) & POLLOUT) || ss7_write(lk->ss7, lk->fd) <= 0)
			break;
	link_sched_arm(lk);	/* an MSU sent starts MTP2's T7 */
}

static void link_write_arm(struct isup_link *lk)
{
	if (lk->write_armed || lk->closing || !(ss7_pollflags(lk->ss7, lk->fd) & POLLOUT))
		return;
	if (!loop_defer(lk->loop, link_write_all, lk))
		lk->write_armed = true;
}

/* Handle libss7's events until none is left. false when already inside (the outer
 * loop goes round again). */
static bool link_drain(struct isup_link *lk)
{
	ss7_event *e;
	bool any;

	if (lk->in_pump) {
		lk->pump_again = true;
		return false;
	}
	lk->in_pump = true;
	do {
		lk->pump_again = false;
		any = false;
		while ((e = ss7_check_event(lk->ss7))) {
			link_handle_event(lk, e);
			any = true;
		}
		if (lk->n_rejects)
			link_send_rejects(lk);
	} while (any || lk->pump_again);
	lk->in_pump = false;
	return true;
}

void link_pump(struct isup_link *lk)
{
	if (!link_drain(lk) || lk->closing)
		return;
	if (lk->inproc)
		link_write_arm(lk);
	link_update_fd(lk);
	if (!lk->write_armed)
		link_sched_arm(lk);	/* else after the writes (link_write_all) */
}


void link_sched_fired(struct timer *t, void *user)
{
	struct isup_link *lk = user;

	ss7_schedule_run(lk->ss7);
	link_pump(lk);
}

#define LINK_IO_BATCH 32	/* SUs read per pass */

/* libss7 reads one SU per ss7_read. The relay counts the SUs it gave libss7, so we read
 * exactly those; all (until -1, EAGAIN: the fd is non-blocking) when called on POLLIN.
 * Each SU's events are handled before the next is read, as in process (link_io): an
 * RLC's event frees the CIC's call struct that a following IAM on that CIC would reuse. */
static void link_read_all(struct isup_link *lk, bool until_empty)
{
	struct tdm_link_stats ts;
	int i;

	tdm_link_get_stats(lk->tl, &ts);
	for (i = 0; i < LINK_IO_BATCH && (until_empty || lk->ss7_reads < ts.rx_sus); i++) {
		if (ss7_read(lk->ss7, lk->fd) <= 0) {
			lk->ss7_reads = ts.rx_sus;
			return;
		}
		lk->ss7_reads++;
		link_drain(lk);
		if (!link_alive(lk) || lk->closing)
			return;
	}
}


/* End of the loop round (deferred): libss7 reads what the relay gave it this round and
 * its events are handled, without waiting for the next poll. In process, everything
 * queued is read, one SU at a time with its events handled before the next: libss7 keys
 * a received message to the call struct of its CIC, and an RLC and the next IAM on that
 * CIC read before the RLC's event frees the struct leave the IAM's event pointing at
 * freed memory (seen as ACMs with a zeroed label). On a socketpair, writes stay paced by
 * POLLOUT, one SU per round: an acknowledgement then rides on the next MSU instead of
 * going out as a FISU of its own. */
static void link_io(void *user)
{
	struct isup_link *lk = user;

	if (!link_alive(lk))
		return;		/* closed during the round */
	lk->io_armed = false;
	if (!lk->inproc) {
		link_read_all(lk, false);
		if (link_alive(lk))
			link_pump(lk);
		return;
	}
	while (tdm_link_rx_pending(lk->tl)) {
		ss7_read(lk->ss7, lk->fd);
		link_drain(lk);
		if (!link_alive(lk) || lk->closing)
			return;
	}
	link_pump(lk);	/* writes and the scheduler: once for all the SUs read */
}

/* libss7's MTP2 ignores an LSSU whose status is that of the last LSSU it received, in
 * any state: nothing clears that memory, not an alarm, not a restart of MTP2 (libss7
 * mtp2.c, lssu_rx). A peer that restarts sends SIO again; when the last LSSU our libss7
 * saw was an SIO of the peer's previous life (or one read while in alarm), the new SIO
 * is ignored, and when the peer's libss7 ignores ours the same way both ends send only
 * SIO for ever: the link never aligns (reliability soak, cfwdd killed and restarted
 * under load). So each alarm gives libss7 an SIB (busy: neither end sends one) to read
 * while in alarm, after whatever was still queued, and SUs from the span are dropped
 * until the alarm ends (a span in alarm delivers nothing, as on DAHDI). */
enum { LSSU_SIO, LSSU_SIN, LSSU_SIE, LSSU_SIOS, LSSU_SIPO, LSSU_SIB };	/* Q.703 11.1.2 */
static const uint8_t link_sib[] = { 0xff, 0xff, 0x01, LSSU_SIB };

#define LINK_FLUSH_MAX (TDM_VFD_QLEN + 8)

/* libss7 reads everything queued for it (in alarm it acts on none of it: MSUs are
 * refused, LSSUs only remembered) */
static void link_flush_rx(struct isup_link *lk)
{
	struct tdm_link_stats ts;

	for (int i = 0; i < LINK_FLUSH_MAX; i++) {
		if (lk->inproc) {
			if (!tdm_link_rx_pending(lk->tl))
				break;
			ss7_read(lk->ss7, lk->fd);
		} else {
			errno = 0;
			if (ss7_read(lk->ss7, lk->fd) < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
		}
	}
	tdm_link_get_stats(lk->tl, &ts);
	lk->ss7_reads = ts.rx_sus;
}

void link_alarm(struct isup_link *lk)
{
	ss7_link_alarm(lk->ss7, lk->fd);
	lk->alarmed = true;
	link_flush_rx(lk);
	if (tdm_link_inject(lk->tl, link_sib, sizeof(link_sib)) < 0)
		LOGP(DSS7, LOGL_ERROR, "%s: cannot queue the SIB that resets MTP2", lk->cfg.name);
	link_flush_rx(lk);
	lk->last_lssu = LSSU_SIB;
}

/* The other half of libss7's LSSU memory. In DAHDI MTP2 mode libss7 keeps only the
 * latest LSSU for the line, so when its MTP2 goes out of service it sends SIO alone (the
 * SIOS before it is overwritten), and on a span each LSSU is sent once. An SIO, SIN or
 * SIE with the status of the last LSSU libss7 read (no FISU between) is therefore the
 * peer starting alignment again after something we never saw, which libss7 would
 * ignore: one side then waits in "aligned" with no timer running while the other
 * repeats SIO every T2 (50 s), each ignored (reliability soak). The SIOS that was lost
 * is given to libss7 first, so that it starts again too. Called for every SU libss7 is
 * about to read, before it is queued. */
void link_lssu_to_ss7(struct isup_link *lk, const uint8_t *su, size_t len)
{
	static const uint8_t sios[] = { 0xff, 0xff, 0x01, LSSU_SIOS };
	unsigned li = len >= 3 ? su[2] & 0x3f : 3;
	int status;

	if (li == 0) {
		lk->last_lssu = LINK_LAST_FISU;
		return;
	}
	if (li > 2 || len < 4)
		return;
	status = su[3] & 7;
	if (status == lk->last_lssu && status <= LSSU_SIE && !link_dchan(lk)) {
		LOGP(DSS7, LOGL_INFO, "%s: LSSU status %d again: the peer restarted alignment",
		     lk->cfg.name, status);
		if (tdm_link_inject(lk->tl, sios, sizeof(sios)) < 0)
			LOGP(DSS7, LOGL_ERROR, "%s: cannot queue the SIOS that restarts MTP2",
			     lk->cfg.name);
	}
	lk->last_lssu = status;
}

void link_noalarm(struct isup_link *lk)
{
	lk->alarmed = false;
	ss7_link_noalarm(lk->ss7, lk->fd);
}

void link_io_arm(struct isup_link *lk)
{
	if (lk->io_armed || lk->closing)
		return;
	if (!loop_defer(lk->loop, link_io, lk))
		lk->io_armed = true;
}

void link_fd_cb(struct loop *l, int fd, short revents, void *user)
{
	struct isup_link *lk = user;

	if (revents & POLLIN) {
		link_read_all(lk, true);
		if (!link_alive(lk))
			return;	/* freed by an event it read */
	}
	if (revents & POLLOUT)
		ss7_write(lk->ss7, fd);
	link_pump(lk);
}
