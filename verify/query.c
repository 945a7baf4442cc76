/* verify/query.c: reachability of a packet shape (see query.h). */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/query.h"
#include "verify/z3_encode.h"

static void stoppers(struct pk_z3 *z, const struct pk_ir_ruleset *rs, Z3_ast shape, struct pk_query_result *out)
{
	Z3_ast *M = pk_xcalloc(rs->nrules + 1, sizeof(*M));
	Z3_solver_push(z->c, z->s);
	Z3_solver_assert(z->c, z->s, shape);
	for (uint32_t j = 0; j < rs->nrules && out->nstoppers < PK_QUERY_MAX_STOPPERS; j++)
		if (rs->rules[j].action == PK_ACT_BLOCK && pk_z3_witness(z, pk_z3_decided_by(z, rs, j, M), NULL))
			out->stoppers[out->nstoppers++] = j;
	Z3_solver_pop(z->c, z->s, 1);
	free(M);
}

int pk_query_run(const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *shape_rs, const uint32_t *shape,
		 unsigned n, struct pk_query_result *out)
{
	memset(out, 0, sizeof(*out));
	struct pk_z3 z;
	if (pk_z3_init(&z, rs, shape_rs) < 0)
		return -1;
	Z3_ast *v = pk_xcalloc(n + 1, sizeof(*v));
	for (unsigned k = 0; k < n; k++)
		v[k] = pk_z3_match_plain(&z, shape_rs, &shape_rs->rules[shape[k]]); /* the packet as it arrives */
	const Z3_ast parts[2] = {pk_z3_domain(&z), pk_z3_or(z.c, n, v)};
	const Z3_ast in_shape = Z3_mk_and(z.c, 2, parts);
	free(v);
	out->empty = !pk_z3_witness(&z, in_shape, NULL);
	const Z3_ast q[2] = {in_shape, pk_z3_passes(&z, rs)};
	if (!out->empty && pk_z3_witness(&z, Z3_mk_and(z.c, 2, q), &out->w)) {
		out->passes = true;
		struct pk_eval_result res;
		pk_eval_filter(rs, &out->w, &res, NULL, NULL);
		out->rule = res.rule;
	} else if (!out->empty) {
		stoppers(&z, rs, in_shape, out);
	}
	out->solver_calls = z.checks;
	out->undecided = z.unknowns > 0 && !out->passes;
	pk_z3_fini(&z);
	return 0;
}
