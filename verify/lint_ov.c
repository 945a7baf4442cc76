/*
 * verify/lint_ov.c: each filter rule's overlapping rules, laid out for one
 * range of rules at a time.
 *
 * The checks walk the rules in order and ask for the overlaps of one rule
 * at a time; on ClassBench-style sets a rule overlaps about a tenth of the
 * others, so listing every rule's overlaps at once grows with the square
 * (100,000 rules: 510M pairs, over 4 GB). The lists of PK_LINT_OV_RANGE
 * consecutive rules are built from the sweeps' index (verify/box_join.c)
 * when a rule of the range is first asked for, and replace the range
 * before; a walk in order builds each range once. Once the checks say
 * which rules they will ask about (most rules of a large set are skipped:
 * match rules, rules behind a quick match rule), only those rules' lists
 * are built; asking for another's lays its range out whole.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/lint_priv.h"

/* Rules whose lists are held at once: with one bit per rule in each row,
 * the rows take PK_LINT_OV_RANGE * nrules / 8 bytes while a range is laid out. */
#define PK_LINT_OV_RANGE 1024u

struct pk_lint_ov {
	struct pk_box_index *ix;
	uint32_t nrules;
	uint32_t lo, hi; /* the range laid out; lo == hi before the first */
	bool *want;  /* per rule: its list is asked for; NULL: every rule's */
	bool whole;       /* the range laid out has every rule's list */
	uint32_t *start; /* per rule of the range, and one past: its list in v */
	uint32_t *v;
	bool *counted; /* per range: its figures are in visited and overlapping */
	unsigned long visited, overlapping;
};

struct pk_ov_rows {
	uint64_t *bits;
	size_t words; /* per row */
	uint32_t lo;
};

static void ov_pair(void *arg, uint32_t a, uint32_t b)
{
	struct pk_ov_rows *m = arg;
	m->bits[(a - m->lo) * m->words + b / 64] |= (uint64_t)1 << (b % 64);
}

/* Each row's bits, ascending, are the rule's list. */
static void lay_out(struct pk_lint_ov *ov, const struct pk_ov_rows *m)
{
	const uint32_t rows = ov->hi - ov->lo;
	ov->start = pk_xcalloc(rows + 1, sizeof(*ov->start));
	size_t total = 0;
	for (uint32_t r = 0; r < rows; r++) {
		ov->start[r] = (uint32_t)total;
		for (size_t w = 0; w < m->words; w++)
			total += (size_t)__builtin_popcountll(m->bits[r * m->words + w]);
	}
	ov->start[rows] = (uint32_t)total;
	ov->v = pk_xcalloc(total + 1, sizeof(*ov->v));
	size_t n = 0;
	for (uint32_t r = 0; r < rows; r++)
		for (size_t w = 0; w < m->words; w++)
			for (uint64_t b = m->bits[r * m->words + w]; b; b &= b - 1)
				ov->v[n++] = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(b));
}

/* The overlaps in the wanted rules' lists of the range, each pair twice
 * (a pair with an unwanted rule is in one list only). */
static unsigned long overlapping(const struct pk_lint_ov *ov)
{
	if (!ov->want)
		return ov->start[ov->hi - ov->lo];
	unsigned long n = 0;
	for (uint32_t r = 0; r < ov->hi - ov->lo; r++)
		for (uint32_t k = ov->start[r]; ov->want[ov->lo + r] && k < ov->start[r + 1]; k++)
			n += ov->want[ov->v[k]] ? 1 : 2;
	return n;
}

/* The range of rule i, with the lists of the wanted rules or (whole) of all. */
static void load(struct pk_lint_ov *ov, uint32_t i, bool whole)
{
	free(ov->start);
	free(ov->v);
	ov->lo = i / PK_LINT_OV_RANGE * PK_LINT_OV_RANGE;
	ov->hi = ov->lo + PK_LINT_OV_RANGE < ov->nrules ? ov->lo + PK_LINT_OV_RANGE : ov->nrules;
	ov->whole = whole || !ov->want;
	struct pk_ov_rows m = {NULL, (ov->nrules + 63) / 64, ov->lo};
	m.bits = pk_xcalloc((size_t)(ov->hi - ov->lo) * m.words + 1, sizeof(uint64_t));
	const unsigned long visited =
		pk_box_index_pairs(ov->ix, ov->lo, ov->hi, ov->whole ? NULL : ov->want, ov_pair, &m);
	lay_out(ov, &m);
	free(m.bits);
	if (!ov->counted[ov->lo / PK_LINT_OV_RANGE]) {
		ov->counted[ov->lo / PK_LINT_OV_RANGE] = true;
		ov->visited += visited;
		ov->overlapping += overlapping(ov);
	}
}

struct pk_lint_ov *pk_lint_ov_new(const struct pk_box *box, const uint32_t *ids, uint32_t n, uint32_t nrules)
{
	struct pk_lint_ov *ov = pk_xcalloc(1, sizeof(*ov));
	ov->ix = pk_box_index_new(box, ids, n);
	ov->nrules = nrules;
	ov->counted = pk_xcalloc(nrules / PK_LINT_OV_RANGE + 1, sizeof(*ov->counted));
	return ov;
}

void pk_lint_ov_free(struct pk_lint_ov *ov)
{
	if (!ov)
		return;
	pk_box_index_free(ov->ix);
	free(ov->start);
	free(ov->v);
	free(ov->counted);
	free(ov->want);
	free(ov);
}

unsigned long pk_lint_ov_count(struct pk_lint_ov *ov, unsigned long *overlapping)
{
	for (uint32_t lo = 0; lo < ov->nrules; lo += PK_LINT_OV_RANGE)
		if (!ov->counted[lo / PK_LINT_OV_RANGE])
			load(ov, lo, false);
	*overlapping = ov->overlapping;
	return ov->visited;
}

struct pk_ov_later {
	bool *met;
};

static void ov_later(void *arg, uint32_t a, uint32_t b)
{
	struct pk_ov_later *l = arg;
	if (b < a)
		l->met[b] = true;
}

/* Only the rules of `of` are swept against the others: no list is laid
 * out, and they are usually few. */
void pk_lint_ov_before(const struct pk_lint_ov *ov, const bool *of, bool *met)
{
	struct pk_box_index *sub = pk_box_index_subset(ov->ix, of);
	struct pk_ov_later l = {met};
	pk_box_index_cross(sub, ov->ix, ov_later, &l);
	pk_box_index_free(sub);
}

void pk_lint_ov_want(struct pk_lint_ov *ov, const bool *want)
{
	free(ov->want);
	ov->want = pk_xcalloc(ov->nrules + 1, sizeof(*ov->want));
	memcpy(ov->want, want, ov->nrules * sizeof(*ov->want));
	ov->lo = ov->hi = 0; /* the range held may miss a list now wanted */
}

struct pk_lint_set pk_lint_neighbours(const struct pk_lint_ctx *x, uint32_t i)
{
	struct pk_lint_ov *ov = x->ov;
	if (i < ov->lo || i >= ov->hi || (!ov->whole && !ov->want[i]))
		load(ov, i, ov->want && !ov->want[i]);
	const uint32_t r = i - ov->lo;
	return (struct pk_lint_set){ov->v + ov->start[r], ov->start[r + 1] - ov->start[r]};
}
