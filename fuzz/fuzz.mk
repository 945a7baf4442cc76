# fuzz/fuzz.mk: build and run every fuzz/fuzz_*.c as a libFuzzer target.
#
#   make fuzz FUZZ_SECONDS=60      (the Makefile calls this file)
#
# Each target links (from one archive) the runtime and front-end sources built with clang's
# fuzzer, address and undefined-behaviour instrumentation, and runs for
# FUZZ_SECONDS from a seed corpus: fuzz/corpus/NAME/ when it exists, plus
# for the parser the examples and the pfctl conformance inputs. New inputs
# found go to $(BUILD)/corpus/NAME/, crashes to $(BUILD)/crash-NAME-*.

BUILD ?= build/fuzz
FUZZ_SECONDS ?= 60
CONFORMANCE ?= $(or $(PICKET_CONFORMANCE),../shared/conformance/pfctl-regress)

FCC := clang
FSAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FCFLAGS := -std=c11 -O1 -g -I. -I$(BUILD)/gen -D_GNU_SOURCE -MMD -MP $(FSAN) -fsanitize=fuzzer-no-link
FLIBS := -lm -lpcap

LIB_SRC := $(wildcard runtime/*.c compiler/*.c)
GEN_SRC := $(BUILD)/gen/parse.c $(BUILD)/gen/scan.c
TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/parse.o $(BUILD)/obj/gen/scan.o

SEEDS_fuzz_parser := examples tests/compiler/golden $(wildcard $(CONFORMANCE))
# the loader starts from the examples, compiled by the normal build
SEEDS_fuzz_loader := $(BUILD)/seeds/fuzz_loader

run: $(addprefix run-,$(TARGETS))

$(BUILD)/gen/parse.c $(BUILD)/gen/parse.h: grammar/parse.y
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

run-%: $(BUILD)/%
	@mkdir -p $(BUILD)/corpus/$*
	@echo "  FUZZ   $* for $(FUZZ_SECONDS)s"
	$(BUILD)/$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix=$(BUILD)/crash-$*- $(BUILD)/corpus/$* \
		$(wildcard fuzz/corpus/$*) $(SEEDS_$*)

$(BUILD)/seeds/fuzz_loader: $(wildcard examples/*.conf) runtime/pkb_format.h
	@$(MAKE) --no-print-directory -f Makefile BUILD=build all
	@mkdir -p $@
	for f in $(filter %.conf,$^); do build/picket compile $$f -o $@/$$(basename $$f .conf).pkb >/dev/null || exit 1; done

run-fuzz_loader: $(SEEDS_fuzz_loader)

.PHONY: run
.SECONDARY:

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
