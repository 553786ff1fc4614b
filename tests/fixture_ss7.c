/* tests/fixture_ss7.c - real libss7 signalling points for the tests and soak tools (see
 * fixture_ss7.h). What a point's events mean is the caller's business. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <sys/time.h>

#include "tests/fixture_ss7.h"

/* LeakSanitizer reads this hook; it is inert without ASan. */
const char *__lsan_default_suppressions(void);
__attribute__((used)) const char *__lsan_default_suppressions(void)
{
	return "leak:libss7.so\n";	/* ss7_destroy() frees nothing (notes §2.5.12) */
}

static void quiet(struct ss7 *ss7, char *msg)
{
}

static void call_null(struct ss7 *ss7, struct isup_call *c, int lock)
{
}

static int hangup(struct ss7 *ss7, int cic, unsigned int dpc, int cause, int do_hangup)
{
	return 0;
}

static void notinservice(struct ss7 *ss7, int cic, unsigned int dpc)
{
}

void fx_ss7_quiet(void)
{
	ss7_set_message(quiet);
	ss7_set_error(quiet);
	ss7_set_call_null(call_null);
	ss7_set_hangup(hangup);
	ss7_set_notinservice(notinservice);
}

int fx_point_open(struct fx_point *p, int fd, int transport, unsigned pc, unsigned adj)
{
	p->fd = fd;
	p->up = false;
	p->ss7 = ss7_new(SS7_ITU);
	if (!p->ss7)
		return -ENOMEM;
	ss7_set_network_ind(p->ss7, SS7_NI_NAT);
	ss7_set_pc(p->ss7, pc);
	if (ss7_add_link(p->ss7, transport, fd, 0, adj) < 0 || ss7_start(p->ss7) < 0)
		return -EIO;
	return 0;
}

static void drain(struct fx_point *p, fx_point_event_fn on_event, void *user)
{
	ss7_event *e;

	while ((e = ss7_check_event(p->ss7))) {
		if (e->e == SS7_EVENT_UP)
			p->up = true;
		if (on_event)
			on_event(user, p, e);
	}
}

void fx_point_service(struct fx_point *p, unsigned rounds, fx_point_event_fn on_event,
		      void *user)
{
	struct timeval *next = ss7_schedule_next(p->ss7);
	struct pollfd pf = { .fd = p->fd, .events = (short)ss7_pollflags(p->ss7, p->fd) };
	unsigned guard;

	if (next) {
		struct timeval now;

		gettimeofday(&now, NULL);
		if (timercmp(&now, next, >=))
			ss7_schedule_run(p->ss7);
	}
	for (guard = 0; guard < rounds && poll(&pf, 1, 0) > 0 && pf.revents; guard++) {
		if (pf.revents & POLLIN)
			ss7_read(p->ss7, p->fd);
		if (pf.revents & POLLOUT)
			ss7_write(p->ss7, p->fd);
		drain(p, on_event, user);
		pf.events = (short)ss7_pollflags(p->ss7, p->fd);
	}
	drain(p, on_event, user);
}
