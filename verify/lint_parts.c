/*
 * verify/lint_parts.c: a question over many rules asked in parts.
 *
 * Implicit pass and exposure ask whether some packet meets a condition and
 * none of a set of rules: one "not M" per rule, up to every rule of the
 * file, which the solver takes longer to read than to answer. Most rules
 * are far from any packet the question can have: a second solver starts
 * with the condition alone and adds the rules the reference evaluator
 * finds matching each packet it returns. No packet within a part proves
 * there is none within the whole; a packet no rule of the set matches
 * answers the question as the whole would; else the whole is asked.
 */
#include <stdlib.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"

/* Packets returned before the whole question is asked instead: each adds
 * the rules matching it, and a question that needs more is seldom helped. */
#define PK_PARTS_ROUNDS 64

/* Adds "not M" of each rule of s that matches p and is not in yet;
 * returns how many, or -1 when one already in matches (the evaluator and
 * the formula disagree: the parts prove nothing more). */
static int add_matching(struct pk_lint_ctx *x, Z3_solver sv, const struct pk_lint_set *s, bool *in,
			const struct pk_vpkt *p)
{
	int n = 0;
	for (unsigned k = 0; k < s->n; k++) {
		if (!pk_eval_match(x->rs, &x->rs->rules[s->v[k]], p))
			continue;
		if (in[k])
			return -1;
		in[k] = true;
		Z3_solver_assert(x->z.c, sv, Z3_mk_not(x->z.c, pk_lint_M(x, s->v[k])));
		n++;
	}
	return n;
}

enum pk_lint_parts pk_lint_parts(struct pk_lint_ctx *x, Z3_ast fixed, const struct pk_lint_set *s)
{
	Z3_solver sv = pk_z3_solver(&x->z);
	Z3_solver_assert(x->z.c, sv, fixed);
	bool *in = pk_xcalloc(s->n + 1, sizeof(*in));
	enum pk_lint_parts r = PK_PARTS_UNSETTLED;
	for (int round = 0; round < PK_PARTS_ROUNDS; round++) {
		struct pk_vpkt p;
		const Z3_lbool a = pk_z3_check_in(&x->z, sv, 0, NULL);
		if (a != Z3_L_TRUE) {
			r = a == Z3_L_FALSE ? PK_PARTS_NONE : PK_PARTS_UNSETTLED;
			break;
		}
		pk_z3_model_packet(&x->z, sv, &p);
		const int added = add_matching(x, sv, s, in, &p);
		if (added <= 0) {
			r = added == 0 ? PK_PARTS_SOME : PK_PARTS_UNSETTLED;
			break;
		}
	}
	free(in);
	Z3_solver_dec_ref(x->z.c, sv);
	return r;
}
