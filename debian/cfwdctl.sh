#!/bin/sh
# /usr/bin/cfwdctl - the packaged cfwdctl reads /etc/cfwd/cfwd.conf (store path, control
# socket) unless --conf is given; a later --conf on the command line wins.
exec /usr/libexec/cfwd/cfwdctl --conf /etc/cfwd/cfwd.conf "$@"
