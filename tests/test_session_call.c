/* tests/test_session_call.c - 142 and remote-control calls (feature/cfwd/session_call.c)
 * between real libss7 signalling points in one process: "cfwd" (pc 1001: the call layer
 * with forward_hook in front, sessions only, a real store in a temp file, the en
 * guidance) and "net" (the subscribers' exchange pc 2001 and transit pc 3001) on two
 * sim spans. The net side dials, reads the ACM's charge indicator as it arrives, and
 * presses keys as DTMF audio on the bearer, one block per block it hears (real time:
 * the spans' 20 ms clock). After every test all circuits are idle and no session is
 * left. Ports: CFWD_PORT_BASE (+81..+84) or from the PID. */
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
#include "feature/cfwd/billing.h"
#include "feature/cfwd/forward_hook.h"
#include "feature/cfwd/session_call.h"
#include "feature/cfwd/store.h"
#include "isup/call.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/msu.h"
#include "isup/node.h"
#include "isup/route.h"
#include "tests/fixture_isup.h"
#include "media/prompt_set.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"

#define SUB "0312345678"
#define FWD "0398765432"
#define FAR "0311112222"
#define ACCESS "0363044141"

struct fix {
	struct loop *loop;
	struct conf *cfwd_conf, *net_conf, *svc_conf;
	struct isup_node *cfwd, *net;
	struct call_ctx *calls;
	struct store *store;
	struct prompt_set *ps;
	struct session_calls *sc;
	struct forward_hook *hook;
	char db[64];
	/* the calling line */
	struct call_leg *caller;
	struct tdm_span *span;
	unsigned ts;
	struct dtmf_gen *gen;
	bool answered;
	int released;		/* cause of cfwdd's REL, 0 while up */
	int acm_charge;		/* charge indicator of the ACM received, -1 none */
	unsigned loud;		/* blocks of guidance heard */
};

static void step(const char *s)
{
	printf("  -- %s\n", s);
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
	.answered = caller_answered,
	.released = caller_released,
};

static void net_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	call_leg_release(leg, CAUSE_UNALLOCATED);	/* nothing is routed out here */
}

/* The ACM as the calling exchange receives it: backward call indicators octet 1 BA. */
static void net_su_tap(void *user, struct isup_link *lk, bool sent, const uint8_t *su,
		       size_t len)
{
	struct fix *f = user;
	struct isup_msg_view v;
	struct msu_verdict vd = msu_validate(su, len, &v);

	if (!sent && vd.kind == MTP2_MSU && v.msg_type == ISUP_MT_ACM)
		f->acm_charge = v.bci & 3;
}

/* One block heard, one block sent: the keys queued in the generator, else silence. */
static void net_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct fix *f = user;
	int16_t pcm[TDM_BLOCK_BYTES] = { 0 };
	uint8_t out[TDM_BLOCK_BYTES];
	long sum = 0;

	if (!f->caller || s != f->span || ts != f->ts)
		return;
	g711_ulaw_decode_buf(pcm, blk, TDM_BLOCK_BYTES);
	for (unsigned i = 0; i < TDM_BLOCK_BYTES; i++)
		sum += labs((long)pcm[i]);
	f->loud += sum / TDM_BLOCK_BYTES > 120;
	memset(pcm, 0, sizeof(pcm));
	dtmf_gen_tx(f->gen, pcm, TDM_BLOCK_BYTES);
	g711_ulaw_encode_buf(out, pcm, TDM_BLOCK_BYTES);
	tdm_bearer_write(s, ts, out);
}

static void cfwd_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct fix *f = user;

	call_ctx_incoming(f->calls, lk, leg);
}

static void cfwd_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct fix *f = user;

	session_calls_bearer_rx(f->sc, s, ts, blk);
}

static const struct isup_node_owner net_owner = {
	.link = { .incoming = net_incoming, .su_tap = net_su_tap },
	.bearer_rx = net_bearer_rx,
};
static const struct isup_node_owner cfwd_owner = {
	.link = { .incoming = cfwd_incoming },
	.bearer_rx = cfwd_bearer_rx,
};

/* Run the loop until cond or ms of real time. */
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

static int group_setup(void **state)
{
	static struct fix f;
	unsigned base = fx_port_base();
	struct store_opts so;
	char err[256];

	log_set_all(LOGL_ERROR);
	if (fx_temp_path(f.db, sizeof(f.db), "test_session_call") < 0)
		return -1;
	store_opts_default(&so);
	so.pwhash_opslimit = 1;		/* crypto_pwhash's minimum: tests only */
	so.pwhash_memlimit = 8192;
	f.loop = loop_alloc();
	f.store = store_open_opts(f.db, &so, err, sizeof(err));
	f.ps = prompt_set_load_lang(MEDIA_PROMPTS_BASE, "en", err, sizeof(err));
	f.svc_conf = conf_load_string("svc", "[service]\nlanguage = en\n", err, sizeof(err));
	f.cfwd = fx_node_open(f.loop, true, base, 81, &f.cfwd_conf, &cfwd_owner, &f);
	f.net = fx_node_open(f.loop, false, base, 81, &f.net_conf, &net_owner, &f);
	f.calls = call_ctx_alloc(f.loop);
	f.gen = dtmf_gen_alloc(NULL);
	if (!f.loop || !f.store || !f.ps || !f.svc_conf || !f.cfwd || !f.net || !f.calls || !f.gen)
		return -1;
	f.sc = session_calls_alloc(f.loop, f.svc_conf, f.store, f.ps, err, sizeof(err));
	f.hook = forward_hook_alloc(NULL, NULL, err, sizeof(err));
	if (!f.sc || !f.hook)
		return -1;
	for (unsigned i = 0; i < f.cfwd->n_spans; i++)
		if (session_calls_add_span(f.sc, f.cfwd->spans[i]) < 0)
			return -1;
	forward_hook_set_session(f.hook, session_calls_incoming, f.sc);
	fx_call_layer(f.calls, f.cfwd, f.cfwd_conf, forward_hook_incoming, f.hook);
	if (!run_until(&f, all_idle, 10000))
		return -1;
	if (store_sub_add(f.store, STORE_WHO_CFWDCTL, SUB, true) < 0)
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
	session_calls_free(f->sc);
	forward_hook_free(f->hook);
	call_ctx_free(f->calls);
	prompt_set_free(f->ps);
	dtmf_gen_free(f->gen);
	store_close(f->store);
	conf_free(f->cfwd_conf);
	conf_free(f->net_conf);
	conf_free(f->svc_conf);
	loop_free(f->loop);
	unlink(f->db);
	return 0;
}

static int test_setup(void **state)
{
	struct fix *f = *state;

	f->caller = NULL;
	f->answered = false;
	f->released = 0;
	f->acm_charge = -1;
	f->loud = 0;
	return 0;
}

/* After every call: no session, no leg, every circuit idle. */
static int test_teardown(void **state)
{
	struct fix *f = *state;

	if (f->caller)
		call_leg_release(f->caller, CAUSE_NORMAL);
	assert_true(run_until(f, all_idle, 3000));
	loop_run_once(f->loop, 0);
	assert_int_equal(session_calls_active(f->sc), 0);
	return 0;
}

/* --- helpers ------------------------------------------------------------------- */

static void dial(struct fix *f, const char *from, const char *to)
{
	struct isup_link *lk = isup_node_link(f->net, !strncmp(from, "0312", 4) ? "local" : "transit");
	struct call_facts fa;
	int cause;

	fx_facts(&fa, from, to);
	f->caller = call_leg_setup(lk, &fa, &caller_ops, f, &cause);
	assert_non_null(f->caller);
	f->span = isup_link_span(lk);
	f->ts = call_leg_timeslot(f->caller);
	tdm_bearer_enable(f->span, f->ts, true);
}

static bool answered(struct fix *f)
{
	return f->answered || f->released;
}

static bool guidance_heard(struct fix *f)
{
	return f->loud >= 10 || f->released;
}

static bool released(struct fix *f)
{
	return f->released != 0;
}

/* Press keys as audio once some guidance has been heard (they barge in). */
static void press(struct fix *f, const char *keys)
{
	f->loud = 0;
	assert_true(run_until(f, guidance_heard, 10000));
	assert_int_equal(dtmf_gen_put(f->gen, keys), 0);
}

static struct cfwd_sub sub(struct fix *f)
{
	struct cfwd_sub s;

	assert_int_equal(store_sub_get(f->store, SUB, &s), 0);
	return s;
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

static bool committed_entry0(struct fix *f)
{
	struct cfwd_sub s;

	return store_sub_get(f->store, SUB, &s) == 0 && s.registered[0];
}

/* --- tests --------------------------------------------------------------------- */

static void test_142_answered_free_and_keys_register_entry_0(void **state)
{
	struct fix *f = *state;

	step("0312345678 dials 142: ACM with charge indicator 1 (no charge), then ANM");
	dial(f, SUB, "142");
	assert_true(run_until(f, answered, 3000));
	assert_true(f->answered);
	assert_int_equal(f->acm_charge, CALL_CHARGE_NONE);
	assert_int_equal(session_calls_active(f->sc), 1);

	step("Keys as audio: 2, the number and #, then 1 to confirm");
	press(f, "2");
	press(f, FWD "#");
	press(f, "1");
	assert_true(run_until(f, committed_entry0, 10000));
	assert_string_equal(sub(f).list[0], FWD);
	assert_int_equal(sub(f).selected, 0);

	step("The caller hangs up during \"done\": the session goes, no billing record");
	call_leg_release(f->caller, CAUSE_NORMAL);
	f->caller = NULL;
	assert_true(run_until(f, all_idle, 3000));
	assert_int_equal(records(f), 0);
	assert_int_equal(session_calls_stats(f->sc)->ended_by_caller, 1);
}

static void test_142_hang_up_mid_number_changes_nothing(void **state)
{
	struct fix *f = *state;

	step("0312345678 dials 142, presses 4 0 1 and half a number, then hangs up");
	dial(f, SUB, "142");
	assert_true(run_until(f, answered, 3000));
	press(f, "401");
	press(f, "03987");
	run_until(f, released, 1500);
	call_leg_release(f->caller, CAUSE_NORMAL);
	f->caller = NULL;
	assert_true(run_until(f, all_idle, 3000));
	assert_false(sub(f).registered[1]);
}

static void test_non_subscriber_hears_not_available_and_is_released(void **state)
{
	struct fix *f = *state;

	step("0312000000 (no contract) dials 142: answered free, guidance, REL 16 from cfwdd");
	dial(f, "0312000000", "142");
	assert_true(run_until(f, released, 10000));
	assert_true(f->answered);
	assert_int_equal(f->acm_charge, CALL_CHARGE_NONE);
	assert_int_equal(f->released, CAUSE_NORMAL);
	assert_true(f->loud > 50);	/* a second of "not available on this line" at least */
}

static void test_remote_access_charged_started_and_billed_to_caller(void **state)
{
	struct fix *f = *state;
	int before = records(f);

	step("Remote control is on for 0312345678 with PIN 1234");
	assert_int_equal(store_set_remote(f->store, STORE_WHO_CFWDCTL, SUB, true, "1234"), 0);
	assert_int_equal(store_forward_set(f->store, STORE_WHO_CFWDCTL, SUB, FWD,
					   CFWD_COND_OFF), 0);

	step("0311112222 dials 0363044141: ACM with charge indicator 2 (charge)");
	dial(f, FAR, ACCESS);
	assert_true(run_until(f, answered, 3000));
	assert_int_equal(f->acm_charge, CALL_CHARGE_CHARGE);

	step("0312345678 # 1234 1: forwarding starts, cfwdd releases with cause 16");
	press(f, SUB "#");
	press(f, "1234");
	press(f, "1");
	assert_true(run_until(f, released, 15000));
	assert_int_equal(f->released, CAUSE_NORMAL);
	assert_int_equal(sub(f).condition, CFWD_COND_UNCONDITIONAL);
	assert_int_equal(records(f), before + 1);
	assert_int_equal(session_calls_stats(f->sc)->ended_by_us, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_142_answered_free_and_keys_register_entry_0,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(test_142_hang_up_mid_number_changes_nothing,
						test_setup, test_teardown),
		cmocka_unit_test_setup_teardown(
			test_non_subscriber_hears_not_available_and_is_released, test_setup,
			test_teardown),
		cmocka_unit_test_setup_teardown(
			test_remote_access_charged_started_and_billed_to_caller, test_setup,
			test_teardown),
	};

	return cmocka_run_group_tests_name("session_call", tests, group_setup, group_teardown);
}
