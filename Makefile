# cfwd - one non-recursive GNU Makefile.
#
# Each folder adds its libraries, programs, tests and benchmarks through a module.mk
# fragment included below, using the lib/prog/test/bench macros defined here. Outputs go
# to $(BUILD) (build/ by default; build/asan for `make asan`).
#
#   make            build everything        make test    unit + scenario tests
#   make bench      benchmark programs      make demo    install deps, build, run demo
#   make asan       tests under ASan/UBSan  make talkoff DTMF talk-off on recorded speech
#   make clean

BUILD ?= build
CC ?= cc
AR ?= ar
SAN ?=

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Wformat=2 -Wno-format-nonliteral
OPT ?= -O2 -g
ifeq ($(SAN),1)
OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
SANLD := -fsanitize=address,undefined
endif

CFLAGS := -std=gnu11 $(WARN) $(OPT) -fno-strict-aliasing
CPPFLAGS := -I. -D_GNU_SOURCE -MMD -MP
LDFLAGS := $(SANLD)

PKG_CFLAGS := $(shell pkg-config --cflags sqlite3 cmocka libsodium inih 2>/dev/null)
CPPFLAGS += $(PKG_CFLAGS)
LIBS_SQLITE := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
LIBS_CMOCKA := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
LIBS_SODIUM := $(shell pkg-config --libs libsodium 2>/dev/null || echo -lsodium)
LIBS_INIH := $(shell pkg-config --libs inih 2>/dev/null || echo -linih)
LIBS_SS7 := -lss7
LIBS_PRI := -lpri
LIBS_SPANDSP := $(shell pkg-config --libs spandsp 2>/dev/null || echo -lspandsp) -lm
HAVE_DAHDI := $(shell test -f /usr/include/dahdi/user.h && echo 1)

PROGS :=
TESTS :=
SCENARIOS :=
BENCHES :=

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
libs = $(foreach l,$(1),$(BUILD)/lib$(l).a)

# $(call lib,NAME,SRCS): static library $(BUILD)/libNAME.a
define lib
$(BUILD)/lib$(1).a: $(call obj,$(2))
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
ALLOBJS += $(call obj,$(2))
endef

# $(call prog,NAME,SRCS,LIBS,LDLIBS): program $(BUILD)/NAME (LIBS: dependents first)
define prog
$(BUILD)/$(1): $(call obj,$(2)) $(call libs,$(3))
	$$(CC) $$(LDFLAGS) -o $$@ $(call obj,$(2)) $(call libs,$(3)) $(4)
PROGS += $(BUILD)/$(1)
ALLOBJS += $(call obj,$(2))
endef

# $(call test,NAME,SRCS,LIBS,LDLIBS): cmocka test $(BUILD)/tests/NAME, run by `make test`
define test
$(BUILD)/tests/$(1): $(call obj,$(2)) $(call libs,$(3))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $(call obj,$(2)) $(call libs,$(3)) $(4) $$(LIBS_CMOCKA)
TESTS += $(BUILD)/tests/$(1)
ALLOBJS += $(call obj,$(2))
endef

# $(call bench,NAME,SRCS,LIBS,LDLIBS): benchmark $(BUILD)/NAME, run by `make bench`
define bench
$(BUILD)/$(1): $(call obj,$(2)) $(call libs,$(3))
	$$(CC) $$(LDFLAGS) -o $$@ $(call obj,$(2)) $(call libs,$(3)) $(4)
BENCHES += $(BUILD)/$(1)
ALLOBJS += $(call obj,$(2))
endef

.PHONY: all test bench demo asan talkoff clean deps
all:

MODULES := core tdm-dtmf media drivers isup pri feature/cfwd daemon lab tools tests bench
include $(wildcard $(addsuffix /module.mk,$(MODULES)))
include scripts/dahdi-vm/dahdi.mk
-include debian/deb.mk

all: $(PROGS) $(TESTS) $(BENCHES)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Scenario scripts that run the daemons (the long ones) first, then the cmocka binaries,
# TEST_JOBS at a time (default: the CPUs; scripts/run-tests): the short unit tests then
# fill the end of the run.
test: all
	@BUILD=$(BUILD) scripts/run-tests $(SCENARIOS) $(TESTS)

asan:
	$(MAKE) BUILD=build/asan SAN=1 test

bench: all
	@for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done

deps:
	scripts/install-deps

demo: deps
	$(MAKE) all
	BUILD=$(BUILD) scripts/demo

clean:
	rm -rf build

-include $(ALLOBJS:.o=.d)
