#!/bin/sh
# /usr/bin/cfwdctl - the packaged cfwdctl reads /etc/cfwd/cfwd.conf (store path, control
# socket) unless --conf is given; a later --conf on the command line wins. umask 0007:
# store files it creates (the -wal/-shm files too) stay writable for group cfwd, so
# cfwdd (user cfwd) and operators (group cfwd, or root) share them.
umask 0007
exec /usr/libexec/cfwd/cfwdctl --conf /etc/cfwd/cfwd.conf "$@"
