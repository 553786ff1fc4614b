/* tools/cfwdctl_status.h - the `cfwdctl status` subcommand (live daemon status through
 * cfwdd's control socket). Self-contained: linked into cfwdctl by its tools/cfwdctl*.c
 * wildcard; the group table (tools/cfwdctl.c) dispatches "status" to it. */
#ifndef TOOLS_CFWDCTL_STATUS_H
#define TOOLS_CFWDCTL_STATUS_H

/* argv[0] = "status"; returns the exit status (0 ok, 1 daemon unreachable, 2 usage). */
int cfwdctl_status_main(int argc, char **argv);

#endif
