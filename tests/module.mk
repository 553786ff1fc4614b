# tests/module.mk - tests of modules whose own module.mk has no owner any more (core's
# later additions). Append-only: each owner adds their lines.

# --- ops: core/metrics.c (in libcore by core/module.mk's wildcard)
$(eval $(call test,test_metrics,tests/test_metrics.c,core,$(LIBS_INIH)))
SCENARIOS += tests/test_report.sh
# cfwdd's metrics export and stats/log commands (the daemon links the same two files)
$(eval $(call test,test_metrics_http,tests/test_metrics_http.c daemon/metrics_http.c \
	daemon/ops_ctl.c,core,$(LIBS_INIH)))
SCENARIOS += tests/test_manpages.sh
SCENARIOS += tests/test_cfwdctl_stats.sh

# --- reliability: the soak battery (docs/reliability.md). `make soak` (< 10 min, figures
# table), `make soak-long` (+ 2-hour steady load); tests/soak/soak_short.sh (one minute)
# runs in `make test` as a scenario.
include tests/soak/soak.mk
