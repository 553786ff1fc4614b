/* daemon/cfwdd.c - the feature server daemon: loads the config (errors as file:line),
 * opens spans and linksets (isup/node.h), routes calls (isup/call.h), writes the pcap
 * tap, serves the control socket; SIGTERM releases calls and stops cleanly, SIGHUP
 * reloads the routing table.
 *   cfwdd -c conf/cfwd.conf [--db F] [--pcap F] [--ctl SOCKET] [--log SPEC] [-f] */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "daemon/ctl.h"
#include "daemon/ctl_client.h"
#include "daemon/metrics_http.h"
#include "daemon/ops_ctl.h"
#include "daemon/status.h"
#include "feature/cfwd/forward.h"
#include "feature/cfwd/announce.h"
#include "feature/cfwd/forward_hook.h"
#include "feature/cfwd/session_call.h"
#include "feature/cfwd/store.h"
#include "isup/call.h"
#include "isup/iam_latency.h"
#include "isup/node.h"
#include "isup/pcap.h"
#include "isup/route.h"
#include "media/prompt_set.h"
#include "pri/pri_call.h"
#include "pri/pri_pcap.h"

struct cfwdd {
	struct loop *loop;
	const char *conf_path;
	struct isup_node *node;
	struct call_ctx *calls;
	struct pcap_tap *pcap;
	struct pri_calls *pri;		/* [trunk NAME]: ISDN PRI trunks (pri/) */
	struct pri_pcap *pcap_pri;	/* --pcap-pri: Q.921/Q.931, DLT 177 */
	struct ctl_server *ctl;
	struct metrics_export *metrics;
	struct store *store;
	struct forward *fwd;		/* call forwarding (needs the store) */
	struct forward_hook *hook;	/* feature dispatcher: sessions, forwarding */
	struct prompt_set *prompts;	/* voice guidance ([service] language) */
	struct session_calls *sessions;	/* 142 / remote-control calls (needs the store) */
	struct announcer *announce;	/* announcements to rejected callers (store) */
	int sig_pipe[2];
	uint64_t start_ms;
	bool stopping;
	uint64_t stop_deadline_ms;
	struct timer stop_timer;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: cfwdd -c FILE [--db FILE] [--pcap FILE] [--pcap-pri FILE] "
		   "[--ctl SOCKET] "
		   "[--log SPEC] [-f]\n       cfwdd [-c FILE | --ctl SOCKET] --query LINE\n"
		   "  -c FILE       configuration ([span NAME], [linkset NAME], [route], ...)\n"
		   "  --db FILE     subscriber store (overrides [store] path)\n"
		   "  --pcap FILE   write every MSU/LSSU sent and received (DLT 139)\n"
		   "  --pcap-pri F  write every Q.921 frame of the PRI trunks (DLT 177, LAPD)\n"
		   "  --ctl SOCKET  control socket (default [control] socket, else %s)\n"
		   "  --log SPEC    log levels, e.g. all=notice,isup=debug\n"
		   "  -f            stay in the foreground\n"
		   "  --query LINE  ask a running cfwdd (status, status json, reload, ping)\n"
		   "                on --ctl SOCKET or the config's socket, print the reply\n"
		   "Signals: SIGTERM/SIGINT stop (calls released), SIGHUP reloads [route].\n",
		CFWDD_CTL_DEFAULT);
}

static void cfwdd_su_tap(void *user, struct isup_link *lk, bool sent, const uint8_t *su,
			 size_t len)
{
	struct cfwdd *d = user;
	struct isup_node *n = d->node;
	uint16_t id = 0;

	if (!d->pcap)
		return;
	for (unsigned i = 0; n && i < n->n_links; i++)
		if (n->links[i] == lk)
			id = (uint16_t)i;
	pcap_tap_write(d->pcap, sent, id, su, len);
}

static struct cfwdd *the_daemon;

static void cfwdd_incoming(void *user, struct isup_link *lk, struct call_leg *leg)
{
	struct cfwdd *d = user;

	call_ctx_incoming(d->calls, lk, leg);
}

/* Audio of a timeslot that is not cross-connected: a 142 / remote-control session's. */
static void cfwdd_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct cfwdd *d = user;

	if (d->sessions && session_calls_bearer_rx(d->sessions, s, ts, blk))
		return;
	if (d->announce)
		announcer_bearer_rx(d->announce, s, ts, blk);
}

/* 142 and the remote-control access numbers still get through an overloaded linkset
 * ([linkset] service_setups beyond max_setups). */
static bool cfwdd_service_call(void *user, struct isup_link *lk, const struct call_facts *f)
{
	struct cfwdd *d = user;

	return d->hook && forward_hook_is_session_number(d->hook, f->called.digits);
}

static const struct isup_node_owner cfwdd_owner = {
	.link = {
		.incoming = cfwdd_incoming,
		.su_tap = cfwdd_su_tap,
		.service_call = cfwdd_service_call,
	},
	.bearer_rx = cfwdd_bearer_rx,
};

static bool cfwdd_has_linkset(void *user, const char *name)
{
	struct cfwdd *d = user;

	return isup_node_link(d->node, name) != NULL || call_ctx_has_trunk(d->calls, name);
}

/* A SETUP on a PRI trunk: the same feature hook and routing as an IAM. */
static void cfwdd_pri_incoming(void *user, struct call_leg *leg)
{
	struct cfwdd *d = user;

	call_ctx_incoming(d->calls, NULL, leg);
}

static int cfwdd_open_pri(struct cfwdd *d, struct conf *c, const char *pcap_path, char *err,
			  size_t errlen)
{
	if (pcap_path && !(d->pcap_pri = pri_pcap_open(pcap_path))) {
		snprintf(err, errlen, "%s: %s", pcap_path, strerror(errno));
		return -EINVAL;
	}
	d->pri = pri_calls_open(d->loop, c, d->node->spans, d->node->n_spans,
				cfwdd_pri_incoming, d, d->pcap_pri, err, errlen);
	if (!d->pri || pri_calls_register(d->pri, d->calls) < 0)
		return -EINVAL;
	return 0;
}

static int cfwdd_reload(struct cfwdd *d, FILE *out)
{
	char err[256];
	struct conf *c = conf_load(d->conf_path, err, sizeof(err));
	struct route_table *t;

	if (!c) {
		LOGP(DCONF, LOGL_ERROR, "reload: %s", err);
		fprintf(out, "error %s\n", err);
		return -EINVAL;
	}
	t = route_table_load(c, err, sizeof(err));
	if (t && route_conf_check(c, cfwdd_has_linkset, d, err, sizeof(err)) < 0) {
		route_table_free(t);
		t = NULL;
	}
	conf_free(c);
	if (!t) {
		LOGP(DCONF, LOGL_ERROR, "reload: %s", err);
		fprintf(out, "error %s\n", err);
		return -EINVAL;
	}
	LOGP(DCONF, LOGL_NOTICE, "routing reloaded: %zu routes", route_table_count(t));
	fprintf(out, "ok %zu routes\n", route_table_count(t));
	call_ctx_set_routes(d->calls, t);
	return 0;
}

/* "block LINKSET CIC" / "unblock LINKSET CIC": BLO/UBL towards the far end. */
static void cfwdd_block(struct cfwdd *d, const char *line, FILE *out)
{
	char cmd[16], name[40];
	unsigned cic;
	struct isup_link *lk;
	int rc;

	if (sscanf(line, "%15s %39s %u", cmd, name, &cic) != 3) {
		fprintf(out, "error usage: %s LINKSET CIC\n", line[0] == 'b' ? "block" : "unblock");
		return;
	}
	lk = isup_node_link(d->node, name);
	rc = lk ? isup_link_block(lk, (uint16_t)cic, cmd[0] == 'b') : -ENOENT;
	if (rc < 0)
		fprintf(out, "error %s %s %u: %s\n", cmd, name, cic, strerror(-rc));
	else
		fprintf(out, "ok %s %s %u\n", cmd, name, cic);
}

/* "status sessions": 142 / remote-control sessions now and since start. */
static void cfwdd_sessions_status(const struct cfwdd *d, FILE *out)
{
	const struct session_calls_stats *st;

	if (!d->sessions) {
		fputs("sessions none (no store)\n", out);
		return;
	}
	st = session_calls_stats(d->sessions);
	fprintf(out, "sessions active %u 142 %llu remote %llu ended-by-us %llu "
		     "ended-by-caller %llu failed %llu billed %llu bill-errors %llu\n",
		session_calls_active(d->sessions), (unsigned long long)st->ivr,
		(unsigned long long)st->remote, (unsigned long long)st->ended_by_us,
		(unsigned long long)st->ended_by_caller, (unsigned long long)st->failed,
		(unsigned long long)st->billed, (unsigned long long)st->bill_errors);
}

static int cfwdd_ctl(void *user, const char *line, FILE *out)
{
	struct cfwdd *d = user;
	unsigned long up = (unsigned long)((clock_now_ms() - d->start_ms) / 1000);

	if (!strcmp(line, "status") || !strcmp(line, "status text")) {
		status_write(out, d->node, d->pri, d->calls, false, up);
	} else if (!strcmp(line, "status json")) {
		status_write(out, d->node, d->pri, d->calls, true, up);
	} else if (!strcmp(line, "status cics")) {
		status_write_cics(out, d->node);
	} else if (!strcmp(line, "status sessions")) {
		cfwdd_sessions_status(d, out);
	} else if (!strcmp(line, "reload")) {
		return cfwdd_reload(d, out) < 0 ? 0 : 0;
	} else if (!strcmp(line, "ping")) {
		fputs("pong\n", out);
	} else if (ops_ctl_handle(line, out)) {
		/* stats, stats json, stats prom, log, log SPEC */
	} else if (!strcmp(line, "latency reset")) {
		iam_latency_reset();
		fputs("ok latency reset\n", out);
	} else if (!strncmp(line, "block ", 6) || !strncmp(line, "unblock ", 8)) {
		cfwdd_block(d, line, out);
	} else if (!strncmp(line, "reset ", 6)) {
		struct isup_link *lk = isup_node_link(d->node, line + 6);
		int rc = lk ? isup_link_reset(lk) : -ENOENT;

		if (rc < 0)
			fprintf(out, "error %s: %s\n", line, strerror(-rc));
		else
			fprintf(out, "ok %s\n", line);
	} else {
		fprintf(out, "error unknown command '%s' (status, status json, reload, ping, "
			     "status cics, status sessions, block|unblock LINKSET CIC, reset LINKSET, latency reset)\n", line);
	}
	return 0;
}

static unsigned cfwdd_legs(const struct cfwdd *d)
{
	unsigned n = 0;

	for (unsigned i = 0; i < d->node->n_links; i++)
		n += isup_link_legs(d->node->links[i]);
	return n;
}

/* Stop once every leg has had its RLC, or after a second at most. */
static void cfwdd_stop_check(struct timer *t, void *user)
{
	struct cfwdd *d = user;

	if (!cfwdd_legs(d) || clock_now_ms() >= d->stop_deadline_ms) {
		if (cfwdd_legs(d))
			LOGP(DCORE, LOGL_NOTICE, "stopping with %u legs awaiting RLC",
			     cfwdd_legs(d));
		loop_stop(d->loop);
		return;
	}
	timer_schedule_ms(t, 20);
}

/* Release every call (REL 16) and give the RLCs up to a second to come back. */
static void cfwdd_begin_stop(struct cfwdd *d)
{
	if (d->stopping)
		return;
	d->stopping = true;
	LOGP(DCORE, LOGL_NOTICE, "stopping: releasing %u calls", call_ctx_active(d->calls));
	if (d->sessions)
		session_calls_stop(d->sessions);	/* dialogues change nothing more */
	if (d->announce)
		announcer_stop(d->announce);
	for (unsigned i = 0; i < d->node->n_links; i++)
		isup_link_release_all(d->node->links[i], 16);
	d->stop_deadline_ms = clock_now_ms() + 1000;
	timer_setup(&d->stop_timer, d->loop, cfwdd_stop_check, d);
	timer_schedule_ms(&d->stop_timer, 20);
}

static void cfwdd_sig_cb(struct loop *l, int fd, short revents, void *user)
{
	struct cfwdd *d = user;
	unsigned char sig;

	while (read(fd, &sig, 1) == 1) {
		if (sig == SIGHUP)
			cfwdd_reload(d, stderr);
		else
			cfwdd_begin_stop(d);
	}
}

static void cfwdd_signal(int sig)
{
	unsigned char b = (unsigned char)sig;

	if (the_daemon && write(the_daemon->sig_pipe[1], &b, 1) < 0)
		_exit(1);
}

static int cfwdd_setup_signals(struct cfwdd *d)
{
	struct sigaction sa = { .sa_handler = cfwdd_signal };

	if (pipe2(d->sig_pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -errno;
	the_daemon = d;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	return loop_fd_add(d->loop, d->sig_pipe[0], POLLIN, cfwdd_sig_cb, d);
}

struct cfwdd_opts {
	const char *conf, *db, *pcap, *pcap_pri, *ctl, *log, *query;
	bool foreground;
};

static int cfwdd_parse_args(int argc, char **argv, struct cfwdd_opts *o)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "pcap", required_argument, NULL, 'p' },
		{ "pcap-pri", required_argument, NULL, 'P' },
		{ "ctl", required_argument, NULL, 's' },
		{ "log", required_argument, NULL, 'l' },
		{ "query", required_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "c:fh", lo, NULL)) != -1) {
		switch (ch) {
		case 'c': o->conf = optarg; break;
		case 'f': o->foreground = true; break;
		case 'd': o->db = optarg; break;
		case 'p': o->pcap = optarg; break;
		case 'P': o->pcap_pri = optarg; break;
		case 's': o->ctl = optarg; break;
		case 'l': o->log = optarg; break;
		case 'q': o->query = optarg; break;
		case 'h': usage(stdout); exit(0);
		default: return -EINVAL;
		}
	}
	if ((!o->conf && !(o->query && o->ctl)) || optind != argc)
		return -EINVAL;
	return 0;
}

/* The subscriber store: --db, else [store] path, else none (plain tandem node). */
static int cfwdd_open_store(struct cfwdd *d, struct conf *c, const struct cfwdd_opts *o)
{
	struct store_opts so;
	const char *path = NULL;
	char err[256];

	store_opts_default(&so);
	if (store_opts_load(c, &so, &path, err, sizeof(err)) < 0) {
		fprintf(stderr, "cfwdd: %s\n", err);
		return -EINVAL;
	}
	if (o->db)
		path = o->db;
	if (!path)
		return 0;
	d->store = store_open_opts(path, &so, err, sizeof(err));
	if (!d->store) {
		fprintf(stderr, "cfwdd: %s\n", err);
		return -EINVAL;
	}
	LOGP(DSTORE, LOGL_NOTICE, "store %s open", path);
	return 0;
}

/* 142 and remote-control sessions (with a store): the guidance of [service] language is
 * loaded now, and a missing prompt file stops the start, named. */
static int cfwdd_open_sessions(struct cfwdd *d, struct conf *c)
{
	char err[256];

	if (!d->store) {
		/* no sessions without a store; their keys are still known */
		if (session_calls_conf_check(c, err, sizeof(err)) == 0)
			return 0;
		goto fail;
	}
	d->prompts = session_prompts_load(c, err, sizeof(err));
	if (!d->prompts)
		goto fail;
	d->sessions = session_calls_alloc(d->loop, c, d->store, d->prompts, err, sizeof(err));
	if (!d->sessions)
		goto fail;
	for (unsigned i = 0; i < d->node->n_spans; i++) {
		if (session_calls_add_span(d->sessions, d->node->spans[i]) < 0) {
			snprintf(err, sizeof(err), "sessions: cannot add span %u", i);
			goto fail;
		}
	}
	forward_hook_set_session(d->hook, session_calls_incoming, d->sessions);
	ops_metrics_watch_sessions(d->sessions);
	/* rejected calls with the `announce` treatment hear the same guidance set */
	d->announce = announcer_alloc(d->loop, d->prompts);
	for (unsigned i = 0; d->announce && i < d->node->n_spans; i++) {
		if (announcer_add_span(d->announce, d->node->spans[i]) < 0) {
			announcer_free(d->announce);
			d->announce = NULL;
		}
	}
	if (!d->announce) {
		snprintf(err, sizeof(err), "announcements: out of memory");
		goto fail;
	}
	if (d->fwd)
		forward_set_announcer(d->fwd, announcer_incoming, d->announce);
	LOGP(DMEDIA, LOGL_NOTICE, "guidance %s: %zu s", prompt_set_dir(d->prompts),
	     prompt_set_samples(d->prompts) / 8000);
	return 0;
fail:
	fprintf(stderr, "cfwdd: %s\n", err);
	return -EINVAL;
}

/* The feature hook: forwarding on the store's subscribers ([service] decision keys),
 * 142 / access numbers left to a session handler (none installed yet: plain routing). */
static int cfwdd_open_features(struct cfwdd *d, struct conf *c)
{
	struct cfwd_decide_conf dc;
	char err[256];

	cfwd_decide_conf_default(&dc);
	if (cfwd_decide_conf_load(c, &dc, err, sizeof(err)) < 0)
		goto fail;
	if (d->store && !(d->fwd = forward_alloc(d->loop, d->store, &dc))) {
		snprintf(err, sizeof(err), "forwarding: out of memory");
		goto fail;
	}
	if (d->fwd && forward_start_writer(d->fwd, err, sizeof(err)) < 0)
		goto fail;
	d->hook = forward_hook_alloc(d->fwd, c, err, sizeof(err));
	if (!d->hook)
		goto fail;
	call_ctx_set_hook(d->calls, forward_hook_incoming, d->hook);
	ops_metrics_watch_forward(d->fwd);
	return cfwdd_open_sessions(d, c);
fail:
	fprintf(stderr, "cfwdd: %s\n", err);
	return -EINVAL;
}

/* Everything the config asks for; 0 or -EINVAL with the message printed. */
static int cfwdd_start(struct cfwdd *d, struct conf *c, const struct cfwdd_opts *o)
{
	char err[256];
	const char *ctl;
	struct route_table *routes;

	if (conf_get_str(c, "control", "socket", CFWDD_CTL_DEFAULT, &ctl, err, sizeof(err)) < 0)
		goto fail;
	if (o->ctl)
		ctl = o->ctl;
	routes = route_table_load(c, err, sizeof(err));
	if (!routes)
		goto fail;
	call_ctx_set_routes(d->calls, routes);
	if (o->pcap) {
		d->pcap = pcap_tap_open(o->pcap);
		if (!d->pcap) {
			snprintf(err, sizeof(err), "%s: %s", o->pcap, strerror(errno));
			goto fail;
		}
	}
	d->node = isup_node_open(d->loop, c, &cfwdd_owner, d, err, sizeof(err));
	if (!d->node)
		goto fail;
	for (unsigned i = 0; i < d->node->n_links; i++)
		call_ctx_add_link(d->calls, d->node->links[i]);
	if (cfwdd_open_pri(d, c, o->pcap_pri, err, sizeof(err)) < 0)
		goto fail;
	ops_metrics_watch(d->node, d->calls);
	d->metrics = metrics_export_open(d->loop, c, err, sizeof(err));
	if (!d->metrics)
		goto fail;
	if (route_conf_check(c, cfwdd_has_linkset, d, err, sizeof(err)) < 0)
		goto fail;
	d->ctl = ctl_server_open(d->loop, ctl, cfwdd_ctl, d, err, sizeof(err));
	if (!d->ctl)
		goto fail;
	if (cfwdd_open_store(d, c, o) < 0 || cfwdd_open_features(d, c) < 0)
		return -EINVAL;
	/* a key that no part read is a typo (or a feature this build lacks): named */
	if (conf_check_unused(c, err, sizeof(err)) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "cfwdd: %s\n", err);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct cfwdd_opts o = { 0 };
	struct cfwdd d = { .sig_pipe = { -1, -1 } };
	char err[256];
	struct conf *c;
	int rc = 1;

	if (cfwdd_parse_args(argc, argv, &o) < 0) {
		usage(stderr);
		return 2;
	}
	ops_log_setup();
	if (o.log && log_parse_spec(o.log, err, sizeof(err)) < 0) {
		fprintf(stderr, "cfwdd: bad --log: %s\n", err);
		return 2;
	}
	c = o.conf ? conf_load(o.conf, err, sizeof(err)) : NULL;
	if (o.conf && !c) {
		fprintf(stderr, "cfwdd: %s\n", err);
		return 1;
	}
	if (o.query) {
		const char *ctl = o.ctl;

		if (!ctl && conf_get_str(c, "control", "socket", CFWDD_CTL_DEFAULT, &ctl, err,
					 sizeof(err)) < 0)
			ctl = CFWDD_CTL_DEFAULT;
		rc = ctl_request(ctl, o.query, stdout) < 0 ? 1 : 0;
		conf_free(c);
		return rc;
	}
	d.conf_path = o.conf;
	d.start_ms = clock_now_ms();
	d.loop = loop_alloc();
	d.calls = call_ctx_alloc(d.loop);
	if (!d.loop || !d.calls || cfwdd_setup_signals(&d) < 0)
		goto out;
	if (cfwdd_start(&d, c, &o) < 0)
		goto out;
	if (!o.foreground && daemon(1, 1) < 0)
		goto out;
	LOGP(DCORE, LOGL_NOTICE, "cfwdd running: %u linksets", d.node->n_links);
	loop_run(d.loop);
	rc = 0;
out:
	ctl_server_close(d.ctl);
	metrics_export_close(d.metrics);
	ops_metrics_watch(NULL, NULL);
	ops_metrics_watch_forward(NULL);
	ops_metrics_watch_sessions(NULL);
	pri_calls_close(d.pri);
	isup_node_close(d.node);
	forward_hook_free(d.hook);
	session_calls_free(d.sessions);
	announcer_free(d.announce);
	prompt_set_free(d.prompts);
	forward_free(d.fwd);
	store_close(d.store);
	pcap_tap_close(d.pcap);
	pri_pcap_close(d.pcap_pri);
	call_ctx_free(d.calls);
	conf_free(c);
	loop_free(d.loop);
	return rc;
}
