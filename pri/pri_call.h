/* pri/pri_call.h - PRI trunks inside the call layer: every [trunk NAME] of a config is
 * opened on its span (spans come from the isup_node that opened every [span]); each
 * incoming SETUP becomes a foreign call_leg (isup/call_leg.h) handed to the owner's
 * incoming handler - cfwdd passes it to call_ctx_incoming(), so the feature hook
 * (forwarding, 142) and the routing table see it exactly as an IAM - and each trunk can
 * be registered with a call_ctx as a route target (call_ctx_add_trunk). */
#ifndef PRI_PRI_CALL_H
#define PRI_PRI_CALL_H

#include <stdbool.h>
#include <stddef.h>

#include "pri/pri_trunk.h"

struct loop;
struct conf;
struct tdm_span;
struct call_ctx;
struct call_leg;
struct pri_pcap;
struct pri_trunk;
struct pri_calls;

typedef void (*pri_calls_incoming)(void *user, struct call_leg *leg);

/* Open every [trunk NAME] of c (none: an empty set). pcap may be NULL. With CFWD_PORT_BASE
 * nothing changes here: the spans were opened (and their ports mapped) by the caller.
 * NULL with "file:line: ..." in err. */
struct pri_calls *pri_calls_open(struct loop *l, struct conf *c, struct tdm_span *const *spans,
				 unsigned n_spans, pri_calls_incoming incoming, void *user,
				 struct pri_pcap *pcap, char *err, size_t errlen);
void pri_calls_close(struct pri_calls *pc);	/* NULL-safe; releases calls (41) */
/* Register every trunk with ctx as a route target (by trunk name). 0 or -ENOSPC. */
int pri_calls_register(struct pri_calls *pc, struct call_ctx *ctx);
/* Place a call on a trunk (what the call layer does through the registration). */
struct call_leg *pri_calls_setup(struct pri_trunk *t, const struct call_facts *f,
				 const struct call_leg_ops *ops, void *user, int *cause);
unsigned pri_calls_count(const struct pri_calls *pc);
struct pri_trunk *pri_calls_trunk_at(const struct pri_calls *pc, unsigned i);
struct pri_trunk *pri_calls_trunk(const struct pri_calls *pc, const char *name);
bool pri_calls_all_up(const struct pri_calls *pc);
/* A frame tap (pri_trunk_set_tap) on every trunk, e.g. the lab's ladder. */
void pri_calls_set_tap(struct pri_calls *pc, pri_trunk_tap tap, void *user);

#endif
