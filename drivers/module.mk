# drivers/module.mk - libtdm: TDM backend interface (tdm.h), common bearer/SU relay, the
# sim backend (UDP on loopback). Owner: wire. Consumers link `tdm core` + $(LIBS_INIH).
TDM_SRCS := drivers/tdm.c drivers/tdm_link.c drivers/tdm_sim.c
$(eval $(call lib,tdm,$(TDM_SRCS)))
$(eval $(call test,test_tdm_sim,tests/test_tdm_sim.c,tdm core,$(LIBS_INIH)))
