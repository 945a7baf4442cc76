# picket: build, test, install.
#
#   make            build build/picket (and build/picketd)
#   make check      install missing packages, build, run every test and
#                   every fuzz target (FUZZ_CHECK_SECONDS each, default 15)
#   make demo       install missing packages, build, run the bundled example
#   make asan       unit tests under ASan+UBSan (in build/asan)
#   make bench      benchmarks (bench/README.md)
#   make fuzz       bounded libFuzzer runs (FUZZ_SECONDS, default 60)
#   make install    PREFIX=/usr/local DESTDIR=
#   make V=1        show full commands
#
# Sources are found by directory: a new file in runtime/ is in the runtime
# library, a new tests/AREA/test_X.c is a new unit test binary.

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDARY:

BUILD ?= build
PREFIX ?= /usr/local
DESTDIR ?=
FUZZ_SECONDS ?= 60
FUZZ_CHECK_SECONDS ?= 15
SAN ?= 0

CC ?= cc
CPPFLAGS := -I. -I$(BUILD)/gen -I/usr/include/libxml2 -D_GNU_SOURCE -MMD -MP
CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Werror
LDFLAGS :=
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif
# The only warnings relaxed, and only for flex and bison output.
GEN_CFLAGS := -Wno-unused-function -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-prototypes -Wno-shadow -Wno-unused-but-set-variable

ifeq ($(V),1)
Q :=
else
Q := @
endif

RUNTIME_SRC := $(wildcard runtime/*.c)
FRONT_SRC := $(wildcard compiler/*.c configxml/*.c)
VERIFY_SRC := $(wildcard verify/*.c)
CLI_SRC := $(wildcard cli/*.c)
DAEMON_SRC := $(wildcard daemon/*.c)
TESTSUP_SRC := $(wildcard tests/support/*.c)
UNIT_SRC := $(wildcard tests/*/test_*.c)
GEN_SRC := $(BUILD)/gen/parse.c $(BUILD)/gen/scan.c
GEN_HDR := $(BUILD)/gen/parse.h $(BUILD)/gen/scan.h

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

RUNTIME_LIB := $(BUILD)/libpicket-runtime.a
FRONT_LIB := $(BUILD)/libpicket-front.a
VERIFY_LIB := $(BUILD)/libpicket-verify.a
TESTSUP_LIB := $(BUILD)/libpicket-testsupport.a
# daemon/*.c but main: a library, so unit tests link the daemon's modules.
DAEMON_LIB_SRC := $(filter-out daemon/main.c,$(DAEMON_SRC))
DAEMON_LIB := $(if $(DAEMON_LIB_SRC),$(BUILD)/libpicket-daemon.a)

TOOL_LIBS := -lz3 -ljansson -lpcap -lxml2 -lm -lsodium
DAEMON_LIBS := -lm -lsodium
UNIT_BINS := $(patsubst tests/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

PROGS := $(BUILD)/picket
ifneq ($(wildcard daemon/main.c),)
PROGS += $(BUILD)/picketd
endif

all: $(PROGS)

# --- generated front end -------------------------------------------------

$(BUILD)/gen/parse.c $(BUILD)/gen/parse.h: grammar/parse.y
	@mkdir -p $(@D)
	@echo "  BISON  $<"
	$(Q)bison -Wall -Werror --defines=$(BUILD)/gen/parse.h -o $(BUILD)/gen/parse.c $<

$(BUILD)/gen/scan.c $(BUILD)/gen/scan.h: grammar/scan.l
	@mkdir -p $(@D)
	@echo "  FLEX   $<"
	$(Q)flex --header-file=$(BUILD)/gen/scan.h -o $(BUILD)/gen/scan.c $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(GEN_HDR)
	@mkdir -p $(@D)
	@echo "  CC     $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(GEN_CFLAGS) -c $< -o $@

# Every object may include the generated headers, so they come first.
$(BUILD)/obj/%.o: %.c | $(GEN_HDR)
	@mkdir -p $(@D)
	@echo "  CC     $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

# --- libraries and programs ----------------------------------------------

$(RUNTIME_LIB): $(call obj,$(RUNTIME_SRC))
$(FRONT_LIB): $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRC)) $(call obj,$(FRONT_SRC))
$(VERIFY_LIB): $(call obj,$(VERIFY_SRC))
$(TESTSUP_LIB): $(call obj,$(TESTSUP_SRC))
$(BUILD)/libpicket-daemon.a: $(call obj,$(DAEMON_LIB_SRC))

$(BUILD)/%.a:
	@mkdir -p $(@D)
	@echo "  AR     $@"
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/picket: $(call obj,$(CLI_SRC)) $(VERIFY_LIB) $(FRONT_LIB) $(RUNTIME_LIB)
	@echo "  LD     $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(TOOL_LIBS)

# The router daemon links the runtime and libc only (and libsodium, for
# --signed-by): no Z3, no parser, no jansson.
$(BUILD)/picketd: $(call obj,daemon/main.c) $(DAEMON_LIB) $(RUNTIME_LIB)
	@echo "  LD     $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(DAEMON_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/%.o $(TESTSUP_LIB) $(DAEMON_LIB) $(VERIFY_LIB) $(FRONT_LIB) $(RUNTIME_LIB)
	@mkdir -p $(@D)
	@echo "  LD     $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(TOOL_LIBS)

# --- tests ---------------------------------------------------------------

deps:
	@scripts/install-deps

unit: $(UNIT_BINS)
	@scripts/run-tests unit $(UNIT_BINS)

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN=1 unit

e2e: all
	@scripts/run-tests e2e $(sort $(wildcard tests/e2e/*.sh))

netns: all
	@scripts/run-tests netns $(sort $(wildcard tests/netns/*.sh))

check: deps
	@$(MAKE) --no-print-directory -j2 all
	@$(MAKE) --no-print-directory -j2 unit
	@$(MAKE) --no-print-directory -j2 asan
	@$(MAKE) --no-print-directory -j2 fuzz FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS)
	@$(MAKE) --no-print-directory e2e
	@$(MAKE) --no-print-directory netns

demo: deps
	@$(MAKE) --no-print-directory -j2 all
	@scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run

fuzz: deps
	@$(MAKE) --no-print-directory -f fuzz/fuzz.mk BUILD=build/fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/picket
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	for page in $(wildcard docs/*.[158]); do \
		sec=$${page##*.}; install -d $(DESTDIR)$(PREFIX)/share/man/man$$sec; \
		install -m 644 $$page $(DESTDIR)$(PREFIX)/share/man/man$$sec/; done
	install -m 644 README.md $(wildcard docs/*.md) $(DESTDIR)$(PREFIX)/share/doc/picket/
	install -d $(DESTDIR)$(PREFIX)/share/doc/picket/schemas $(DESTDIR)$(PREFIX)/share/doc/picket/examples
	install -m 644 $(wildcard docs/schemas/*.json) $(DESTDIR)$(PREFIX)/share/doc/picket/schemas/
	install -m 644 $(wildcard examples/*) $(DESTDIR)$(PREFIX)/share/doc/picket/examples/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 644 contrib/completion/picket.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/picket
	install -m 644 contrib/completion/_picket $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_picket
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system
	sed 's|@BINDIR@|$(PREFIX)/bin|' contrib/picketd.service >$(DESTDIR)$(PREFIX)/lib/systemd/system/picketd.service
	chmod 644 $(DESTDIR)$(PREFIX)/lib/systemd/system/picketd.service

clean:
	rm -rf build

.PHONY: all deps unit asan e2e netns check demo bench fuzz install clean

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
