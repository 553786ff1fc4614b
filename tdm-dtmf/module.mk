# tdm-dtmf: DTMF detector (one channel and banks), generator, G.711; cfwd-dtmf tool,
# its tests, the talk-off run on recorded speech and the detector benchmark.
$(eval $(call lib,tdmdtmf,tdm-dtmf/g711.c tdm-dtmf/wav.c tdm-dtmf/dtmf_gen.c tdm-dtmf/dtmf_bank.c tdm-dtmf/dtmf_det.c))
$(BUILD)/obj/tdm-dtmf/dtmf_bank.o: CFLAGS += -O3 -ffp-contract=off

$(eval $(call test,test_dtmf,tests/test_dtmf.c tests/test_dtmf_sig.c,tdmdtmf,-lm))

$(eval $(call prog,cfwd-dtmf,tools/cfwd_dtmf.c,tdmdtmf,-lm))

# DTMF talk-off: every recorded prompt of the asterisk-core-sounds packages (about
# 130 minutes) through µ-law and A-law; fails on any digit or on less than 60 minutes.
TALKOFF_SOUNDS ?= /usr/share/asterisk/sounds
talkoff: $(BUILD)/cfwd-dtmf
	BUILD=$(BUILD) scripts/talkoff $(TALKOFF_SOUNDS)
$(eval $(call test,test_dtmf_conf,tests/test_dtmf_conf.c tests/test_dtmf_sig.c,tdmdtmf,-lm))

$(eval $(call bench,bench-dtmf,bench/bench_dtmf.c tests/test_dtmf_sig.c,tdmdtmf,$(LIBS_SPANDSP)))
# runs $(BUILD)/cfwd-dtmf: built first
$(eval $(call test,test_dtmf_tool,tests/test_dtmf_tool.c,tdmdtmf,))
$(BUILD)/tests/test_dtmf_tool: | $(BUILD)/cfwd-dtmf
