/* tests/test_announce.c - the announcement treatment of rejected calls
 * (feature/cfwd/announce.c) between real libss7 signalling points in one process: "cfwd"
 * (pc 1001: the call layer with forward_hook + forwarding in front, both treatments
 * `announce`, the announcer on its spans, a real store in a temp file, the en guidance)
 * and "net" (pc 2001 / 3001) on two sim spans. The net side dials a subscriber with CFU
 * and Number Request, reads the ACM as it arrives and listens to the bearer (real
 * time: the spans' 20 ms clock). After every test all circuits are idle and no
 * announcement is left. Ports: CFWD_PORT_BASE (+85..+88) or from the PID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "feature/cfwd/announce.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/forward_hook.h"
#include "feature/cfwd/store.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/msu.h"
#include "isup/node.h"
#include "isup/route.h"
#include "tests/fixture_isup.h"
#include "media/player.h"
#include "media/prompt_set.h"
#include "tdm-dtmf/g711.h"

#define SUB "0312345678"
#define FWD "0398765432"
#define BARRED "0311150002"

struct fix {
	struct loop *loop;
	struct conf *cfwd_conf, *net_conf;
	struct isup_node *cfwd, *net;
	struct call_ctx *calls;
	struct store *store;
	struct prompt_set *ps;
	struct forward *fw;
	struct announcer *ann;
	struct forward_hook *hook;
	char db[64];
	/* the calling line */
	struct call_leg *caller;
	struct tdm_span *span;
	unsigned ts;
	bool alerted, answered;
	int released;		/* cause of cfwdd's REL, 0 while up */
	int acm_charge;		/* charge indicator of the ACM received, -1 none */
	int acm_inband;		/* OBCI in-band information indicator, -1 none */
	unsigned heard, loud;	/* blocks received after ACM / with speech energy */
	unsigned onward;	/* IAMs that reached the forward-to side */
};

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static void caller_alerting(void *user, struct call_leg *leg)
{
	struct fix *f = user;

	f->alerted = true;
}

static void caller_answered(void *user, struct call_leg *leg)
{
	struct fix *f = user;

	f->answered = true;
}

static void caller_released(void *user, struct call_leg *leg, int cause)
{
	struct fix *f = user;

	f->released = cause;
	f->caller = NULL;
}

static const struct call_leg_ops caller_ops = {
	.alerting = caller_alerting,
	.answered = caller_answered,
	.released = caller_released,
};

static void net_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct fix *f = user;

	f->onward++;
	call_leg_release(leg, CAUSE_UNALLOCATED);
}

/* OBCI (0x29) in the optional part of an ACM SU: its value, or -1. */
static int obci_of(const uint8_t *su, size_t len)
{
	size_t p = len > 13 && su[13] ? 13 + (size_t)su[13] : len;

	while (p + 2 < len && su[p]) {
		if (su[p] == 0x29 && su[p + 1] == 1)
			return su[p + 2] & 1;
		p += 2 + su[p + 1];
	}
	return -1;
}

/* The ACM as the calling exchange receives it. */
static void net_su_tap(void *user, struct isup_link *lk, bool sent, const uint8_t *su,
		       size_t len)
{
	struct fix *f = user;
	struct isup_msg_view v;
	struct msu_verdict vd = msu_validate(su, len, &v);

	if (!sent && vd.kind == MTP2_MSU && v.msg_type == ISUP_MT_ACM) {
		f->acm_charge = v.bci & 3;
		f->acm_inband = obci_of(su, len);
	}
}

/* What the caller hears after the ACM: blocks, and those with speech energy. */
static void net_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct fix *f = user;
	int16_t pcm[TDM_BLOCK_BYTES];
	long sum = 0;

	if (!f->caller || !f->alerted || s != f->span || ts != f->ts)
		return;
	g711_ulaw_decode_buf(pcm, blk, TDM_BLOCK_BYTES);
	for (unsigned i = 0; i < TDM_BLOCK_BYTES; i++)
		sum += labs((long)pcm[i]);
	f->heard++;
	f->loud += sum / TDM_BLOCK_BYTES > 120;
}

static void cfwd_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct fix *f = user;

	call_ctx_incoming(f->calls, lk, leg);
}

static void cfwd_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct fix *f = user;

	announcer_bearer_rx(f->ann, s, ts, blk);
}

static const struct isup_node_owner net_owner = {
	.link = { .incoming = net_incoming, .su_tap = net_su_tap },
	.bearer_rx = net_bearer_rx,
};
static const struct isup_node_owner cfwd_owner = {
	.link = { .incoming = cfwd_incoming },
	.bearer_rx = cfwd_bearer_rx,
};

static bool run_until(struct fix *f, bool (*cond)(struct fix *), unsigned ms)
{
	for (unsigned i = 0; i < ms / 10 && !cond(f); i++)
		loop_run_once(f->loop, 10);
	return cond(f);
}

static bool all_idle(struct fix *f)
{
	return fx_nodes_idle(f->cfwd, f->net);
}

/* The subscriber: CFU to FWD, Number Request on, BARRED on the rejection list. */
static int provision(struct fix *f)
{
	if (store_sub_add(f->store, STORE_WHO_CFWDCTL, SUB, true) < 0 ||
	    store_forward_set(f->store, STORE_WHO_CFWDCTL, SUB, FWD, CFWD_COND_UNCONDITIONAL) < 0 ||
	    store_set_number_request(f->store, STORE_WHO_CFWDCTL, SUB, true) < 0 ||
	    store_reject_add(f->store, STORE_WHO_CFWDCTL, SUB, BARRED) < 0)
		return -1;
	return 0;
}

static int open_feature(struct fix *f)
{
	struct cfwd_decide_conf dc;
	char err[256];

	cfwd_decide_conf_default(&dc);
	dc.number_request_announce = true;
	dc.reject_list_announce = true;
	f->fw = forward_alloc(f->loop, f->store, &dc);
	f->ann = announcer_alloc(f->loop, f->ps);
	f->hook = f->fw ? forward_hook_alloc(f->fw, NULL, err, sizeof(err)) : NULL;
	if (!f->ann || !f->hook)
		return -1;
	for (unsigned i = 0; i < f->cfwd->n_spans; i++)
		if (announcer_add_span(f->ann, f->cfwd->spans[i]) < 0)
			return -1;
	forward_set_announcer(f->fw, announcer_incoming, f->ann);
	fx_call_layer(f->calls, f->cfwd, f->cfwd_conf, forward_hook_incoming, f->hook);
	return 0;
}

static int group_setup(void **state)
{
	static struct fix f;
	unsigned base = fx_port_base();
	struct store_opts so;
	char err[256];

	log_set_all(LOGL_ERROR);
	if (fx_temp_path(f.db, sizeof(f.db), "test_announce") < 0)
		return -1;
	store_opts_default(&so);
	so.pwhash_opslimit = 1;
	so.pwhash_memlimit = 8192;
	f.loop = loop_alloc();
	f.store = store_open_opts(f.db, &so, err, sizeof(err));
	f.ps = prompt_set_load_lang(MEDIA_PROMPTS_BASE, "en", err, sizeof(err));
	f.cfwd = fx_node_open(f.loop, true, base, 85, &f.cfwd_conf, &cfwd_owner, &f);
	f.net = fx_node_open(f.loop, false, base, 85, &f.net_conf, &net_owner, &f);
	f.calls = call_ctx_alloc(f.loop);
	if (!f.loop || !f.store || !f.ps || !f.cfwd || !f.net || !f.calls ||
	    open_feature(&f) < 0 || provision(&f) < 0 || !run_until(&f, all_idle, 10000))
		return -1;
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fix *f = *state;

	isup_node_close(f->cfwd);
	isup_node_close(f->net);
	loop_run_once(f->loop, 0);
	announcer_free(f->ann);
	forward_hook_free(f->hook);
	forward_free(f->fw);
	call_ctx_free(f->calls);
	prompt_set_free(f->ps);
	store_close(f->store);
	conf_free(f->cfwd_conf);
	conf_free(f->net_conf);
	loop_run_once(f->loop, 0);
	loop_free(f->loop);
	unlink(f->db);
	return 0;
}

static int test_setup(void **state)
{
	struct fix *f = *state;

	f->caller = NULL;
	f->alerted = f->answered = false;
	f->released = 0;
	f->acm_charge = f->acm_inband = -1;
	f->heard = f->loud = f->onward = 0;
	return 0;
}

/* After every call: no announcement, no leg, every circuit idle. */
static int test_teardown(void **state)
{
	struct fix *f = *state;

	if (f->caller)
		call_leg_release(f->caller, CAUSE_NORMAL);
	assert_true(run_until(f, all_idle, 3000));
	loop_run_once(f->loop, 0);
	assert_int_equal(announcer_active(f->ann), 0);
	return 0;
}

/* --- helpers ------------------------------------------------------------------- */

static void dial(struct fix *f, const char *from, bool withheld)
{
	struct isup_link *lk = isup_node_link(f->net, "transit");
	struct call_facts fa;
	int cause;

	fx_facts(&fa, from, SUB);
	fa.calling.pres = withheld ? 1 : 0;
	f->caller = call_leg_setup(lk, &fa, &caller_ops, f, &cause);
	assert_non_null(f->caller);
	f->span = isup_link_span(lk);
	f->ts = call_leg_timeslot(f->caller);
	tdm_bearer_enable(f->span, f->ts, true);
}

static bool released(struct fix *f)
{
	return f->released != 0;
}

static bool speech_heard(struct fix *f)
{
	return f->loud >= 10 || f->released;
}

/* Blocks the prompt lasts when played to the end. */
static unsigned prompt_blocks(struct fix *f, enum prompt_id id)
{
	struct prompt_seq seq;

	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, id);
	return (unsigned)(media_player_seq_ms(f->ps, &seq) / 20);
}

static int count_rec(void *user, const struct billing_record *rec)
{
	(*(int *)user)++;
	return 0;
}

static int records(struct fix *f)
{
	int n = 0;

	store_cdr_foreach(f->store, count_rec, &n);
	return n;
}

/* An announced rejection as the caller sees it: ACM (no charge, in-band information),
 * the whole prompt, REL 21; nothing onward, never answered, no record. */
static void expect_announced(struct fix *f, enum prompt_id id)
{
	unsigned n = prompt_blocks(f, id);

	assert_true(run_until(f, released, 20000));
	assert_true(f->alerted);
	assert_false(f->answered);
	assert_int_equal(f->acm_charge, CALL_CHARGE_NONE);
	assert_int_equal(f->acm_inband, 1);
	assert_int_equal(f->released, 21);
	printf("  heard %u blocks (%u with speech), the prompt lasts %u\n", f->heard, f->loud, n);
	assert_true(f->heard + 5 >= n);
	assert_true(f->loud >= n / 3);
	assert_int_equal(f->onward, 0);
	assert_int_equal(records(f), 0);
}

/* --- tests --------------------------------------------------------------------- */

static void test_withheld_caller_hears_number_request_then_rel_21(void **state)
{
	struct fix *f = *state;
	uint64_t done = announcer_stats(f->ann)->completed;

	step("0311150001, number withheld, calls " SUB " (CFU, Number Request, announce)");
	dial(f, "0311150001", true);
	step("ACM no charge + in-band information, \"number_request\" played, then REL 21");
	expect_announced(f, PROMPT_NUMBER_REQUEST);
	assert_int_equal(announcer_stats(f->ann)->completed, done + 1);
	assert_int_equal(forward_stats(f->fw)->cfu, 0);
}

static void test_barred_caller_hears_call_rejected_then_rel_21(void **state)
{
	struct fix *f = *state;

	step(BARRED " (on the rejection list, number shown) calls " SUB);
	dial(f, BARRED, false);
	step("ACM, \"call_rejected\" played to the end, REL 21, never forwarded");
	expect_announced(f, PROMPT_CALL_REJECTED);
	assert_int_equal(forward_stats(f->fw)->cfu, 0);
}

static void test_caller_hangs_up_during_the_announcement(void **state)
{
	struct fix *f = *state;
	uint64_t gone = announcer_stats(f->ann)->caller_released;

	step("0311150003, withheld, calls " SUB " and hangs up once the prompt is heard");
	dial(f, "0311150003", true);
	assert_true(run_until(f, speech_heard, 5000));
	assert_int_equal(f->released, 0);
	assert_int_equal(announcer_active(f->ann), 1);
	call_leg_release(f->caller, CAUSE_NORMAL);
	f->caller = NULL;
	step("Normal clearing: RLC, no REL from cfwdd, the announcement is gone");
	assert_true(run_until(f, all_idle, 3000));
	loop_run_once(f->loop, 0);
	assert_int_equal(announcer_active(f->ann), 0);
	assert_int_equal(announcer_stats(f->ann)->caller_released, gone + 1);
	assert_int_equal(f->released, 0);
	assert_int_equal(f->onward, 0);
}

static void test_presented_caller_is_still_forwarded(void **state)
{
	struct fix *f = *state;
	uint64_t cfu = forward_stats(f->fw)->cfu;
	uint64_t started = announcer_stats(f->ann)->started;

	step("0311150004, number shown, not barred: CFU to " FWD ", no announcement");
	dial(f, "0311150004", false);
	assert_true(run_until(f, released, 5000));
	assert_int_equal(f->onward, 1);	/* the forward-to side got the IAM (and refused) */
	assert_int_equal(forward_stats(f->fw)->cfu, cfu + 1);
	assert_int_equal(announcer_stats(f->ann)->started, started);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_withheld_caller_hears_number_request_then_rel_21, test_setup,
			test_teardown),
		cmocka_unit_test_setup_teardown(
			test_barred_caller_hears_call_rejected_then_rel_21, test_setup,
			test_teardown),
		cmocka_unit_test_setup_teardown(test_caller_hangs_up_during_the_announcement,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_presented_caller_is_still_forwarded,
						test_setup, test_teardown),
	};

	return cmocka_run_group_tests_name("announce", tests, group_setup, group_teardown);
}
