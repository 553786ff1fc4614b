/* feature/cfwd/ivr_menu.c - what each key does in each state of the 142 dialogue
 * (SERVICE.md §3): menu paths, number entry with readback and confirm, ring time, list
 * entries, remote control PIN, readback of the settings. A change is committed through
 * the store first; "done" is queued only when the commit returned 0, otherwise "try
 * later" and nothing changed. Invalid entries (wrong key, timeout, cancelled confirm)
 * count towards the limit; a completed operation resets the count. The PIN is never
 * logged nor read back. */
#include <errno.h>
#include <string.h>

#include "core/log.h"
#include "feature/cfwd/ivr_int.h"

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

static void commit_result(struct cfwd_ivr *ivr, const char *what, int rc, int enxio_prompt)
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

void ivr_key_menu(struct cfwd_ivr *ivr, char d)
{
	switch (d) {
	case '0':
		commit_result(ivr, "stop forwarding",
			      store_set_condition(st(ivr), STORE_WHO_142, ivr->caller,
						  CFWD_COND_OFF),
			      -1);
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
	commit_result(ivr, cfwd_condition_name(c),
		      store_set_condition(st(ivr), STORE_WHO_142, ivr->caller, c),
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
	int rc;

	if (d == '2') {
		ivr_go(ivr, IVR_ST_NUMBER);
		return;
	}
	if (d != '1') {
		ivr_cancel(ivr);
		return;
	}
	if (ivr->op == IVR_OP_FORWARD_TO)
		rc = store_set_forward_to(st(ivr), STORE_WHO_142, ivr->caller, ivr->number);
	else
		rc = store_set_list_entry(st(ivr), STORE_WHO_142, ivr->caller, ivr->entry,
					  ivr->number);
	commit_result(ivr, "forward-to number", rc, -1);
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
	commit_result(ivr, "ring time",
		      store_set_ring_time(st(ivr), STORE_WHO_142, ivr->caller, secs), -1);
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
	commit_result(ivr, "select entry",
		      store_select_entry(st(ivr), STORE_WHO_142, ivr->caller, ivr->entry),
		      PROMPT_ERR_ENTRY_EMPTY);
}

void ivr_key_remote_menu(struct cfwd_ivr *ivr, char d)
{
	if (d == '1')
		ivr_go(ivr, IVR_ST_PIN);
	else if (d == '0')
		commit_result(ivr, "remote control off",
			      store_set_remote(st(ivr), STORE_WHO_142, ivr->caller, false, NULL),
			      -1);
	else
		ivr_invalid(ivr);
}

void ivr_key_pin(struct cfwd_ivr *ivr, char d)
{
	int rc;

	if (!is_digit(d)) {
		ivr_invalid(ivr);
		return;
	}
	collect(ivr, d, 4);
	if (ivr->len < 4)
		return;
	fsm_timer_stop(ivr->fi);
	rc = store_set_remote(st(ivr), STORE_WHO_142, ivr->caller, true, ivr->buf);
	memset(ivr->buf, 0, sizeof(ivr->buf));
	ivr->len = 0;
	commit_result(ivr, "remote control on with a new PIN", rc, -1);
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
