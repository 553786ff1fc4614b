# media/module.mk - voice guidance and in-band DTMF for 142 / remote-control sessions:
# prompt sets, players, media sessions over a DTMF bank, the 142 dialogue adapter
# (library "media"); the prompt audio rendered from conf/prompts/*.txt at build time;
# tests/test_media*.c and bench/bench_media.c.
$(eval $(call lib,media,media/prompt_set.c media/player.c media/session.c media/echo.c media/dialogue.c))
# the correlations are float reductions: let the compiler vectorise them
$(BUILD)/obj/media/echo.o: CFLAGS += -O3 -ffast-math

# Prompt audio: $(BUILD)/prompts/LANG/<name>.wav, re-rendered when the catalogue or the
# script changes (the script itself skips prompts whose text is unchanged).
MEDIA_LANGS := en ja
MEDIA_PROMPT_STAMPS := $(foreach l,$(MEDIA_LANGS),$(BUILD)/prompts/$(l)/.rendered)
$(BUILD)/prompts/%/.rendered: conf/prompts/%.txt scripts/render-prompts
	scripts/render-prompts $* $(@D)
	@touch $@
all: $(MEDIA_PROMPT_STAMPS)

# Tests and the bench take the cfwd sources they need by name, not libcfwd, so another
# owner's half-written file in feature/cfwd does not break them.
MEDIA_CFWD_SRCS := feature/cfwd/prompt_ids.c
MEDIA_DLG_SRCS := $(MEDIA_CFWD_SRCS) feature/cfwd/ivr.c feature/cfwd/ivr_menu.c \
	feature/cfwd/remote.c feature/cfwd/remote_store.c feature/cfwd/pin_check.c \
	feature/cfwd/work_pool.c feature/cfwd/store_writer.c feature/cfwd/store.c \
	feature/cfwd/store_sub.c \
	feature/cfwd/store_pin.c feature/cfwd/store_list.c feature/cfwd/numbers.c \
	feature/cfwd/billing.c
MEDIA_TEST_LIBS := media tdmdtmf core
MEDIA_LDLIBS = $(LIBS_SQLITE) $(LIBS_SODIUM) $(LIBS_INIH) -lm
$(eval $(call test,test_media,tests/test_media.c $(MEDIA_CFWD_SRCS),$(MEDIA_TEST_LIBS),$(MEDIA_LDLIBS)))
$(eval $(call test,test_media_ivr,tests/test_media_ivr.c $(MEDIA_DLG_SRCS),$(MEDIA_TEST_LIBS),$(MEDIA_LDLIBS)))
$(eval $(call test,test_media_echo,tests/test_media_echo.c $(MEDIA_CFWD_SRCS),$(MEDIA_TEST_LIBS),$(MEDIA_LDLIBS)))
$(BUILD)/tests/test_media $(BUILD)/tests/test_media_ivr $(BUILD)/tests/test_media_echo: \
	$(MEDIA_PROMPT_STAMPS)
$(BUILD)/obj/tests/test_media.o $(BUILD)/obj/tests/test_media_ivr.o \
	$(BUILD)/obj/tests/test_media_echo.o: \
	CPPFLAGS += -DMEDIA_PROMPTS_BASE='"$(BUILD)/prompts"'

$(eval $(call bench,bench-media,bench/bench_media.c $(MEDIA_CFWD_SRCS),media tdm tdmdtmf core,$(MEDIA_LDLIBS) $(LIBS_SPANDSP)))
$(BUILD)/bench-media: $(MEDIA_PROMPT_STAMPS)
$(BUILD)/obj/bench/bench_media.o: CPPFLAGS += -DMEDIA_PROMPTS_BASE='"$(BUILD)/prompts"'
