/* daemon/metrics_http.c - [metrics] export (see metrics_http.h): a listening TCP socket
 * on the loop whose clients get one Prometheus page and are closed, and a timer that
 * rewrites the textfile. Clients live in a fixed table; a client that does not send its
 * request within 5 s, or one too many, is dropped. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/conf.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/metrics.h"
#include "core/util.h"
#include "daemon/metrics_http.h"

#define HTTP_CLIENTS 8
#define HTTP_REQ_MAX 2048
#define HTTP_TIMEOUT_MS 5000

struct http_client {
	struct metrics_export *mx;
	int fd;			/* -1: slot free */
	size_t len;
	char req[HTTP_REQ_MAX];
	struct timer timeout;
};

struct metrics_export {
	struct loop *loop;
	int listen_fd;
	unsigned port;
	char *textfile;
	unsigned interval_s;
	struct timer text_timer;
	struct http_client clients[HTTP_CLIENTS];
};

static void client_close(struct http_client *cl)
{
	if (cl->fd < 0)
		return;
	loop_fd_del(cl->mx->loop, cl->fd);
	close(cl->fd);
	cl->fd = -1;
	timer_cancel(&cl->timeout);
}

static void client_timeout(struct timer *t, void *user)
{
	client_close(user);
}

/* Write all of buf; the page is a few kB, well under a loopback socket buffer. */
static void client_send(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);

		if (w <= 0)
			return;
		buf += w;
		n -= (size_t)w;
	}
}

static void client_reply(struct http_client *cl)
{
	char *body = NULL, head[256];
	size_t blen = 0;
	FILE *f;
	bool get = !strncmp(cl->req, "GET ", 4);
	bool path_ok = !strncmp(cl->req + 4, "/metrics ", 9) || !strncmp(cl->req + 4, "/ ", 2);
	int hl;

	if (!get || !path_ok) {
		hl = snprintf(head, sizeof(head), "HTTP/1.0 %s\r\nContent-Type: text/plain\r\n"
			      "Content-Length: 10\r\nConnection: close\r\n\r\nnot found\n",
			      get ? "404 Not Found" : "405 Method Not Allowed");
		client_send(cl->fd, head, (size_t)hl);
		return;
	}
	f = open_memstream(&body, &blen);
	if (!f)
		return;
	metrics_write_prom(f);
	fclose(f);
	hl = snprintf(head, sizeof(head), "HTTP/1.0 200 OK\r\n"
		      "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		      "Content-Length: %zu\r\nConnection: close\r\n\r\n", blen);
	client_send(cl->fd, head, (size_t)hl);
	client_send(cl->fd, body, blen);
	free(body);
}

static void client_cb(struct loop *l, int fd, short revents, void *user)
{
	struct http_client *cl = user;
	ssize_t n = recv(fd, cl->req + cl->len, sizeof(cl->req) - 1 - cl->len, 0);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_close(cl);
		return;
	}
	cl->len += (size_t)n;
	cl->req[cl->len] = 0;
	if (!strstr(cl->req, "\r\n\r\n") && !strstr(cl->req, "\n\n")) {
		if (cl->len == sizeof(cl->req) - 1)
			client_close(cl);	/* headers too long */
		return;
	}
	client_reply(cl);
	client_close(cl);
}

static void listen_cb(struct loop *l, int fd, short revents, void *user)
{
	struct metrics_export *mx = user;
	int c = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct http_client *cl = NULL;

	if (c < 0)
		return;
	for (unsigned i = 0; i < HTTP_CLIENTS && !cl; i++)
		if (mx->clients[i].fd < 0)
			cl = &mx->clients[i];
	if (!cl || loop_fd_add(l, c, POLLIN, client_cb, cl) < 0) {
		LOGP(DCTL, LOGL_INFO, "metrics http: client refused (busy)");
		close(c);
		return;
	}
	cl->fd = c;
	cl->len = 0;
	timer_schedule_ms(&cl->timeout, HTTP_TIMEOUT_MS);
}

/* "HOST:PORT" or "PORT" (loopback); IPv4 only. */
static int http_listen(struct metrics_export *mx, const char *addr, char *err, size_t errlen)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t slen = sizeof(sa);
	const char *colon = strrchr(addr, ':');
	char host[64];
	char *end;
	long port = strtol(colon ? colon + 1 : addr, &end, 10);
	int one = 1;

	if (*end || port < 0 || port > 65535 || end == (colon ? colon + 1 : addr))
		goto bad;
	if (colon) {
		if ((size_t)(colon - addr) >= sizeof(host))
			goto bad;
		memcpy(host, addr, (size_t)(colon - addr));
		host[colon - addr] = 0;
		if (inet_pton(AF_INET, host, &sa.sin_addr) != 1)
			goto bad;
	}
	sa.sin_port = htons((uint16_t)port);
	mx->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (mx->listen_fd < 0)
		goto sys;
	setsockopt(mx->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(mx->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(mx->listen_fd, 16) < 0 ||
	    getsockname(mx->listen_fd, (struct sockaddr *)&sa, &slen) < 0)
		goto sys;
	mx->port = ntohs(sa.sin_port);
	return loop_fd_add(mx->loop, mx->listen_fd, POLLIN, listen_cb, mx);
bad:
	snprintf(err, errlen, "[metrics] http: '%s' is not HOST:PORT or PORT", addr);
	return -EINVAL;
sys:
	snprintf(err, errlen, "[metrics] http %s: %s", addr, strerror(errno));
	return -errno;
}

static void text_write(struct metrics_export *mx)
{
	int rc = metrics_write_textfile(mx->textfile);

	if (rc < 0)
		LOGP(DCTL, LOGL_ERROR, "metrics textfile %s: %s", mx->textfile, strerror(-rc));
}

static void text_timer_cb(struct timer *t, void *user)
{
	struct metrics_export *mx = user;

	text_write(mx);
	timer_schedule_ms(&mx->text_timer, (uint64_t)mx->interval_s * 1000);
}

static int export_conf(struct metrics_export *mx, struct conf *c, char *err, size_t errlen)
{
	const char *http = NULL, *text = NULL;
	long iv;

	if (conf_get_str(c, "metrics", "http", NULL, &http, err, errlen) < 0 ||
	    conf_get_str(c, "metrics", "textfile", NULL, &text, err, errlen) < 0 ||
	    conf_get_long(c, "metrics", "interval", 1, 3600, 15, &iv, err, errlen) < 0)
		return -EINVAL;
	mx->interval_s = (unsigned)iv;
	if (http && *http && strcmp(http, "off") && http_listen(mx, http, err, errlen) < 0)
		return -EINVAL;
	if (text && *text && strcmp(text, "off")) {
		mx->textfile = strdup(text);
		if (!mx->textfile)
			return -ENOMEM;
		text_write(mx);
		timer_schedule_ms(&mx->text_timer, (uint64_t)mx->interval_s * 1000);
	}
	return 0;
}

struct metrics_export *metrics_export_open(struct loop *l, struct conf *c, char *err,
					   size_t errlen)
{
	struct metrics_export *mx = calloc(1, sizeof(*mx));

	if (!mx) {
		snprintf(err, errlen, "metrics: out of memory");
		return NULL;
	}
	mx->loop = l;
	mx->listen_fd = -1;
	timer_setup(&mx->text_timer, l, text_timer_cb, mx);
	for (unsigned i = 0; i < HTTP_CLIENTS; i++) {
		mx->clients[i].mx = mx;
		mx->clients[i].fd = -1;
		timer_setup(&mx->clients[i].timeout, l, client_timeout, &mx->clients[i]);
	}
	if (export_conf(mx, c, err, errlen) < 0) {
		metrics_export_close(mx);
		return NULL;
	}
	if (mx->port)
		LOGP(DCTL, LOGL_NOTICE, "metrics on http port %u", mx->port);
	if (mx->textfile)
		LOGP(DCTL, LOGL_NOTICE, "metrics textfile %s every %u s", mx->textfile,
		     mx->interval_s);
	return mx;
}

unsigned metrics_export_port(const struct metrics_export *mx)
{
	return mx ? mx->port : 0;
}

void metrics_export_close(struct metrics_export *mx)
{
	if (!mx)
		return;
	for (unsigned i = 0; i < HTTP_CLIENTS; i++)
		client_close(&mx->clients[i]);
	if (mx->listen_fd >= 0) {
		loop_fd_del(mx->loop, mx->listen_fd);
		close(mx->listen_fd);
	}
	timer_cancel(&mx->text_timer);
	if (mx->textfile)
		text_write(mx);
	free(mx->textfile);
	free(mx);
}
