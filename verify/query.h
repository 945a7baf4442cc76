/*
 * verify/query.h: can any packet of a shape pass the ruleset?
 *
 * The shape is a set of IR rules (a `from ... to ...` written like a rule,
 * resolved by the front end, lists expanded): a packet is of the shape
 * when one of them matches it. The answer is yes with a witness packet and
 * the rule that passes it, or no with the rules that block the shape.
 */
#ifndef PK_VERIFY_QUERY_H
#define PK_VERIFY_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ir.h"
#include "verify/packet.h"

#define PK_QUERY_MAX_STOPPERS 32

struct pk_query_result {
	bool undecided;    /* the solver timed out: no answer */
	bool empty;        /* no well-formed packet has the shape */
	bool passes;       /* some packet of the shape passes */
	struct pk_vpkt w;  /* when passes: one such packet */
	uint32_t rule;     /* when passes: its deciding rule, UINT32_MAX for the default pass */
	uint32_t stoppers[PK_QUERY_MAX_STOPPERS]; /* when not: the rules deciding the shape's packets */
	unsigned nstoppers;
	unsigned long solver_calls;
};

/* shape_rs holds the shape's rules at indices shape[0..n); rs is the ruleset. */
int pk_query_run(const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *shape_rs, const uint32_t *shape,
		 unsigned n, struct pk_query_result *out);

#endif
