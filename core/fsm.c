/* core/fsm.c - table-driven state machines (osmo_fsm's shape): event masks, permitted
 * transitions, onenter/onleave, per-state tdef timers, allstate events (which, as in
 * osmo_fsm, go to allstate_action only), and termination with a deferred free.
 * Every event and transition is logged at DEBUG as "name(id){STATE}: ..."; refused events
 * at NOTICE, refused transitions (a programming error) at ERROR. Does not queue events. */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fsm.h"
#include "core/loop.h"

struct fsm_inst {
	const struct fsm *fsm;
	struct loop *loop;
	void *priv;
	char *id;
	uint32_t state;
	struct timer timer;
	int timer_id; /* tdef id of the running timer (0: none given) */
	bool terminated;
};

static unsigned live_count;

static enum log_subsys fsm_subsys(const struct fsm *fsm)
{
	/* DCORE is the loop's; a machine that left log_subsys at 0 logs as DFSM. */
	return fsm->log_subsys == DCORE ? DFSM : fsm->log_subsys;
}

void fsm_log(const struct fsm_inst *fi, enum log_level lvl, const char *file, int line,
	     const char *fmt, ...)
{
	enum log_subsys ss = fsm_subsys(fi->fsm);
	char msg[768];
	va_list ap;

	if (!log_enabled(ss, lvl))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (fi->id[0])
		log_msg(ss, lvl, file, line, "%s(%s){%s}: %s", fi->fsm->name, fi->id,
			fsm_inst_state_name(fi), msg);
	else
		log_msg(ss, lvl, file, line, "%s{%s}: %s", fi->fsm->name, fsm_inst_state_name(fi),
			msg);
}

static const char *timer_name(const struct fsm_inst *fi, int timer_id, char *buf, size_t len)
{
	const struct tdef *t = tdef_find(fi->fsm->tdefs, timer_id);

	if (t)
		return t->name;
	snprintf(buf, len, "timer %d", timer_id);
	return buf;
}

static void fsm_timer_fired(struct timer *t, void *user)
{
	struct fsm_inst *fi = user;
	int timer_id = fi->timer_id;
	char buf[24];

	LOGPFSM(fi, LOGL_DEBUG, "Timeout of %s", timer_name(fi, timer_id, buf, sizeof(buf)));
	if (!fi->fsm->timer_cb) {
		LOGPFSM(fi, LOGL_NOTICE, "Timeout of %s and no timer_cb: terminating",
			timer_name(fi, timer_id, buf, sizeof(buf)));
		fsm_inst_term(fi);
		return;
	}
	if (fi->fsm->timer_cb(fi, timer_id) == 1)
		fsm_inst_term(fi);
}

struct fsm_inst *fsm_inst_alloc(const struct fsm *fsm, struct loop *l, void *priv, const char *id)
{
	struct fsm_inst *fi;

	assert(fsm && l && fsm->num_states > 0 && fsm->num_states <= 32);
	fi = calloc(1, sizeof(*fi));
	if (!fi)
		return NULL;
	fi->id = strdup(id ? id : "");
	if (!fi->id) {
		free(fi);
		return NULL;
	}
	fi->fsm = fsm;
	fi->loop = l;
	fi->priv = priv;
	timer_setup(&fi->timer, l, fsm_timer_fired, fi);
	live_count++;
	LOGPFSM(fi, LOGL_DEBUG, "Allocated");
	return fi;
}

static void fsm_inst_free(void *user)
{
	struct fsm_inst *fi = user;

	LOGPFSM(fi, LOGL_DEBUG, "Deallocated");
	timer_cancel(&fi->timer);
	free(fi->id);
	free(fi);
	assert(live_count > 0);
	live_count--;
}

int fsm_inst_dispatch(struct fsm_inst *fi, uint32_t event, void *data)
{
	const struct fsm *fsm = fi->fsm;
	const struct fsm_state *st = &fsm->states[fi->state];
	uint32_t bit = event < 32 ? S(event) : 0;

	if (fi->terminated) {
		LOGPFSM(fi, LOGL_NOTICE, "Event %s received after termination: refused",
			fsm_event_name(fsm, event));
		return -ESHUTDOWN;
	}
	LOGPFSM(fi, LOGL_DEBUG, "Received Event %s", fsm_event_name(fsm, event));
	if (fsm->allstate_event_mask & bit) {
		if (fsm->allstate_action)
			fsm->allstate_action(fi, event, data);
		return 0;
	}
	if (!(st->in_event_mask & bit)) {
		LOGPFSM(fi, LOGL_NOTICE, "Event %s not permitted", fsm_event_name(fsm, event));
		return -EPERM;
	}
	if (st->action)
		st->action(fi, event, data);
	return 0;
}

int fsm_state_chg_ms(struct fsm_inst *fi, uint32_t new_state, uint32_t ms, int timer_id)
{
	const struct fsm *fsm = fi->fsm;
	uint32_t old_state = fi->state;
	const struct fsm_state *st = &fsm->states[old_state];

	if (fi->terminated) {
		LOGPFSM(fi, LOGL_ERROR, "state_chg after termination: refused");
		return -ESHUTDOWN;
	}
	if (new_state >= fsm->num_states || !(st->out_state_mask & S(new_state))) {
		LOGPFSM(fi, LOGL_ERROR, "transition to state %s not permitted",
			new_state < fsm->num_states ? fsm->states[new_state].name : "unknown");
		return -EPERM;
	}
	timer_cancel(&fi->timer);
	if (ms)
		LOGPFSM(fi, LOGL_DEBUG, "state_chg to %s (timeout %u ms)",
			fsm->states[new_state].name, ms);
	else
		LOGPFSM(fi, LOGL_DEBUG, "state_chg to %s", fsm->states[new_state].name);
	if (st->onleave)
		st->onleave(fi, new_state);
	if (fi->terminated)
		return 0; /* onleave terminated the instance: enter nothing */
	fi->state = new_state;
	fi->timer_id = timer_id;
	if (ms)
		timer_schedule_ms(&fi->timer, ms);
	st = &fsm->states[new_state];
	if (st->onenter)
		st->onenter(fi, old_state);
	return 0;
}

int fsm_state_chg(struct fsm_inst *fi, uint32_t new_state)
{
	uint32_t ms = 0;
	int timer_id = 0;

	if (new_state < fi->fsm->num_states) {
		timer_id = fi->fsm->states[new_state].timer;
		if (timer_id)
			ms = tdef_ms(fi->fsm->tdefs, timer_id);
	}
	return fsm_state_chg_ms(fi, new_state, ms, timer_id);
}

void fsm_timer_schedule_ms(struct fsm_inst *fi, uint32_t ms, int timer_id)
{
	if (fi->terminated)
		return;
	fi->timer_id = timer_id;
	if (ms)
		timer_schedule_ms(&fi->timer, ms);
	else
		timer_cancel(&fi->timer);
}

void fsm_timer_stop(struct fsm_inst *fi)
{
	timer_cancel(&fi->timer);
}

void fsm_inst_term(struct fsm_inst *fi)
{
	if (fi->terminated)
		return;
	fi->terminated = true;
	timer_cancel(&fi->timer);
	LOGPFSM(fi, LOGL_DEBUG, "Terminating");
	if (fi->fsm->cleanup)
		fi->fsm->cleanup(fi);
	if (loop_defer(fi->loop, fsm_inst_free, fi) < 0)
		LOGPFSM(fi, LOGL_ERROR, "cannot defer free (out of memory): leaking instance");
}

uint32_t fsm_inst_state(const struct fsm_inst *fi)
{
	return fi->state;
}

const char *fsm_inst_state_name(const struct fsm_inst *fi)
{
	const char *name = fi->fsm->states[fi->state].name;

	return name ? name : "unknown";
}

const char *fsm_event_name(const struct fsm *fsm, uint32_t event)
{
	if (fsm->event_names && event < fsm->num_events && fsm->event_names[event])
		return fsm->event_names[event];
	return "unknown";
}

void *fsm_inst_priv(const struct fsm_inst *fi)
{
	return fi->priv;
}

const char *fsm_inst_id(const struct fsm_inst *fi)
{
	return fi->id;
}

bool fsm_inst_terminated(const struct fsm_inst *fi)
{
	return fi->terminated;
}

unsigned fsm_inst_live_count(void)
{
	return live_count;
}
