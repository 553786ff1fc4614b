/* daemon/ctl_client.h - client side of cfwdd's control socket, for cfwdctl and the
 * scenario tests: send one request line, copy the reply to out. */
#ifndef DAEMON_CTL_CLIENT_H
#define DAEMON_CTL_CLIENT_H

#include <stdio.h>

#define CFWDD_CTL_DEFAULT "/tmp/cfwdd.ctl"

/* 0, or -errno (connect failed: daemon not running) with a message on stderr. */
int ctl_request(const char *path, const char *line, FILE *out);

#endif
