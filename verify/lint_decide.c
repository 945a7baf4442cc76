/*
 * verify/lint_decide.c: who decides a rule's packets instead of it, after
 * Batfish's filterLineReachability read with pf's last match: for a rule
 * that never decides a packet (shadowed), or that later pass rules
 * override for some (overridden), the deciding rules, largest overlap
 * first, a rule with another action among them whenever one exists, why
 * they decide (earlier quick rules take the packets first; later rules
 * override, the last match wins), and a witness that the reference
 * evaluator sends to the rule named first.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"
#include "verify/sample.h"

/* Samples of a rule's box that rank the deciding rules by overlap. */
#define PK_LINT_RANK_SAMPLES 64
/* Samples drawn where a rule's box meets each other-action rule's. */
#define PK_LINT_MEET_SAMPLES 4
/* Overriding rules named in one finding, each with its own solver call. */
#define PK_LINT_MAX_OVERRIDERS 3

/* A catch-all default block (block all, block in on IF, block proto tcp):
 * it is there to be overridden, and to stop the
 * packets no state and no pass rule takes (`block return` before `pass`). */
static bool catch_all(const struct pk_ir_rule *r)
{
	return r->src.kind == PK_ADDR_ANY && !r->src.neg && r->dst.kind == PK_ADDR_ANY && !r->dst.neg &&
	       r->sport.op == PK_PORT_ANY && r->dport.op == PK_PORT_ANY && r->icmp_type < 0 && r->tos < 0;
}

bool pk_lint_judged_on_opening(const struct pk_ir_rule *r)
{
	const uint8_t m = r->flagmask & (PK_TH_SYN | PK_TH_ACK);
	return r->action == PK_ACT_BLOCK && !catch_all(r) && (!r->flagmask || ((r->flags ^ PK_TH_SYN) & m) == 0);
}

bool pk_lint_opening_packet(const struct pk_vpkt *p)
{
	return p->proto != PK_PROTO_TCP || (p->flags & (PK_TH_SYN | PK_TH_ACK)) == PK_TH_SYN;
}

Z3_ast pk_lint_opening(struct pk_lint_ctx *x)
{
	Z3_context c = x->z.c;
	const Z3_ast syn = Z3_mk_eq(c, Z3_mk_bvand(c, x->z.p.flags, pk_z3_bv(c, PK_TH_SYN | PK_TH_ACK, 8)),
				    pk_z3_bv(c, PK_TH_SYN, 8));
	const Z3_ast v[2] = {Z3_mk_not(c, Z3_mk_eq(c, x->z.p.proto, pk_z3_bv(c, PK_PROTO_TCP, 8))), syn};
	return Z3_mk_or(c, 2, v);
}

static bool in_set(const struct pk_lint_set *s, uint32_t j)
{
	for (unsigned k = 0; k < s->n; k++)
		if (s->v[k] == j)
			return true;
	return false;
}

/* Rule j matches every packet rule i matches: its exact box holds rule
 * i's and its match is a plain function of the packet (not translated). */
static bool holds(const struct pk_lint_ctx *x, uint32_t j, uint32_t i)
{
	return !x->unsure[j] && x->box[j].exact && pk_box_contains(&x->box[j], &x->box[i]);
}

/* Drops from `chain` (ascending, rule i among them) the rules that never
 * decide a packet of rule i, so the solver gets a short chain that says the
 * same of those packets: every rule after the first quick one holding rule
 * i (evaluation stops there), and every non-quick rule before the last
 * non-quick one holding it (that one matches later and wins). */
static void prune_chain(const struct pk_lint_ctx *x, uint32_t i, struct pk_lint_set *chain)
{
	unsigned end = chain->n, last = 0;
	bool any = false;
	for (unsigned k = 0; k < end; k++) {
		const uint32_t j = chain->v[k];
		const struct pk_ir_rule *r = &x->rs->rules[j];
		if (j == i || !holds(x, j, i))
			continue;
		if (r->quick)
			end = k + 1;
		else if (pk_z3_decides(r)) {
			last = k;
			any = true;
		}
	}
	unsigned n = 0;
	for (unsigned k = 0; k < end; k++) {
		const struct pk_ir_rule *r = &x->rs->rules[chain->v[k]];
		if (!any || k >= last || r->quick)
			chain->v[n++] = chain->v[k];
	}
	chain->n = n;
}

/* A packet rule i matches (within space) that the rules of `chain`
 * (ascending; match rules stop evaluation when quick) leave to a rule
 * whose action differs from rule i's, the rules of `fine` apart. */
static bool other_action_witness(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *chain,
				 const struct pk_lint_set *fine, Z3_ast space, struct pk_vpkt *w)
{
	Z3_context c = x->z.c;
	const uint8_t act = x->rs->rules[i].action;
	bool differs = false;
	for (unsigned k = 0; k < chain->n; k++) {
		const struct pk_ir_rule *r = &x->rs->rules[chain->v[k]];
		differs |= pk_z3_decides(r) && r->action != act && !in_set(fine, chain->v[k]);
	}
	if (!differs)
		return false; /* every leaf is the rule's own action: nothing to ask */
	Z3_ast *M = pk_xcalloc(chain->n + 1, sizeof(*M)), *leaf = pk_xcalloc(chain->n + 1, sizeof(*leaf));
	for (unsigned k = 0; k < chain->n; k++) {
		M[k] = pk_lint_M(x, chain->v[k]);
		leaf[k] = pk_z3_bool(c, x->rs->rules[chain->v[k]].action == act || in_set(fine, chain->v[k]));
	}
	const Z3_ast same = pk_z3_chain(&x->z, x->rs, chain->v, chain->n, M, leaf, Z3_mk_true(c));
	const Z3_ast q[4] = {x->dom, pk_lint_M(x, i), space, Z3_mk_not(c, same)};
	const bool found = pk_z3_witness(&x->z, Z3_mk_and(c, 4, q), w);
	free(M);
	free(leaf);
	return found;
}

/* The rule the reference evaluator says decides p, or PK_LINT_NO_RULE. */
static uint32_t decider(const struct pk_lint_ctx *x, const struct pk_vpkt *p)
{
	struct pk_eval_result res;
	pk_eval_filter(x->rs, p, &res, NULL, NULL);
	return res.rule == PK_EVAL_NONE ? PK_LINT_NO_RULE : res.rule;
}

/* The rule of `chain` (ascending) that decides p as pf does: the first
 * quick match, else the last match; a quick match rule stops evaluation,
 * leaving the last pass or block matched before it. PK_LINT_NO_RULE when
 * none does. */
static uint32_t chain_decider(const struct pk_lint_ctx *x, const struct pk_lint_set *chain, const struct pk_vpkt *p)
{
	uint32_t last = PK_LINT_NO_RULE;
	for (unsigned k = 0; k < chain->n; k++) {
		const struct pk_ir_rule *r = &x->rs->rules[chain->v[k]];
		if (!pk_eval_match(x->rs, r, p))
			continue;
		if (pk_z3_decides(r))
			last = chain->v[k];
		if (r->quick)
			break;
	}
	return last;
}

/* pf drops a TCP or UDP packet to port 0 before its rules see it
 * (pf_setup_pdesc), which the reference evaluator does not model: a
 * sample there (a box's low end) witnesses nothing, so it moves to port 1
 * when rule i still matches it. */
static bool off_port_zero(const struct pk_lint_ctx *x, uint32_t i, struct pk_vpkt *p)
{
	if ((p->proto != PK_PROTO_TCP && p->proto != PK_PROTO_UDP) || p->dport)
		return true;
	p->dport = 1;
	return pk_eval_match(x->rs, &x->rs->rules[i], p);
}

/* The k-th sample of box b (where rule i's box meets another's) that rule
 * i matches, connection-opening with opening; on each interface in turn
 * when the topology lists them and the box names none (packets arrive on
 * no other: pk_z3_domain). */
static bool meet_sample_k(const struct pk_lint_ctx *x, uint32_t i, const struct pk_box *b, unsigned k,
			  bool opening, struct pk_vpkt *w)
{
	struct pk_box s = *b;
	if (!s.ifname && x->z.closed && x->z.nif)
		s.ifname = x->z.ifnames[k % x->z.nif];
	return pk_lint_sample_match(x, i, &s, k, w) && off_port_zero(x, i, w) && (!opening || pk_lint_opening_packet(w));
}

static void last_visited(void *ctx, uint32_t rule)
{
	*(uint32_t *)ctx = rule;
}

/* From one evaluation of p: the rule that decides it (decider()) and the
 * quick match rule that stops its evaluation, or PK_LINT_NO_RULE. */
static void fate(const struct pk_lint_ctx *x, const struct pk_vpkt *p, uint32_t *d, uint32_t *stop)
{
	struct pk_eval_result res;
	uint32_t last = PK_LINT_NO_RULE;
	pk_eval_filter(x->rs, p, &res, last_visited, &last);
	*d = res.rule == PK_EVAL_NONE ? PK_LINT_NO_RULE : res.rule;
	*stop = last != PK_LINT_NO_RULE && x->rs->rules[last].action == PK_ACT_MATCH && x->rs->rules[last].quick
			? last
			: PK_LINT_NO_RULE;
}

/* What other_action_witness() asks (within the connection-opening packets
 * with opening), answered by a sample where rule i's box meets that of a
 * rule of another action in the chain: the chain leaves it to a rule of
 * another action, and the reference evaluator agrees (its fate() of the
 * sample in d and stop). */
static bool other_action_sample(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *chain,
				bool opening, struct pk_vpkt *w, uint32_t *d, uint32_t *stop)
{
	const uint8_t act = x->rs->rules[i].action;
	for (unsigned c = chain->n; c-- > 0;) { /* later rules win: likelier deciders */
		const struct pk_ir_rule *o = &x->rs->rules[chain->v[c]];
		struct pk_box b;
		if (!pk_z3_decides(o) || o->action == act)
			continue;
		pk_box_meet(&x->box[i], &x->box[chain->v[c]], &b);
		for (unsigned k = 0; k < PK_LINT_MEET_SAMPLES && !b.empty; k++) {
			if (!meet_sample_k(x, i, &b, k, opening, w))
				continue;
			const uint32_t cd = chain_decider(x, chain, w);
			if (cd == PK_LINT_NO_RULE || x->rs->rules[cd].action == act)
				continue;
			fate(x, w, d, stop);
			if (*d != PK_LINT_NO_RULE && x->rs->rules[*d].action != act)
				return true;
		}
	}
	*d = *stop = PK_LINT_NO_RULE;
	return false;
}

/* Orders by rank[] descending, keeping the given order among equals. */
static void sort_by_rank(struct pk_lint_set *s, unsigned *rank)
{
	for (unsigned a = 1; a < s->n; a++)
		for (unsigned b = a; b > 0 && rank[b] > rank[b - 1]; b--) {
			const uint32_t v = s->v[b];
			s->v[b] = s->v[b - 1];
			s->v[b - 1] = v;
			const unsigned t = rank[b];
			rank[b] = rank[b - 1];
			rank[b - 1] = t;
		}
}

/* The rules of s, largest overlap with rule i first: how many of the
 * rule's own samples (connection-opening ones when opening) each matches. */
static void rank_by_overlap(const struct pk_lint_ctx *x, uint32_t i, struct pk_lint_set *s, bool opening)
{
	unsigned *rank = pk_xcalloc(s->n + 1, sizeof(*rank));
	const struct pk_ir_rule *r = &x->rs->rules[i];
	for (unsigned k = 0; k < PK_LINT_RANK_SAMPLES; k++) {
		struct pk_vpkt p;
		pk_box_sample(&x->box[i], r, k, &p);
		if ((opening && !pk_lint_opening_packet(&p)) || !pk_eval_match(x->rs, r, &p))
			continue;
		for (unsigned j = 0; j < s->n; j++)
			rank[j] += pk_eval_match(x->rs, &x->rs->rules[s->v[j]], &p);
	}
	sort_by_rank(s, rank);
	free(rank);
}

void pk_lint_list_rules(const struct pk_lint_set *s, char *buf, size_t size)
{
	size_t off = 0;
	buf[0] = 0;
	for (unsigned k = 0; k < s->n && off + 16 < size; k++)
		off += (size_t)snprintf(buf + off, size - off, "%s%u", k ? (k + 1 == s->n ? " and " : ", ") : "",
					s->v[k]);
}

/* When the rules of s decide rule i's packets: first (earlier quick
 * rules) or last (later rules: the last match wins). */
static const char *why(const struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *s)
{
	bool before = false, after = false, stop = false;
	for (unsigned k = 0; k < s->n; k++) {
		stop |= x->rs->rules[s->v[k]].action == PK_ACT_MATCH;
		before |= s->v[k] < i;
		after |= s->v[k] > i;
	}
	if (!before)
		return "last (later rules; the last match wins)";
	if (!after)
		return stop ? "first (earlier quick rules; a quick match rule stops evaluation)"
			    : "first (earlier quick rules)";
	return "first (earlier quick rules) or last (later rules; the last match wins)";
}

static void relate_decider(struct pk_lint_ctx *x, struct pk_lint_finding *f, uint32_t i, uint32_t j)
{
	const struct pk_ir_rule *o = &x->rs->rules[j], *r = &x->rs->rules[i];
	if (o->action == PK_ACT_MATCH)
		pk_lint_relate(x->rep, f, o, NULL, "%s (quick match) stops evaluation before it",
			       pk_lint_rule_name(x->rep, o));
	else
		pk_lint_relate(x->rep, f, o, NULL, "%s %s decides its packets%s", pk_lint_rule_name(x->rep, o),
			       j < i ? "(quick, earlier)" : o->quick ? "(later, quick)" : "(later, last match wins)",
			       o->action != r->action ? " with a different action" : " with the same action");
}

/* The rules that can take rule i's packets (t), sorted, and rule i. */
static void with_rule(const struct pk_lint_set *t, uint32_t i, struct pk_lint_set *out)
{
	out->n = 0;
	bool placed = false;
	for (unsigned k = 0; k < t->n; k++) {
		if (!placed && t->v[k] > i) {
			out->v[out->n++] = i;
			placed = true;
		}
		out->v[out->n++] = t->v[k];
	}
	if (!placed)
		out->v[out->n++] = i;
}

/* A witness that rule d takes from rule i (within space). */
static bool witness_of(struct pk_lint_ctx *x, uint32_t i, uint32_t d, Z3_ast space, struct pk_vpkt *w)
{
	const Z3_ast q[4] = {x->dom, pk_lint_M(x, i), space, pk_lint_M(x, d)};
	return pk_z3_witness(&x->z, Z3_mk_and(x->z.c, 4, q), w);
}

/* The same from a sample where the two rules' boxes meet. */
static bool meet_sample(const struct pk_lint_ctx *x, uint32_t i, uint32_t d, bool opening, struct pk_vpkt *w)
{
	struct pk_box b;
	pk_box_meet(&x->box[i], &x->box[d], &b);
	for (unsigned k = 0; k < PK_LINT_MEET_SAMPLES && !b.empty; k++)
		if (meet_sample_k(x, i, &b, k, opening, w) && pk_eval_match(x->rs, &x->rs->rules[d], w))
			return true;
	return false;
}

/* The rule with the largest overlap says what the rule's fate is: when it
 * has another action the intent is lost (an error, with a witness it
 * takes); when it has the same, the rule has no effect (a warning), and a
 * rule with another action taking a few of its packets is still named. */
bool pk_lint_report_shadowed(struct pk_lint_ctx *x, uint32_t i, const struct pk_lint_set *t,
			     struct pk_lint_set *by, bool opening)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	struct pk_lint_set chain = {pk_xcalloc(t->n + 2, sizeof(uint32_t)), 0}, none = {NULL, 0};
	with_rule(t, i, &chain);
	prune_chain(x, i, &chain);
	const Z3_ast space = opening ? pk_lint_opening(x) : Z3_mk_true(x->z.c);
	struct pk_vpkt w;
	/* samples where the rule's box meets the others' settle most questions
	 * before the solver, whose call grows with the chain (about a
	 * millisecond at a few rules, tens at a few hundred) */
	uint32_t d, st;
	bool other = other_action_sample(x, i, &chain, opening, &w, &d, &st);
	if (!other && other_action_witness(x, i, &chain, &none, space, &w)) {
		other = true;
		fate(x, &w, &d, &st);
	}
	free(chain.v);
	rank_by_overlap(x, i, by, opening);
	const uint32_t od = d;
	if (od != PK_LINT_NO_RULE && od != i && !in_set(by, od))
		by->v[by->n++] = od; /* a rule with another action is always named */
	const bool differ = other && x->rs->rules[by->v[0]].action != r->action;
	if (opening && !differ)
		return false; /* the same action on most SYNs: the redundancy check judges it */
	if (!differ) {
		if (!meet_sample(x, i, by->v[0], opening, &w) && !witness_of(x, i, by->v[0], space, &w))
			return false;
		fate(x, &w, &d, &st); /* another witness */
	}
	if (d != PK_LINT_NO_RULE && d != i && !in_set(by, d))
		by->v[by->n++] = d; /* the rule that decides the witness is named too */
	if (st != PK_LINT_NO_RULE && st < i && !in_set(by, st))
		by->v[by->n++] = st; /* and a quick match rule that stops its evaluation */
	char list[256], same[160];
	pk_lint_list_rules(by, list, sizeof(list));
	/* the same action, yet the rule's own translation, route, queue...
	 * that the deciding rule lacks never apply: that is not "no effect" */
	const char *lost = differ ? NULL : pk_lint_effect_differs(r, &x->rs->rules[by->v[0]]);
	if (lost)
		snprintf(same, sizeof(same),
			 ", with the same action but not the same %s: the rule's own never take effect", lost);
	else
		snprintf(same, sizeof(same), "%s", ", with the same action: the rule has no effect");
	struct pk_lint_finding *f = pk_lint_add(
		x->rep, PK_LINT_SHADOWED, r, NULL, "rule %s: %s %s %s every %spacket it matches %s%s",
		opening ? "stops no new connection" : "never decides a packet", by->n == 1 ? "rule" : "rules", list,
		by->n == 1 ? "decides" : "decide", opening ? "connection-opening " : "", why(x, i, by),
		differ ? ", with a different action: the rule's intent is lost" : opening ? "" : same);
	if (!differ)
		f->sev = PK_SEV_WARNING;
	for (unsigned k = 0; k < by->n; k++)
		relate_decider(x, f, i, by->v[k]);
	pk_lint_witness(f, &w,
			d == PK_LINT_NO_RULE ? "passed by default"
			: x->rs->rules[d].action == PK_ACT_PASS
				? pk_arena_printf(x->rep->arena, "passed by rule %u", d)
				: pk_arena_printf(x->rep->arena, "blocked by rule %u", d));
	return true;
}

/* The rules after i whose boxes overlap and that decide (in `later`,
 * with i first), and the earlier quick rules that take packets first. */
static void later_rules(const struct pk_lint_ctx *x, uint32_t i, struct pk_lint_set *later,
			struct pk_lint_set *first)
{
	const struct pk_lint_set nb = pk_lint_neighbours(x, i);
	later->n = first->n = 0;
	later->v[later->n++] = i;
	for (unsigned k = 0; k < nb.n; k++) {
		const uint32_t j = nb.v[k];
		if (j > i && pk_lint_usable(x, j))
			later->v[later->n++] = j;
		else if (pk_lint_takes_first(x, j, i))
			first->v[first->n++] = j;
	}
}

/* A specific non-quick block that later pass rules override for some of
 * its packets: those packets pass (antispoof, urpf-failed, bogons). */
void pk_lint_check_overridden(struct pk_lint_ctx *x, uint32_t i)
{
	const struct pk_ir_rule *r = &x->rs->rules[i];
	if (r->action != PK_ACT_BLOCK || r->quick || catch_all(r))
		return;
	const unsigned nov = pk_lint_neighbours(x, i).n;
	struct pk_lint_set later = {pk_xcalloc(nov + 2, sizeof(uint32_t)), 0};
	struct pk_lint_set first = {pk_xcalloc(nov + 2, sizeof(uint32_t)), 0};
	struct pk_lint_set found = {pk_xcalloc(PK_LINT_MAX_OVERRIDERS + 1, sizeof(uint32_t)), 0};
	later_rules(x, i, &later, &first);
	Z3_context c = x->z.c;
	Z3_ast *v = pk_xcalloc(first.n + 2, sizeof(*v));
	v[0] = pk_lint_judged_on_opening(r) ? pk_lint_opening(x) : Z3_mk_true(c);
	for (unsigned k = 0; k < first.n; k++)
		v[k + 1] = Z3_mk_not(c, pk_lint_M(x, first.v[k]));
	const Z3_ast space = pk_z3_and(c, first.n + 1, v);
	prune_chain(x, i, &later);
	struct pk_vpkt w, w0;
	while (later.n > 1 && later.n <= PK_LINT_MAX_SOLVER_RULES && found.n < PK_LINT_MAX_OVERRIDERS &&
	       other_action_witness(x, i, &later, &found, space, &w)) {
		const uint32_t d = decider(x, &w);
		if (d == PK_LINT_NO_RULE || d <= i || in_set(&found, d))
			break; /* the evaluator disagrees: say nothing rather than guess */
		if (!found.n)
			w0 = w;
		found.v[found.n++] = d;
	}
	if (found.n) {
		char list[256];
		pk_lint_list_rules(&found, list, sizeof(list));
		struct pk_lint_finding *f = pk_lint_add(
			x->rep, PK_LINT_OVERRIDDEN, r, NULL,
			"block is overridden: later %s %s pass%s some of the packets it blocks (the last match "
			"wins); make the block quick, or move it below them",
			found.n == 1 ? "rule" : "rules", list, found.n == 1 ? "es" : "");
		for (unsigned k = 0; k < found.n; k++)
			pk_lint_relate(x->rep, f, &x->rs->rules[found.v[k]], NULL, "%s passes packets the block matches",
				       pk_lint_rule_name(x->rep, &x->rs->rules[found.v[k]]));
		pk_lint_witness(f, &w0, pk_arena_printf(x->rep->arena, "passed by rule %u", found.v[0]));
	}
	free(v);
	free(later.v);
	free(first.v);
	free(found.v);
}
