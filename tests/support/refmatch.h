/*
 * tests/support/refmatch.h: a test-only reference evaluator of pf's rule
 * semantics straight over the IR, written independently of the runtime's
 * classifier so the two can be compared on random packets.
 */
#ifndef PK_TESTS_REFMATCH_H
#define PK_TESTS_REFMATCH_H

#include "compiler/ir.h"
#include "runtime/ruleset.h"

/* Interface and tag ids in p are resolved to names through loaded (the
 * compiled form of rs), the only thing taken from it. */
void pk_refmatch(const struct pk_ir_ruleset *rs, const struct pk_rs *loaded, enum pk_rt_phase phase,
		 const struct pk_match_pkt *p, struct pk_rs_result *res);

#endif
