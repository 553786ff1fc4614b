/* feature/cfwd/remote_store.c - the store side of the remote-control dialogue: the
 * number and PIN checked together (the hash on the pin_check workers, then the lockout
 * bookkeeping on a fresh read), one rejection for every kind of failure, and the start /
 * stop. The bookkeeping and the changes are made by the store writer (store_writer.h)
 * when the conf has one, the session waiting in VERIFYING / COMMITTING; the outcome is
 * played only once the change is durable (refused within the writer's bound: "try
 * later", nothing written). Without workers or writer (tools, tests) it all runs
 * here. The PIN is wiped after the check and never logged. */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "core/util.h"
#include "feature/cfwd/pin_check.h"
#include "feature/cfwd/remote_int.h"
#include "feature/cfwd/store_writer.h"

/* The verdict of the store: the command question, or the one rejection for every
 * kind of failure (retry or goodbye). */
static void rm_verdict(struct cfwd_remote *rm, int rc, enum store_pin_result res)
{
	if (rc < 0) {
		LOGPFSM(rm->fi, LOGL_ERROR, "PIN check failed: %s", strerror(-rc));
		rm_say(rm, PROMPT_TRY_LATER);
		rm_go(rm, RM_ST_GOODBYE);
		return;
	}
	if (res == STORE_PIN_OK) {
		LOGPFSM(rm->fi, LOGL_INFO, "remote control for %s by %s", rm->num,
			rm->caller[0] ? rm->caller : "unknown caller");
		rm->invalid = 0;
		rm_go(rm, RM_ST_COMMAND);
		return;
	}
	LOGPFSM(rm->fi, LOGL_NOTICE, "rejected (%s) for number %s from %s",
		store_pin_result_name(res), rm->num_overflow ? "(too long)" : rm->num,
		rm->caller[0] ? rm->caller : "unknown caller");
	rm_say(rm, PROMPT_REMOTE_REJECTED);
	if (++rm->rejects >= rm_limit(rm->conf->max_rejects))
		rm_go(rm, RM_ST_GOODBYE);
	else
		rm_go(rm, RM_ST_NUMBER);
}

static int settle_run(struct store *st, void *arg)
{
	struct rm_settle *a = arg;

	return store_pin_settle(st, a->num[0] ? a->num : "", &a->t, a->verified, &a->res);
}

static void rm_settled_cb(void *user, int rc, void *arg)
{
	struct cfwd_remote *rm = user;
	struct rm_outcome o = { .rc = rc, .res = ((struct rm_settle *)arg)->res };

	rm->sjob = NULL;
	fsm_inst_dispatch(rm->fi, RM_EV_SETTLED, &o);
}

/* The hash is checked: classify and count on a fresh read, by the store writer when
 * there is one (the session waits in VERIFYING), else here. */
static void rm_settle(struct cfwd_remote *rm, bool verified)
{
	struct rm_settle a = { .verified = verified, .res = STORE_PIN_UNKNOWN };
	int rc;

	if (!rm->num_overflow)
		str_copy(a.num, rm->num, sizeof(a.num));
	a.t = rm->ticket;
	sodium_memzero(&rm->ticket, sizeof(rm->ticket));
	if (!rm->conf->writer) {
		rc = settle_run(rm->conf->store, &a);
		rm_verdict(rm, rc, a.res);
		sodium_memzero(&a, sizeof(a));
		return;
	}
	rc = store_writer_submit(rm->conf->writer, settle_run, &a, sizeof(a), rm_settled_cb, rm,
				 &rm->sjob);
	sodium_memzero(&a, sizeof(a));
	if (rc) {
		rm_verdict(rm, rc, STORE_PIN_UNKNOWN);
		return;
	}
	if (fsm_inst_state(rm->fi) != RM_ST_VERIFYING)
		rm_go(rm, RM_ST_VERIFYING);
}

static void rm_verified_cb(void *user, bool verified)
{
	struct cfwd_remote *rm = user;

	rm->job = NULL;
	fsm_inst_dispatch(rm->fi, RM_EV_VERIFIED, &verified);
}

void rm_drop_job(struct cfwd_remote *rm)
{
	pin_check_cancel(rm->job);
	rm->job = NULL;
	store_write_cancel(rm->sjob);
	rm->sjob = NULL;
	sodium_memzero(&rm->ticket, sizeof(rm->ticket));
}

/* Number and PIN are in: one check, one answer for every kind of failure. The hash
 * goes to the workers when there are any; our own overload is "try later", never a
 * failure counted against the subscriber. */
void rm_check(struct cfwd_remote *rm)
{
	const char *num = rm->num_overflow ? "" : rm->num;
	int rc;

	rc = store_pin_prepare(rm->conf->store, num, rm->pin, &rm->ticket);
	if (!rc && rm->conf->checker) {
		rc = pin_check_submit(rm->conf->checker, &rm->ticket, rm->pin, rm_verified_cb,
				      rm, &rm->job);
		if (rc == -EBUSY)
			LOGPFSM(rm->fi, LOGL_NOTICE, "PIN check workers full: try later");
	}
	if (!rc && !rm->conf->checker) {
		bool verified = store_pin_hash_verify(&rm->ticket, rm->pin);

		sodium_memzero(rm->pin, sizeof(rm->pin));
		rm->pin_len = 0;
		rm_settle(rm, verified);
		return;
	}
	sodium_memzero(rm->pin, sizeof(rm->pin));
	rm->pin_len = 0;
	if (rc < 0) {
		if (rc != -EBUSY)
			LOGPFSM(rm->fi, LOGL_ERROR, "PIN check failed: %s", strerror(-rc));
		sodium_memzero(&rm->ticket, sizeof(rm->ticket));
		rm_say(rm, PROMPT_TRY_LATER);
		rm_go(rm, RM_ST_GOODBYE);
		return;
	}
	rm_go(rm, RM_ST_VERIFYING);
}

void rm_verifying_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);

	if (event == RM_EV_VERIFIED) {
		rm_settle(rm, *(const bool *)data);
		return;
	}
	if (event == RM_EV_SETTLED) {
		const struct rm_outcome *o = data;

		rm_verdict(rm, o->rc, o->res);
		return;
	}
	if (event == RM_EV_DIGIT)
		LOGPFSM(fi, LOGL_INFO, "key ignored while the PIN is checked");
}

/* Outcome of a change: ok prompt and goodbye; -ENXIO (nothing registered there):
 * that error and the command question again; else "try later" and goodbye. */
static void rm_result(struct cfwd_remote *rm, int rc, enum prompt_id ok, enum prompt_id enxio)
{
	if (rc == 0) {
		LOGPFSM(rm->fi, LOGL_INFO, "forwarding of %s changed", rm->num);
		rm_say(rm, ok);
		rm_go(rm, RM_ST_GOODBYE);
	} else if (rc == -ENXIO) {
		rm_say(rm, enxio);
		rm_go(rm, RM_ST_COMMAND);
	} else {
		LOGPFSM(rm->fi, LOGL_ERROR, "store change failed: %s", strerror(-rc));
		rm_say(rm, PROMPT_TRY_LATER);
		rm_go(rm, RM_ST_GOODBYE);
	}
}

/* The result of a start or stop: its guidance (the list entry first when one was
 * selected), played only now that the change is durable. */
static void rm_changed(struct cfwd_remote *rm, int rc)
{
	char n[2] = { 0, 0 };

	if (rm->cmd.stop) {
		rm_result(rm, rc, PROMPT_REMOTE_STOPPED, PROMPT_TRY_LATER);
		return;
	}
	if (rm->cmd.entry < 0) {
		rm_result(rm, rc, PROMPT_REMOTE_STARTED, PROMPT_ERR_NO_NUMBER);
		return;
	}
	if (rc == 0) {
		n[0] = (char)('0' + rm->cmd.entry);
		rm_say(rm, PROMPT_LIST_ENTRY);
		prompt_seq_add_number(&rm->seq, n);
		rm_say(rm, PROMPT_SELECTED);
	}
	rm_result(rm, rc, PROMPT_REMOTE_STARTED, PROMPT_ERR_ENTRY_EMPTY);
}

static int change_run(struct store *st, void *arg)
{
	const struct rm_change *c = arg;

	if (c->stop)
		return store_set_condition(st, STORE_WHO_REMOTE, c->num, CFWD_COND_OFF);
	return store_start_last(st, STORE_WHO_REMOTE, c->num, c->entry);
}

static void rm_committed_cb(void *user, int rc, void *arg)
{
	struct cfwd_remote *rm = user;

	rm->sjob = NULL;
	fsm_inst_dispatch(rm->fi, RM_EV_COMMITTED, &rc);
}

/* Start (entry >= 0: select it first) or stop: on the store writer when there is one
 * (the session waits in COMMITTING), else here. */
void rm_change(struct cfwd_remote *rm, bool stop, int entry)
{
	int rc;

	rm->cmd.stop = stop;
	rm->cmd.entry = entry;
	str_copy(rm->cmd.num, rm->num, sizeof(rm->cmd.num));
	if (!rm->conf->writer) {
		rm_changed(rm, change_run(rm->conf->store, &rm->cmd));
		return;
	}
	rc = store_writer_submit(rm->conf->writer, change_run, &rm->cmd, sizeof(rm->cmd),
				 rm_committed_cb, rm, &rm->sjob);
	if (rc)
		rm_changed(rm, rc);
	else
		rm_go(rm, RM_ST_COMMITTING);
}

void rm_committing_action(struct fsm_inst *fi, uint32_t event, void *data)
{
	struct cfwd_remote *rm = fsm_inst_priv(fi);

	if (event == RM_EV_COMMITTED)
		rm_changed(rm, *(const int *)data);
	else if (event == RM_EV_DIGIT)
		LOGPFSM(fi, LOGL_INFO, "key ignored while the change is committed");
	else
		rm->playing = false;
}
