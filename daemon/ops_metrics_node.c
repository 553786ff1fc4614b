/* daemon/ops_metrics_node.c - the metrics collector for cfwdd's node: link state, CIC
 * states per linkset and calls in progress, read at each exposition from the same
 * accessors as daemon/status.c, and the counters isup and call forwarding keep themselves
 * (mirrored, not counted twice). Read-only. */
#include <stdbool.h>
#include <stdio.h>

#include "core/metrics.h"
#include "daemon/ops_ctl.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/session_call.h"
#include "feature/cfwd/store_writer.h"
#include "isup/call.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/node.h"

static struct {
	struct isup_node *node;
	struct call_ctx *calls;
	const struct forward *fwd;
	const struct session_calls *sessions;
} watched;

static void collect_link(struct isup_link *lk)
{
	unsigned cnt[CIC_STATE_COUNT], blocked;
	const char *name = isup_link_name(lk);
	char l[METRIC_LABELS_LEN];

	snprintf(l, sizeof(l), "link=%s", name);
	metric_set(METRIC_LINK_UP, l, isup_link_is_up(lk));
	cic_pool_counts(isup_link_cics(lk), cnt, &blocked);
	for (unsigned s = 0; s < CIC_STATE_COUNT; s++) {
		snprintf(l, sizeof(l), "linkset=%s,state=%s", name, cic_state_name(s));
		metric_set(METRIC_CICS, l, cnt[s]);
	}
	snprintf(l, sizeof(l), "linkset=%s,state=blocked", name);
	metric_set(METRIC_CICS, l, blocked);
}

/* isup's own call statistics as cfwd_calls_total by outcome; "other" is every ended call
 * neither answered, unrouted nor failed (busy, no answer, abandoned, released early). */
static void collect_calls(struct call_ctx *calls)
{
	const struct call_stats *st = call_ctx_stats(calls);
	unsigned active = call_ctx_active(calls);
	uint64_t done = st->answered + st->unrouted + st->failed + active;

	metric_set(METRIC_CALLS_ACTIVE, NULL, active);
	metric_mirror(METRIC_CALLS, "outcome=answered", st->answered);
	metric_mirror(METRIC_CALLS, "outcome=unrouted", st->unrouted);
	metric_mirror(METRIC_CALLS, "outcome=failed", st->failed);
	metric_mirror(METRIC_CALLS, "outcome=other", st->calls > done ? st->calls - done : 0);
}

static void collect_forward(const struct forward *fwd)
{
	const struct forward_stats *st = forward_stats(fwd);

	metric_mirror(METRIC_DIVERSIONS, "reason=unconditional", st->cfu);
	metric_mirror(METRIC_DIVERSIONS, "reason=busy", st->cfb);
	metric_mirror(METRIC_DIVERSIONS, "reason=no_reply", st->cfnr);
	metric_mirror(METRIC_CALLS, "outcome=rejected", st->rejected);
	metric_mirror(METRIC_CALLS, "outcome=limit", st->limit);
}

static void collect_sessions(const struct session_calls *sc)
{
	const struct session_calls_stats *st = session_calls_stats(sc);
	const struct store_writer_stats *ws;

	metric_mirror(METRIC_IVR_SESSIONS, "result=started", st->ivr);
	metric_mirror(METRIC_REMOTE_SESSIONS, "result=started", st->remote);
	metric_set(METRIC_SESSIONS_ACTIVE, NULL, session_calls_active(sc));
	metric_mirror(METRIC_SESSIONS_ENDED, "by=dialogue", st->ended_by_us);
	metric_mirror(METRIC_SESSIONS_ENDED, "by=caller", st->ended_by_caller);
	metric_mirror(METRIC_SESSIONS_ENDED, "by=failed", st->failed);
	ws = store_writer_stats(session_calls_writer(sc));
	metric_mirror(METRIC_STORE_WRITES, "result=committed", ws->committed + ws->inline_done);
	metric_mirror(METRIC_STORE_WRITES, "result=failed", ws->failed);
	metric_mirror(METRIC_STORE_WRITES, "result=lock_timeout", ws->lock_timeouts);
	metric_mirror(METRIC_STORE_WRITES, "result=queue_full", ws->queue_full);
}

static void collect(void *user)
{
	if (watched.node)
		for (unsigned i = 0; i < watched.node->n_links; i++)
			collect_link(watched.node->links[i]);
	if (watched.calls)
		collect_calls(watched.calls);
	if (watched.fwd)
		collect_forward(watched.fwd);
	if (watched.sessions)
		collect_sessions(watched.sessions);
}

static void rearm(void)
{
	bool any = watched.node || watched.calls || watched.fwd || watched.sessions;

	metrics_set_collector(any ? collect : NULL, NULL);
}

void ops_metrics_watch(struct isup_node *node, struct call_ctx *calls)
{
	watched.node = node;
	watched.calls = calls;
	rearm();
}

void ops_metrics_watch_forward(const struct forward *fwd)
{
	watched.fwd = fwd;
	rearm();
}

void ops_metrics_watch_sessions(const struct session_calls *sc)
{
	watched.sessions = sc;
	rearm();
}
