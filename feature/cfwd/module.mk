# feature/cfwd/module.mk - the call forwarding feature: store, numbers, billing (owner
# "store"), decision, 142 dialogue, remote control (owner "service"). Every .c here goes
# into libcfwd. Tests and tools that belong to this feature are registered here too.
$(eval $(call lib,cfwd,$(wildcard feature/cfwd/*.c)))
$(eval $(call test,test_decide,tests/test_decide.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
