/*
 * verify/box_join.c: the pairs of overlapping boxes, found by sweeps over
 * address intervals instead of testing every pair.
 *
 * Two boxes meet only where both their destination and their source
 * intervals meet. Boxes fall in three groups: D, a narrower destination
 * than any; S, any destination but a narrower source; A, any address on
 * both sides. D with D is swept on the destination, S with S and D with S
 * on the source: with intervals sorted by their start, a pair meets when
 * one starts inside the other, so each sweep visits exactly the pairs
 * meeting on its dimension. A meets every box on addresses and is swept
 * against all on the destination port. Only visited pairs get the full overlap test; empty boxes
 * overlap nothing and are left out. The pairs are asked for by ranges of
 * rules, so a caller holds the lists of one range at a time, never all
 * pairs (a large rule set has hundreds of millions).
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/box.h"

/* A copy of the box rides with its key, so sweeps read boxes in order. */
struct pk_join_key {
	pk_u128 lo, hi;
	uint32_t id;
	struct pk_box box;
};

struct pk_join_set {
	struct pk_join_key *k;
	uint32_t n;
};

struct pk_join {
	pk_box_pair_fn *emit;
	void *arg;
	bool before; /* only the pairs whose b comes before a */
	unsigned long visited;
};

static int key_cmp(const void *a, const void *b)
{
	const struct pk_join_key *x = a, *y = b;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void test(struct pk_join *j, const struct pk_join_key *a, const struct pk_join_key *b)
{
	if (a->id == b->id || (j->before && b->id > a->id))
		return;
	j->visited++;
	/* the index interns interface names: other pointers, other names */
	if (a->box.ifname && b->box.ifname && a->box.ifname != b->box.ifname)
		return;
	if (pk_box_overlap(&a->box, &b->box))
		j->emit(j->arg, a->id, b->id);
}

/* Pairs of p x q whose intervals meet: q starting inside p (at or after
 * p's start), or p starting inside q (strictly after q's start). Both are
 * sorted by their start, so where each run begins only moves forward. */
static void cross_join(struct pk_join *j, const struct pk_join_set *p, const struct pk_join_set *q)
{
	uint32_t from = 0;
	for (uint32_t a = 0; a < p->n; a++) {
		while (from < q->n && q->k[from].lo < p->k[a].lo)
			from++;
		for (uint32_t b = from; b < q->n && q->k[b].lo <= p->k[a].hi; b++)
			test(j, &p->k[a], &q->k[b]);
	}
	from = 0;
	for (uint32_t b = 0; b < q->n; b++) {
		while (from < p->n && p->k[from].lo <= q->k[b].lo)
			from++;
		for (uint32_t a = from; a < p->n && p->k[a].lo <= q->k[b].hi; a++)
			test(j, &p->k[a], &q->k[b]);
	}
}

static void add(struct pk_join_set *s, pk_u128 lo, pk_u128 hi, uint32_t id, const struct pk_box *b)
{
	assert(lo <= hi); /* empty boxes were left out: the sweeps need real intervals */
	s->k[s->n++] = (struct pk_join_key){lo, hi, id, *b};
}

static bool full(pk_u128 lo, pk_u128 hi)
{
	return lo == 0 && hi == ~(pk_u128)0;
}

struct pk_box_index {
	struct pk_join_set d, ds, s; /* the sweeps' sets, sorted by their start */
	/* A and the others (D and S) keyed on the destination port, which A's
	 * boxes meet only where it meets theirs */
	struct pk_join_set all, port;
};

/* Interface names, one pointer per name (open addressing, at most half full). */
struct pk_names {
	const char **slot;
	size_t mask;
};

static const char *intern(struct pk_names *t, const char *s)
{
	if (!s)
		return NULL;
	size_t h = 5381;
	for (const char *p = s; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (size_t k = h & t->mask;; k = (k + 1) & t->mask) {
		if (!t->slot[k])
			return t->slot[k] = s;
		if (t->slot[k] == s || !strcmp(t->slot[k], s))
			return t->slot[k];
	}
}

struct pk_box_index *pk_box_index_new(const struct pk_box *box, const uint32_t *ids, uint32_t n)
{
	struct pk_names names = {NULL, 1};
	while (names.mask < 2 * (size_t)n + 1)
		names.mask = names.mask * 2 + 1;
	names.slot = pk_xcalloc(names.mask + 1, sizeof(*names.slot));
	struct pk_box_index *ix = pk_xcalloc(1, sizeof(*ix));
	struct pk_join_set *sets[5] = {&ix->d, &ix->ds, &ix->s, &ix->all, &ix->port};
	for (int k = 0; k < 5; k++)
		sets[k]->k = pk_xcalloc(n + 1, sizeof(*sets[k]->k));
	for (uint32_t a = 0; a < n; a++) {
		if (box[ids[a]].empty)
			continue;
		struct pk_box copy = box[ids[a]];
		copy.ifname = intern(&names, copy.ifname);
		const struct pk_box *b = &copy;
		if (!full(b->dst_lo, b->dst_hi)) {
			add(&ix->d, b->dst_lo, b->dst_hi, ids[a], b);
			add(&ix->ds, b->src_lo, b->src_hi, ids[a], b);
		} else if (!full(b->src_lo, b->src_hi)) {
			add(&ix->s, b->src_lo, b->src_hi, ids[a], b);
		} else {
			add(&ix->all, b->dport_lo, b->dport_hi, ids[a], b);
			continue;
		}
		add(&ix->port, b->dport_lo, b->dport_hi, ids[a], b);
	}
	free(names.slot);
	for (int k = 0; k < 5; k++)
		qsort(sets[k]->k, sets[k]->n, sizeof(*sets[k]->k), key_cmp);
	return ix;
}

void pk_box_index_free(struct pk_box_index *ix)
{
	if (!ix)
		return;
	free(ix->d.k);
	free(ix->ds.k);
	free(ix->s.k);
	free(ix->all.k);
	free(ix->port.k);
	free(ix);
}

/* The keys of s whose rule is in [lo, hi) and kept (all when keep is
 * NULL), in s's order. */
static void part(const struct pk_join_set *s, uint32_t lo, uint32_t hi, const bool *keep, struct pk_join_set *out)
{
	uint32_t n = 0;
	for (uint32_t a = 0; a < s->n; a++)
		n += s->k[a].id >= lo && s->k[a].id < hi && (!keep || keep[s->k[a].id]);
	out->k = pk_xcalloc(n + 1, sizeof(*out->k)); /* a part is often small: sized, not s->n */
	out->n = 0;
	for (uint32_t a = 0; a < s->n; a++)
		if (s->k[a].id >= lo && s->k[a].id < hi && (!keep || keep[s->k[a].id]))
			out->k[out->n++] = s->k[a];
}

static struct pk_box_index *part_index(const struct pk_box_index *ix, uint32_t lo, uint32_t hi, const bool *keep)
{
	struct pk_box_index *p = pk_xcalloc(1, sizeof(*p));
	part(&ix->d, lo, hi, keep, &p->d);
	part(&ix->ds, lo, hi, keep, &p->ds);
	part(&ix->s, lo, hi, keep, &p->s);
	part(&ix->all, lo, hi, keep, &p->all);
	part(&ix->port, lo, hi, keep, &p->port);
	return p;
}

struct pk_box_index *pk_box_index_subset(const struct pk_box_index *ix, const bool *keep)
{
	return part_index(ix, 0, UINT32_MAX, keep);
}

/* A box meets another only where their groups' intervals meet (see the
 * head of the file); each ordered pair (a of p, b of ix) is reached by
 * exactly one of these sweeps, and test() skips a box against itself. */
unsigned long pk_box_index_cross(const struct pk_box_index *p, const struct pk_box_index *ix, bool before,
				 pk_box_pair_fn *emit, void *arg)
{
	struct pk_join j = {emit, arg, before, 0};
	cross_join(&j, &p->d, &ix->d);
	cross_join(&j, &p->ds, &ix->s);
	cross_join(&j, &p->s, &ix->ds);
	cross_join(&j, &p->s, &ix->s);
	cross_join(&j, &p->all, &ix->all);
	cross_join(&j, &p->all, &ix->port);
	cross_join(&j, &p->port, &ix->all);
	return j.visited;
}

unsigned long pk_box_index_pairs(const struct pk_box_index *ix, uint32_t lo, uint32_t hi, const bool *keep,
				 const struct pk_box_index *with, bool before, pk_box_pair_fn *emit, void *arg)
{
	struct pk_box_index *p = part_index(ix, lo, hi, keep);
	/* with before, the rules of `with` from hi on pair with none of p's */
	struct pk_box_index *w = before ? part_index(with, 0, hi, NULL) : NULL;
	const unsigned long visited = pk_box_index_cross(p, w ? w : with, before, emit, arg);
	pk_box_index_free(p);
	pk_box_index_free(w);
	return visited;
}
