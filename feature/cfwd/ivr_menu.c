/* feature/cfwd/ivr_menu.c - what each key does in each state of the 142 dialogue
 * (SERVICE.md §3): menu paths, number entry with readback and confirm, ring time, list
 * entries, remote control PIN, readback of the settings. A change is committed through
 * the store first (on the store writer's thread when the conf has one, the session
 * waiting in COMMITTING); "done" is queued only when the commit returned 0, otherwise
 * "try later" and nothing changed. Invalid entries (wrong key, timeout, cancelled confirm)
 * count towards the limit; a completed operation resets the count. The PIN is never
 * logged nor read back. */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "core/util.h"
#include "feature/cfwd/ivr_int.h"
#include "feature/cfwd/store_writer.h"

/* One change of the dialogue, as copied to the store writer. */
enum ivr_change_kind {
	CHG_CONDITION,
	CHG_FORWARD_TO,
	CHG_LIST_ENTRY,
	CHG_SELECT,
	CHG_RING_TIME,
	CHG_REMOTE,	/* pin "": off; else on with this new PIN */
};

struct ivr_change {
	enum ivr_change_kind kind;
	char num[CFWD_NUM_SIZE];
	char to[CFWD_NUM_SIZE];
	int v;		/* condition, list entry or seconds */
	char pin[8];	/* wiped with the job */
};

static bool is_digit(char d)
{
	return d >= '0' && d <= '9';
}

static struct store *st(struct cfwd_ivr *ivr)
{
	return ivr->conf->store;
}

static int max_invalid(const struct cfwd_ivr *ivr)
{
	return ivr->conf->max_invalid > 0 ? ivr->conf->max_invalid : 3;
}

/* An invalid entry: error prompt and the menu again, or the end after the limit. */
void ivr_invalid(struct cfwd_ivr *ivr)
{
	prompt_seq_add(&ivr->seq, PROMPT_ERR_INVALID_KEY);
	if (++ivr->invalid >= max_invalid(ivr)) {
		LOGPFSM(ivr->fi, LOGL_NOTICE, "%d invalid entries in a row", ivr->invalid);
		ivr_go(ivr, IVR_ST_GOODBYE);
	} else {
		ivr_go(ivr, IVR_ST_MENU);
	}
}

/* Confirm step left without 1 or 2: nothing changed; counts as an invalid entry. */
void ivr_cancel(struct cfwd_ivr *ivr)
{
	prompt_seq_add(&ivr->seq, PROMPT_CANCELLED);
	if (++ivr->invalid >= max_invalid(ivr))
		ivr_go(ivr, IVR_ST_GOODBYE);
	else
		ivr_go(ivr, IVR_ST_MENU);
}

/* The operation is refused (no number, refused number...): error, menu, no change. */
void ivr_fail(struct cfwd_ivr *ivr, enum prompt_id prompt)
{
	prompt_seq_add(&ivr->seq, prompt);
	ivr_go(ivr, IVR_ST_MENU);
}

/* Only after the store returned 0: the change is durable before "done" plays. */
void ivr_done(struct cfwd_ivr *ivr)
{
	ivr->invalid = 0;
	prompt_seq_add(&ivr->seq, PROMPT_DONE);
	ivr_go(ivr, IVR_ST_DONE);
}

void ivr_store_failed(struct cfwd_ivr *ivr, const char *what, int rc)
{
	LOGPFSM(ivr->fi, LOGL_ERROR, "store %s failed: %s", what, strerror(-rc));
	ivr_fail(ivr, PROMPT_TRY_LATER);
}

void ivr_commit_result(struct cfwd_ivr *ivr, const char *what, int rc, int enxio_prompt)
{
	if (rc == 0) {
		LOGPFSM(ivr->fi, LOGL_INFO, "%s committed", what);
		ivr_done(ivr);
	} else if (rc == -ENXIO && enxio_prompt >= 0) {
		ivr_fail(ivr, (enum prompt_id)enxio_prompt);
	} else {
		ivr_store_failed(ivr, what, rc);
	}
}

/* Runs where the change is made: the writer's thread (its own store) or the loop. */
static int change_run(struct store *s, void *arg)
{
	const struct ivr_change *c = arg;

	switch (c->kind) {
	case CHG_CONDITION:
		return store_set_condition(s, STORE_WHO_142, c->num, (enum cfwd_condition)c->v);
	case CHG_FORWARD_TO:
		return store_set_forward_to(s, STORE_WHO_142, c->num, c->to);
	case CHG_LIST_ENTRY:
		return store_set_list_entry(s, STORE_WHO_142, c->num, c->v, c->to);
	case CHG_SELECT:
		return store_select_entry(s, STORE_WHO_142, c->num, c->v);
	case CHG_RING_TIME:
		return store_set_ring_time(s, STORE_WHO_142, c->num, c->v);
	case CHG_REMOTE:
		return store_set_remote(s, STORE_WHO_142, c->num, c->pin[0] != 0,
					c->pin[0] ? c->pin : NULL);
	}
	return -EINVAL;
}

static void committed_cb(void *user, int rc, void *arg)
{
	struct cfwd_ivr *ivr = user;

	ivr->job = NULL;
	fsm_inst_dispatch(ivr->fi, IVR_EV_COMMITTED, &rc);
}

void ivr_drop_job(struct cfwd_ivr *ivr)
{
	store_write_cancel(ivr->job);
	ivr->job = NULL;
}

/* Make the change c, then "done" (or its failure). With a writer the session waits in
 * COMMITTING for the result; a writer refusing more work is "try later" at once. */
static void commit(struct cfwd_ivr *ivr, const char *what, struct ivr_change *c,
		   int enxio_prompt)
{
	struct store_writer *w = ivr->conf->writer;
	int rc;

	str_copy(c->num, ivr->caller, sizeof(c->num));
	if (!w) {
		rc = change_run(st(ivr), c);
		sodium_memzero(c, sizeof(*c));
		ivr_commit_result(ivr, what, rc, enxio_prompt);
		return;
	}
	rc = store_writer_submit(w, change_run, c, sizeof(*c), committed_cb, ivr, &ivr->job);
	sodium_memzero(c, sizeof(*c));
	if (rc) {
		ivr_store_failed(ivr, what, rc);
		return;
	}
	ivr->what = what;
	ivr->enxio_prompt = enxio_prompt;
	ivr_go(ivr, IVR_ST_COMMITTING);
}

void ivr_key_menu(struct cfwd_ivr *ivr, char d)
{
	switch (d) {
	case '0':
		commit(ivr, "stop forwarding",
		       &(struct ivr_change){ .kind = CHG_CONDITION, .v = CFWD_COND_OFF }, -1);
		break;
	case '1':
		ivr_go(ivr, IVR_ST_CONDITION);
		break;
	case '2':
		ivr->op = IVR_OP_FORWARD_TO;
		ivr->entry = 0;
		ivr_go(ivr, IVR_ST_NUMBER);
		break;
	case '3':
		ivr_go(ivr, IVR_ST_RING_TIME);
		break;
	case '4':
		ivr_go(ivr, IVR_ST_LIST_MENU);
		break;
	case '8':
		ivr_go(ivr, IVR_ST_CHECK_MENU);
		break;
	default:
		ivr_invalid(ivr);
	}
}

void ivr_key_condition(struct cfwd_ivr *ivr, char d)
{
	static const enum cfwd_condition conds[] = {
		CFWD_COND_UNCONDITIONAL,
		CFWD_COND_NO_REPLY,
		CFWD_COND_BUSY,
		CFWD_COND_NO_REPLY_BUSY,
	};
	enum cfwd_condition c;

	if (d < '1' || d > '4') {
		ivr_invalid(ivr);
		return;
	}
	c = conds[d - '1'];
	commit(ivr, cfwd_condition_name(c), &(struct ivr_change){ .kind = CHG_CONDITION, .v = c },
	       PROMPT_ERR_NO_NUMBER);
}

/* Collect a digit of an entry: false (and the entry refused) past max digits. */
static bool collect(struct cfwd_ivr *ivr, char d, size_t max)
{
	if (ivr->len >= max)
		return false;
	ivr->buf[ivr->len++] = d;
	ivr->buf[ivr->len] = 0;
	ivr_arm(ivr, CFWD_X_INTER_DIGIT);
	return true;
}

void ivr_key_number(struct cfwd_ivr *ivr, char d)
{
	int v;

	if (is_digit(d)) {
		if (!collect(ivr, d, CFWD_NUM_SIZE - 1))
			ivr_fail(ivr, PROMPT_ERR_REFUSED_NUMBER);
		return;
	}
	if (d != '#') {
		ivr_invalid(ivr);
		return;
	}
	v = cfwd_number_check_forward_to(ivr->conf->refused, ivr->caller, ivr->buf);
	if (v != CFWD_NUM_OK) {
		LOGPFSM(ivr->fi, LOGL_NOTICE, "forward-to %s refused: %s", ivr->buf,
			cfwd_number_verdict_name(v));
		ivr_fail(ivr, PROMPT_ERR_REFUSED_NUMBER);
		return;
	}
	memcpy(ivr->number, ivr->buf, sizeof(ivr->number));
	ivr_go(ivr, IVR_ST_CONFIRM);
}

void ivr_key_confirm(struct cfwd_ivr *ivr, char d)
{
	struct ivr_change c = { .kind = CHG_FORWARD_TO };

	if (d == '2') {
		ivr_go(ivr, IVR_ST_NUMBER);
		return;
	}
	if (d != '1') {
		ivr_cancel(ivr);
		return;
	}
	if (ivr->op != IVR_OP_FORWARD_TO) {
		c.kind = CHG_LIST_ENTRY;
		c.v = ivr->entry;
	}
	str_copy(c.to, ivr->number, sizeof(c.to));
	commit(ivr, "forward-to number", &c, -1);
}

void ivr_key_ring_time(struct cfwd_ivr *ivr, char d)
{
	int secs;

	if (is_digit(d)) {
		if (!collect(ivr, d, 2))
			ivr_fail(ivr, PROMPT_ERR_RING_TIME);
		return;
	}
	if (d != '#') {
		ivr_invalid(ivr);
		return;
	}
	secs = ivr->len == 2 ? (ivr->buf[0] - '0') * 10 + (ivr->buf[1] - '0') : -1;
	if (secs < CFWD_RING_TIME_MIN || secs > CFWD_RING_TIME_MAX) {
		ivr_fail(ivr, PROMPT_ERR_RING_TIME);
		return;
	}
	commit(ivr, "ring time", &(struct ivr_change){ .kind = CHG_RING_TIME, .v = secs }, -1);
}

void ivr_key_list_menu(struct cfwd_ivr *ivr, char d)
{
	if (d == '0' || d == '1') {
		ivr->op = d == '0' ? IVR_OP_LIST_REGISTER : IVR_OP_LIST_SELECT;
		ivr_go(ivr, IVR_ST_LIST_NO);
	} else if (d == '3') {
		ivr_go(ivr, IVR_ST_REMOTE_MENU);
	} else {
		ivr_invalid(ivr);
	}
}

void ivr_key_list_no(struct cfwd_ivr *ivr, char d)
{
	char lo = ivr->op == IVR_OP_LIST_REGISTER ? '1' : '0';

	if (d < lo || d > '4') {
		ivr_invalid(ivr);
		return;
	}
	ivr->entry = d - '0';
	if (ivr->op == IVR_OP_LIST_REGISTER) {
		ivr_go(ivr, IVR_ST_NUMBER);
		return;
	}
	commit(ivr, "select entry", &(struct ivr_change){ .kind = CHG_SELECT, .v = ivr->entry },
	       PROMPT_ERR_ENTRY_EMPTY);
}

void ivr_key_remote_menu(struct cfwd_ivr *ivr, char d)
{
	if (d == '1')
		ivr_go(ivr, IVR_ST_PIN);
	else if (d == '0')
		commit(ivr, "remote control off", &(struct ivr_change){ .kind = CHG_REMOTE }, -1);
	else
		ivr_invalid(ivr);
}

void ivr_key_pin(struct cfwd_ivr *ivr, char d)
{
	struct ivr_change c = { .kind = CHG_REMOTE };

	if (!is_digit(d)) {
		ivr_invalid(ivr);
		return;
	}
	collect(ivr, d, 4);
	if (ivr->len < 4)
		return;
	fsm_timer_stop(ivr->fi);
	str_copy(c.pin, ivr->buf, sizeof(c.pin));
	sodium_memzero(ivr->buf, sizeof(ivr->buf));
	ivr->len = 0;
	commit(ivr, "remote control on with a new PIN", &c, -1);
}

/* 8 0: each entry "list number n <digits> | not registered", then the selection. */
static void queue_list(struct cfwd_ivr *ivr, const struct cfwd_sub *sub)
{
	char n[2] = { 0, 0 };

	for (int i = 0; i < CFWD_LIST_ENTRIES; i++) {
		n[0] = (char)('0' + i);
		prompt_seq_add(&ivr->seq, PROMPT_LIST_ENTRY);
		prompt_seq_add_number(&ivr->seq, n);
		if (sub->registered[i])
			prompt_seq_add_number(&ivr->seq, sub->list[i]);
		else
			prompt_seq_add(&ivr->seq, PROMPT_NOT_REGISTERED);
	}
	if (sub->selected >= 0 && sub->selected < CFWD_LIST_ENTRIES) {
		n[0] = (char)('0' + sub->selected);
		prompt_seq_add(&ivr->seq, PROMPT_LIST_ENTRY);
		prompt_seq_add_number(&ivr->seq, n);
		prompt_seq_add(&ivr->seq, PROMPT_SELECTED);
	} else {
		prompt_seq_add(&ivr->seq, PROMPT_NONE_SELECTED);
	}
}

void ivr_key_check_menu(struct cfwd_ivr *ivr, char d)
{
	struct cfwd_sub sub;
	int rc;

	if (d != '0' && d != '2') {
		ivr_invalid(ivr);
		return;
	}
	rc = store_sub_get(st(ivr), ivr->caller, &sub);
	if (rc) {
		ivr_store_failed(ivr, "read", rc);
		return;
	}
	if (d == '0')
		queue_list(ivr, &sub);
	else
		prompt_seq_add(&ivr->seq,
			       sub.remote_enabled ? PROMPT_REMOTE_ENABLED : PROMPT_REMOTE_DISABLED);
	ivr->invalid = 0;
	ivr_go(ivr, IVR_ST_DONE);
}

void ivr_key_done(struct cfwd_ivr *ivr, char d)
{
	ivr_go(ivr, d == '0' ? IVR_ST_MENU : IVR_ST_GOODBYE);
}
