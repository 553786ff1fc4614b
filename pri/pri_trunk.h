/* pri/pri_trunk.h - a PRI trunk group (E1 30B+D, T1/J1 23B+D), the linkset-like object
 * of the ISDN side: one libpri instance (network or CPE side, switch type from config)
 * whose Q.921 frames move through a drivers/tdm.h signalling link on the D-channel
 * timeslot (sim span: one frame per datagram; DAHDI: the dchan), driven by core/loop,
 * and whose B-channels are the circuits of its call legs (pri/pri_leg.h). Exposes no
 * libpri type. Config: [trunk NAME] (docs/pri.md). */
#ifndef PRI_PRI_TRUNK_H
#define PRI_PRI_TRUNK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;
struct conf;
struct tdm_span;
struct pri_pcap;
struct pri_trunk;
struct pri_leg;

#include "isup/facts.h"

#define PRI_TRUNK_CHANS_MAX 31

/* [trunk NAME]: span, switchtype (euroisdn|ni2|ni1|dms100|lucent5e|att4ess|qsig),
 * side (network|cpe), dchan (16 on E1, 24 on T1/J1), bchannels (1-15,17-31),
 * facility (no; yes: on euroisdn/qsig libpri sends DivertingLegInformation2, with the
 * diversion counter and original called number, *instead of* the Redirecting Number IE),
 * debug (libpri debug mask for DPRI debug logging, 0), nationalprefix /
 * internationalprefix (numbers typed national/international without the prefix, as on
 * ISUP linksets: isup/facts.h; unset: numbers go out as held). */
struct pri_trunk_cfg {
	char name[32];
	char span[32];
	int switchtype;		/* libpri PRI_SWITCH_* value */
	bool network;
	unsigned dchan;
	uint8_t bchans[(PRI_TRUNK_CHANS_MAX + 7) / 8];	/* conf_parse_ranges bitmap */
	bool facility;
	int debug;
	struct call_num_format numfmt;
};

/* Read section "trunk NAME". 0 or -EINVAL with "file:line: ..." in err. */
int pri_trunk_cfg_parse(struct conf *c, const char *section, struct pri_trunk_cfg *cfg,
			char *err, size_t errlen);
/* "euroisdn" etc. <-> PRI_SWITCH_*; -1 for an unknown name. */
int pri_switch_from_name(const char *name);
const char *pri_switch_name(int switchtype);

struct pri_trunk_owner {
	/* D-channel (Q.921 multiple frame operation) came up or went down. Optional. On
	 * down, every leg of the trunk has been released (cause 27) before this call. */
	void (*dchan_state)(void *user, struct pri_trunk *t, bool up);
	/* A SETUP arrived on an idle B-channel: adopt the leg with pri_leg_set_owner() (and
	 * answer it, route it...) or pri_leg_release() it before returning. */
	void (*incoming)(void *user, struct pri_trunk *t, struct pri_leg *leg);
};

/* Open the trunk on span (the D-channel timeslot must be free). pcap may be NULL.
 * NULL with a message in err. */
struct pri_trunk *pri_trunk_open(struct loop *l, const struct pri_trunk_cfg *cfg,
				 struct tdm_span *span, const struct pri_trunk_owner *owner,
				 void *user, struct pri_pcap *pcap, char *err, size_t errlen);
/* Release every leg (cause 41, owners told), close the link. NULL-safe. */
void pri_trunk_close(struct pri_trunk *t);

const char *pri_trunk_name(const struct pri_trunk *t);
struct tdm_span *pri_trunk_span(const struct pri_trunk *t);
bool pri_trunk_is_up(const struct pri_trunk *t);	/* D-channel up */
bool pri_trunk_is_network(const struct pri_trunk *t);
unsigned pri_trunk_bchans(const struct pri_trunk *t);	/* configured B-channels */
unsigned pri_trunk_bchans_idle(const struct pri_trunk *t);
unsigned pri_trunk_legs(const struct pri_trunk *t);	/* legs alive (leak checks) */
struct pri_leg *pri_trunk_leg_on(struct pri_trunk *t, unsigned chan);

struct pri_trunk_stats {
	uint64_t frames_rx, frames_tx;	/* Q.921 frames */
	uint64_t calls_in, calls_out, calls_rejected;	/* rejected: no/bad B-channel */
	uint64_t dchan_ups, dchan_downs;
};
const struct pri_trunk_stats *pri_trunk_get_stats(const struct pri_trunk *t);
const struct pri_trunk_cfg *pri_trunk_get_cfg(const struct pri_trunk *t);

/* Every Q.921 frame (FCS stripped) as it passes, e.g. for a ladder (pri/pri_q931.h).
 * sent: we sent it. One tap per trunk; NULL removes it. */
typedef void (*pri_trunk_tap)(void *user, struct pri_trunk *t, bool sent, const uint8_t *frame,
			      size_t len);
void pri_trunk_set_tap(struct pri_trunk *t, pri_trunk_tap tap, void *user);

#endif
