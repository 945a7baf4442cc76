# fuzz/fuzz.mk: build and run every fuzz/fuzz_*.c as a libFuzzer target.
#
#   make fuzz FUZZ_SECONDS=60      (the Makefile calls this file; make check
#                                  runs it for FUZZ_CHECK_SECONDS per target)
#   make -f fuzz/fuzz.mk merge     fold what the runs found into fuzz/corpus
#
# Each target links (from one archive) the runtime and front-end sources
# built with clang's fuzzer, address and undefined-behaviour
# instrumentation, and runs for FUZZ_SECONDS from the corpus kept in the
# tree, fuzz/corpus/NAME/ (grown from the tests' inputs: examples,
# real-world rule files, .pkb files, captures of every link type; merged,
# inputs under 2 kB for the parser and 6 kB for the loader), the inputs of
# crashes and hangs found and fixed, fuzz/regress/NAME/, and the tests'
# inputs themselves: the rule files for the parser, the examples compiled
# by the normal build (current with the format) for the loader. New inputs
# found go to $(BUILD)/corpus/NAME/, the output of a run to
# $(BUILD)/NAME.log, crashes to $(BUILD)/crash-NAME-*; a crash, hang or
# leak fails the run.

BUILD ?= build/fuzz
FUZZ_SECONDS ?= 60

FCC := clang
FSAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FCFLAGS := -std=c11 -O1 -g -I. -I$(BUILD)/gen -I/usr/include/libxml2 -D_GNU_SOURCE -MMD -MP $(FSAN) -fsanitize=fuzzer-no-link
FLIBS := -lm -lpcap -lxml2

LIB_SRC := $(wildcard runtime/*.c compiler/*.c configxml/*.c)
GEN_SRC := $(BUILD)/gen/parse.c $(BUILD)/gen/scan.c
TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/parse.o $(BUILD)/obj/gen/scan.o

# the corpus in the tree, the regression inputs, and the tests' own inputs:
# rule files for the parser, the examples compiled now for the loader
seeds = $(wildcard fuzz/regress/$(1) fuzz/corpus/$(1)) $(SEEDS_$(1))
SEEDS_fuzz_parser := examples tests/realworld/pfconf tests/compiler/golden tests/configxml/fixtures
SEEDS_fuzz_loader := $(BUILD)/seeds/fuzz_loader
SEEDS_fuzz_ahead := fuzz/corpus/fuzz_engine

run: $(addprefix run-,$(TARGETS))

$(BUILD)/gen/parse.c $(BUILD)/gen/parse.h &: grammar/parse.y
	@mkdir -p $(@D)
	bison -Wall -Werror --defines=$(BUILD)/gen/parse.h -o $(BUILD)/gen/parse.c $<

$(BUILD)/gen/scan.c: grammar/scan.l
	@mkdir -p $(@D)
	flex --header-file=$(BUILD)/gen/scan.h -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/gen/parse.h $(BUILD)/gen/scan.c
	@mkdir -p $(@D)
	$(FCC) $(FCFLAGS) -w -c $< -o $@

$(BUILD)/obj/%.o: %.c $(BUILD)/gen/parse.h $(BUILD)/gen/scan.c
	@mkdir -p $(@D)
	$(FCC) $(FCFLAGS) -c $< -o $@

# An archive, so each target links only the objects it uses.
$(BUILD)/libfuzz-all.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/%: $(BUILD)/obj/fuzz/%.o $(BUILD)/libfuzz-all.a
	$(FCC) $(FSAN) -fsanitize=fuzzer -o $@ $^ $(FLIBS)

# One line per target: runs, new inputs, or the end of the log on failure.
run-%: $(BUILD)/%
	@mkdir -p $(BUILD)/corpus/$*
	@echo "  FUZZ   $* for $(FUZZ_SECONDS)s"
	@$(BUILD)/$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(BUILD)/crash-$*- $(BUILD)/corpus/$* $(call seeds,$*) >$(BUILD)/$*.log 2>&1 || \
		{ tail -n 40 $(BUILD)/$*.log; echo "  FUZZ   $* FAILED: the input is in $(BUILD)/crash-$*-*"; exit 1; }
	@echo "  FUZZ   $*: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(BUILD)/$*.log) runs," \
		"$$(sed -n 's/^stat::new_units_added: *//p' $(BUILD)/$*.log) new inputs, no crash"

# Minimised: an input is kept only if it reaches code the others do not.
merge-%: $(BUILD)/%
	$(BUILD)/$* -merge=1 fuzz/corpus/$* $(BUILD)/corpus/$*

merge: $(addprefix merge-,$(TARGETS))

$(BUILD)/seeds/fuzz_loader: $(wildcard examples/*.conf) runtime/pkb_format.h
	@$(MAKE) --no-print-directory -f Makefile BUILD=build all
	@mkdir -p $@
	for f in $(filter %.conf,$^); do build/picket compile $$f -o $@/$$(basename $$f .conf).pkb >/dev/null || exit 1; done

run-fuzz_loader: $(SEEDS_fuzz_loader)

.PHONY: run merge
.SECONDARY:

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
