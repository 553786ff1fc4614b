/* isup/link.c - a linkset's libss7 instance: ITU, one link on the span's signalling
 * timeslot (drivers/tdm.h relays SUs; SS7_TRANSPORT_DAHDIMTP2, or DAHDIDCHAN on a DAHDI
 * dchan= channel, whose line rate paces libss7's FISUs), our SU hook (validator + tap) in
 * both directions, libss7's scheduler on a loop timer, and the process-global libss7
 * callbacks (installed once, before any link starts). On a sim span libss7's fd is served
 * in process (no socket: we read while SUs wait and write while libss7 asks); on dahdi it
 * is a socketpair end polled on the loop. Event handling lives in isup/link_event.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/util.h"
#include "drivers/tdm.h"
#ifdef HAVE_DAHDI
#include "drivers/tdm_dahdi.h"
#endif
#include "isup/iam_latency.h"
#include "isup/link_int.h"
#include "isup/msu.h"

static struct isup_link *all_links;

/* ss7_destroy() in libss7 2.0 frees nothing (notes §2.5.12): tell LeakSanitizer, when
 * it is there, that those allocations are libss7's, not ours. */
const char *__lsan_default_suppressions(void);
__attribute__((used)) const char *__lsan_default_suppressions(void)
{
	return "leak:libss7.so\n";
}

/* A DAHDI dchan= channel: libss7 runs MTP2 itself (SS7_TRANSPORT_DAHDIDCHAN), repeats
 * FISUs/LSSUs and always asks for POLLOUT; only the fd's POLLOUT may drive its writes
 * then (the channel drains the socket at line rate). mtp2= and sim links: DAHDIMTP2. */
bool link_dchan(const struct isup_link *lk)
{
#ifdef HAVE_DAHDI
	return lk->tl && tdm_dahdi_link_sig(lk->tl) == TDM_DAHDI_SIG_DCHAN;
#else
	(void)lk;
	return false;
#endif
}

static struct isup_link *link_by_ss7(struct ss7 *ss7)
{
	for (struct isup_link *lk = all_links; lk; lk = lk->next)
		if (lk->ss7 == ss7)
			return lk;
	return NULL;
}

static void ss7_msg_cb(struct ss7 *ss7, char *s)
{
	struct isup_link *lk = link_by_ss7(ss7);
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n'))
		s[--n] = '\0';
	if (n)
		LOGP(DSS7, LOGL_DEBUG, "%s: %s", lk ? lk->cfg.name : "ss7", s);
}

static void ss7_err_cb(struct ss7 *ss7, char *s)
{
	struct isup_link *lk = link_by_ss7(ss7);
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n'))
		s[--n] = '\0';
	if (n)
		LOGP(DSS7, LOGL_NOTICE, "%s: %s", lk ? lk->cfg.name : "ss7", s);
}

/* libss7 is about to drop call struct c (error path, or its own timer). */
static void ss7_call_null_cb(struct ss7 *ss7, struct isup_call *c, int lock)
{
	struct isup_link *lk = link_by_ss7(ss7);

	if (!lk)
		return;
	for (unsigned i = 0; i < cic_pool_size(lk->cics); i++) {
		struct call_leg *leg = cic_pool_at(lk->cics, i)->leg;

		if (leg && call_leg_isup_call(leg) == c)
			call_leg_lost_later(leg);
	}
}

/* libss7 asks the application to end the call on cic (unexpected message, dual
 * seizure lost, ISUP timer). Returns SS7_CIC_* telling libss7 what is left to do. */
static int ss7_hangup_cb(struct ss7 *ss7, int cicn, unsigned int dpc, int cause,
			 int do_hangup)
{
	struct isup_link *lk = link_by_ss7(ss7);
	struct cic *cic = lk ? cic_pool_find(lk->cics, cicn) : NULL;
	struct call_leg *leg;
	struct isup_call *c;

	if (!cic)
		return SS7_CIC_NOT_EXISTS;
	leg = cic->leg;
	if (!leg)
		return SS7_CIC_IDLE;
	c = call_leg_isup_call(leg);
	switch (do_hangup) {
	case SS7_HANGUP_REEVENT_IAM:
		/* Q.764 2.10.1.4: the other side controls this CIC; our IAM backs off and
		 * the owner retries elsewhere, their IAM is delivered as a new call. */
		lk->st.dual_seizures++;
		LOGP(DISUP, LOGL_NOTICE, "%s: dual seizure on cic %d: we back off",
		     lk->cfg.name, cicn);
		call_leg_forget_call(leg);
		/* the circuit stays reserved for their IAM, so that our owner's retry
		 * does not pick it again */
		cic->leg = NULL;
		cic_set_state(cic, CIC_BUSY_IN);
		if (c) {
			isup_clear_callflags(ss7, c, ISUP_SENT_IAM | ISUP_PENDING_IAM);
			isup_event_iam(ss7, c, dpc);
		}
		call_leg_rx(leg, LEG_EV_LOST, CAUSE_TRY_AGAIN);
		return SS7_CIC_USED;
	case SS7_HANGUP_SEND_RSC:
		/* unexpected message: the leg is gone, libss7 resets the circuit */
		call_leg_forget_call(leg);
		call_leg_rx(leg, LEG_EV_LOST, CAUSE_TEMPORARY_FAILURE);
		cic_set_state(cic, CIC_RESET);
		lk->st.resets++;
		return SS7_CIC_IDLE;
	case SS7_HANGUP_SEND_REL:
		call_leg_release(leg, cause);
		return SS7_CIC_USED;
	default:
		return SS7_CIC_USED;
	}
}

static void ss7_notinservice_cb(struct ss7 *ss7, int cic, unsigned int dpc)
{
	struct isup_link *lk = link_by_ss7(ss7);

	LOGP(DISUP, LOGL_NOTICE, "%s: cic %d dpc %u not in service",
	     lk ? lk->cfg.name : "ss7", cic, dpc);
}

static void link_callbacks_once(void)
{
	static bool done;

	if (done)
		return;
	/* libss7 calls these without NULL checks: install all before any ss7_start */
	ss7_set_message(ss7_msg_cb);
	ss7_set_error(ss7_err_cb);
	ss7_set_call_null(ss7_call_null_cb);
	ss7_set_hangup(ss7_hangup_cb);
	ss7_set_notinservice(ss7_notinservice_cb);
	done = true;
}

bool link_alive(const struct isup_link *lk)
{
	for (const struct isup_link *l = all_links; l; l = l->next)
		if (l == lk)
			return true;
	return false;
}

static void link_pump_deferred(void *user)
{
	link_pump(user);
}

/* Every SU passes here (tdm relay): tap, validate what comes from the network. */
/* An ISUP MSU's CIC and message type, without validating (our own TX). ITU label. */
static bool su_isup_type(const uint8_t *su, size_t len, uint16_t *cic, uint8_t *type)
{
	if (len < 11 || (su[2] & 0x3f) < 3 || (su[3] & 0x0f) != 5)
		return false;
	*cic = (uint16_t)(su[8] | (su[9] & 0x0f) << 8);
	*type = su[10];
	return true;
}

/* Onward IAM leaving: IAM-in -> IAM-out latency of the call it continues. */
static void link_tx_latency(struct isup_link *lk, const uint8_t *su, size_t len)
{
	uint16_t cicn;
	uint8_t type;
	struct cic *cic;

	if (!su_isup_type(su, len, &cicn, &type) || type != ISUP_MT_IAM)
		return;
	cic = cic_pool_find(lk->cics, cicn);
	if (cic && cic->iam_origin_us) {
		iam_latency_record(clock_now_us() - cic->iam_origin_us);
		cic->iam_origin_us = 0;
	}
}

/* An LSSU SIO/SIN/SIE/SIOS while we are in service: the peer restarted and is aligning,
 * faster than the span's dead time could tell us. DAHDI's MTP2 would report the link
 * failed; libss7 in DAHDIMTP2 mode ignores LSSUs once in service, so the link would
 * stay out of alignment until the peer gives up. Tell libss7 now (reliability soak). */
static void link_peer_realigning(struct isup_link *lk, const uint8_t *su, size_t len)
{
	unsigned li = len >= 4 ? su[2] & 0x3f : 0;

	/* a well-formed LSSU only: a garbled MSU with a small LI is the validator's;
	 * in DAHDIDCHAN mode libss7 acts on LSSUs itself */
	if (!lk->up || link_dchan(lk) || li < 1 || li > 2 || len != 3 + li || (su[3] & 7) > 3)
		return;
	LOGP(DSS7, LOGL_NOTICE, "%s: peer aligning (LSSU status %u) while in service: "
	     "realigning", lk->cfg.name, su[3] & 7);
	link_alarm(lk);
	link_noalarm(lk);
}

/* SLTM out: remember its test pattern. SLTA in: pass only the answer to that SLTM. An
 * unsolicited or mismatched SLTA made libss7 take MTP3 down for good while MTP2 stayed
 * in service (every ISUP message then ignored): one bad SU from a peer killed the link
 * (reliability soak). Returns true when the SU must be dropped. */
static bool link_slt_filter(struct isup_link *lk, bool tx, const uint8_t *su, size_t len)
{
	size_t n = len > 9 ? len - 9 : 0;

	if (len < 10 || (su[2] & 0x3f) < 3 || (su[3] & 0x0f) != 1)
		return false;
	if (tx && su[8] == 0x11) {
		if (n > sizeof(lk->sltm))
			n = sizeof(lk->sltm);
		memcpy(lk->sltm, su + 9, n);
		lk->sltm_len = (uint8_t)n;
		return false;
	}
	if (tx || su[8] != 0x21)
		return false;
	if (lk->sltm_len && n == lk->sltm_len && !memcmp(su + 9, lk->sltm, n)) {
		lk->sltm_len = 0;
		return false;
	}
	LOGP(DSS7, LOGL_NOTICE, "%s: SLTA that answers no SLTM of ours: dropped", lk->cfg.name);
	return true;
}

static bool link_su_rx(struct isup_link *lk, uint8_t *su, size_t *len, size_t cap);

static bool link_su_hook(void *user, struct tdm_link *tl, enum tdm_su_dir dir, uint8_t *su,
			 size_t *len, size_t cap)
{
	struct isup_link *lk = user;

	if (dir == TDM_SU_TX) {
		link_slt_filter(lk, true, su, *len);
		link_acm_charge_rewrite(lk, su, len, cap);
		link_tx_latency(lk, su, *len);
		lk->st.su_tx++;
		if (*len > 3 && (su[2] & 0x3f) > 2)
			lk->st.msu_tx++;
		if (lk->owner->su_tap)
			lk->owner->su_tap(lk->user, lk, true, su, *len);
		return true;
	}
	if (!link_su_rx(lk, su, len, cap))
		return false;
	link_lssu_to_ss7(lk, su, *len);
	return true;
}

/* An SU from the span: counted, tapped, checked; true to give it to libss7. */
static bool link_su_rx(struct isup_link *lk, uint8_t *su, size_t *len, size_t cap)
{
	struct msu_verdict v;

	lk->st.su_rx++;
	if (lk->owner->su_tap)
		lk->owner->su_tap(lk->user, lk, false, su, *len);
	/* libss7 reads it at the end of this round, after what the tap deferred (the lab
	 * seizes a circuit there before libss7 sees the IAM: a dual seizure on purpose) */
	if (lk->alarmed)
		return false;	/* link_alarm */
	link_io_arm(lk);
	link_peer_realigning(lk, su, *len);
	if (link_slt_filter(lk, false, su, *len)) {
		lk->st.dropped++;
		*len = msu_neutralize(su, *len, cap);
		return *len > 0;
	}
	v = msu_validate(su, *len, NULL);
	if (v.kind == MTP2_MSU)
		lk->st.msu_rx++;
	if (v.action == MSU_PASS) {
		if (v.msg_type == ISUP_MT_IAM) {
			struct cic *cic = cic_pool_find(lk->cics, v.cic);

			if (cic)
				cic->iam_rx_us = clock_now_us();
		}
		return true;
	}
	LOGP(DISUP, LOGL_NOTICE, "%s: %s %s cic %u param 0x%02x: %s", lk->cfg.name,
	     v.action == MSU_REJECT_IAM ? "rejecting" : "dropping",
	     v.msg_type >= 0 ? isup_msg_type_name(v.msg_type) : "SU", v.cic, v.param,
	     msu_reason_name(v.reason));
	if (v.action == MSU_REJECT_IAM && lk->n_rejects < LINK_REJECTS_MAX) {
		lk->rejects[lk->n_rejects++] = v.cic;
		lk->st.iam_rejected++;
	} else {
		lk->st.dropped++;
	}
	*len = msu_neutralize(su, *len, cap);
	if (lk->n_rejects)
		loop_defer(lk->loop, link_pump_deferred, lk);
	return *len > 0;
}

/* libss7 ignores the end of an alarm that comes within about a second of its start
 * (the link then never realigns: found by the reliability soak, a peer restarting
 * right after its span was seen dead). Such an end is passed on LINK_REALIGN_MS after
 * the start. */
#define LINK_REALIGN_MS 1200

static void link_noalarm_fired(struct timer *t, void *user)
{
	struct isup_link *lk = user;

	if (!tdm_span_is_up(lk->span))
		return;
	LOGP(DSS7, LOGL_INFO, "%s: span up (held back since the alarm)", lk->cfg.name);
	link_noalarm(lk);
	link_pump(lk);
}

static void link_tdm_state(void *user, struct tdm_link *tl, bool up)
{
	struct isup_link *lk = user;
	uint64_t since_ms = (clock_now_us() - lk->alarm_us) / 1000;

	LOGP(DSS7, LOGL_INFO, "%s: span %s", lk->cfg.name, up ? "up" : "down");
	if (up && lk->alarm_us && since_ms < LINK_REALIGN_MS) {
		timer_schedule_ms(&lk->noalarm, LINK_REALIGN_MS - since_ms);
		return;
	}
	if (up) {
		link_noalarm(lk);
	} else {
		timer_cancel(&lk->noalarm);
		lk->alarm_us = clock_now_us();
		link_alarm(lk);
	}
	link_pump(lk);
}

static int link_ss7_new(struct isup_link *lk, char *err, size_t errlen)
{
	lk->ss7 = ss7_new(SS7_ITU);
	if (!lk->ss7) {
		snprintf(err, errlen, "linkset %s: ss7_new failed", lk->cfg.name);
		return -ENOMEM;
	}
	ss7_set_network_ind(lk->ss7, lk->cfg.ni);
	ss7_set_pc(lk->ss7, lk->cfg.opc);
	if (ss7_add_link(lk->ss7, link_dchan(lk) ? SS7_TRANSPORT_DAHDIDCHAN
						 : SS7_TRANSPORT_DAHDIMTP2,
			 lk->fd, 0, lk->cfg.dpc) < 0) {
		snprintf(err, errlen, "linkset %s: ss7_add_link failed", lk->cfg.name);
		return -EINVAL;
	}
	/* CFWD_SS7_DEBUG=N: libss7's own trace (1 MTP2, 2 MTP3, 4 ISUP; sum them), logged
	 * at debug level under "ss7" (--log ss7=debug) */
	if (getenv("CFWD_SS7_DEBUG"))
		ss7_set_debug(lk->ss7, (unsigned)atoi(getenv("CFWD_SS7_DEBUG")));
	/* SLTM every 30 s (Q.707) so a silent peer is noticed */
	ss7_set_mtp3_timer(lk->ss7, "q707_t2", 30000);
	return 0;
}

struct isup_link *isup_link_open(struct loop *l, const struct linkset_cfg *cfg,
				 struct tdm_span *span, const struct isup_link_owner *owner,
				 void *user, char *err, size_t errlen)
{
	struct isup_link *lk = calloc(1, sizeof(*lk));

	if (!lk) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	link_callbacks_once();
	lk->loop = l;
	lk->cfg = *cfg;
	lk->span = span;
	lk->owner = owner;
	lk->user = user;
	lk->fd = -1;
	lk->last_lssu = -1;	/* libss7 starts remembering none */
	timer_setup(&lk->sched, l, link_sched_fired, lk);
	timer_setup(&lk->noalarm, l, link_noalarm_fired, lk);
	lk->cics = cic_pool_alloc(cfg->cics, cfg->timeslots, cfg->n_cics,
				  cfg->opc > cfg->dpc);
	if (!lk->cics) {
		snprintf(err, errlen, "linkset %s: no circuits", cfg->name);
		goto fail;
	}
	lk->tl = tdm_link_open_inproc(span, cfg->sigchan, 0, link_su_hook, link_tdm_state, lk);
	if (!lk->tl) {
		snprintf(err, errlen, "linkset %s: cannot open link on %s ts %u", cfg->name,
			 tdm_span_name(span), cfg->sigchan);
		goto fail;
	}
	lk->fd = tdm_link_fd(lk->tl);
	lk->inproc = tdm_link_is_inproc(lk->tl);
	if (link_ss7_new(lk, err, errlen) < 0)
		goto fail;
	lk->fd_events = POLLIN;
	if (!lk->inproc && loop_fd_add(l, lk->fd, POLLIN, link_fd_cb, lk) < 0) {
		snprintf(err, errlen, "linkset %s: loop_fd_add failed", cfg->name);
		goto fail;
	}
	lk->next = all_links;
	all_links = lk;
	/* the span is not up yet: start in alarm, so that the span coming up starts MTP2
	 * alignment once (two starts leave a second T2 running, which fails the link in
	 * service 50 s later: found by the reliability soak) */
	if (!tdm_span_is_up(span)) {
		ss7_link_alarm(lk->ss7, lk->fd);
		lk->alarmed = true;
	}
	if (ss7_start(lk->ss7) < 0) {
		snprintf(err, errlen, "linkset %s: ss7_start failed", cfg->name);
		isup_link_close(lk);
		return NULL;
	}
	LOGP(DSS7, LOGL_INFO, "%s: opc %u dpc %u on %s ts %u, %u circuits", cfg->name,
	     cfg->opc, cfg->dpc, tdm_span_name(span), cfg->sigchan, cfg->n_cics);
	link_pump(lk);
	return lk;
fail:
	/* ss7_destroy frees nothing useful in 2.0; the instance is leaked on this path */
	tdm_link_close(lk->tl);
	cic_pool_free(lk->cics);
	free(lk);
	return NULL;
}

void isup_link_close(struct isup_link *lk)
{
	struct isup_link **pp;

	if (!lk)
		return;
	link_all_legs_lost(lk, CAUSE_TEMPORARY_FAILURE);
	lk->closing = true;
	for (pp = &all_links; *pp; pp = &(*pp)->next) {
		if (*pp == lk) {
			*pp = lk->next;
			break;
		}
	}
	timer_cancel(&lk->sched);
	timer_cancel(&lk->noalarm);
	if (!lk->inproc)
		loop_fd_del(lk->loop, lk->fd);
	tdm_link_close(lk->tl);
	ss7_destroy(lk->ss7);
	cic_pool_free(lk->cics);
	free(lk);
}

const char *isup_link_name(const struct isup_link *lk)
{
	return lk->cfg.name;
}

const struct linkset_cfg *isup_link_cfg(const struct isup_link *lk)
{
	return &lk->cfg;
}

bool isup_link_is_up(const struct isup_link *lk)
{
	return lk->up;
}

struct cic_pool *isup_link_cics(struct isup_link *lk)
{
	return lk->cics;
}

struct tdm_span *isup_link_span(struct isup_link *lk)
{
	return lk->span;
}

const struct isup_link_stats *isup_link_stats(const struct isup_link *lk)
{
	return &lk->st;
}

unsigned isup_link_setups(const struct isup_link *lk)
{
	return lk->setups;
}

unsigned isup_link_legs(const struct isup_link *lk)
{
	return lk->legs;
}

int isup_link_block(struct isup_link *lk, uint16_t cicn, bool block)
{
	struct cic *cic = cic_pool_find(lk->cics, cicn);
	struct isup_call *c;
	int rc;

	if (!cic)
		return -ENOENT;
	if (!lk->up)
		return -ENOTCONN;
	/* a call on the circuit owns libss7's struct for it: use that one */
	c = cic->leg ? call_leg_isup_call(cic->leg) : NULL;
	if (!c)
		c = isup_new_call(lk->ss7, cicn, lk->cfg.dpc, 0);
	if (!c)
		return -ENOMEM;
	rc = block ? isup_blo(lk->ss7, c) : isup_ubl(lk->ss7, c);
	if (rc < 0)
		return -EIO;
	cic->blocked_local = block;
	LOGP(DISUP, LOGL_INFO, "%s: cic %u %s", lk->cfg.name, cicn,
	     block ? "blocked (BLO sent)" : "unblocked (UBL sent)");
	link_pump(lk);
	return 0;
}

int isup_link_reset(struct isup_link *lk)
{
	if (!lk->up)
		return -ENOTCONN;
	LOGP(DISUP, LOGL_NOTICE, "%s: resetting every circuit", lk->cfg.name);
	link_all_legs_lost(lk, CAUSE_TEMPORARY_FAILURE);
	link_group_reset(lk);
	link_pump(lk);
	return 0;
}

void isup_link_release_all(struct isup_link *lk, int cause)
{
	for (unsigned i = 0; i < cic_pool_size(lk->cics); i++) {
		struct call_leg *leg = cic_pool_at(lk->cics, i)->leg;

		if (leg)
			call_leg_terminate(leg, cause);
	}
	link_pump(lk);
}
