/* feature/cfwd/remote.c - the remote-control dialogue (SERVICE.md §4) as a table FSM:
 * states, session life, timers and keys. The number and the PIN are always both
 * collected, then checked together (remote_store.c), so every failure sounds the same
 * and comes at the same moment; while the hash and the lockout bookkeeping run the
 * session waits in VERIFYING, while a start / stop is made in COMMITTING (keys pressed
 * meanwhile are dropped). After a rejection the caller may try again, up to
 * max_rejects per call. Timers as in the 142 dialogue: digit timers start when the
 * guidance has finished; X3 bounds the session; X4 guards the closing prompt and the
 * waits. The PIN is wiped after the check and never logged. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "feature/cfwd/remote_int.h"

struct tdef cfwd_remote_tdefs[] = {
	{ CFWD_X_INTER_DIGIT, "X1", "inter-digit", 10000, 1000, 60000, 0 },
	{ CFWD_X_FIRST_DIGIT, "X2", "first digit", 10000, 1000, 60000, 0 },
	{ CFWD_X_SESSION, "X3", "session limit", 180000, 10000, 3600000, 0 },
	{ CFWD_X_PROMPT_GUARD, "X4", "closing prompt guard", 30000, 1000, 120000, 0 },
	{ 0, NULL, NULL, 0, 0, 0, 0 },
};

static const char *const rm_event_names[] = {
	[RM_EV_START] = "START",
	[RM_EV_DIGIT] = "DIGIT",
	[RM_EV_PROMPT_DONE] = "PROMPT_DONE",
	[RM_EV_HANGUP] = "HANGUP",
	[RM_EV_SESSION_LIMIT] = "SESSION_LIMIT",
	[RM_EV_VERIFIED] = "VERIFIED",
	[RM_EV_SETTLED] = "SETTLED",
	[RM_EV_COMMITTED] = "COMMITTED",
};

static void rm_init_action(struct fsm_inst *fi, uint32_t event, void *data);
static void rm_input_action(struct fsm_inst *fi, uint32_t event, void *data);
static void rm_goodbye_action(struct fsm_inst *fi, uint32_t event, void *data);
static void rm_onenter(struct fsm_inst *fi, uint32_t prev);

#define IN_INPUT (S(RM_EV_DIGIT) | S(RM_EV_PROMPT_DONE))
static const struct fsm_state rm_states[] = {
	[RM_ST_INIT] = {
		.name = "INIT",
		.in_event_mask = S(RM_EV_START),
		.out_state_mask = S(RM_ST_NUMBER),
		.action = rm_init_action,
	},
	[RM_ST_NUMBER] = {
		.name = "NUMBER",
		.in_event_mask = IN_INPUT,
		.out_state_mask = S(RM_ST_NUMBER) | S(RM_ST_PIN) | S(RM_ST_GOODBYE),
		.onenter = rm_onenter,
		.action = rm_input_action,
	},
	[RM_ST_PIN] = {
		.name = "PIN",
		.in_event_mask = IN_INPUT,
		.out_state_mask = S(RM_ST_NUMBER) | S(RM_ST_PIN) | S(RM_ST_VERIFYING) |
				  S(RM_ST_COMMAND) | S(RM_ST_GOODBYE),
		.onenter = rm_onenter,
		.action = rm_input_action,
	},
	[RM_ST_VERIFYING] = {
		.name = "VERIFYING",
		.in_event_mask = S(RM_EV_VERIFIED) | S(RM_EV_SETTLED) | S(RM_EV_DIGIT) |
				 S(RM_EV_PROMPT_DONE),
		.out_state_mask = S(RM_ST_NUMBER) | S(RM_ST_COMMAND) | S(RM_ST_GOODBYE),
		.action = rm_verifying_action,
		.timer = CFWD_X_PROMPT_GUARD,	/* the workers never answered */
	},
	[RM_ST_COMMAND] = {
		.name = "COMMAND",
		.in_event_mask = IN_INPUT,
		.out_state_mask = S(RM_ST_COMMAND) | S(RM_ST_LIST_NO) | S(RM_ST_GOODBYE) |
				  S(RM_ST_COMMITTING),
		.onenter = rm_onenter,
		.action = rm_input_action,
	},
	[RM_ST_LIST_NO] = {
		.name = "LIST_NO",
		.in_event_mask = IN_INPUT,
		.out_state_mask = S(RM_ST_COMMAND) | S(RM_ST_GOODBYE) | S(RM_ST_COMMITTING),
		.onenter = rm_onenter,
		.action = rm_input_action,
	},
	[RM_ST_GOODBYE] = {
		.name = "GOODBYE",
		.in_event_mask = S(RM_EV_PROMPT_DONE),
		.onenter = rm_onenter,
		.action = rm_goodbye_action,
		.timer = CFWD_X_PROMPT_GUARD,
	},
	[RM_ST_COMMITTING] = {
		.name = "COMMITTING",
		.in_event_mask = S(RM_EV_COMMITTED) | IN_INPUT,
		.out_state_mask = S(RM_ST_COMMAND) | S(RM_ST_GOODBYE),
		.action = rm_committing_action,
		.timer = CFWD_X_PROMPT_GUARD,	/* the writer never answered */
	},
};

static int rm_timer_cb(struct fsm_inst *fi, int timer_id);
static void rm_allstate(struct fsm_inst *fi, uint32_t event, void *data);
static void rm_cleanup(struct fsm_inst *fi);

static const struct fsm rm_fsm = {
	.name = "remote",
	.states = rm_states,
	.num_states = ARRAY_SIZE(rm_states),
	.event_names = rm_event_names,
	.num_events = ARRAY_SIZE(rm_event_names),
	.log_subsys = DREMOTE,
	.tdefs = cfwd_remote_tdefs,
	.timer_cb = rm_timer_cb,
	.allstate_event_mask = S(RM_EV_HANGUP) | S(RM_EV_SESSION_LIMIT),
	.allstate_action = rm_allstate,
	.cleanup = rm_cleanup,
};

void rm_go(struct cfwd_remote *rm, enum rm_state st)
{
	fsm_state_chg(rm->fi, st);
}

void rm_say(struct cfwd_remote *rm, enum prompt_id p)
{
	prompt_seq_add(&rm->seq, p);
}

static void rm_end(struct cfwd_remote *rm, int cause)
{
	LOGPFSM(rm->fi, LOGL_INFO, "end of session, cause %d", cause);
	timer_cancel(&rm->session);
	rm->ops->end(rm->user, cause);
	fsm_inst_term(rm->fi);
}

static void rm_onenter(struct fsm_inst *fi, uint32_t prev)
{
	static const enum prompt_id guidance[] = {
		[RM_ST_NUMBER] = PROMPT_REMOTE_ENTER_NUMBER,
		[RM_ST_PIN] = PROMPT_REMOTE_ENTER_PIN,
		[RM_ST_COMMAND] = PROMPT_REMOTE_COMMAND,
		[RM_ST_LIST_NO] = PROMPT_ENTER_LIST_NO_SELECT,
		[RM_ST_GOODBYE] = PROMPT_GOODBYE,
	};
	struct cfwd_remote *rm = fsm_inst_priv(fi);
	uint32_t st = fsm_inst_state(fi);
	char text[256];

	if (st == RM_ST_NUMBER) {
		memset(rm->num, 0, sizeof(rm->num));
		rm->num_len = 0;
		rm->num_overflow = false;
	}
	sodium_memzero(rm->pin, sizeof(rm->pin));
	rm->pin_len = 0;
	rm_say(rm, guidance[st]);
	prompt_seq_format(&rm->seq, text, sizeof(text));
	LOGPFSM(fi, LOGL_INFO, "play: %s", text);
	rm->playing = true;
	rm->ops->play(rm->user, &rm->seq);
	prompt_seq_reset(&rm->seq);
}

static void rm_arm(struct cfwd_remote *rm, int timer_id)
{
	fsm_timer_schedule_ms(rm->fi, tdef_ms(cfwd_remote_tdefs, timer_id), timer_id);
}

/* Invalid key or timeout: error and the same question again (a list number: the
 * command question), or goodbye after max_invalid in a row. */
static void rm_invalid(struct cfwd_remote *rm)
{
	uint32_t st = fsm_inst_state(rm->fi);

	rm_say(rm, PROMPT_ERR_INVALID_KEY);
	if (++rm->invalid >= rm_limit(rm->conf->max_invalid))
		rm_go(rm, RM_ST_GOODBYE);
	else
		rm_go(rm, st == RM_ST_LIST_NO ? RM_ST_COMMAND : (enum rm_state)st);
}

static void rm_init_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);

	rm_say(rm, PROMPT_REMOTE_WELCOME);
	rm_go(rm, RM_ST_NUMBER);
}

static void rm_key(struct cfwd_remote *rm, char d)
{
	bool digit = d >= '0' && d <= '9';

	switch (fsm_inst_state(rm->fi)) {
	case RM_ST_NUMBER:
		if (digit) {
			if (rm->num_len < sizeof(rm->num) - 1)
				rm->num[rm->num_len++] = d;
			else
				rm->num_overflow = true;
			rm_arm(rm, CFWD_X_INTER_DIGIT);
		} else if (d == '#') {
			rm_go(rm, RM_ST_PIN);
		} else {
			rm_invalid(rm);
		}
		break;
	case RM_ST_PIN:
		if (!digit) {
			rm_invalid(rm);
			break;
		}
		rm->pin[rm->pin_len++] = d;
		if (rm->pin_len == 4)
			rm_check(rm);
		else
			rm_arm(rm, CFWD_X_INTER_DIGIT);
		break;
	case RM_ST_COMMAND:
		if (d == '1') {
			rm_change(rm, false, -1);
		} else if (d == '0') {
			rm_change(rm, true, -1);
		} else if (d == '2') {
			rm_go(rm, RM_ST_LIST_NO);
		} else {
			rm_invalid(rm);
		}
		break;
	case RM_ST_LIST_NO:
		if (d < '0' || d > '4') {
			rm_invalid(rm);
			break;
		}
		rm_change(rm, false, d - '0');
		break;
	}
}

static void rm_input_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);
	uint32_t st = fsm_inst_state(fi);
	bool started = (st == RM_ST_NUMBER && rm->num_len) || (st == RM_ST_PIN && rm->pin_len);

	if (event == RM_EV_PROMPT_DONE) {
		rm->playing = false;
		rm_arm(rm, started ? CFWD_X_INTER_DIGIT : CFWD_X_FIRST_DIGIT);
		return;
	}
	if (rm->playing) {
		rm->playing = false;
		rm->ops->stop_prompt(rm->user);
	}
	fsm_timer_stop(fi);
	rm_key(rm, *(const char *)data);
}

static void rm_goodbye_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	rm_end(fsm_inst_priv(fi), 16);
}

static int rm_timer_cb(struct fsm_inst *fi, int timer_id)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);

	LOGPFSM(fi, LOGL_INFO, "timeout (%s)", tdef_find(cfwd_remote_tdefs, timer_id)->name);
	if (fsm_inst_state(fi) == RM_ST_VERIFYING || fsm_inst_state(fi) == RM_ST_COMMITTING) {
		rm_drop_job(rm);	/* a change still being made may yet land */
		rm_say(rm, PROMPT_TRY_LATER);
		rm_go(rm, RM_ST_GOODBYE);
	} else if (fsm_inst_state(fi) == RM_ST_GOODBYE) {
		rm_end(rm, 16);
	} else {
		rm_invalid(rm);
	}
	return 0;
}

static void rm_allstate(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);

	if (event == RM_EV_HANGUP) {
		LOGPFSM(fi, LOGL_INFO, "caller hung up");
		fsm_inst_term(fi);
		return;
	}
	if (fsm_inst_state(fi) == RM_ST_GOODBYE)
		return;
	LOGPFSM(fi, LOGL_NOTICE, "session limit reached");
	rm_drop_job(rm);
	if (rm->playing) {
		rm->playing = false;
		rm->ops->stop_prompt(rm->user);
	}
	prompt_seq_reset(&rm->seq);
	rm_go(rm, RM_ST_GOODBYE);
}

static void rm_free(void *user)
{
	free(user);
}

static void rm_cleanup(struct fsm_inst *fi)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);

	timer_cancel(&rm->session);
	rm_drop_job(rm);
	sodium_memzero(rm->pin, sizeof(rm->pin));
	if (loop_defer(rm->loop, rm_free, rm) < 0)
		LOGP(DREMOTE, LOGL_ERROR, "cannot defer free: leaking a session");
}

static void rm_session_limit(struct timer *t, void *user)
{
	struct cfwd_remote *rm = user;

	fsm_inst_dispatch(rm->fi, RM_EV_SESSION_LIMIT, NULL);
}

int cfwd_remote_conf_load(struct conf *c, struct cfwd_remote_conf *rc, char *err, size_t errlen)
{
	long inval, attempts, threads, jobs;
	int r;

	r = conf_get_long(c, "service", "invalid_key_limit", 1, 9, rm_limit(rc->max_invalid),
			  &inval, err, errlen);
	if (!r)
		r = conf_get_long(c, "service", "remote_attempts_per_call", 1, 9,
				  rm_limit(rc->max_rejects), &attempts, err, errlen);
	if (!r)
		r = conf_get_long(c, "service", "pin_check_threads", 1, 8,
				  rc->pin_threads ? rc->pin_threads : 2, &threads, err, errlen);
	if (!r)
		r = conf_get_long(c, "service", "pin_check_jobs", 1, 256,
				  rc->pin_jobs ? rc->pin_jobs : 16, &jobs, err, errlen);
	if (r)
		return r;
	rc->max_invalid = (int)inval;
	rc->max_rejects = (int)attempts;
	rc->pin_threads = (int)threads;
	rc->pin_jobs = (int)jobs;
	return conf_apply_timers_known(c, "timers", cfwd_remote_tdefs, err, errlen);
}

struct cfwd_remote *cfwd_remote_start(struct loop *l, const struct cfwd_remote_conf *conf,
				      const struct cfwd_ivr_ops *ops, void *user,
				      const char *caller)
{
	struct cfwd_remote *rm;

	assert(l && conf && conf->store && ops && ops->play && ops->stop_prompt && ops->end);
	rm = calloc(1, sizeof(*rm));
	if (!rm)
		return NULL;
	rm->loop = l;
	rm->conf = conf;
	rm->ops = ops;
	rm->user = user;
	str_copy(rm->caller, caller ? caller : "", sizeof(rm->caller));
	rm->fi = fsm_inst_alloc(&rm_fsm, l, rm, rm->caller[0] ? rm->caller : "unknown");
	if (!rm->fi) {
		free(rm);
		return NULL;
	}
	timer_setup(&rm->session, l, rm_session_limit, rm);
	timer_schedule_ms(&rm->session, tdef_ms(cfwd_remote_tdefs, CFWD_X_SESSION));
	fsm_inst_dispatch(rm->fi, RM_EV_START, NULL);
	return rm;
}

int cfwd_remote_digit(struct cfwd_remote *rm, char digit)
{
	return fsm_inst_dispatch(rm->fi, RM_EV_DIGIT, &digit);
}

int cfwd_remote_prompt_done(struct cfwd_remote *rm)
{
	return fsm_inst_dispatch(rm->fi, RM_EV_PROMPT_DONE, NULL);
}

int cfwd_remote_hangup(struct cfwd_remote *rm)
{
	return fsm_inst_dispatch(rm->fi, RM_EV_HANGUP, NULL);
}

const char *cfwd_remote_state_name(const struct cfwd_remote *rm)
{
	return fsm_inst_state_name(rm->fi);
}
