/* lab/lab_session.c - `cfwd-lab session` (see lab_session.h). Each session is one call
 * from the caller's exchange. Per 20 ms block heard it records and measures the energy
 * (a prompt "starts" when a loud block follows a quiet one). Like a telephone, it sends
 * on its own 20 ms clock (absolute, so it keeps pace with the span's), whatever the
 * far end does: the key tones of the current group, white noise at the given SNR, and
 * the last block heard at the echo gain; a stall of cfwdd never splits a key. Key groups
 * ("2 0398765432 # 1") go one after the other: after --gap, or, with --wait-prompts,
 * once the next prompt starts (or --prompt-timeout passed). After the last group it
 * listens --linger and hangs up, unless cfwdd released first. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "isup/call_leg.h"
#include "isup/node.h"
#include "lab/lab_int.h"
#include "lab/lab_session.h"
#include "lab/ladder.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tdm-dtmf/wav.h"

#define LS_MAX 64
#define LS_GROUPS_MAX 32
#define LS_KEYS_MAX 64
#define LS_NONE UINT64_MAX

struct ls_opts {
	const char *from, *to, *via, *keys, *record;
	unsigned count;
	bool wait_prompts;
	struct dtmf_gen_params gen;
	unsigned first_ms, gap_ms, prompt_timeout_ms, linger_ms, timeout_ms;
	bool noise, echo;
	float snr_db, echo_db;
	int loud;			/* mean |sample| of a block with guidance in it */
};

enum ls_state { LS_SETUP, LS_WAIT, LS_SEND, LS_LINGER, LS_DONE };

struct ls_run;

struct ls_sess {
	struct ls_run *run;
	char from[24];
	struct call_leg *leg;
	struct tdm_span *span;
	unsigned ts;
	struct dtmf_gen *gen;
	enum ls_state state;
	unsigned group, waits_timed_out, prompts, loud_blocks;
	uint64_t t;			/* ms of audio heard since answer */
	uint64_t next_at, wait_from, onset_at;
	bool prev_loud, answered, released_by_far;
	int cause;
	uint32_t rng;
	int16_t heard[TDM_BLOCK_BYTES];	/* last block heard, echoed once */
	uint8_t *rec;
	size_t rec_len;
};

struct ls_run {
	struct lab *lab;
	const struct ls_opts *o;
	char groups[LS_GROUPS_MAX][LS_KEYS_MAX];
	unsigned n_groups;
	struct ls_sess s[LS_MAX];
	unsigned n;
	float noise_rms, echo_gain;
	bool timed_out;
	struct timer timeout, tick;
	uint64_t next_us;
};

static float ls_gauss(uint32_t *x)
{
	float u1, u2;

	*x ^= *x << 13, *x ^= *x >> 17, *x ^= *x << 5;
	u1 = ((float)(*x >> 8) + 1.0f) / 16777217.0f;
	*x ^= *x << 13, *x ^= *x >> 17, *x ^= *x << 5;
	u2 = (float)(*x >> 8) / 16777216.0f;
	return sqrtf(-2.0f * logf(u1)) * cosf(6.2831853f * u2);
}

static void ls_group_start(struct ls_sess *s)
{
	dtmf_gen_put(s->gen, s->run->groups[s->group]);
	s->state = LS_SEND;
}

static void ls_group_done(struct ls_sess *s)
{
	const struct ls_opts *o = s->run->o;

	s->group++;
	s->wait_from = s->t + TDM_BLOCK_MS;
	if (s->group == s->run->n_groups) {
		s->state = LS_LINGER;
		s->next_at = s->t + o->linger_ms;
	} else {
		s->state = LS_WAIT;
		s->next_at = s->t + o->gap_ms;
	}
}

static void ls_finish(struct ls_sess *s)
{
	s->leg = NULL;
	s->state = LS_DONE;
	tdm_bearer_enable(s->span, s->ts, false);
}

/* What to do at this block, before its reply is made. */
static void ls_step(struct ls_sess *s)
{
	const struct ls_opts *o = s->run->o;

	if (s->state == LS_WAIT) {
		if (!o->wait_prompts) {
			if (s->t >= s->next_at)
				ls_group_start(s);
		} else if (s->onset_at != LS_NONE && s->onset_at >= s->wait_from) {
			ls_group_start(s);
		} else if (s->t >= s->wait_from + o->prompt_timeout_ms) {
			s->waits_timed_out++;
			ls_group_start(s);
		}
	} else if (s->state == LS_LINGER && s->t >= s->next_at) {
		call_leg_release(s->leg, CAUSE_NORMAL);
		ls_finish(s);
	}
}

/* The reply block: key tones, noise, echo of what was heard. */
static void ls_reply(struct ls_sess *s)
{
	const int16_t *heard = s->heard;
	struct ls_run *run = s->run;
	int16_t tone[TDM_BLOCK_BYTES] = { 0 };
	uint8_t blk[TDM_BLOCK_BYTES];
	float v[TDM_BLOCK_BYTES];

	if (s->state == LS_SEND &&
	    dtmf_gen_tx(s->gen, tone, TDM_BLOCK_BYTES) < TDM_BLOCK_BYTES)
		ls_group_done(s);
	for (unsigned i = 0; i < TDM_BLOCK_BYTES; i++) {
		v[i] = tone[i];
		if (run->o->noise)
			v[i] += run->noise_rms * ls_gauss(&s->rng);
		if (run->o->echo)
			v[i] += run->echo_gain * heard[i];
		tone[i] = dtmf_sat16(v[i]);
	}
	memset(s->heard, 0, sizeof(s->heard));
	if (tdm_span_law(s->span) == TDM_LAW_ALAW)
		g711_alaw_encode_buf(blk, tone, TDM_BLOCK_BYTES);
	else
		g711_ulaw_encode_buf(blk, tone, TDM_BLOCK_BYTES);
	tdm_bearer_write(s->span, s->ts, blk);
}

static bool ls_bearer_rx(void *user, struct tdm_span *span, unsigned ts, const uint8_t *blk)
{
	struct ls_run *run = user;
	struct ls_sess *s = NULL;
	int16_t pcm[TDM_BLOCK_BYTES];
	long sum = 0;
	bool loud;

	for (unsigned i = 0; i < run->n && !s; i++)
		if (run->s[i].leg && run->s[i].span == span && run->s[i].ts == ts)
			s = &run->s[i];
	if (!s)
		return false;
	if (tdm_span_law(span) == TDM_LAW_ALAW)
		g711_alaw_decode_buf(pcm, blk, TDM_BLOCK_BYTES);
	else
		g711_ulaw_decode_buf(pcm, blk, TDM_BLOCK_BYTES);
	if (!s->answered)
		return true;
	if (s->rec && s->rec_len < LAB_REC_MAX) {
		memcpy(s->rec + s->rec_len, blk, TDM_BLOCK_BYTES);
		s->rec_len += TDM_BLOCK_BYTES;
	}
	for (unsigned i = 0; i < TDM_BLOCK_BYTES; i++)
		sum += labs((long)pcm[i]);
	loud = sum / TDM_BLOCK_BYTES >= run->o->loud;
	if (loud && !s->prev_loud) {
		s->onset_at = s->t;
		s->prompts++;
	}
	s->loud_blocks += loud;
	s->prev_loud = loud;
	memcpy(s->heard, pcm, sizeof(s->heard));
	return true;
}

/* Every 20 ms (catching up after a late round): one block per answered session. */
static void ls_tick(struct timer *t, void *user)
{
	struct ls_run *run = user;

	while (run->next_us <= clock_now_us()) {
		for (unsigned i = 0; i < run->n; i++) {
			struct ls_sess *s = &run->s[i];

			if (!s->leg || !s->answered)
				continue;
			ls_step(s);
			if (s->leg)
				ls_reply(s);
			s->t += TDM_BLOCK_MS;
		}
		run->next_us += TDM_BLOCK_MS * 1000ull;
	}
	timer_schedule_at_us(&run->tick, run->next_us);
}

/* Two blocks of silence ahead: replies are written as blocks arrive, so a late reply
 * then waits in the queue instead of the span sending idle in the middle of a key
 * (which would split the key in two). */
static void ls_prime(struct ls_sess *s)
{
	uint8_t idle[TDM_BLOCK_BYTES];

	memset(idle, tdm_law_idle(tdm_span_law(s->span)), sizeof(idle));
	for (int i = 0; i < 2; i++)
		tdm_bearer_write(s->span, s->ts, idle);
}

static void ls_answered(void *user, struct call_leg *leg)
{
	struct ls_sess *s = user;

	ls_prime(s);

	s->answered = true;
	s->state = LS_WAIT;
	s->t = 0;
	s->wait_from = 0;
	s->onset_at = LS_NONE;
	s->next_at = s->run->o->first_ms;
}

static void ls_released(void *user, struct call_leg *leg, int cause)
{
	struct ls_sess *s = user;

	s->released_by_far = true;
	s->cause = cause;
	ls_finish(s);
}

static const struct call_leg_ops ls_leg_ops = {
	.answered = ls_answered,
	.released = ls_released,
};

/* from + i, keeping the length ("0312345600" + 3 = "0312345603") */
static void ls_number(char *out, size_t len, const char *from, unsigned i)
{
	size_t n = strlen(from);

	str_copy(out, from, len);
	for (size_t k = n; k-- > 0 && i;) {
		unsigned d = (unsigned)(out[k] - '0') + i % 10;

		i /= 10;
		if (d > 9) {
			d -= 10;
			i++;
		}
		out[k] = (char)('0' + d);
	}
}

static int ls_start(struct ls_run *run, unsigned i)
{
	const struct ls_opts *o = run->o;
	struct ls_sess *s = &run->s[i];
	struct call_facts f;
	int cause;

	s->run = run;
	s->rng = 0x9e3779b9u * (i + 1);
	s->onset_at = LS_NONE;
	ls_number(s->from, sizeof(s->from), o->from, i);
	s->gen = dtmf_gen_alloc(&o->gen);
	if (!s->gen || (i == 0 && o->record && !(s->rec = malloc(LAB_REC_MAX))))
		return -ENOMEM;
	lab_facts(&f, s->from, o->to, false);
	s->leg = lab_setup_leg(run->lab, o->via, s->from, &f, &ls_leg_ops, s, &cause);
	if (!s->leg) {
		fprintf(stderr, "cfwd-lab: session %s: cannot originate: cause %d\n", s->from,
			cause);
		return -EIO;
	}
	s->span = call_leg_span(s->leg);
	s->ts = call_leg_timeslot(s->leg);
	tdm_bearer_enable(s->span, s->ts, true);
	run->n++;
	return 0;
}

static bool ls_over(struct lab *lab)
{
	struct ls_run *run = lab->bearer_tap_user;

	if (run->timed_out)
		return true;
	for (unsigned i = 0; i < run->n; i++)
		if (run->s[i].state != LS_DONE)
			return false;
	for (unsigned i = 0; i < lab->node->n_links; i++)
		if (isup_link_legs(lab->node->links[i]))
			return false;
	return true;
}

static bool ls_never(struct lab *lab)
{
	return false;
}

static void ls_timeout(struct timer *t, void *user)
{
	struct ls_run *run = user;

	fprintf(stderr, "cfwd-lab: session timeout\n");
	run->timed_out = true;
}

static int ls_write_record(struct ls_sess *s, const char *path)
{
	uint8_t hdr[WAV_HEADER_MAX];
	enum dtmf_law law = tdm_span_law(s->span) == TDM_LAW_ALAW ? DTMF_LAW_ALAW
								 : DTMF_LAW_ULAW;
	size_t h = wav_header(hdr, law, s->rec_len);
	FILE *f = fopen(path, "wb");
	int rc = 0;

	if (!f)
		return -errno;
	if (fwrite(hdr, 1, h, f) != h || fwrite(s->rec, 1, s->rec_len, f) != s->rec_len)
		rc = -EIO;
	if (fclose(f))
		rc = -EIO;
	return rc;
}

/* One line per session; 0 when it was answered and ended in time. */
static int ls_report(struct ls_run *run, struct ls_sess *s)
{
	printf("session %s -> %s: %s, keys %u/%u groups, guidance %.1f s in %u bursts, "
	       "%s%s, cause %d\n", s->from, run->o->to, s->answered ? "answered" : "not answered",
	       s->group, run->n_groups, s->loud_blocks * TDM_BLOCK_MS / 1000.0, s->prompts,
	       s->state != LS_DONE ? "still up" : s->released_by_far ? "released by cfwdd"
								: "caller hung up",
	       s->waits_timed_out ? " (a prompt never started)" : "",
	       s->released_by_far ? s->cause : CAUSE_NORMAL);
	return s->answered && s->state == LS_DONE ? 0 : 1;
}

static int ls_parse_keys(struct ls_run *run, const char *keys)
{
	char buf[512];
	char *save = NULL;

	str_copy(buf, keys, sizeof(buf));
	for (char *g = strtok_r(buf, " ,", &save); g; g = strtok_r(NULL, " ,", &save)) {
		if (run->n_groups == LS_GROUPS_MAX || strlen(g) >= LS_KEYS_MAX ||
		    strspn(g, DTMF_DIGITS) != strlen(g))
			return -EINVAL;
		str_copy(run->groups[run->n_groups++], g, LS_KEYS_MAX);
	}
	return 0;
}

static int ls_run(struct lab *lab, const struct ls_opts *o)
{
	struct ls_run *run = calloc(1, sizeof(*run));
	float a_lo = dtmf_dbm0_to_amp(o->gen.level_dbm0);
	float a_hi = dtmf_dbm0_to_amp(o->gen.level_dbm0 - o->gen.twist_db);
	int rc = 0;

	if (!run)
		return 1;
	run->lab = lab;
	run->o = o;
	run->noise_rms = sqrtf((a_lo * a_lo + a_hi * a_hi) / 2) * powf(10, -o->snr_db / 20);
	run->echo_gain = powf(10, o->echo_db / 20);
	if (ls_parse_keys(run, o->keys) < 0) {
		fprintf(stderr, "cfwd-lab: bad --keys '%s'\n", o->keys);
		free(run);
		return 2;
	}
	lab->bearer_tap = ls_bearer_rx;
	lab->bearer_tap_user = run;
	timer_setup(&run->timeout, lab->loop, ls_timeout, run);
	timer_schedule_ms(&run->timeout, o->timeout_ms);
	timer_setup(&run->tick, lab->loop, ls_tick, run);
	run->next_us = clock_now_us() + TDM_BLOCK_MS * 1000ull;
	timer_schedule_at_us(&run->tick, run->next_us);
	for (unsigned i = 0; i < o->count && rc == 0; i++)
		rc = ls_start(run, i) < 0;
	if (rc == 0)
		lab_run_until(lab, ls_over, (uint64_t)o->timeout_ms + 1000);
	timer_cancel(&run->timeout);
	timer_cancel(&run->tick);
	for (unsigned i = 0; i < run->n; i++)
		if (run->s[i].leg)
			call_leg_release(run->s[i].leg, CAUSE_NORMAL);
	lab_run_until(lab, ls_never, 150);	/* the last RLCs */
	if (lab->lad && ladder_finish(lab->lad) > 0)
		rc = 1;
	for (unsigned i = 0; i < run->n; i++)
		rc |= ls_report(run, &run->s[i]);
	if (run->timed_out)
		rc = 1;
	if (o->record && run->n && run->s[0].rec && ls_write_record(&run->s[0], o->record) < 0) {
		fprintf(stderr, "cfwd-lab: cannot write %s\n", o->record);
		rc = 1;
	}
	lab->bearer_tap = NULL;
	for (unsigned i = 0; i < LS_MAX; i++) {
		dtmf_gen_free(run->s[i].gen);
		free(run->s[i].rec);
	}
	free(run);
	return rc;
}

void lab_session_usage(FILE *f)
{
	fputs("  session --from A --to 142|ACCESS --keys \"2 0398765432 # 1\" [--wait-prompts]\n"
	      "       [--count N] [--level DBM0] [--twist DB] [--on MS] [--off MS] [--gap MS]\n"
	      "       [--first MS] [--noise SNR_DB] [--echo DB] [--linger S] [--record FILE]\n"
	      "       [--prompt-timeout S] [--timeout S] [--via LINKSET]\n"
	      "       call a service number and press the key groups as DTMF audio (tone\n"
	      "       level per low tone -10 dBm0, twist 0, on/off 80/80 ms, --gap 400 ms\n"
	      "       between groups, the first --first 300 ms after answer); --wait-prompts:\n"
	      "       each group waits for the next prompt to start (energy), at most\n"
	      "       --prompt-timeout (2.5 s); --noise: white noise SNR_DB below the\n"
	      "       tones; --echo: the guidance heard is looped back at DB (e.g. -10);\n"
	      "       after the last group listen --linger (1.5 s), then hang up; --count:\n"
	      "       N sessions at once from A, A+1, ...; --record: session 1's audio\n",
	      f);
}

static float opt_f(const char *s)
{
	return (float)atof(s);
}

int lab_session_main(struct lab *lab, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "keys", required_argument, NULL, 'k' }, { "via", required_argument, NULL, 'v' },
		{ "count", required_argument, NULL, 'n' },
		{ "wait-prompts", no_argument, NULL, 'w' },
		{ "level", required_argument, NULL, 'L' }, { "twist", required_argument, NULL, 'T' },
		{ "on", required_argument, NULL, 'o' }, { "off", required_argument, NULL, 'O' },
		{ "gap", required_argument, NULL, 'g' }, { "first", required_argument, NULL, 'F' },
		{ "noise", required_argument, NULL, 'N' }, { "echo", required_argument, NULL, 'e' },
		{ "linger", required_argument, NULL, 'l' }, { "record", required_argument, NULL, 'r' },
		{ "prompt-timeout", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 'x' },
		{ NULL, 0, NULL, 0 },
	};
	struct ls_opts o = {
		.count = 1, .gen = { .level_dbm0 = -10, .on_ms = 80, .off_ms = 80, .seed = 1 },
		.first_ms = 300, .gap_ms = 400, .prompt_timeout_ms = 2500, .linger_ms = 1500,
		.timeout_ms = 60000, .loud = 120,
	};
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'f': o.from = optarg; break;
		case 't': o.to = optarg; break;
		case 'k': o.keys = optarg; break;
		case 'v': o.via = optarg; break;
		case 'n': o.count = (unsigned)atoi(optarg); break;
		case 'w': o.wait_prompts = true; break;
		case 'L': o.gen.level_dbm0 = opt_f(optarg); break;
		case 'T': o.gen.twist_db = opt_f(optarg); break;
		case 'o': o.gen.on_ms = (unsigned)atoi(optarg); break;
		case 'O': o.gen.off_ms = (unsigned)atoi(optarg); break;
		case 'g': o.gap_ms = (unsigned)atoi(optarg); break;
		case 'F': o.first_ms = (unsigned)atoi(optarg); break;
		case 'N': o.noise = true; o.snr_db = opt_f(optarg); break;
		case 'e': o.echo = true; o.echo_db = opt_f(optarg); break;
		case 'l': o.linger_ms = (unsigned)(atof(optarg) * 1000); break;
		case 'r': o.record = optarg; break;
		case 'p': o.prompt_timeout_ms = (unsigned)(atof(optarg) * 1000); break;
		case 'x': o.timeout_ms = (unsigned)(atof(optarg) * 1000); break;
		default: return 2;
		}
	}
	if (!o.from || !o.to || !o.keys || !o.count || o.count > LS_MAX || !o.gen.on_ms)
		return 2;
	return ls_run(lab, &o);
}
