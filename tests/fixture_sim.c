/* tests/fixture_sim.c - sim spans for the unit tests (see fixture_sim.h): the port base,
 * a pair end, the fake clock. No assertion of any test's behaviour lives here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "tests/fixture_sim.h"

unsigned fx_free_port_base(unsigned n, unsigned off)
{
	const char *env = getenv("CFWD_PORT_BASE");
	unsigned seed = (unsigned)getpid() ^ (unsigned)clock_now_us(), tries, i;

	if (env && atoi(env) > 1024)
		return (unsigned)atoi(env) + off;
	for (tries = 0; tries < 200; tries++) {
		unsigned base = 20000 + rand_r(&seed) % (20000 - n);
		bool ok = true;

		for (i = 0; i < n && ok; i++) {
			struct sockaddr_in a = { .sin_family = AF_INET,
						 .sin_port = htons((uint16_t)(base + i)),
						 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
			int fd = socket(AF_INET, SOCK_DGRAM, 0);

			ok = fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
			if (fd >= 0)
				close(fd);
		}
		if (ok)
			return base;
	}
	return 20000 + (unsigned)getpid() % 19000;
}

struct tdm_span *fx_sim_end(struct loop *l, const char *name, unsigned base, unsigned i,
			    enum tdm_law law, const struct tdm_span_events *ev, void *user)
{
	struct tdm_span_cfg cfg;
	struct tdm_span *s;
	char err[200];

	tdm_span_cfg_default(&cfg, name);
	cfg.law = law;
	cfg.local_port = (uint16_t)(base + i);
	cfg.remote_port = (uint16_t)(base + (i ^ 1));
	s = tdm_span_open(l, &cfg, ev, user, err, sizeof(err));
	if (!s)
		fail_msg("%s", err);
	return s;
}

void fx_run_ms(struct loop *l, unsigned ms)
{
	unsigned i;

	loop_run_once(l, 5);
	for (i = 0; i < ms; i += 5) {
		fake_time_passes(5);
		loop_run_once(l, 0);
		loop_run_once(l, 2);
	}
}
