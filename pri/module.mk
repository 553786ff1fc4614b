# pri/module.mk - libpri-based ISDN PRI trunks (owner: pri): trunk groups over
# drivers/tdm.h D-channels, the Q.931 call leg FSM, Q.931 <-> call facts, LAPD pcap.
# Consumers link `pri tdm core` + $(LIBS_PRI) $(LIBS_INIH). docs/pri.md.
PRI_SRCS := pri/pri_facts.c pri/pri_pcap.c pri/pri_trunk.c pri/pri_trunk_event.c pri/pri_leg.c \
	pri/pri_q931.c
$(eval $(call lib,pri,$(PRI_SRCS)))
$(eval $(call test,test_pri_facts,tests/test_pri_facts.c,pri core,$(LIBS_PRI)))
$(eval $(call test,test_pri,tests/test_pri.c,pri tdm core,$(LIBS_PRI) $(LIBS_INIH)))
