/* feature/cfwd/session_call.h - 142 and remote-control calls on the wire (issue 7): an
 * IAM to the service code (142) or to a remote-control access number is answered on
 * its CIC (ACM charge "no charge" for 142, "charge" for remote control, then ANM) and
 * bound to a media dialogue (media/dialogue.h) on the CIC's timeslot: received audio ->
 * DTMF detector -> dialogue, guidance -> transmit side, one block per received block.
 * The session ends by the dialogue (REL 16 from us) or the caller's REL. Remote-control
 * calls leave a billing record (caller pays); 142 calls none. Plugs into
 * forward_hook_set_session(). Does not route, forward or detect DTMF itself. */
#ifndef CFWD_SESSION_CALL_H
#define CFWD_SESSION_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct conf;
struct store;
struct store_writer;
struct prompt_set;
struct tdm_span;
struct call_ctx;
struct call_leg;
struct session_calls;

#define SESSION_CALLS_SPANS_MAX 48	/* as NODE_SPANS_MAX */

struct session_calls_stats {
	uint64_t ivr, remote;		/* sessions started */
	uint64_t ended_by_us, ended_by_caller, failed;
	uint64_t billed, bill_errors;
};

/* Load the guidance for [service] language (ja|en, default ja; [media] language is read
 * when [service] has none) from [media] prompts (default: prompts/ next to the
 * program when it exists, else build/prompts). NULL with
 * "DIR/LANG/menu.wav: No such file or directory" in err: the daemon must not start. */
struct prompt_set *session_prompts_load(struct conf *c, char *err, size_t errlen);

/* Read (and so mark used) every session key of c without loading anything: for a
 * daemon without a store, which answers no session. 0 or -EINVAL with err. */
int session_calls_conf_check(struct conf *c, char *err, size_t errlen);
/* Dialogue settings from c ([service], [refused], [timers]); store and ps must outlive
 * the object. NULL with a message in err. */
struct session_calls *session_calls_alloc(struct loop *l, struct conf *c, struct store *st,
					  const struct prompt_set *ps, char *err, size_t errlen);
/* Sessions still running are dropped without signalling (their legs go with the links). */
void session_calls_free(struct session_calls *sc);	/* NULL-safe */
/* Shutdown: every dialogue is hung up (nothing more changes) and forgotten; the legs
 * are left to the caller, who releases them (isup_link_release_all). */
void session_calls_stop(struct session_calls *sc);
/* A span whose timeslots may carry sessions (one DTMF bank per span). 0 or -errno. */
int session_calls_add_span(struct session_calls *sc, struct tdm_span *s);

/* The forward_session_fn: take an IAM to 142 / an access number. false when the leg is
 * not on a known span (routed plainly then). */
bool session_calls_incoming(void *user, struct call_ctx *ctx, struct call_leg *in);
/* A received bearer block of (s, ts); false when no session is on that timeslot. */
bool session_calls_bearer_rx(struct session_calls *sc, struct tdm_span *s, unsigned ts,
			     const uint8_t *blk);

unsigned session_calls_active(const struct session_calls *sc);
const struct session_calls_stats *session_calls_stats(const struct session_calls *sc);
/* The store writer the sessions' changes go through (its counters), never NULL. */
const struct store_writer *session_calls_writer(const struct session_calls *sc);

#endif
