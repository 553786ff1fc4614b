/* tests/soak/soak_abuse.c - remote-control abuse, measured: an attacker on many lines
 * tries PINs across many subscriber numbers (some exist, most do not) through the real
 * remote-control dialogue, store (argon2id "interactive") and PIN-check workers, on the
 * real clock. Figures: the time from the last PIN key to the rejection for existing
 * vs unknown numbers (median, p90, difference), lockouts taking effect (a locked number
 * refuses even the right PIN, in the same words), the words of every rejection, PINs in
 * the log. Prints "figure NAME VALUE" lines; exit 1 when a bound is broken. Not a unit
 * test (it takes seconds and depends on the machine); run by tests/soak/soak_abuse.sh. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/clock.h"
#include "core/log.h"
#include "core/loop.h"
#include "feature/cfwd/pin_check.h"
#include "feature/cfwd/remote.h"

#define LINES 8
#define KNOWN 8
#define PIN "4826"

struct line {
	struct cfwd_remote *rm;
	char heard[256];
	bool verdict, ended;
	uint64_t t_pin_us, t_verdict_us;
};

static char logged[1 << 20];
static size_t logged_len;

static void log_capture(void *user, enum log_subsys ss, enum log_level lvl, const char *line)
{
	size_t n = strlen(line);

	if (logged_len + n + 2 < sizeof(logged)) {
		memcpy(logged + logged_len, line, n);
		logged_len += n;
		logged[logged_len++] = '\n';
		logged[logged_len] = 0;
	}
}

static void on_play(void *user, const struct prompt_seq *seq)
{
	struct line *ln = user;
	char text[256];

	prompt_seq_format(seq, text, sizeof(text));
	if (ln->t_pin_us && !ln->verdict) {
		ln->verdict = true;
		ln->t_verdict_us = clock_now_us();
		snprintf(ln->heard, sizeof(ln->heard), "%s", text);
	}
}

static void on_stop(void *user)
{
}

static void on_end(void *user, int cause)
{
	((struct line *)user)->ended = true;
}

static const struct cfwd_ivr_ops ops = { .play = on_play, .stop_prompt = on_stop, .end = on_end };

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double pct(uint64_t *v, size_t n, unsigned p)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return n ? v[(n - 1) * p / 100] / 1000.0 : 0;
}

/* One attempt on a line: number # PIN; returns the time to the verdict in us. */
static uint64_t attempt(struct loop *l, struct cfwd_remote_conf *conf, struct line *ln,
			const char *caller, const char *num, const char *pin)
{
	memset(ln, 0, sizeof(*ln));
	ln->rm = cfwd_remote_start(l, conf, &ops, ln, caller);
	if (!ln->rm)
		return 0;
	cfwd_remote_prompt_done(ln->rm);
	for (const char *k = num; *k; k++)
		cfwd_remote_digit(ln->rm, *k);
	cfwd_remote_digit(ln->rm, '#');
	cfwd_remote_prompt_done(ln->rm);
	for (const char *k = pin; *k; k++) {
		if (!k[1])
			ln->t_pin_us = clock_now_us();
		cfwd_remote_digit(ln->rm, *k);
	}
	while (!ln->verdict)
		loop_run_once(l, 50);
	cfwd_remote_hangup(ln->rm);
	loop_run_once(l, 0);
	return ln->t_verdict_us - ln->t_pin_us;
}

static int failures;

/* pin somewhere in the log as a token of its own (not inside a longer number) */
static bool in_log(const char *pin)
{
	size_t n = strlen(pin);

	for (const char *p = strstr(logged, pin); p; p = strstr(p + 1, pin)) {
		bool before = p > logged && p[-1] >= '0' && p[-1] <= '9';
		bool after = p[n] >= '0' && p[n] <= '9';

		if (!before && !after)
			return true;
	}
	return false;
}

static void figure(const char *name, double v, const char *op, double bound)
{
	bool ok = !strcmp(op, "<=") ? v <= bound : !strcmp(op, ">=") ? v >= bound : v == bound;

	printf("figure %s %.2f (%s %.2f) %s\n", name, v, op, bound, ok ? "ok" : "FAIL");
	failures += !ok;
}

int main(int argc, char **argv)
{
	unsigned rounds = argc > 1 ? (unsigned)atoi(argv[1]) : 40;
	struct cfwd_remote_conf conf = { 0 };
	char path[] = "/tmp/cfwd-abuse-XXXXXX", err[256], num[24], p2[64];
	uint64_t *t_known = calloc(rounds, 8), *t_unknown = calloc(rounds, 8);
	struct store_opts o;
	struct line ln;
	struct loop *l;
	int fd;

	if (sodium_init() < 0 || !t_known || !t_unknown)
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = mkstemp(path);
	close(fd);
	unlink(path);
	log_set_all(LOGL_INFO);
	log_set_sink(log_capture, NULL);
	l = loop_alloc();
	store_opts_default(&o);	/* argon2id interactive, lockout 3 for 60 min */
	conf.store = store_open_opts(path, &o, err, sizeof(err));
	conf.checker = pin_check_alloc(l, 2, 16);
	if (!l || !conf.store || !conf.checker) {
		fprintf(stderr, "soak-abuse: %s\n", conf.store ? "no loop/workers" : err);
		return 2;
	}
	for (int i = 0; i < KNOWN; i++) {
		snprintf(num, sizeof(num), "03120001%02d", i);
		store_sub_add(conf.store, STORE_WHO_CFWDCTL, num, true);
		store_set_remote(conf.store, STORE_WHO_CFWDCTL, num, true, PIN);
	}

	/* wrong PINs on existing numbers (each number gets at most 2 per round, the store
	 * locks at 3: the numbers rotate) vs unknown numbers, interleaved */
	char heard_known[256] = "", heard_unknown[256] = "";
	unsigned same = 0;

	for (unsigned r = 0; r < rounds; r++) {
		char caller[16], pin[5];

		snprintf(caller, sizeof(caller), "0905550%04u", r % LINES);
		snprintf(pin, sizeof(pin), "%04u", 7000 + r % 1000);
		snprintf(num, sizeof(num), "03120001%02u", r % KNOWN);
		t_known[r] = attempt(l, &conf, &ln, caller, num, pin);
		snprintf(heard_known, sizeof(heard_known), "%s", ln.heard);
		snprintf(num, sizeof(num), "03129%05u", r);
		t_unknown[r] = attempt(l, &conf, &ln, caller, num, pin);
		snprintf(heard_unknown, sizeof(heard_unknown), "%s", ln.heard);
		same += !strcmp(heard_known, heard_unknown);
	}
	double mk = pct(t_known, rounds, 50), mu = pct(t_unknown, rounds, 50);
	double k90 = pct(t_known, rounds, 90), u90 = pct(t_unknown, rounds, 90);

	printf("time to rejection, existing numbers: median %.1f ms p90 %.1f ms\n", mk, k90);
	printf("time to rejection, unknown numbers:  median %.1f ms p90 %.1f ms\n", mu, u90);
	printf("rejection heard: \"%s\"\n", heard_unknown);
	figure("rejections_identical_pct", 100.0 * same / rounds, ">=", 100);
	figure("median_diff_pct", 100.0 * (mk > mu ? mk - mu : mu - mk) / (mu ? mu : 1), "<=", 5);

	/* every existing number has had wrong PINs from several lines: locked now */
	struct cfwd_sub sub;
	unsigned locked = 0;

	for (int i = 0; i < KNOWN; i++) {
		snprintf(num, sizeof(num), "03120001%02d", i);
		if (store_sub_get(conf.store, num, &sub) == 0 && sub.locked_until > clock_wall_s())
			locked++;
	}
	figure("numbers_locked_of_8", locked, ">=", rounds >= 3 * KNOWN ? KNOWN : 0);
	snprintf(num, sizeof(num), "0312000100");
	attempt(l, &conf, &ln, "09010009999", num, PIN);
	printf("right PIN on a locked number: \"%s\"\n", ln.heard);
	figure("locked_right_pin_rejected_same_words", !strcmp(ln.heard, heard_unknown) ||
	       rounds < 3 * KNOWN, "==", 1);
	figure("pin_in_log", in_log(PIN), "==", 0);
	for (unsigned r = 0; r < rounds; r++) {
		char pin[5];

		snprintf(pin, sizeof(pin), "%04u", 7000 + r % 1000);
		if (in_log(pin)) {
			printf("a tried PIN %s is in the log\n", pin);
			failures++;
			break;
		}
	}
	pin_check_free(conf.checker);
	store_close(conf.store);
	loop_free(l);
	unlink(path);
	snprintf(p2, sizeof(p2), "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof(p2), "%s-shm", path);
	unlink(p2);
	free(t_known);
	free(t_unknown);
	return failures ? 1 : 0;
}
