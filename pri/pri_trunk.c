/* pri/pri_trunk.c - a PRI trunk group: [trunk NAME] config, one libpri instance made
 * with pri_new_cb() whose read/write callbacks move Q.921 frames (+ 2 FCS bytes, as
 * libpri expects of a DAHDI D-channel) over the tdm signalling link of the D-channel
 * timeslot, the link's hook as pcap tap, pri_check_event() on POLLIN and libpri's
 * scheduler (pri_schedule_next/run) on a loop timer, and the B-channel pool.
 * libpri has no destructor for struct pri: closed instances are parked (see below). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "pri/pri_int.h"
#include "pri/pri_pcap.h"

static const struct {
	const char *name;
	int type;
} switches[] = {
	{ "euroisdn", PRI_SWITCH_EUROISDN_E1 }, { "euroisdn_t1", PRI_SWITCH_EUROISDN_T1 },
	{ "ni2", PRI_SWITCH_NI2 }, { "ni1", PRI_SWITCH_NI1 }, { "dms100", PRI_SWITCH_DMS100 },
	{ "lucent5e", PRI_SWITCH_LUCENT5E }, { "att4ess", PRI_SWITCH_ATT4ESS },
	{ "qsig", PRI_SWITCH_QSIG },
};

int pri_switch_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (!strcmp(switches[i].name, name))
			return switches[i].type;
	return -1;
}

const char *pri_switch_name(int switchtype)
{
	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++)
		if (switches[i].type == switchtype)
			return switches[i].name;
	return "unknown";
}

static int cfg_enum(struct conf *c, const char *sec, const char *key, const char *def,
		    const char **out, char *err, size_t errlen)
{
	return conf_get_str(c, sec, key, def, out, err, errlen);
}

/* nationalprefix / internationalprefix: 1 to 3 digits, or absent (empty) */
static int cfg_prefix(struct conf *c, const char *sec, const char *key, char *out, size_t cap,
		      char *err, size_t errlen)
{
	const char *s;
	size_t n;

	if (conf_get_str(c, sec, key, "", &s, err, errlen) < 0)
		return -EINVAL;
	n = strlen(s);
	if (n >= cap || strspn(s, "0123456789") != n) {
		conf_errf(c, conf_find(c, sec, key), err, errlen,
			  "a prefix is 1 to %zu digits, not '%s'", cap - 1, s);
		return -EINVAL;
	}
	memcpy(out, s, n + 1);
	return 0;
}

int pri_trunk_cfg_parse(struct conf *c, const char *section, struct pri_trunk_cfg *cfg,
			char *err, size_t errlen)
{
	const char *s;
	long v;

	memset(cfg, 0, sizeof(*cfg));
	str_copy(cfg->name, section + 6, sizeof(cfg->name));	/* "trunk NAME" */
	if (cfg_enum(c, section, "span", cfg->name, &s, err, errlen) < 0)
		return -EINVAL;
	str_copy(cfg->span, s, sizeof(cfg->span));
	if (cfg_enum(c, section, "switchtype", "euroisdn", &s, err, errlen) < 0)
		return -EINVAL;
	cfg->switchtype = pri_switch_from_name(s);
	if (cfg->switchtype < 0) {
		conf_errf(c, conf_find(c, section, "switchtype"), err, errlen,
			  "unknown switch type '%s'", s);
		return -EINVAL;
	}
	if (cfg_enum(c, section, "side", "network", &s, err, errlen) < 0)
		return -EINVAL;
	if (strcmp(s, "network") && strcmp(s, "cpe")) {
		conf_errf(c, conf_find(c, section, "side"), err, errlen,
			  "side is network or cpe, not '%s'", s);
		return -EINVAL;
	}
	cfg->network = !strcmp(s, "network");
	if (conf_get_long(c, section, "dchan", 1, PRI_TRUNK_CHANS_MAX, 16, &v, err, errlen) < 0)
		return -EINVAL;
	cfg->dchan = (unsigned)v;
	if (cfg_enum(c, section, "bchannels", cfg->dchan == 24 ? "1-23" : "1-15,17-31", &s, err,
		     errlen) < 0)
		return -EINVAL;
	if (conf_parse_ranges(s, cfg->bchans, PRI_TRUNK_CHANS_MAX) < 0 ||
	    conf_range_has(cfg->bchans, cfg->dchan)) {
		conf_errf(c, conf_find(c, section, "bchannels"), err, errlen,
			  "bad B-channel list '%s' (ranges, not the dchan)", s);
		return -EINVAL;
	}
	if (conf_get_bool(c, section, "facility", false, &cfg->facility, err, errlen) < 0 ||
	    conf_get_long(c, section, "debug", 0, 0xffff, 0, &v, err, errlen) < 0 ||
	    cfg_prefix(c, section, "nationalprefix", cfg->numfmt.natprefix,
		       sizeof(cfg->numfmt.natprefix), err, errlen) < 0 ||
	    cfg_prefix(c, section, "internationalprefix", cfg->numfmt.intlprefix,
		       sizeof(cfg->numfmt.intlprefix), err, errlen) < 0)
		return -EINVAL;
	cfg->debug = (int)v;
	return 0;
}

/* libpri's messages go to our log (DPRI); it prints one line at a time with '\n'. */
static void pri_log_msg(struct pri *pri, char *s)
{
	LOGP(DPRI, LOGL_DEBUG, "%.*s", (int)strcspn(s, "\n"), s);
}

static void pri_log_err(struct pri *pri, char *s)
{
	LOGP(DPRI, LOGL_NOTICE, "libpri: %.*s", (int)strcspn(s, "\n"), s);
}

/* I/O callbacks: one frame + 2 FCS bytes per datagram, both ways. */
static int trunk_io_read(struct pri *pri, void *buf, int buflen)
{
	struct pri_trunk *t = pri_get_userdata(pri);
	ssize_t n = recv(t->fd, buf, (size_t)buflen, MSG_DONTWAIT);

	if (n <= 0)
		return -1;
	t->st.frames_rx++;
	return (int)n;
}

static int trunk_io_write(struct pri *pri, void *buf, int buflen)
{
	struct pri_trunk *t = pri_get_userdata(pri);
	ssize_t n = send(t->fd, buf, (size_t)buflen, MSG_DONTWAIT | MSG_NOSIGNAL);

	if (n < 0) {
		LOGP(DPRI, LOGL_ERROR, "trunk %s: frame lost: %s", t->cfg.name, strerror(errno));
		return -1;
	}
	t->st.frames_tx++;
	return (int)n;
}

/* Every frame passes here (FCS stripped) on its way: the pcap tap. */
static bool trunk_frame_hook(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *fr,
			     size_t *len, size_t cap)
{
	struct pri_trunk *t = user;

	pri_pcap_write(t->pcap, dir == TDM_SU_TX, t->cfg.network, fr, *len);
	if (t->tap)
		t->tap(t->tap_user, t, dir == TDM_SU_TX, fr, *len);
	return true;
}

void pri_trunk_sched_arm(struct pri_trunk *t)
{
	struct timeval *tv = pri_schedule_next(t->pri);
	struct timeval now;
	int64_t us;

	if (!tv) {
		timer_cancel(&t->sched);
		return;
	}
	gettimeofday(&now, NULL);
	us = (int64_t)(tv->tv_sec - now.tv_sec) * 1000000 + (tv->tv_usec - now.tv_usec);
	timer_schedule_us(&t->sched, us > 0 ? (uint64_t)us : 0);
}

static void trunk_sched_fired(struct timer *tm, void *user)
{
	struct pri_trunk *t = user;
	pri_event *e;

	while ((e = pri_schedule_run(t->pri)))
		pri_trunk_handle_event(t, e);
	pri_trunk_sched_arm(t);
}

static void trunk_readable(struct loop *l, int fd, short revents, void *user)
{
	struct pri_trunk *t = user;
	pri_event *e = pri_check_event(t->pri);

	if (e)
		pri_trunk_handle_event(t, e);
	pri_trunk_sched_arm(t);
}

/* libpri cannot free a struct pri: a closed trunk's instance stays here, reachable,
 * never used again (its fd is closed, nothing schedules it). */
#define PARKED_MAX 256
static struct pri *parked[PARKED_MAX];
static unsigned n_parked;

static void trunk_setup_pri(struct pri_trunk *t)
{
	static bool handlers;

	if (!handlers) {
		pri_set_message(pri_log_msg);
		pri_set_error(pri_log_err);
		handlers = true;
	}
	pri_set_debug(t->pri, t->cfg.debug);
	if (t->cfg.facility)
		pri_facility_enable(t->pri);
	pri_hangup_fix_enable(t->pri, 1);
	pri_set_overlapdial(t->pri, 0);
}

/* A fresh libpri instance on the same fd: Q.921 starts over (SABME at once). */
static int trunk_new_pri(struct pri_trunk *t)
{
	struct pri *p = pri_new_cb(t->fd, t->cfg.network ? PRI_NETWORK : PRI_CPE,
				   t->cfg.switchtype, trunk_io_read, trunk_io_write, t);

	if (!p)
		return -ENOMEM;
	if (t->pri && n_parked < PARKED_MAX)
		parked[n_parked++] = t->pri;
	t->pri = p;
	trunk_setup_pri(t);
	pri_trunk_sched_arm(t);
	return 0;
}

/* Layer 1 from the span. Lost: the D-channel is down now (not after Q.921's T200 x
 * N200 or T203), the legs are released (27). Back: libpri cannot be told layer 1
 * returned, so layer 2 restarts with a fresh instance and D-channel up follows UA. */
static void trunk_l1_state(void *user, struct tdm_link *lk, bool up)
{
	struct pri_trunk *t = user;

	LOGP(DPRI, LOGL_INFO, "trunk %s: span %s", t->cfg.name, up ? "up" : "down");
	if (up) {
		if (t->l1_lost && trunk_new_pri(t) < 0)
			LOGP(DPRI, LOGL_ERROR, "trunk %s: cannot restart layer 2", t->cfg.name);
		t->l1_lost = false;
		return;
	}
	t->l1_lost = true;
	if (!t->up)
		return;
	t->up = false;
	t->st.dchan_downs++;
	pri_trunk_drop_legs(t, PRI_CAUSE_DESTINATION_OUT_OF_ORDER);
	if (t->owner->dchan_state)
		t->owner->dchan_state(t->user, t, false);
}

struct pri_trunk *pri_trunk_open(struct loop *l, const struct pri_trunk_cfg *cfg,
				 struct tdm_span *span, const struct pri_trunk_owner *owner,
				 void *user, struct pri_pcap *pcap, char *err, size_t errlen)
{
	struct pri_trunk *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->cfg = *cfg;
	t->loop = l;
	t->span = span;
	t->owner = owner;
	t->user = user;
	t->pcap = pcap;
	for (unsigned ch = 1; ch <= PRI_TRUNK_CHANS_MAX; ch++)
		if (conf_range_has(cfg->bchans, ch) && ch <= tdm_span_channels(span))
			t->n_bchans++;
	timer_setup(&t->sched, l, trunk_sched_fired, t);
	t->tl = tdm_link_open(span, cfg->dchan, 0, trunk_frame_hook, trunk_l1_state, t);
	if (!t->tl) {
		snprintf(err, errlen, "trunk %s: cannot open the D-channel on ts %u of span %s",
			 cfg->name, cfg->dchan, tdm_span_name(span));
		free(t);
		return NULL;
	}
	t->fd = tdm_link_fd(t->tl);
	t->l1_lost = !tdm_span_is_up(span);	/* layer 2 (re)starts when the span comes up */
	if (trunk_new_pri(t) < 0 || loop_fd_add(l, t->fd, POLLIN, trunk_readable, t) < 0) {
		snprintf(err, errlen, "trunk %s: libpri instance failed", cfg->name);
		tdm_link_close(t->tl);
		free(t);
		return NULL;
	}
	LOGP(DPRI, LOGL_INFO, "trunk %s: %s %s side on span %s, D-channel ts %u, %u B-channels",
	     cfg->name, pri_switch_name(cfg->switchtype), cfg->network ? "network" : "cpe",
	     tdm_span_name(span), cfg->dchan, t->n_bchans);
	return t;
}

void pri_trunk_close(struct pri_trunk *t)
{
	if (!t)
		return;
	/* the leak check of the scenario tests reads this line */
	LOGP(DPRI, LOGL_NOTICE, "trunk %s: closing with %u legs, %u B-channels busy; calls in "
	     "%llu out %llu rejected %llu, D-channel downs %llu", t->cfg.name, t->n_legs,
	     t->n_bchans - pri_trunk_bchans_idle(t), (unsigned long long)t->st.calls_in,
	     (unsigned long long)t->st.calls_out, (unsigned long long)t->st.calls_rejected,
	     (unsigned long long)t->st.dchan_downs);
	pri_trunk_drop_legs(t, PRI_CAUSE_NORMAL_TEMPORARY_FAILURE);
	timer_cancel(&t->sched);
	loop_fd_del(t->loop, t->fd);
	tdm_link_close(t->tl);
	if (n_parked < PARKED_MAX)
		parked[n_parked++] = t->pri;
	free(t);
}

unsigned pri_trunk_pick_chan(struct pri_trunk *t)
{
	unsigned n = tdm_span_channels(t->span);

	/* round robin from the last one used, so a just-cleared channel rests */
	for (unsigned i = 1; i <= n; i++) {
		unsigned ch = (t->last_chan + i - 1) % n + 1;

		if (conf_range_has(t->cfg.bchans, ch) && !t->chan[ch]) {
			t->last_chan = ch;
			return ch;
		}
	}
	return 0;
}

void pri_trunk_leg_link(struct pri_trunk *t, struct pri_leg *leg)
{
	t->chan[leg->chan] = leg;
	leg->next = t->legs;
	t->legs = leg;
	t->n_legs++;
}

void pri_trunk_leg_unlink(struct pri_trunk *t, struct pri_leg *leg)
{
	for (struct pri_leg **pp = &t->legs; *pp; pp = &(*pp)->next) {
		if (*pp == leg) {
			*pp = leg->next;
			t->n_legs--;
			break;
		}
	}
	if (t->chan[leg->chan] == leg)
		t->chan[leg->chan] = NULL;
}

struct pri_leg *pri_trunk_leg_by_call(struct pri_trunk *t, q931_call *call)
{
	if (!call)
		return NULL;
	for (struct pri_leg *leg = t->legs; leg; leg = leg->next)
		if (leg->call == call)
			return leg;
	return NULL;
}

const char *pri_trunk_name(const struct pri_trunk *t)
{
	return t->cfg.name;
}

struct tdm_span *pri_trunk_span(const struct pri_trunk *t)
{
	return t->span;
}

bool pri_trunk_is_up(const struct pri_trunk *t)
{
	return t->up;
}

bool pri_trunk_is_network(const struct pri_trunk *t)
{
	return t->cfg.network;
}

unsigned pri_trunk_bchans(const struct pri_trunk *t)
{
	return t->n_bchans;
}

unsigned pri_trunk_bchans_idle(const struct pri_trunk *t)
{
	unsigned busy = 0;

	for (unsigned ch = 1; ch <= PRI_TRUNK_CHANS_MAX; ch++)
		if (t->chan[ch])
			busy++;
	return t->n_bchans - busy;
}

unsigned pri_trunk_legs(const struct pri_trunk *t)
{
	return t->n_legs;
}

struct pri_leg *pri_trunk_leg_on(struct pri_trunk *t, unsigned chan)
{
	return chan <= PRI_TRUNK_CHANS_MAX ? t->chan[chan] : NULL;
}

void pri_trunk_set_tap(struct pri_trunk *t, pri_trunk_tap tap, void *user)
{
	t->tap = tap;
	t->tap_user = user;
}

const struct pri_trunk_cfg *pri_trunk_get_cfg(const struct pri_trunk *t)
{
	return &t->cfg;
}

const struct pri_trunk_stats *pri_trunk_get_stats(const struct pri_trunk *t)
{
	return &t->st;
}
