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

# --- shared test fixtures (tests/fixture_*.c), linked into tests that other module.mk
# files define: $(call fixture,TARGET,SRCS) adds the objects to TARGET's link line (the
# test/prog recipes put $(LDFLAGS) before their own objects and libraries) and makes
# TARGET depend on them.
define fixture
$(1): $(call obj,$(2))
$(1): LDFLAGS += $(call obj,$(2))
ALLOBJS += $(call obj,$(2))
endef
FIXTURE_SIM := tests/fixture_sim.c
$(foreach t,test_tdm_sim test_tdm_bridge test_fuzz_msu test_msu_link,\
	$(eval $(call fixture,$(BUILD)/tests/$(t),$(FIXTURE_SIM))))
FIXTURE_SS7 := tests/fixture_ss7.c
$(foreach t,tests/test_fuzz_msu tests/test_msu_link soak-hostile,\
	$(eval $(call fixture,$(BUILD)/$(t),$(FIXTURE_SS7))))
ifeq ($(HAVE_DAHDI),1)
$(eval $(call fixture,$(BUILD)/test_dahdi_ss7,$(FIXTURE_SS7)))
endif
FIXTURE_MSU := tests/fixture_msu.c
$(foreach t,tests/test_fuzz_msu soak-hostile,$(eval $(call fixture,$(BUILD)/$(t),$(FIXTURE_MSU))))
FIXTURE_ISUP := tests/fixture_isup.c
$(foreach t,test_announce test_forward test_session_call test_call_leg test_service_setups \
	test_link_align,$(eval $(call fixture,$(BUILD)/tests/$(t),$(FIXTURE_ISUP))))
