/* bench/bench_isup.c - ISUP call cycles per second through cfwdd against a raw libss7
 * pair, same machine, same run. Raw: two libss7 instances on a socketpair in one thread
 * cycling 12 calls IAM->ACM->ANM->REL->RLC (notes §6). cfwdd: the daemon as a process
 * on sim spans, this program playing both neighbours (lab engine) with 12 calls cycling
 * tandem through it (both legs IAM->ACM->ANM->REL->RLC). Then 1,000 calls/s offered
 * for the IAM latency (sent on one span -> received on the other, through cfwdd).
 * Prints ours/reference/ratio lines, and the CPU a tandem cycle costs cfwdd and the lab
 * side (this process) against the raw pair's. Not a test: never fails on a figure. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <libss7.h>

#include "bench/bench_isup_cfu.h"
#include "bench/bench_isup_common.h"
#include "core/clock.h"
#include "core/log.h"
#include "daemon/ctl_client.h"
#include "lab/lab.h"

/* 12 calls cycling: the 30 circuits a side of conf/lab.conf hold 12 calls in progress
 * and 12 being released. With 16, some attempts found no circuit free (cause 34, about
 * 0.5 % tandem, 8 % CFU) and did work that counted for nothing. The raw pair's rate is
 * the same at 12 and 16 (54-62k and 55-67k cycles/s here, 2026-11-26). */
#define RAW_CALLS 12
#define RAW_SECONDS 2

/* --- raw libss7 pair ------------------------------------------------------------- */

struct raw {
	struct ss7 *a, *b;
	int fa, fb;
	bool up_a, up_b;
	uint64_t cycles;
};

static void raw_msg(struct ss7 *ss7, char *s)
{
}

static void raw_call_null(struct ss7 *ss7, struct isup_call *c, int lock)
{
}

static int raw_hangup(struct ss7 *ss7, int cic, unsigned int dpc, int cause, int do_hangup)
{
	return SS7_CIC_IDLE;
}

static void raw_notinservice(struct ss7 *ss7, int cic, unsigned int dpc)
{
}

static struct ss7 *raw_new(int fd, unsigned pc, unsigned adj)
{
	struct ss7 *s = ss7_new(SS7_ITU);

	if (!s)
		return NULL;
	ss7_set_network_ind(s, SS7_NI_NAT);
	ss7_set_pc(s, pc);
	if (ss7_add_link(s, SS7_TRANSPORT_DAHDIMTP2, fd, 0, adj) < 0)
		return NULL;
	return s;
}

static void raw_iam(struct raw *r, int cic)
{
	struct isup_call *c = isup_new_call(r->a, cic, 2, 1);

	isup_set_called(c, "0398765432", SS7_NAI_NATIONAL, r->a);
	isup_set_calling(c, "0312345678", SS7_NAI_NATIONAL, 0, 3);
	isup_set_calling_party_category(c, 10);
	isup_iam(r->a, c);
}

static void raw_events_a(struct raw *r, bool counting)
{
	ss7_event *e;

	while ((e = ss7_check_event(r->a))) {
		switch (e->e) {
		case SS7_EVENT_UP: r->up_a = true; break;
		case ISUP_EVENT_ANM: isup_rel(r->a, e->anm.call, 16); break;
		case ISUP_EVENT_RLC:
			isup_free_call(r->a, e->rlc.call);
			if (counting) {
				r->cycles++;
				raw_iam(r, e->rlc.cic);
			}
			break;
		default: break;
		}
	}
}

static void raw_events_b(struct raw *r)
{
	ss7_event *e;

	while ((e = ss7_check_event(r->b))) {
		switch (e->e) {
		case SS7_EVENT_UP: r->up_b = true; break;
		case ISUP_EVENT_IAM:
			isup_acm(r->b, e->iam.call);
			isup_anm(r->b, e->iam.call);
			break;
		case ISUP_EVENT_REL:
			isup_rlc(r->b, e->rel.call);
			isup_free_call(r->b, e->rel.call);
			break;
		default: break;
		}
	}
}

static void raw_run(struct raw *r, uint64_t until_ms, bool counting)
{
	while (clock_now_ms() < until_ms) {
		struct pollfd p[2] = {
			{ .fd = r->fa, .events = (short)ss7_pollflags(r->a, r->fa) },
			{ .fd = r->fb, .events = (short)ss7_pollflags(r->b, r->fb) },
		};

		if (poll(p, 2, 1) < 0)
			break;
		if (p[0].revents & POLLIN)
			ss7_read(r->a, r->fa);
		if (p[0].revents & POLLOUT)
			ss7_write(r->a, r->fa);
		if (p[1].revents & POLLIN)
			ss7_read(r->b, r->fb);
		if (p[1].revents & POLLOUT)
			ss7_write(r->b, r->fb);
		ss7_schedule_run(r->a);
		ss7_schedule_run(r->b);
		raw_events_a(r, counting);
		raw_events_b(r);
		if (!counting && r->up_a && r->up_b)
			return;
	}
}

static double bench_raw(void)
{
	struct raw r = { 0 };
	int sv[2];
	uint64_t t0;

	ss7_set_message(raw_msg);
	ss7_set_error(raw_msg);
	ss7_set_call_null(raw_call_null);
	ss7_set_hangup(raw_hangup);
	ss7_set_notinservice(raw_notinservice);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
		return 0;
	r.fa = sv[0];
	r.fb = sv[1];
	r.a = raw_new(r.fa, 1, 2);
	r.b = raw_new(r.fb, 2, 1);
	if (!r.a || !r.b || ss7_start(r.a) < 0 || ss7_start(r.b) < 0)
		return 0;
	raw_run(&r, clock_now_ms() + 10000, false);
	if (!r.up_a || !r.up_b)
		return 0;
	for (int cic = 1; cic <= RAW_CALLS; cic++)
		raw_iam(&r, cic);
	t0 = clock_now_us();
	raw_run(&r, clock_now_ms() + RAW_SECONDS * 1000, true);
	close(sv[0]);
	close(sv[1]);
	return (double)r.cycles * 1e6 / (double)(clock_now_us() - t0);
}

/* --- cfwdd as a process ---------------------------------------------------------- */

static pid_t start_cfwdd(const char *self, const char *dir)
{
	char db[PATH_MAX], ctl[PATH_MAX];

	snprintf(db, sizeof(db), "%s/bench.db", dir);
	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	return bench_cfwdd_start(self, "conf/cfwd.conf", db, ctl);
}

/* CPU time (user, system) of a process in us: /proc/PID/stat for cfwdd, getrusage for
 * ourselves (the lab side). */
static void cpu_us(pid_t pid, uint64_t *user, uint64_t *sys)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;

	*user = *sys = 0;
	if (pid == 0) {
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		*user = (uint64_t)ru.ru_utime.tv_sec * 1000000 + (uint64_t)ru.ru_utime.tv_usec;
		*sys = (uint64_t)ru.ru_stime.tv_sec * 1000000 + (uint64_t)ru.ru_stime.tv_usec;
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* after "(comm)": state and 10 more fields, then utime stime */
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
			 &st) != 2 || hz <= 0)
		return;
	*user = ut * 1000000 / (uint64_t)hz;
	*sys = st * 1000000 / (uint64_t)hz;
}

/* Where a tandem cycle's CPU goes: cfwdd and the lab side (this process), per cycle. */
static void print_cpu(const char *what, pid_t pid, const uint64_t before[4], uint64_t cycles)
{
	uint64_t cu, cs, lu, ls;

	if (!cycles)
		return;
	cpu_us(pid, &cu, &cs);
	cpu_us(0, &lu, &ls);
	cu -= before[0];
	cs -= before[1];
	lu -= before[2];
	ls -= before[3];
	printf("%s CPU per cycle: cfwdd %.0f us (%.0f %% kernel), lab side %.0f us (%.0f %% "
	       "kernel)\n", what, (double)(cu + cs) / (double)cycles,
	       cu + cs ? 100.0 * (double)cs / (double)(cu + cs) : 0,
	       (double)(lu + ls) / (double)cycles,
	       lu + ls ? 100.0 * (double)ls / (double)(lu + ls) : 0);
}

/* cfwdd's own IAM-in -> IAM-out figures (status line "iam-in-out ..."). */
static void cfwdd_latency(const char *dir, bool reset)
{
	char ctl[PATH_MAX], *buf = NULL, *line;
	size_t len = 0;
	unsigned long long n = 0;
	unsigned p50 = 0, p99 = 0, max = 0;
	FILE *f = open_memstream(&buf, &len);

	snprintf(ctl, sizeof(ctl), "%s/ctl", dir);
	if (!f)
		return;
	ctl_request(ctl, reset ? "latency reset" : "status", f);
	fclose(f);
	line = reset ? NULL : strstr(buf, "iam-in-out ");
	if (line && sscanf(line, "iam-in-out n %llu p50-us %u p99-us %u max-us %u", &n, &p50,
			   &p99, &max) == 4)
		printf("isup IAM-in->IAM-out inside cfwdd (RX hook to TX hook): p50 %u us, "
		       "p99 %u us, max %u us over %llu calls\n", p50, p99, max, n);
	free(buf);
}

int main(int argc, char **argv)
{
	struct lab_init in = { .conf = "conf/lab.conf", .quiet = true };
	struct lab_load_opts cyc = { .concurrent = RAW_CALLS, .duration_ms = 3000,
				     .from_prefix = "0312", .to_prefix = "0398" };
	struct lab_load_opts lat = { .rate = 1000, .duration_ms = 2000, .from_prefix = "0312",
				     .to_prefix = "0397" };
	struct lab_load_result rc, rl;
	char dir[] = "/tmp/bench-isup.XXXXXX", base[16];
	double raw;
	uint64_t cpu0[4];
	struct lab *lab;
	pid_t pid;

	log_set_all(LOGL_ERROR);
	raw = bench_raw();
	printf("isup raw libss7 pair: %.0f call cycles/s (%d calls cycling, 1 thread)\n", raw,
	       RAW_CALLS);
	if (!mkdtemp(dir))
		return 1;
	/* 40000..44900: clear of the scenario tests' 20000..35900 */
	snprintf(base, sizeof(base), "%d", 40000 + (getpid() % 50) * 100);
	setenv("CFWD_PORT_BASE", base, 1);
	pid = start_cfwdd(argv[0], dir);
	usleep(200000);
	lab = lab_open(&in);
	if (!lab) {
		bench_cfwdd_stop(pid);
		return 1;
	}
	cpu_us(pid, &cpu0[0], &cpu0[1]);
	cpu_us(0, &cpu0[2], &cpu0[3]);
	lab_load(lab, &cyc, &rc);
	printf("isup cfwdd tandem: %.0f call cycles/s (%d calls cycling; %llu completed, "
	       "%llu failed, last cause %d)\n", rc.rate, RAW_CALLS,
	       (unsigned long long)rc.completed, (unsigned long long)rc.failed, rc.last_cause);
	print_cpu("isup cfwdd tandem", pid, cpu0, rc.completed);
	printf("isup raw libss7 pair CPU per cycle: %.0f us (both ends, one thread)\n",
	       raw > 0 ? 1e6 / raw : 0);
	cfwdd_latency(dir, true);
	lab_load(lab, &lat, &rl);
	printf("isup IAM latency at %u calls/s offered, lab to lab through cfwdd: p50 %u us, "
	       "p99 %u us, max %u us (%llu/%llu calls completed)\n", lat.rate, rl.p50_us,
	       rl.p99_us, rl.max_us, (unsigned long long)rl.completed,
	       (unsigned long long)rl.attempts);
	cfwdd_latency(dir, false);
	lab_close(lab);
	bench_cfwdd_stop(pid);
	bench_rmdir(dir);
	printf("ours: %.0f cycles/s\nreference: %.0f cycles/s\n", rc.rate, raw);
	printf("ratio: %.2f\n", raw > 0 ? rc.rate / raw : 0);
	printf("isup tandem ratio cfwdd/raw-libss7: %.2f\n", raw > 0 ? rc.rate / raw : 0);
	return bench_isup_cfu(argv[0], raw);	/* forwarding: bench/bench_isup_cfu.c */
}
