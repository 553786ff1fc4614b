/* isup/call.h - call objects joining two legs (tandem: incoming leg -> outgoing leg
 * chosen by the routing table) and the call layer that owns them: ACM/CPG/ANM/REL pass
 * between the legs, causes mapped, bearer cross-connected from ACM on. A feature hook
 * sees every incoming call first (forwarding, 142 sessions) and may take it over;
 * without a hook every call is plain-routed. Does not know libss7. */
#ifndef ISUP_CALL_H
#define ISUP_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "isup/facts.h"

struct loop;
struct isup_link;
struct call_leg;
struct route_table;
struct call_ctx;
struct call;
struct call_leg_ops;

/* Feature hook, called for every incoming leg before plain routing.
 * Return false to let the call layer route the call by the table (the default).
 * Return true when the feature took the leg: it has called call_leg_set_owner() (a
 * 142 session answering locally) or call_connect() (e.g. forwarding with a new
 * called number and redirection facts), or call_leg_release(). */
typedef bool (*call_incoming_hook)(void *user, struct call_ctx *ctx, struct call_leg *in);

struct call_stats {
	uint64_t calls, answered, unrouted, failed;	/* failed: no circuit/congestion */
	uint64_t iam_latency_us_sum, iam_latency_n;	/* incoming IAM -> onward IAM sent */
	uint32_t iam_latency_us_max;
};

struct call_ctx *call_ctx_alloc(struct loop *l);
void call_ctx_free(struct call_ctx *ctx);	/* NULL-safe; calls must be gone */
int call_ctx_add_link(struct call_ctx *ctx, struct isup_link *lk);
struct isup_link *call_ctx_link(struct call_ctx *ctx, const char *name);
unsigned call_ctx_link_count(const struct call_ctx *ctx);
struct isup_link *call_ctx_link_at(struct call_ctx *ctx, unsigned i);
/* Install a new routing table (SIGHUP); the ctx owns it and frees the old one. */
void call_ctx_set_routes(struct call_ctx *ctx, struct route_table *t);
void call_ctx_set_hook(struct call_ctx *ctx, call_incoming_hook hook, void *user);
/* The isup_link_owner.incoming to give every link. */
void call_ctx_incoming(void *user, struct isup_link *lk, struct call_leg *in);

/* Route f->called and join the incoming leg with a new outgoing leg built from f.
 * On failure the incoming leg is released (cause 1 unrouted, 34/42/38 no way out). */
int call_connect(struct call_ctx *ctx, struct call_leg *in, const struct call_facts *f);

/* A feature watching one call (forwarding): told of the outgoing leg's ACM and answer
 * after the call layer passed them on, and of its release before answer *before* the
 * cause goes back to the caller. out_released returns true when the feature took over
 * (it called call_reroute()); false lets the cause pass back as usual. ended: both legs
 * are gone and the call is freed when it returns (also when connecting failed). */
struct call_observer {
	void (*alerting)(void *user, struct call *call);
	void (*answered)(void *user, struct call *call);
	bool (*out_released)(void *user, struct call *call, int cause);
	void (*ended)(void *user, struct call *call);
};
/* call_connect() with an observer (NULL: none). On failure, ended() has been called. */
int call_connect_observed(struct call_ctx *ctx, struct call_leg *in, const struct call_facts *f,
			  const struct call_observer *obs, void *user);
/* Release the outgoing leg (if any) with cause and place a new one built from f while
 * the incoming leg stays up (no diversion notification: a later ACM from the new leg
 * goes back as CPG alerting when the caller already had an ACM). On failure the
 * incoming leg is released with the routing cause and the call ends (-errno). */
int call_reroute(struct call *call, const struct call_facts *f, int cause);
const struct call_facts *call_facts(const struct call *call);
/* Trunks of another signalling system (PRI) as route targets: a [route] naming one
 * places the outgoing leg with setup (NULL with *cause set on failure). */
typedef struct call_leg *(*call_trunk_setup)(void *trunk, const struct call_facts *f,
					     const struct call_leg_ops *ops, void *user,
					     int *cause);
int call_ctx_add_trunk(struct call_ctx *ctx, const char *name, call_trunk_setup setup,
		       void *trunk);
bool call_ctx_has_trunk(const struct call_ctx *ctx, const char *name);
/* The linkset a number routes to (NULL: unallocated, or a trunk). */
struct isup_link *call_ctx_route(struct call_ctx *ctx, const char *number);

unsigned call_ctx_active(const struct call_ctx *ctx);	/* call objects in progress */
const struct call_stats *call_ctx_stats(const struct call_ctx *ctx);
/* Walk calls in progress (status output). */
struct call *call_ctx_first(struct call_ctx *ctx);
struct call *call_next(struct call *call);
struct call_leg *call_in_leg(const struct call *call);
struct call_leg *call_out_leg(const struct call *call);

/* Q.850 cause as passed from one leg to the other: valid values unchanged, our internal
 * TRY_AGAIN becomes 34, anything out of range 31 (normal, unspecified). */
int call_map_cause(int cause);

#endif
