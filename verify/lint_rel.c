/*
 * verify/lint_rel.c: findings about rules among rules: unmatchable,
 * shadowed, redundant, partially-shadowed and correlated.
 *
 * Boxes settle what they can (disjoint: no interaction; exact containment:
 * covering); the rest goes to the one solver, each question in a push/pop
 * frame with one assumption literal per other rule so an unsat core names
 * the rules responsible.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"
#include "verify/sample.h"

/* Packets drawn from a box before asking the solver (see sample.h). */
#define PK_LINT_SAMPLES 8
/* Samples that then step out of the takers' boxes, and their steps. */
#define PK_LINT_ESCAPES 4
#define PK_LINT_ESCAPE_STEPS 8
static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static bool sopts_same(const struct pk_state_opts *a, const struct pk_state_opts *b)
{
	return a->max == b->max && a->max_src_nodes == b->max_src_nodes && a->max_src_states == b->max_src_states &&
	       a->max_src_conn == b->max_src_conn && a->max_src_conn_rate == b->max_src_conn_rate &&
	       a->max_src_conn_secs == b->max_src_conn_secs && a->src_track == b->src_track &&
	       a->policy == b->policy && a->sloppy == b->sloppy && a->allow_related == b->allow_related &&
	       str_same(a->overload_table, b->overload_table) && !memcmp(a->timeouts, b->timeouts, sizeof(a->timeouts));
}

const char *pk_lint_effect_differs(const struct pk_ir_rule *a, const struct pk_ir_rule *b)
{
	static const char *const nat[] = {"", "nat-to", "rdr-to", "binat-to"};
	if (a->action != b->action)
		return "action";
	if (a->nat.kind || b->nat.kind)
		return nat[a->nat.kind ? a->nat.kind : b->nat.kind];
	if (a->route.kind || b->route.kind)
		return "route-to, reply-to or dup-to";
	if (a->divert.kind != b->divert.kind || a->divert.port != b->divert.port ||
	    memcmp(a->divert.addr.addr, b->divert.addr.addr, 16))
		return "divert";
	if (a->afto.af || b->afto.af)
		return "af-to";
	/* carried options (queue, prio...) change no verdict but how a
	 * packet is sent: another queue is another effect */
	if (!str_same(a->carried, b->carried))
		return "queue, prio or other kept options";
	if (!str_same(a->tag, b->tag))
		return "tag";
	if (a->scrub.set || b->scrub.set)
		return "scrub options";
	if (a->log != b->log || a->log_all != b->log_all)
		return "logging";
	if (a->allow_opts != b->allow_opts)
		return "allow-opts";
	if (a->action == PK_ACT_BLOCK)
		return a->block == b->block && a->return_ttl == b->return_ttl && a->return_icmp == b->return_icmp &&
				       a->return_icmp6 == b->return_icmp6
			       ? NULL
			       : "block kind";
	return a->state == b->state && sopts_same(&a->sopts, &b->sopts) ? NULL : "state options";
}

bool pk_lint_same_effect(const struct pk_ir_rule *a, const struct pk_ir_rule *b)
{
	return !pk_lint_effect_differs(a, b);
}

bool pk_lint_default_effect(const struct pk_ir_rule *r)
{
	return r->action == PK_ACT_PASS && r->state == PK_STATE_NONE && !r->log && !r->allow_opts && !r->tag &&
	       !r->carried && !r->nat.kind && !r->route.kind && !r->scrub.set && !r->divert.kind &&
	       !r->afto.af;
}

bool pk_lint_usable(const struct pk_lint_ctx *x, uint32_t j)
{
	return x->role[j] & PK_ROLE_USABLE;
}

/* The rules that can take rule i's packets: earlier quick ones, and when
 * i is not quick, every later one (the last match wins). A quick rule's
 * come from `first`, the lists of earlier takers alone. */
static void takers(const struct pk_lint_ctx *x, struct pk_lint_ov *first, uint32_t i, struct pk_lint_set *t)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	if (r->quick) {
		const struct pk_lint_set f = pk_lint_ov_list(first, i);
		memcpy(t->v, f.v, f.n * sizeof(*t->v));
		t->n = f.n;
		return;
	}
	const struct pk_lint_set nb = pk_lint_neighbours(x, i);
	t->n = 0;
	for (unsigned k = 0; k < nb.n; k++) {
		const uint32_t j = nb.v[k];
		if (pk_lint_takes_first(x, j, i) || (pk_lint_usable(x, j) && j > i && !r->quick))
			t->v[t->n++] = j;
	}
}

static Z3_ast lit(struct pk_lint_ctx *x, char kind, uint32_t j)
{
	char name[24];
	snprintf(name, sizeof(name), "%c%u", kind, j);
	return Z3_mk_const(x->z.c, Z3_mk_string_symbol(x->z.c, name), Z3_mk_bool_sort(x->z.c));
}

/* The rules of `cand` whose literal is in the unsat core, in order. */
static void core_rules(struct pk_lint_ctx *x, const Z3_ast *lits, const struct pk_lint_set *cand,
		       struct pk_lint_set *out)
{
	Z3_ast_vector core = Z3_solver_get_unsat_core(x->z.c, x->z.s);
	Z3_ast_vector_inc_ref(x->z.c, core);
	const unsigned n = Z3_ast_vector_size(x->z.c, core);
	out->n = 0;
	for (unsigned k = 0; k < cand->n; k++)
		for (unsigned c = 0; c < n; c++)
			if (Z3_is_eq_ast(x->z.c, Z3_ast_vector_get(x->z.c, core, c), lits[k])) {
				out->v[out->n++] = cand->v[k];
				break;
			}
	Z3_ast_vector_dec_ref(x->z.c, core);
}

static bool skipped_if(const struct pk_ir_ruleset *rs, const char *ifname)
{
	for (uint32_t k = 0; ifname && k < rs->opts.nskip; k++)
		if (!strcmp(rs->opts.skip[k], ifname))
			return true;
	return false;
}

bool pk_lint_sample_match(const struct pk_lint_ctx *x, uint32_t i, const struct pk_box *b, unsigned k,
			  struct pk_vpkt *p)
{
	pk_box_sample(b, &x->rs->rules[i], k, p);
	return !skipped_if(x->rs, p->ifname) && pk_eval_match(x->rs, &x->rs->rules[i], p);
}

/* The first rule of s that matches p, or UINT32_MAX. */
static uint32_t first_match(const struct pk_lint_ctx *x, const struct pk_lint_set *s, const struct pk_vpkt *p)
{
	for (unsigned k = 0; k < s->n; k++)
		if (pk_eval_match(x->rs, &x->rs->rules[s->v[k]], p))
			return s->v[k];
	return UINT32_MAX;
}

/* A packet rule i decides that the plain samples missed: from each of a
 * few samples, step out of the box of the first taker that matches, along
 * a field where rule i's box reaches past it, until no taker matches (or
 * rule i no longer does, or the steps run out). On each interface in turn
 * when the topology lists them and the box names none (packets arrive on
 * no other: pk_z3_domain). */
static bool escape_decided(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t, bool opening,
			   struct pk_vpkt *p)
{
	for (unsigned k = 0; k < PK_LINT_ESCAPES; k++) {
		struct pk_box s = x->box[i];
		if (!s.ifname && x->z.closed && x->z.nif)
			s.ifname = x->z.ifnames[k % x->z.nif];
		if (!pk_lint_sample_match(x, i, &s, k, p) || (opening && !pk_lint_opening_packet(p)))
			continue;
		for (unsigned step = 0; step < PK_LINT_ESCAPE_STEPS; step++) {
			const uint32_t j = first_match(x, t, p);
			if (j == UINT32_MAX)
				return true;
			if (!pk_box_escape(&x->box[i], &x->box[j], k + step, p) ||
			    !pk_eval_match(x->rs, &x->rs->rules[i], p))
				break;
		}
	}
	return false;
}

/* A sample that rule i decides, if one of the first few is. */
static bool sample_decided(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t, unsigned k,
			   struct pk_vpkt *p)
{
	return pk_lint_sample_match(x, i, &x->box[i], k, p) && first_match(x, t, p) == UINT32_MAX;
}

/* The same within the connection-opening packets. */
static bool sample_opening_decided(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t,
				   unsigned k, struct pk_vpkt *p)
{
	return sample_decided(x, i, t, k, p) && pk_lint_opening_packet(p);
}

/* Every address of family af has a route: the topology routes a
 * default (a route or interface network of length 0) of it. */
static bool all_routed(const struct pk_ir_ruleset *rs, uint8_t af)
{
	for (uint32_t k = 0; k < rs->nroutes; k++)
		if (rs->routes[k].dst.len == 0 && rs->routes[k].dst.af == af)
			return true;
	for (uint32_t f = 0; f < rs->nifaces; f++)
		for (uint32_t a = 0; a < rs->ifaces[f].naddrs; a++)
			if (rs->ifaces[f].addrs[a].len == 0 && rs->ifaces[f].addrs[a].af == af)
				return true;
	return false;
}

/* Rule r asks for no-route where each family it can match is routed
 * whole: no address has no route, as the solver would find (has_route). */
static bool no_route_routed(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	const bool noroute = (r->src.kind == PK_ADDR_NOROUTE && !r->src.neg) ||
			     (r->dst.kind == PK_ADDR_NOROUTE && !r->dst.neg);
	return noroute && (r->af ? all_routed(rs, r->af) : all_routed(rs, PK_AF_INET) && all_routed(rs, PK_AF_INET6));
}

/* Routes tried by routed_sample(), at most. */
#define PK_LINT_ROUTE_SAMPLES 64

static bool routing_addr(const struct pk_ir_addr *a)
{
	return a->kind == PK_ADDR_NOROUTE || a->kind == PK_ADDR_URPF;
}

/* Route k of the topology's, or after them of its interfaces' networks,
 * and its interface; NULL past the last. */
static const struct pk_prefix *route_k(const struct pk_ir_ruleset *rs, unsigned k, const char **ifname)
{
	if (k < rs->nroutes) {
		*ifname = rs->routes[k].ifname;
		return &rs->routes[k].dst;
	}
	k -= rs->nroutes;
	for (uint32_t f = 0; f < rs->nifaces; k -= rs->ifaces[f++].naddrs)
		if (k < rs->ifaces[f].naddrs) {
			*ifname = rs->ifaces[f].name;
			return &rs->ifaces[f].addrs[k];
		}
	return NULL;
}

/* The k-th sample of rule i with its no-route and urpf-failed addresses
 * moved to the address of route k, arriving by the route's interface for
 * urpf-failed: random addresses seldom meet a route, which these ask about. */
static bool routed_sample(const struct pk_lint_ctx *x, uint32_t i, unsigned k, struct pk_vpkt *p)
{
	const struct pk_ir_ruleset *rs = x->rs;
	const struct pk_ir_rule *r = &rs->rules[i];
	const char *ifname = NULL;
	const struct pk_prefix *to = route_k(rs, k, &ifname);
	pk_box_sample(&x->box[i], r, k, p);
	if (!to || to->af != p->af)
		return false;
	const struct pk_ir_addr *a[2] = {&r->src, &r->dst};
	uint8_t *at[2] = {p->src, p->dst};
	for (int s = 0; s < 2; s++) {
		if (!routing_addr(a[s]))
			continue;
		memcpy(at[s], to->addr, sizeof(to->addr));
		if (a[s]->kind == PK_ADDR_URPF && ifname && (!x->box[i].ifname || !strcmp(ifname, x->box[i].ifname)))
			p->ifname = ifname;
	}
	return !skipped_if(rs, p->ifname) && pk_eval_match(rs, r, p);
}

static bool unmatchable_by_solver(struct pk_lint_ctx *x, uint32_t i)
{
	struct pk_vpkt p;
	for (unsigned k = 0; k < PK_LINT_SAMPLES; k++)
		if (pk_lint_sample_match(x, i, &x->box[i], k, &p)) {
			x->rep->stats.sampled++;
			return false;
		}
	if (no_route_routed(x->rs, &x->rs->rules[i]))
		return true;
	const struct pk_ir_rule *r = &x->rs->rules[i];
	for (unsigned k = 0; (routing_addr(&r->src) || routing_addr(&r->dst)) && k < PK_LINT_ROUTE_SAMPLES; k++)
		if (routed_sample(x, i, k, &p)) {
			x->rep->stats.sampled++;
			return false;
		}
	Z3_solver_push(x->z.c, x->z.s);
	Z3_solver_assert(x->z.c, x->z.s, x->dom);
	Z3_solver_assert(x->z.c, x->z.s, pk_lint_M(x, i));
	const bool dead = pk_z3_check(&x->z, 0, NULL) == Z3_L_FALSE;
	Z3_solver_pop(x->z.c, x->z.s, 1);
	return dead;
}

static bool on_skipped(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	for (uint32_t k = 0; r->ifc.name && !r->ifc.neg && k < rs->opts.nskip; k++)
		if (!strcmp(rs->opts.skip[k], r->ifc.name))
			return true;
	return false;
}

/* The rule's address family: its own, or that of an address it names. */
static uint8_t rule_family(const struct pk_ir_rule *r)
{
	if (r->af)
		return r->af;
	if (r->src.kind == PK_ADDR_PREFIX && !r->src.neg)
		return r->src.pfx.af;
	return r->dst.kind == PK_ADDR_PREFIX && !r->dst.neg ? r->dst.pfx.af : 0;
}

/* Table t lists an address (not negated) of family af (0: of any). */
static bool table_has_family(const struct pk_ir_table *t, uint8_t af)
{
	for (uint32_t e = 0; e < t->nentries; e++)
		if (!t->entries[e].neg && (!af || t->entries[e].pfx.af == af))
			return true;
	return false;
}

static const char *dead_reason(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	const struct pk_ir_addr *a[2] = {&r->src, &r->dst};
	const uint8_t af = rule_family(r);
	for (int k = 0; k < 2; k++)
		if (a[k]->kind == PK_ADDR_TABLE && !a[k]->neg && a[k]->table < rs->ntables &&
		    rs->tables[a[k]->table].nentries == 0)
			return "it uses an empty table";
	for (int k = 0; k < 2; k++)
		if (af && a[k]->kind == PK_ADDR_TABLE && !a[k]->neg && a[k]->table < rs->ntables &&
		    !rs->tables[a[k]->table].implicit && !table_has_family(&rs->tables[a[k]->table], af))
			return af == PK_AF_INET6 ? "a table it names holds no IPv6 address" : "a table it names holds no IPv4 address";
	if (on_skipped(rs, r))
		return "its interface is under set skip, so pf never filters there";
	if (r->fragment && !rs->opts.reassemble_no)
		return "it matches fragments, and pf reassembles them before any rule sees them (set reassemble no "
		       "filters them one by one)";
	if ((r->sport.op || r->dport.op) && r->proto && r->proto != 6 && r->proto != 17)
		return "it has ports but its protocol carries none";
	if ((r->src.kind == PK_ADDR_NOROUTE && !r->src.neg) || (r->dst.kind == PK_ADDR_NOROUTE && !r->dst.neg))
		for (uint32_t k = 0; k < rs->nroutes; k++)
			if (rs->routes[k].dst.len == 0 && (!r->af || rs->routes[k].dst.af == r->af))
				return "it uses no-route, and the topology's default route covers every address";
	return "its conditions contradict each other (address family, ports, flags or ranges)";
}

/* An (IF) address with none of the rule's family in the topology: the
 * interface may get one at run time ((IF) follows its addresses; antispoof
 * for (IF) writes such rules for both families), so no contradiction is
 * certain. */
static bool dynamic_family(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r)
{
	const struct pk_ir_addr *a[2] = {&r->src, &r->dst};
	for (int k = 0; k < 2; k++) {
		if (a[k]->kind != PK_ADDR_TABLE || a[k]->neg || a[k]->table >= rs->ntables ||
		    !rs->tables[a[k]->table].implicit)
			continue;
		if (!table_has_family(&rs->tables[a[k]->table], r->af))
			return true;
	}
	return false;
}

static void check_unmatchable(struct pk_lint_ctx *x, uint32_t i)
{
	const struct pk_box *b = &x->box[i];
	const struct pk_ir_rule *r = &x->rs->rules[i];
	if (b->empty || on_skipped(x->rs, r))
		x->dead[i] = true;
	else if (b->exact)
		x->rep->stats.box_decided++;
	else
		x->dead[i] = unmatchable_by_solver(x, i);
	if (x->dead[i] && pk_lint_on(x, PK_LINT_UNMATCHABLE) && !dynamic_family(x->rs, r))
		pk_lint_add(x->rep, PK_LINT_UNMATCHABLE, r, NULL, "rule matches no packet: %s",
			    dead_reason(x->rs, r));
}

/* Shadowed: no packet is decided by rule i (no connection-opening one
 * with opening). When it is, returns true with the rules taking its
 * packets in tmp. t holds its takers. */
static bool check_shadowed(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t, struct pk_lint_set *tmp,
			   bool opening)
{
	if (t->n == 0)
		return false;
	for (unsigned k = 0; k < t->n; k++)
		if (x->box[t->v[k]].exact && pk_box_contains(&x->box[t->v[k]], &x->box[i])) {
			x->rep->stats.box_decided++;
			tmp->v[0] = t->v[k];
			tmp->n = 1;
			return true;
		}
	struct pk_vpkt p;
	for (unsigned k = 0; k < PK_LINT_SAMPLES; k++)
		if (opening ? sample_opening_decided(x, i, t, k, &p) : sample_decided(x, i, t, k, &p)) {
			x->rep->stats.sampled++;
			return false;
		}
	if (escape_decided(x, i, t, opening, &p)) {
		x->rep->stats.sampled++;
		return false;
	}
	if (t->n > PK_LINT_MAX_SOLVER_RULES) {
		x->rep->stats.given_up++;
		return false;
	}
	Z3_context c = x->z.c;
	Z3_ast *lits = pk_xcalloc(t->n, sizeof(*lits));
	Z3_solver_push(c, x->z.s);
	Z3_solver_assert(c, x->z.s, x->dom);
	Z3_solver_assert(c, x->z.s, pk_lint_M(x, i));
	if (opening)
		Z3_solver_assert(c, x->z.s, pk_lint_opening(x));
	for (unsigned k = 0; k < t->n; k++) {
		lits[k] = lit(x, 't', t->v[k]);
		Z3_solver_assert(c, x->z.s, Z3_mk_implies(c, lits[k], Z3_mk_not(c, pk_lint_M(x, t->v[k]))));
	}
	const bool shadowed = pk_z3_check(&x->z, t->n, lits) == Z3_L_FALSE;
	if (shadowed)
		core_rules(x, lits, t, tmp);
	Z3_solver_pop(c, x->z.s, 1);
	free(lits);
	return shadowed;
}

/* Rules that would decide rule i's packets were it removed. */
static void successors(const struct pk_lint_ctx *x, uint32_t i, struct pk_lint_set *p)
{
	const bool quick = x->rs->rules[i].quick;
	const struct pk_lint_set nb = pk_lint_neighbours(x, i);
	p->n = 0;
	for (unsigned k = 0; k < nb.n; k++) {
		const uint32_t j = nb.v[k];
		if (pk_lint_usable(x, j) && !(j < i && (x->role[j] & PK_ROLE_QUICK)) && (quick || j < i))
			p->v[p->n++] = j;
	}
}

/* near[i], for the checked rules that are not guarded: a rule that is
 * not sure (PK_ROLE_SURE) overlaps rule i, which the checks that ask
 * about all its neighbours then leave alone. */
static bool *near_unsure(const struct pk_lint_ctx *x, const bool *asked)
{
	const uint32_t n = x->rs->nrules;
	bool *unsure = pk_xcalloc(n + 1, sizeof(*unsure)), *near = pk_xcalloc(n + 1, sizeof(*near));
	bool *of = pk_xcalloc(n + 1, sizeof(*of));
	for (uint32_t j = 0; j < n; j++) {
		unsure[j] = !(x->role[j] & PK_ROLE_SURE);
		of[j] = asked[j] && !x->guarded[j];
	}
	pk_lint_ov_near(x->ov, of, unsure, near);
	free(unsure);
	free(of);
	return near;
}

static void report_redundant(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *by)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	const char *verb = r->action == PK_ACT_PASS ? "passes" : "blocks";
	struct pk_lint_finding *f;
	if (by->n == 0) {
		f = pk_lint_add(x->rep, PK_LINT_REDUNDANT, r, NULL,
				"rule is redundant: pf's default pass already passes every packet it matches, "
				"without state, as this rule does");
		return;
	}
	char list[256];
	pk_lint_list_rules(by, list, sizeof(list));
	if (by->n == 1)
		f = pk_lint_add(x->rep, PK_LINT_REDUNDANT, r, NULL,
				"rule is redundant: %s already %s every packet it matches",
				pk_lint_rule_name(x->rep, &x->rs->rules[by->v[0]]), verb);
	else
		f = pk_lint_add(x->rep, PK_LINT_REDUNDANT, r, NULL,
				"rule is redundant: rules %s already %s every packet it matches", list,
				r->action == PK_ACT_PASS ? "pass" : "block");
	for (unsigned k = 0; k < by->n; k++)
		pk_lint_relate(x->rep, f, &x->rs->rules[by->v[k]], NULL, "covering rule: %s its packets the same way",
			       verb);
}

/* Without rule i, the packet would be handled as rule i handles it:
 * pf's evaluation over the successors p, on one concrete packet. */
static bool handled_alike(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *p,
			  const struct pk_vpkt *pkt)
{
	const struct pk_ir_rule *r = &x->rs->rules[i], *d = NULL;
	for (unsigned k = 0; k < p->n; k++) {
		const struct pk_ir_rule *o = &x->rs->rules[p->v[k]];
		if (!pk_eval_match(x->rs, o, pkt))
			continue;
		d = o;
		if (o->quick)
			break;
	}
	return d ? pk_lint_same_effect(d, r) : pk_lint_default_effect(r);
}

static bool sample_not_redundant(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t,
				 const struct pk_lint_set *p)
{
	struct pk_vpkt pkt;
	for (unsigned k = 0; k < PK_LINT_SAMPLES; k++)
		if (sample_decided(x, i, t, k, &pkt) && !handled_alike(x, i, p, &pkt)) {
			x->rep->stats.sampled++;
			return true;
		}
	return false;
}

/* The rule that boxes alone show would decide all of rule i's packets
 * without it: the first quick successor, or else the last successor, when
 * its exact box holds rule i's. UINT32_MAX when boxes cannot tell. */
static uint32_t sure_successor(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *p)
{
	if (p->n == 0)
		return UINT32_MAX;
	uint32_t d = p->v[p->n - 1];
	for (unsigned k = 0; k < p->n; k++)
		if (x->rs->rules[p->v[k]].quick) {
			d = p->v[k];
			break;
		}
	return x->box[d].exact && pk_box_contains(&x->box[d], &x->box[i]) ? d : UINT32_MAX;
}

/* Redundant: without rule i, every packet it decides is handled alike. */
static void check_redundant(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t, struct pk_lint_set *p,
			    struct pk_lint_set *tmp)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	successors(x, i, p);
	const uint32_t d = sure_successor(x, i, p);
	if (p->n == 0 || d != UINT32_MAX) {
		x->rep->stats.box_decided++;
		tmp->n = 0;
		if (p->n)
			tmp->v[tmp->n++] = d;
		if (p->n ? pk_lint_same_effect(&x->rs->rules[d], r) : pk_lint_default_effect(r))
			report_redundant(x, i, tmp);
		return;
	}
	if (sample_not_redundant(x, i, t, p))
		return;
	if (p->n + t->n > PK_LINT_MAX_SOLVER_RULES) {
		x->rep->stats.given_up++;
		return;
	}
	Z3_context c = x->z.c;
	Z3_ast *lits = pk_xcalloc(p->n, sizeof(*lits)), *M = pk_xcalloc(p->n, sizeof(*M)), *leaf = pk_xcalloc(p->n, sizeof(*M));
	Z3_solver_push(c, x->z.s);
	Z3_solver_assert(c, x->z.s, x->dom);
	Z3_solver_assert(c, x->z.s, pk_lint_M(x, i));
	for (unsigned k = 0; k < t->n; k++)
		Z3_solver_assert(c, x->z.s, Z3_mk_not(c, pk_lint_M(x, t->v[k])));
	for (unsigned k = 0; k < p->n; k++) {
		lits[k] = lit(x, 'e', p->v[k]);
		const Z3_ast both[2] = {lits[k], pk_lint_M(x, p->v[k])};
		M[k] = Z3_mk_and(c, 2, both);
		leaf[k] = pk_z3_bool(c, pk_lint_same_effect(&x->rs->rules[p->v[k]], r));
	}
	const Z3_ast same = pk_z3_chain(&x->z, x->rs, p->v, p->n, M, leaf, pk_z3_bool(c, pk_lint_default_effect(r)));
	Z3_solver_assert(c, x->z.s, Z3_mk_not(c, same));
	const bool redundant = pk_z3_check(&x->z, p->n, lits) == Z3_L_FALSE;
	if (redundant)
		core_rules(x, lits, p, tmp);
	Z3_solver_pop(c, x->z.s, 1);
	free(lits);
	free(M);
	free(leaf);
	if (redundant)
		report_redundant(x, i, tmp);
}

/* Some packet of rule i is decided by a rule with another action. */
static void check_partial(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t, struct pk_lint_set *p)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	bool other = false;
	for (unsigned k = 0; k < t->n; k++)
		other |= x->rs->rules[t->v[k]].action != r->action;
	if (!other)
		return;
	const struct pk_lint_set nb = pk_lint_neighbours(x, i);
	p->n = 0;
	bool placed = false;
	for (unsigned k = 0; k < nb.n; k++) {
		const uint32_t j = nb.v[k];
		if (!placed && j > i) {
			p->v[p->n++] = i;
			placed = true;
		}
		if (pk_lint_usable(x, j))
			p->v[p->n++] = j;
	}
	if (!placed)
		p->v[p->n++] = i;
	Z3_context c = x->z.c;
	Z3_ast *M = pk_xcalloc(p->n + 1, sizeof(*M)), *leaf = pk_xcalloc(p->n + 1, sizeof(*leaf));
	for (unsigned k = 0; k < p->n; k++)
		leaf[k] = pk_z3_bool(c, x->rs->rules[p->v[k]].action == r->action);
	const Z3_ast same = pk_z3_chain(&x->z, x->rs, p->v, p->n, M, leaf, Z3_mk_true(c));
	const Z3_ast q[3] = {x->dom, pk_lint_M(x, i), Z3_mk_not(c, same)};
	struct pk_vpkt w;
	if (pk_z3_witness(&x->z, Z3_mk_and(c, 3, q), &w)) {
		struct pk_eval_result res;
		pk_eval_filter(x->rs, &w, &res, NULL, NULL);
		if (res.rule != PK_EVAL_NONE) {
			const struct pk_ir_rule *d = &x->rs->rules[res.rule];
			struct pk_lint_finding *f =
				pk_lint_add(x->rep, PK_LINT_PARTIALLY_SHADOWED, r, NULL,
					    "rule is partially shadowed: %s decides some of its packets with a "
					    "different action",
					    pk_lint_rule_name(x->rep, d));
			pk_lint_relate(x->rep, f, d, NULL, "this rule takes the witness packet");
			pk_lint_witness(f, &w, d->action == PK_ACT_PASS ? "passed" : "blocked");
		}
	}
	free(M);
	free(leaf);
}

static bool sat3(struct pk_lint_ctx *x, Z3_ast a, Z3_ast b, struct pk_vpkt *w)
{
	const Z3_ast v[3] = {x->dom, a, b};
	return pk_z3_witness(&x->z, Z3_mk_and(x->z.c, 3, v), w);
}

/* Rules j < i with different actions that match common packets while
 * neither holds the other (Al-Shaer's correlation): their order decides. */
static void check_correlated(struct pk_lint_ctx *x, uint32_t i)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	Z3_context c = x->z.c;
	const struct pk_lint_set nb = pk_lint_neighbours(x, i);
	for (unsigned k = 0; k < nb.n && nb.v[k] < i; k++) {
		const uint32_t j = nb.v[k];
		const struct pk_ir_rule *o = &x->rs->rules[j];
		if (!pk_lint_usable(x, j) || x->guarded[j] || o->action == r->action ||
		    (x->box[j].exact && pk_box_contains(&x->box[j], &x->box[i])) ||
		    (x->box[i].exact && pk_box_contains(&x->box[i], &x->box[j])))
			continue;
		const Z3_ast mi = pk_lint_M(x, i), mj = pk_lint_M(x, j);
		struct pk_vpkt w;
		if (!sat3(x, mi, mj, &w) || !sat3(x, mi, Z3_mk_not(c, mj), NULL) || !sat3(x, mj, Z3_mk_not(c, mi), NULL))
			continue;
		struct pk_lint_finding *f = pk_lint_add(
			x->rep, PK_LINT_CORRELATED, r, NULL,
			"rule partly overlaps %s, which has a different action; neither contains the other, so "
			"their order decides the packets both match",
			pk_lint_rule_name(x->rep, o));
		pk_lint_relate(x->rep, f, o, NULL, "the other rule");
		pk_lint_witness(f, &w, "matched by both");
	}
}

/* Rule i's relations are checked. */
static bool checked(const struct pk_lint_ctx *x, uint32_t i)
{
	return pk_z3_decides(&x->rs->rules[i]) && !x->dead[i] && !x->unsure[i] && !x->assumed[i] &&
	       (!x->guarded[i] || x->rs->rules[i].quick);
}

/* The checked quick rules' earlier takers (see takers()); meanwhile the
 * full lists are wanted for the other checked rules. */
static struct pk_lint_ov *takers_index(const struct pk_lint_ctx *x, const bool *asked)
{
	const uint32_t n = x->rs->nrules;
	bool *quick = pk_xcalloc(n + 1, sizeof(*quick)), *other = pk_xcalloc(n + 1, sizeof(*other));
	bool *taker = pk_xcalloc(n + 1, sizeof(*taker));
	for (uint32_t i = 0; i < n; i++) {
		quick[i] = asked[i] && x->rs->rules[i].quick;
		other[i] = asked[i] && !quick[i];
		taker[i] = x->role[i] & PK_ROLE_TAKER;
	}
	pk_lint_ov_want(x->ov, other);
	struct pk_lint_ov *first = pk_lint_ov_takers(x->ov, taker, quick);
	free(quick);
	free(other);
	free(taker);
	return first;
}

void pk_lint_relations(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	struct pk_lint_set t = {pk_xcalloc(rs->nrules + 1, sizeof(uint32_t)), 0};
	struct pk_lint_set p = {pk_xcalloc(rs->nrules + 1, sizeof(uint32_t)), 0};
	struct pk_lint_set tmp = {pk_xcalloc(rs->nrules + 1, sizeof(uint32_t)), 0};
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (pk_z3_in_filter(&rs->rules[i]) && !x->unsure[i] && !x->assumed[i])
			check_unmatchable(x, i);
	pk_lint_roles(x);
	bool *asked = pk_xcalloc(rs->nrules + 1, sizeof(*asked));
	for (uint32_t i = 0; i < rs->nrules; i++)
		asked[i] = checked(x, i);
	struct pk_lint_ov *first = takers_index(x, asked);
	bool *near = near_unsure(x, asked);
	for (uint32_t i = 0; i < rs->nrules; i++) {
		pk_lint_progress(x, i);
		if (!asked[i])
			continue;
		takers(x, first, i, &t);
		if (check_shadowed(x, i, &t, &tmp, false)) {
			x->covered[i] = true;
			if (pk_lint_on(x, PK_LINT_SHADOWED))
				pk_lint_report_shadowed(x, i, &t, &tmp, false);
			continue;
		}
		if (pk_lint_judged_on_opening(&rs->rules[i]) && check_shadowed(x, i, &t, &tmp, true) &&
		    pk_lint_on(x, PK_LINT_SHADOWED) && pk_lint_report_shadowed(x, i, &t, &tmp, true))
			continue;
		if (near[i] || x->guarded[i])
			continue;
		const unsigned before = x->rep->n;
		if (pk_lint_on(x, PK_LINT_OVERRIDDEN))
			pk_lint_check_overridden(x, i);
		/* an overridden block is told as such, not as removable */
		if (pk_lint_on(x, PK_LINT_REDUNDANT) && x->rep->n == before)
			check_redundant(x, i, &t, &p, &tmp);
		/* a catch-all default is there to be overridden */
		if (pk_lint_on(x, PK_LINT_PARTIALLY_SHADOWED) && !pk_box_is_full(&x->box[i]))
			check_partial(x, i, &t, &p);
		if (pk_lint_on(x, PK_LINT_CORRELATED) && !pk_box_is_full(&x->box[i]))
			check_correlated(x, i);
	}
	pk_lint_progress(x, rs->nrules);
	unsigned long overlapping;
	x->rep->stats.pairs_visited += pk_lint_ov_count(first, &overlapping);
	x->overlapping += overlapping;
	pk_lint_ov_free(first);
	free(near);
	/* the later checks ask about rules of these, quick or not */
	pk_lint_ov_want(x->ov, asked);
	free(asked);
	free(t.v);
	free(p.v);
	free(tmp.v);
}
