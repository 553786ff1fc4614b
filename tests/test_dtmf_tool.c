/* tests/test_dtmf_tool.c - the cfwd-dtmf program as a user runs it: gen then detect
 * through WAV and raw files in each law, and the error contract of detect (one line on
 * stderr, nothing on stdout, exit 2). Runs $BUILD/cfwd-dtmf (BUILD defaults to build). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tdm-dtmf/wav.h"

struct tool {
	char dir[64];
	char prog[256];
	char out[4096], err[4096];
};

static void step(const char *what)
{
	printf("  -- %s\n", what);
}

static int setup(void **state)
{
	struct tool *t = calloc(1, sizeof(*t));
	const char *build = getenv("BUILD");

	snprintf(t->dir, sizeof(t->dir), "/tmp/test_dtmf_tool.XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->prog, sizeof(t->prog), "%s/cfwd-dtmf", build && *build ? build : "build");
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct tool *t = *state;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd))
		return -1;
	free(t);
	return 0;
}

static void slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;

	buf[n] = '\0';
	if (f)
		fclose(f);
}

/* Runs cfwd-dtmf with args in the temporary directory; returns its exit status,
 * output in t->out and t->err. */
static int run(struct tool *t, const char *args)
{
	char cmd[1536], o[128], e[128], cwd[512] = "";
	int rc;

	snprintf(o, sizeof(o), "%s/stdout", t->dir);
	snprintf(e, sizeof(e), "%s/stderr", t->dir);
	if (t->prog[0] != '/')	/* relative to the repository root we run from */
		assert_non_null(getcwd(cwd, sizeof(cwd) - 1));
	strcat(cwd, "/");
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s%s' %s >stdout 2>stderr", t->dir,
		 t->prog[0] == '/' ? "" : cwd, t->prog, args);
	rc = system(cmd);
	slurp(o, t->out, sizeof(t->out));
	slurp(e, t->err, sizeof(t->err));
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The digits column of detect's output. */
static void digits_of(const char *out, char *digits)
{
	unsigned ms;
	char d;
	int used;

	while (sscanf(out, "%u %c\n%n", &ms, &d, &used) == 2) {
		*digits++ = d;
		out += used;
	}
	*digits = '\0';
	assert_string_equal(out, "");	/* nothing but "<ms> <digit>" lines */
}

static void round_trip(struct tool *t, const char *law, const char *file, const char *dlaw)
{
	char args[256], digits[64];

	snprintf(args, sizeof(args), "gen --digits 0312#9*ABCD --law %s --level -20 %s", law, file);
	assert_int_equal(run(t, args), 0);
	snprintf(args, sizeof(args), "detect %s %s", dlaw, file);
	assert_int_equal(run(t, args), 0);
	assert_string_equal(t->err, "");
	digits_of(t->out, digits);
	assert_string_equal(digits, "0312#9*ABCD");
}

static void test_gen_then_detect_through_wav_and_raw_in_each_law(void **state)
{
	struct tool *t = *state;
	char digits[8];
	unsigned a, b, c;

	step("WAV files: the header decides the law, whatever --law says");
	round_trip(t, "ulaw", "u.wav", "");
	round_trip(t, "alaw", "a.wav", "--law ulaw");
	round_trip(t, "slin16", "s.wav", "");
	step("raw files: --law decides, µ-law by default");
	round_trip(t, "ulaw", "u.raw", "");
	round_trip(t, "alaw", "a.raw", "--law alaw");
	round_trip(t, "slin16", "s.raw", "--law slin16");
	step("start times: 50 ms on / 50 ms off from 0, so 0, 100, 200 ms (+-3)");
	assert_int_equal(run(t, "gen --digits 147 --on 50 --off 50 x.wav"), 0);
	assert_int_equal(run(t, "detect x.wav"), 0);
	assert_int_equal(sscanf(t->out, "%u 1\n%u 4\n%u 7\n", &a, &b, &c), 3);
	assert_in_range(a, 0, 3);
	assert_in_range(b, 97, 103);
	assert_in_range(c, 197, 203);
	step("a 15 ms burst is not a digit");
	assert_int_equal(run(t, "gen --digits 5 --on 15 --off 100 short.wav"), 0);
	assert_int_equal(run(t, "detect short.wav"), 0);
	digits_of(t->out, digits);
	assert_string_equal(digits, "");
}

static void write_bytes(struct tool *t, const char *name, const void *p, size_t n)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void expect_error(struct tool *t, const char *args, const char *what)
{
	assert_int_equal(run(t, args), 2);
	assert_string_equal(t->out, "");
	assert_non_null(strstr(t->err, what));
	if (strchr(t->err, '\n') != t->err + strlen(t->err) - 1)
		fail_msg("%s: not one line on stderr: \"%s\"", args, t->err);
}

static void test_detect_rejects_bad_files_with_one_line_and_exit_2(void **state)
{
	struct tool *t = *state;
	uint8_t wav[WAV_HEADER_MAX + 1600] = { 0 };
	size_t h = wav_header(wav, DTMF_LAW_SLIN16, 800);

	step("a missing file");
	expect_error(t, "detect nosuchfile.wav", "nosuchfile.wav");
	step("an unreadable path (a directory)");
	expect_error(t, "detect .", ".");
	step("a 16 kHz WAV");
	wav[24] = 0x80;	/* 16000 = 0x3e80 */
	wav[25] = 0x3e;
	write_bytes(t, "r16k.wav", wav, h + 1600);
	expect_error(t, "detect r16k.wav", "8000");
	step("a stereo WAV");
	h = wav_header(wav, DTMF_LAW_SLIN16, 800);
	wav[22] = 2;
	write_bytes(t, "stereo.wav", wav, h + 1600);
	expect_error(t, "detect stereo.wav", "mono");
	step("an 8-bit PCM WAV, a WAV cut inside its header, a WAV without data");
	h = wav_header(wav, DTMF_LAW_SLIN16, 800);
	wav[34] = 8;
	write_bytes(t, "pcm8.wav", wav, h + 1600);
	expect_error(t, "detect pcm8.wav", "encoding");
	h = wav_header(wav, DTMF_LAW_ULAW, 800);
	write_bytes(t, "cut.wav", wav, 30);
	expect_error(t, "detect cut.wav", "cut.wav");
	write_bytes(t, "nodata.wav", wav, h - 8);
	expect_error(t, "detect nodata.wav", "data");
	step("raw 16-bit audio of odd length");
	memset(wav, 0x55, sizeof(wav));
	write_bytes(t, "odd.raw", wav, 333);
	expect_error(t, "detect --law slin16 odd.raw", "odd");
	step("usage errors: unknown law, bad digits; no file prints the usage");
	expect_error(t, "detect --law g729 odd.raw", "g729");
	expect_error(t, "gen --digits 12x3 bad.raw", "12x3");
	assert_int_equal(run(t, "detect"), 2);
	assert_string_equal(t->out, "");
	assert_non_null(strstr(t->err, "usage: cfwd-dtmf detect"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gen_then_detect_through_wav_and_raw_in_each_law),
		cmocka_unit_test(test_detect_rejects_bad_files_with_one_line_and_exit_2),
	};

	return cmocka_run_group_tests_name("dtmf_tool", tests, setup, teardown);
}
