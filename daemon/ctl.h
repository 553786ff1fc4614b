/* daemon/ctl.h - cfwdd's control socket: a unix stream socket, one request line per
 * connection ("status", "status json", "reload", ...), the reply written back, then the
 * connection is closed. The daemon registers one handler; no authentication beyond the
 * socket's file mode (0660). Does not know what the commands mean. */
#ifndef DAEMON_CTL_H
#define DAEMON_CTL_H

#include <stdio.h>

struct loop;
struct ctl_server;

/* Handle one request line (no newline); write the reply to out. Return 0 or -errno. */
typedef int (*ctl_handler)(void *user, const char *line, FILE *out);

/* Listen on path (an old socket file is replaced). NULL with a message in err. */
struct ctl_server *ctl_server_open(struct loop *l, const char *path, ctl_handler h,
				   void *user, char *err, size_t errlen);
void ctl_server_close(struct ctl_server *s);	/* NULL-safe; unlinks the path */

#endif
