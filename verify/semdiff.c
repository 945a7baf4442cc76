/* verify/semdiff.c: semantic diff (see semdiff.h). */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/semdiff.h"
#include "verify/z3_encode.h"

struct pk_diff_side {
	const struct pk_ir_ruleset *rs;
	Z3_ast *M;
	Z3_ast pass;
};

static uint32_t decider(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, bool *pass)
{
	struct pk_eval_result res;
	pk_eval_filter(rs, p, &res, NULL, NULL);
	*pass = res.pass;
	return res.rule == PK_EVAL_NONE ? PK_DIFF_DEFAULT : res.rule;
}

static Z3_ast decided(struct pk_z3 *z, struct pk_diff_side *s, uint32_t rule)
{
	return pk_z3_decided_by(z, s->rs, rule == PK_DIFF_DEFAULT ? PK_Z3_NO_RULE : rule, s->M);
}

/* Up to max packets of one group; the first is w0. */
static void fill_group(struct pk_z3 *z, struct pk_diff_group *g, Z3_ast in_group, const struct pk_vpkt *w0,
		       unsigned max)
{
	g->w = pk_xcalloc(max ? max : 1, sizeof(*g->w));
	g->w[g->nw++] = *w0;
	Z3_solver_push(z->c, z->s);
	Z3_solver_assert(z->c, z->s, in_group);
	while (g->nw < max) {
		Z3_solver_assert(z->c, z->s, Z3_mk_not(z->c, pk_z3_is_packet(z, &g->w[g->nw - 1])));
		if (!pk_z3_witness(z, Z3_mk_true(z->c), &g->w[g->nw]))
			break;
		g->nw++;
	}
	Z3_solver_pop(z->c, z->s, 1);
}

static void search(struct pk_z3 *z, struct pk_diff_side *a, struct pk_diff_side *b, unsigned max,
		   struct pk_diff_result *out)
{
	Z3_context c = z->c;
	Z3_solver_assert(c, z->s, pk_z3_domain(z));
	Z3_solver_assert(c, z->s, Z3_mk_not(c, Z3_mk_eq(c, a->pass, b->pass)));
	struct pk_vpkt w;
	while (pk_z3_witness(z, Z3_mk_true(c), &w)) {
		if (out->ng == PK_DIFF_MAX_GROUPS) {
			out->truncated = true;
			break;
		}
		struct pk_diff_group *g = &out->g[out->ng++];
		memset(g, 0, sizeof(*g));
		g->old_rule = decider(a->rs, &w, &g->old_pass);
		g->new_rule = decider(b->rs, &w, &g->new_pass);
		const Z3_ast both[2] = {decided(z, a, g->old_rule), decided(z, b, g->new_rule)};
		const Z3_ast in_group = Z3_mk_and(c, 2, both);
		fill_group(z, g, in_group, &w, max);
		Z3_solver_assert(c, z->s, Z3_mk_not(c, in_group));
	}
}

int pk_diff_run(const struct pk_ir_ruleset *old, const struct pk_ir_ruleset *new_rs, unsigned max,
		struct pk_diff_result *out)
{
	memset(out, 0, sizeof(*out));
	struct pk_z3 z;
	if (pk_z3_init(&z, old, new_rs) < 0)
		return -1;
	struct pk_diff_side a = {old, pk_xcalloc(old->nrules + 1, sizeof(Z3_ast)), NULL};
	struct pk_diff_side b = {new_rs, pk_xcalloc(new_rs->nrules + 1, sizeof(Z3_ast)), NULL};
	a.pass = pk_z3_passes(&z, old);
	b.pass = pk_z3_passes(&z, new_rs);
	out->g = pk_xcalloc(PK_DIFF_MAX_GROUPS, sizeof(*out->g));
	search(&z, &a, &b, max, out);
	out->undecided = z.unknowns > 0;
	out->equivalent = out->ng == 0 && !out->undecided;
	out->solver_calls = z.checks;
	free(a.M);
	free(b.M);
	pk_z3_fini(&z);
	return 0;
}

void pk_diff_free(struct pk_diff_result *r)
{
	for (unsigned i = 0; i < r->ng; i++)
		free(r->g[i].w);
	free(r->g);
	memset(r, 0, sizeof(*r));
}
