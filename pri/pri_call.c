/* pri/pri_call.c - PRI legs as call_legs (see pri_call.h). Each call pairs a pri_leg
 * (Q.931 on a B-channel) with a foreign call_leg shell: the call layer's requests go to
 * the pri_leg (progress "alerting" before ALERTING was sent becomes ALERTING, any other
 * becomes PROGRESS with in-band information), the pri_leg's events come back as
 * call_leg events (PROGRESS as CPG "in-band information"). Cause values pass unchanged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "drivers/tdm.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "pri/pri_call.h"
#include "pri/pri_leg.h"
#include "pri/pri_trunk.h"

#define PRI_CALLS_TRUNKS_MAX 8
#define CPG_INBAND 3		/* Q.763 event "in-band information or pattern available" */
#define CPG_ALERTING 1

struct pri_calls {
	struct pri_trunk *trunks[PRI_CALLS_TRUNKS_MAX];
	unsigned n;
	pri_calls_incoming incoming;
	void *user;
};

struct pri_call {
	struct pri_leg *pl;
	struct call_leg *cl;
	bool alerted;
};

/* --- pri_leg -> call_leg */
static void pc_alerting(void *user, struct pri_leg *leg)
{
	struct pri_call *pc = user;

	call_leg_foreign_event(pc->cl, CALL_LEG_FOREIGN_ALERTING, 0);
}

static void pc_progress(void *user, struct pri_leg *leg, int event)
{
	struct pri_call *pc = user;

	call_leg_foreign_event(pc->cl, CALL_LEG_FOREIGN_PROGRESS, CPG_INBAND);
}

static void pc_answered(void *user, struct pri_leg *leg)
{
	struct pri_call *pc = user;

	call_leg_foreign_event(pc->cl, CALL_LEG_FOREIGN_ANSWERED, 0);
}

static void pc_released(void *user, struct pri_leg *leg, int cause)
{
	struct pri_call *pc = user;

	call_leg_foreign_event(pc->cl, CALL_LEG_FOREIGN_RELEASED, cause);	/* frees cl */
	free(pc);
}

static const struct pri_leg_ops pc_leg_ops = {
	.alerting = pc_alerting,
	.progress = pc_progress,
	.answered = pc_answered,
	.released = pc_released,
};

/* --- call_leg requests -> pri_leg */
static int be_alert(void *priv)
{
	struct pri_call *pc = priv;

	pc->alerted = true;
	return pri_leg_alert(pc->pl);
}

static int be_progress(void *priv, int event)
{
	struct pri_call *pc = priv;

	if ((event & 0x7f) == CPG_ALERTING && !pc->alerted)
		return be_alert(priv);
	return pri_leg_progress(pc->pl);
}

static int be_answer(void *priv)
{
	struct pri_call *pc = priv;

	return pri_leg_answer(pc->pl);
}

static void be_release(void *priv, int cause)
{
	struct pri_call *pc = priv;

	pri_leg_release(pc->pl, cause);
	free(pc);
}

static const char *be_state_name(const void *priv)
{
	const struct pri_call *pc = priv;

	return pri_leg_state_name(pc->pl);
}

static const char *be_trunk_name(const void *priv)
{
	const struct pri_call *pc = priv;

	return pri_trunk_name(pri_leg_trunk(pc->pl));
}

static const struct call_leg_backend pc_backend = {
	.alert = be_alert,
	.progress = be_progress,
	.answer = be_answer,
	.release = be_release,
	.state_name = be_state_name,
	.trunk_name = be_trunk_name,
};

static struct call_leg *pc_shell(struct pri_call *pc, struct pri_trunk *t, bool outgoing)
{
	pc->cl = call_leg_foreign_new(&pc_backend, pc, pri_trunk_span(t),
				      pri_leg_channel(pc->pl), pri_leg_facts(pc->pl), outgoing);
	return pc->cl;
}

struct call_leg *pri_calls_setup(struct pri_trunk *t, const struct call_facts *f,
				 const struct call_leg_ops *ops, void *user, int *cause)
{
	struct pri_call *pc = calloc(1, sizeof(*pc));

	if (!pc) {
		*cause = 41;
		return NULL;
	}
	pc->pl = pri_leg_setup(t, f, &pc_leg_ops, pc, cause);
	if (!pc->pl) {
		free(pc);
		return NULL;
	}
	if (!pc_shell(pc, t, true)) {
		pri_leg_release(pc->pl, 41);
		free(pc);
		*cause = 41;
		return NULL;
	}
	call_leg_set_owner(pc->cl, ops, user);
	return pc->cl;
}

static struct call_leg *pc_setup_cb(void *trunk, const struct call_facts *f,
				    const struct call_leg_ops *ops, void *user, int *cause)
{
	return pri_calls_setup(trunk, f, ops, user, cause);
}

static void pc_incoming(void *user, struct pri_trunk *t, struct pri_leg *leg)
{
	struct pri_calls *calls = user;
	struct pri_call *pc = calloc(1, sizeof(*pc));

	if (!pc) {
		pri_leg_release(leg, 42);
		return;
	}
	pc->pl = leg;
	if (!pc_shell(pc, t, false)) {
		pri_leg_release(leg, 42);
		free(pc);
		return;
	}
	pri_leg_set_owner(leg, &pc_leg_ops, pc);
	calls->incoming(calls->user, pc->cl);
}

static void pc_dchan(void *user, struct pri_trunk *t, bool up)
{
	LOGP(DPRI, up ? LOGL_NOTICE : LOGL_ERROR, "trunk %s: D-channel %s", pri_trunk_name(t),
	     up ? "up" : "down");
}

static const struct pri_trunk_owner pc_owner = {
	.dchan_state = pc_dchan,
	.incoming = pc_incoming,
};

static int pc_open_trunk(struct pri_calls *pc, struct loop *l, struct conf *c, const char *sec,
			 struct tdm_span *const *spans, unsigned n_spans, struct pri_pcap *pcap,
			 char *err, size_t errlen)
{
	struct pri_trunk_cfg cfg;
	struct tdm_span *span = NULL;

	if (pc->n == PRI_CALLS_TRUNKS_MAX) {
		snprintf(err, errlen, "%s: too many trunks", conf_path(c));
		return -ENOSPC;
	}
	if (pri_trunk_cfg_parse(c, sec, &cfg, err, errlen) < 0)
		return -EINVAL;
	for (unsigned i = 0; i < n_spans; i++)
		if (!strcmp(tdm_span_name(spans[i]), cfg.span))
			span = spans[i];
	if (!span) {
		conf_errf(c, conf_find(c, sec, "span"), err, errlen, "no [span %s]", cfg.span);
		return -EINVAL;
	}
	pc->trunks[pc->n] = pri_trunk_open(l, &cfg, span, &pc_owner, pc, pcap, err, errlen);
	if (!pc->trunks[pc->n])
		return -EINVAL;
	pc->n++;
	return 0;
}

struct pri_calls *pri_calls_open(struct loop *l, struct conf *c, struct tdm_span *const *spans,
				 unsigned n_spans, pri_calls_incoming incoming, void *user,
				 struct pri_pcap *pcap, char *err, size_t errlen)
{
	struct pri_calls *pc = calloc(1, sizeof(*pc));

	if (!pc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pc->incoming = incoming;
	pc->user = user;
	for (size_t i = 0; i < conf_section_count(c); i++) {
		const char *sec = conf_section_at(c, i);

		if (!strncmp(sec, "trunk ", 6) &&
		    pc_open_trunk(pc, l, c, sec, spans, n_spans, pcap, err, errlen) < 0) {
			pri_calls_close(pc);
			return NULL;
		}
	}
	return pc;
}

void pri_calls_close(struct pri_calls *pc)
{
	if (!pc)
		return;
	for (unsigned i = 0; i < pc->n; i++)
		pri_trunk_close(pc->trunks[i]);
	free(pc);
}

int pri_calls_register(struct pri_calls *pc, struct call_ctx *ctx)
{
	for (unsigned i = 0; pc && i < pc->n; i++)
		if (call_ctx_add_trunk(ctx, pri_trunk_name(pc->trunks[i]), pc_setup_cb,
				       pc->trunks[i]) < 0)
			return -ENOSPC;
	return 0;
}

unsigned pri_calls_count(const struct pri_calls *pc)
{
	return pc ? pc->n : 0;
}

struct pri_trunk *pri_calls_trunk_at(const struct pri_calls *pc, unsigned i)
{
	return pc && i < pc->n ? pc->trunks[i] : NULL;
}

struct pri_trunk *pri_calls_trunk(const struct pri_calls *pc, const char *name)
{
	for (unsigned i = 0; pc && i < pc->n; i++)
		if (!strcmp(pri_trunk_name(pc->trunks[i]), name))
			return pc->trunks[i];
	return NULL;
}

void pri_calls_set_tap(struct pri_calls *pc, pri_trunk_tap tap, void *user)
{
	for (unsigned i = 0; pc && i < pc->n; i++)
		pri_trunk_set_tap(pc->trunks[i], tap, user);
}

bool pri_calls_all_up(const struct pri_calls *pc)
{
	for (unsigned i = 0; pc && i < pc->n; i++)
		if (!pri_trunk_is_up(pc->trunks[i]))
			return false;
	return true;
}
