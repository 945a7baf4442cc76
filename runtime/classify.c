/*
 * runtime/classify.c: does a rule match a packet, and which rule decides a
 * phase: by walking the program's decision tree (pk_rs_classify) or by
 * plain linear evaluation (pk_rs_classify_trace, the reference and
 * --explain). Both apply a rule through apply(), so they share pf's
 * semantics: in the filter the last match wins unless a matching rule is
 * quick and match rules accumulate; the older phases are first-match.
 */
#include <string.h>

#include "runtime/bytes.h"
#include "runtime/pkb_priv.h"
#include "runtime/rulebox.h"

static bool in_prefix(const struct pkb_prefix *p, uint8_t af, const uint8_t addr[16])
{
	return p->af == af && pk_net_contains(p->addr, p->len, addr);
}

/* Compare addr with an entry's address masked to len. */
static int masked_cmp(const uint8_t *entry, unsigned len, const uint8_t addr[16])
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len > 8 * i ? len - 8 * i : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		if ((entry[i] & m) != (addr[i] & m))
			return (entry[i] & m) < (addr[i] & m) ? -1 : 1;
	}
	return 0;
}

/* Groups run from the longest prefix down, so the first hit is the most
 * specific entry, and a negated most-specific entry excludes (pf tables). */
const struct pkb_tabentry *pk_rs_table_entry(const struct pk_rs *rs, uint32_t table, uint8_t af,
					    const uint8_t addr[16], bool host_only)
{
	const struct pkb_tabentry *ent = PK_RS_SEC(rs, TABENTRIES, struct pkb_tabentry);
	const uint32_t *idx = PK_RS_SEC(rs, TABINDEX, uint32_t);
	const unsigned host = af == PK_AF_INET6 ? 128 : 32;
	for (uint32_t g = rs->table_group[table]; g < rs->table_group[table + 1]; g++) {
		const struct pk_rs_tgroup *grp = &rs->groups[g];
		if (grp->af != af || (host_only && grp->len != host))
			continue;
		uint32_t lo = grp->first, hi = grp->first + grp->n;
		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			int c = masked_cmp(ent[idx[mid]].addr, grp->len, addr);
			if (!c)
				return &ent[idx[mid]];
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return NULL;
}

bool pk_rs_table_match(const struct pk_rs *rs, uint32_t table, uint8_t af, const uint8_t addr[16])
{
	/* a host overload added: the most specific entry. Only a fed table
	 * looks: a reading thread's walk then never reads the set the engine
	 * writes (engine_ahead.c walks no rule reading a fed table) */
	if ((rs->table_use[table] & PK_TABLE_FED) && pk_tadd_has(&rs->adds, table, af, addr))
		return true;
	const struct pkb_tabentry *e = pk_rs_table_entry(rs, table, af, addr, false);
	return e && !e->neg;
}

/* no-route: no route back to the address; urpf-failed: the route back does
 * not leave by the interface the packet came in on (pf_routable). */
static bool route_test(const struct pk_rs *rs, uint8_t kind, const struct pk_match_pkt *p, const uint8_t *addr)
{
	uint16_t iface;
	bool routed = pk_rs_route_iface(rs, p->af, addr, &iface);
	if (kind == PK_ADDR_NOROUTE)
		return !routed;
	return !routed || iface != p->iface;
}

static bool addr_match(const struct pk_rs *rs, const struct pkb_addr *a, const struct pk_match_pkt *p,
		       const uint8_t *addr)
{
	bool hit;
	size_t n = p->af == PK_AF_INET ? 4 : 16;
	switch (a->kind) {
	case PK_ADDR_ANY: hit = true; break;
	case PK_ADDR_PREFIX: hit = in_prefix(&a->pfx, p->af, addr); break;
	case PK_ADDR_RANGE:
		hit = a->pfx.af == p->af && memcmp(addr, a->pfx.addr, n) >= 0 && memcmp(addr, a->end.addr, n) <= 0;
		break;
	case PK_ADDR_TABLE: hit = pk_rs_table_match(rs, a->table, p->af, addr); break;
	default: hit = route_test(rs, a->kind, p, addr); break; /* NOROUTE, URPF */
	}
	return hit != (bool)a->neg;
}

static bool port_match(const struct pkb_port *m, uint16_t port)
{
	return pk_port_op_match(m->op, m->lo, m->hi, port);
}

/* What pf tests only for some protocols: ports (TCP, UDP), flags (TCP),
 * ICMP type and code (ICMP, ICMPv6). */
static bool proto_fields_match(const struct pkb_rule *r, const struct pk_match_pkt *p)
{
	if (p->proto == 6 || p->proto == 17) {
		if (!port_match(&r->sport, p->sport) || !port_match(&r->dport, p->dport))
			return false;
	}
	if (p->proto == 6 && (p->tcp_flags & r->tcp_mask) != r->tcp_flags)
		return false;
	if (p->proto == 1 || p->proto == 58) {
		if (r->icmp_type != -1 && r->icmp_type != p->icmp_type)
			return false;
		if (r->icmp_code != -1 && r->icmp_code != p->icmp_code)
			return false;
	}
	return true;
}

/* pf_match_rule for a fragment (PF_VPROTO_FRAGMENT), first or later: a
 * rule that reads ports, TCP flags, the ICMP type or code, or the socket's
 * owner never matches it. */
static bool fragment_fields_match(const struct pkb_rule *r, const struct pk_match_pkt *p)
{
	return r->sport.op == PK_PORT_ANY && r->dport.op == PK_PORT_ANY && !(p->proto == 6 && r->tcp_mask) &&
	       r->icmp_type == -1 && r->icmp_code == -1 && r->user == PKB_NONE && r->group == PKB_NONE;
}

bool pk_rs_match(const struct pk_rs *rs, uint32_t rule, const struct pk_match_pkt *p)
{
	const struct pkb_rule *r = &PK_RS_SEC(rs, RULES, struct pkb_rule)[rule];
	if ((r->af && r->af != p->af) || (r->dir && r->dir != p->dir) || (r->proto && r->proto != p->proto))
		return false;
	if ((r->flags & PKB_R_FRAGMENT) && !p->fragment)
		return false;
	if (r->iface != PKB_NONE && (r->iface == p->iface) == !!(r->flags & PKB_R_IFNEG))
		return false;
	const struct pkb_addr *addrs = PK_RS_SEC(rs, ADDRS, struct pkb_addr);
	if (!addr_match(rs, &addrs[r->src], p, p->src) || !addr_match(rs, &addrs[r->dst], p, p->dst) ||
	    !(p->fragment ? fragment_fields_match(r, p) : proto_fields_match(r, p)))
		return false;
	if (r->tos != -1 && r->tos != p->tos)
		return false;
	if (r->tagged && (p->tag == r->tagged) == !!(r->flags & PKB_R_TAGGED_NEG))
		return false;
	if (r->rcv_iface != PKB_NONE && (r->rcv_iface == p->rcvif) == !!(r->flags & PKB_R_RCVNEG))
		return false;
	if (!pk_owner_match(r->owner, p->proto, p->local))
		return false;
	/* pf: a rule with probability p matches when the draw is below it */
	return !r->probability || p->random < r->probability;
}

/* Apply rule i to the result if it matches; true when evaluation stops. */
static bool apply(const struct pk_rs *rs, enum pk_rt_phase phase, uint32_t i, const struct pk_match_pkt *p,
		  struct pk_rs_result *res, bool *matched)
{
	const struct pk_rs_rule *r = &rs->rules[i];
	*matched = false;
	if (pkb_phase_of(r->action) != phase)
		return false;
	res->evaluated++;
	if (!pk_rs_match(rs, i, p))
		return false;
	*matched = true;
	if (phase != PK_PHASE_FILTER) {
		res->rule = i;
		return true;
	}
	if (r->action == PK_ACT_MATCH) {
		if (res->nmatches < sizeof(res->matches) / sizeof(res->matches[0]))
			res->matches[res->nmatches++] = i;
	} else {
		res->rule = i;
	}
	return r->quick;
}

static void result_init(struct pk_rs_result *res)
{
	res->rule = PK_RT_NO_RULE;
	res->nmatches = 0;
	res->evaluated = 0;
}

void pk_rs_classify_trace(const struct pk_rs *rs, enum pk_rt_phase phase, const struct pk_match_pkt *p,
			  struct pk_rs_result *res, void (*visit)(void *ctx, uint32_t rule), void *ctx)
{
	result_init(res);
	if ((unsigned)phase >= PK_PHASE_COUNT)
		return;
	for (uint32_t k = rs->phase_first[phase]; k < rs->phase_first[phase + 1]; k++) {
		bool matched;
		bool stop = apply(rs, phase, rs->phase_rules[k], p, res, &matched);
		if (matched && visit)
			visit(ctx, rs->phase_rules[k]);
		if (stop)
			return;
	}
}

uint32_t pk_rs_filter_walk(const struct pk_rs *rs, const struct pk_match_pkt *p, uint32_t from,
			   struct pk_rs_result *res, void (*visit)(void *ctx, uint32_t rule), void *ctx)
{
	if (from == 0)
		result_init(res);
	for (uint32_t k = rs->phase_first[PK_PHASE_FILTER]; k < rs->phase_first[PK_PHASE_FILTER + 1]; k++) {
		const uint32_t i = rs->phase_rules[k];
		bool matched, stop;

		if (i < from)
			continue;
		stop = apply(rs, PK_PHASE_FILTER, i, p, res, &matched);
		if (matched && visit)
			visit(ctx, i);
		if (stop)
			return PK_RT_NO_RULE;
		if (matched && rs->rules[i].action == PK_ACT_MATCH && rs->rules[i].nat != PK_NAT_NONE)
			return i;
	}
	return PK_RT_NO_RULE;
}

/* A packet as a tree walk reads it: its values of the CUT fields, read
 * once per classification, and the packet for the other conditions. */
struct pk_key {
	uint64_t v[PKB_FIELD_COUNT];
	const struct pk_match_pkt *p;
	bool syn; /* TCP, SYN set, ACK clear: what `flags S/SA` accepts */
};

static void key_of(const struct pk_match_pkt *p, struct pk_key *k)
{
	k->v[PKB_FIELD_PROTO] = p->proto;
	k->v[PKB_FIELD_SRC] = pkb_addr_key(p->src, p->af);
	k->v[PKB_FIELD_DST] = pkb_addr_key(p->dst, p->af);
	k->v[PKB_FIELD_SPORT] = p->sport;
	k->v[PKB_FIELD_DPORT] = p->dport;
	k->v[PKB_FIELD_IFACE] = p->iface;
	k->v[PKB_FIELD_DIR] = p->dir;
	k->p = p;
	k->syn = p->proto == 6 && (p->tcp_flags & 0x12) == 0x02;
}

/* CUT (width 2: u64 bounds, low word first) or CUT32 (width 1): the
 * target of the interval the packet's field value falls in, the number of
 * bounds <= v. The search halves the range without a branch on the
 * comparison (a conditional move): at large sizes a lookup crosses some
 * twenty nodes whose outcomes no predictor can learn, and each
 * mispredicted half costs more than the loads it would let the processor
 * start early. Inlined per width. */
static inline uint32_t cut_search(const uint32_t *insn, const struct pk_key *key, uint32_t width)
{
	uint64_t v = key->v[pkb_operand_a(insn[0])];
	const uint32_t *bounds = pkb_cut_bounds(insn);
	uint32_t base = 0, n = pkb_operand_b(insn); /* verified: at least one bound */
	while (n > 1) {
		uint32_t half = n / 2;
		base = pkb_cut_bound(bounds, width, base + half) <= v ? base + half : base;
		n -= half;
	}
	return pkb_cut_targets(insn, width)[base + (pkb_cut_bound(bounds, width, base) <= v)];
}

/* INDEX: the target of the packet's slot, one load. A value outside the
 * node's slots (none in a compiled tree: a node's slots cover its region)
 * takes the last one, so a hostile file cannot read past the table. */
static inline uint32_t index_slot(const uint32_t *insn, const struct pk_key *key)
{
	uint32_t b = pkb_operand_b(insn), n = pkb_slots_n(b);
	uint64_t i = (key->v[pkb_operand_a(insn[0])] >> pkb_slots_shift(b)) - pkb_index_first(insn);
	return pkb_index_targets(insn)[i < n ? i : n - 1];
}

/* The target of a CUT, CUT32 or INDEX at pc, or 0 when pc holds none. */
static uint32_t node_target(const uint32_t *prog, uint32_t pc, const struct pk_key *key)
{
	switch (pkb_op(prog[pc])) {
	case PKB_OP_CUT:
		return cut_search(prog + pc, key, 2);
	case PKB_OP_CUT32:
		return cut_search(prog + pc, key, 1);
	case PKB_OP_INDEX:
		return index_slot(prog + pc, key);
	case PKB_OP_END:
	case PKB_OP_TEST:
	case PKB_OP_FORK:
	case PKB_OP_LAST:
	case PKB_OP_COLLECT:
	case PKB_OP_APPLY:
	case PKB_OP_TESTSYN:
		return 0;
	}
	return 0;
}

/* Rule i against the packet, from its box (the same answer as pk_rs_match). */
static bool box_match(const struct pk_rs *rs, uint32_t i, const struct pk_key *k)
{
	const struct pk_rs_box *b = &rs->boxes[i];
	const struct pk_match_pkt *p = k->p;
	if ((b->af && b->af != p->af) || (b->dir && b->dir != p->dir) || (b->proto && b->proto != p->proto))
		return false;
	if (k->v[PKB_FIELD_SRC] < b->src_lo || k->v[PKB_FIELD_SRC] > b->src_hi ||
	    k->v[PKB_FIELD_DST] < b->dst_lo || k->v[PKB_FIELD_DST] > b->dst_hi)
		return false;
	if (p->sport < b->sport_lo || p->sport > b->sport_hi || p->dport < b->dport_lo || p->dport > b->dport_hi)
		return false;
	if (b->iface != PK_RT_NO_IFACE && (b->iface == p->iface) == !!(b->bits & PK_BOX_IFNEG))
		return false;
	if (p->proto == 6 && (p->tcp_flags & b->tcp_mask) != b->tcp_flags)
		return false;
	if ((p->proto == 1 || p->proto == 58) && ((b->icmp_type != -1 && b->icmp_type != p->icmp_type) ||
						    (b->icmp_code != -1 && b->icmp_code != p->icmp_code)))
		return false;
	return !(b->bits & PK_BOX_FULL) || pk_rs_match(rs, i, p);
}

/* A list entry's rule: sure ones (PKB_SURE) match without a test; those
 * marked PKB_SYN fail a packet that is not a TCP SYN without reading the rule. */
static bool entry_matches(const struct pk_rs *rs, uint32_t entry, const struct pk_key *key,
			  struct pk_rs_result *res)
{
	if (entry & PKB_SURE)
		return true;
	res->evaluated++;
	if ((entry & PKB_SYN) && !key->syn)
		return false;
	return box_match(rs, entry & ~PKB_ENTRY_MARKS, key);
}

/* Keep the match rules in rule order, the first ones when there are too many. */
static void add_match(struct pk_rs_result *res, uint32_t rule)
{
	uint32_t cap = sizeof(res->matches) / sizeof(res->matches[0]), i = res->nmatches;
	if (i == cap && res->matches[cap - 1] < rule)
		return;
	if (i == cap)
		i--;
	for (; i > 0 && res->matches[i - 1] > rule; i--)
		res->matches[i] = res->matches[i - 1];
	res->matches[i] = rule;
	if (res->nmatches < cap)
		res->nmatches++;
}

/* The kept match rules are full and all before rule r: r cannot change them. */
static bool matches_full_before(const struct pk_rs_result *res, uint32_t r)
{
	uint32_t cap = sizeof(res->matches) / sizeof(res->matches[0]);
	return res->nmatches == cap && res->matches[cap - 1] < r;
}

/* What one tree found: the leaf the packet reaches, its first stopping
 * rule (quick in the filter, any match in the first-match phases), its
 * last deciding TEST up to it, and the words of the leaf's LAST and
 * COLLECT (0 when none), tested once the phase's stop is known. */
struct pk_walk {
	uint32_t leaf, stop, decide, last, collect;
};

/* Scan the COLLECT at pc up to rule end: match rules past the kept ones
 * are not tested, they cannot change them. */
static void scan_collect(const struct pk_rs *rs, uint32_t pc, uint32_t end, const struct pk_key *key,
			 struct pk_rs_result *res)
{
	const uint32_t *insn = PK_RS_SEC(rs, PROGRAM, uint32_t) + pc, *list = pkb_list(insn);
	for (uint32_t j = 0; j < pkb_operand_a(insn[0]); j++) {
		uint32_t r = list[j] & ~PKB_ENTRY_MARKS;
		if (r > end || matches_full_before(res, r))
			return;
		if (entry_matches(rs, list[j], key, res))
			add_match(res, r);
	}
}

/* Every tree from its root down its CUTs to the leaf, a level of each in
 * turn: the trees' loads do not depend on one another, so the memory
 * accesses of one overlap those of the others (verified: jumps forward).
 * The trees still moving are kept first in at[], so a tree that reached
 * its leaf costs no more tests. */
static void descend(const uint32_t *prog, const uint32_t *roots, uint32_t k, const struct pk_key *key,
		    struct pk_walk *w)
{
	uint32_t at[PKB_MAX_FORK], moving = k;
	for (uint32_t j = 0; j < k; j++) {
		w[j].leaf = roots[j];
		at[j] = j;
	}
	while (moving) {
		for (uint32_t m = 0; m < moving;) {
			struct pk_walk *t = &w[at[m]];
			uint32_t next = node_target(prog, t->leaf, key);
			if (!next) {
				at[m] = at[--moving];
				continue;
			}
			t->leaf = next;
			/* its header and bounds, and the line after: most nodes span two */
			__builtin_prefetch(prog + next);
			__builtin_prefetch((const void *)((uintptr_t)(prog + next) + 64));
			m++;
		}
	}
}

/* A leaf from pc: its LAST and COLLECT are noted; its TESTs are tested up
 * to limit (they are in rule order, so the rest of them lies beyond the
 * limit), adding the match rules met to res when collect. */
static void walk_leaf(const struct pk_rs *rs, enum pk_rt_phase phase, uint32_t pc, const struct pk_key *key,
		      uint32_t limit, bool collect, struct pk_rs_result *res, struct pk_walk *w)
{
	const uint32_t *prog = PK_RS_SEC(rs, PROGRAM, uint32_t);
	w->stop = w->decide = PK_RT_NO_RULE;
	w->last = w->collect = 0;
	/* verified: instructions in bounds, jumps forward, last one END */
	for (uint32_t n = PK_RS_N(rs, PROGRAM); pc < n;) {
		uint32_t r = pkb_operand_a(prog[pc]), marks = 0;
		switch (pkb_op(prog[pc])) {
		case PKB_OP_CUT:
			pc = cut_search(prog + pc, key, 2);
			continue;
		case PKB_OP_CUT32:
			pc = cut_search(prog + pc, key, 1);
			continue;
		case PKB_OP_INDEX:
			pc = index_slot(prog + pc, key);
			continue;
		case PKB_OP_LAST:
			w->last = phase == PK_PHASE_FILTER ? pc : 0;
			pc += 1 + r; /* the list follows */
			continue;
		case PKB_OP_COLLECT:
			w->collect = phase == PK_PHASE_FILTER ? pc : 0;
			pc += 1 + r;
			continue;
		case PKB_OP_APPLY:
			marks = PKB_SURE;
			break;
		case PKB_OP_TESTSYN:
			marks = PKB_SYN;
			break;
		case PKB_OP_TEST:
			break;
		case PKB_OP_END:
		case PKB_OP_FORK:
			return;
		}
		if (r > limit)
			return;
		pc++;
		const struct pk_rs_box *rule = &rs->boxes[r];
		if (rule->phase != phase || !entry_matches(rs, r | marks, key, res))
			continue;
		bool first_match = phase != PK_PHASE_FILTER;
		if (first_match || !(rule->bits & PK_BOX_MATCH))
			w->decide = r;
		else if (collect && !matches_full_before(res, r))
			add_match(res, r);
		if (first_match || (rule->bits & PK_BOX_QUICK)) {
			w->stop = r;
			return;
		}
	}
}

/* A LAST list's cursor: its rules from the first below the stop. */
struct pk_last {
	const uint32_t *r;
	uint32_t n, i;
};

static void last_init(const uint32_t *prog, uint32_t pc, uint32_t stop, struct pk_last *l)
{
	uint32_t lo = 0, hi = pkb_operand_a(prog[pc]);
	l->r = pkb_list(prog + pc);
	l->n = hi;
	/* most often the whole list lies below the stop */
	if ((l->r[0] & ~PKB_ENTRY_MARKS) < stop)
		hi = 0;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if ((l->r[mid] & ~PKB_ENTRY_MARKS) >= stop)
			lo = mid + 1;
		else
			hi = mid;
	}
	l->i = lo;
}

/* The LAST lists of the trees merged highest rule first: the first that
 * matches is the last non-quick decision pf would make before the stop;
 * nothing at or below the decision found so far is tested. */
static uint32_t last_merge(const struct pk_rs *rs, const struct pk_walk *w, uint32_t k, uint32_t stop,
			   uint32_t decide, const struct pk_key *key, struct pk_rs_result *res)
{
	const uint32_t *prog = PK_RS_SEC(rs, PROGRAM, uint32_t);
	struct pk_last l[PKB_MAX_FORK];
	uint32_t m = 0;
	for (uint32_t j = 0; j < k; j++)
		if (w[j].last)
			last_init(prog, w[j].last, stop, &l[m++]);
	for (;;) {
		struct pk_last *top = NULL;
		uint32_t r = 0;
		for (uint32_t j = 0; j < m; j++)
			if (l[j].i < l[j].n && (!top || (l[j].r[l[j].i] & ~PKB_ENTRY_MARKS) > r)) {
				top = &l[j];
				r = l[j].r[l[j].i] & ~PKB_ENTRY_MARKS;
			}
		if (!top || (decide != PK_RT_NO_RULE && r <= decide))
			return decide;
		if (entry_matches(rs, top->r[top->i++], key, res))
			return r;
	}
}

/* The trees (one, or those of a FORK) together give the linear outcome:
 * evaluation stops at the earliest stopping rule of any tree; the
 * decision is the last deciding rule up to it, and a tree whose own last
 * deciding TEST lies beyond is walked again up to that point; the match
 * rules are those of the leaves' COLLECTs up to it. */
static void eval_trees(const struct pk_rs *rs, enum pk_rt_phase phase, const uint32_t *roots, uint32_t k,
		       const struct pk_key *key, struct pk_rs_result *res)
{
	uint32_t stop = PK_RT_NO_RULE, decide = PK_RT_NO_RULE;
	struct pk_walk w[PKB_MAX_FORK];
	descend(PK_RS_SEC(rs, PROGRAM, uint32_t), roots, k, key, w);
	/* rules after a stop already found cannot change the outcome */
	for (uint32_t j = 0; j < k; j++) {
		walk_leaf(rs, phase, w[j].leaf, key, stop, true, res, &w[j]);
		if (w[j].stop < stop)
			stop = w[j].stop;
	}
	for (uint32_t j = 0; j < k; j++) {
		uint32_t d = w[j].decide;
		if (d != PK_RT_NO_RULE && d > stop) {
			struct pk_walk again;
			walk_leaf(rs, phase, w[j].leaf, key, stop, false, res, &again);
			d = again.decide;
		}
		if (d != PK_RT_NO_RULE && (decide == PK_RT_NO_RULE || d > decide))
			decide = d;
	}
	while (res->nmatches && res->matches[res->nmatches - 1] > stop)
		res->nmatches--;
	for (uint32_t j = 0; j < k; j++)
		if (w[j].collect)
			scan_collect(rs, w[j].collect, stop, key, res);
	res->rule = last_merge(rs, w, k, stop, decide, key, res);
}

void pk_rs_classify(const struct pk_rs *rs, enum pk_rt_phase phase, const struct pk_match_pkt *p,
		    struct pk_rs_result *res)
{
	/* the trees read ports and flags a fragment does not show; fragments are rare */
	if ((p->af != PK_AF_INET && p->af != PK_AF_INET6) || p->fragment) {
		pk_rs_classify_trace(rs, phase, p, res, NULL, NULL);
		return;
	}
	result_init(res);
	/* a phase without rules decides nothing: its tree need not be walked */
	if ((unsigned)phase >= PK_PHASE_COUNT || rs->phase_first[phase] == rs->phase_first[phase + 1])
		return;
	const uint32_t *prog = PK_RS_SEC(rs, PROGRAM, uint32_t);
	const uint32_t *entry = prog + phase * 2 + (p->af == PK_AF_INET6), *root = prog + *entry;
	struct pk_key key;
	key_of(p, &key);
	if (pkb_op(*root) == PKB_OP_FORK)
		eval_trees(rs, phase, pkb_fork_targets(root), pkb_operand_b(root), &key, res);
	else
		eval_trees(rs, phase, entry, 1, &key, res);
}
