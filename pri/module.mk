# pri/module.mk - libpri-based ISDN PRI trunks (owner: pri): trunk groups over
# drivers/tdm.h D-channels, the Q.931 call leg FSM, Q.931 <-> call facts, LAPD pcap.
# Consumers link `pri isup tdm core` + $(LIBS_PRI) $(LIBS_INIH) (isup for the number format,
# isup/facts.c; pri_call.c uses more of isup, for
# cfwdd and cfwd-lab). docs/pri.md.
PRI_SRCS := pri/pri_facts.c pri/pri_pcap.c pri/pri_trunk.c pri/pri_trunk_event.c pri/pri_leg.c \
	pri/pri_q931.c pri/pri_call.c
$(eval $(call lib,pri,$(PRI_SRCS)))
$(eval $(call test,test_pri_facts,tests/test_pri_facts.c,pri core,$(LIBS_PRI)))
$(eval $(call test,test_pri,tests/test_pri.c,pri isup tdm core,$(LIBS_PRI) $(LIBS_INIH)))
SCENARIOS += tests/scenarios/pri_fwd_isup_to_pri.sh tests/scenarios/pri_fwd_pri_to_isup.sh \
	tests/scenarios/pri_causes.sh tests/scenarios/pri_session_142.sh \
	tests/scenarios/pri_dchan_down.sh
