/* lab/lab.c - cfwd-lab engine: config, node (spans + linksets played by the lab), the
 * ladder tap, and one call: originate on the caller's exchange, play the far end where
 * the IAM arrives, hold, send DTMF audio, record, release, wait for every leg to end.
 * The offered-load generator is lab/lab_load.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "isup/msu.h"
#include "isup/node.h"
#include "isup/pcap.h"
#include "isup/route.h"
#include "lab/ladder.h"
#include "lab/lab_int.h"
#include "pri/pri_call.h"
#include "pri/pri_q931.h"
#include "pri/pri_trunk.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tdm-dtmf/wav.h"

int lab_far_parse(const char *s, enum lab_far *out)
{
	static const struct value_string names[] = {
		{ LAB_FAR_ANSWER, "answer" }, { LAB_FAR_BUSY, "busy" },
		{ LAB_FAR_NOANSWER, "noanswer" }, { LAB_FAR_UNALLOCATED, "unallocated" },
		{ LAB_FAR_ECHO, "echo" },
		{ 0, NULL },
	};
	int v;

	if (get_string_value(names, s, &v) < 0)
		return -EINVAL;
	*out = (enum lab_far)v;
	return 0;
}

static void lab_peer_grs_seen(struct lab *lab, struct isup_link *lk)
{
	for (unsigned i = 0; i < lab->node->n_links && i < NODE_LINKS_MAX; i++) {
		if (lab->node->links[i] == lk) {
			lab->peer_grs[i]++;
			lab->peer_grs_ms = clock_now_ms();
		}
	}
}

static void lab_su_tap(void *user, struct isup_link *lk, bool sent, const uint8_t *su,
		       size_t len)
{
	struct lab *lab = user;
	struct isup_msg_view v;
	struct msu_verdict vd;

	if (lab->pcap)
		pcap_tap_write(lab->pcap, sent, 0, su, len);
	if (!lab->lad && !lab->cross_pending && !lab->opening)
		return;
	vd = msu_validate(su, len, &v);
	if (vd.kind != MTP2_MSU || v.msg_type < 0)
		return;
	if (!sent && v.msg_type == ISUP_MT_GRS && lab->opening)
		lab_peer_grs_seen(lab, lk);
	if (!sent && v.msg_type == ISUP_MT_IAM && lab->cross_pending)
		lab_cross_seen(lab, lk, v.cic);
	if (lab->lad)
		ladder_msg(lab->lad, clock_now_ms() - lab->t0_ms, isup_link_name(lk), sent, &v);
}

static void lab_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct lab *lab = user;

	if (lab->load)
		lab_load_incoming(lab, leg);
	else
		lab_far_incoming(lab, leg);
}

/* Q.931 messages on the lab's PRI trunks, decoded into the same ladder (or JSON). */
static void lab_pri_tap(void *user, struct pri_trunk *t, bool sent, const uint8_t *fr,
			size_t len)
{
	struct lab *lab = user;
	struct pri_q931_view v;
	char line[512];

	if (!lab->lad || pri_q931_decode(fr, len, &v) < 0)
		return;
	if (lab->json)
		pri_q931_format_json(line, sizeof(line), clock_now_ms() - lab->t0_ms,
				     pri_trunk_name(t), sent, &v);
	else
		pri_q931_format_line(line, sizeof(line), clock_now_ms() - lab->t0_ms,
				     pri_trunk_name(t), sent, &v);
	printf("%s\n", line);
}

static void lab_pri_incoming(void *user, struct call_leg *leg)
{
	lab_incoming(user, NULL, leg);
}

static void lab_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct lab *lab = user;

	if (lab->bearer_tap && lab->bearer_tap(lab->bearer_tap_user, s, ts, blk))
		return;
	for (unsigned i = 0; i < LAB_FAR_MAX; i++) {
		struct lab_far_leg *f = &lab->far[i];

		if (f->used && f->echo && f->span == s && f->ts == ts) {
			tdm_bearer_write(s, ts, blk);
			return;
		}
		if (f->used && f == lab->pat_far && f->span == s && f->ts == ts) {
			lab_pattern_rx(lab, 1, blk);
			return;
		}
	}
	if (s != lab->rec_span || ts != lab->rec_ts)
		return;
	lab_pattern_rx(lab, 0, blk);
	if (lab->rec && lab->rec_len < LAB_REC_MAX) {
		memcpy(lab->rec + lab->rec_len, blk, TDM_BLOCK_BYTES);
		lab->rec_len += TDM_BLOCK_BYTES;
	}
}

static const struct isup_node_owner lab_owner = {
	.link = {
		.incoming = lab_incoming,
		.su_tap = lab_su_tap,
	},
	.bearer_rx = lab_bearer_rx,
};

/* Run the loop until cond(lab) or ms pass; true if cond became true. */
bool lab_run_until(struct lab *lab, bool (*cond)(struct lab *), uint64_t ms)
{
	uint64_t end = clock_now_ms() + ms;

	while (!cond(lab)) {
		uint64_t now = clock_now_ms();

		if (now >= end)
			return false;
		loop_run_once(lab->loop, (int)MIN(end - now, 20));
	}
	return true;
}

static bool lab_links_up(struct lab *lab)
{
	return isup_node_all_up(lab->node) && pri_calls_all_up(lab->pri);
}

static bool lab_cics_idle(struct lab *lab)
{
	for (unsigned i = 0; i < lab->node->n_links; i++) {
		struct cic_pool *p = isup_link_cics(lab->node->links[i]);

		if (cic_pool_available(p) != cic_pool_size(p))
			return false;
	}
	return true;
}

static bool lab_settled(struct lab *lab)
{
	return false;
}

/* Q.764 2.9.3.1: each end resets its circuits with GRS when its link comes up. Done when
 * our own GRSs are answered (circuits idle) and the peer's GRS came on every link, a
 * moment ago (a GRS burst for more than 32 circuits lands together; our GRA is sent at
 * once). An IAM sent before the peer's GRS lands would be reset by it (cause 41). */
#define LAB_GRS_SETTLE_MS 100

static bool lab_reset_done(struct lab *lab)
{
	if (!lab_cics_idle(lab))
		return false;
	for (unsigned i = 0; i < lab->node->n_links && i < NODE_LINKS_MAX; i++)
		if (!lab->peer_grs[i])
			return false;
	return clock_now_ms() - lab->peer_grs_ms >= LAB_GRS_SETTLE_MS;
}

/* Links up, then the circuit group reset exchange both ways, each bounded. */
static int lab_wait_ready(struct lab *lab, char *err, size_t errlen)
{
	bool ok;

	/* alignment (0.5 s emergency proving), SLTM/SLTA */
	if (!lab_run_until(lab, lab_links_up, 15000)) {
		snprintf(err, errlen, "links not up after 15 s (is cfwdd running?)");
		return -ETIMEDOUT;
	}
	if (!lab_run_until(lab, lab_cics_idle, 5000)) {
		snprintf(err, errlen, "circuits not reset after link up");
		return -ETIMEDOUT;
	}
	ok = lab_run_until(lab, lab_reset_done, 3000);
	lab->opening = false;
	if (ok)
		return 0;	/* our GRAs left before any IAM can, on the same links */
	for (unsigned i = 0; i < lab->node->n_links && i < NODE_LINKS_MAX; i++)
		if (!lab->peer_grs[i])
			fprintf(stderr, "cfwd-lab: linkset %s: no GRS from the peer within 3 s "
				"of link up; going on\n", isup_link_name(lab->node->links[i]));
	/* give any late GRA of ours a moment to land before the first call */
	lab_run_until(lab, lab_settled, 200);
	return 0;
}

static int lab_add_expects(struct lab *lab, const char *const *expect)
{
	char err[256];

	for (; expect && *expect; expect++) {
		if (ladder_expect_add(lab->lad, *expect, err, sizeof(err)) < 0) {
			fprintf(stderr, "cfwd-lab: --expect %s: %s\n", *expect, err);
			return -EINVAL;
		}
	}
	return 0;
}

/* The PRI trunks of the config ([trunk NAME], the peer side of cfwdd's), with their
 * Q.931 messages in the ladder. */
static int lab_open_pri(struct lab *lab, bool json, char *err, size_t errlen)
{
	lab->pri = pri_calls_open(lab->loop, lab->conf, lab->node->spans, lab->node->n_spans,
				  lab_pri_incoming, lab, NULL, err, errlen);
	if (!lab->pri)
		return -EINVAL;
	lab->json = json;
	pri_calls_set_tap(lab->pri, lab_pri_tap, lab);
	return 0;
}

struct lab *lab_open(const struct lab_init *in)
{
	struct lab *lab = calloc(1, sizeof(*lab));
	char err[256];

	if (!lab)
		return NULL;
	lab->t0_ms = clock_now_ms();
	lab->conf = in->conf ? conf_load(in->conf, err, sizeof(err))
			     : conf_load_string("built-in lab.conf", in->conf_text, err, sizeof(err));
	if (!lab->conf)
		goto fail;
	lab->routes = route_table_load(lab->conf, err, sizeof(err));
	if (!lab->routes)
		goto fail;
	lab->loop = loop_alloc();
	if (!in->quiet) {
		lab->lad = ladder_alloc(stdout, in->json);
		if (!lab->lad || lab_add_expects(lab, in->expect) < 0)
			goto fail_quiet;
	}
	if (in->pcap && !(lab->pcap = pcap_tap_open(in->pcap))) {
		snprintf(err, sizeof(err), "%s: %s", in->pcap, strerror(errno));
		goto fail;
	}
	lab->opening = true;
	lab->node = isup_node_open(lab->loop, lab->conf, &lab_owner, lab, err, sizeof(err));
	if (lab->node && lab_open_pri(lab, in->json, err, sizeof(err)) < 0)
		goto fail;
	if (!lab->node || lab_wait_ready(lab, err, sizeof(err)) < 0)
		goto fail;
	return lab;
fail:
	fprintf(stderr, "cfwd-lab: %s\n", err);
fail_quiet:
	lab_close(lab);
	return NULL;
}

void lab_close(struct lab *lab)
{
	if (!lab)
		return;
	if (lab->node)	/* let the last RLCs leave before the links close */
		lab_run_until(lab, lab_settled, 150);
	pri_calls_close(lab->pri);
	isup_node_close(lab->node);
	call_ctx_free(lab->tandem);
	if (lab->loop)
		loop_run_once(lab->loop, 0);	/* deferred frees */
	pcap_tap_close(lab->pcap);
	ladder_free(lab->lad);
	route_table_free(lab->routes);
	conf_free(lab->conf);
	loop_free(lab->loop);
	free(lab->rec);
	free(lab->pat_rx[0]);
	free(lab->pat_rx[1]);
	free(lab);
}

struct isup_link *lab_origin_link(struct lab *lab, const char *via, const char *from)
{
	const char *name = via ? via : route_lookup(lab->routes, from);

	if (!name && lab->node->n_links)
		return lab->node->links[0];
	return name ? isup_node_link(lab->node, name) : NULL;
}

struct call_leg *lab_setup_leg(struct lab *lab, const char *via, const char *from,
			       const struct call_facts *f, const struct call_leg_ops *ops,
			       void *user, int *cause)
{
	const char *name = via ? via : route_lookup(lab->routes, from);
	struct pri_trunk *t = name ? pri_calls_trunk(lab->pri, name) : NULL;
	struct isup_link *lk;

	if (t)
		return pri_calls_setup(t, f, ops, user, cause);
	lk = lab_origin_link(lab, via, from);
	*cause = -1;
	return lk ? call_leg_setup(lk, f, ops, user, cause) : NULL;
}

void lab_facts(struct call_facts *f, const char *from, const char *to, bool restricted)
{
	memset(f, 0, sizeof(*f));
	str_copy(f->called.digits, to, sizeof(f->called.digits));
	f->called.nai = 3;	/* national */
	if (from && *from) {
		str_copy(f->calling.digits, from, sizeof(f->calling.digits));
		f->calling.nai = 3;
		f->calling.pres = restricted ? 1 : 0;
		f->calling.screen = 3;	/* network provided */
		f->has_calling = true;
	}
	f->category = CALL_CATEGORY_ORDINARY;
}
