/* lab/lab_main.c - cfwd-lab command line: the line tester that plays the exchanges on
 * the other ends of cfwdd's spans.
 *   cfwd-lab -c conf/lab.conf [--json] [--expect F=V]... [--pcap F] call --from A --to B
 *       [--restricted] [--redirected-from N --counter k] [--far answer|busy|noanswer|
 *       unallocated] [--ring MS] [--dtmf KEYS | --play-pattern SEED] [--hold S]
 *       [--record FILE] [--via LINKSET]
 *       [--far-at NUMBER=answer|busy|noanswer|unallocated|loop[:RING_MS]]...
 *   cfwd-lab -c conf/lab.conf load --rate N --duration S --hold S
 * Exit status: 0 ok, 1 an expectation failed / timeout / load incomplete, 2 usage. */
#include <getopt.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "lab/lab.h"
#include "lab_default_conf.h"	/* generated from conf/lab.conf (lab/module.mk) */
#include "lab/lab_int.h"
#include "lab/lab_session.h"

#define EXPECT_MAX 64

static void usage(FILE *f)
{
	fputs("usage: cfwd-lab [-c FILE] [--json] [--expect [TYPE.]FIELD=VALUE]... [--pcap FILE]\n"
	      "                [--log SPEC] COMMAND [options]\n"
	      "commands:\n"
	      "  call --from A --to B [--restricted] [--redirected-from N --counter K]\n"
	      "       [--far answer|busy|noanswer|unallocated|echo] [--ring MS]\n"
	      "       [--dtmf KEYS | --play-pattern SEED]\n"
	      "       [--hold S] [--record FILE.wav] [--via LINKSET] [--timeout S]\n"
	      "       [--abandon S] [--cic N] [--cross-cic N]\n"
	      "       [--far-at NUMBER=answer|busy|noanswer|unallocated|loop[:RING_MS]]...\n"
	      "       originate on A's exchange (by [route] of the lab config, or --via),\n"
	      "       play the far end wherever the call arrives, hold, release;\n"
	      "       --abandon: caller hangs up S after the IAM unless answered;\n"
	      "       --cic: originate on that circuit; --cross-cic N: when cfwdd's IAM\n"
	      "       arrives on circuit N of B's linkset, seize N for a call B -> A\n"
	      "       before reading it (a dual seizure every time)\n"
	      "       --play-pattern: after answer the caller plays a known byte sequence\n"
	      "       (from SEED) and the far end another (SEED + 1); each reports the\n"
	      "       longest stretch of the other's it heard byte-exact (transparency)\n"
	      "       --far-at: the far end's answer for calls to NUMBER (overrides --far and\n"
	      "       --ring for that number); loop: send the call back to cfwdd unchanged\n"
	      "  load --rate N --duration S [--hold S] [--from-prefix P] [--to-prefix P]\n"
	      "       [--to-count N] [--concurrent N]\n"
	      "       offered load (or N calls cycling, closed loop); prints attempts,\n"
	      "       completed, rate and the IAM latency through cfwdd; --to-count: the\n"
	      "       called numbers cycle through P000000 .. P(N-1) (no latency then)\n",
	      f);
	lab_session_usage(f);
	fputs(	      "-c defaults to conf/lab.conf, else a built-in copy of it: the peer of\n"
	      "conf/cfwd.conf (CFWD_PORT_BASE\n"
	      "moves the sim ports: P becomes CFWD_PORT_BASE + P % 100).\n"
	      "The ladder shows time, linkset, CIC, direction and decoded parameters of every\n"
	      "message; --json prints one JSON object per message; --expect checks fields\n"
	      "(e.g. IAM.calling=0311112222, REL.cause=17, IAM.redirect_counter_77=).\n",
	      f);
}

static unsigned secs_ms(const char *s)
{
	return (unsigned)(atof(s) * 1000.0);
}

static int cmd_call(struct lab *lab, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "restricted", no_argument, NULL, 'r' },
		{ "redirected-from", required_argument, NULL, 'R' },
		{ "counter", required_argument, NULL, 'k' }, { "far", required_argument, NULL, 'F' },
		{ "ring", required_argument, NULL, 'g' }, { "dtmf", required_argument, NULL, 'd' },
		{ "hold", required_argument, NULL, 'h' }, { "record", required_argument, NULL, 'w' },
		{ "via", required_argument, NULL, 'v' }, { "timeout", required_argument, NULL, 'T' },
		{ "abandon", required_argument, NULL, 'a' }, { "cic", required_argument, NULL, 'C' },
		{ "cross-cic", required_argument, NULL, 'X' },
		{ "far-at", required_argument, NULL, 'A' },
		{ "play-pattern", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	struct lab_call_opts o = { .ring_ms = 300, .hold_ms = 1000, .timeout_ms = 30000 };
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'f': o.from = optarg; break;
		case 't': o.to = optarg; break;
		case 'r': o.restricted = true; break;
		case 'R': o.redirected_from = optarg; break;
		case 'k': o.counter = atoi(optarg); break;
		case 'F':
			if (lab_far_parse(optarg, &o.far) < 0)
				return 2;
			break;
		case 'g': o.ring_ms = (unsigned)atoi(optarg); break;
		case 'd': o.dtmf = optarg; break;
		case 'h': o.hold_ms = secs_ms(optarg); break;
		case 'w': o.record = optarg; break;
		case 'v': o.via = optarg; break;
		case 'T': o.timeout_ms = secs_ms(optarg); break;
		case 'a': o.abandon_ms = secs_ms(optarg); break;
		case 'C': o.cic = (uint16_t)atoi(optarg); break;
		case 'X': o.cross_cic = (uint16_t)atoi(optarg); break;
		case 'A':
			if (lab_far_at_add(lab, optarg) < 0)
				return 2;
			break;
		case 'P':
			o.pattern = true;
			o.pattern_seed = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		default: return 2;
		}
	}
	if (!o.from || !o.to || (o.counter && !o.redirected_from) || o.counter < 0 ||
	    o.counter > 5)
		return 2;
	return lab_call(lab, &o);
}

static int cmd_load(struct lab *lab, int argc, char **argv)
{
	static const struct option lo[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "hold", required_argument, NULL, 'h' },
		{ "from-prefix", required_argument, NULL, 'f' },
		{ "to-prefix", required_argument, NULL, 't' },
		{ "via", required_argument, NULL, 'v' },
		{ "to-count", required_argument, NULL, 'c' },
		{ "concurrent", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct lab_load_opts o = { .rate = 10, .duration_ms = 5000, .from_prefix = "0312",
				   .to_prefix = "0398" };
	struct lab_load_result r;
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'r': o.rate = (unsigned)atoi(optarg); break;
		case 'd': o.duration_ms = secs_ms(optarg); break;
		case 'h': o.hold_ms = secs_ms(optarg); break;
		case 'f': o.from_prefix = optarg; break;
		case 't': o.to_prefix = optarg; break;
		case 'v': o.via = optarg; break;
		case 'c': o.to_count = (unsigned)atoi(optarg); break;
		case 'n': o.concurrent = (unsigned)atoi(optarg); break;
		default: return 2;
		}
	}
	if (!o.rate && !o.concurrent)
		return 2;
	rc = lab_load(lab, &o, &r);
	printf("load attempts %llu answered %llu completed %llu failed %llu rate %.1f/s "
	       "iam-latency p50 %u us p99 %u us max %u us\n",
	       (unsigned long long)r.attempts, (unsigned long long)r.answered,
	       (unsigned long long)r.completed, (unsigned long long)r.failed, r.rate, r.p50_us,
	       r.p99_us, r.max_us);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "expect", required_argument, NULL, 'e' },
		{ "pcap", required_argument, NULL, 'p' }, { "log", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'H' }, { NULL, 0, NULL, 0 },
	};
	const char *expect[EXPECT_MAX + 1] = { NULL };
	struct lab_init in = { .conf = NULL, .conf_text = lab_default_conf, .expect = expect };
	unsigned n_expect = 0;
	char err[128];
	struct lab *lab;
	int ch, rc;

	log_set_all(LOGL_ERROR);
	while ((ch = getopt_long(argc, argv, "+c:", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': in.conf = optarg; break;
		case 'j': in.json = true; break;
		case 'e':
			if (n_expect < EXPECT_MAX)
				expect[n_expect++] = optarg;
			break;
		case 'p': in.pcap = optarg; break;
		case 'l':
			if (log_parse_spec(optarg, err, sizeof(err)) < 0) {
				fprintf(stderr, "cfwd-lab: bad --log: %s\n", err);
				return 2;
			}
			break;
		case 'H': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!in.conf && access("conf/lab.conf", R_OK) == 0)
		in.conf = "conf/lab.conf";
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	argc -= optind;
	argv += optind;
	if (strcmp(argv[0], "call") && strcmp(argv[0], "load") && strcmp(argv[0], "session")) {
		usage(stderr);
		return 2;
	}
	in.quiet = !strcmp(argv[0], "load");
	lab = lab_open(&in);
	if (!lab)
		return 1;
	if (!strcmp(argv[0], "session"))
		rc = lab_session_main(lab, argc, argv);
	else
		rc = !strcmp(argv[0], "call") ? cmd_call(lab, argc, argv) : cmd_load(lab, argc, argv);
	if (rc == 2)
		usage(stderr);
	lab_close(lab);
	return rc;
}
