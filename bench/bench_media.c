/* bench/bench_media.c - CPU of 480 concurrent 142 sessions' audio (16 spans x 30 ts):
 * 1. as in cfwdd: sim spans over UDP to a forked peer that loops our guidance back, the
 *    loop paced by the spans' 20 ms timers; this process's CPU per received block.
 * 2. compute only: ours (dtmf_bank + player + echo removal) against spandsp dtmf_rx
 *    after a µ-law decode + memcpy playback for the same load (spandsp: bench only).
 * Ports: CFWD_PORT_BASE (default 30000 + pid-derived offset), 32 ports. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spandsp/telephony.h>
#include <spandsp/logging.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/dtmf.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "media/prompt_set.h"
#include "media/session.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"

#ifndef MEDIA_PROMPTS_BASE
#define MEDIA_PROMPTS_BASE "build/prompts"
#endif

#define SPANS 16
#define TS_PER_SPAN 30
#define SESSIONS (SPANS * TS_PER_SPAN)
#define MEASURE_S 4
#define COMPUTE_ROUNDS 1500 /* 30 s of audio per session */

static struct prompt_set *ps;

struct slot {
	struct media_session *ms;
	unsigned long digits;
};

static struct slot slots[SESSIONS];
static struct media_group *groups[SPANS];

static void on_digit(void *user, char d)
{
	((struct slot *)user)->digits++;
}

static void on_done(void *user)
{
	struct slot *s = user;
	struct prompt_seq seq;

	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, PROMPT_MENU);
	prompt_seq_add(&seq, PROMPT_CONDITION_MENU);
	prompt_seq_add_number(&seq, "0398765432");
	media_session_play(s->ms, &seq);
}

static const struct media_session_ops ops = { .digit = on_digit, .prompt_done = on_done };

static void sessions_open(void)
{
	for (unsigned g = 0; g < SPANS; g++) {
		groups[g] = media_group_alloc(TS_PER_SPAN, DTMF_LAW_ULAW, ps);
		if (!groups[g])
			exit(1);
		if (getenv("MEDIA_ECHO_REMOVAL") && !strcmp(getenv("MEDIA_ECHO_REMOVAL"), "0"))
			media_group_set_echo_removal(groups[g], false);
		for (unsigned t = 0; t < TS_PER_SPAN; t++) {
			struct slot *s = &slots[g * TS_PER_SPAN + t];

			s->ms = media_session_open(groups[g], t, &ops, s);
			on_done(s);
			/* stagger the sessions through the guidance */
			for (unsigned k = 0; k < (g * TS_PER_SPAN + t) % 97; k++) {
				uint8_t blk[160];

				media_session_tx(s->ms, blk);
			}
		}
	}
}

static void sessions_close(void)
{
	for (unsigned g = 0; g < SPANS; g++)
		media_group_free(groups[g]);
}

static double cpu_s(double *user)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	if (user)
		*user = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ---- 1. over sim spans ---------------------------------------------------------- */

static unsigned long rx_blocks, tx_drops;
static bool measuring;

static void our_span_state(void *user, struct tdm_span *s, bool up)
{
}

static void our_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct slot *sl = &slots[(uintptr_t)user * TS_PER_SPAN + ts - 1];
	uint8_t out[TDM_BLOCK_BYTES];

	media_session_rx(sl->ms, blk);
	media_session_tx(sl->ms, out);
	if (tdm_bearer_write(s, ts, out))
		tx_drops++;
	if (measuring)
		rx_blocks++;
}

static void peer_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	tdm_bearer_write(s, ts, blk); /* loop our guidance back */
}

static struct tdm_span *span_open(struct loop *l, unsigned i, unsigned base, bool peer,
				  const struct tdm_span_events *ev)
{
	struct tdm_span_cfg cfg;
	struct tdm_span *s;
	char name[16], err[256];

	snprintf(name, sizeof(name), "%s%u", peer ? "peer" : "s", i);
	tdm_span_cfg_default(&cfg, name);
	cfg.channels = TS_PER_SPAN;
	cfg.local_port = (uint16_t)(base + 2 * i + (peer ? 1 : 0));
	cfg.remote_port = (uint16_t)(base + 2 * i + (peer ? 0 : 1));
	s = tdm_span_open(l, &cfg, ev, (void *)(uintptr_t)i, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "bench-media: %s\n", err);
		exit(1);
	}
	for (unsigned ts = 1; ts <= TS_PER_SPAN; ts++)
		tdm_bearer_enable(s, ts, true);
	return s;
}

static void peer_main(unsigned base)
{
	static const struct tdm_span_events ev = { .span_state = our_span_state,
						   .bearer_rx = peer_bearer_rx };
	struct loop *l = loop_alloc();

	for (unsigned i = 0; i < SPANS; i++)
		span_open(l, i, base, true, &ev);
	alarm(30); /* never outlive the bench */
	loop_run(l);
	_exit(0);
}

static void run_loop_for(struct loop *l, double secs)
{
	uint64_t end = clock_now_us() + (uint64_t)(secs * 1e6);

	while (clock_now_us() < end)
		loop_run_once(l, 5);
}

static int bench_sim(double *us_per_ts)
{
	static const struct tdm_span_events ev = { .span_state = our_span_state,
						   .bearer_rx = our_bearer_rx };
	const char *env = getenv("CFWD_PORT_BASE");
	unsigned base = env ? (unsigned)atoi(env) : 30000 + (unsigned)(getpid() % 200) * 40;
	struct tdm_span *spans[SPANS];
	struct loop *l = loop_alloc();
	double c0, c1, u0, u1;
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		peer_main(base);
	for (unsigned i = 0; i < SPANS; i++)
		spans[i] = span_open(l, i, base, false, &ev);
	run_loop_for(l, 1.5); /* spans up, queues settle */
	for (unsigned i = 0; i < SPANS; i++) {
		if (!tdm_span_is_up(spans[i])) {
			fprintf(stderr, "bench-media: span %u did not come up\n", i);
			kill(pid, SIGTERM);
			waitpid(pid, &st, 0);
			return -EIO;
		}
	}
	measuring = true;
	c0 = cpu_s(&u0);
	run_loop_for(l, MEASURE_S);
	c1 = cpu_s(&u1);
	measuring = false;
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	for (unsigned i = 0; i < SPANS; i++)
		tdm_span_close(spans[i]);
	loop_free(l);
	{
		unsigned locked = 0, lag = 0;

		for (unsigned i = 0; i < SESSIONS; i++) {
			struct media_session_stats ss;

			media_session_get_stats(slots[i].ms, &ss);
			if (ss.echo_lag >= 0) {
				locked++;
				lag = (unsigned)ss.echo_lag;
			}
		}
		printf("sim: %lu blocks received in %d s (%.0f%% of 480 x 50/s), %lu tx drops, "
		       "echo path found on %u sessions (delay %u blocks)\n",
		       rx_blocks, MEASURE_S, 100.0 * rx_blocks / (SESSIONS * 50.0 * MEASURE_S),
		       tx_drops, locked, lag);
	}
	if (rx_blocks < SESSIONS * 50ul)
		return -EIO;
	*us_per_ts = (c1 - c0) * 1e6 / (double)rx_blocks;
	printf("sim: %.2f us user (loop, sim, media), %.2f us system (UDP) per timeslot per 20ms\n",
	       (u1 - u0) * 1e6 / (double)rx_blocks,
	       ((c1 - c0) - (u1 - u0)) * 1e6 / (double)rx_blocks);
	return 0;
}

/* ---- 2. compute only -------------------------------------------------------------- */

#define STREAM_BLOCKS 500 /* 10 s: our guidance echoed at -10 dB, with keys */

static uint8_t *stream;

static void stream_build(void)
{
	const struct prompt_audio *menu = prompt_set_get(ps, PROMPT_MENU);
	struct dtmf_gen_params gp = {
		.level_dbm0 = -20, .twist_db = 2, .on_ms = 80, .off_ms = 920, .seed = 5
	};
	struct dtmf_gen *gen = dtmf_gen_alloc(&gp);
	size_t n = (size_t)STREAM_BLOCKS * 160;
	int16_t *keys = calloc(n, sizeof(int16_t));

	stream = malloc(n);
	if (!gen || !keys || !stream)
		exit(1);
	dtmf_gen_put(gen, "1234567890");
	dtmf_gen_tx(gen, keys, n);
	for (size_t i = 0; i < n; i++)
		stream[i] = g711_ulaw_encode(dtmf_sat16(menu->pcm[i % menu->n] * 0.316f + keys[i]));
	dtmf_gen_free(gen);
	free(keys);
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long ours_digits(void)
{
	unsigned long d = 0;

	for (unsigned i = 0; i < SESSIONS; i++)
		d += slots[i].digits;
	return d;
}

static double run_ours(void)
{
	uint8_t out[160];
	volatile uint8_t sink = 0;
	double t0 = cpu_now();

	for (unsigned r = 0; r < COMPUTE_ROUNDS; r++) {
		for (unsigned i = 0; i < SESSIONS; i++) {
			const uint8_t *in = stream + ((r + i * 7) % STREAM_BLOCKS) * 160;

			media_session_rx(slots[i].ms, in);
			media_session_tx(slots[i].ms, out);
			sink ^= out[i % 160];
		}
	}
	(void)sink;
	return cpu_now() - t0;
}

static unsigned long ref_digits;

static void ref_digit(void *user, const char *digits, int len)
{
	ref_digits += (unsigned long)len;
}

static double run_reference(void)
{
	const struct prompt_audio *menu = prompt_set_get(ps, PROMPT_MENU);
	dtmf_rx_state_t **rx = calloc(SESSIONS, sizeof(*rx));
	size_t *pos = calloc(SESSIONS, sizeof(*pos));
	int16_t table[256], pcm[160];
	uint8_t out[160];
	volatile uint8_t sink = 0;
	double t0;

	if (!rx || !pos)
		exit(1);
	for (int i = 0; i < 256; i++)
		table[i] = g711_ulaw_decode((uint8_t)i);
	for (unsigned i = 0; i < SESSIONS; i++) {
		rx[i] = dtmf_rx_init(NULL, ref_digit, NULL);
		pos[i] = (i * 997) % (menu->n - 160);
	}
	t0 = cpu_now();
	for (unsigned r = 0; r < COMPUTE_ROUNDS; r++) {
		for (unsigned i = 0; i < SESSIONS; i++) {
			const uint8_t *in = stream + ((r + i * 7) % STREAM_BLOCKS) * 160;

			for (int k = 0; k < 160; k++)
				pcm[k] = table[in[k]];
			dtmf_rx(rx[i], pcm, 160);
			memcpy(out, menu->ulaw + pos[i], 160);
			pos[i] = pos[i] + 320 > menu->n ? 0 : pos[i] + 160;
			sink ^= out[i % 160];
		}
	}
	t0 = cpu_now() - t0;
	(void)sink;
	for (unsigned i = 0; i < SESSIONS; i++)
		dtmf_rx_free(rx[i]);
	free(rx);
	free(pos);
	return t0;
}

int main(void)
{
	double sim_us = 0, ours, ref, blocks = (double)SESSIONS * COMPUTE_ROUNDS;
	char err[512];
	int rc;

	log_set_all(LOGL_ERROR);
	ps = prompt_set_load_lang(MEDIA_PROMPTS_BASE, "ja", err, sizeof(err));
	if (!ps) {
		fprintf(stderr, "bench-media: %s\n", err);
		return 1;
	}
	sessions_open();
	printf("media: %u sessions (%u spans x %u timeslots, u-law), DTMF detect + guidance\n",
	       SESSIONS, SPANS, TS_PER_SPAN);
	rc = bench_sim(&sim_us);
	if (rc) {
		fprintf(stderr, "bench-media: sim spans: %s\n", strerror(-rc));
		return 1;
	}
	printf("media us per timeslot per 20ms: %.2f\n", sim_us);
	printf("%% of one core for 480 timeslots: %.2f\n", sim_us * SESSIONS / 20000.0 * 100.0);

	stream_build();
	ours = run_ours();
	ref = run_reference();
	printf("compute only, %u rounds: ours %.3f us, reference %.3f us per timeslot per 20ms; "
	       "digits ours %lu, reference %lu\n",
	       COMPUTE_ROUNDS, ours / blocks * 1e6, ref / blocks * 1e6, ours_digits(), ref_digits);
	printf("ours: %.3f us per timeslot per 20ms (dtmf_bank + player + echo removal, 480 sessions)\n",
	       ours / blocks * 1e6);
	printf("reference: %.3f us per timeslot per 20ms (spandsp dtmf_rx + memcpy playback)\n",
	       ref / blocks * 1e6);
	printf("ratio: %.2f\n", ours / ref);
	sessions_close();
	prompt_set_free(ps);
	free(stream);
	return 0;
}
