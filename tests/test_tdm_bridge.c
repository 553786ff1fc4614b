/* tests/test_tdm_bridge.c - cross-connects between sim spans of different G.711 laws: a
 * µ-law caller (s0) -> node s1 ts 1 == s2 ts 5 -> A-law callee (s3). Every code crosses
 * transcoded exactly as tdm_law_convert() says; the tables are the nearest same-signed
 * level of the other law (checked against tdm-dtmf's G.711 decoders); speech survives
 * µ -> A -> µ within one A-law step; same-law cross-connects stay byte-exact.
 * Ports from CFWD_PORT_BASE (+40), else probed at random. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "tdm-dtmf/g711.h"
#include "tests/fixture_sim.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")
#define KEEP 64		/* non-idle blocks kept per end */

struct end {
	struct tdm_span *span;
	unsigned nblk;
	uint8_t blk[KEEP][TDM_BLOCK_BYTES];
};

struct fix {
	struct loop *loop;
	unsigned port_base;
	struct end e[4];
};

/* Idle (or transcoded idle) blocks are uniform; the test's blocks never are. */
static void on_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct end *e = user;
	unsigned i;

	(void)s;
	(void)ts;
	for (i = 1; i < TDM_BLOCK_BYTES && blk[i] == blk[0]; i++)
		;
	if (i == TDM_BLOCK_BYTES || e->nblk == KEEP)
		return;
	memcpy(e->blk[e->nblk++], blk, TDM_BLOCK_BYTES);
}

static const struct tdm_span_events events = { NULL, on_rx };

/* Ends 0/1 and 2/3 are sim pairs; ends 1 and 2 are the node's spans. */
static void open_ends(struct fix *f, enum tdm_law law01, enum tdm_law law23)
{
	char name[16];
	unsigned i;

	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		f->e[i].span = fx_sim_end(f->loop, name, f->port_base, i, i < 2 ? law01 : law23,
					  &events, &f->e[i]);
	}
}

/* Caller s0 ts 1 and callee s3 ts 5, cross-connected at the node s1 ts 1 == s2 ts 5. */
static void connect_call(struct fix *f)
{
	fx_run_ms(f->loop, 100);
	assert_true(tdm_span_is_up(f->e[1].span) && tdm_span_is_up(f->e[2].span));
	assert_int_equal(tdm_bearer_enable(f->e[0].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[1].span, 1, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[2].span, 5, true), 0);
	assert_int_equal(tdm_bearer_enable(f->e[3].span, 5, true), 0);
	assert_int_equal(tdm_bearer_bridge(f->e[1].span, 1, f->e[2].span, 5), 0);
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	fake_clock_enable(1000000, 1700000000);
	f->loop = loop_alloc();
	f->port_base = fx_free_port_base(4, 40);
	*state = f;
	return f->loop ? 0 : -1;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	int i;

	for (i = 0; i < 4; i++)
		tdm_span_close(f->e[i].span);
	loop_free(f->loop);
	fake_clock_disable();
	free(f);
	return 0;
}

/* Blocks 0 and 1 hold all 256 codes (0..159, then 96..255). */
static void all_codes(uint8_t blk[2][TDM_BLOCK_BYTES])
{
	unsigned i;

	for (i = 0; i < TDM_BLOCK_BYTES; i++) {
		blk[0][i] = (uint8_t)i;
		blk[1][i] = (uint8_t)(96 + i);
	}
}

static void test_every_code_crosses_a_law_boundary_as_the_table_says(void **state)
{
	struct fix *f = *state;
	uint8_t in[2][TDM_BLOCK_BYTES], want[TDM_BLOCK_BYTES];
	int i;

	open_ends(f, TDM_LAW_ULAW, TDM_LAW_ALAW);
	connect_call(f);
	all_codes(in);

	step("µ-law caller s0 sends all 256 codes -> s1 == s2 -> A-law callee s3");
	for (i = 0; i < 2; i++)
		assert_int_equal(tdm_bearer_write(f->e[0].span, 1, in[i]), 0);
	step("A-law callee s3 sends all 256 codes -> s2 == s1 -> µ-law caller s0");
	for (i = 0; i < 2; i++)
		assert_int_equal(tdm_bearer_write(f->e[3].span, 5, in[i]), 0);
	fx_run_ms(f->loop, 120);

	step("each arrives converted code by code, in order, once");
	assert_int_equal(f->e[3].nblk, 2);
	assert_int_equal(f->e[0].nblk, 2);
	for (i = 0; i < 2; i++) {
		tdm_law_convert(TDM_LAW_ULAW, TDM_LAW_ALAW, want, in[i], TDM_BLOCK_BYTES);
		assert_memory_equal(f->e[3].blk[i], want, TDM_BLOCK_BYTES);
		tdm_law_convert(TDM_LAW_ALAW, TDM_LAW_ULAW, want, in[i], TDM_BLOCK_BYTES);
		assert_memory_equal(f->e[0].blk[i], want, TDM_BLOCK_BYTES);
	}
	assert_int_equal(f->e[1].nblk + f->e[2].nblk, 0);	/* relayed, not delivered */
}

/* |decoded(to) - decoded(from)| is the least over all same-signed codes of the other law. */
static void check_nearest(int16_t (*dec_from)(uint8_t), int16_t (*dec_to)(uint8_t),
			  enum tdm_law from, enum tdm_law to)
{
	unsigned c, k;
	uint8_t in, out;

	for (c = 0; c < 256; c++) {
		int v, got;

		in = (uint8_t)c;
		tdm_law_convert(from, to, &out, &in, 1);
		v = dec_from(in);
		got = abs(dec_to(out) - v);
		if (v)	/* the sign survives (µ-law's zeros have none) */
			assert_true((dec_to(out) < 0) == (v < 0));
		for (k = 0; k < 256; k++)
			if ((dec_to((uint8_t)k) < 0) == (dec_to(out) < 0) &&
			    abs(dec_to((uint8_t)k) - v) < got)
				fail_msg("code %02x: %02x is nearer than %02x", c, k, out);
	}
}

static void test_the_tables_map_each_code_to_the_nearest_level_of_the_other_law(void **state)
{
	uint8_t in[4] = { 0xff, 0x7f, 0x80, 0x00 }, out[4];

	(void)state;
	step("µ -> A and A -> µ: nearest same-signed level (tdm-dtmf decoders as the reference)");
	check_nearest(g711_ulaw_decode, g711_alaw_decode, TDM_LAW_ULAW, TDM_LAW_ALAW);
	check_nearest(g711_alaw_decode, g711_ulaw_decode, TDM_LAW_ALAW, TDM_LAW_ULAW);

	step("µ-law +0/-0 -> A-law idle codes; the loudest codes -> the loudest codes");
	tdm_law_convert(TDM_LAW_ULAW, TDM_LAW_ALAW, out, in, 4);
	assert_int_equal(out[0], 0xd5);
	assert_int_equal(out[1], 0x55);
	assert_int_equal(out[2], 0xaa);	/* µ +max -> A +max */
	assert_int_equal(out[3], 0x2a);	/* µ -max -> A -max */
	step("A-law idle -> the smallest µ-law level (+8/32768), not +0");
	tdm_law_convert(TDM_LAW_ALAW, TDM_LAW_ULAW, out, (const uint8_t[]){ 0xd5 }, 1);
	assert_int_equal(out[0], 0xfe);
	step("same law: a copy");
	tdm_law_convert(TDM_LAW_ALAW, TDM_LAW_ALAW, out, in, 4);
	assert_memory_equal(out, in, 4);
}

/* A-law step (quantisation interval) at the level of A-law code a, 16-bit scale. */
static int alaw_step(uint8_t a)
{
	int seg = ((a ^ 0x55) >> 4) & 7;

	return seg < 2 ? 16 : 16 << (seg - 1);
}

/* Speech-like: two formant-ish tones under a slow syllable envelope, -30..-6 dBm0. */
static void speech(int16_t *x, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++) {
		double t = i / 8000.0, env = 0.05 + 0.45 * fabs(sin(2 * M_PI * 3.0 * t));

		x[i] = (int16_t)(env * (16000 * sin(2 * M_PI * 440 * t) +
					6000 * sin(2 * M_PI * 1270 * t + 1.0)));
	}
}

static void test_speech_survives_a_round_trip_through_a_law_within_one_a_law_step(void **state)
{
	struct fix *f = *state;
	int16_t x[10 * TDM_BLOCK_BYTES];
	uint8_t u[10][TDM_BLOCK_BYTES];
	double sig = 0, err = 0;
	unsigned b, i, worst = 0;

	open_ends(f, TDM_LAW_ULAW, TDM_LAW_ALAW);
	connect_call(f);
	speech(x, 10 * TDM_BLOCK_BYTES);
	for (b = 0; b < 10; b++)
		g711_ulaw_encode_buf(u[b], x + b * TDM_BLOCK_BYTES, TDM_BLOCK_BYTES);

	step("200 ms of µ-law speech: s0 -> s3 (A-law), which sends back what it heard");
	for (b = 0; b < 5; b++)
		assert_int_equal(tdm_bearer_write(f->e[0].span, 1, u[b]), 0);
	fx_run_ms(f->loop, 120);
	for (b = 5; b < 10; b++)
		assert_int_equal(tdm_bearer_write(f->e[0].span, 1, u[b]), 0);
	for (b = 0; b < f->e[3].nblk; b++)
		assert_int_equal(tdm_bearer_write(f->e[3].span, 5, f->e[3].blk[b]), 0);
	fx_run_ms(f->loop, 120);
	for (b = 5; b < 10; b++)
		assert_int_equal(tdm_bearer_write(f->e[3].span, 5, f->e[3].blk[b]), 0);
	fx_run_ms(f->loop, 120);
	assert_int_equal(f->e[3].nblk, 10);
	assert_int_equal(f->e[0].nblk, 10);

	step("back at s0: within one A-law step of what it sent, every sample");
	for (b = 0; b < 10; b++)
		for (i = 0; i < TDM_BLOCK_BYTES; i++) {
			int sent = g711_ulaw_decode(u[b][i]), back = g711_ulaw_decode(f->e[0].blk[b][i]);
			unsigned d = (unsigned)abs(back - sent);

			if (d > (unsigned)alaw_step(f->e[3].blk[b][i]))
				fail_msg("block %u sample %u: %d came back %d", b, i, sent, back);
			worst = d > worst ? d : worst;
			sig += (double)sent * sent;
			err += (double)d * d;
		}
	step("tandem µ -> A -> µ: SNR %.1f dB, worst sample %u/32768", 10 * log10(sig / err), worst);
	assert_true(10 * log10(sig / err) > 30.0);
}

static void test_same_law_cross_connects_stay_byte_exact(void **state)
{
	struct fix *f = *state;
	uint8_t in[2][TDM_BLOCK_BYTES];
	enum tdm_law law;
	int i;

	all_codes(in);
	for (law = TDM_LAW_ULAW; law <= TDM_LAW_ALAW; law++) {
		step("%s <-> %s: all 256 codes each way", tdm_law_name(law), tdm_law_name(law));
		open_ends(f, law, law);
		connect_call(f);
		for (i = 0; i < 2; i++) {
			assert_int_equal(tdm_bearer_write(f->e[0].span, 1, in[i]), 0);
			assert_int_equal(tdm_bearer_write(f->e[3].span, 5, in[i]), 0);
		}
		fx_run_ms(f->loop, 120);
		assert_int_equal(f->e[3].nblk, 2);
		assert_int_equal(f->e[0].nblk, 2);
		for (i = 0; i < 2; i++) {
			assert_memory_equal(f->e[3].blk[i], in[i], TDM_BLOCK_BYTES);
			assert_memory_equal(f->e[0].blk[i], in[i], TDM_BLOCK_BYTES);
		}
		for (i = 0; i < 4; i++) {
			tdm_span_close(f->e[i].span);
			memset(&f->e[i], 0, sizeof(f->e[i]));
		}
		fx_run_ms(f->loop, 20);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_every_code_crosses_a_law_boundary_as_the_table_says, setup, teardown),
		cmocka_unit_test(
			test_the_tables_map_each_code_to_the_nearest_level_of_the_other_law),
		cmocka_unit_test_setup_teardown(
			test_speech_survives_a_round_trip_through_a_law_within_one_a_law_step, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_same_law_cross_connects_stay_byte_exact, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("tdm_bridge", tests, NULL, NULL);
}
