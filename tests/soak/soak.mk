# tests/soak/soak.mk - the reliability battery (docs/reliability.md). Included from
# tests/module.mk (tests is one of the root MODULES).
# `make soak` runs every case with the CI figures (< 10 min); `make soak-long` adds the
# 2-hour steady load (not for CI). SOAK_SHORT=1 cases are in `make test` via SCENARIOS.
$(eval $(call prog,soak-hostile,tests/soak/soak_hostile.c,isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH)))
SCENARIOS += tests/soak/soak_short.sh

.PHONY: soak soak-long
soak: all
	BUILD=$(BUILD) sh tests/soak/soak_run.sh
soak-long: all
	BUILD=$(BUILD) SOAK_LONG=1 sh tests/soak/soak_run.sh
$(eval $(call prog,soak-abuse,tests/soak/soak_abuse.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
