/* bench/bench_isup_common.c - the pieces the CFU runs of bench-isup share (see
 * bench/bench_isup_common.h): starting and stopping cfwdd, provisioning CFU subscribers,
 * writing the sim topology, waiting on the lab-side node, answering at the forward-to.
 * Not here: any run or figure. */
#include "bench/bench_isup_common.h"

#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/loop.h"
#include "feature/cfwd/store.h"
#include "isup/call_leg.h"
#include "isup/cic.h"
#include "isup/node.h"

pid_t bench_cfwdd_start(const char *self, const char *conf, const char *db, const char *ctl)
{
	char bin[PATH_MAX], tmp[PATH_MAX];
	pid_t pid;

	snprintf(tmp, sizeof(tmp), "%s", self);
	snprintf(bin, sizeof(bin), "%s/cfwdd", dirname(tmp));
	pid = fork();
	if (pid == 0) {
		execl(bin, bin, "-c", conf, "-f", "--db", db, "--ctl", ctl, "--log",
		      "all=error", (char *)NULL);
		perror(bin);
		_exit(127);
	}
	return pid;
}

void bench_cfwdd_stop(pid_t pid)
{
	int st;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
}

void bench_rmdir(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
}

int bench_provision_cfu(const char *db, unsigned n, bench_sub_fn sub_of, const char *what)
{
	char err[256], sub[24], to[24];
	struct store *st = store_open(db, err, sizeof(err));
	int rc = 0;

	if (!st) {
		fprintf(stderr, "bench-isup %s: %s\n", what, err);
		return -1;
	}
	sqlite3_exec(store_db(st), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	for (unsigned i = 0; i < n && !rc; i++) {
		sub_of(i, sub, to, sizeof(sub));
		rc = store_sub_add(st, STORE_WHO_CFWDCTL, sub, true);
		if (!rc)
			rc = store_forward_set(st, STORE_WHO_CFWDCTL, sub, to,
					       CFWD_COND_UNCONDITIONAL);
	}
	store_close(st);
	if (rc)
		fprintf(stderr, "bench-isup %s: provisioning failed (%d)\n", what, rc);
	return rc;
}

/* SPANS sim E1 spans a side, "local1.." (callers) and "transit1.." (forward-to numbers
 * 0398K... routed to transitK+1, K written with route_width digits). Writes
 * DIR/PREFIXcfwd.conf (cfwdd) and DIR/PREFIXlab.conf (the bench playing both neighbours). */
int bench_write_topology(const char *dir, const char *prefix, unsigned spans,
			 int route_width)
{
	static const char *const side[2] = { "local", "transit" };
	char path[PATH_MAX];

	for (int lab = 0; lab < 2; lab++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s%s.conf", dir, prefix, lab ? "lab" : "cfwd");
		f = fopen(path, "w");
		if (!f)
			return -1;
		for (unsigned k = 0; k < 2 * spans; k++) {
			const char *sd = side[k / spans];
			unsigned n = k % spans + 1, pc = (k / spans ? 3001 : 2001) + n - 1;

			fprintf(f, "[span %s%u]\nbackend = sim\nlaw = ulaw\nchannels = 31\n"
				   "local_port = %u\nremote_port = %u\n\n", sd, n,
				lab ? 21051 + k : 21001 + k, lab ? 21001 + k : 21051 + k);
			fprintf(f, "[linkset %s%u]\nspan = %s%u\nss7type = itu\n"
				   "networkindicator = national\npointcode = %u\n"
				   "adjpointcode = %u\nsigchan = 16\ncicbeginswith = 1\n"
				   "channel => 1-15,17-31\nmax_setups = 1000\n\n", sd, n, sd, n,
				lab ? pc : 1001, lab ? 1001 : pc);
		}
		fprintf(f, "[route]\nroute => 0312 local1\n");
		for (unsigned n = 0; n < spans; n++)
			fprintf(f, "route => 0398%0*u transit%u\n", route_width, n, n + 1);
		if (fclose(f))
			return -1;
	}
	return 0;
}

bool bench_node_idle(struct isup_node *n)
{
	for (unsigned i = 0; i < n->n_links; i++) {
		struct cic_pool *p = isup_link_cics(n->links[i]);

		if (cic_pool_available(p) != cic_pool_size(p))
			return false;
	}
	return true;
}

bool bench_node_up(struct isup_node *n)
{
	return isup_node_all_up(n);
}

int bench_node_wait(struct loop *l, struct isup_node *n, bool (*cond)(struct isup_node *),
		    uint64_t ms)
{
	uint64_t end = clock_now_ms() + ms;

	while (!cond(n))
		if (clock_now_ms() >= end || loop_run_once(l, 10) < 0)
			return -1;
	return 0;
}

void bench_far_answer(struct call_leg *leg)
{
	static const struct call_leg_ops far_ops = { 0 };

	call_leg_set_owner(leg, &far_ops, NULL);
	call_leg_alert(leg);
	call_leg_answer(leg);
}
