/*
 * tests/support/rulegen.h: seeded random rule sets and packets for the
 * equivalence tests and benchmarks.
 *
 * Rule sets are shaped like ClassBench filter sets: prefixes drawn from a
 * pool of networks with a mix of lengths, exact ports, port ranges and the
 * other operators, a protocol mix, wildcards, quick and non-quick rules,
 * tables with negated entries, negated addresses, interfaces and
 * directions, tags, user and group when asked, and some legacy
 * nat/rdr/binat/scrub rules. They are
 * built as IR directly (and can be printed as rule text by the printer).
 */
#ifndef PK_TESTS_RULEGEN_H
#define PK_TESTS_RULEGEN_H

#include <stdint.h>

#include "compiler/ir.h"
#include "runtime/ruleset.h"

struct pk_rng {
	uint64_t s;
};
uint64_t pk_rng_next(struct pk_rng *r);
uint32_t pk_rng_below(struct pk_rng *r, uint32_t n); /* 0..n-1 */

struct pk_rulegen_opts {
	uint64_t seed;
	uint32_t nrules;
	uint32_t ntables; /* tables to generate, 0..8 */
	bool legacy;      /* also scrub/nat/rdr/binat rules */
	uint32_t quick_pct; /* percent of rules that are quick */
	uint32_t owner_pct; /* percent of pass, block and match rules with user or group */
	bool fixed_decisions; /* no probability, no overload: the rules alone decide */
};

/* A new ruleset in its own arena; free with pk_rulegen_free. */
struct pk_ir_ruleset *pk_rulegen(const struct pk_rulegen_opts *o);
void pk_rulegen_free(struct pk_ir_ruleset *rs);

/* A random packet, most of the time aimed inside a random rule's match,
 * with interface and tag ids as the loaded ruleset numbers them; now and
 * then to or from one of the topology's addresses (local, as the engine
 * says of it). */
void pk_rulegen_packet(const struct pk_ir_ruleset *rs, const struct pk_rs *loaded, struct pk_rng *rng,
		       struct pk_match_pkt *p);

#endif
