/* drivers/tdm.c - the backend-independent part of drivers/tdm.h: span config, backend
 * dispatch, bearer queues and cross-connects (A-law <-> µ-law transcoded on the way, see
 * tdm_law.c), and the SU relay between the network side of a signalling link and the
 * socketpair end libss7 reads and writes (DAHDIMTP2 framing: SU + 2 FCS bytes per
 * datagram). Every SU passes the link's hook both ways. */
#include "drivers/tdm_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/util.h"

#ifdef HAVE_DAHDI
#include "drivers/tdm_dahdi.h"
#endif

/* dahdi is compiled in where dahdi/user.h exists (drivers/module.mk sets HAVE_DAHDI). */
static const struct tdm_ops *const backends[] = {
	&tdm_sim_ops,
#ifdef HAVE_DAHDI
	&tdm_dahdi_ops,
#endif
};

const char *tdm_law_name(enum tdm_law law)
{
	return law == TDM_LAW_ALAW ? "alaw" : "ulaw";
}

uint8_t tdm_law_idle(enum tdm_law law)
{
	return law == TDM_LAW_ALAW ? 0xd5 : 0xff;
}

void tdm_span_cfg_default(struct tdm_span_cfg *cfg, const char *name)
{
	memset(cfg, 0, sizeof(*cfg));
	str_copy(cfg->name, name, sizeof(cfg->name));
	str_copy(cfg->backend, "sim", sizeof(cfg->backend));
	cfg->law = TDM_LAW_ULAW;
	cfg->channels = 31;
	cfg->hello_ms = 200;
	cfg->dead_ms = 1000;
	cfg->base_channel = 1;
}

static int parse_law(struct conf *c, const char *sec, enum tdm_law *law, char *err,
		     size_t errlen)
{
	const char *s;
	int rc = conf_get_str(c, sec, "law", "ulaw", &s, err, errlen);

	if (rc)
		return rc;
	if (!strcmp(s, "ulaw") || !strcmp(s, "mulaw"))
		*law = TDM_LAW_ULAW;
	else if (!strcmp(s, "alaw"))
		*law = TDM_LAW_ALAW;
	else {
		conf_errf(c, conf_find(c, sec, "law"), err, errlen, "law must be ulaw or alaw");
		return -EINVAL;
	}
	return 0;
}

int tdm_span_cfg_parse(struct conf *c, const char *section, struct tdm_span_cfg *cfg,
		       char *err, size_t errlen)
{
	const char *name = !strncmp(section, "span ", 5) ? section + 5 : section;
	const char *backend;
	long v[6];
	int rc;

	tdm_span_cfg_default(cfg, name);
	rc = conf_get_str(c, section, "backend", "sim", &backend, err, errlen);
	if (!rc && strcmp(backend, "sim") && strcmp(backend, "dahdi")) {
		conf_errf(c, conf_find(c, section, "backend"), err, errlen,
			  "backend must be sim or dahdi");
		return -EINVAL;
	}
	if (!rc) {
		str_copy(cfg->backend, backend, sizeof(cfg->backend));
		rc = parse_law(c, section, &cfg->law, err, errlen);
	}
	if (!rc)
		rc = conf_get_long(c, section, "channels", 1, TDM_TIMESLOTS_MAX, 31, &v[0], err,
				   errlen);
	if (!rc)
		rc = conf_get_long(c, section, "local_port", 0, 65535, 0, &v[1], err, errlen);
	if (!rc)
		rc = conf_get_long(c, section, "remote_port", 0, 65535, 0, &v[2], err, errlen);
	if (!rc)
		rc = conf_get_long(c, section, "hello_ms", 10, 10000, 200, &v[3], err, errlen);
	if (!rc)
		rc = conf_get_long(c, section, "dead_ms", 20, 60000, 1000, &v[4], err, errlen);
	if (!rc)
		rc = conf_get_long(c, section, "base_channel", 1, 4096, 1, &v[5], err, errlen);
	if (rc)
		return rc;
	cfg->channels = (unsigned)v[0];
	cfg->local_port = (uint16_t)v[1];
	cfg->remote_port = (uint16_t)v[2];
	cfg->hello_ms = (unsigned)v[3];
	cfg->dead_ms = (unsigned)v[4];
	cfg->base_channel = (unsigned)v[5];
	if (!strcmp(cfg->backend, "sim") && (!cfg->local_port || !cfg->remote_port)) {
		snprintf(err, errlen, "%s: [%s] sim span needs local_port and remote_port",
			 conf_path(c), section);
		return -EINVAL;
	}
	if (cfg->dead_ms <= cfg->hello_ms) {
		snprintf(err, errlen, "%s: [%s] dead_ms must exceed hello_ms", conf_path(c),
			 section);
		return -EINVAL;
	}
	return 0;
}

struct tdm_span *tdm_span_open(struct loop *l, const struct tdm_span_cfg *cfg,
			       const struct tdm_span_events *ev, void *user, char *err,
			       size_t errlen)
{
	const struct tdm_ops *ops = NULL;
	struct tdm_span *s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(backends); i++)
		if (!strcmp(backends[i]->name, cfg->backend))
			ops = backends[i];
	if (!ops) {
		snprintf(err, errlen, "span %s: backend '%s' is not built in", cfg->name,
			 cfg->backend);
		return NULL;
	}
	if (cfg->channels < 1 || cfg->channels > TDM_TIMESLOTS_MAX) {
		snprintf(err, errlen, "span %s: channels out of range", cfg->name);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "span %s: out of memory", cfg->name);
		return NULL;
	}
	s->loop = l;
	s->cfg = *cfg;
	s->ops = ops;
	if (ev)
		s->ev = *ev;
	s->user = user;
	if (ops->span_open(s, err, errlen)) {
		free(s);
		return NULL;
	}
	LOGP(DTDM, LOGL_INFO, "span %s: open (%s, %s, %u timeslots)", cfg->name, ops->name,
	     tdm_law_name(cfg->law), cfg->channels);
	return s;
}

void tdm_span_close(struct tdm_span *s)
{
	unsigned ts;

	if (!s)
		return;
	while (s->links)
		tdm_link_close(s->links);
	for (ts = 1; ts <= TDM_TIMESLOTS_MAX; ts++)
		if (s->ts[ts].peer)
			tdm_bearer_bridge(s, ts, NULL, 0);
	s->ops->span_close(s);
	free(s);
}

const char *tdm_span_name(const struct tdm_span *s)
{
	return s->cfg.name;
}

enum tdm_law tdm_span_law(const struct tdm_span *s)
{
	return s->cfg.law;
}

unsigned tdm_span_channels(const struct tdm_span *s)
{
	return s->cfg.channels;
}

bool tdm_span_is_up(const struct tdm_span *s)
{
	return s->up;
}

void tdm_span_set_up(struct tdm_span *s, bool up)
{
	struct tdm_link *lk, *next;

	if (s->up == up)
		return;
	s->up = up;
	LOGP(DTDM, LOGL_NOTICE, "span %s: %s", s->cfg.name, up ? "UP" : "DOWN");
	if (s->ev.span_state)
		s->ev.span_state(s->user, s, up);
	for (lk = s->links; lk; lk = next) {
		next = lk->next;
		if (lk->state_cb)
			lk->state_cb(lk->user, lk, up);
	}
}

static bool ts_valid(const struct tdm_span *s, unsigned ts)
{
	return ts >= 1 && ts <= s->cfg.channels;
}

bool tdm_span_any_enabled(const struct tdm_span *s)
{
	unsigned ts;

	for (ts = 1; ts <= s->cfg.channels; ts++)
		if (s->ts[ts].enabled)
			return true;
	return false;
}

int tdm_bearer_enable(struct tdm_span *s, unsigned ts, bool on)
{
	if (!ts_valid(s, ts) || s->ts[ts].link)
		return -EINVAL;
	s->ts[ts].enabled = on;
	s->ts[ts].count = 0;
	return s->ops->bearer_enable ? s->ops->bearer_enable(s, ts, on) : 0;
}

static void txq_push(struct tdm_ts *t, const uint8_t *blk, bool drop_oldest)
{
	if (t->count == TDM_TXQ_BLOCKS) {
		if (!drop_oldest)
			return;
		t->head = (t->head + 1) % TDM_TXQ_BLOCKS;
		t->count--;
	}
	memcpy(t->txq[(t->head + t->count) % TDM_TXQ_BLOCKS], blk, TDM_BLOCK_BYTES);
	t->count++;
}

int tdm_bearer_write(struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	if (!ts_valid(s, ts) || !s->ts[ts].enabled)
		return -EINVAL;
	if (s->ts[ts].count == TDM_TXQ_BLOCKS)
		return -ENOBUFS;
	txq_push(&s->ts[ts], blk, false);
	return 0;
}

bool tdm_bearer_next(struct tdm_span *s, unsigned ts, uint8_t *blk)
{
	struct tdm_ts *t = &s->ts[ts];

	if (!t->count) {
		memset(blk, tdm_law_idle(s->cfg.law), TDM_BLOCK_BYTES);
		return false;
	}
	memcpy(blk, t->txq[t->head], TDM_BLOCK_BYTES);
	t->head = (t->head + 1) % TDM_TXQ_BLOCKS;
	t->count--;
	return true;
}

void tdm_bearer_deliver(struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct tdm_ts *t = &s->ts[ts];

	if (!t->enabled)
		return;
	if (t->peer) {	/* relay: bounded latency, the oldest block gives way */
		uint8_t conv[TDM_BLOCK_BYTES];

		if (t->peer->cfg.law != s->cfg.law) {
			tdm_law_convert(s->cfg.law, t->peer->cfg.law, conv, blk, sizeof(conv));
			blk = conv;
		}
		txq_push(&t->peer->ts[t->peer_ts], blk, true);
		return;
	}
	if (s->ev.bearer_rx)
		s->ev.bearer_rx(s->user, s, ts, blk);
}

int tdm_bearer_bridge(struct tdm_span *a, unsigned ts_a, struct tdm_span *b, unsigned ts_b)
{
	struct tdm_ts *ta;

	if (!ts_valid(a, ts_a))
		return -EINVAL;
	ta = &a->ts[ts_a];
	if (!b) {
		if (ta->peer) {
			ta->peer->ts[ta->peer_ts].peer = NULL;
			ta->peer = NULL;
		}
		return 0;
	}
	if (!ts_valid(b, ts_b) || (a == b && ts_a == ts_b))
		return -EINVAL;
	if (!ta->enabled || !b->ts[ts_b].enabled)
		return -EINVAL;
	tdm_bearer_bridge(a, ts_a, NULL, 0);
	tdm_bearer_bridge(b, ts_b, NULL, 0);
	ta->peer = b;
	ta->peer_ts = ts_b;
	b->ts[ts_b].peer = a;
	b->ts[ts_b].peer_ts = ts_a;
	return 0;
}
