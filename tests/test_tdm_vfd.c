/* tests/test_tdm_vfd.c - libss7's link fd served in process (drivers/tdm_vfd.h): a read
 * finds nothing (EAGAIN), one datagram per read, the part past the buffer lost, a full
 * queue refuses and the link counts the drop, a write reaches the owner at once, a forked
 * child serves nothing; an fd that is not served still goes to the kernel, and shared
 * libraries find our read/write.
 * Then a signalling link in process between two sim spans: SUs cross without a socket
 * between libss7 and the relay, through the hook both ways, and a plain link keeps its
 * socketpair. Ports from CFWD_PORT_BASE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/clock.h"
#include "core/loop.h"
#include "drivers/tdm.h"
#include "drivers/tdm_vfd.h"
#include "tests/fixture_sim.h"

#define step(...) print_message("  -- " __VA_ARGS__), print_message("\n")

struct wrote {
	unsigned n;
	size_t len;
	uint8_t buf[64];
};

static void on_write(void *user, const uint8_t *buf, size_t len)
{
	struct wrote *w = user;

	w->n++;
	w->len = len;
	memcpy(w->buf, buf, len < sizeof(w->buf) ? len : sizeof(w->buf));
}

static void test_a_served_fd_reads_one_datagram_at_a_time(void **state)
{
	static struct tdm_vfd v;
	struct wrote w = { 0 };
	const uint8_t d1[5] = { 1, 2, 3, 0, 0 }, d2[7] = { 4, 5, 6, 7, 8, 0, 0 };
	uint8_t buf[64];
	int fd = tdm_vfd_open(&v, on_write, &w);
	pid_t pid;
	int st;

	assert_true(fd >= 0);
	assert_true(tdm_vfd_is_served(fd));

	step("nothing queued: -1, EAGAIN, as on a non-blocking socket");
	errno = 0;
	assert_int_equal(read(fd, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);

	step("two datagrams queued: one per read, in order, then EAGAIN");
	assert_true(tdm_vfd_push(&v, d1, sizeof(d1)));
	assert_true(tdm_vfd_push(&v, d2, sizeof(d2)));
	assert_int_equal(tdm_vfd_pending(&v), 2);
	assert_int_equal(read(fd, buf, sizeof(buf)), sizeof(d1));
	assert_memory_equal(buf, d1, sizeof(d1));
	assert_int_equal(read(fd, buf, sizeof(buf)), sizeof(d2));
	assert_memory_equal(buf, d2, sizeof(d2));
	assert_int_equal(read(fd, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EAGAIN);

	step("a buffer shorter than the datagram: its start, the rest is lost");
	assert_true(tdm_vfd_push(&v, d2, sizeof(d2)));
	assert_int_equal(read(fd, buf, 3), 3);
	assert_memory_equal(buf, d2, 3);
	assert_int_equal(tdm_vfd_pending(&v), 0);

	step("a write reaches the owner before it returns");
	assert_int_equal(write(fd, d2, sizeof(d2)), sizeof(d2));
	assert_int_equal(w.n, 1);
	assert_int_equal(w.len, sizeof(d2));
	assert_memory_equal(w.buf, d2, sizeof(d2));

	step("full: TDM_VFD_QLEN wait, the next one and an oversized one are refused");
	for (unsigned i = 0; i < TDM_VFD_QLEN; i++)
		assert_true(tdm_vfd_push(&v, d1, sizeof(d1)));
	assert_false(tdm_vfd_push(&v, d1, sizeof(d1)));
	assert_int_equal(read(fd, buf, sizeof(buf)), sizeof(d1));
	assert_false(tdm_vfd_push(&v, buf, TDM_VFD_DGRAM + 1));
	assert_true(tdm_vfd_push(&v, d1, sizeof(d1)));

	step("a forked child serves nothing: its write reaches the kernel's eventfd");
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(!tdm_vfd_is_served(fd) && write(fd, d1, sizeof(d1)) == -1 &&
		      errno == EINVAL ? 0 : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(tdm_vfd_is_served(fd));
	assert_int_equal(w.n, 1);

	step("closed: the number is no longer served");
	tdm_vfd_close(&v);
	assert_false(tdm_vfd_is_served(fd));
	assert_int_equal(v.fd, -1);
	tdm_vfd_close(&v);
	tdm_vfd_close(NULL);
}

static void test_an_fd_not_served_goes_to_the_kernel(void **state)
{
	int p[2];
	char buf[8];

	step("libss7 and every other shared library find this program's read and write");
	assert_ptr_equal(dlsym(RTLD_DEFAULT, "read"), (void *)read);
	assert_ptr_equal(dlsym(RTLD_DEFAULT, "write"), (void *)write);

	step("a pipe: bytes written are read back, EOF after the writer closes");
	assert_int_equal(pipe(p), 0);
	assert_false(tdm_vfd_is_served(p[0]));
	assert_int_equal(write(p[1], "abc", 3), 3);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "abc", 3);
	close(p[1]);
	assert_int_equal(read(p[0], buf, sizeof(buf)), 0);
	close(p[0]);

	step("a bad fd: -1, EBADF from the kernel");
	errno = 0;
	assert_int_equal(read(-1, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(write(TDM_VFD_MAX + 7, buf, 1), -1);
	assert_int_equal(errno, EBADF);
}

/* --- a signalling link in process between two sim spans ------------------------- */

struct end {
	struct tdm_span *span;
	unsigned hook_rx, hook_tx;
};

struct fix {
	struct loop *loop;
	struct end e[2];
};

static bool hook(void *user, struct tdm_link *lk, enum tdm_su_dir dir, uint8_t *su,
		 size_t *len, size_t cap)
{
	struct end *e = user;

	if (dir == TDM_SU_RX)
		e->hook_rx++;
	else
		e->hook_tx++;
	return true;
}

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));
	unsigned base;

	fake_clock_enable(1000000, 1700000000);
	f->loop = loop_alloc();
	base = fx_free_port_base(2, 40);
	for (unsigned i = 0; i < 2; i++)
		f->e[i].span = fx_sim_end(f->loop, i ? "b" : "a", base, i, TDM_LAW_ULAW, NULL,
					  &f->e[i]);
	fx_run_ms(f->loop, 100);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	for (unsigned i = 0; i < 2; i++)
		tdm_span_close(f->e[i].span);
	loop_free(f->loop);
	fake_clock_disable();
	free(f);
	return 0;
}

static void test_an_inproc_link_relays_without_a_socket(void **state)
{
	struct fix *f = *state;
	/* MSU: BSN 0, FSN 1, LI 5, SIO 0x85, 4 SIF octets, 2 FCS */
	uint8_t su[10] = { 0x80, 0x81, 0x05, 0x85, 1, 2, 3, 4, 0xaa, 0xbb };
	uint8_t rx[64];
	struct tdm_link *a, *b, *plain;
	struct tdm_link_stats st;
	int fa, fb;

	assert_true(tdm_span_is_up(f->e[0].span));
	a = tdm_link_open_inproc(f->e[0].span, 16, 0, hook, NULL, &f->e[0]);
	b = tdm_link_open_inproc(f->e[1].span, 16, 1, hook, NULL, &f->e[1]);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(tdm_link_is_inproc(a));
	fa = tdm_link_fd(a);
	fb = tdm_link_fd(b);
	assert_true(tdm_vfd_is_served(fa));
	assert_int_equal(read(fb, rx, sizeof(rx)), -1);
	assert_int_equal(errno, EAGAIN);

	step("libss7 at A writes an SU + 2 bytes: A's hook has it before write returns");
	assert_int_equal(write(fa, su, sizeof(su)), sizeof(su));
	assert_int_equal(f->e[0].hook_tx, 1);
	fx_run_ms(f->loop, 10);
	assert_int_equal(f->e[1].hook_rx, 1);
	assert_int_equal(tdm_link_rx_pending(b), 1);
	assert_int_equal(read(fb, rx, sizeof(rx)), sizeof(su));
	assert_memory_equal(rx, su, 8);
	assert_int_equal(rx[8], 0);
	assert_int_equal(rx[9], 0);
	assert_int_equal(tdm_link_rx_pending(b), 0);

	step("B's libss7 is not read: the queue fills, the rest is counted as discarded");
	for (unsigned i = 0; i < TDM_VFD_QLEN + 3; i++) {
		su[1] = (uint8_t)(0x80 | ((i + 2) & 0x7f));	/* FSN advances */
		assert_int_equal(write(fa, su, sizeof(su)), sizeof(su));
		if (i % 16 == 15)
			fx_run_ms(f->loop, 5);
	}
	fx_run_ms(f->loop, 10);
	assert_int_equal(tdm_link_rx_pending(b), TDM_VFD_QLEN);
	tdm_link_get_stats(b, &st);
	assert_int_equal(st.rx_sus, 1 + TDM_VFD_QLEN);
	assert_int_equal(st.rx_discarded, 3);
	tdm_link_get_stats(a, &st);
	assert_int_equal(st.tx_sus, TDM_VFD_QLEN + 4);

	step("a runt write from libss7 is discarded");
	assert_int_equal(write(fa, su, 3), 3);
	tdm_link_get_stats(a, &st);
	assert_int_equal(st.tx_discarded, 1);

	step("closed: the number is free again; a plain link keeps its socketpair");
	tdm_link_close(b);
	assert_false(tdm_vfd_is_served(fb));
	plain = tdm_link_open(f->e[1].span, 16, 1, hook, NULL, &f->e[1]);
	assert_non_null(plain);
	assert_false(tdm_link_is_inproc(plain));
	assert_int_equal(tdm_link_rx_pending(plain), 0);
	assert_false(tdm_vfd_is_served(tdm_link_fd(plain)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_served_fd_reads_one_datagram_at_a_time),
		cmocka_unit_test(test_an_fd_not_served_goes_to_the_kernel),
		cmocka_unit_test_setup_teardown(test_an_inproc_link_relays_without_a_socket, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("tdm_vfd", tests, NULL, NULL);
}
