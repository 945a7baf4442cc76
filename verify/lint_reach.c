/*
 * verify/lint_reach.c: where packets end up: what passes by default
 * (implicit-pass), what a pass rule lets in but the egress interface's out
 * rules stop (egress-blocked), and stateless TCP passes whose replies no
 * rule passes (no-state-tcp). Each finding carries a witness packet.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"

/* The end of the rule file (the one holding the last rule, else the first
 * read): where a ruleset-wide finding points. */
static struct pk_loc end_of_file(const struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	struct pk_loc l = {.line = 1, .col = 1, .end_line = 1, .end_col = 1};
	uint32_t src = rs->nsources;
	for (uint32_t s = 0; s < rs->nsources; s++)
		if (src == rs->nsources || (rs->nrules && rs->rules[rs->nrules - 1].loc.file &&
					    !strcmp(rs->sources[s].path, rs->rules[rs->nrules - 1].loc.file)))
			src = s;
	if (src == rs->nsources)
		return l;
	l.file = rs->sources[src].path;
	l.line = x->lines[src].n;
	size_t len;
	while (l.line > 1 && pk_lint_line(x, l.file, l.line, &len) && len == 0)
		l.line--;
	l.end_line = l.line;
	return l;
}

static bool any_unsure(const struct pk_lint_ctx *x)
{
	for (uint32_t i = 0; i < x->rs->nrules; i++)
		if (x->unsure[i])
			return true;
	return false;
}

/* Why the witness falls through: a TCP packet that opens nothing, whose
 * SYN a rule would take, misses the rules because pass rules carry flags
 * S/SA (pf's default) and no state takes it. */
static const char *implicit_why(const struct pk_lint_ctx *x, const struct pk_vpkt *w)
{
	if (w->proto != PK_PROTO_TCP || pk_lint_opening_packet(w))
		return "";
	struct pk_vpkt syn = *w;
	syn.flags = PK_TH_SYN;
	struct pk_eval_result res;
	pk_eval_filter(x->rs, &syn, &res, NULL, NULL);
	if (res.rule == PK_EVAL_NONE)
		return "";
	return pk_arena_printf(x->rep->arena,
			       " (no rule matches TCP that is not a SYN and no state takes: rule %u takes the SYN, "
			       "but pass rules carry flags S/SA by default)",
			       res.rule);
}

/* Rules whose exact box spans every address, at most this many: the
 * implicit-pass question leaves out each other rule whose box one of them
 * holds (it matches no packet the larger one does not). */
#define PK_IMPLICIT_WIDE 64

/* A rule the implicit-pass question says no packet meets: it decides or tags. */
static bool in_question(const struct pk_lint_ctx *x, uint32_t i)
{
	return (pk_z3_decides(&x->rs->rules[i]) || x->rs->rules[i].tag) && !x->unsure[i] && !x->dead[i];
}

static unsigned wide_rules(const struct pk_lint_ctx *x, uint32_t *w)
{
	unsigned n = 0;
	for (uint32_t i = 0; i < x->rs->nrules && n < PK_IMPLICIT_WIDE; i++) {
		const struct pk_box *b = &x->box[i];
		if (in_question(x, i) && b->exact && !b->empty && b->src_lo == 0 && b->dst_lo == 0 &&
		    b->src_hi == ~(pk_u128)0 && b->dst_hi == ~(pk_u128)0)
			w[n++] = i;
	}
	return n;
}

/* Rule i is not one of the wide rules w, and one of their boxes holds its box. */
static bool held_by_wide(const struct pk_lint_ctx *x, uint32_t i, const uint32_t *w, unsigned nw)
{
	bool held = false;
	for (unsigned k = 0; k < nw; k++) {
		if (w[k] == i)
			return false;
		held |= pk_box_contains(&x->box[w[k]], &x->box[i]);
	}
	return held;
}

static void check_implicit_pass(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (pk_z3_decides(&rs->rules[i]) && !x->unsure[i] && pk_box_is_full(&x->box[i])) {
			x->rep->stats.box_decided++;
			return;
		}
	/* tagged rules cannot match a packet that arrives untagged and meets
	 * no rule that tags: the witness is asked to be one */
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (x->unsure[i] && !rs->rules[i].probability && !rs->rules[i].tagged)
			return;
	uint32_t wide[PK_IMPLICIT_WIDE];
	const unsigned nw = wide_rules(x, wide);
	struct pk_lint_set q = {pk_xcalloc(rs->nrules + 1, sizeof(*q.v)), 0};
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (in_question(x, i) && !held_by_wide(x, i, wide, nw))
			q.v[q.n++] = i;
	Z3_ast *v = pk_xcalloc(q.n + 2, sizeof(*v));
	unsigned n = 0;
	v[n++] = x->dom;
	v[n++] = Z3_mk_eq(x->z.c, x->z.p.tag, pk_z3_bv(x->z.c, 0, 16));
	if (q.n >= PK_LINT_PARTS_MIN_RULES && pk_lint_parts(x, Z3_mk_and(x->z.c, 2, v), &q) == PK_PARTS_NONE) {
		free(q.v);
		free(v);
		return;
	}
	for (unsigned k = 0; k < q.n; k++)
		v[n++] = Z3_mk_not(x->z.c, pk_lint_M(x, q.v[k]));
	free(q.v);
	struct pk_vpkt w;
	const Z3_ast all = pk_z3_and(x->z.c, n, v);
	/* TCP first, the classic case (non-SYN TCP past flags S/SA), and IPv4
	 * first, where most rulesets are written */
	const Z3_ast tcp[3] = {all, Z3_mk_eq(x->z.c, x->z.p.proto, pk_z3_bv(x->z.c, PK_PROTO_TCP, 8)),
			       Z3_mk_eq(x->z.c, x->z.p.af, pk_z3_bv(x->z.c, PK_AF_INET, 8))};
	if (pk_z3_witness(&x->z, Z3_mk_and(x->z.c, 3, tcp), &w) || pk_z3_witness(&x->z, Z3_mk_and(x->z.c, 2, tcp), &w) ||
	    pk_z3_witness(&x->z, all, &w)) {
		const struct pk_loc l = end_of_file(x);
		struct pk_lint_finding *f = pk_lint_add(x->rep, PK_LINT_IMPLICIT_PASS, NULL, &l,
							"some packets match no pass or block rule and pass by "
							"default%s; start with 'block all'",
							implicit_why(x, &w));
		pk_lint_witness(f, &w, "passed by default");
	}
	free(v);
}

struct pk_lint_set pk_lint_deciders_over(struct pk_lint_ctx *x, uint32_t i, const bool *meets)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	const struct pk_lint_set nb = pk_lint_neighbours(x, i);
	struct pk_lint_set d = {pk_xcalloc(nb.n + 1, sizeof(*d.v)), 0};
	for (unsigned k = 0; k < nb.n; k++) {
		const uint32_t j = nb.v[k];
		const struct pk_ir_rule *o = &x->rs->rules[j];
		if (meets && !meets[j])
			continue;
		if (pk_lint_takes_first(x, j, i) || (pk_z3_decides(o) && !x->dead[j] && j > i && !r->quick))
			d.v[d.n++] = j;
	}
	return d;
}

Z3_ast pk_lint_decided_within(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *d)
{
	Z3_ast *v = pk_xcalloc(d->n + 1, sizeof(*v));
	unsigned n = 0;
	v[n++] = pk_lint_M(x, i);
	for (unsigned k = 0; k < d->n; k++)
		v[n++] = Z3_mk_not(x->z.c, pk_lint_M(x, d->v[k]));
	const Z3_ast f = pk_z3_and(x->z.c, n, v);
	free(v);
	return f;
}

Z3_ast pk_lint_decided_by(struct pk_lint_ctx *x, uint32_t i)
{
	struct pk_lint_set d = pk_lint_deciders_over(x, i, NULL);
	const Z3_ast f = pk_lint_decided_within(x, i, &d);
	free(d.v);
	return f;
}

static Z3_ast field_is(struct pk_z3 *z, Z3_ast f, uint64_t v, unsigned bits)
{
	return Z3_mk_eq(z->c, f, pk_z3_bv(z->c, v, bits));
}

/* The verdict for the same packet leaving on interface ifname. */
static Z3_ast passes_out(struct pk_lint_ctx *x, Z3_ast pass, const char *ifname)
{
	Z3_ast from[2] = {x->z.p.dir, x->z.p.iface};
	Z3_ast to[2] = {pk_z3_bv(x->z.c, PK_DIR_OUT, 8), pk_z3_bv(x->z.c, pk_z3_iface_index(&x->z, ifname), 16)};
	return Z3_substitute(x->z.c, pass, 2, from, to);
}

static bool sat(struct pk_lint_ctx *x, unsigned n, const Z3_ast *v, struct pk_vpkt *w)
{
	return pk_z3_witness(&x->z, pk_z3_and(x->z.c, n, v), w);
}

/* The solver proves no packet exists (a timeout proves nothing). */
static bool none(struct pk_lint_ctx *x, unsigned n, const Z3_ast *v)
{
	return pk_z3_none(&x->z, pk_z3_and(x->z.c, n, v));
}

static void report_egress(struct pk_lint_ctx *x, const struct pk_ir_rule *r, const char *ifname,
			  const struct pk_vpkt *w)
{
	struct pk_vpkt out = *w;
	out.dir = PK_DIR_OUT;
	out.ifname = ifname;
	struct pk_eval_result res;
	pk_eval_filter(x->rs, &out, &res, NULL, NULL);
	struct pk_lint_finding *f = pk_lint_add(x->rep, PK_LINT_EGRESS_BLOCKED, r, NULL,
						"traffic this rule passes in and routes out of %s is blocked there "
						"by out rules: it can never leave",
						ifname);
	if (res.rule != PK_EVAL_NONE)
		pk_lint_relate(x->rep, f, &x->rs->rules[res.rule], NULL, "this rule blocks it on %s", ifname);
	pk_lint_witness(f, w, "passed in, blocked out");
}

/* Some packet leaving on ifname is blocked; when none is, no pass-in
 * rule can be egress-blocked through it (one call settles the interface). */
static bool out_may_block(struct pk_lint_ctx *x, Z3_ast out_pass)
{
	const Z3_ast v[2] = {x->dom, Z3_mk_not(x->z.c, out_pass)};
	return sat(x, 2, v, NULL);
}

/* The filter rules that can decide a packet leaving on ifname. */
static unsigned out_rules(const struct pk_lint_ctx *x, const char *ifname, uint32_t *v)
{
	unsigned n = 0;
	for (uint32_t j = 0; j < x->rs->nrules; j++) {
		const struct pk_box *b = &x->box[j];
		if (pk_z3_decides(&x->rs->rules[j]) && !x->dead[j] && (b->dirmask & 2) &&
		    (!b->ifname || !strcmp(b->ifname, ifname)))
			v[n++] = j;
	}
	return n;
}

/* Boxes alone show every packet of rule i leaving on ifname passes: the
 * last out rule overlapping it is an exact pass holding it, and no quick
 * rule overlaps it. */
static bool out_surely_passes(const struct pk_lint_ctx *x, uint32_t i, const char *ifname, const uint32_t *v,
			      unsigned n)
{
	struct pk_box b = x->box[i];
	b.dirmask = 2;
	b.ifname = ifname;
	uint32_t last = UINT32_MAX;
	for (unsigned k = 0; k < n; k++) {
		if (!pk_box_overlap(&x->box[v[k]], &b))
			continue;
		if (x->rs->rules[v[k]].quick)
			return false;
		last = v[k];
	}
	return last != UINT32_MAX && x->rs->rules[last].action == PK_ACT_PASS && x->box[last].exact &&
	       pk_box_contains(&x->box[last], &b);
}

static void check_egress_via(struct pk_lint_ctx *x, uint32_t k, Z3_ast out_pass, Z3_ast not_self, uint32_t *outs)
{
	const struct pk_ir_ruleset *rs = x->rs;
	const char *e = rs->ifaces[k].name;
	const unsigned nout = out_rules(x, e, outs);
	/* routed traffic leaves by another interface than it came in by */
	const Z3_ast other = Z3_mk_not(x->z.c, field_is(&x->z, x->z.p.iface, pk_z3_iface_index(&x->z, e), 16));
	const Z3_ast via = pk_z3_routes_via(&x->z, rs, e);
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		/* af-to's packet is forwarded in the other family without meeting
		 * the out rules (pf marks it generated): no egress to block it */
		if (r->action != PK_ACT_PASS || r->dir != PK_DIR_IN || x->dead[i] || x->unsure[i] || x->guarded[i] ||
		    x->assumed[i] || x->covered[i] ||
		    r->route.kind || r->divert.kind == PK_DIVERT_TO || r->afto.af ||
		    r->nat.kind || (r->ifc.name && !r->ifc.neg && !strcmp(r->ifc.name, e)))
			continue;
		if (out_surely_passes(x, i, e, outs, nout)) {
			x->rep->stats.box_decided++;
			continue;
		}
		const Z3_ast in[6] = {x->dom, pk_lint_decided_by(x, i), via, not_self, other, out_pass};
		if (!none(x, 6, in))
			continue;
		struct pk_vpkt w;
		if (sat(x, 5, in, &w))
			report_egress(x, r, e, &w);
	}
}

/* Outbound translation on ifname changes the source the out rules see
 * (a nat-to rule, nat or binat): the check would judge the wrong packet,
 * so it stays silent there. */
static bool translates_out(const struct pk_ir_ruleset *rs, const char *ifname)
{
	for (uint32_t j = 0; j < rs->nrules; j++) {
		const struct pk_ir_rule *r = &rs->rules[j];
		const bool nat = r->action == PK_ACT_NAT || r->action == PK_ACT_BINAT ||
				 r->nat.kind == PK_NAT_NAT_TO || r->nat.kind == PK_NAT_BINAT_TO;
		if (nat && (!r->ifc.name || r->ifc.neg || !strcmp(r->ifc.name, ifname)))
			return true;
	}
	return false;
}

static void check_egress(struct pk_lint_ctx *x, Z3_ast pass)
{
	const Z3_ast not_self = Z3_mk_not(x->z.c, pk_z3_dst_is_self(&x->z, x->rs));
	uint32_t *outs = pk_xcalloc(x->rs->nrules + 1, sizeof(*outs));
	for (uint32_t k = 0; k < x->rs->nifaces; k++) {
		if (translates_out(x->rs, x->rs->ifaces[k].name))
			continue;
		const Z3_ast out_pass = Z3_simplify(x->z.c, passes_out(x, pass, x->rs->ifaces[k].name));
		if (out_may_block(x, out_pass))
			check_egress_via(x, k, out_pass, not_self, outs);
	}
	free(outs);
}

/* The reply to the packet: addresses and ports swapped, the other
 * direction on the same interface, ACK set. */
static Z3_ast reply_passes(struct pk_lint_ctx *x, Z3_ast pass)
{
	struct pk_z3 *z = &x->z;
	Z3_context c = z->c;
	const Z3_ast fq = Z3_mk_const(c, Z3_mk_string_symbol(c, "reply.flags"), Z3_mk_bv_sort(c, 8));
	const Z3_ast is_in = field_is(z, z->p.dir, PK_DIR_IN, 8);
	Z3_ast from[5] = {z->p.src, z->p.dst, z->p.sport, z->p.dport, z->p.dir};
	Z3_ast to[5] = {z->p.dst, z->p.src, z->p.dport, z->p.sport,
			Z3_mk_ite(c, is_in, pk_z3_bv(c, PK_DIR_OUT, 8), pk_z3_bv(c, PK_DIR_IN, 8))};
	Z3_ast sub = Z3_substitute(c, pass, 5, from, to);
	Z3_ast f1[1] = {z->p.flags}, f2[1] = {fq};
	sub = Z3_substitute(c, sub, 1, f1, f2);
	const Z3_ast ack = Z3_mk_not(c, field_is(z, Z3_mk_bvand(c, fq, pk_z3_bv(c, PK_TH_ACK, 8)), 0, 8));
	const Z3_ast v[2] = {sub, ack};
	return Z3_mk_and(c, 2, v);
}

static void check_no_state_tcp(struct pk_lint_ctx *x, Z3_ast pass)
{
	const struct pk_ir_ruleset *rs = x->rs;
	Z3_ast reply = NULL;
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		/* af-to keeps state whatever the rule says (pf_test_rule: a translation makes one) */
		if (r->action != PK_ACT_PASS || r->state != PK_STATE_NONE || r->afto.af || (r->proto && r->proto != 6) ||
		    x->dead[i] || x->unsure[i] || x->guarded[i] || x->assumed[i] || x->covered[i])
			continue;
		if (!reply)
			reply = reply_passes(x, pass);
		const Z3_ast p[3] = {x->dom, pk_lint_decided_by(x, i), field_is(&x->z, x->z.p.proto, 6, 8)};
		struct pk_vpkt w;
		if (!sat(x, 3, p, &w))
			continue;
		const Z3_ast q[4] = {p[0], p[1], p[2], reply};
		if (!none(x, 4, q))
			continue;
		struct pk_lint_finding *f = pk_lint_add(x->rep, PK_LINT_NO_STATE_TCP, r, NULL,
							"TCP passed without state, and no rule passes the replies: "
							"connections cannot complete");
		pk_lint_witness(f, &w, "passed; its reply is blocked");
	}
}

void pk_lint_reach(struct pk_lint_ctx *x)
{
	if (pk_lint_on(x, PK_LINT_IMPLICIT_PASS))
		check_implicit_pass(x);
	if (pk_lint_on(x, PK_LINT_EXPOSURE))
		pk_lint_exposure(x);
	const bool egress = pk_lint_on(x, PK_LINT_EGRESS_BLOCKED) && x->rs->nifaces > 0;
	if (!egress && !pk_lint_on(x, PK_LINT_NO_STATE_TCP))
		return;
	if (any_unsure(x))
		return;
	const Z3_ast pass = pk_z3_passes(&x->z, x->rs);
	if (egress)
		check_egress(x, pass);
	if (pk_lint_on(x, PK_LINT_NO_STATE_TCP))
		check_no_state_tcp(x, pass);
}
