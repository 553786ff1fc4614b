/* pri/pri_pcap.c - LAPD pcap writer (DLT 177, Linux LAPD cooked header: packet type 0
 * received / 4 sent, ARPHRD_LAPD, address byte 0 = "we are the network side" which
 * tshark uses to tell commands from responses, protocol ETH_P_LAPD). Each record is
 * flushed as written: D-channel rates are low and a killed process loses nothing. */
#include "pri/pri_pcap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"

#define SLL_LEN 16
#define SLL_HOST 0
#define SLL_OUTGOING 4
#define ARPHRD_LAPD 8445
#define ETH_P_LAPD 0x0030

struct pri_pcap {
	FILE *f;
	uint64_t packets;
};

static int put_u32(FILE *f, uint32_t v)
{
	return fwrite(&v, 4, 1, f) == 1 ? 0 : -EIO;	/* native order; magic says which */
}

static int put_u16(FILE *f, uint16_t v)
{
	return fwrite(&v, 2, 1, f) == 1 ? 0 : -EIO;
}

struct pri_pcap *pri_pcap_open(const char *path)
{
	struct pri_pcap *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return NULL;
	p->f = fopen(path, "wb");
	if (!p->f) {
		err = errno;
		free(p);
		errno = err;
		return NULL;
	}
	err |= put_u32(p->f, 0xa1b2c3d4);	/* magic, microsecond timestamps */
	err |= put_u16(p->f, 2);
	err |= put_u16(p->f, 4);
	err |= put_u32(p->f, 0);		/* thiszone */
	err |= put_u32(p->f, 0);		/* sigfigs */
	err |= put_u32(p->f, 65535);		/* snaplen */
	err |= put_u32(p->f, PRI_PCAP_DLT_LINUX_LAPD);
	if (err || fflush(p->f)) {
		fclose(p->f);
		free(p);
		errno = EIO;
		return NULL;
	}
	return p;
}

static void be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

int pri_pcap_write(struct pri_pcap *p, bool sent, bool network, const uint8_t *frame,
		   size_t len)
{
	uint64_t now_us = clock_wall_ms() * 1000;
	uint8_t sll[SLL_LEN];
	int err = 0;

	if (!p || len < 3)
		return 0;
	memset(sll, 0, sizeof(sll));
	be16(sll + 0, sent ? SLL_OUTGOING : SLL_HOST);
	be16(sll + 2, ARPHRD_LAPD);
	be16(sll + 4, 1);		/* address length */
	sll[6] = network ? 1 : 0;	/* we_network */
	be16(sll + 14, ETH_P_LAPD);
	err |= put_u32(p->f, (uint32_t)(now_us / 1000000));
	err |= put_u32(p->f, (uint32_t)(now_us % 1000000));
	err |= put_u32(p->f, (uint32_t)(len + SLL_LEN));
	err |= put_u32(p->f, (uint32_t)(len + SLL_LEN));
	if (err || fwrite(sll, SLL_LEN, 1, p->f) != 1 || fwrite(frame, len, 1, p->f) != 1)
		return -EIO;
	p->packets++;
	return fflush(p->f) ? -errno : 0;
}

uint64_t pri_pcap_packets(const struct pri_pcap *p)
{
	return p ? p->packets : 0;
}

void pri_pcap_close(struct pri_pcap *p)
{
	if (!p)
		return;
	fclose(p->f);
	free(p);
}
