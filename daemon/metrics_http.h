/* daemon/metrics_http.h - cfwdd's metrics export, from the [metrics] section:
 *   http = 127.0.0.1:9464   serve GET /metrics (Prometheus text) on that TCP address
 *   textfile = PATH         write PATH atomically every `interval` seconds (and at close)
 *   interval = 15
 * Both off by default. A tiny HTTP/1.0 responder on the daemon's loop: one request per
 * connection, no keep-alive, no TLS, no authentication - bind it to loopback. */
#ifndef DAEMON_METRICS_HTTP_H
#define DAEMON_METRICS_HTTP_H

#include <stddef.h>

struct conf;
struct loop;
struct metrics_export;

/* NULL with "file:line: ..." or "ADDR: strerror" in err. With nothing configured it
 * still returns an (idle) object, so callers only test for NULL. */
struct metrics_export *metrics_export_open(struct loop *l, struct conf *c, char *err,
					   size_t errlen);
/* The bound TCP port (useful with http = 127.0.0.1:0), or 0 when HTTP is off. */
unsigned metrics_export_port(const struct metrics_export *mx);
void metrics_export_close(struct metrics_export *mx);	/* NULL-safe; last textfile */

#endif
