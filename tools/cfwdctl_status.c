/* tools/cfwdctl_status.c - `cfwdctl status [--json] [--ctl SOCKET] [-c FILE]`: live status
 * of a running cfwdd through its control socket (spans, links, CIC states with the leak
 * count, calls in progress, counters). The socket is --ctl, else [control] socket of the
 * config, else /tmp/cfwdd.ctl. Exit 0, 1 when the daemon cannot be reached, 2 on usage. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "core/conf.h"
#include "daemon/ctl_client.h"
#include "tools/cfwdctl_status.h"

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
	rc = ctl_request(path, json ? "status json" : "status", stdout) < 0 ? 1 : 0;
	conf_free(c);
	return rc;
}
