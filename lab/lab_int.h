/* lab/lab_int.h - struct lab shared by lab/lab.c, lab/lab_call.c and lab/lab_load.c. */
#ifndef LAB_LAB_INT_H
#define LAB_LAB_INT_H

#include <stdint.h>

#include "core/loop.h"
#include "drivers/tdm.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/facts.h"
#include "isup/link.h"
#include "isup/node.h"
#include "lab/lab.h"

#define LAB_REC_MAX (8000 * 120)	/* two minutes of G.711 */
#define LAB_FAR_MAX 16

struct conf;
struct isup_node;
struct route_table;
struct ladder;
struct pcap_tap;
struct tdm_span;
struct dtmf_gen;
struct lab_load;
struct pri_calls;

struct lab_far_leg {
	struct lab *lab;
	struct call_leg *leg;
	struct timer ring;
	bool used, echo, playing;	/* playing: --play-pattern's far end */
	struct tdm_span *span;
	unsigned ts;
};

#define LAB_ORIG_MAX 2
#define LAB_FAR_AT_MAX 8

/* --far-at NUMBER=MODE[:RING_MS]: how the far end treats calls to one number. Mode
 * "loop" plays an exchange that routes the call back to cfwdd unchanged (a tandem by
 * the lab's [route] table), e.g. for forwarding loops between two subscribers. */
struct lab_far_at {
	char number[24];
	enum lab_far far;
	bool loop;
	unsigned ring_ms;
};

struct lab_orig {
	struct lab *lab;
	struct call_leg *leg;
	bool done, answered;
	int cause;
	struct timer hold, abandon;
};

struct lab {
	struct loop *loop;
	struct conf *conf;
	struct isup_node *node;
	struct pri_calls *pri;		/* [trunk NAME]: PRI peers played by the lab */
	struct route_table *routes;
	struct ladder *lad;
	bool json;			/* --json: PRI messages too (pri/pri_q931.h) */
	struct pcap_tap *pcap;
	uint64_t t0_ms;
	/* one call */
	const struct lab_call_opts *co;
	struct lab_orig orig[LAB_ORIG_MAX];	/* [0] the call, [1] the crossing call */
	unsigned n_orig;
	bool timed_out, cross_pending;
	struct isup_link *cross_link;
	struct timer tick, timeout;
	struct lab_far_leg far[LAB_FAR_MAX];
	struct lab_far_at far_at[LAB_FAR_AT_MAX];
	unsigned n_far_at;
	struct call_ctx *tandem;	/* "loop" numbers go back through here */
	struct dtmf_gen *dtmf;
	uint8_t dtmf_blk[TDM_BLOCK_BYTES];	/* next DTMF block, if the send queue was full */
	bool dtmf_pending;
	struct tdm_span *rec_span;
	unsigned rec_ts;
	uint8_t *rec;
	size_t rec_len;
	/* --play-pattern (lab_call.c): [0] the caller, [1] the far end that answered */
	struct lab_far_leg *pat_far;
	struct timer pat_tick;
	uint32_t pat_x[2];
	bool pat_pending[2];
	uint8_t pat_blk[2][TDM_BLOCK_BYTES];
	size_t pat_sent[2], pat_rx_len[2];
	uint8_t *pat_rx[2];	/* what each side heard */
	/* opening: the peer's circuit group resets (GRS) seen per link (node->links order) */
	bool opening;
	unsigned peer_grs[NODE_LINKS_MAX];
	uint64_t peer_grs_ms;	/* when the last one came */
	/* load */
	struct lab_load *load;
	/* session (lab/lab_session.c): sees every received bearer block first; true = taken */
	bool (*bearer_tap)(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk);
	void *bearer_tap_user;
};

bool lab_run_until(struct lab *lab, bool (*cond)(struct lab *), uint64_t ms);
struct isup_link *lab_origin_link(struct lab *lab, const char *via, const char *from);
/* A leg from `from`'s exchange (or via): on the ISUP linkset, or on the PRI trunk, the
 * [route] or --via names. NULL with *cause (or -1 when nothing is named). */
struct call_leg *lab_setup_leg(struct lab *lab, const char *via, const char *from,
			       const struct call_facts *f, const struct call_leg_ops *ops,
			       void *user, int *cause);
void lab_facts(struct call_facts *f, const char *from, const char *to, bool restricted);
void lab_cross_seen(struct lab *lab, struct isup_link *lk, uint16_t cic);
void lab_far_incoming(struct lab *lab, struct call_leg *leg);
int lab_far_at_add(struct lab *lab, const char *spec);	/* 0 or -EINVAL */
void lab_load_incoming(struct lab *lab, struct call_leg *leg);
/* --play-pattern (lab/lab_pattern.c); side 0: the caller, 1: the far end */
int lab_pattern_start(struct lab *lab, int side);	/* 0 or -1 (memory) */
void lab_pattern_fill(struct lab *lab, int side, struct tdm_span *s, unsigned ts);
void lab_pattern_rx(struct lab *lab, int side, const uint8_t *blk);
void lab_pattern_report(struct lab *lab);

#endif
