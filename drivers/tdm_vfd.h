/* drivers/tdm_vfd.h - in-process datagram descriptors: read() and write() on a registered
 * fd never enter the kernel. A read takes the oldest queued datagram (one per read, the
 * rest of a datagram longer than the buffer is lost, -1/EAGAIN when none waits), a write
 * hands the bytes to the owner's callback at once. This is what libss7 sees of a
 * signalling link served in process (drivers/tdm_link.c): it does its link I/O with
 * plain read()/write() on the fd it was given, and this module defines read() and
 * write() for the whole program (the executable's definitions take precedence over
 * libc's for every shared library's calls). Any other fd goes to the next definition in
 * the search order (libc's, or ASan's interceptor): one table lookup per call.
 * Not here: poll() (a vfd is never polled; its owner knows when it queued something),
 * blocking reads, and more than one thread using one vfd. Other threads may read and
 * write their own descriptors at any time; a forked child serves no vfd (its reads and
 * writes on those numbers reach the kernel's eventfd and fail). */
#ifndef DRIVERS_TDM_VFD_H
#define DRIVERS_TDM_VFD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drivers/tdm.h"

#define TDM_VFD_MAX 4096	/* fds below this can be served in process */
#define TDM_VFD_QLEN 128	/* datagrams queued for reading before drops */
#define TDM_VFD_DGRAM (TDM_SU_MAX + 2)	/* largest datagram queued (SU + FCS) */

/* Called with what the process wrote to the vfd (one write = one datagram). */
typedef void (*tdm_vfd_write_fn)(void *user, const uint8_t *buf, size_t len);

struct tdm_vfd {
	int fd;				/* -1 when not open */
	tdm_vfd_write_fn on_write;
	void *user;
	unsigned head, count;
	uint16_t len[TDM_VFD_QLEN];
	uint8_t q[TDM_VFD_QLEN][TDM_VFD_DGRAM];
};

/* A fresh descriptor (an eventfd nobody reads: a read or write that reached the kernel
 * would fail at once) served from v from now on. The fd number, v->fd, stays unique
 * while open. -1 with errno (EMFILE, or ERANGE when the number is >= TDM_VFD_MAX). */
int tdm_vfd_open(struct tdm_vfd *v, tdm_vfd_write_fn on_write, void *user);
/* Stop serving v->fd, then close it; queued datagrams are dropped. NULL-safe. */
void tdm_vfd_close(struct tdm_vfd *v);
/* Queue a datagram for the next read. false when TDM_VFD_QLEN are waiting or len >
 * TDM_VFD_DGRAM (the caller counts the drop, as for a full socket). */
bool tdm_vfd_push(struct tdm_vfd *v, const uint8_t *buf, size_t len);
/* Datagrams waiting to be read. */
unsigned tdm_vfd_pending(const struct tdm_vfd *v);
/* Whether fd is served in process (for tests and logs). */
bool tdm_vfd_is_served(int fd);

#endif
