# media/module.mk - voice guidance and in-band DTMF for 142 / remote-control sessions:
# prompt sets, players, media sessions over a DTMF bank, the 142 dialogue adapter
# (library "media"); the prompt audio rendered from conf/prompts/*.txt at build time;
# tests/test_media*.c and bench/bench_media.c.
$(eval $(call lib,media,media/prompt_set.c media/player.c media/session.c media/dialogue.c))

# Prompt audio: $(BUILD)/prompts/LANG/<name>.wav, re-rendered when the catalogue or the
# script changes (the script itself skips prompts whose text is unchanged).
MEDIA_LANGS := en ja
MEDIA_PROMPT_STAMPS := $(foreach l,$(MEDIA_LANGS),$(BUILD)/prompts/$(l)/.rendered)
$(BUILD)/prompts/%/.rendered: conf/prompts/%.txt scripts/render-prompts
	scripts/render-prompts $* $(@D)
	@touch $@
all: $(MEDIA_PROMPT_STAMPS)

MEDIA_TEST_LIBS := media cfwd tdmdtmf core
MEDIA_LDLIBS = $(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH) -lm
$(eval $(call test,test_media,tests/test_media.c,$(MEDIA_TEST_LIBS),$(MEDIA_LDLIBS)))
$(eval $(call test,test_media_ivr,tests/test_media_ivr.c,$(MEDIA_TEST_LIBS),$(MEDIA_LDLIBS)))
$(BUILD)/tests/test_media $(BUILD)/tests/test_media_ivr: $(MEDIA_PROMPT_STAMPS)
$(BUILD)/obj/tests/test_media.o $(BUILD)/obj/tests/test_media_ivr.o: \
	CPPFLAGS += -DMEDIA_PROMPTS_BASE='"$(BUILD)/prompts"'

$(eval $(call bench,bench-media,bench/bench_media.c,media cfwd tdm tdmdtmf core,$(MEDIA_LDLIBS) $(LIBS_SPANDSP)))
$(BUILD)/bench-media: $(MEDIA_PROMPT_STAMPS)
$(BUILD)/obj/bench/bench_media.o: CPPFLAGS += -DMEDIA_PROMPTS_BASE='"$(BUILD)/prompts"'
