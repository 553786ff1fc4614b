/* drivers/tdm_priv.h - the span and link bodies shared by drivers/tdm.c (common part:
 * bearer queues, bridges, the SU relay to libss7's fd) and the backends
 * (tdm_sim.c, later tdm_dahdi.c). Not for other modules. */
#ifndef DRIVERS_TDM_PRIV_H
#define DRIVERS_TDM_PRIV_H

#include "drivers/tdm.h"

struct tdm_ts {
	bool enabled;
	uint8_t txq[TDM_TXQ_BLOCKS][TDM_BLOCK_BYTES];
	unsigned head, count;
	struct tdm_span *peer;		/* bridged to (peer, peer_ts) */
	unsigned peer_ts;
	struct tdm_link *link;		/* signalling link on this timeslot */
};

struct tdm_span {
	struct loop *loop;
	struct tdm_span_cfg cfg;
	const struct tdm_ops *ops;
	struct tdm_span_events ev;
	void *user;
	bool up;
	struct tdm_ts ts[TDM_TIMESLOTS_MAX + 1];	/* 1-based */
	struct tdm_link *links;
	void *priv;			/* backend state */
};

struct tdm_vfd;

struct tdm_link {
	struct tdm_span *span;
	unsigned ts;
	uint16_t id;
	int fd_ours, fd_ss7;		/* SOCK_SEQPACKET socketpair (fd_ours -1 with vfd) */
	struct tdm_vfd *vfd;		/* libss7's fd served in process, or NULL */
	tdm_su_hook hook;
	tdm_link_state_cb state_cb;
	void *user;
	struct tdm_link_stats st;
	struct tdm_link *next;
	void *priv;			/* backend state (dahdi: the MTP2 channel fd) */
};

/* Called by backends. */
void tdm_span_set_up(struct tdm_span *s, bool up);
/* A received block: to the bridge peer's queue, or to bearer_rx. */
void tdm_bearer_deliver(struct tdm_span *s, unsigned ts, const uint8_t *blk);
/* Next block to send on ts: the oldest queued one, or idle. false when idle. */
bool tdm_bearer_next(struct tdm_span *s, unsigned ts, uint8_t *blk);
bool tdm_span_any_enabled(const struct tdm_span *s);
/* An SU (FCS stripped) arrived from the network: hook, then to libss7 with 2 FCS bytes. */
void tdm_link_net_rx(struct tdm_link *lk, const uint8_t *su, size_t len);

#endif
