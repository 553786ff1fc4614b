/* daemon/status.h - cfwdd's live status for the control socket: spans, links, CIC
 * states per linkset (with the leak count), calls in progress and counters, as text
 * lines or one JSON object. Read-only. */
#ifndef DAEMON_STATUS_H
#define DAEMON_STATUS_H

#include <stdbool.h>
#include <stdio.h>

struct isup_node;
struct call_ctx;

void status_write(FILE *out, struct isup_node *node, struct call_ctx *calls, bool json,
		  unsigned long uptime_s);
/* One line per circuit of every linkset: "cic LINKSET CIC ts N STATE [blocked-local]
 * [blocked-remote] [leg STATE]". */
void status_write_cics(FILE *out, struct isup_node *node);

#endif
