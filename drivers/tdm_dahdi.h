/* drivers/tdm_dahdi.h - what the "dahdi" TDM backend (drivers/tdm_dahdi.c) adds to
 * drivers/tdm.h: the kind of kernel signalling channel under a link (system.conf `mtp2=`
 * or `dchan=`, which decides libss7's transport) and per-timeslot counters. Built only
 * where dahdi/user.h exists (HAVE_DAHDI); the sim backend never needs this header. */
#ifndef DRIVERS_TDM_DAHDI_H
#define DRIVERS_TDM_DAHDI_H

#include <stdbool.h>
#include <stdint.h>

#include "drivers/tdm.h"

extern const struct tdm_ops tdm_dahdi_ops;

enum tdm_dahdi_sig {
	TDM_DAHDI_SIG_MTP2, /* kernel MTP2: give libss7 SS7_TRANSPORT_DAHDIMTP2 */
	TDM_DAHDI_SIG_DCHAN, /* HDLC with FCS: give libss7 SS7_TRANSPORT_DAHDIDCHAN */
};
const char *tdm_dahdi_sig_name(enum tdm_dahdi_sig sig);

/* The signalling mode of a link on a dahdi span; -EINVAL for a link on another backend. */
int tdm_dahdi_link_sig(const struct tdm_link *lk);

struct tdm_dahdi_ts_stats {
	int channo; /* DAHDI channel number */
	bool kernel_bridged; /* DAHDI_CONF_DIGITALMON in force */
	uint64_t rx_blocks, tx_blocks; /* bearer blocks read / written by us */
	uint64_t rx_bridged; /* blocks read and dropped: the kernel relays them */
	uint64_t tx_drops; /* write() refused (kernel buffers full) */
	uint64_t bad_frames; /* DAHDI_EVENT_BADFCS / ABORT / OVERRUN */
};
/* 0, or -EINVAL when s is not a dahdi span or ts is out of range. */
int tdm_dahdi_ts_stats(const struct tdm_span *s, unsigned ts, struct tdm_dahdi_ts_stats *st);

#endif
