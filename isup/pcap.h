/* isup/pcap.h - pcap tap for signalling links: libpcap file format, link type 139
 * (DLT_MTP2_WITH_PHDR: 4-byte pseudo-header {sent, annex_a_used, link_number BE} + SU
 * without FCS), so `tshark -r FILE -Y isup` decodes it. MSUs and LSSUs of both
 * directions are written; FISUs are skipped. Timestamps from clock_wall_ms().
 * Every packet is flushed as written (and on close). Does not read pcaps. */
#ifndef ISUP_PCAP_H
#define ISUP_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAP_DLT_MTP2_WITH_PHDR 139

struct pcap_tap;

/* Create/truncate path and write the global header. NULL with errno set on error. */
struct pcap_tap *pcap_tap_open(const char *path);
/* Write one SU (FCS stripped). sent = true when we sent it (towards the network).
 * FISUs (LI = 0) are skipped and return 0. 0 or -errno. */
int pcap_tap_write(struct pcap_tap *t, bool sent, uint16_t link, const uint8_t *su, size_t len);
int pcap_tap_flush(struct pcap_tap *t);
uint64_t pcap_tap_packets(const struct pcap_tap *t);	/* packets written so far */
void pcap_tap_close(struct pcap_tap *t);	/* NULL-safe; flushes */

#endif
