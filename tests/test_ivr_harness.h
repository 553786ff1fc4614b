/* tests/test_ivr_harness.h - shared fixture of the dialogue tests (test_ivr.c,
 * test_remote.c): a real loop on the fake clock, a real store in a temp SQLite file,
 * and a recorder of the audio side (what was played, stops, the end). The store is
 * snapshotted at the moment "done" is played, to prove the commit came first. */
#ifndef TEST_IVR_HARNESS_H
#define TEST_IVR_HARNESS_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "core/clock.h"
#include "core/fsm.h"
#include "core/log.h"
#include "core/loop.h"
#include "feature/cfwd/ivr.h"
#include "feature/cfwd/numbers.h"
#include "feature/cfwd/prompt_ids.h"
#include "feature/cfwd/store.h"

#define SUB "0312345678"
#define FWD "0398765432"
#define PLAYED_MAX 64

struct scen {
	struct loop *loop;
	struct store *st;
	char path[64];
	struct cfwd_refused refused;
	char played[PLAYED_MAX][512];
	int n_played, seen;
	int stops;
	bool ended;
	int end_cause;
	bool done_snap_ok;
	struct cfwd_sub at_done; /* the store when "done" started playing */
	void *session;
	unsigned live_base; /* FSM instances alive before the test */
};

static inline void step(const char *s)
{
	printf("  -- %s\n", s);
}

static inline void rec_play(void *user, const struct prompt_seq *seq)
{
	struct scen *s = user;

	assert_true(s->n_played < PLAYED_MAX);
	prompt_seq_format(seq, s->played[s->n_played], sizeof(s->played[0]));
	printf("     <- play: %s\n", s->played[s->n_played]);
	s->n_played++;
	for (size_t i = 0; i < seq->n; i++) {
		if (seq->item[i].id == PROMPT_DONE)
			s->done_snap_ok = store_sub_get(s->st, SUB, &s->at_done) == 0;
	}
}

static inline void rec_stop(void *user)
{
	struct scen *s = user;

	printf("     <- stop prompt\n");
	s->stops++;
}

static inline void rec_end(void *user, int cause)
{
	struct scen *s = user;

	printf("     <- end, cause %d\n", cause);
	assert_false(s->ended);
	s->ended = true;
	s->end_cause = cause;
}

static const struct cfwd_ivr_ops rec_ops = {
	.play = rec_play,
	.stop_prompt = rec_stop,
	.end = rec_end,
};

static inline int scen_setup(void **state)
{
	struct scen *s = calloc(1, sizeof(*s));
	struct store_opts o;
	char err[256];
	int fd;

	assert_non_null(s);
	setvbuf(stdout, NULL, _IOLBF, 0); /* keep the ladder in order with the log */
	log_set_all(LOGL_NOTICE);
	fake_clock_enable(1000000, 1767225600); /* 2026-01-01 */
	s->loop = loop_alloc();
	assert_non_null(s->loop);
	snprintf(s->path, sizeof(s->path), "/tmp/cfwd-svc-test-XXXXXX");
	fd = mkstemp(s->path);
	assert_true(fd >= 0);
	close(fd);
	unlink(s->path);
	store_opts_default(&o);
	o.pwhash_opslimit = crypto_pwhash_OPSLIMIT_MIN;
	o.pwhash_memlimit = crypto_pwhash_MEMLIMIT_MIN;
	s->st = store_open_opts(s->path, &o, err, sizeof(err));
	if (!s->st)
		fail_msg("store_open: %s", err);
	assert_int_equal(store_sub_add(s->st, STORE_WHO_CFWDCTL, SUB, true), 0);
	cfwd_refused_default(&s->refused);
	s->live_base = fsm_inst_live_count();
	*state = s;
	return 0;
}

static inline int scen_teardown(void **state)
{
	struct scen *s = *state;
	char p[80];

	loop_run_once(s->loop, 0);
	assert_int_equal(fsm_inst_live_count(), s->live_base);
	store_close(s->st);
	loop_free(s->loop);
	unlink(s->path);
	snprintf(p, sizeof(p), "%s-wal", s->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", s->path);
	unlink(p);
	fake_clock_disable();
	free(s);
	return 0;
}

#define expect_play(s, str) expect_play_at(s, str, __FILE__, __LINE__)
static inline void expect_play_at(struct scen *s, const char *str, const char *file, int line)
{
	if (s->seen >= s->n_played)
		_fail(file, line);
	if (strcmp(s->played[s->seen], str) != 0) {
		print_error("%s:%d: played \"%s\", expected \"%s\"\n", file, line,
			    s->played[s->seen], str);
		_fail(file, line);
	}
	s->seen++;
}

static inline void expect_nothing_played(struct scen *s)
{
	assert_int_equal(s->seen, s->n_played);
}

static inline void time_passes_s(struct scen *s, unsigned secs)
{
	printf("     .. %u s pass\n", secs);
	fake_time_passes((uint64_t)secs * 1000);
	loop_run_once(s->loop, 0);
}

static inline struct cfwd_sub sub_now(struct scen *s)
{
	struct cfwd_sub sub;

	assert_int_equal(store_sub_get(s->st, SUB, &sub), 0);
	return sub;
}

#endif
