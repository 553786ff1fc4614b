/* feature/cfwd/ivr.c - the 142 dialogue's state table, session life and timers.
 * Each input state plays its guidance on entry; its digit timer (X2 first digit, then
 * X1 inter-digit) starts only when the guidance has finished, so a long menu does not
 * eat the caller's time; a digit during guidance stops it (barge-in). X3 bounds the
 * whole session; X4 guards the closing prompt and the wait for a change made by the
 * store writer (COMMITTING: keys are dropped, nothing plays; the writer answers within
 * its bound). What each key does is in ivr_menu.c. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "feature/cfwd/ivr_int.h"

struct tdef cfwd_ivr_tdefs[] = {
	{ CFWD_X_INTER_DIGIT, "X1", "inter-digit", 10000, 1000, 60000, 0 },
	{ CFWD_X_FIRST_DIGIT, "X2", "first digit", 10000, 1000, 60000, 0 },
	{ CFWD_X_SESSION, "X3", "session limit", 180000, 10000, 3600000, 0 },
	{ CFWD_X_PROMPT_GUARD, "X4", "closing prompt guard", 30000, 1000, 120000, 0 },
	{ 0, NULL, NULL, 0, 0, 0, 0 },
};

static const char *const ivr_event_names[] = {
	[IVR_EV_START] = "START",
	[IVR_EV_DIGIT] = "DIGIT",
	[IVR_EV_PROMPT_DONE] = "PROMPT_DONE",
	[IVR_EV_HANGUP] = "HANGUP",
	[IVR_EV_SESSION_LIMIT] = "SESSION_LIMIT",
	[IVR_EV_COMMITTED] = "COMMITTED",
};

static void ivr_init_action(struct fsm_inst *fi, uint32_t event, void *data);
static void ivr_input_action(struct fsm_inst *fi, uint32_t event, void *data);
static void ivr_closing_action(struct fsm_inst *fi, uint32_t event, void *data);
static void ivr_committing_action(struct fsm_inst *fi, uint32_t event, void *data);
static void ivr_onenter(struct fsm_inst *fi, uint32_t prev);

#define IN_INPUT (S(IVR_EV_DIGIT) | S(IVR_EV_PROMPT_DONE))
#define OUT_BACK (S(IVR_ST_MENU) | S(IVR_ST_GOODBYE) | S(IVR_ST_DONE) | S(IVR_ST_COMMITTING))
#define INPUT_STATE(st, nm, out)            \
	[st] = { .name = nm,                \
		 .in_event_mask = IN_INPUT, \
		 .out_state_mask = (out),   \
		 .onenter = ivr_onenter,    \
		 .action = ivr_input_action }

static const struct fsm_state ivr_states[] = {
	[IVR_ST_INIT] = {
		.name = "INIT",
		.in_event_mask = S(IVR_EV_START),
		.out_state_mask = S(IVR_ST_MENU) | S(IVR_ST_REFUSE) | S(IVR_ST_GOODBYE),
		.action = ivr_init_action,
	},
	[IVR_ST_REFUSE] = {
		.name = "REFUSE",
		.in_event_mask = S(IVR_EV_PROMPT_DONE),
		.onenter = ivr_onenter,
		.action = ivr_closing_action,
		.timer = CFWD_X_PROMPT_GUARD,
	},
	INPUT_STATE(IVR_ST_MENU, "MENU", OUT_BACK | S(IVR_ST_CONDITION) | S(IVR_ST_NUMBER) |
		    S(IVR_ST_RING_TIME) | S(IVR_ST_LIST_MENU) | S(IVR_ST_CHECK_MENU)),
	INPUT_STATE(IVR_ST_CONDITION, "CONDITION", OUT_BACK),
	INPUT_STATE(IVR_ST_NUMBER, "NUMBER", OUT_BACK | S(IVR_ST_CONFIRM)),
	INPUT_STATE(IVR_ST_CONFIRM, "CONFIRM", OUT_BACK | S(IVR_ST_NUMBER)),
	INPUT_STATE(IVR_ST_RING_TIME, "RING_TIME", OUT_BACK),
	INPUT_STATE(IVR_ST_LIST_MENU, "LIST_MENU", OUT_BACK | S(IVR_ST_LIST_NO) |
		    S(IVR_ST_REMOTE_MENU)),
	INPUT_STATE(IVR_ST_LIST_NO, "LIST_NO", OUT_BACK | S(IVR_ST_NUMBER)),
	INPUT_STATE(IVR_ST_REMOTE_MENU, "REMOTE_MENU", OUT_BACK | S(IVR_ST_PIN)),
	INPUT_STATE(IVR_ST_PIN, "PIN", OUT_BACK),
	INPUT_STATE(IVR_ST_CHECK_MENU, "CHECK_MENU", OUT_BACK),
	INPUT_STATE(IVR_ST_DONE, "DONE", S(IVR_ST_MENU) | S(IVR_ST_GOODBYE)),
	[IVR_ST_GOODBYE] = {
		.name = "GOODBYE",
		.in_event_mask = S(IVR_EV_PROMPT_DONE),
		.onenter = ivr_onenter,
		.action = ivr_closing_action,
		.timer = CFWD_X_PROMPT_GUARD,
	},
	[IVR_ST_COMMITTING] = {
		.name = "COMMITTING",
		.in_event_mask = S(IVR_EV_COMMITTED) | IN_INPUT,
		.out_state_mask = S(IVR_ST_MENU) | S(IVR_ST_DONE) | S(IVR_ST_GOODBYE),
		.action = ivr_committing_action,
		.timer = CFWD_X_PROMPT_GUARD,	/* the writer never answered */
	},
};

/* The key handler of each input state. */
static void (*const ivr_keys[])(struct cfwd_ivr *, char) = {
	[IVR_ST_MENU] = ivr_key_menu,
	[IVR_ST_CONDITION] = ivr_key_condition,
	[IVR_ST_NUMBER] = ivr_key_number,
	[IVR_ST_CONFIRM] = ivr_key_confirm,
	[IVR_ST_RING_TIME] = ivr_key_ring_time,
	[IVR_ST_LIST_MENU] = ivr_key_list_menu,
	[IVR_ST_LIST_NO] = ivr_key_list_no,
	[IVR_ST_REMOTE_MENU] = ivr_key_remote_menu,
	[IVR_ST_PIN] = ivr_key_pin,
	[IVR_ST_CHECK_MENU] = ivr_key_check_menu,
	[IVR_ST_DONE] = ivr_key_done,
};

static int ivr_timer_cb(struct fsm_inst *fi, int timer_id);
static void ivr_allstate(struct fsm_inst *fi, uint32_t event, void *data);
static void ivr_cleanup(struct fsm_inst *fi);

static const struct fsm ivr_fsm = {
	.name = "ivr142",
	.states = ivr_states,
	.num_states = ARRAY_SIZE(ivr_states),
	.event_names = ivr_event_names,
	.num_events = ARRAY_SIZE(ivr_event_names),
	.log_subsys = DIVR,
	.tdefs = cfwd_ivr_tdefs,
	.timer_cb = ivr_timer_cb,
	.allstate_event_mask = S(IVR_EV_HANGUP) | S(IVR_EV_SESSION_LIMIT),
	.allstate_action = ivr_allstate,
	.cleanup = ivr_cleanup,
};

void ivr_go(struct cfwd_ivr *ivr, enum ivr_state st)
{
	fsm_state_chg(ivr->fi, st);
}

void ivr_play(struct cfwd_ivr *ivr)
{
	char text[256];

	prompt_seq_format(&ivr->seq, text, sizeof(text));
	LOGPFSM(ivr->fi, LOGL_INFO, "play: %s", text);
	ivr->playing = true;
	ivr->ops->play(ivr->user, &ivr->seq);
	prompt_seq_reset(&ivr->seq);
}

void ivr_arm(struct cfwd_ivr *ivr, int timer_id)
{
	fsm_timer_schedule_ms(ivr->fi, tdef_ms(cfwd_ivr_tdefs, timer_id), timer_id);
}

void ivr_end(struct cfwd_ivr *ivr, int cause)
{
	LOGPFSM(ivr->fi, LOGL_INFO, "end of session, cause %d", cause);
	timer_cancel(&ivr->session);
	ivr->ops->end(ivr->user, cause);
	fsm_inst_term(ivr->fi);
}

/* Guidance of each state, after whatever prefix (error, done) is already queued. */
static void ivr_onenter(struct fsm_inst *fi, uint32_t prev)
{
	static const enum prompt_id guidance[] = {
		[IVR_ST_REFUSE] = PROMPT_NOT_AVAILABLE,
		[IVR_ST_MENU] = PROMPT_MENU,
		[IVR_ST_CONDITION] = PROMPT_CONDITION_MENU,
		[IVR_ST_NUMBER] = PROMPT_ENTER_NUMBER,
		[IVR_ST_CONFIRM] = PROMPT_CONFIRM,
		[IVR_ST_RING_TIME] = PROMPT_ENTER_RING_TIME,
		[IVR_ST_LIST_MENU] = PROMPT_LIST_MENU,
		[IVR_ST_LIST_NO] = PROMPT_ENTER_LIST_NO_REGISTER,
		[IVR_ST_REMOTE_MENU] = PROMPT_REMOTE_MENU,
		[IVR_ST_PIN] = PROMPT_ENTER_NEW_PIN,
		[IVR_ST_CHECK_MENU] = PROMPT_CHECK_MENU,
		[IVR_ST_DONE] = PROMPT_DONE_MENU_OR_HANGUP,
		[IVR_ST_GOODBYE] = PROMPT_GOODBYE,
	};
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);
	uint32_t st = fsm_inst_state(fi);
	enum prompt_id p = guidance[st];

	memset(ivr->buf, 0, sizeof(ivr->buf));
	ivr->len = 0;
	if (st == IVR_ST_CONFIRM) {
		prompt_seq_add(&ivr->seq, PROMPT_READBACK_PREFIX);
		prompt_seq_add_number(&ivr->seq, ivr->number);
	}
	if (st == IVR_ST_LIST_NO && ivr->op == IVR_OP_LIST_SELECT)
		p = PROMPT_ENTER_LIST_NO_SELECT;
	prompt_seq_add(&ivr->seq, p);
	ivr_play(ivr);
}

static void ivr_init_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);
	struct cfwd_sub sub;
	int rc = store_sub_get(ivr->conf->store, ivr->caller, &sub);

	if (rc == 0 && sub.active) {
		prompt_seq_add(&ivr->seq, PROMPT_WELCOME);
		ivr_go(ivr, IVR_ST_MENU);
	} else if (rc == 0 || rc == -ENOENT || rc == -EINVAL) {
		LOGPFSM(fi, LOGL_NOTICE, "%s: not available on this line",
			rc ? "not a subscriber" : "service not active");
		ivr_go(ivr, IVR_ST_REFUSE);
	} else {
		LOGPFSM(fi, LOGL_ERROR, "store lookup failed: %s", strerror(-rc));
		prompt_seq_add(&ivr->seq, PROMPT_TRY_LATER);
		ivr_go(ivr, IVR_ST_GOODBYE);
	}
}

/* Every input state: prompt finished starts the digit timer; a digit stops the
 * prompt (barge-in) and the timer, then goes to the state's key handler. */
static void ivr_input_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);
	char d;

	if (event == IVR_EV_PROMPT_DONE) {
		ivr->playing = false;
		ivr_arm(ivr, ivr->len ? CFWD_X_INTER_DIGIT : CFWD_X_FIRST_DIGIT);
		return;
	}
	d = *(const char *)data;
	if (ivr->playing) {
		ivr->playing = false;
		ivr->ops->stop_prompt(ivr->user);
	}
	fsm_timer_stop(fi);
	ivr_keys[fsm_inst_state(fi)](ivr, d);
}

static void ivr_closing_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	ivr_end(fsm_inst_priv(fi), 16);
}

static void ivr_committing_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);

	if (event == IVR_EV_COMMITTED)
		ivr_commit_result(ivr, ivr->what, *(const int *)data, ivr->enxio_prompt);
	else if (event == IVR_EV_DIGIT)
		LOGPFSM(fi, LOGL_INFO, "key ignored while the change is committed");
	else
		ivr->playing = false;
}

static int ivr_timer_cb(struct fsm_inst *fi, int timer_id)
{
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);
	uint32_t st = fsm_inst_state(fi);

	LOGPFSM(fi, LOGL_INFO, "timeout (%s)", tdef_find(cfwd_ivr_tdefs, timer_id)->name);
	if (st == IVR_ST_GOODBYE || st == IVR_ST_REFUSE) {
		ivr_end(ivr, 16);
	} else if (st == IVR_ST_DONE) {
		ivr_go(ivr, IVR_ST_GOODBYE);
	} else if (st == IVR_ST_CONFIRM) {
		ivr_cancel(ivr);
	} else if (st == IVR_ST_COMMITTING) {
		ivr_drop_job(ivr);	/* a change still being made may yet land */
		ivr_store_failed(ivr, ivr->what, -ETIMEDOUT);
	} else {
		ivr_invalid(ivr);
	}
	return 0;
}

static void ivr_allstate(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);
	uint32_t st = fsm_inst_state(fi);

	if (event == IVR_EV_HANGUP) {
		if (ivr->job)
			LOGPFSM(fi, LOGL_INFO, "caller hung up while %s was being committed: it "
				"completes or not as a whole", ivr->what);
		else
			LOGPFSM(fi, LOGL_INFO, "caller hung up: nothing changed");
		fsm_inst_term(fi);
		return;
	}
	/* session limit */
	if (st == IVR_ST_GOODBYE || st == IVR_ST_REFUSE)
		return;
	LOGPFSM(fi, LOGL_NOTICE, "session limit reached");
	ivr_drop_job(ivr);
	if (ivr->playing) {
		ivr->playing = false;
		ivr->ops->stop_prompt(ivr->user);
	}
	prompt_seq_reset(&ivr->seq);
	if (st == IVR_ST_INIT)
		ivr_end(ivr, 16);
	else
		ivr_go(ivr, IVR_ST_GOODBYE);
}

static void ivr_free(void *user)
{
	free(user);
}

static void ivr_cleanup(struct fsm_inst *fi)
{
	struct cfwd_ivr *ivr = fsm_inst_priv(fi);

	timer_cancel(&ivr->session);
	ivr_drop_job(ivr);
	memset(ivr->buf, 0, sizeof(ivr->buf)); /* may hold a PIN */
	if (loop_defer(ivr->loop, ivr_free, ivr) < 0)
		LOGP(DIVR, LOGL_ERROR, "cannot defer free: leaking a session");
}

static void ivr_session_limit(struct timer *t, void *user)
{
	struct cfwd_ivr *ivr = user;

	fsm_inst_dispatch(ivr->fi, IVR_EV_SESSION_LIMIT, NULL);
}

int cfwd_ivr_conf_load(struct conf *c, struct cfwd_ivr_conf *ic, char *err, size_t errlen)
{
	long n;
	int rc;

	rc = conf_get_long(c, "service", "invalid_key_limit", 1, 9,
			   ic->max_invalid > 0 ? ic->max_invalid : 3, &n, err, errlen);
	if (rc)
		return rc;
	ic->max_invalid = (int)n;
	return conf_apply_timers_known(c, "timers", cfwd_ivr_tdefs, err, errlen);
}

struct cfwd_ivr *cfwd_ivr_start(struct loop *l, const struct cfwd_ivr_conf *conf,
				const struct cfwd_ivr_ops *ops, void *user, const char *caller)
{
	struct cfwd_ivr *ivr;

	assert(l && conf && conf->store && conf->refused && ops && ops->play && ops->stop_prompt &&
	       ops->end);
	ivr = calloc(1, sizeof(*ivr));
	if (!ivr)
		return NULL;
	ivr->loop = l;
	ivr->conf = conf;
	ivr->ops = ops;
	ivr->user = user;
	str_copy(ivr->caller, caller ? caller : "", sizeof(ivr->caller));
	ivr->fi = fsm_inst_alloc(&ivr_fsm, l, ivr, ivr->caller[0] ? ivr->caller : "unknown");
	if (!ivr->fi) {
		free(ivr);
		return NULL;
	}
	timer_setup(&ivr->session, l, ivr_session_limit, ivr);
	timer_schedule_ms(&ivr->session, tdef_ms(cfwd_ivr_tdefs, CFWD_X_SESSION));
	fsm_inst_dispatch(ivr->fi, IVR_EV_START, NULL);
	return ivr;
}

int cfwd_ivr_digit(struct cfwd_ivr *ivr, char digit)
{
	return fsm_inst_dispatch(ivr->fi, IVR_EV_DIGIT, &digit);
}

int cfwd_ivr_prompt_done(struct cfwd_ivr *ivr)
{
	return fsm_inst_dispatch(ivr->fi, IVR_EV_PROMPT_DONE, NULL);
}

int cfwd_ivr_hangup(struct cfwd_ivr *ivr)
{
	return fsm_inst_dispatch(ivr->fi, IVR_EV_HANGUP, NULL);
}

const char *cfwd_ivr_state_name(const struct cfwd_ivr *ivr)
{
	return fsm_inst_state_name(ivr->fi);
}
