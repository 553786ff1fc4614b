/* feature/cfwd/forward_hook.h - cfwdd's feature hook (isup/call.h call_incoming_hook):
 * every incoming IAM goes through forward_hook_incoming(). Called numbers that are
 * service codes (142) or remote-control access numbers go to an optional session
 * handler (the 142 / remote-control media sessions plug in here with
 * forward_hook_set_session, without touching forwarding); every other called number
 * is offered to forwarding (forward.h); what neither takes is routed plainly.
 * Without a session handler, 142 and access numbers are routed plainly too. */
#ifndef CFWD_FORWARD_HOOK_H
#define CFWD_FORWARD_HOOK_H

#include <stdbool.h>

struct call_ctx;
struct call_leg;
struct conf;
struct forward;
struct forward_hook;

/* A session handler: return true when it took the leg (call_leg_set_owner() then
 * answer, or call_leg_release()), false to let the call be routed plainly. */
typedef bool (*forward_session_fn)(void *user, struct call_ctx *ctx, struct call_leg *in);

#define FORWARD_HOOK_SESSION_MAX 12

/* fw may be NULL (no store: no forwarding, sessions only). Session numbers: "142" and
 * [service] remote_access of c (the built-in access numbers when c is NULL or has
 * none). NULL with a message in err. */
struct forward_hook *forward_hook_alloc(struct forward *fw, struct conf *c, char *err,
					size_t errlen);
void forward_hook_free(struct forward_hook *h);	/* NULL-safe */
void forward_hook_set_session(struct forward_hook *h, forward_session_fn fn, void *user);
/* Called number served by the session handler (exact match, no ST). */
bool forward_hook_is_session_number(const struct forward_hook *h, const char *called);

/* The call_incoming_hook: call_ctx_set_hook(ctx, forward_hook_incoming, h). */
bool forward_hook_incoming(void *user, struct call_ctx *ctx, struct call_leg *in);

#endif
