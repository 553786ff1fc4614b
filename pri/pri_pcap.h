/* pri/pri_pcap.h - pcap tap for PRI D-channels: libpcap classic format, link type 177
 * (DLT_LINUX_LAPD: a 16-byte "cooked" pseudo-header giving the direction and whether we
 * are the network side, then the Q.921 frame without FCS), so `tshark -r FILE -Y q931`
 * decodes Q.921 and Q.931. One pcap file has one link type, so PRI frames go to their
 * own file (cfwdd --pcap-pri FILE), next to the MTP2 one (--pcap). Not a reader. */
#ifndef PRI_PRI_PCAP_H
#define PRI_PRI_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PRI_PCAP_DLT_LINUX_LAPD 177

struct pri_pcap;

/* Create/truncate path and write the global header. NULL with errno set on error. */
struct pri_pcap *pri_pcap_open(const char *path);
/* One Q.921 frame (FCS stripped). sent: we sent it; network: we are the network side.
 * Every frame is written (RR keepalives too) and flushed. 0 or -errno. */
int pri_pcap_write(struct pri_pcap *p, bool sent, bool network, const uint8_t *frame,
		   size_t len);
uint64_t pri_pcap_packets(const struct pri_pcap *p);
void pri_pcap_close(struct pri_pcap *p);	/* NULL-safe */

#endif
