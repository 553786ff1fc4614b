/* feature/cfwd/session_call.c - the glue between a CIC's incoming leg and a media
 * dialogue (see session_call.h). One media group (DTMF bank) per span, one session per
 * timeslot. Every block received on a session's timeslot goes to the detector and is
 * answered with one transmit block of guidance, so playback is paced by the span's 20 ms
 * clock. A session is freed at the end of the loop round in which it ended, because
 * the detector may report digits of other sessions while one is inside media_dlg_rx(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "feature/cfwd/billing.h"
#include "feature/cfwd/ivr.h"
#include "feature/cfwd/numbers.h"
#include "feature/cfwd/pin_check.h"
#include "feature/cfwd/remote.h"
#include "feature/cfwd/session_call.h"
#include "feature/cfwd/store_writer.h"
#include "isup/call_leg.h"
#include "isup/link.h"
#include "media/dialogue.h"
#include "media/prompt_set.h"
#include "media/session.h"


struct session_calls;

struct sess {
	struct session_calls *sc;
	struct call_leg *leg;
	struct tdm_span *span;
	unsigned span_idx, ts;
	uint16_t cic;
	struct media_dlg *dlg;
	bool remote;
	char caller[CFWD_NUM_SIZE];
	char called[CFWD_NUM_SIZE];
	time_t start_s, answer_s;
};

struct session_calls {
	struct loop *loop;
	struct store *store;
	const struct prompt_set *ps;
	struct cfwd_refused refused;
	struct cfwd_ivr_conf ivr;
	struct cfwd_remote_conf remote;
	struct store_writer *writer;	/* the sessions' store changes, off the loop */
	char service_code[CFWD_PATTERN_SIZE];
	struct tdm_span *spans[SESSION_CALLS_SPANS_MAX];
	struct media_group *groups[SESSION_CALLS_SPANS_MAX];
	unsigned n_spans;
	struct sess *by_ts[SESSION_CALLS_SPANS_MAX][TDM_TIMESLOTS_MAX + 1];
	unsigned active;
	uint64_t next_ref;
	struct session_calls_stats st;
};

/* Next to the program ($(BUILD)/cfwdd -> $(BUILD)/prompts) when rendered there, so any
 * build directory works without configuration; else build/prompts. */
static const char *prompts_default(char *buf, size_t len)
{
	struct stat st;
	ssize_t n = readlink("/proc/self/exe", buf, len - sizeof("/prompts"));
	char *slash;

	if (n <= 0)
		return "build/prompts";
	buf[n] = 0;
	slash = strrchr(buf, '/');
	if (!slash)
		return "build/prompts";
	strcpy(slash, "/prompts");
	return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? buf : "build/prompts";
}

struct prompt_set *session_prompts_load(struct conf *c, char *err, size_t errlen)
{
	char def[512];
	const char *base, *lang;

	if (conf_get_str(c, "media", "prompts", prompts_default(def, sizeof(def)), &base, err,
			 errlen) < 0 ||
	    conf_get_str(c, "media", "language", "ja", &lang, err, errlen) < 0 ||
	    conf_get_str(c, "service", "language", lang, &lang, err, errlen) < 0)
		return NULL;
	return prompt_set_load_lang(base, lang, err, errlen);
}

int session_calls_conf_check(struct conf *c, char *err, size_t errlen)
{
	struct cfwd_refused r;
	struct cfwd_ivr_conf ic = { 0 };
	struct cfwd_remote_conf rc = { 0 };
	const char *v;

	cfwd_refused_default(&r);
	if (cfwd_refused_load(c, &r, err, errlen) < 0 ||
	    cfwd_ivr_conf_load(c, &ic, err, errlen) < 0 ||
	    cfwd_remote_conf_load(c, &rc, err, errlen) < 0 ||
	    conf_get_str(c, "service", "service_code", CFWD_SERVICE_CODE_DEFAULT, &v, err, errlen) < 0 ||
	    conf_get_str(c, "media", "prompts", "", &v, err, errlen) < 0 ||
	    conf_get_str(c, "media", "language", "", &v, err, errlen) < 0 ||
	    conf_get_str(c, "service", "language", "", &v, err, errlen) < 0)
		return -EINVAL;
	return 0;
}

struct session_calls *session_calls_alloc(struct loop *l, struct conf *c, struct store *st,
					  const struct prompt_set *ps, char *err, size_t errlen)
{
	struct session_calls *sc = calloc(1, sizeof(*sc));
	const char *code;

	if (!sc) {
		str_copy(err, "out of memory", errlen);
		return NULL;
	}
	sc->loop = l;
	sc->store = st;
	sc->ps = ps;
	cfwd_refused_default(&sc->refused);
	sc->ivr.store = st;
	sc->ivr.refused = &sc->refused;
	sc->remote.store = st;
	if (cfwd_refused_load(c, &sc->refused, err, errlen) < 0 ||
	    cfwd_ivr_conf_load(c, &sc->ivr, err, errlen) < 0 ||
	    cfwd_remote_conf_load(c, &sc->remote, err, errlen) < 0 ||
	    conf_get_str(c, "service", "service_code", CFWD_SERVICE_CODE_DEFAULT, &code, err,
			 errlen) < 0) {
		free(sc);
		return NULL;
	}
	/* PIN hashes run on worker threads, never in the loop (feature/cfwd/pin_check.h) */
	sc->remote.checker = pin_check_alloc(l, (unsigned)sc->remote.pin_threads,
					     (unsigned)sc->remote.pin_jobs);
	if (!sc->remote.checker) {
		str_copy(err, "cannot start the PIN check workers", errlen);
		free(sc);
		return NULL;
	}
	/* changes (and the lockout counters) on the writer thread: a cfwdctl holding the
	 * write lock never stalls the loop (feature/cfwd/store_writer.h) */
	sc->writer = store_writer_alloc(l, st, 0, err, errlen);
	if (!sc->writer) {
		pin_check_free(sc->remote.checker);
		free(sc);
		return NULL;
	}
	sc->ivr.writer = sc->writer;
	sc->remote.writer = sc->writer;
	str_copy(sc->service_code, code, sizeof(sc->service_code));
	return sc;
}

static void sess_free_deferred(void *user)
{
	free(user);
}

void session_calls_free(struct session_calls *sc)
{
	if (!sc)
		return;
	for (unsigned i = 0; i < sc->n_spans; i++) {
		for (unsigned ts = 0; ts <= TDM_TIMESLOTS_MAX; ts++) {
			struct sess *s = sc->by_ts[i][ts];

			if (s) {
				media_dlg_free(s->dlg);
				free(s);
			}
		}
		media_group_free(sc->groups[i]);
	}
	pin_check_free(sc->remote.checker);
	store_writer_free(sc->writer);
	free(sc);
}

static void sess_finish(struct sess *s, bool by_us);
static const struct call_leg_ops sess_gone_ops;	/* nobody listens any more */

void session_calls_stop(struct session_calls *sc)
{
	for (unsigned i = 0; i < sc->n_spans; i++) {
		for (unsigned ts = 0; ts <= TDM_TIMESLOTS_MAX; ts++) {
			struct sess *s = sc->by_ts[i][ts];

			if (!s)
				continue;
			if (s->dlg)
				media_dlg_hangup(s->dlg);
			s->dlg = NULL;
			call_leg_set_owner(s->leg, &sess_gone_ops, NULL);
			sess_finish(s, true);
		}
	}
}

int session_calls_add_span(struct session_calls *sc, struct tdm_span *s)
{
	enum dtmf_law law = tdm_span_law(s) == TDM_LAW_ALAW ? DTMF_LAW_ALAW : DTMF_LAW_ULAW;
	struct media_group *g;

	if (sc->n_spans == SESSION_CALLS_SPANS_MAX)
		return -ENOSPC;
	g = media_group_alloc(tdm_span_channels(s), law, sc->ps);
	if (!g)
		return -ENOMEM;
	sc->spans[sc->n_spans] = s;
	sc->groups[sc->n_spans++] = g;
	return 0;
}

static int span_index(const struct session_calls *sc, const struct tdm_span *s)
{
	for (unsigned i = 0; i < sc->n_spans; i++)
		if (sc->spans[i] == s)
			return (int)i;
	return -1;
}

static int bill_run(struct store *st, void *arg)
{
	return store_cdr_add(st, arg);
}

static void bill_count(struct session_calls *sc, int rc)
{
	if (rc < 0)
		sc->st.bill_errors++;
	else
		sc->st.billed++;
}

static void bill_done(void *user, int rc, void *arg)
{
	const struct billing_record *rec = arg;

	bill_count(user, rc);
	if (rc < 0)
		LOGP(DBILL, LOGL_ERROR, "remote call %s from %s: record not stored: %s",
		     rec->call_ref, rec->from, strerror(-rc));
}

/* Remote control is billed to the caller from answer to release; 142 is free. The
 * record is written at once when the write lock is free, else by the store writer. */
static void sess_bill(struct sess *s)
{
	struct session_calls *sc = s->sc;
	struct billing_record rec[2];
	char ref[32];
	struct billing_call bc = {
		.kind = s->remote ? BILLING_CALL_REMOTE : BILLING_CALL_142,
		.call_ref = ref,
		.caller = s->caller,
		.called = s->called,
		.start_s = s->start_s,
		.answer_s = s->answer_s,
		.end_s = clock_wall_s(),
	};
	int n;

	if (!s->remote || !s->answer_s || !sc->store)
		return;
	snprintf(ref, sizeof(ref), "rc-%llu-%llu", (unsigned long long)clock_wall_ms(),
		 (unsigned long long)++sc->next_ref);
	n = billing_records_for_call(&bc, rec);
	for (int i = 0; i < n; i++) {
		int rc = store_writer_try_inline(sc->writer, bill_run, &rec[i], sizeof(rec[i]),
						 bill_done, sc);

		if (rc != STORE_WRITE_QUEUED)
			bill_count(sc, rc);
		if (rc < 0)
			LOGP(DBILL, LOGL_ERROR, "remote call %s from %s: record not stored: %s",
			     ref, s->caller, strerror(-rc));
	}
	if (n < 0)
		sc->st.bill_errors++;
}

/* Both ends: the timeslot goes quiet, the slot is free, the memory goes after the round. */
static void sess_finish(struct sess *s, bool by_us)
{
	struct session_calls *sc = s->sc;

	sess_bill(s);
	tdm_bearer_enable(s->span, s->ts, false);
	sc->by_ts[s->span_idx][s->ts] = NULL;
	sc->active--;
	if (by_us)
		sc->st.ended_by_us++;
	else
		sc->st.ended_by_caller++;
	s->leg = NULL;
	loop_defer(sc->loop, sess_free_deferred, s);
}

/* The dialogue is over: release from our side. */
static void sess_end(void *user, int cause)
{
	struct sess *s = user;

	LOGP(DMEDIA, LOGL_INFO, "session cic %u (%s from %s): ended by us, cause %d", s->cic,
	     s->remote ? "remote" : "142", s->caller, cause);
	media_dlg_free(s->dlg);
	s->dlg = NULL;
	call_leg_release(s->leg, cause ? cause : CAUSE_NORMAL);
	sess_finish(s, true);
}

/* The caller released (REL), or the circuit was lost: change nothing more. */
static void sess_released(void *user, struct call_leg *leg, int cause)
{
	struct sess *s = user;

	LOGP(DMEDIA, LOGL_INFO, "session cic %u (%s from %s): caller released, cause %d in %s",
	     s->cic, s->remote ? "remote" : "142", s->caller, cause,
	     s->dlg ? media_dlg_state(s->dlg) : "ENDED");
	if (s->dlg)
		media_dlg_hangup(s->dlg);
	s->dlg = NULL;
	sess_finish(s, false);
}

static const struct call_leg_ops sess_leg_ops = {
	.released = sess_released,
};
static const struct call_leg_ops sess_gone_ops = { 0 };

/* Guidance blocks are written as received blocks arrive: two blocks of silence queued
 * first absorb a late round, so the span never sends idle in the middle of a prompt. */
static void sess_prime(struct sess *s)
{
	uint8_t idle[TDM_BLOCK_BYTES];

	memset(idle, tdm_law_idle(tdm_span_law(s->span)), sizeof(idle));
	for (int i = 0; i < 2; i++)
		tdm_bearer_write(s->span, s->ts, idle);
}

static struct sess *sess_new(struct session_calls *sc, struct call_leg *in, unsigned idx)
{
	const struct call_facts *f = call_leg_facts(in);
	struct sess *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->sc = sc;
	s->leg = in;
	s->span = sc->spans[idx];
	s->span_idx = idx;
	s->ts = call_leg_timeslot(in);
	s->cic = call_leg_cic(in);
	s->remote = strcmp(f->called.digits, sc->service_code) != 0;
	if (f->has_calling)
		str_copy(s->caller, f->calling.digits, sizeof(s->caller));
	str_copy(s->called, f->called.digits, sizeof(s->called));
	s->start_s = clock_wall_s();
	return s;
}

static struct media_dlg *sess_start_dlg(struct sess *s)
{
	struct session_calls *sc = s->sc;
	struct media_group *g = sc->groups[s->span_idx];

	if (s->remote)
		return media_dlg_start_remote(g, s->ts - 1, sc->loop, &sc->remote, s->caller,
					      sess_end, s);
	return media_dlg_start_142(g, s->ts - 1, sc->loop, &sc->ivr, s->caller, sess_end, s);
}

bool session_calls_incoming(void *user, struct call_ctx *ctx, struct call_leg *in)
{
	struct session_calls *sc = user;
	int idx = span_index(sc, call_leg_span(in));
	unsigned ts = call_leg_timeslot(in);
	struct media_dlg *d;
	struct sess *s;

	if (idx < 0 || !sc->store)
		return false;
	if (!ts || ts > TDM_TIMESLOTS_MAX || sc->by_ts[idx][ts] || !(s = sess_new(sc, in, idx))) {
		call_leg_release(in, CAUSE_TEMPORARY_FAILURE);
		sc->st.failed++;
		return true;
	}
	call_leg_set_owner(in, &sess_leg_ops, s);
	sc->by_ts[idx][ts] = s;
	sc->active++;
	if (s->remote)
		sc->st.remote++;
	else
		sc->st.ivr++;
	/* 142 is free: ACM says "no charge"; remote control is charged to the caller */
	call_leg_alert_charge(in, s->remote ? CALL_CHARGE_CHARGE : CALL_CHARGE_NONE);
	call_leg_answer(in);
	s->answer_s = clock_wall_s();
	tdm_bearer_enable(s->span, ts, true);
	sess_prime(s);
	LOGP(DMEDIA, LOGL_INFO, "session cic %u ts %u: %s from %s answered", s->cic, ts,
	     s->remote ? "remote control" : "142", s->caller[0] ? s->caller : "(none)");
	d = sess_start_dlg(s);
	if (sc->by_ts[idx][ts] != s) {
		media_dlg_free(d);	/* the dialogue ended at once; s goes after the round */
		return true;
	}
	if (!d) {
		LOGP(DMEDIA, LOGL_ERROR, "cic %u: cannot start a session: %s", s->cic,
		     strerror(errno));
		sc->st.failed++;
		s->answer_s = 0;	/* nothing was offered: no charge */
		call_leg_release(in, CAUSE_TEMPORARY_FAILURE);
		sess_finish(s, true);
		return true;
	}
	s->dlg = d;
	return true;
}

bool session_calls_bearer_rx(struct session_calls *sc, struct tdm_span *span, unsigned ts,
			     const uint8_t *blk)
{
	int idx = span_index(sc, span);
	uint8_t out[TDM_BLOCK_BYTES];
	struct sess *s;

	if (idx < 0 || !ts || ts > TDM_TIMESLOTS_MAX || !(s = sc->by_ts[idx][ts]))
		return false;
	/* digits (of this or other sessions) may end dialogues in here */
	media_dlg_rx(s->dlg, blk);
	if (sc->by_ts[idx][ts] != s || !s->dlg)
		return true;
	media_dlg_tx(s->dlg, out);
	if (sc->by_ts[idx][ts] == s && s->dlg)
		tdm_bearer_write(span, ts, out);
	return true;
}

unsigned session_calls_active(const struct session_calls *sc)
{
	return sc->active;
}

const struct session_calls_stats *session_calls_stats(const struct session_calls *sc)
{
	return &sc->st;
}

const struct store_writer *session_calls_writer(const struct session_calls *sc)
{
	return sc->writer;
}
