# drivers/module.mk - libtdm: TDM backend interface (tdm.h), common bearer/SU relay, the
# sim backend (UDP on loopback), in-process descriptors for libss7's link fd (drivers/tdm_vfd.c:
# defines the program's read/write), and the dahdi backend (drivers/tdm_dahdi.c, owner: dahdi)
# where dahdi/user.h exists. Owner: wire. Consumers link `tdm core` + $(LIBS_INIH).
TDM_SRCS := drivers/tdm.c drivers/tdm_law.c drivers/tdm_link.c drivers/tdm_sim.c drivers/tdm_vfd.c
ifeq ($(HAVE_DAHDI),1)
TDM_SRCS += drivers/tdm_dahdi.c
$(BUILD)/obj/drivers/tdm.o: CPPFLAGS += -DHAVE_DAHDI=1
endif
$(eval $(call lib,tdm,$(TDM_SRCS)))
$(eval $(call test,test_tdm_sim,tests/test_tdm_sim.c,tdm core,$(LIBS_INIH)))
# (tests/module.mk links fixture_sim.c into the tests it lists; this one names it here)
$(eval $(call test,test_tdm_vfd,tests/test_tdm_vfd.c tests/fixture_sim.c,tdm core,$(LIBS_INIH)))
$(eval $(call test,test_tdm_bridge,tests/test_tdm_bridge.c,tdm tdmdtmf core,$(LIBS_INIH) -lm))
