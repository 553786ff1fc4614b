/* tools/cfwdctl_status.c - `cfwdctl status [--json] [--ctl SOCKET] [-c FILE]`: live status
 * of a running cfwdd through its control socket (spans, links, CIC states with the leak
 * count, calls in progress, counters). The socket is --ctl, else [control] socket of the
 * config, else /tmp/cfwdd.ctl. Exit 0, 1 when the daemon cannot be reached, 2 on usage. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/conf.h"
#include "tools/cfwdctl_status.h"

#define CFWDD_CTL_DEFAULT "/tmp/cfwdd.ctl"	/* as daemon/ctl_client.h */

/* One request line, the reply copied to stdout. Self-contained (the same exchange as
 * daemon/ctl_client.c) so that cfwdctl links without cfwdd's objects. */
static int status_request(const char *path, const char *line)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "cfwdctl: %s: %s (is cfwdd running?)\n", path, strerror(errno));
		close(fd);
		return -ECONNREFUSED;
	}
	if (write(fd, line, strlen(line)) < 0 || write(fd, "\n", 1) < 0) {
		close(fd);
		return -EIO;
	}
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	return 0;
}

int cfwdctl_status_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "ctl", required_argument, NULL, 's' },
		{ "conf", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ctl = NULL, *cfg = NULL, *path = CFWDD_CTL_DEFAULT;
	bool json = false;
	struct conf *c = NULL;
	char err[256];
	int ch, rc;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:", lo, NULL)) != -1) {
		switch (ch) {
		case 'j': json = true; break;
		case 's': ctl = optarg; break;
		case 'c': cfg = optarg; break;
		default:
			fprintf(stderr, "usage: cfwdctl status [--json] [--ctl SOCKET] [-c FILE]\n");
			return 2;
		}
	}
	if (ctl) {
		path = ctl;
	} else if (cfg) {
		c = conf_load(cfg, err, sizeof(err));
		if (!c) {
			fprintf(stderr, "cfwdctl: %s\n", err);
			return 2;
		}
		if (conf_get_str(c, "control", "socket", CFWDD_CTL_DEFAULT, &path, err,
				 sizeof(err)) < 0)
			path = CFWDD_CTL_DEFAULT;
	}
	rc = status_request(path, json ? "status json" : "status") < 0 ? 1 : 0;
	conf_free(c);
	return rc;
}
