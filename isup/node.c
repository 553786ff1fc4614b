/* isup/node.c - spans and linksets from config (see node.h). Spans first, then each
 * linkset on the span it names; errors carry the config file and line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/util.h"
#include "drivers/tdm.h"
#include "isup/node.h"

static void node_span_state(void *user, struct tdm_span *s, bool up)
{
	LOGP(DTDM, LOGL_INFO, "span %s %s", tdm_span_name(s), up ? "up" : "down");
}

static void node_bearer_rx(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk)
{
	struct isup_node *n = user;

	if (n->owner->bearer_rx)
		n->owner->bearer_rx(n->user, s, ts, blk);
}

static const struct tdm_span_events node_span_events = {
	.span_state = node_span_state,
	.bearer_rx = node_bearer_rx,
};

static uint16_t node_port(uint16_t p)
{
	const char *base = getenv("CFWD_PORT_BASE");

	if (!base || !*base || !p)
		return p;
	return (uint16_t)(atoi(base) + p % 100);
}

static struct tdm_span *node_span(struct isup_node *n, const char *name)
{
	for (unsigned i = 0; i < n->n_spans; i++)
		if (!strcmp(tdm_span_name(n->spans[i]), name))
			return n->spans[i];
	return NULL;
}

static int node_open_span(struct isup_node *n, struct loop *l, struct conf *c,
			  const char *sec, char *err, size_t errlen)
{
	struct tdm_span_cfg cfg;
	struct tdm_span *s;

	if (n->n_spans == NODE_SPANS_MAX) {
		snprintf(err, errlen, "%s: too many spans", conf_path(c));
		return -ENOSPC;
	}
	if (tdm_span_cfg_parse(c, sec, &cfg, err, errlen) < 0)
		return -EINVAL;
	cfg.local_port = node_port(cfg.local_port);
	cfg.remote_port = node_port(cfg.remote_port);
	s = tdm_span_open(l, &cfg, &node_span_events, n, err, errlen);
	if (!s)
		return -EINVAL;
	n->spans[n->n_spans++] = s;
	return 0;
}

static int node_open_link(struct isup_node *n, struct loop *l, struct conf *c,
			  const char *sec, char *err, size_t errlen)
{
	struct linkset_cfg cfg;
	struct tdm_span *s;
	struct isup_link *lk;

	if (n->n_links == NODE_LINKS_MAX) {
		snprintf(err, errlen, "%s: too many linksets", conf_path(c));
		return -ENOSPC;
	}
	if (linkset_cfg_parse(c, sec, &cfg, err, errlen) < 0)
		return -EINVAL;
	s = node_span(n, cfg.span);
	if (!s) {
		struct conf_entry *e = conf_find(c, sec, "span");

		conf_errf(c, e, err, errlen, "no [span %s]", cfg.span);
		return -EINVAL;
	}
	lk = isup_link_open(l, &cfg, s, &n->owner->link, n->user, err, errlen);
	if (!lk)
		return -EINVAL;
	n->links[n->n_links++] = lk;
	return 0;
}

struct isup_node *isup_node_open(struct loop *l, struct conf *c,
				 const struct isup_node_owner *owner, void *user, char *err,
				 size_t errlen)
{
	struct isup_node *n = calloc(1, sizeof(*n));
	size_t i;

	if (!n) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	n->owner = owner;
	n->user = user;
	for (i = 0; i < conf_section_count(c); i++) {
		const char *sec = conf_section_at(c, i);

		if (!strncmp(sec, "span ", 5) && node_open_span(n, l, c, sec, err, errlen) < 0)
			goto fail;
	}
	for (i = 0; i < conf_section_count(c); i++) {
		const char *sec = conf_section_at(c, i);

		if (!strncmp(sec, "linkset ", 8) &&
		    node_open_link(n, l, c, sec, err, errlen) < 0)
			goto fail;
	}
	if (!n->n_links) {
		snprintf(err, errlen, "%s: no [linkset NAME] section", conf_path(c));
		goto fail;
	}
	return n;
fail:
	isup_node_close(n);
	return NULL;
}

void isup_node_close(struct isup_node *n)
{
	if (!n)
		return;
	for (unsigned i = 0; i < n->n_links; i++)
		isup_link_close(n->links[i]);
	for (unsigned i = 0; i < n->n_spans; i++)
		tdm_span_close(n->spans[i]);
	free(n);
}

struct isup_link *isup_node_link(struct isup_node *n, const char *name)
{
	for (unsigned i = 0; i < n->n_links; i++)
		if (!strcmp(isup_link_name(n->links[i]), name))
			return n->links[i];
	return NULL;
}

bool isup_node_all_up(const struct isup_node *n)
{
	for (unsigned i = 0; i < n->n_links; i++)
		if (!isup_link_is_up(n->links[i]))
			return false;
	return true;
}
