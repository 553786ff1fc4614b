/* isup/pcap.c - pcap tap writer (libpcap classic format, DLT 139 MTP2 with pseudo-
 * header). One record per MSU/LSSU; FISUs are skipped. Each record is flushed as it is
 * written (signalling rates are low), so a crash or kill loses nothing. Not a reader. */
#include "isup/pcap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"

#define FLUSH_EVERY 1

struct pcap_tap {
	FILE *f;
	uint64_t packets;
	unsigned unflushed;
};

static int put_u32(FILE *f, uint32_t v)
{
	return fwrite(&v, 4, 1, f) == 1 ? 0 : -EIO;	/* native order; magic says which */
}

static int put_u16(FILE *f, uint16_t v)
{
	return fwrite(&v, 2, 1, f) == 1 ? 0 : -EIO;
}

struct pcap_tap *pcap_tap_open(const char *path)
{
	struct pcap_tap *t = calloc(1, sizeof(*t));
	int err = 0;

	if (!t)
		return NULL;
	t->f = fopen(path, "wb");
	if (!t->f) {
		err = errno;
		free(t);
		errno = err;
		return NULL;
	}
	err |= put_u32(t->f, 0xa1b2c3d4);	/* magic, microsecond timestamps */
	err |= put_u16(t->f, 2);
	err |= put_u16(t->f, 4);
	err |= put_u32(t->f, 0);		/* thiszone */
	err |= put_u32(t->f, 0);		/* sigfigs */
	err |= put_u32(t->f, 65535);		/* snaplen */
	err |= put_u32(t->f, PCAP_DLT_MTP2_WITH_PHDR);
	if (err || fflush(t->f)) {
		fclose(t->f);
		free(t);
		errno = EIO;
		return NULL;
	}
	return t;
}

int pcap_tap_write(struct pcap_tap *t, bool sent, uint16_t link, const uint8_t *su, size_t len)
{
	uint64_t now_us = clock_wall_ms() * 1000;
	uint8_t phdr[4] = { sent ? 1 : 0, 0, (uint8_t)(link >> 8), (uint8_t)link };
	int err = 0;

	if (!t || len < 3 || (su[2] & 0x3f) == 0)
		return 0;	/* FISU or runt: not captured */
	err |= put_u32(t->f, (uint32_t)(now_us / 1000000));
	err |= put_u32(t->f, (uint32_t)(now_us % 1000000));
	err |= put_u32(t->f, (uint32_t)(len + sizeof(phdr)));
	err |= put_u32(t->f, (uint32_t)(len + sizeof(phdr)));
	if (err || fwrite(phdr, sizeof(phdr), 1, t->f) != 1 || fwrite(su, len, 1, t->f) != 1)
		return -EIO;
	t->packets++;
	if (++t->unflushed >= FLUSH_EVERY)
		return pcap_tap_flush(t);
	return 0;
}

int pcap_tap_flush(struct pcap_tap *t)
{
	if (!t)
		return 0;
	t->unflushed = 0;
	return fflush(t->f) ? -errno : 0;
}

uint64_t pcap_tap_packets(const struct pcap_tap *t)
{
	return t ? t->packets : 0;
}

void pcap_tap_close(struct pcap_tap *t)
{
	if (!t)
		return;
	fclose(t->f);
	free(t);
}
