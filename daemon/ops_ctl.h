/* daemon/ops_ctl.h - control socket commands for operations, for cfwdd's ctl handler:
 *   stats | stats json | stats prom   the metric registry (core/metrics.h)
 *   log                               each subsystem's level
 *   log SPEC                          set levels at run time, e.g. "all=notice,isup=debug"
 * Also the collector that refreshes link, CIC and active-call gauges from the node. */
#ifndef DAEMON_OPS_CTL_H
#define DAEMON_OPS_CTL_H

#include <stdbool.h>
#include <stdio.h>

struct isup_node;
struct call_ctx;
struct forward;
struct session_calls;

/* true if line was one of these commands (the reply is written to out). */
bool ops_ctl_handle(const char *line, FILE *out);

/* Refresh cfwd_link_up, cfwd_cics and cfwd_calls_active from node/calls before every
 * exposition; both must outlive the registry's use (call again with NULLs to stop). */
void ops_metrics_watch(struct isup_node *node, struct call_ctx *calls);
/* Also mirror call forwarding's statistics: cfwd_diversions_total by reason
 * (unconditional, busy, no_reply), cfwd_calls_total outcome=rejected (Number Request,
 * rejection list) and outcome=limit (redirection counter reached). NULL stops. */
void ops_metrics_watch_forward(const struct forward *fwd);
/* And the 142 / remote-control calls: cfwd_ivr_sessions_total and
 * cfwd_remote_sessions_total {result=started}, cfwd_sessions_active,
 * cfwd_sessions_ended_total {by=dialogue|caller|failed}. NULL stops. */
void ops_metrics_watch_sessions(const struct session_calls *sc);

/* Under systemd with stderr on the journal ($JOURNAL_STREAM names stderr), prefix each
 * log line with its syslog priority ("<3>" error .. "<7>" debug) so journalctl shows
 * and filters levels (journalctl -p). Otherwise lines stay as they are. */
void ops_log_setup(void);

#endif
