/* tests/test_fuzz_msu.c - fuzz the validator in front of a real libss7 2.0: >= 10,000
 * random and mutated ISUP MSUs (truncated, extended, bit-flipped, re-pointed, duplicated
 * parameters, over-long numbers, random bytes) per test. libss7 B (pc 1002, DAHDIMTP2) is
 * aligned with a second libss7 A (pc 1001), then the test drives MTP2 for A itself.
 * Test 1 hands each MSU to msu_validate() and B's socketpair directly; test 2 sends them
 * over a UDP sim span through the link relay whose hook validates and neutralizes, as
 * cfwdd does. Asserts: no crash (run under `make asan`), no over-long number passes or
 * yields an IAM event, the link still carries a valid IAM at the end.
 * Seed: FUZZ_SEED (default 1); count: FUZZ_COUNT (default 12000). */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libss7.h>

#include "core/clock.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "isup/msu.h"
#include "isup/msu_enc.h"
#include "tests/fixture_msu.h"
#include "tests/fixture_sim.h"
#include "tests/fixture_ss7.h"

#define PC_A 1001
#define PC_B 1002
#define OVERLONG_CIC 3000	/* over-long-number IAMs use CICs 3000..3099 */

struct side {
	struct fx_point pt;	/* libss7's end */
	int drv;		/* our end */
};

struct fuzz {
	struct side a, b;
	/* B's last sent header: BSN/BIB say what it expects from us next, FSN/FIB what
	 * we acknowledge */
	uint8_t b_bsn, b_bib, b_fsn, b_fib;
	unsigned iam_events, events, overlong_iam_events, b_msus_acked;
	char last_called[64];
	unsigned last_iam_cic;
	struct msu_stats st;
	unsigned overlong_made, sent_to_libss7, neutralized, skipped;
	/* test 2: the sim span between A and B; drv is where we play A's MTP2 */
	struct loop *loop;
	struct tdm_span *span_a, *span_b;
	struct tdm_link *link_a, *link_b;
	int drv;
	bool expect_overlong, overlong_passed;
};

static void side_open(struct side *s, unsigned pc, unsigned adj)
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	s->drv = sv[1];
	assert_int_equal(fx_point_open(&s->pt, sv[0], SS7_TRANSPORT_DAHDIMTP2, pc, adj), 0);
}

/* B's events: every one counted, the IAMs read. */
static void b_event(void *user, struct fx_point *p, ss7_event *e)
{
	struct fuzz *f = user;

	f->events++;
	if (e->e != ISUP_EVENT_IAM)
		return;
	f->iam_events++;
	f->last_iam_cic = (unsigned)e->iam.cic;
	snprintf(f->last_called, sizeof(f->last_called), "%s", e->iam.called_party_num);
	if (e->iam.cic >= OVERLONG_CIC && e->iam.cic < OVERLONG_CIC + 100)
		f->overlong_iam_events++;
}

/* Let libss7 read, write and run its timers. */
static void side_service(struct fuzz *f, struct side *s)
{
	fx_point_service(&s->pt, 64, s == &f->b ? b_event : NULL, f);
}

static ssize_t drv_recv(int fd, uint8_t *buf, size_t len)
{
	return recv(fd, buf, len, MSG_DONTWAIT);
}

static void note_b(struct fuzz *f, const uint8_t *su)
{
	f->b_bsn = su[0] & 0x7f;
	f->b_bib = su[0] >> 7;
	f->b_fsn = su[1] & 0x7f;
	f->b_fib = su[1] >> 7;
}

/* Move datagrams through the sim span and relays (test 2), and let B work. */
static void pump(struct fuzz *f)
{
	int i;

	for (i = 0; f->loop && i < 3; i++) {
		loop_run_once(f->loop, 0);
		side_service(f, &f->b);
	}
	side_service(f, &f->b);
}

/* Phase 1: A and B align; test 1 forwards every SU both ways, test 2 has the span. */
static void align(struct fuzz *f)
{
	uint8_t buf[512];
	int i;

	for (i = 0; i < 30000 && !(f->a.pt.up && f->b.pt.up); i++) {
		if (f->loop) {
			loop_run_once(f->loop, 1);
			side_service(f, &f->a);
			side_service(f, &f->b);
			continue;
		}
		ssize_t n;

		side_service(f, &f->a);
		side_service(f, &f->b);
		while ((n = drv_recv(f->a.drv, buf, sizeof(buf))) > 0)
			send(f->b.drv, buf, (size_t)n, 0);
		while ((n = drv_recv(f->b.drv, buf, sizeof(buf))) > 0) {
			if (n >= 5)
				note_b(f, buf);
			send(f->a.drv, buf, (size_t)n, 0);
		}
		usleep(1000);
	}
}

/* Phase 2: read what B wrote; acknowledge its MSUs with a FISU as A's MTP2 would. */
static void drain_b(struct fuzz *f)
{
	uint8_t buf[512];
	ssize_t n;

	pump(f);
	while ((n = drv_recv(f->drv, buf, sizeof(buf))) >= 5) {
		if (!f->loop)	/* test 2 notes B's SUs in B's hook, as they are sent */
			note_b(f, buf);
		if ((buf[2] & 0x3f) >= 3) {	/* an MSU from B: ack it */
			uint8_t fisu[5] = { buf[1], (uint8_t)(f->b_bsn | f->b_bib << 7), 0, 0,
					    0 };

			send(f->drv, fisu, sizeof(fisu), 0);
			f->b_msus_acked++;
			pump(f);
		}
	}
}

/* Hand one SU (FCS stripped) to B in sequence, after the validator's verdict. */
static void inject(struct fuzz *f, uint8_t *su, size_t len, bool overlong)
{
	struct isup_msg_view v;
	struct msu_verdict vd;

	if (len < 3)
		return;
	su[0] = (uint8_t)(f->b_fsn | f->b_fib << 7);	/* ack B's last SU */
	su[1] = (uint8_t)(((f->b_bsn + 1) & 0x7f) | f->b_bib << 7);
	if (f->loop) {		/* test 2: B's relay hook validates */
		f->expect_overlong = overlong;
		f->overlong_made += overlong;
		su[len] = su[len + 1] = 0;
		assert_true(send(f->drv, su, len + 2, 0) == (ssize_t)(len + 2));
		f->sent_to_libss7++;
		drain_b(f);
		return;
	}
	vd = msu_validate(su, len, &v);
	msu_stats_count(&f->st, &vd);
	if (overlong) {
		f->overlong_made++;
		assert_int_not_equal(vd.action, MSU_PASS);
	}
	if (vd.action != MSU_PASS) {
		len = msu_neutralize(su, len, 300);
		f->neutralized++;
		if (!len)
			return;
	} else if (vd.kind != MTP2_MSU || v.si != 5) {
		f->skipped++;	/* FISU/LSSU/SNM/SNT: not what we fuzz libss7 with */
		return;
	}
	su[len] = su[len + 1] = 0;	/* FCS */
	assert_true(send(f->drv, su, len + 2, 0) == (ssize_t)(len + 2));
	f->sent_to_libss7++;
	drain_b(f);
}

static unsigned rnd(unsigned n)
{
	return n ? (unsigned)rand() % n : 0;
}

static size_t seed_msu(uint8_t *su, size_t cap)
{
	size_t ntypes;
	const uint8_t *types = msu_enc_sample_types(&ntypes);

	return msu_enc_sample(su, cap, types[rnd((unsigned)ntypes)], rnd(3),
			      (uint16_t)(1 + rnd(64)));
}

static size_t overlong_iam(uint8_t *su, size_t cap)
{
	unsigned n = 17 + rnd(90), which = rnd(4);
	struct msu_iam_spec s = { .opc = PC_A, .dpc = PC_B,
				  .cic = (uint16_t)(OVERLONG_CIC + rnd(100)),
				  .called = "0398765432", .calling = "0311112222" };

	return fx_overlong_iam(su, cap, s, n, which);
}

/* Mutate beyond the routing label (offset 8), where ISUP lives; sometimes the LI. */
static size_t mutate(uint8_t *su, size_t len, size_t cap)
{
	unsigned op = rnd(8), i, k;

	if (len <= 11)
		return len;
	switch (op) {
	case 0:		/* truncate */
		len = 8 + rnd((unsigned)len - 8);
		break;
	case 1:		/* extend with random bytes */
		k = 1 + rnd(40);
		for (i = 0; i < k && len < cap - 2; i++)
			su[len++] = (uint8_t)rnd(256);
		break;
	case 2:		/* flip bits */
		for (k = 1 + rnd(4), i = 0; i < k; i++)
			su[8 + rnd((unsigned)len - 8)] ^= (uint8_t)(1u << rnd(8));
		break;
	case 3:		/* random byte (pointers, lengths, codes) */
		su[11 + rnd((unsigned)len - 11)] = (uint8_t)rnd(256);
		break;
	case 4:		/* duplicate the tail (parameters twice, no end) */
		k = rnd((unsigned)len - 8);
		if (len + k < cap - 2) {
			memmove(su + len, su + len - k, k);
			len += k;
		}
		break;
	case 5:		/* wrong LI */
		su[2] = (uint8_t)rnd(64);
		return len;
	case 6:		/* pointer past the end */
		su[11] = (uint8_t)(len + rnd(200));
		break;
	default:	/* two mutations */
		len = mutate(su, len, cap);
		return mutate(su, len, cap);
	}
	su[2] = (uint8_t)(len - 3 < 63 ? len - 3 : 63);
	return len;
}

/* B's relay hook in test 2: what cfwdd's link does with every SU. */
static bool b_hook(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
		   size_t *len, size_t cap)
{
	struct fuzz *f = user;
	struct msu_verdict vd;

	if (dir == TDM_SU_TX) {
		if (*len >= 3)
			note_b(f, su);
		return true;
	}
	vd = msu_validate(su, *len, NULL);
	msu_stats_count(&f->st, &vd);
	if (f->expect_overlong && vd.kind == MTP2_MSU) {
		f->overlong_passed |= vd.action == MSU_PASS;
		f->expect_overlong = false;
	}
	if (vd.action == MSU_PASS)
		return true;
	f->neutralized++;
	*len = msu_neutralize(su, *len, cap);
	return *len > 0;
}

static void ss7_open(struct side *s, int fd, unsigned pc, unsigned adj)
{
	assert_int_equal(fx_point_open(&s->pt, fd, SS7_TRANSPORT_DAHDIMTP2, pc, adj), 0);
}

static void fuzz_run(struct fuzz *f)
{
	unsigned seed = getenv("FUZZ_SEED") ? (unsigned)atoi(getenv("FUZZ_SEED")) : 1;
	unsigned count = getenv("FUZZ_COUNT") ? (unsigned)atoi(getenv("FUZZ_COUNT")) : 12000;
	uint8_t su[320];
	unsigned i;
	size_t len;
	struct msu_iam_spec good = { .opc = PC_A, .dpc = PC_B, .cic = 1234,
				     .called = "0398765432", .calling = "0311112222" };

	srand(seed);
	align(f);
	assert_true(f->b.pt.up);
	print_message("  -- libss7 B aligned with A; now %u MSUs, seed %u\n", count, seed);

	for (i = 0; i < count; i++) {
		unsigned kind = rnd(10);
		bool overlong = false;

		if (kind == 0) {	/* random bytes behind a valid label */
			len = 8 + rnd(280);
			len = seed_msu(su, sizeof(su)) >= 8 ? len : 0;
			for (size_t j = 8; j < len; j++)
				su[j] = (uint8_t)rnd(256);
			if (len)
				su[2] = (uint8_t)(len - 3 < 63 ? len - 3 : 63);
		} else if (kind == 1) {
			len = overlong_iam(su, sizeof(su));
			overlong = len > 0;
		} else {
			len = seed_msu(su, sizeof(su));
			if (kind > 3)
				len = mutate(su, len, sizeof(su) - 2);
		}
		inject(f, su, len, overlong);
	}

	print_message("  -- %llu seen: %llu passed, %llu dropped, %llu IAMs rejected (cause 28);"
		      " %u over-long made, %u neutralized, %u sent, %u B events, "
		      "%u IAM events\n",
		      (unsigned long long)f->st.seen, (unsigned long long)f->st.passed,
		      (unsigned long long)f->st.dropped, (unsigned long long)f->st.rejected_iam,
		      f->overlong_made, f->neutralized, f->sent_to_libss7, f->events,
		      f->iam_events);
	for (i = 1; i < MSU_REASON_COUNT; i++)
		if (f->st.by_reason[i])
			print_message("     %-16s %llu\n", msu_reason_name((enum msu_reason)i),
				      (unsigned long long)f->st.by_reason[i]);
	assert_true(f->st.seen >= count * 99 / 100);	/* the relay refuses SUs > 280 */
	assert_true(count < 5000 || f->overlong_made > 500);
	assert_false(f->overlong_passed);
	assert_int_equal(f->overlong_iam_events, 0);
	assert_true(f->st.passed > count / 10);
	assert_true(f->st.dropped + f->st.rejected_iam > count / 10);

	print_message("  -- and after all that, a valid IAM still gets through\n");
	len = msu_enc_iam(su, sizeof(su), &good);
	inject(f, su, len, false);
	assert_int_equal(f->last_iam_cic, 1234);
	assert_string_equal(f->last_called, "0398765432");
}

static void test_fuzzed_msus_never_crash_libss7_and_long_numbers_never_reach_it(void **state)
{
	struct fuzz *f = calloc(1, sizeof(*f));

	fx_ss7_quiet();
	side_open(&f->a, PC_A, PC_B);
	side_open(&f->b, PC_B, PC_A);
	f->drv = f->b.drv;
	fuzz_run(f);
	free(f);
}

static void test_fuzzed_msus_over_a_sim_span_through_the_relay_hook(void **state)
{
	struct fuzz *f = calloc(1, sizeof(*f));
	unsigned base = fx_free_port_base(2, 30);

	fx_ss7_quiet();
	f->loop = loop_alloc();
	f->span_a = fx_sim_end(f->loop, "A", base, 0, TDM_LAW_ULAW, NULL, NULL);
	f->span_b = fx_sim_end(f->loop, "B", base, 1, TDM_LAW_ULAW, NULL, NULL);
	f->link_a = tdm_link_open(f->span_a, 16, 0, NULL, NULL, NULL);
	f->link_b = tdm_link_open(f->span_b, 16, 1, b_hook, NULL, f);
	ss7_open(&f->a, tdm_link_fd(f->link_a), PC_A, PC_B);
	ss7_open(&f->b, tdm_link_fd(f->link_b), PC_B, PC_A);
	f->drv = tdm_link_fd(f->link_a);	/* after alignment A's libss7 is not read */
	fuzz_run(f);
	tdm_span_close(f->span_a);
	tdm_span_close(f->span_b);
	loop_free(f->loop);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzzed_msus_never_crash_libss7_and_long_numbers_never_reach_it),
		cmocka_unit_test(test_fuzzed_msus_over_a_sim_span_through_the_relay_hook),
	};

	return cmocka_run_group_tests_name("fuzz_msu", tests, NULL, NULL);
}
