/* daemon/ctl.c - control socket server (see ctl.h). Each connection is read until a
 * newline (bounded, 1 KiB), answered through the handler into a memory stream, written
 * back (blocking, replies are small) and closed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"
#include "core/loop.h"
#include "daemon/ctl.h"

struct ctl_conn {
	struct ctl_server *srv;
	int fd;
	size_t len;
	char buf[1024];
};

struct ctl_server {
	struct loop *loop;
	int fd;
	char path[108];
	ctl_handler handler;
	void *user;
};

static void ctl_conn_close(struct ctl_conn *c)
{
	loop_fd_del(c->srv->loop, c->fd);
	close(c->fd);
	free(c);
}

static void ctl_reply(struct ctl_conn *c)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	size_t off = 0;

	if (!f)
		return;
	if (c->srv->handler(c->srv->user, c->buf, f) < 0)
		fprintf(f, "error\n");
	fclose(f);
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) & ~O_NONBLOCK);
	while (off < outlen) {
		ssize_t n = write(c->fd, out + off, outlen - off);

		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(out);
}

static void ctl_conn_cb(struct loop *l, int fd, short revents, void *user)
{
	struct ctl_conn *c = user;
	ssize_t n = read(fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
	char *nl;

	if (n < 0 && errno == EAGAIN)
		return;
	if (n > 0)
		c->len += (size_t)n;
	c->buf[c->len] = '\0';
	nl = strchr(c->buf, '\n');
	if (nl || n <= 0 || c->len == sizeof(c->buf) - 1) {
		if (nl)
			*nl = '\0';
		if (c->len) {
			LOGP(DCTL, LOGL_DEBUG, "control request: %s", c->buf);
			ctl_reply(c);
		}
		ctl_conn_close(c);
	}
}

static void ctl_accept_cb(struct loop *l, int fd, short revents, void *user)
{
	struct ctl_server *s = user;
	struct ctl_conn *c;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (cfd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c || loop_fd_add(l, cfd, POLLIN, ctl_conn_cb, c) < 0) {
		free(c);
		close(cfd);
		return;
	}
	c->srv = s;
	c->fd = cfd;
}

struct ctl_server *ctl_server_open(struct loop *l, const char *path, ctl_handler h,
				   void *user, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ctl_server *s;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "%s: control socket path too long", path);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	strcpy(sa.sun_path, path);
	strcpy(s->path, path);
	s->loop = l;
	s->handler = h;
	s->user = user;
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unlink(path);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(s->fd, 16) < 0 || loop_fd_add(l, s->fd, POLLIN, ctl_accept_cb, s) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (s->fd >= 0)
			close(s->fd);
		free(s);
		return NULL;
	}
	chmod(path, 0660);
	return s;
}

void ctl_server_close(struct ctl_server *s)
{
	if (!s)
		return;
	loop_fd_del(s->loop, s->fd);
	close(s->fd);
	unlink(s->path);
	free(s);
}
