# isup/module.mk - shared by engineers "wire" (libisupwire: signal-unit validator and
# decoder, MSU builder, pcap tap) and "isup" (libss7 stack, CIC pool, call legs, cfwdd).
# Append-only: each owner adds their own lines.

# --- wire: libisupwire (depends on core)
ISUPWIRE_SRCS := isup/msu.c isup/msu_param.c isup/msu_enc.c isup/msu_sample.c isup/pcap.c
$(eval $(call lib,isupwire,$(ISUPWIRE_SRCS)))

# --- isup: libisup (links, CIC pool, call legs, calls, routing; depends on isupwire,
# drivers, core and libss7), its unit tests, and cfwdd (sources in daemon/, which has
# no module.mk of its own in the root Makefile's list).
ISUP_SRCS := isup/cic.c isup/link.c isup/link_conf.c isup/link_event.c isup/link_io.c \
	isup/call_leg.c \
	isup/call_leg_foreign.c \
	isup/call.c isup/route.c isup/node.c isup/iam_latency.c \
	isup/facts_ss7.c isup/facts.c
$(eval $(call lib,isup,$(ISUP_SRCS)))
$(eval $(call test,test_msu,tests/test_msu.c,isupwire core,))
$(eval $(call test,test_pcap,tests/test_pcap.c,isupwire core,))
CFWDD_SRCS := daemon/cfwdd.c daemon/ctl.c daemon/ctl_client.c daemon/status.c \
	daemon/metrics_http.c daemon/ops_ctl.c daemon/ops_metrics_node.c
# cfwdd: libcfwd (forwarding, 142 sessions) before media (which uses the dialogues in
# libcfwd again) and isup; the guidance is rendered before cfwdd can load it.
$(eval $(call prog,cfwdd,$(CFWDD_SRCS),cfwd media cfwd pri isup isupwire tdm tdmdtmf core,$(LIBS_SS7) $(LIBS_PRI) $(LIBS_INIH) $(LIBS_SQLITE) $(LIBS_SODIUM) -lm))
$(BUILD)/cfwdd: $(MEDIA_PROMPT_STAMPS)
$(eval $(call test,test_fuzz_msu,tests/test_fuzz_msu.c,isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH)))
$(eval $(call test,test_msu_link,tests/test_msu_link.c,isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH)))
SCENARIOS += tests/scenarios/isup_tandem_answered.sh tests/scenarios/isup_busy_unallocated.sh \
	tests/scenarios/isup_noanswer_abandon.sh tests/scenarios/isup_dual_seizure.sh \
	tests/scenarios/isup_link_down.sh tests/scenarios/isup_invalid_number.sh \
	tests/scenarios/isup_bearer_echo.sh tests/scenarios/isup_maintenance.sh \
	tests/scenarios/isup_number_format.sh
$(eval $(call test,test_cic,tests/test_cic.c,isup core,))
$(eval $(call test,test_call_leg,tests/test_call_leg.c,isup isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH)))
$(eval $(call bench,bench-isup,bench/bench_isup.c bench/bench_isup_cfu.c bench/bench_isup_held.c bench/bench_isup_common.c,lab labwire pri isup isupwire tdm tdmdtmf cfwd core,$(LIBS_SS7) $(LIBS_PRI) $(LIBS_INIH) $(LIBS_SQLITE) $(LIBS_SODIUM) -lm))
$(BUILD)/bench-isup: $(BUILD)/cfwdd
$(eval $(call test,test_route,tests/test_route.c,isup core,$(LIBS_SS7) $(LIBS_INIH)))
# --- dahdi: isup/link.c asks drivers/tdm_dahdi.h which libss7 transport a DAHDI link takes
ifeq ($(HAVE_DAHDI),1)
$(BUILD)/obj/isup/link.o: CPPFLAGS += -DHAVE_DAHDI=1
endif
$(eval $(call test,test_facts,tests/test_facts.c,isup core,))
$(eval $(call test,test_service_setups,tests/test_service_setups.c,isup isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH)))
# MTP2 alignment against a far end played SU by SU (libss7's LSSU memory, isup/link_io.c)
$(eval $(call test,test_link_align,tests/test_link_align.c,isup isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH)))
