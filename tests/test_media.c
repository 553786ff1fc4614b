/* tests/test_media.c - voice guidance and in-band DTMF of media sessions: the prompt
 * catalogue covers every prompt id in both languages, prompt sets refuse missing or
 * wrong files by name, the player's blocks, gaps, stop and finish, sessions detecting
 * keys in received G.711. Echo of our own guidance is in test_media_echo.c. Uses the
 * prompts rendered into $(BUILD)/prompts by the build. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/conf.h"
#include "core/log.h"
#include "media/player.h"
#include "media/prompt_set.h"
#include "media/session.h"
#include "tdm-dtmf/dtmf_gen.h"
#include "tdm-dtmf/g711.h"
#include "tests/fixture_prompts.h"

#ifndef MEDIA_PROMPTS_BASE
#define MEDIA_PROMPTS_BASE "build/prompts"
#endif

static struct prompt_set *set_en, *set_ja;

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

/* ---- catalogue ---------------------------------------------------------------- */

/* Names of conf/prompts/LANG.txt, in order; returns how many. */
static int catalogue_names(const char *lang, char names[][64], int max, char *texts_kanji)
{
	char path[128], line[2048];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "conf/prompts/%s.txt", lang);
	f = fopen(path, "r");
	assert_non_null(f);
	*texts_kanji = 0;
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');

		assert_non_null(tab);
		assert_true(tab[1] != '\n' && tab[1] != 0);
		*tab = 0;
		assert_true(n < max);
		assert_true(strlen(line) < 64);
		memcpy(names[n++], line, strlen(line) + 1);
		/* CJK unified ideographs U+4E00..U+9FFF: UTF-8 lead bytes E4..E9 */
		for (const unsigned char *p = (const unsigned char *)tab + 1; *p; p++) {
			if (*p >= 0xe4 && *p <= 0xe9)
				*texts_kanji = 1;
		}
	}
	fclose(f);
	return n;
}

static void check_catalogue(const char *lang)
{
	char names[PROMPT_COUNT + 8][64];
	char kanji;
	int n = catalogue_names(lang, names, PROMPT_COUNT + 8, &kanji);

	printf("     %s: %d prompts\n", lang, n);
	assert_int_equal(n, PROMPT_COUNT - 1); /* every id but PROMPT_NUMBER */
	for (int id = 0; id < PROMPT_COUNT; id++) {
		int hits = 0;

		for (int i = 0; i < n; i++)
			hits += strcmp(names[i], prompt_name((enum prompt_id)id)) == 0;
		if (id == PROMPT_NUMBER)
			assert_int_equal(hits, 0);
		else if (hits != 1)
			fail_msg("%s: prompt '%s' appears %d times", lang,
				 prompt_name((enum prompt_id)id), hits);
	}
	if (!strcmp(lang, "ja"))
		assert_int_equal(kanji, 0);
}

static void test_catalogue_covers_every_prompt_id_in_both_languages(void **state)
{
	step("conf/prompts/en.txt and ja.txt: one line per prompt id, no missing, no extra");
	check_catalogue("en");
	check_catalogue("ja");
	step("The Japanese texts are kana only (espeak-ng reads kanji as Chinese)");
}

/* ---- prompt sets -------------------------------------------------------------- */

static void test_rendered_prompts_load_at_speech_level(void **state)
{
	const struct prompt_set *sets[2] = { set_en, set_ja };

	step("Both languages load: 8 kHz mono PCM16, every prompt non-empty");
	for (int l = 0; l < 2; l++) {
		printf("     %s: %zu s of guidance\n", prompt_set_dir(sets[l]),
		       prompt_set_samples(sets[l]) / 8000);
		for (int id = 0; id < PROMPT_COUNT; id++) {
			const struct prompt_audio *a = prompt_set_get(sets[l], (enum prompt_id)id);
			double e = 0;
			int pk = 0;

			if (id == PROMPT_NUMBER) {
				assert_null(a);
				continue;
			}
			assert_non_null(a);
			assert_true(a->n > 800); /* > 100 ms */
			for (size_t i = 0; i < a->n; i++) {
				e += (double)a->pcm[i] * a->pcm[i];
				pk = abs(a->pcm[i]) > pk ? abs(a->pcm[i]) : pk;
			}
			/* peaks under full scale, speech well above the noise floor */
			assert_true(pk < 32000 && pk > 8000);
			assert_true(10 * log10(e / a->n / (32768.0 * 32768.0)) > -35);
			assert_int_equal(a->ulaw[0], g711_ulaw_encode(a->pcm[0]));
			assert_int_equal(a->alaw[a->n - 1], g711_alaw_encode(a->pcm[a->n - 1]));
		}
	}
}

/* A temp directory with links to every rendered en prompt except skip. */
static void make_dir_without(char *dir, size_t len, const char *skip)
{
	char src[512], dst[512], cwd[256];

	snprintf(dir, len, "/tmp/cfwd-media-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	for (int id = 0; id < PROMPT_COUNT; id++) {
		const char *name = prompt_name((enum prompt_id)id);

		if (id == PROMPT_NUMBER || !strcmp(name, skip))
			continue;
		snprintf(src, sizeof(src), "%s/%s/en/%s.wav", cwd, MEDIA_PROMPTS_BASE, name);
		snprintf(dst, sizeof(dst), "%s/%s.wav", dir, name);
		assert_int_equal(symlink(src, dst), 0);
	}
}

static void rm_dir(const char *dir)
{
	char p[512];

	for (int id = 0; id < PROMPT_COUNT; id++) {
		snprintf(p, sizeof(p), "%s/%s.wav", dir, prompt_name((enum prompt_id)id));
		unlink(p);
	}
	rmdir(dir);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A 44-byte WAV header + samples of the given format. */
static void write_wav(const char *path, unsigned rate, unsigned chans, unsigned bits)
{
	uint8_t b[44 + 320] = { 0 };
	uint32_t data = 320, v;

	memcpy(b, "RIFF", 4);
	v = 36 + data;
	memcpy(b + 4, &v, 4);
	memcpy(b + 8, "WAVEfmt ", 8);
	v = 16;
	memcpy(b + 16, &v, 4);
	b[20] = 1;
	b[22] = (uint8_t)chans;
	memcpy(b + 24, &rate, 4);
	v = rate * chans * bits / 8;
	memcpy(b + 28, &v, 4);
	b[32] = (uint8_t)(chans * bits / 8);
	b[34] = (uint8_t)bits;
	memcpy(b + 36, "data", 4);
	memcpy(b + 40, &data, 4);
	write_file(path, b, sizeof(b));
}

static void test_missing_prompt_file_is_refused_by_name(void **state)
{
	char dir[64], err[512], want[600];
	struct prompt_set *ps;

	step("menu.wav is missing: loading fails and names the file");
	make_dir_without(dir, sizeof(dir), "menu");
	ps = prompt_set_load(dir, err, sizeof(err));
	assert_null(ps);
	printf("     error: %s\n", err);
	snprintf(want, sizeof(want), "%s/menu.wav: No such file or directory", dir);
	assert_string_equal(err, want);

	step("menu.wav is 16 kHz: refused as not 8 kHz mono PCM16");
	snprintf(want, sizeof(want), "%s/menu.wav", dir);
	write_wav(want, 16000, 1, 16);
	assert_null(prompt_set_load(dir, err, sizeof(err)));
	printf("     error: %s\n", err);
	assert_non_null(strstr(err, "/menu.wav: not 8 kHz mono PCM16"));

	step("stereo, 8-bit, and a text file are refused too");
	write_wav(want, 8000, 2, 16);
	assert_null(prompt_set_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "/menu.wav: not 8 kHz mono PCM16"));
	write_wav(want, 8000, 1, 8);
	assert_null(prompt_set_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "/menu.wav: not 8 kHz mono PCM16"));
	write_file(want, "hello\n", 6);
	assert_null(prompt_set_load(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "/menu.wav: not a WAV file"));

	step("unreadable (a directory): the system's reason, named");
	unlink(want);
	assert_int_equal(mkdir(want, 0700), 0);
	assert_null(prompt_set_load(dir, err, sizeof(err)));
	printf("     error: %s\n", err);
	assert_non_null(strstr(err, "/menu.wav: "));
	rmdir(want);

	step("8 kHz mono PCM16 is accepted");
	write_wav(want, 8000, 1, 16);
	ps = prompt_set_load(dir, err, sizeof(err));
	assert_non_null(ps);
	assert_int_equal(prompt_set_get(ps, PROMPT_MENU)->n, 160);
	prompt_set_free(ps);
	rm_dir(dir);
}

static void test_language_is_chosen_in_config(void **state)
{
	char err[512], text[256];
	struct prompt_set *ps;
	struct conf *c;

	step("[media] language = en, prompts = the build's directory");
	snprintf(text, sizeof(text), "[media]\nprompts = %s\nlanguage = en\n", MEDIA_PROMPTS_BASE);
	c = conf_load_string("t.conf", text, err, sizeof(err));
	assert_non_null(c);
	ps = prompt_set_load_conf(c, err, sizeof(err));
	assert_non_null(ps);
	assert_non_null(strstr(prompt_set_dir(ps), "/en"));
	assert_int_equal(conf_check_unused(c, err, sizeof(err)), 0);
	prompt_set_free(ps);
	conf_free(c);

	step("language = fr is refused with the line");
	c = conf_load_string("t.conf", "[media]\nlanguage = fr\n", err, sizeof(err));
	assert_non_null(c);
	assert_null(prompt_set_load_conf(c, err, sizeof(err)));
	printf("     error: %s\n", err);
	assert_non_null(strstr(err, "t.conf:2"));
	conf_free(c);

	step("a prompts directory that does not exist names the first file");
	c = conf_load_string("t.conf", "[media]\nprompts = /nonexistent\n", err, sizeof(err));
	assert_non_null(c);
	assert_null(prompt_set_load_conf(c, err, sizeof(err)));
	assert_string_equal(err, "/nonexistent/ja/welcome.wav: No such file or directory");
	conf_free(c);
}

/* ---- player ------------------------------------------------------------------- */

struct done_rec {
	int n;
	struct media_player *p;
	const struct prompt_seq *again; /* played from inside done() once */
};

static void on_done(void *user)
{
	struct done_rec *r = user;

	r->n++;
	if (r->again) {
		assert_int_equal(media_player_play(r->p, r->again), 0);
		r->again = NULL;
	}
}

/* Blocks until done() was called (at most max). */
static size_t play_out(struct media_player *p, struct done_rec *r, size_t max)
{
	uint8_t blk[MEDIA_BLOCK];
	int n0 = r->n;
	size_t k = 0;

	while (r->n == n0 && k < max) {
		media_player_tx(p, blk);
		k++;
	}
	return k;
}

static void test_player_plays_a_prompt_then_reports_finished(void **state)
{
	const struct prompt_audio *a = prompt_set_get(set_en, PROMPT_WELCOME);
	struct done_rec r = { 0 };
	struct media_player p;
	struct prompt_seq seq;
	uint8_t blk[MEDIA_BLOCK];
	size_t blocks;

	assert_int_equal(media_player_init(&p, set_en, DTMF_LAW_ULAW, on_done, &r), 0);
	r.p = &p;
	step("Idle: µ-law silence");
	media_player_tx(&p, blk);
	for (int i = 0; i < MEDIA_BLOCK; i++)
		assert_int_equal(blk[i], 0xff);
	step("welcome: the blocks are the prompt's µ-law samples, 20 ms at a time");
	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, PROMPT_WELCOME);
	assert_int_equal(media_player_play(&p, &seq), 0);
	assert_true(media_player_busy(&p));
	media_player_tx(&p, blk);
	assert_memory_equal(blk, a->ulaw, MEDIA_BLOCK);
	media_player_tx(&p, blk);
	assert_memory_equal(blk, a->ulaw + MEDIA_BLOCK, MEDIA_BLOCK);
	blocks = 2 + play_out(&p, &r, 100000);
	step("finished exactly once, in the block holding its last sample");
	assert_int_equal(r.n, 1);
	assert_int_equal(blocks, (a->n + MEDIA_BLOCK - 1) / MEDIA_BLOCK);
	assert_false(media_player_busy(&p));
	assert_int_equal(media_player_seq_ms(set_en, &seq), a->n / 8);
	media_player_tx(&p, blk);
	assert_int_equal(r.n, 1);
}

static void test_number_is_read_digit_by_digit_with_gaps(void **state)
{
	struct done_rec r = { 0 };
	struct media_player p, q;
	struct prompt_seq seq, one;
	int16_t got[MEDIA_BLOCK], want[MEDIA_BLOCK];
	uint64_t ms;
	size_t blocks;

	media_player_init(&p, set_ja, DTMF_LAW_ALAW, on_done, &r);
	r.p = &p;
	step("readback_prefix <0398765432> confirm, in Japanese");
	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, PROMPT_READBACK_PREFIX);
	prompt_seq_add_number(&seq, "0398765432");
	prompt_seq_add(&seq, PROMPT_CONFIRM);
	ms = media_player_seq_ms(set_ja, &seq);
	printf("     lasts %llu ms\n", (unsigned long long)ms);
	assert_int_equal(media_player_play(&p, &seq), 0);
	blocks = play_out(&p, &r, 100000);
	assert_int_equal(r.n, 1);
	assert_int_equal(blocks, (ms * 8 + MEDIA_BLOCK - 1) / MEDIA_BLOCK);

	step("The linear output is prefix, item gap, digit 0, digit gap, digit 3 ...");
	media_player_init(&q, set_ja, DTMF_LAW_ALAW, NULL, NULL);
	prompt_seq_reset(&one);
	prompt_seq_add_number(&one, "03");
	media_player_play(&q, &one);
	{
		const struct prompt_audio *d0 = prompt_set_get(set_ja, PROMPT_DIGIT_0);
		const struct prompt_audio *d3 = prompt_set_get(set_ja, PROMPT_DIGIT_3);
		size_t total = d0->n + MEDIA_DIGIT_GAP_MS * 8 + d3->n, pos = 0;
		int16_t *all = calloc(total + MEDIA_BLOCK, sizeof(int16_t));

		assert_non_null(all);
		while (media_player_busy(&q)) {
			media_player_tx_pcm(&q, got);
			memcpy(all + pos, got, sizeof(got));
			pos += MEDIA_BLOCK;
		}
		assert_memory_equal(all, d0->pcm, d0->n * 2);
		for (size_t i = d0->n; i < d0->n + MEDIA_DIGIT_GAP_MS * 8; i++)
			assert_int_equal(all[i], 0);
		assert_memory_equal(all + d0->n + MEDIA_DIGIT_GAP_MS * 8, d3->pcm, d3->n * 2);
		free(all);
	}
	(void)want;

	step("A number with a non-digit is refused; nothing changes");
	prompt_seq_reset(&one);
	prompt_seq_add_number(&one, "03#");
	assert_int_equal(media_player_play(&q, &one), -EINVAL);
	assert_false(media_player_busy(&q));
}

static void test_stop_and_replace_are_not_reported(void **state)
{
	struct done_rec r = { 0 };
	struct media_player p;
	struct prompt_seq menu, done;
	uint8_t blk[MEDIA_BLOCK];

	media_player_init(&p, set_en, DTMF_LAW_ALAW, on_done, &r);
	r.p = &p;
	prompt_seq_reset(&menu);
	prompt_seq_add(&menu, PROMPT_MENU);
	prompt_seq_reset(&done);
	prompt_seq_add(&done, PROMPT_DONE);
	step("menu plays; a key stops it (barge-in): A-law silence at once, no report");
	media_player_play(&p, &menu);
	for (int i = 0; i < 10; i++)
		media_player_tx(&p, blk);
	media_player_stop(&p);
	media_player_tx(&p, blk);
	for (int i = 0; i < MEDIA_BLOCK; i++)
		assert_int_equal(blk[i], 0xd5);
	assert_int_equal(r.n, 0);
	step("menu replaced by done: only done is reported, once");
	media_player_play(&p, &menu);
	media_player_tx(&p, blk);
	media_player_play(&p, &done);
	play_out(&p, &r, 100000);
	assert_int_equal(r.n, 1);
	step("play() from inside done() starts at the next block");
	r.again = &done;
	media_player_play(&p, &done);
	play_out(&p, &r, 100000);
	assert_int_equal(r.n, 2);
	assert_true(media_player_busy(&p));
	media_player_tx(&p, blk);
	assert_memory_equal(blk, prompt_set_get(set_en, PROMPT_DONE)->alaw, MEDIA_BLOCK);
	play_out(&p, &r, 100000);
	assert_int_equal(r.n, 3);
	step("An empty sequence finishes at the next block");
	prompt_seq_reset(&menu);
	media_player_play(&p, &menu);
	media_player_tx(&p, blk);
	assert_int_equal(r.n, 4);
}

/* ---- sessions: detection in received audio ----------------------------------- */

struct chan_rec {
	struct media_session *ms;
	char digits[128];
	int n_digits;
	int n_done;
	bool close_on_digit;
};

static void rec_digit(void *user, char d)
{
	struct chan_rec *r = user;

	if (r->n_digits < (int)sizeof(r->digits) - 1)
		r->digits[r->n_digits++] = d;
	if (r->close_on_digit)
		media_session_close(r->ms);
}

static void rec_done(void *user)
{
	struct chan_rec *r = user;

	r->n_done++;
}

static const struct media_session_ops rec_ops = { .digit = rec_digit, .prompt_done = rec_done };

/* The next 20 ms of gen's keys as a µ-law block. */
static void key_block(struct dtmf_gen *gen, uint8_t *rx)
{
	int16_t pcm[MEDIA_BLOCK];
	size_t k = dtmf_gen_tx(gen, pcm, MEDIA_BLOCK);

	memset(pcm + k, 0, (MEDIA_BLOCK - k) * sizeof(int16_t));
	g711_ulaw_encode_buf(rx, pcm, MEDIA_BLOCK);
}

static void test_session_detects_keys_in_received_blocks(void **state)
{
	struct dtmf_gen_params gp = {
		.level_dbm0 = -20, .twist_db = 2, .on_ms = 60, .off_ms = 60, .seed = 7
	};
	struct media_group *g = media_group_alloc(4, DTMF_LAW_ULAW, set_en);
	struct dtmf_gen *gen[2] = { dtmf_gen_alloc(&gp), dtmf_gen_alloc(&gp) };
	struct chan_rec r[2] = { 0 };
	uint8_t rx[MEDIA_BLOCK], tx[MEDIA_BLOCK];

	assert_non_null(g);
	step("Two sessions on channels 0 and 3 of one group (one DTMF bank)");
	r[0].ms = media_session_open(g, 0, &rec_ops, &r[0]);
	r[1].ms = media_session_open(g, 3, &rec_ops, &r[1]);
	assert_non_null(r[0].ms);
	assert_non_null(r[1].ms);
	assert_null(media_session_open(g, 3, &rec_ops, &r[1]));
	assert_int_equal(errno, EBUSY);
	assert_null(media_session_open(g, 4, &rec_ops, &r[1]));
	assert_int_equal(errno, EINVAL);
	assert_int_equal(media_group_open_count(g), 2);

	step("Caller 0 keys 2 0398765432 #, caller 3 keys 4 3 1 (-20 dBm0, 60/60 ms)");
	dtmf_gen_put(gen[0], "20398765432#");
	dtmf_gen_put(gen[1], "431");
	for (int blk = 0; blk < 100; blk++) {
		for (int c = 0; c < 2; c++) {
			key_block(gen[c], rx);
			assert_int_equal(media_session_rx(r[c].ms, rx), 0);
			media_session_tx(r[c].ms, tx);
		}
	}
	printf("     <- chan 0: %s, chan 3: %s\n", r[0].digits, r[1].digits);
	assert_string_equal(r[0].digits, "20398765432#");
	assert_string_equal(r[1].digits, "431");

	step("Channel 3 is a block ahead of channel 0: both still detect, in order");
	dtmf_gen_put(gen[0], "5");
	dtmf_gen_put(gen[1], "6");
	for (int blk = 0; blk < 20; blk++) {
		for (int c = 1; c >= 0; c--) {
			key_block(gen[c], rx);
			media_session_rx(r[c].ms, rx);
			if (blk == 0 && c == 1)
				media_session_rx(r[c].ms, rx); /* an extra block */
		}
	}
	media_group_flush(g);
	assert_string_equal(r[0].digits, "20398765432#5");
	assert_string_equal(r[1].digits, "4316");

	step("Closing from inside the digit callback: no more callbacks, rx refused");
	r[0].close_on_digit = true;
	dtmf_gen_put(gen[0], "77");
	for (int blk = 0; blk < 20; blk++) {
		key_block(gen[0], rx);
		if (media_session_rx(r[0].ms, rx) == -ESHUTDOWN)
			break;
		media_session_rx(r[1].ms, rx);
	}
	assert_string_equal(r[0].digits, "20398765432#57");
	assert_int_equal(media_group_open_count(g), 1);
	step("The channel is free again and starts with a fresh detector");
	assert_non_null(media_session_open(g, 0, &rec_ops, &r[0]));
	dtmf_gen_free(gen[0]);
	dtmf_gen_free(gen[1]);
	media_group_free(g);
}

static void replay_welcome(void *user)
{
	struct chan_rec *r = user;
	struct prompt_seq seq;

	r->n_done++;
	prompt_seq_reset(&seq);
	prompt_seq_add(&seq, PROMPT_WELCOME);
	prompt_seq_add(&seq, PROMPT_MENU);
	media_session_play(r->ms, &seq);
}

static const struct media_session_ops alaw_ops = { .digit = rec_digit,
						   .prompt_done = replay_welcome };

static void test_alaw_span_detects_keys_over_its_own_echo(void **state)
{
	struct media_group *g = media_group_alloc(2, DTMF_LAW_ALAW, set_ja);
	struct dtmf_gen_params gp = {
		.level_dbm0 = -30, .twist_db = 6, .on_ms = 100, .off_ms = 100, .seed = 21
	};
	struct dtmf_gen *gen = dtmf_gen_alloc(&gp);
	struct media_session_stats st;
	struct chan_rec r = { 0 };
	uint8_t tx[MEDIA_BLOCK], prev[MEDIA_BLOCK], rx[MEDIA_BLOCK];
	int16_t keys[MEDIA_BLOCK];

	assert_non_null(g);
	assert_non_null(gen);
	step("An A-law span: guidance looped back 20 ms late at -10 dB, then keys over it");
	r.ms = media_session_open(g, 1, &alaw_ops, &r);
	replay_welcome(&r);
	memset(prev, 0xd5, sizeof(prev));
	for (int b = 0; b < 50 * 12; b++) {
		size_t k = 0;

		if (b == 100)
			dtmf_gen_put(gen, "0123456789*#ABCD");
		if (b >= 100)
			k = dtmf_gen_tx(gen, keys, MEDIA_BLOCK);
		memset(keys + k, 0, (MEDIA_BLOCK - k) * sizeof(int16_t));
		for (int i = 0; i < MEDIA_BLOCK; i++)
			rx[i] = g711_alaw_encode(
				dtmf_sat16(g711_alaw_decode(prev[i]) * 0.316f + keys[i]));
		media_session_rx(r.ms, rx);
		media_session_tx(r.ms, tx);
		memcpy(prev, tx, sizeof(tx));
	}
	media_session_get_stats(r.ms, &st);
	printf("     <- echo path %d blocks, gain %.2f; heard %s\n", st.echo_lag, st.echo_gain,
	       r.digits);
	assert_int_equal(st.echo_lag, 0); /* the block sent in the previous round */
	assert_string_equal(r.digits, "0123456789*#ABCD");
	dtmf_gen_free(gen);
	media_group_free(g);
}

static int group_setup(void **state)
{
	log_set_all(LOGL_NOTICE);
	set_en = fx_prompts("en");
	set_ja = fx_prompts("ja");
	return 0;
}

static int group_teardown(void **state)
{
	prompt_set_free(set_en);
	prompt_set_free(set_ja);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_covers_every_prompt_id_in_both_languages),
		cmocka_unit_test(test_rendered_prompts_load_at_speech_level),
		cmocka_unit_test(test_missing_prompt_file_is_refused_by_name),
		cmocka_unit_test(test_language_is_chosen_in_config),
		cmocka_unit_test(test_player_plays_a_prompt_then_reports_finished),
		cmocka_unit_test(test_number_is_read_digit_by_digit_with_gaps),
		cmocka_unit_test(test_stop_and_replace_are_not_reported),
		cmocka_unit_test(test_session_detects_keys_in_received_blocks),
		cmocka_unit_test(test_alaw_span_detects_keys_over_its_own_echo),
	};

	return cmocka_run_group_tests_name("media", tests, group_setup, group_teardown);
}
