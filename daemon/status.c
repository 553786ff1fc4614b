/* daemon/status.c - status text/JSON (see status.h). Text lines start with a keyword
 * (span, link, cics, counters, trunk, call, calls) so scripts can grep them; the "cics"
 * line carries idle/busy/reset/blocked/leaked counts per linkset, the "trunk" line the
 * D-channel, B-channel and leg counts of a PRI trunk. */
#include <inttypes.h>

#include "drivers/tdm.h"
#include "daemon/status.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/iam_latency.h"
#include "isup/link.h"
#include "isup/node.h"
#include "pri/pri_call.h"
#include "pri/pri_trunk.h"

static void status_link_text(FILE *out, struct isup_link *lk)
{
	const struct linkset_cfg *cfg = isup_link_cfg(lk);
	const struct isup_link_stats *st = isup_link_stats(lk);
	struct cic_pool *p = isup_link_cics(lk);
	unsigned cnt[CIC_STATE_COUNT], blocked;

	cic_pool_counts(p, cnt, &blocked);
	fprintf(out, "link %s opc %u dpc %u span %s sigchan %u %s legs %u setups %u\n",
		cfg->name, cfg->opc, cfg->dpc, cfg->span, cfg->sigchan,
		isup_link_is_up(lk) ? "up" : "down", isup_link_legs(lk), isup_link_setups(lk));
	fprintf(out, "cics %s total %u idle %u busy-in %u busy-out %u reset %u blocked %u "
		     "leaked %u\n", cfg->name, cic_pool_size(p), cnt[CIC_IDLE],
		cnt[CIC_BUSY_IN], cnt[CIC_BUSY_OUT], cnt[CIC_RESET], blocked,
		cic_pool_leaked(p));
	fprintf(out, "counters %s su-rx %" PRIu64 " su-tx %" PRIu64 " msu-rx %" PRIu64
		     " msu-tx %" PRIu64 " dropped %" PRIu64 " iam-rejected %" PRIu64
		     " iam-in %" PRIu64 " iam-out %" PRIu64 " congestion %" PRIu64
		     " unexpected %" PRIu64 " dual-seizures %" PRIu64 " resets %" PRIu64
		     " link-downs %" PRIu64 " service-taken %" PRIu64 "\n", cfg->name, st->su_rx,
		st->su_tx, st->msu_rx, st->msu_tx, st->dropped, st->iam_rejected, st->iam_in,
		st->iam_out, st->congestion, st->unexpected, st->dual_seizures, st->resets,
		st->link_downs, st->service_taken);
}

static void status_link_json(FILE *out, struct isup_link *lk)
{
	const struct linkset_cfg *cfg = isup_link_cfg(lk);
	const struct isup_link_stats *st = isup_link_stats(lk);
	struct cic_pool *p = isup_link_cics(lk);
	unsigned cnt[CIC_STATE_COUNT], blocked;

	cic_pool_counts(p, cnt, &blocked);
	fprintf(out, "{\"name\":\"%s\",\"opc\":%u,\"dpc\":%u,\"span\":\"%s\",\"up\":%s,"
		     "\"legs\":%u,\"setups\":%u,\"cics\":{\"total\":%u,\"idle\":%u,"
		     "\"busy_in\":%u,\"busy_out\":%u,\"reset\":%u,\"blocked\":%u,\"leaked\":%u},",
		cfg->name, cfg->opc, cfg->dpc, cfg->span, isup_link_is_up(lk) ? "true" : "false",
		isup_link_legs(lk), isup_link_setups(lk), cic_pool_size(p), cnt[CIC_IDLE],
		cnt[CIC_BUSY_IN], cnt[CIC_BUSY_OUT], cnt[CIC_RESET], blocked,
		cic_pool_leaked(p));
	fprintf(out, "\"counters\":{\"su_rx\":%" PRIu64 ",\"su_tx\":%" PRIu64
		     ",\"dropped\":%" PRIu64 ",\"iam_rejected\":%" PRIu64 ",\"iam_in\":%" PRIu64
		     ",\"iam_out\":%" PRIu64 ",\"congestion\":%" PRIu64 ",\"unexpected\":%" PRIu64
		     ",\"dual_seizures\":%" PRIu64 ",\"resets\":%" PRIu64 ",\"link_downs\":%" PRIu64
		     ",\"service_taken\":%" PRIu64 "}}", st->su_rx, st->su_tx, st->dropped,
		st->iam_rejected, st->iam_in, st->iam_out, st->congestion, st->unexpected,
		st->dual_seizures, st->resets, st->link_downs, st->service_taken);
}

static void status_trunk(FILE *out, struct pri_trunk *t, bool json)
{
	const struct pri_trunk_cfg *cfg = pri_trunk_get_cfg(t);
	const struct pri_trunk_stats *st = pri_trunk_get_stats(t);
	unsigned total = pri_trunk_bchans(t), idle = pri_trunk_bchans_idle(t);

	fprintf(out, json ? "{\"name\":\"%s\",\"switch\":\"%s\",\"side\":\"%s\","
			    "\"span\":\"%s\",\"dchan\":%u,\"up\":%s,\"bchans\":{\"total\":%u,"
			    "\"idle\":%u,\"busy\":%u},\"legs\":%u,"
			  : "trunk %s switch %s side %s span %s dchan %u %s bchans %u idle %u busy %u "
			    "legs %u ",
		cfg->name, pri_switch_name(cfg->switchtype), cfg->network ? "network" : "cpe",
		tdm_span_name(pri_trunk_span(t)), cfg->dchan,
		json ? (pri_trunk_is_up(t) ? "true" : "false") : (pri_trunk_is_up(t) ? "up" : "down"),
		total, idle, total - idle, pri_trunk_legs(t));
	fprintf(out, json ? "\"counters\":{\"calls_in\":%" PRIu64 ",\"calls_out\":%" PRIu64
			    ",\"rejected\":%" PRIu64 ",\"dchan_downs\":%" PRIu64 "}}"
			  : "calls-in %" PRIu64 " calls-out %" PRIu64 " rejected %" PRIu64
			    " dchan-downs %" PRIu64 "\n",
		st->calls_in, st->calls_out, st->calls_rejected, st->dchan_downs);
}

static void status_leg(FILE *out, struct call_leg *leg, bool json)
{
	if (!leg) {
		fputs(json ? "null" : "-", out);
		return;
	}
	if (json)
		fprintf(out, "{\"linkset\":\"%s\",\"cic\":%u,\"state\":\"%s\"}",
			call_leg_trunk_name(leg), call_leg_cic(leg),
			call_leg_state_name(leg));
	else
		fprintf(out, "%s:%u %s", call_leg_trunk_name(leg), call_leg_cic(leg),
			call_leg_state_name(leg));
}

static void status_calls(FILE *out, struct call_ctx *ctx, bool json)
{
	const struct call_stats *st = call_ctx_stats(ctx);
	uint64_t avg = st->iam_latency_n ? st->iam_latency_us_sum / st->iam_latency_n : 0;
	bool first = true;
	struct iam_latency lat;

	iam_latency_get(&lat);
	if (json)
		fprintf(out, "\"iam_in_out\":{\"n\":%" PRIu64 ",\"p50_us\":%u,\"p99_us\":%u,"
			     "\"max_us\":%u},", lat.n, lat.p50_us, lat.p99_us, lat.max_us);
	else
		fprintf(out, "iam-in-out n %" PRIu64 " p50-us %u p99-us %u max-us %u\n", lat.n,
			lat.p50_us, lat.p99_us, lat.max_us);
	if (json)
		fprintf(out, "\"calls\":{\"active\":%u,\"total\":%" PRIu64 ",\"answered\":%" PRIu64
			     ",\"unrouted\":%" PRIu64 ",\"failed\":%" PRIu64
			     ",\"iam_latency_avg_us\":%" PRIu64 ",\"iam_latency_max_us\":%u,"
			     "\"list\":[", call_ctx_active(ctx), st->calls, st->answered,
			st->unrouted, st->failed, avg, st->iam_latency_us_max);
	else
		fprintf(out, "calls active %u total %" PRIu64 " answered %" PRIu64
			     " unrouted %" PRIu64 " failed %" PRIu64 " iam-latency-avg-us %" PRIu64
			     " iam-latency-max-us %u\n", call_ctx_active(ctx), st->calls,
			st->answered, st->unrouted, st->failed, avg, st->iam_latency_us_max);
	for (struct call *c = call_ctx_first(ctx); c; c = call_next(c)) {
		struct call_leg *in = call_in_leg(c);

		fputs(json ? (first ? "{\"in\":" : ",{\"in\":") : "call ", out);
		status_leg(out, in, json);
		fputs(json ? ",\"out\":" : " -> ", out);
		status_leg(out, call_out_leg(c), json);
		if (json)
			fprintf(out, ",\"called\":\"%s\"}",
				in ? call_leg_facts(in)->called.digits : "");
		else
			fprintf(out, " called %s\n", in ? call_leg_facts(in)->called.digits : "-");
		first = false;
	}
	if (json)
		fputs("]}", out);
}

void status_write(FILE *out, struct isup_node *node, struct pri_calls *pri,
		  struct call_ctx *calls, bool json, unsigned long uptime_s)
{
	unsigned n_trunks = pri ? pri_calls_count(pri) : 0;

	if (!json) {
		fprintf(out, "cfwdd uptime %lu s\n", uptime_s);
		for (unsigned i = 0; i < node->n_spans; i++)
			fprintf(out, "span %s %s\n", tdm_span_name(node->spans[i]),
				tdm_span_is_up(node->spans[i]) ? "up" : "down");
		for (unsigned i = 0; i < node->n_links; i++)
			status_link_text(out, node->links[i]);
		for (unsigned i = 0; i < n_trunks; i++)
			status_trunk(out, pri_calls_trunk_at(pri, i), false);
		status_calls(out, calls, false);
		return;
	}
	fprintf(out, "{\"uptime_s\":%lu,\"spans\":[", uptime_s);
	for (unsigned i = 0; i < node->n_spans; i++)
		fprintf(out, "%s{\"name\":\"%s\",\"up\":%s}", i ? "," : "",
			tdm_span_name(node->spans[i]),
			tdm_span_is_up(node->spans[i]) ? "true" : "false");
	fputs("],\"links\":[", out);
	for (unsigned i = 0; i < node->n_links; i++) {
		if (i)
			fputc(',', out);
		status_link_json(out, node->links[i]);
	}
	fputs("],\"trunks\":[", out);
	for (unsigned i = 0; i < n_trunks; i++) {
		if (i)
			fputc(',', out);
		status_trunk(out, pri_calls_trunk_at(pri, i), true);
	}
	fputs("],", out);
	status_calls(out, calls, true);
	fputs("}\n", out);
}

void status_write_cics(FILE *out, struct isup_node *node)
{
	for (unsigned i = 0; i < node->n_links; i++) {
		struct cic_pool *p = isup_link_cics(node->links[i]);

		for (unsigned k = 0; k < cic_pool_size(p); k++) {
			const struct cic *c = cic_pool_at(p, k);

			fprintf(out, "cic %s %u ts %u %s%s%s", isup_link_name(node->links[i]),
				c->cic, c->timeslot, cic_state_name(c->state),
				c->blocked_local ? " blocked-local" : "",
				c->blocked_remote ? " blocked-remote" : "");
			if (c->leg)
				fprintf(out, " leg %s", call_leg_state_name(c->leg));
			fputc('\n', out);
		}
	}
}
