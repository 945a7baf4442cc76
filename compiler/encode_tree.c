/*
 * compiler/encode_tree.c: the evaluation program, a decision tree per
 * phase and address family (runtime/pkb_format.h, docs/bytecode.md).
 *
 * Each rule is projected onto every CUT field as one interval that holds
 * every value the rule can match (its box, runtime/rulebox.h: a wildcard
 * when the field is not a plain interval: negations, tables, `!=`). A node splits its region of
 * the field space at boundaries taken from the rules' interval ends, on
 * the field that shrinks the largest child most without copying rules
 * into children too often, searched (CUT) or, where aligned slots of 2^s
 * values split about as well, indexed (INDEX: one load a visit); a leaf
 * lists every rule whose box meets its region (the filter's non-quick
 * pass/block rules highest first in a LAST, the others in rule order).
 * Testing them therefore gives exactly pf's linear outcome: the rules
 * left out cannot match there.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler/encode_priv.h"
#include "runtime/rulebox.h"
#include "runtime/xalloc.h"

#define PK_TREE_LEAF 8     /* rules a leaf may hold without trying to split */
#define PK_TREE_DEPTH 24
#define PK_TREE_FORK_MIN 64 /* fewer rules than this go in one tree */
#define PK_TREE_BUDGET 12  /* program words per rule a tree may use; shared out to children by size */
#define PK_TREE_FANOUT 64  /* most boundaries per CUT */
#define PK_TREE_SLOTS 256  /* most slots per INDEX */
/* Children may hold at most this many copies of the node's rules. 6
 * rather than 3: wider cuts, a quarter fewer nodes on a lookup's way
 * (100k rules: 19.7 -> 14.1), for a larger program (100k rules: 14% more
 * words, the .pkb 2% larger; 100 rules: 1,543 words instead of 950). */
#define PK_TREE_REPL 6

struct pk_tree {
	struct pk_enc *e;
	uint32_t n;       /* rules of this phase and family */
	uint32_t *rule;   /* their indices in the ruleset, ascending */
	uint64_t *lo, *hi; /* projection: [field * n + i] */
	bool *whole;      /* the box is the whole rule: it matches wherever its box holds the region */
	uint64_t fmax[PKB_FIELD_COUNT];
	bool filter;      /* the filter phase: leaves split into LAST and TESTs */
};

struct pk_region {
	uint64_t lo[PKB_FIELD_COUNT], hi[PKB_FIELD_COUNT];
};

/* A cut: k bounds, searched (CUT) or, when index, every 2^shift values
 * from the region's start (INDEX: the bounds are those of its slots). */
struct pk_cut {
	uint32_t field, k, shift;
	bool index;
	uint64_t first; /* INDEX: the region's first slot */
	uint64_t bounds[PK_TREE_SLOTS - 1 > PK_TREE_FANOUT ? PK_TREE_SLOTS - 1 : PK_TREE_FANOUT];
	uint32_t maxc;
	size_t total;
};

static uint32_t prog_len(const struct pk_enc *e)
{
	return PK_ENC_COUNT(e, PROGRAM);
}

static uint32_t emit(struct pk_enc *e, uint32_t w)
{
	uint32_t pc = prog_len(e);
	*(uint32_t *)PK_ENC_ADD(e, PROGRAM) = w;
	return pc;
}

static void patch(struct pk_enc *e, uint32_t pc, uint32_t w)
{
	((uint32_t *)e->sec[PKB_SEC_PROGRAM].p)[pc] = w;
}

/* Rule i's box (runtime/rulebox.h), stored by field. */
static void tree_project(struct pk_tree *t, uint32_t i, const struct pkb_rule *r, uint8_t af)
{
	const struct pkb_addr *addrs = (const struct pkb_addr *)t->e->sec[PKB_SEC_ADDRS].p;
	uint64_t lo[PKB_FIELD_COUNT], hi[PKB_FIELD_COUNT];
	bool exact = pkb_rule_box(r, addrs, af, lo, hi);
	t->whole[i] = exact && !(r->flags & (PKB_R_IFNEG | PKB_R_FRAGMENT)) &&
		      (!r->tcp_mask || (r->proto && r->proto != 6)) &&
		      r->icmp_type == -1 && r->icmp_code == -1 && r->tos == -1 && !r->tagged && !r->probability &&
		      r->owner == PK_OWNER_ANY && r->rcv_iface == PKB_NONE;
	for (int f = 0; f < PKB_FIELD_COUNT; f++) {
		t->lo[f * (size_t)t->n + i] = lo[f];
		t->hi[f * (size_t)t->n + i] = hi[f];
	}
}

static int u64_cmp(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	return a < b ? -1 : a > b;
}

/* Number of bounds <= v: the child a value falls in, as the runtime computes it. */
static uint32_t child_of(const uint64_t *bounds, uint32_t k, uint64_t v)
{
	uint32_t lo = 0, hi = k;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (bounds[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The child of cut c a value falls in: for an INDEX, its slot counted
 * from the region's first, as the bounds would give it without a search. */
static uint32_t cut_child(const struct pk_cut *c, uint64_t v)
{
	if (!c->index)
		return child_of(c->bounds, c->k, v);
	uint64_t slot = v >> c->shift;
	if (slot <= c->first)
		return 0;
	return slot - c->first >= c->k ? c->k : (uint32_t)(slot - c->first);
}

static void cut_measure(const struct pk_tree *t, const uint32_t *ids, uint32_t n, struct pk_cut *c,
			uint32_t *count)
{
	memset(count, 0, (c->k + 2) * sizeof(*count));
	const uint64_t *lo = t->lo + (size_t)c->field * t->n, *hi = t->hi + (size_t)c->field * t->n;
	for (uint32_t i = 0; i < n; i++) {
		count[cut_child(c, lo[ids[i]])]++;
		count[cut_child(c, hi[ids[i]]) + 1]--;
	}
	c->maxc = 0;
	c->total = 0;
	int64_t run = 0;
	for (uint32_t j = 0; j <= c->k; j++) {
		run += (int32_t)count[j];
		c->total += (size_t)run;
		if ((uint32_t)run > c->maxc)
			c->maxc = (uint32_t)run;
	}
}

/* The best cut on one field, or maxc == UINT32_MAX when it has none. */
static void cut_field(const struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
		      uint32_t f, uint64_t *pts, uint32_t *count, struct pk_cut *best)
{
	const uint64_t *lo = t->lo + (size_t)f * t->n, *hi = t->hi + (size_t)f * t->n;
	uint32_t np = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t a = lo[ids[i]], b = hi[ids[i]];
		if (a > rg->lo[f])
			pts[np++] = a;
		if (b < rg->hi[f])
			pts[np++] = b + 1;
	}
	best->maxc = UINT32_MAX;
	if (!np)
		return;
	qsort(pts, np, sizeof(*pts), u64_cmp);
	uint32_t u = 1;
	for (uint32_t i = 1; i < np; i++)
		if (pts[i] != pts[u - 1])
			pts[u++] = pts[i];
	for (uint32_t k = u < PK_TREE_FANOUT ? u : PK_TREE_FANOUT; k >= 1; k /= 2) {
		best->field = f;
		best->k = k;
		best->index = false;
		for (uint32_t j = 0; j < k; j++)
			best->bounds[j] = pts[(uint64_t)(j + 1) * u / (k + 1)];
		cut_measure(t, ids, n, best, count);
		if (best->total <= (size_t)PK_TREE_REPL * n + k)
			return;
	}
	best->maxc = UINT32_MAX;
}

/* Make c the INDEX of its field's region in slots of 2^shift values. */
static void index_slots(const struct pk_region *rg, uint32_t shift, struct pk_cut *c)
{
	uint64_t lo = rg->lo[c->field], hi = rg->hi[c->field];
	c->index = true;
	c->shift = shift;
	c->first = lo >> shift;
	c->k = (uint32_t)((hi >> shift) - c->first);
	for (uint32_t j = 0; j < c->k; j++)
		c->bounds[j] = (c->first + j + 1) << shift;
}

/* The best INDEX on one field: the most slots (of 2^shift values,
 * aligned, so an address prefix falls in one or covers whole slots) whose
 * children copy the rules at most PK_TREE_REPL times; maxc == UINT32_MAX
 * when none does. */
static void index_field(const struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
			uint32_t f, uint32_t *count, struct pk_cut *best)
{
	uint64_t lo = rg->lo[f], hi = rg->hi[f];
	uint32_t shift = 0;
	best->field = f;
	for (uint32_t slots = PK_TREE_SLOTS; slots >= 2 && lo < hi; slots /= 2) {
		while ((hi >> shift) - (lo >> shift) >= slots)
			shift++;
		index_slots(rg, shift, best);
		cut_measure(t, ids, n, best, count);
		if (best->total <= (size_t)PK_TREE_REPL * n + best->k)
			return;
	}
	best->maxc = UINT32_MAX;
}

/* Whether cut a splits better than b: a smaller largest child, then fewer
 * copies; but an INDEX before a CUT whose largest child and copies are
 * at most a quarter smaller, as it costs one load a visit instead of a
 * search (a quarter: 100k rules 5% faster than none, a half 12% slower). */
static bool cut_better(const struct pk_cut *a, const struct pk_cut *b)
{
	if (a->maxc == UINT32_MAX || b->maxc == UINT32_MAX)
		return a->maxc < b->maxc; /* b none yet: any cut is better */
	if (a->index != b->index) {
		const struct pk_cut *x = a->index ? a : b, *y = a->index ? b : a;
		if (x->maxc <= y->maxc + y->maxc / 4 && x->total <= y->total + y->total / 4)
			return a->index;
	}
	if (a->maxc != b->maxc)
		return a->maxc < b->maxc;
	return a->total < b->total;
}

/* A CUT whose bounds all lie on a multiple of 2^s, for a region of at
 * most PK_TREE_SLOTS slots of 2^s values, becomes the INDEX of those slots:
 * the same split or a finer one, read with one load instead of a search.
 * Its measures stay the cut's: adjacent slots with the same rules share a
 * subtree, so the budget is shared out as for the cut. */
static void cut_to_index(const struct pk_region *rg, struct pk_cut *c)
{
	uint64_t lo = rg->lo[c->field], hi = rg->hi[c->field], any = 0;
	for (uint32_t j = 0; j < c->k; j++)
		any |= c->bounds[j];
	uint32_t shift = (uint32_t)__builtin_ctzll(any); /* bounds lie above lo >= 0: any != 0 */
	if ((hi >> shift) - (lo >> shift) >= PK_TREE_SLOTS)
		return;
	index_slots(rg, shift, c);
}

static int choose_cut(const struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
		      struct pk_cut *out)
{
	uint64_t *pts = pk_xmalloc(2 * (size_t)n * sizeof(*pts));
	uint32_t *count = pk_xmalloc((PK_TREE_SLOTS + 2) * sizeof(*count));
	struct pk_cut *c = pk_xmalloc(sizeof(*c));
	out->maxc = UINT32_MAX;
	for (uint32_t f = 0; f < PKB_FIELD_COUNT; f++) {
		cut_field(t, ids, n, rg, f, pts, count, c);
		if (cut_better(c, out))
			*out = *c;
		index_field(t, ids, n, rg, f, count, c);
		if (cut_better(c, out))
			*out = *c;
	}
	if (out->maxc != UINT32_MAX && !out->index)
		cut_to_index(rg, out);
	free(c);
	free(pts);
	free(count);
	return out->maxc < n ? 0 : -1;
}

/* Where a leaf lists a rule: non-quick pass and block rules in the LAST
 * (tested highest first, the first match decides), non-quick match rules
 * in the COLLECT, the others (quick rules, other phases) as TESTs. */
static enum pkb_op leaf_op(const struct pk_tree *t, uint32_t id)
{
	const struct pkb_rule *r = &((const struct pkb_rule *)t->e->sec[PKB_SEC_RULES].p)[t->rule[id]];
	if (!t->filter || (r->flags & PKB_R_QUICK))
		return PKB_OP_TEST;
	return r->action == PK_ACT_MATCH ? PKB_OP_COLLECT : PKB_OP_LAST;
}

/* Rule id matches every packet in the region: its box is the whole rule
 * and holds the region. */
static bool sure(const struct pk_tree *t, uint32_t id, const struct pk_region *rg)
{
	if (!t->whole[id])
		return false;
	for (uint32_t f = 0; f < PKB_FIELD_COUNT; f++)
		if (t->lo[f * (size_t)t->n + id] > rg->lo[f] || t->hi[f * (size_t)t->n + id] < rg->hi[f])
			return false;
	return true;
}

/* A list entry's marks: sure in the region, or a `flags S/SA` TCP rule. */
static uint32_t entry_marks(const struct pk_tree *t, uint32_t id, const struct pk_region *rg)
{
	const struct pkb_rule *r = &((const struct pkb_rule *)t->e->sec[PKB_SEC_RULES].p)[t->rule[id]];
	if (sure(t, id, rg))
		return PKB_SURE;
	return r->proto == 6 && r->tcp_mask == 0x12 && r->tcp_flags == 0x02 ? PKB_SYN : 0;
}

/* A LAST (descending) or COLLECT (ascending) of the leaf's rules it takes
 * up to cap, the sure ones marked. */
static void emit_list(struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
		      enum pkb_op op, uint32_t cap)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		k += leaf_op(t, ids[i]) == op && t->rule[ids[i]] < cap;
	if (!k)
		return;
	emit(t->e, pkb_word(op, k));
	for (uint32_t j = 0; j < n; j++) {
		uint32_t i = op == PKB_OP_LAST ? n - 1 - j : j;
		if (leaf_op(t, ids[i]) == op && t->rule[ids[i]] < cap)
			emit(t->e, t->rule[ids[i]] | entry_marks(t, ids[i], rg));
	}
}

/* [LAST] [COLLECT] TESTs in rule order; END. A sure TEST (APPLY) stops
 * every packet there: the TESTs after it and the list rules above it
 * are never reached, so they are left out. */
static void emit_leaf(struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg)
{
	uint32_t cap = UINT32_MAX, tests = n;
	for (uint32_t i = 0; i < n && cap == UINT32_MAX; i++)
		if (leaf_op(t, ids[i]) == PKB_OP_TEST && sure(t, ids[i], rg)) {
			cap = t->rule[ids[i]];
			tests = i + 1;
		}
	emit_list(t, ids, n, rg, PKB_OP_LAST, cap);
	emit_list(t, ids, n, rg, PKB_OP_COLLECT, cap);
	static const enum pkb_op test_op[] = {[0] = PKB_OP_TEST, [PKB_SURE >> 30] = PKB_OP_APPLY,
					      [PKB_SYN >> 30] = PKB_OP_TESTSYN};
	for (uint32_t i = 0; i < tests; i++)
		if (leaf_op(t, ids[i]) == PKB_OP_TEST)
			emit(t->e, pkb_word(test_op[entry_marks(t, ids[i], rg) >> 30], t->rule[ids[i]]));
	emit(t->e, pkb_word(PKB_OP_END, 0));
}

static void emit_node(struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
		      int depth, size_t budget);

/* The children of cut c each rule meets, first and last: span[2i], span[2i + 1]. */
static uint32_t *child_spans(const struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_cut *c)
{
	const uint64_t *lo = t->lo + (size_t)c->field * t->n, *hi = t->hi + (size_t)c->field * t->n;
	uint32_t *span = pk_xmalloc(2 * ((size_t)n + 1) * sizeof(*span));
	for (uint32_t i = 0; i < n; i++) {
		span[2 * i] = cut_child(c, lo[ids[i]]);
		span[2 * i + 1] = cut_child(c, hi[ids[i]]);
	}
	return span;
}

/* The rules of child j, in rule order. */
static uint32_t child_rules(const uint32_t *ids, uint32_t n, const uint32_t *span, uint32_t j, uint32_t *out)
{
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++)
		if (span[2 * i] <= j && span[2 * i + 1] >= j)
			out[m++] = ids[i];
	return m;
}

/* Children with the same rules share one subtree (still forward), built
 * for the union of their regions, which are adjacent. Each subtree may use
 * a share of what is left of the node's budget in proportion to its
 * rules, so no subtree starves the others. */
static void emit_cut(struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
		     const struct pk_cut *c, int depth, size_t budget)
{
	/* bounds sorted: the last one says whether they all fit 32 bits */
	bool narrow = c->bounds[c->k - 1] <= UINT32_MAX;
	size_t words = c->index ? 4 + (size_t)c->k + 1 : 2 + (narrow ? 2 : 3) * (size_t)c->k + 1;
	size_t share = budget > words ? budget - words : 0;
	struct pk_enc *e = t->e;
	if (c->index) {
		emit(e, pkb_word(PKB_OP_INDEX, c->field));
		emit(e, pkb_slots_word(c->k + 1, c->shift));
		emit(e, (uint32_t)c->first);
		emit(e, (uint32_t)(c->first >> 32));
	} else {
		emit(e, pkb_word(narrow ? PKB_OP_CUT32 : PKB_OP_CUT, c->field));
		emit(e, c->k);
		for (uint32_t j = 0; j < c->k; j++) {
			emit(e, (uint32_t)c->bounds[j]);
			if (!narrow)
				emit(e, (uint32_t)(c->bounds[j] >> 32));
		}
	}
	uint32_t targets = prog_len(e);
	for (uint32_t j = 0; j <= c->k; j++)
		emit(e, 0);
	uint32_t *cur = pk_xmalloc(((size_t)n + 1) * sizeof(*cur)), *next = pk_xmalloc(((size_t)n + 1) * sizeof(*next));
	uint32_t *span = child_spans(t, ids, n, c);
	uint32_t m = child_rules(ids, n, span, 0, cur), mnext = 0;
	for (uint32_t j = 0, end; j <= c->k; j = end + 1) {
		for (end = j; end < c->k; end++) {
			mnext = child_rules(ids, n, span, end + 1, next);
			if (mnext != m || memcmp(cur, next, m * sizeof(*cur)))
				break;
		}
		struct pk_region sub = *rg;
		sub.lo[c->field] = j ? c->bounds[j - 1] : rg->lo[c->field];
		sub.hi[c->field] = end < c->k ? c->bounds[end] - 1 : rg->hi[c->field];
		for (uint32_t i = j; i <= end; i++)
			patch(e, targets + i, prog_len(e));
		emit_node(t, cur, m, &sub, depth + 1, (size_t)((double)share * m / (double)c->total));
		uint32_t *swap = cur;
		cur = next;
		next = swap;
		m = mnext;
	}
	free(span);
	free(cur);
	free(next);
}

static void emit_node(struct pk_tree *t, const uint32_t *ids, uint32_t n, const struct pk_region *rg,
		      int depth, size_t budget)
{
	struct pk_cut c;
	if (n <= PK_TREE_LEAF || depth >= PK_TREE_DEPTH || budget < (size_t)n + 8 ||
	    choose_cut(t, ids, n, rg, &c)) {
		emit_leaf(t, ids, n, rg);
		return;
	}
	emit_cut(t, ids, n, rg, &c, depth, budget);
}

/* Rules that are wildcards in a field would be copied into every child of
 * a cut on it; so rules are first grouped by which of these fields they
 * pin down, and each group gets its own tree (EffiCuts' separation). */
static const uint32_t pk_group_fields[] = {PKB_FIELD_SRC, PKB_FIELD_DST};
#define PK_NGROUPS (1u << (sizeof(pk_group_fields) / sizeof(pk_group_fields[0])))
_Static_assert(PK_NGROUPS <= PKB_MAX_FORK, "a FORK holds one tree per group");

static uint32_t group_of(const struct pk_tree *t, uint32_t i)
{
	uint32_t key = 0;
	for (uint32_t k = 0; k < sizeof(pk_group_fields) / sizeof(pk_group_fields[0]); k++) {
		size_t at = (size_t)pk_group_fields[k] * t->n + i;
		if (t->lo[at] != 0 || t->hi[at] != t->fmax[pk_group_fields[k]])
			key |= 1u << k;
	}
	return key;
}

/* One tree per non-empty group, under a FORK when there are several. */
static uint32_t emit_groups(struct pk_tree *t)
{
	uint32_t count[PK_NGROUPS] = {0}, first[PK_NGROUPS + 1], ngroups = 0;
	uint32_t *key = pk_xmalloc((size_t)t->n * sizeof(*key)), *ids = pk_xmalloc((size_t)t->n * sizeof(*ids));
	for (uint32_t i = 0; i < t->n; i++)
		count[key[i] = t->n < PK_TREE_FORK_MIN ? 0 : group_of(t, i)]++;
	first[0] = 0;
	for (uint32_t g = 0; g < PK_NGROUPS; g++) {
		first[g + 1] = first[g] + count[g];
		ngroups += count[g] != 0;
	}
	uint32_t fill[PK_NGROUPS];
	memcpy(fill, first, sizeof(fill));
	for (uint32_t i = 0; i < t->n; i++)
		ids[fill[key[i]]++] = i;
	struct pk_region rg;
	for (int f = 0; f < PKB_FIELD_COUNT; f++) {
		rg.lo[f] = 0;
		rg.hi[f] = t->fmax[f];
	}
	uint32_t root = prog_len(t->e), targets = 0;
	if (ngroups > 1) {
		emit(t->e, pkb_word(PKB_OP_FORK, 0));
		emit(t->e, ngroups);
		targets = prog_len(t->e);
		for (uint32_t g = 0; g < ngroups; g++)
			emit(t->e, 0);
	}
	for (uint32_t g = 0; g < PK_NGROUPS; g++) {
		if (!count[g])
			continue;
		if (ngroups > 1)
			patch(t->e, targets++, prog_len(t->e));
		/* the rules pinning neither address are copied into the most
		 * children: that tree may use the budget of the whole phase */
		size_t budget = (size_t)PK_TREE_BUDGET * (g ? count[g] : t->n) + 1024;
		emit_node(t, ids + first[g], count[g], &rg, 0, budget);
	}
	free(key);
	free(ids);
	return root;
}

static uint32_t emit_phase(struct pk_enc *e, enum pk_rt_phase phase, uint8_t af)
{
	const struct pkb_rule *rules = (const struct pkb_rule *)e->sec[PKB_SEC_RULES].p;
	uint32_t nrules = PK_ENC_COUNT(e, RULES);
	struct pk_tree t = {.e = e, .filter = phase == PK_PHASE_FILTER};
	t.rule = pk_xmalloc(((size_t)nrules + 1) * sizeof(*t.rule));
	for (uint32_t i = 0; i < nrules; i++)
		if (pkb_phase_of(rules[i].action) == phase && (!rules[i].af || rules[i].af == af))
			t.rule[t.n++] = i;
	if (!t.n) {
		free(t.rule);
		return PKB_ENTRIES; /* the END every program starts with */
	}
	for (uint32_t f = 0; f < PKB_FIELD_COUNT; f++)
		t.fmax[f] = pkb_field_max(af, f);
	t.lo = pk_xmalloc((size_t)t.n * PKB_FIELD_COUNT * sizeof(*t.lo));
	t.hi = pk_xmalloc((size_t)t.n * PKB_FIELD_COUNT * sizeof(*t.hi));
	t.whole = pk_xmalloc((size_t)t.n * sizeof(*t.whole));
	for (uint32_t i = 0; i < t.n; i++)
		tree_project(&t, i, &rules[t.rule[i]], af);
	uint32_t root = emit_groups(&t);
	free(t.lo);
	free(t.hi);
	free(t.whole);
	free(t.rule);
	return root;
}

int pk_enc_program(struct pk_enc *e)
{
	if (PK_ENC_COUNT(e, RULES) > PKB_MAX_OPERAND_A) {
		pk_error(e->d, &(struct pk_loc){0}, "%u rules: a compiled ruleset holds at most %u",
			 PK_ENC_COUNT(e, RULES), PKB_MAX_OPERAND_A);
		return -1;
	}
	for (int i = 0; i < PKB_ENTRIES; i++)
		emit(e, 0);
	emit(e, pkb_word(PKB_OP_END, 0));
	for (int p = 0; p < PK_PHASE_COUNT; p++)
		for (int v6 = 0; v6 < 2; v6++)
			patch(e, (uint32_t)(p * 2 + v6), emit_phase(e, (enum pk_rt_phase)p, v6 ? PK_AF_INET6 : PK_AF_INET));
	if (PK_ENC_COUNT(e, PROGRAM) >= (1u << 31)) {
		pk_error(e->d, &(struct pk_loc){0}, "the evaluation program outgrew the file format (%u words)",
			 PK_ENC_COUNT(e, PROGRAM));
		return -1;
	}
	return 0;
}
