# bench/bench.mk: the benchmark programs, built by bench/run into build/bench/.
#
#   make -f bench/bench.mk base      workload generators and baselines (libpcap only)
#   make -f bench/bench.mk runtime   the programs that link picket's runtime
#   make -f bench/bench.mk rules     the rule-set generator (tests/support/rulegen.c)
#
# Same flags as the main Makefile; the runtime ones link build/libpicket-runtime.a,
# which `make all` builds.

BUILD ?= build
B := $(BUILD)/bench
CC ?= cc
CPPFLAGS := -I. -D_GNU_SOURCE -MMD -MP
CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror

LIB_SRC := bench/rules.c bench/packet.c bench/flows.c bench/bpf-expr.c runtime/afile.c runtime/xalloc.c
BASE := gen-trace bare-read naive-linear bpf-filter timeit mem-latency
RUNTIME := classify-bench state-bench

base: $(addprefix $(B)/,$(BASE))
runtime: $(addprefix $(B)/,$(RUNTIME))
rules: $(B)/gen-rules

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/libbench.a: $(patsubst %.c,$(B)/obj/%.o,$(LIB_SRC))
	rm -f $@ && ar rcs $@ $^

$(addprefix $(B)/,$(BASE)): $(B)/%: $(B)/obj/bench/%.o $(B)/libbench.a
	$(CC) -o $@ $^ -lpcap -lm

$(addprefix $(B)/,$(RUNTIME)): $(B)/%: $(B)/obj/bench/%.o $(B)/libbench.a $(BUILD)/libpicket-runtime.a
	$(CC) -o $@ $^ -lpcap -lm

$(B)/gen-rules: $(B)/obj/bench/gen-rules.o $(B)/obj/tests/support/rulegen.o $(BUILD)/libpicket-front.a \
		$(BUILD)/libpicket-runtime.a
	$(CC) -o $@ $^ -lxml2 -lm

.PHONY: base runtime rules
-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
