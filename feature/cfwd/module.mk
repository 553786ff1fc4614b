# feature/cfwd/module.mk - the call forwarding feature: store, numbers, billing (owner
# "store"), decision, 142 dialogue, remote control (owner "service"). Every .c here goes
# into libcfwd. Tests and tools that belong to this feature are registered here too.
$(eval $(call lib,cfwd,$(wildcard feature/cfwd/*.c)))
$(eval $(call test,test_decide,tests/test_decide.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))

# Store-side tests and cfwdctl build from the store's own sources (not libcfwd), so a
# half-written file of another owner here does not break them.
CFWD_STORE_SRCS := feature/cfwd/store.c feature/cfwd/store_sub.c feature/cfwd/store_pin.c \
	feature/cfwd/store_list.c feature/cfwd/numbers.c feature/cfwd/billing.c
CFWD_STORE_LDLIBS = $(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)
$(eval $(call test,test_store,tests/test_store.c tests/test_store_fixture.c \
	$(CFWD_STORE_SRCS),core,$(CFWD_STORE_LDLIBS)))
$(eval $(call test,test_store_fail,tests/test_store_fail.c tests/test_store_fixture.c \
	$(CFWD_STORE_SRCS),core,$(CFWD_STORE_LDLIBS)))
$(eval $(call test,test_store_billing,tests/test_store_billing.c tests/test_store_fixture.c \
	feature/cfwd/forward_cdr.c $(CFWD_STORE_SRCS),core,$(CFWD_STORE_LDLIBS)))
$(eval $(call test,test_numbers,tests/test_numbers.c feature/cfwd/numbers.c,core,$(LIBS_INIH)))
$(eval $(call test,test_ivr,tests/test_ivr.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
$(eval $(call test,test_doc_rules,tests/test_doc_rules.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))

# cfwdctl: every tools/cfwdctl*.c is linked, so another component's group file
# (tools/cfwdctl_order.c defining cfwdctl_order_main) is picked up without a change here.
$(eval $(call prog,cfwdctl,$(wildcard tools/cfwdctl*.c),cfwd core,$(CFWD_STORE_LDLIBS)))
SCENARIOS += tests/test_cfwdctl.sh
$(eval $(call test,test_remote,tests/test_remote.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
# a 142 change while another process holds the write lock: made off the loop (store_writer.c)
$(eval $(call test,test_store_writer,tests/test_store_writer.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
$(eval $(call test,test_order,tests/test_order.c tests/test_order_fixture.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
$(eval $(call test,test_order_crash,tests/test_order_crash.c tests/test_order_fixture.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
$(eval $(call test,test_order_fees,tests/test_order_fees.c tests/test_order_fixture.c,cfwd core,$(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH)))
SCENARIOS += tests/test_cfwdctl_order.sh

# --- forward: forwarding on the wire (feature/cfwd/forward*.c, in libcfwd by the wildcard;
# cfwdd installs forward_hook.h), scenario tests with cfwdd + cfwd-lab on sim spans
SCENARIOS += tests/scenarios/fwd_cfu.sh tests/scenarios/fwd_cfb.sh tests/scenarios/fwd_cfnr.sh \
	tests/scenarios/fwd_screen_loop.sh

# --- sessions: 142 / remote-control calls on the wire (feature/cfwd/session_call.c, in
# libcfwd by the wildcard; cfwdd installs it), scenarios with cfwd-lab session
SCENARIOS += tests/scenarios/session_142_cfu.sh
$(eval $(call test,test_forward,tests/test_forward.c,cfwd isup isupwire tdm core,$(LIBS_SS7) $(LIBS_INIH) $(LIBS_SQLITE) $(LIBS_SODIUM)))
SCENARIOS += tests/scenarios/session_list_remote.sh tests/scenarios/session_lockout.sh
SCENARIOS += tests/scenarios/session_weak_e1.sh
SESSION_TEST_LIBS := cfwd media cfwd isup isupwire tdm tdmdtmf core
$(eval $(call test,test_session_call,tests/test_session_call.c,$(SESSION_TEST_LIBS),$(LIBS_SS7) $(LIBS_INIH) $(LIBS_SQLITE) $(LIBS_SODIUM) -lm))
$(BUILD)/tests/test_session_call: $(MEDIA_PROMPT_STAMPS)
$(BUILD)/obj/tests/test_session_call.o: CPPFLAGS += -DMEDIA_PROMPTS_BASE='"$(BUILD)/prompts"'
SCENARIOS += tests/scenarios/session_alaw.sh
# a 142 change meeting a held write lock: the loop stays responsive, the bound holds
SCENARIOS += tests/scenarios/session_store_lock.sh

# --- announce: the announcement treatment of rejected calls (feature/cfwd/announce.c)
SCENARIOS += tests/scenarios/fwd_announce.sh
$(eval $(call test,test_announce,tests/test_announce.c,$(SESSION_TEST_LIBS),$(LIBS_SS7) $(LIBS_INIH) $(LIBS_SQLITE) $(LIBS_SODIUM) -lm))
$(BUILD)/tests/test_announce: $(MEDIA_PROMPT_STAMPS)
$(BUILD)/obj/tests/test_announce.o: CPPFLAGS += -DMEDIA_PROMPTS_BASE='"$(BUILD)/prompts"'
