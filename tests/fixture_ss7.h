/* tests/fixture_ss7.h - real libss7 2.0 signalling points for the tests and the soak
 * tools: libss7's global callbacks made quiet, a point (ITU, national) on an fd with the
 * given transport, and the service loop that lets it read, write and run its timers.
 * Linking this object also tells LeakSanitizer that libss7's allocations are not ours
 * (ss7_destroy() frees nothing in 2.0). No cmocka here (soak-hostile links it): the
 * callers assert. Not here: the spans and links under the fd (tests/fixture_sim.h). */
#ifndef TESTS_FIXTURE_SS7_H
#define TESTS_FIXTURE_SS7_H

#include <stdbool.h>

#include <libss7.h>

struct fx_point {
	struct ss7 *ss7;
	int fd;		/* libss7's end */
	bool up;	/* SS7_EVENT_UP seen */
};

/* What a point's events are handed to; SS7_EVENT_UP sets p->up before. */
typedef void (*fx_point_event_fn)(void *user, struct fx_point *p, ss7_event *e);

/* libss7's message, error, call_null, hangup and notinservice callbacks: all quiet. */
void fx_ss7_quiet(void);

/* A point with pc on fd (transport: SS7_TRANSPORT_DAHDIMTP2, ...), adjacent to adj,
 * started. 0, or -ENOMEM / -EIO. */
int fx_point_open(struct fx_point *p, int fd, int transport, unsigned pc, unsigned adj);

/* Run libss7's due timers, then read and write while its fd is ready (at most rounds
 * times), handing every event to on_event (may be NULL) after each round. */
void fx_point_service(struct fx_point *p, unsigned rounds, fx_point_event_fn on_event,
		      void *user);

#endif
