/* tests/fixture_isup.h - the two real libss7 signalling points that the call-layer tests
 * put in one process: "cfwd" (pc 1001, the node under test) and "net" (the subscribers'
 * local exchange pc 2001 and the transit exchange pc 3001) on two sim spans, 4 circuits
 * each, routes 0312 -> local and 0 -> transit; when all their circuits are idle; the
 * port base and temp files of a test run; the facts of an ordinary call. Not here: what
 * either side does with a call (the tests' owners), the feature under test. */
#ifndef TESTS_FIXTURE_ISUP_H
#define TESTS_FIXTURE_ISUP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/conf.h"
#include "core/loop.h"
#include "isup/call.h"
#include "isup/facts.h"
#include "isup/node.h"

/* CFWD_PORT_BASE, else one derived from the PID (20000..35900). */
unsigned fx_port_base(void);

/* A fresh path /tmp/NAME.XXXXXX for a store to create (no file there yet). 0 or -1. */
int fx_temp_path(char *path, size_t len, const char *name);

/* Node "cfwd" (cfwd true) or "net" of the pair on ports base + off .. + off + 3; its
 * config in *c (the caller frees it after closing the node). NULL on error. */
struct isup_node *fx_node_open(struct loop *l, bool cfwd, unsigned base, unsigned off,
			       struct conf **c, const struct isup_node_owner *owner, void *user);

/* The call layer on node cfwd: the routes of its config c, every link of it, HOOK in
 * front of every incoming call. */
void fx_call_layer(struct call_ctx *calls, struct isup_node *cfwd, struct conf *c,
		   call_incoming_hook hook, void *user);

/* Every link of both nodes up, no leg on it, all 4 circuits available. */
bool fx_nodes_idle(struct isup_node *cfwd, struct isup_node *net);

/* An ordinary call from FROM to TO: both national (NAI 3), the caller's number
 * network-provided (screening 3) and presented; nothing else set. */
void fx_facts(struct call_facts *fa, const char *from, const char *to);

#endif
