/* tests/fixture_sim.h - sim spans for the unit tests: a port base that no other run is
 * using, one end of a sim span pair opened (or the test fails), the fake clock moved in
 * 5 ms steps with the sockets served between them. Not here: libss7 on top of the spans
 * (tests/fixture_ss7.h), what a test's span events do. */
#ifndef TESTS_FIXTURE_SIM_H
#define TESTS_FIXTURE_SIM_H

#include "core/loop.h"
#include "drivers/tdm.h"

/* A base port with n free UDP ports above it: $CFWD_PORT_BASE + off when set, else
 * probed at random in 20000-39999 so parallel runs do not collide. */
unsigned fx_free_port_base(unsigned n, unsigned off);

/* End i of the sim pair i/2 (ends 0/1, 2/3, ...): listens on base + i and sends to its
 * partner's port base + (i ^ 1); the test fails when the span cannot be opened. */
struct tdm_span *fx_sim_end(struct loop *l, const char *name, unsigned base, unsigned i,
			    enum tdm_law law, const struct tdm_span_events *ev, void *user);

/* Let datagrams in flight arrive, then move the fake clock ms, 5 ms at a time. */
void fx_run_ms(struct loop *l, unsigned ms);

#endif
