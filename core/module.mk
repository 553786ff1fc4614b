# core/module.mk - libcore.a (clock, log, loop, tdef, fsm, conf, util) and its tests.
# Consumers link `core` with $(LIBS_INIH) (conf.c uses libinih).
$(eval $(call lib,core,$(wildcard core/*.c)))

$(eval $(call test,test_core_loop,tests/test_core_loop.c,core,$(LIBS_INIH)))
$(eval $(call test,test_core_fsm,tests/test_core_fsm.c,core,$(LIBS_INIH)))
$(eval $(call test,test_core_conf,tests/test_core_conf.c,core,$(LIBS_INIH)))
$(eval $(call test,test_core_log,tests/test_core_log.c,core,$(LIBS_INIH)))
