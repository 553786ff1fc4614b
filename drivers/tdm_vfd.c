/* drivers/tdm_vfd.c - in-process datagram descriptors (drivers/tdm_vfd.h): the program's
 * read() and write(), a table of served fds, and the per-vfd queue. A call on an fd that
 * is not served goes to the next read/write in the search order (found with dlsym
 * RTLD_NEXT: libc's, or ASan's interceptor in a sanitizer build, so its checks stay).
 * A forked child serves nothing. Not here: readv/recv/send and friends (libss7 uses only
 * read and write), poll. */
#undef _FORTIFY_SOURCE	/* read() is defined here, not wrapped */
#include "drivers/tdm_vfd.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*write_fn)(int, const void *, size_t);

/* Written by the thread that opens or closes a vfd, read by every read()/write() of any
 * thread: a served fd's slot is set before anything can use the number and cleared
 * before the fd is closed, so a number re-used by another thread is never served. */
static _Atomic(struct tdm_vfd *) served[TDM_VFD_MAX];

static _Atomic(read_fn) next_read;
static _Atomic(write_fn) next_write;

static ssize_t sys_read(int fd, void *buf, size_t n)
{
	return syscall(SYS_read, fd, buf, n);
}

static ssize_t sys_write(int fd, const void *buf, size_t n)
{
	return syscall(SYS_write, fd, buf, n);
}

static void resolve_next(void)
{
	read_fn r = (read_fn)dlsym(RTLD_NEXT, "read");
	write_fn w = (write_fn)dlsym(RTLD_NEXT, "write");

	atomic_store_explicit(&next_read, r ? r : sys_read, memory_order_release);
	atomic_store_explicit(&next_write, w ? w : sys_write, memory_order_release);
}

/* A forked child serves nothing: the queues and the callbacks behind them belong to the
 * parent's loop, and a child that closes what it inherited may get those numbers again
 * for its own files (the billing writer's child only reads its pipe, but still). */
static void vfd_forget_in_child(void)
{
	for (unsigned fd = 0; fd < TDM_VFD_MAX; fd++)
		atomic_store_explicit(&served[fd], NULL, memory_order_relaxed);
}

/* Resolved before main; lazily too, for a read() in another constructor. */
__attribute__((constructor)) static void vfd_init(void)
{
	resolve_next();
	pthread_atfork(NULL, NULL, vfd_forget_in_child);
}

static struct tdm_vfd *vfd_of(int fd)
{
	if ((unsigned)fd >= TDM_VFD_MAX)
		return NULL;
	return atomic_load_explicit(&served[fd], memory_order_acquire);
}

ssize_t read(int fd, void *buf, size_t n);
ssize_t read(int fd, void *buf, size_t n)
{
	struct tdm_vfd *v = vfd_of(fd);
	read_fn next;
	size_t len;

	if (!v) {
		next = atomic_load_explicit(&next_read, memory_order_acquire);
		if (!next) {
			resolve_next();
			next = atomic_load_explicit(&next_read, memory_order_acquire);
		}
		return next(fd, buf, n);
	}
	if (!v->count) {
		errno = EAGAIN;
		return -1;
	}
	/* SOCK_SEQPACKET: one datagram per read, the part past n is lost */
	len = v->len[v->head];
	if (len > n)
		len = n;
	memcpy(buf, v->q[v->head], len);
	v->head = (v->head + 1) % TDM_VFD_QLEN;
	v->count--;
	return (ssize_t)len;
}

ssize_t write(int fd, const void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n)
{
	struct tdm_vfd *v = vfd_of(fd);
	write_fn next;

	if (!v) {
		next = atomic_load_explicit(&next_write, memory_order_acquire);
		if (!next) {
			resolve_next();
			next = atomic_load_explicit(&next_write, memory_order_acquire);
		}
		return next(fd, buf, n);
	}
	v->on_write(v->user, buf, n);
	return (ssize_t)n;
}

int tdm_vfd_open(struct tdm_vfd *v, tdm_vfd_write_fn on_write, void *user)
{
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);

	v->fd = -1;
	if (fd < 0)
		return -1;
	if (fd >= TDM_VFD_MAX) {
		close(fd);
		errno = ERANGE;
		return -1;
	}
	v->on_write = on_write;
	v->user = user;
	v->head = v->count = 0;
	v->fd = fd;
	atomic_store_explicit(&served[fd], v, memory_order_release);
	return fd;
}

void tdm_vfd_close(struct tdm_vfd *v)
{
	if (!v || v->fd < 0)
		return;
	atomic_store_explicit(&served[v->fd], NULL, memory_order_release);
	close(v->fd);
	v->fd = -1;
	v->count = 0;
}

bool tdm_vfd_push(struct tdm_vfd *v, const uint8_t *buf, size_t len)
{
	unsigned tail;

	if (v->count == TDM_VFD_QLEN || len > TDM_VFD_DGRAM)
		return false;
	tail = (v->head + v->count) % TDM_VFD_QLEN;
	memcpy(v->q[tail], buf, len);
	v->len[tail] = (uint16_t)len;
	v->count++;
	return true;
}

unsigned tdm_vfd_pending(const struct tdm_vfd *v)
{
	return v->count;
}

bool tdm_vfd_is_served(int fd)
{
	return vfd_of(fd) != NULL;
}
