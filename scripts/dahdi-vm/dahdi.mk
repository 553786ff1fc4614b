# scripts/dahdi-vm/dahdi.mk - `make test-dahdi`: the DAHDI backend (drivers/tdm_dahdi.c,
# in libtdm where dahdi/user.h exists, see drivers/module.mk) tested on real DAHDI inside
# a throwaway QEMU VM (docs/dahdi.md). Owner: dahdi.
.PHONY: test-dahdi
ifeq ($(HAVE_DAHDI),1)
$(eval $(call prog,dahdi-loc,tests/dahdi/dahdi_loc.c,,))
$(eval $(call prog,test_dahdi_backend,tests/dahdi/test_dahdi_backend.c,tdm core,$(LIBS_INIH) $(LIBS_CMOCKA)))
$(eval $(call prog,test_dahdi_ss7,tests/dahdi/test_dahdi_ss7.c,tdm core,$(LIBS_SS7) $(LIBS_INIH) $(LIBS_CMOCKA)))

# cfwdd, cfwd-lab and cfwdctl join in (tandem, CFU, 142) when they carry the dahdi backend.
test-dahdi: $(BUILD)/test_dahdi_backend $(BUILD)/test_dahdi_ss7 $(BUILD)/dahdi-loc $(BUILD)/cfwdd $(BUILD)/cfwd-lab \
	$(BUILD)/cfwdctl \
	$(MEDIA_PROMPT_STAMPS)
	scripts/install-deps --vm
	BUILD=$(BUILD) scripts/dahdi-vm/test-dahdi
else
test-dahdi:
	@echo "test-dahdi: /usr/include/dahdi/user.h is missing: run scripts/install-deps (dahdi-source)" >&2
	@exit 1
endif
