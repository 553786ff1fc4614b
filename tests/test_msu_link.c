/* tests/test_msu_link.c - the whole signalling path of one sim span: two real libss7
 * instances (A pc 1001, B pc 1002, DAHDIMTP2) on the two ends of a UDP sim span, every
 * SU passing the relay hook with the validator and the pcap tap. MTP2 aligns; a forwarded
 * IAM reaches B and reads back from the pcap with tshark; an IAM whose OCN is longer than
 * Q.763 allows is neutralized before B's libss7 (B sees no IAM, the hook reports cause
 * 28), and the link keeps working. Real clock (libss7's timers); ports from CFWD_PORT_BASE. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libss7.h>

#include "core/clock.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "isup/msu.h"
#include "isup/pcap.h"
#include "tests/fixture_sim.h"
#include "tests/fixture_ss7.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

struct node {
	struct tdm_span *span;
	struct tdm_link *link;
	struct fx_point pt;	/* libss7 on the link's fd */
	unsigned iams;
	char called[64], ocn[64];
	unsigned rejects;
	uint8_t reject_cause;
	struct msu_stats st;
	struct pcap_tap *tap;
	struct loop *loop;
};

/* The relay hook as cfwdd uses it: tap both ways, validate what comes in. */
static bool hook(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
		 size_t *len, size_t cap)
{
	struct node *n = user;
	struct msu_verdict vd;

	pcap_tap_write(n->tap, dir == TDM_SU_TX, tdm_link_id(lk), su, *len);
	if (dir == TDM_SU_TX)
		return true;
	vd = msu_validate(su, *len, NULL);
	msu_stats_count(&n->st, &vd);
	if (vd.action == MSU_PASS)
		return true;
	if (vd.action == MSU_REJECT_IAM) {
		n->rejects++;
		n->reject_cause = vd.cause;
	}
	*len = msu_neutralize(su, *len, cap);
	return *len > 0;
}

static void node_events(struct node *n)
{
	ss7_event *e;

	while ((e = ss7_check_event(n->pt.ss7))) {
		if (e->e == SS7_EVENT_UP)
			n->pt.up = true;
		if (e->e == ISUP_EVENT_IAM) {
			n->iams++;
			snprintf(n->called, sizeof(n->called), "%s", e->iam.called_party_num);
			snprintf(n->ocn, sizeof(n->ocn), "%s", e->iam.orig_called_num);
			isup_free_call(n->pt.ss7, e->iam.call);
		}
	}
}

static void node_fd(struct loop *l, int fd, short revents, void *user)
{
	struct node *n = user;

	if (revents & POLLIN)
		ss7_read(n->pt.ss7, fd);
	if (revents & POLLOUT)
		ss7_write(n->pt.ss7, fd);
	node_events(n);
	loop_fd_mod(l, fd, (short)(ss7_pollflags(n->pt.ss7, fd) | POLLIN));
}

static void node_sched(struct node *n)
{
	struct timeval *next = ss7_schedule_next(n->pt.ss7), now;

	gettimeofday(&now, NULL);
	if (next && timercmp(&now, next, >=))
		ss7_schedule_run(n->pt.ss7);
	node_events(n);
	loop_fd_mod(n->loop, n->pt.fd, (short)(ss7_pollflags(n->pt.ss7, n->pt.fd) | POLLIN));
}

/* As cfwdd's link does: the span's up/down is the link's alarm state. */
static void link_state(void *user, struct tdm_link *lk, bool up)
{
	struct node *n = user;

	if (up) {
		ss7_link_noalarm(n->pt.ss7, n->pt.fd);
	} else {
		n->pt.up = false;
		ss7_link_alarm(n->pt.ss7, n->pt.fd);
	}
}

/* End `end` (0 or 1) of the sim span pair on base, B (1) with the pcap tap. */
static void node_open(struct node *n, struct loop *l, const char *name, unsigned base,
		      unsigned end, unsigned pc, unsigned adj, const char *pcap)
{
	n->loop = l;
	n->span = fx_sim_end(l, name, base, end, TDM_LAW_ULAW, NULL, NULL);
	n->tap = pcap ? pcap_tap_open(pcap) : NULL;
	n->link = tdm_link_open(n->span, 16, (uint16_t)pc, hook, link_state, n);
	assert_non_null(n->link);
	assert_int_equal(loop_fd_add(l, tdm_link_fd(n->link), POLLIN, node_fd, n), 0);
	assert_int_equal(fx_point_open(&n->pt, tdm_link_fd(n->link), SS7_TRANSPORT_DAHDIMTP2, pc,
				       adj), 0);
}

/* Run the loop (real time) until cond or ~limit_ms. */
static bool run_until(struct loop *l, struct node *a, struct node *b, bool (*cond)(void *),
		      void *arg, unsigned limit_ms)
{
	uint64_t end = clock_now_ms() + limit_ms;

	while (clock_now_ms() < end) {
		loop_run_once(l, 5);
		node_sched(a);
		node_sched(b);
		if (cond(arg))
			return true;
	}
	return false;
}

static bool both_up(void *arg)
{
	struct node *n = arg;

	return n[0].pt.up && n[1].pt.up;
}

static bool b_has_iams(void *arg)
{
	struct node *n = arg;

	return n[1].iams >= 2;
}

static bool b_has_one_iam(void *arg)
{
	struct node *n = arg;

	return n[1].iams >= 1;
}

static bool b_rejected(void *arg)
{
	struct node *n = arg;

	return n[1].rejects >= 1;
}

static void send_iam(struct node *a, int cic, const char *ocn)
{
	struct isup_call *c = isup_new_call(a->pt.ss7, cic, 1002, 1);

	isup_set_called(c, "0398765432", SS7_NAI_NATIONAL, a->pt.ss7);
	isup_set_calling(c, "0311112222", SS7_NAI_NATIONAL, SS7_PRESENTATION_ALLOWED,
			 SS7_SCREENING_USER_PROVIDED);
	isup_set_orig_called_num(c, ocn, SS7_NAI_NATIONAL, SS7_PRESENTATION_RESTRICTED, 0);
	isup_set_redirecting_number(c, "0312345678", SS7_NAI_NATIONAL,
				    SS7_PRESENTATION_RESTRICTED, 0);
	isup_set_redirection_info(c, 4, 3, 1, 3);
	assert_int_equal(isup_iam(a->pt.ss7, c), 0);
	node_sched(a);
}

/* The libss7 instance is left behind: ss7_destroy() frees nothing in libss7 2.0. */
static void node_close(struct node *n)
{
	loop_fd_del(n->loop, n->pt.fd);
	tdm_link_close(n->link);
	tdm_span_close(n->span);
	pcap_tap_close(n->tap);
	memset(n, 0, sizeof(*n));
}

static void tshark(const char *path, const char *filter, const char *field, char *out,
		   size_t len)
{
	char cmd[512];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tshark -r '%s' -Y '%s' -T fields -e %s 2>/dev/null", path,
		 filter, field);
	p = popen(cmd, "r");
	out[0] = '\0';
	if (p && !fgets(out, (int)len, p))
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (p)
		pclose(p);
}

static void test_libss7_pair_over_a_sim_span_through_validator_and_tap(void **state)
{
	struct loop *l = loop_alloc();
	struct node n[2];
	unsigned base = fx_free_port_base(2, 20);
	char pcap[64], v[128];

	memset(n, 0, sizeof(n));
	snprintf(pcap, sizeof(pcap), "/tmp/test_msu_link_%d.pcap", (int)getpid());
	fx_ss7_quiet();

	step("exchange A (1001) and our node B (1002) on a sim span, link on ts 16");
	node_open(&n[0], l, "A", base, 0, 1001, 1002, NULL);
	node_open(&n[1], l, "B", base, 1, 1002, 1001, pcap);
	assert_true(run_until(l, &n[0], &n[1], both_up, n, 8000));

	step("A sends a forwarded IAM (OCN 0312345678); then one with an OCN of 40 digits");
	send_iam(&n[0], 5, "0312345678");
	assert_true(run_until(l, &n[0], &n[1], b_has_one_iam, n, 3000));
	send_iam(&n[0], 6, "0312345678901234567890123456789012345678");
	assert_true(run_until(l, &n[0], &n[1], b_rejected, n, 3000));
	assert_int_equal(n[1].reject_cause, 28);

	step("B's libss7 never saw the long one; the next IAM still arrives");
	send_iam(&n[0], 7, "0312345678");
	assert_true(run_until(l, &n[0], &n[1], b_has_iams, n, 3000));
	assert_int_equal(n[1].iams, 2);
	assert_string_equal(n[1].called, "0398765432#");
	assert_string_equal(n[1].ocn, "0312345678");
	assert_int_equal(n[1].st.rejected_iam, 1);

	step("the pcap B wrote decodes with tshark");
	pcap_tap_close(n[1].tap);
	n[1].tap = NULL;
	if (system("command -v tshark >/dev/null 2>&1") == 0) {
		tshark(pcap, "isup.message_type == 1 && isup.cic == 5", "isup.called", v,
		       sizeof(v));
		assert_string_equal(v, "0398765432F");
		tshark(pcap, "isup.message_type == 1 && isup.cic == 5",
		       "isup.original_called_number", v, sizeof(v));
		assert_string_equal(v, "0312345678");
		tshark(pcap, "isup.message_type == 1 && isup.cic == 5", "isup.redirection_counter",
		       v, sizeof(v));
		assert_string_equal(v, "1");
		tshark(pcap, "isup.message_type == 1 && isup.cic == 6", "frame.p2p_dir", v,
		       sizeof(v));
		assert_string_equal(v, "1");	/* received, captured as it arrived */
	}
	unlink(pcap);
	node_close(&n[0]);
	node_close(&n[1]);
	loop_free(l);
}


static void test_link_realigns_when_the_far_end_restarts(void **state)
{
	struct loop *l = loop_alloc();
	struct node n[2];
	unsigned base = fx_free_port_base(2, 22);

	memset(n, 0, sizeof(n));
	fx_ss7_quiet();
	node_open(&n[0], l, "A", base, 0, 1001, 1002, NULL);
	node_open(&n[1], l, "B", base, 1, 1002, 1001, NULL);
	assert_true(run_until(l, &n[0], &n[1], both_up, n, 8000));

	step("the far end restarts at once (no span down seen): MTP2 realigns");
	node_close(&n[1]);
	node_open(&n[1], l, "B", base, 1, 1002, 1001, NULL);
	assert_true(run_until(l, &n[0], &n[1], both_up, n, 8000));
	send_iam(&n[0], 9, "0312345678");
	assert_true(run_until(l, &n[0], &n[1], b_has_one_iam, n, 3000));

	step("the far end is away for 1.5 s: span down (alarm), then up and realigned");
	node_close(&n[1]);
	n[0].pt.up = true;
	{
		uint64_t end = clock_now_ms() + 1500;

		while (clock_now_ms() < end) {
			loop_run_once(l, 5);
			node_sched(&n[0]);
		}
	}
	assert_false(tdm_span_is_up(n[0].span));
	assert_false(n[0].pt.up);
	node_open(&n[1], l, "B", base, 1, 1002, 1001, NULL);
	assert_true(run_until(l, &n[0], &n[1], both_up, n, 8000));
	send_iam(&n[0], 10, "0312345678");
	assert_true(run_until(l, &n[0], &n[1], b_has_one_iam, n, 3000));
	node_close(&n[0]);
	node_close(&n[1]);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_libss7_pair_over_a_sim_span_through_validator_and_tap),
		cmocka_unit_test(test_link_realigns_when_the_far_end_restarts),
	};

	return cmocka_run_group_tests_name("msu_link", tests, NULL, NULL);
}
