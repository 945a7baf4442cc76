/*
 * verify/z3_xlat.c: translation by `match` rules in the Z3 encoding.
 *
 * pf matches every rule against the addresses and ports translated so far,
 * so a rule after a matching match rule with nat-to or rdr-to sees the new
 * ones. Its match is the plain one with the address and port fields
 * replaced by terms of the form ite(the match rule matched, translated,
 * before), built once per ruleset in rule order. The translation is the
 * reference evaluator's (verify/eval.c): the pool's first address of the
 * packet's family, the rule's port for TCP and UDP, a nat-to source port
 * kept as it came (at run time the allocation picks it). The older nat,
 * rdr and binat rules translate first, before any filter rule.
 */
#include <stdlib.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/z3_encode.h"

struct fields {
	Z3_ast src, dst, sport, dport;
};

static Z3_ast eq_bv(Z3_context c, Z3_ast f, uint64_t v, unsigned bits)
{
	return Z3_mk_eq(c, f, pk_z3_bv(c, v, bits));
}

/* The pool's address for each family, read once per translating rule. */
struct pool {
	Z3_ast is4, is6, a4, a6;
	bool h4, h6;
};

static struct pool pool_of(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_nat *n)
{
	Z3_context c = z->c;
	uint8_t a4[16], a6[16];
	bool only;
	struct pool p = {eq_bv(c, z->p.af, PK_AF_INET, 8), eq_bv(c, z->p.af, PK_AF_INET6, 8), NULL, NULL, false, false};

	p.h4 = pk_eval_pool_first(rs, n, PK_AF_INET, a4, &only);
	p.h6 = pk_eval_pool_first(rs, n, PK_AF_INET6, a6, &only);
	p.a4 = p.h4 ? pk_z3_addr(c, a4) : NULL;
	p.a6 = p.h6 ? pk_z3_addr(c, a6) : NULL;
	return p;
}

/* The pool's address for the packet's family, before when it has none. */
static Z3_ast pool_addr(Z3_context c, const struct pool *p, Z3_ast before)
{
	return Z3_mk_ite(c, p->is4, p->h4 ? p->a4 : before, Z3_mk_ite(c, p->is6, p->h6 ? p->a6 : before, before));
}

/* The pool has an address for the packet's family. */
static Z3_ast pool_has(Z3_context c, const struct pool *p)
{
	const Z3_ast v[2] = {p->h4 ? p->is4 : Z3_mk_false(c), p->h6 ? p->is6 : Z3_mk_false(c)};

	return Z3_mk_or(c, 2, v);
}

/* The fields after rule i's translation, given the match m of rule i. */
static struct fields translate(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t i, Z3_ast m,
			       const struct fields *cur)
{
	Z3_context c = z->c;
	const struct pk_ir_nat *n = &rs->rules[i].nat;
	const Z3_ast out = eq_bv(c, z->p.dir, PK_DIR_OUT, 8);
	/* nat-to rewrites the source, rdr-to the destination; binat-to the
	 * source going out and the destination coming in */
	const Z3_ast src_side = n->kind == PK_NAT_NAT_TO ? Z3_mk_true(c)
				: n->kind == PK_NAT_BINAT_TO ? out
							     : Z3_mk_false(c);
	const Z3_ast tu[2] = {eq_bv(c, z->p.proto, 6, 8), eq_bv(c, z->p.proto, 17, 8)};
	const struct pool pool = pool_of(z, rs, n);
	const Z3_ast have = pool_has(c, &pool);
	/* a fragment is translated by no rule: pf keeps no state for it */
	const Z3_ast whole = Z3_mk_not(c, eq_bv(c, z->p.frag, 1, 1));
	const Z3_ast s_on[4] = {m, have, src_side, whole}, d_on[4] = {m, have, Z3_mk_not(c, src_side), whole};
	Z3_ast to_src, to_dst;
	struct fields f = *cur;

	to_src = pk_z3_and(c, 4, s_on);
	to_dst = pk_z3_and(c, 4, d_on);
	f.src = Z3_mk_ite(c, to_src, pool_addr(c, &pool, cur->src), cur->src);
	f.dst = Z3_mk_ite(c, to_dst, pool_addr(c, &pool, cur->dst), cur->dst);
	if (n->port_lo) {
		const Z3_ast port = pk_z3_bv(c, n->port_lo, 16), ported = Z3_mk_or(c, 2, tu);
		const Z3_ast ps[2] = {to_src, ported}, pd[2] = {to_dst, ported};
		f.sport = Z3_mk_ite(c, Z3_mk_and(c, 2, ps), port, cur->sport);
		f.dport = Z3_mk_ite(c, Z3_mk_and(c, 2, pd), port, cur->dport);
	}
	return f;
}

static Z3_ast substitute(struct pk_z3 *z, Z3_ast m, const struct fields *f)
{
	Z3_ast from[4] = {z->p.src, z->p.dst, z->p.sport, z->p.dport};
	Z3_ast to[4] = {f->src, f->dst, f->sport, f->dport};

	return Z3_substitute(z->c, m, 4, from, to);
}

/* One older rule (or a binat's inbound side, as the rule mirror matches
 * it) taking packets going dir: when it matches, its translation of the
 * packet as it arrived replaces what the candidates after it give in *f,
 * hit and older_pass. */
static void older_candidate(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t i,
			    const struct pk_ir_rule *mirror, uint8_t dir, const struct fields *orig, struct fields *f)
{
	Z3_context c = z->c;
	const struct pk_ir_rule *r = &rs->rules[i];
	/* a fragment is translated by no rule: pf keeps no state for it */
	const Z3_ast v[4] = {eq_bv(c, z->p.dir, dir, 8), Z3_mk_not(c, eq_bv(c, z->p.frag, 1, 1)),
			     pk_z3_match_plain(z, rs, mirror), pk_z3_owner(z, rs, mirror)};
	const Z3_ast m = pk_z3_and(c, 4, v);
	struct fields t = *orig;
	Z3_ast hit = Z3_mk_false(c);

	if (r->nat.kind != PK_NAT_NONE && r->action == PK_ACT_BINAT && dir == PK_DIR_IN) {
		t.dst = pk_z3_addr(c, r->src.pfx.addr); /* back to the internal address */
		hit = Z3_mk_true(c);
	} else if (r->nat.kind != PK_NAT_NONE) {
		const struct pool pool = pool_of(z, rs, &r->nat);
		t = translate(z, rs, i, Z3_mk_true(c), orig);
		hit = pool_has(c, &pool);
	}
	f->src = Z3_mk_ite(c, m, t.src, f->src);
	f->dst = Z3_mk_ite(c, m, t.dst, f->dst);
	f->sport = Z3_mk_ite(c, m, t.sport, f->sport);
	f->dport = Z3_mk_ite(c, m, t.dport, f->dport);
	z->older_hit = Z3_mk_ite(c, m, hit, z->older_hit);
	z->older_pass = Z3_mk_ite(c, m, pk_z3_bool(c, r->natpass && r->nat.kind != PK_NAT_NONE), z->older_pass);
}

/* The older translation rules' first match (eval.c's pk_eval_older_rule),
 * built from the last candidate back: binat before rdr (inbound) and nat
 * (outbound), each in rule order. */
static struct fields older(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct fields *orig)
{
	struct fields f = *orig;

	z->older_hit = z->older_pass = Z3_mk_false(z->c);
	z->has_older = false;
	for (int binat = 0; binat < 2; binat++)
		for (uint32_t i = rs->nrules; i-- > 0;) {
			const struct pk_ir_rule *r = &rs->rules[i];
			struct pk_ir_rule mirror;

			if (binat ? r->action != PK_ACT_BINAT : r->action != PK_ACT_RDR && r->action != PK_ACT_NAT)
				continue;
			z->has_older = true;
			older_candidate(z, rs, i, r, r->action == PK_ACT_RDR ? PK_DIR_IN : PK_DIR_OUT, orig, &f);
			if (binat && pk_eval_binat_in(r, &mirror))
				older_candidate(z, rs, i, &mirror, PK_DIR_IN, orig, &f);
		}
	return f;
}

/* Walk the rules once: the older rules' translation first, then every
 * match rule that translates gets the fields the rules after it see (none
 * once an older rule translated: the runtime's keys are made). */
static void prepare(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	const struct fields orig = {z->p.src, z->p.dst, z->p.sport, z->p.dport};
	struct fields cur = older(z, rs, &orig);
	const Z3_ast fresh = Z3_mk_not(z->c, z->older_hit);

	free(z->xl);
	z->xl = NULL;
	z->nxl = 0;
	z->xl_rs = rs;
	z->older = (struct pk_z3_xlat){UINT32_MAX, cur.src, cur.dst, cur.sport, cur.dport};
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];

		if (r->action != PK_ACT_MATCH || r->nat.kind == PK_NAT_NONE)
			continue;
		z->xl = pk_xrealloc(z->xl, (z->nxl + 1) * sizeof(*z->xl));
		const Z3_ast all[3] = {substitute(z, pk_z3_match_plain(z, rs, r), &cur), pk_z3_owner(z, rs, r), fresh};
		cur = translate(z, rs, i, Z3_mk_and(z->c, 3, all), &cur);
		z->xl[z->nxl++] = (struct pk_z3_xlat){i, cur.src, cur.dst, cur.sport, cur.dport};
	}
}

Z3_ast pk_z3_older_translated(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	if (z->xl_rs != rs)
		prepare(z, rs);
	return z->older_hit;
}

Z3_ast pk_z3_older_pass(struct pk_z3 *z, const struct pk_ir_ruleset *rs)
{
	if (z->xl_rs != rs)
		prepare(z, rs);
	return z->older_pass;
}

Z3_ast pk_z3_translated(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t i, Z3_ast m)
{
	unsigned k = 0;

	if (z->xl_rs != rs)
		prepare(z, rs);
	while (k < z->nxl && z->xl[k].rule < i)
		k++;
	if (k == 0 && !z->has_older)
		return m;
	const struct pk_z3_xlat *x = k ? &z->xl[k - 1] : &z->older;
	const struct fields f = {x->src, x->dst, x->sport, x->dport};
	return substitute(z, m, &f);
}
