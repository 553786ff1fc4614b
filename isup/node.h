/* isup/node.h - a signalling point built from config: every [span NAME] opened with
 * drivers/tdm.h and every [linkset NAME] opened on its span (isup/link.h). Used by cfwdd
 * and by cfwd-lab (which plays the other ends). With CFWD_PORT_BASE set in the
 * environment, a sim span's configured ports P become CFWD_PORT_BASE + P % 100, so
 * parallel test runs do not collide. */
#ifndef ISUP_NODE_H
#define ISUP_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isup/link.h"

struct loop;
struct conf;
struct tdm_span;

#define NODE_SPANS_MAX 48	/* 16 E1s a side (480 calls held) with room to spare */
#define NODE_LINKS_MAX 48

struct isup_node_owner {
	struct isup_link_owner link;
	/* Received bearer block on a timeslot not cross-connected. Optional. */
	void (*bearer_rx)(void *user, struct tdm_span *s, unsigned ts, const uint8_t *blk);
};

struct isup_node {
	struct tdm_span *spans[NODE_SPANS_MAX];
	unsigned n_spans;
	struct isup_link *links[NODE_LINKS_MAX];
	unsigned n_links;
	const struct isup_node_owner *owner;
	void *user;
};

/* Open spans and links of config c. NULL with "file:line: ..." in err. */
struct isup_node *isup_node_open(struct loop *l, struct conf *c,
				 const struct isup_node_owner *owner, void *user, char *err,
				 size_t errlen);
void isup_node_close(struct isup_node *n);	/* NULL-safe */
struct isup_link *isup_node_link(struct isup_node *n, const char *name);
bool isup_node_all_up(const struct isup_node *n);

#endif
