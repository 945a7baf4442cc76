/*
 * verify/semdiff.h: semantic difference of two rulesets.
 *
 * Two rulesets are equivalent when they give every well-formed packet the
 * same verdict (pass/block), whatever their order, macros or lists. When
 * they are not, the differing packets are grouped by the pair of deciding
 * rules (old -> new), with up to max witness packets per group.
 */
#ifndef PK_VERIFY_SEMDIFF_H
#define PK_VERIFY_SEMDIFF_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ir.h"
#include "verify/packet.h"

#define PK_DIFF_DEFAULT UINT32_MAX /* no rule decides: pf's default pass */
#define PK_DIFF_MAX_GROUPS 64

struct pk_diff_group {
	uint32_t old_rule, new_rule; /* PK_DIFF_DEFAULT for the default pass */
	bool old_pass, new_pass;
	struct pk_vpkt *w;
	unsigned nw;
};

struct pk_diff_result {
	bool equivalent;
	bool truncated; /* more groups than PK_DIFF_MAX_GROUPS */
	bool undecided; /* the solver timed out: equivalence is not proven */
	struct pk_diff_group *g;
	unsigned ng;
	unsigned long solver_calls;
};

/* Returns 0, or -1 if Z3 could not start. Witness names point into the
 * rulesets, which must outlive the result. */
int pk_diff_run(const struct pk_ir_ruleset *old, const struct pk_ir_ruleset *new_rs, unsigned max,
		struct pk_diff_result *out);
void pk_diff_free(struct pk_diff_result *r);

#endif
