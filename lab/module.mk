# lab/module.mk - shared by engineers "wire" (liblabwire: ladder printer, --json,
# --expect) and "isup" (the cfwd-lab main program). Append-only: each owner adds lines.

# --- wire: liblabwire (depends on isupwire core)
$(eval $(call lib,labwire,lab/ladder.c))
$(eval $(call test,test_msu_ladder,tests/test_msu_ladder.c,labwire isupwire core,))

# --- isup: liblab (lab engine, also linked by bench-isup) and the cfwd-lab program
LAB_SRCS := lab/lab.c lab/lab_call.c lab/lab_load.c lab/lab_pattern.c daemon/ctl_client.c
$(eval $(call lib,lab,$(LAB_SRCS)))
# the built-in default config of cfwd-lab: conf/lab.conf as a C string
$(BUILD)/gen/lab_default_conf.h: conf/lab.conf
	@mkdir -p $(@D)
	{ echo 'static const char lab_default_conf[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $<; echo ';'; } > $@
$(BUILD)/obj/lab/lab_main.o: $(BUILD)/gen/lab_default_conf.h
$(BUILD)/obj/lab/lab_main.o: CPPFLAGS += -I$(BUILD)/gen
$(eval $(call prog,cfwd-lab,lab/lab_main.c lab/lab_session.c,lab labwire pri isup isupwire tdm tdmdtmf core,$(LIBS_SS7) $(LIBS_PRI) $(LIBS_INIH) -lm))
# --- dahdi2: cfwd-lab --play-pattern (lab/lab_pattern.c) through cfwdd on sim spans
SCENARIOS += tests/scenarios/isup_bearer_pattern.sh
SCENARIOS += tests/scenarios/lab_load_timeout.sh
