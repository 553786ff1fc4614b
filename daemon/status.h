/* daemon/status.h - cfwdd's live status for the control socket: spans, links, CIC
 * states per linkset (with the leak count), PRI trunks (D-channel, B-channels, legs),
 * calls in progress and counters, as text lines or one JSON object. Read-only. */
#ifndef DAEMON_STATUS_H
#define DAEMON_STATUS_H

#include <stdbool.h>
#include <stdio.h>

struct isup_node;
struct call_ctx;
struct pri_calls;

/* pri: the PRI trunks (NULL or none: no "trunk" lines, "trunks":[]). A trunk line:
 * "trunk NAME switch euroisdn side network span S dchan 16 up|down bchans 30 idle 30
 * busy 0 legs 0 calls-in N calls-out N rejected N dchan-downs N". */
void status_write(FILE *out, struct isup_node *node, struct pri_calls *pri,
		  struct call_ctx *calls, bool json, unsigned long uptime_s);
/* One line per circuit of every linkset: "cic LINKSET CIC ts N STATE [blocked-local]
 * [blocked-remote] [leg STATE]". */
void status_write_cics(FILE *out, struct isup_node *node);

#endif
