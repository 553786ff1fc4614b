/* tests/test_service_setups.c - overload shedding keeps a door open for service calls:
 * two real libss7 points in one process (A, pc 1001, originating; B, pc 2001, the node
 * under test with max_setups = 1 and service_setups = 1) on a sim span. With one call in
 * setup at B, an ordinary call is released with cause 42 (switching equipment
 * congestion) and counted; a call to 142 (the owner's service call) is still taken, and
 * counted as such; with that one in setup too, a second 142 is shed as well. After the
 * test every circuit is idle and none leaked. Ports: CFWD_PORT_BASE (+81, +82) or PID. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/link.h"
#include "isup/node.h"
#include "tests/fixture_isup.h"

#define CALLS 4

struct call {
	struct call_leg *a, *b;	/* A's outgoing leg, B's incoming leg */
	int cause;		/* A's leg released with (0: not released) */
};

struct fix {
	struct loop *loop;
	struct conf *ca, *cb;
	struct isup_node *na, *nb;
	struct isup_link *la, *lb;
	struct call calls[CALLS];
	unsigned n, b_incoming;
};

static void step(const char *s)
{
	printf("  -- %s\n", s);
}

static void a_released(void *user, struct call_leg *leg, int cause)
{
	struct call *c = user;

	c->cause = cause;
	c->a = NULL;
}

static void b_released(void *user, struct call_leg *leg, int cause)
{
	struct call *c = user;

	c->b = NULL;
}

static const struct call_leg_ops a_ops = { .released = a_released };
static const struct call_leg_ops b_ops = { .released = b_released };

/* B keeps every call it takes in setup (no ACM): each one holds a setup slot. The call
 * is matched by its called number's last digit, the index the test gave it. */
static void b_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct fix *f = user;
	const char *called = call_leg_facts(leg)->called.digits;
	unsigned i = (unsigned)(called[strlen(called) - 1] - '0');

	f->b_incoming++;
	if (i >= CALLS) {
		call_leg_release(leg, 16);
		return;
	}
	f->calls[i].b = leg;
	call_leg_set_owner(leg, &b_ops, &f->calls[i]);
}

static bool b_service_call(void *user, struct isup_link *lk, const struct call_facts *fa)
{
	return !strncmp(fa->called.digits, "142", 3);
}

static void a_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	call_leg_release(leg, 16);
}

static const struct isup_node_owner a_owner = { .link = { .incoming = a_incoming } };
static const struct isup_node_owner b_owner = {
	.link = { .incoming = b_incoming, .service_call = b_service_call },
};

static const char conf_fmt[] =
	"[span x]\nbackend = sim\nlocal_port = %u\nremote_port = %u\n"
	"[linkset x]\nspan = x\npointcode = %u\nadjpointcode = %u\nsigchan = 16\n"
	"cicbeginswith = 1\nchannel => 1-4\n%s";

static struct isup_node *side_open(struct fix *f, struct conf **c, const char *name,
				   unsigned lport, unsigned rport, unsigned opc, unsigned dpc,
				   const char *extra, const struct isup_node_owner *owner)
{
	char text[512], err[256];
	struct isup_node *n;

	snprintf(text, sizeof(text), conf_fmt, lport, rport, opc, dpc, extra);
	*c = conf_load_string(name, text, err, sizeof(err));
	if (!*c)
		return NULL;
	n = isup_node_open(f->loop, *c, owner, f, err, sizeof(err));
	if (!n)
		fprintf(stderr, "%s\n", err);
	return n;
}

static bool run_until(struct fix *f, bool (*cond)(struct fix *), unsigned ms)
{
	uint64_t end = clock_now_ms() + ms;

	while (!cond(f)) {
		if (clock_now_ms() >= end)
			return false;
		loop_run_once(f->loop, 10);
	}
	return true;
}

static bool both_up_and_idle(struct fix *f)
{
	return isup_link_is_up(f->la) && isup_link_is_up(f->lb) &&
	       cic_pool_available(isup_link_cics(f->la)) == 4 &&
	       cic_pool_available(isup_link_cics(f->lb)) == 4;
}

static unsigned last;	/* the call run_until waits on */

static bool last_settled(struct fix *f)
{
	return f->calls[last].b || f->calls[last].cause;
}

/* A calls TO (its last digit is the call's index): B takes it or sheds it. */
static struct call *call_to(struct fix *f, const char *to)
{
	struct call_facts fa;
	int cause = 0;

	last = (unsigned)(to[strlen(to) - 1] - '0');
	fx_facts(&fa, "0311112222", to);
	f->calls[last].a = call_leg_setup(f->la, &fa, &a_ops, &f->calls[last], &cause);
	assert_non_null(f->calls[last].a);
	assert_true(run_until(f, last_settled, 3000));
	return &f->calls[last];
}

static bool all_idle_again(struct fix *f)
{
	return !isup_link_legs(f->la) && !isup_link_legs(f->lb) && both_up_and_idle(f);
}

static void test_overload_sheds_ordinary_calls_but_takes_142(void **state)
{
	struct fix *f = *state;
	const struct isup_link_stats *st = isup_link_stats(f->lb);
	uint64_t cong0 = st->congestion;
	struct call *c;

	step("A -> B 0398765430: B takes it and leaves it in setup (1 of max_setups 1)");
	c = call_to(f, "0398765430");
	assert_non_null(c->b);
	step("A -> B 0398765431: ordinary, beyond max_setups: REL cause 42 (congestion)");
	c = call_to(f, "0398765431");
	assert_null(c->b);
	assert_int_equal(c->cause, 42);
	assert_int_equal(st->congestion, cong0 + 1);
	step("A -> B 1422: the service call still gets in (service_setups 1)");
	c = call_to(f, "1422");
	assert_non_null(c->b);
	assert_int_equal(st->service_taken, 1);
	step("A -> B 1423: a second service call finds the reserve used up: cause 42");
	c = call_to(f, "1423");
	assert_null(c->b);
	assert_int_equal(c->cause, 42);
	assert_int_equal(st->congestion, cong0 + 2);
	step("A releases its two calls in setup; every circuit idle, none leaked");
	call_leg_release(f->calls[0].a, 16);
	call_leg_release(f->calls[2].a, 16);
	assert_true(run_until(f, all_idle_again, 3000));
	assert_int_equal(cic_pool_leaked(isup_link_cics(f->la)), 0);
	assert_int_equal(cic_pool_leaked(isup_link_cics(f->lb)), 0);
}

static int group_setup(void **state)
{
	static struct fix f;
	unsigned base = fx_port_base();

	log_set_all(LOGL_ERROR);
	f.loop = loop_alloc();
	if (!f.loop)
		return -1;
	f.na = side_open(&f, &f.ca, "A", base + 81, base + 82, 1001, 2001, "", &a_owner);
	f.nb = side_open(&f, &f.cb, "B", base + 82, base + 81, 2001, 1001,
			 "max_setups = 1\nservice_setups = 1\n", &b_owner);
	if (!f.na || !f.nb)
		return -1;
	f.la = f.na->links[0];
	f.lb = f.nb->links[0];
	if (!run_until(&f, both_up_and_idle, 10000))
		return -1;
	*state = &f;
	return 0;
}

static int group_teardown(void **state)
{
	struct fix *f = *state;

	isup_node_close(f->na);
	isup_node_close(f->nb);
	loop_run_once(f->loop, 0);
	conf_free(f->ca);
	conf_free(f->cb);
	loop_free(f->loop);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overload_sheds_ordinary_calls_but_takes_142),
	};

	return cmocka_run_group_tests_name("service_setups", tests, group_setup,
					   group_teardown);
}
