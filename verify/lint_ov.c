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
 * are built; another's is built alone when asked for. A quick rule's
 * packets can only be taken by earlier quick rules: its list of those
 * (pk_lint_ov_takers) sweeps against them alone, a fraction of the pairs.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/lint_priv.h"

/* Rules whose lists are held at once: with one bit per rule in each row,
 * the rows take PK_LINT_OV_RANGE * nrules / 8 bytes while a range is laid out. */
#define PK_LINT_OV_RANGE 1024u

struct pk_lint_ov {
	struct pk_box_index *ix;   /* the rules whose lists are asked for */
	struct pk_box_index *with; /* the rules listed; NULL: ix's */
	bool before;               /* only the rules before each one are listed */
	uint32_t nrules;
	uint32_t lo, hi; /* the range laid out; lo == hi before the first */
	bool *want;  /* per rule: its list is asked for; NULL: every rule's */
	uint32_t *start; /* per rule of the range, and one past: its list in v */
	uint32_t *v;
	uint32_t one;  /* the unwanted rule whose list is in one_v, or UINT32_MAX */
	uint32_t *one_v, one_n;
	bool *counted; /* per range: its overlaps are in overlapping */
	unsigned long visited, overlapping;
};

/* A row of bits per wanted rule of the range: the unwanted ones' would
 * stay empty, and most rules of a large set are not wanted. */
struct pk_ov_rows {
	uint64_t *bits;
	size_t words; /* per row */
	uint32_t lo;
	uint32_t *row; /* per rule of the range: its row, or UINT32_MAX */
};

static void ov_pair(void *arg, uint32_t a, uint32_t b)
{
	struct pk_ov_rows *m = arg;
	m->bits[m->row[a - m->lo] * m->words + b / 64] |= (uint64_t)1 << (b % 64);
}

/* The rows of the wanted rules of [lo, hi) (all when none are named). */
static void rows_new(struct pk_ov_rows *m, const bool *want, uint32_t lo, uint32_t hi, uint32_t nrules)
{
	size_t n = 0;
	m->words = (nrules + 63) / 64;
	m->lo = lo;
	m->row = pk_xcalloc(hi - lo + 1, sizeof(*m->row));
	for (uint32_t i = lo; i < hi; i++)
		m->row[i - lo] = !want || want[i] ? (uint32_t)n++ : UINT32_MAX;
	m->bits = pk_xcalloc(n * m->words + 1, sizeof(*m->bits));
}

static void rows_free(struct pk_ov_rows *m)
{
	free(m->bits);
	free(m->row);
}

/* The words of row r that can hold bits: none when its rule is not
 * wanted, and with lists of earlier rules none past its rule's. */
static size_t row_words(const struct pk_lint_ov *ov, const struct pk_ov_rows *m, uint32_t r)
{
	if (m->row[r] == UINT32_MAX)
		return 0;
	return ov->before ? (ov->lo + r) / 64 + 1 : m->words;
}

/* Each row's bits, ascending, are the rule's list. */
static void lay_out(struct pk_lint_ov *ov, const struct pk_ov_rows *m)
{
	const uint32_t rows = ov->hi - ov->lo;
	ov->start = pk_xcalloc(rows + 1, sizeof(*ov->start));
	size_t total = 0;
	for (uint32_t r = 0; r < rows; r++) {
		ov->start[r] = (uint32_t)total;
		for (size_t w = 0; w < row_words(ov, m, r); w++)
			total += (size_t)__builtin_popcountll(m->bits[m->row[r] * m->words + w]);
	}
	ov->start[rows] = (uint32_t)total;
	ov->v = pk_xcalloc(total + 1, sizeof(*ov->v));
	size_t n = 0;
	for (uint32_t r = 0; r < rows; r++)
		for (size_t w = 0; w < row_words(ov, m, r); w++)
			for (uint64_t b = m->bits[m->row[r] * m->words + w]; b; b &= b - 1)
				ov->v[n++] = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(b));
}

/* The overlaps in the wanted rules' lists of the range, each pair twice
 * (a pair with an unwanted rule is in one list only). */
static unsigned long overlapping(const struct pk_lint_ov *ov)
{
	if (ov->before)
		return 2ul * ov->start[ov->hi - ov->lo]; /* a pair is in the later rule's list only */
	if (!ov->want)
		return ov->start[ov->hi - ov->lo];
	unsigned long n = 0;
	for (uint32_t r = 0; r < ov->hi - ov->lo; r++)
		for (uint32_t k = ov->start[r]; ov->want[ov->lo + r] && k < ov->start[r + 1]; k++)
			n += ov->want[ov->v[k]] ? 1 : 2;
	return n;
}

/* The range of rule i, with the lists of the wanted rules (of all when
 * none are named). */
static void load(struct pk_lint_ov *ov, uint32_t i)
{
	free(ov->start);
	free(ov->v);
	ov->lo = i / PK_LINT_OV_RANGE * PK_LINT_OV_RANGE;
	ov->hi = ov->lo + PK_LINT_OV_RANGE < ov->nrules ? ov->lo + PK_LINT_OV_RANGE : ov->nrules;
	struct pk_ov_rows m;
	rows_new(&m, ov->want, ov->lo, ov->hi, ov->nrules);
	const unsigned long visited =
		pk_box_index_pairs(ov->ix, ov->lo, ov->hi, ov->want, ov->with ? ov->with : ov->ix,
				   ov->before, ov_pair, &m);
	lay_out(ov, &m);
	rows_free(&m);
	ov->visited += visited;
	if (!ov->counted[ov->lo / PK_LINT_OV_RANGE]) {
		ov->counted[ov->lo / PK_LINT_OV_RANGE] = true;
		ov->overlapping += overlapping(ov);
	}
}

/* The list of a rule the checks did not say they would ask about (a few
 * do), beside the range held: laying its range out whole costs a thousand
 * lists. */
static void load_one(struct pk_lint_ov *ov, uint32_t i)
{
	struct pk_ov_rows m;
	rows_new(&m, NULL, i, i + 1, ov->nrules);
	ov->visited += pk_box_index_pairs(ov->ix, i, i + 1, NULL, ov->with ? ov->with : ov->ix, ov->before, ov_pair, &m);
	size_t n = 0;
	for (size_t w = 0; w < m.words; w++)
		n += (size_t)__builtin_popcountll(m.bits[w]);
	free(ov->one_v);
	ov->one_v = pk_xcalloc(n + 1, sizeof(*ov->one_v));
	ov->one_n = 0;
	for (size_t w = 0; w < m.words; w++)
		for (uint64_t b = m.bits[w]; b; b &= b - 1)
			ov->one_v[ov->one_n++] = (uint32_t)(w * 64 + (unsigned)__builtin_ctzll(b));
	ov->one = i;
	rows_free(&m);
}

struct pk_lint_ov *pk_lint_ov_new(const struct pk_box *box, const uint32_t *ids, uint32_t n, uint32_t nrules)
{
	struct pk_lint_ov *ov = pk_xcalloc(1, sizeof(*ov));
	ov->ix = pk_box_index_new(box, ids, n);
	ov->nrules = nrules;
	ov->counted = pk_xcalloc(nrules / PK_LINT_OV_RANGE + 1, sizeof(*ov->counted));
	ov->one = UINT32_MAX;
	return ov;
}

struct pk_lint_ov *pk_lint_ov_takers(const struct pk_lint_ov *all, const bool *takers, const bool *want)
{
	struct pk_lint_ov *ov = pk_xcalloc(1, sizeof(*ov));
	ov->ix = pk_box_index_subset(all->ix, want);
	ov->with = pk_box_index_subset(all->ix, takers);
	ov->before = true;
	ov->nrules = all->nrules;
	ov->counted = pk_xcalloc(ov->nrules / PK_LINT_OV_RANGE + 1, sizeof(*ov->counted));
	ov->one = UINT32_MAX;
	pk_lint_ov_want(ov, want);
	return ov;
}

void pk_lint_ov_free(struct pk_lint_ov *ov)
{
	if (!ov)
		return;
	pk_box_index_free(ov->ix);
	pk_box_index_free(ov->with);
	free(ov->start);
	free(ov->v);
	free(ov->counted);
	free(ov->one_v);
	free(ov->want);
	free(ov);
}

unsigned long pk_lint_ov_count(const struct pk_lint_ov *ov, unsigned long *overlapping)
{
	*overlapping = ov->overlapping;
	return ov->visited;
}

static void mark_second(void *arg, uint32_t a, uint32_t b)
{
	bool *met = arg;
	(void)a;
	met[b] = true;
}

/* Only the rules of `of` are swept against the others: no list is laid
 * out, and they are usually few. */
void pk_lint_ov_before(const struct pk_lint_ov *ov, const bool *of, bool *met)
{
	struct pk_box_index *sub = pk_box_index_subset(ov->ix, of);
	pk_box_index_cross(sub, ov->ix, true, mark_second, met);
	pk_box_index_free(sub);
}

static void mark_first(void *arg, uint32_t a, uint32_t b)
{
	bool *met = arg;
	(void)b;
	met[a] = true;
}

void pk_lint_ov_near(const struct pk_lint_ov *ov, const bool *of, const bool *to, bool *met)
{
	struct pk_box_index *a = pk_box_index_subset(ov->ix, of), *b = pk_box_index_subset(ov->ix, to);
	pk_box_index_cross(a, b, false, mark_first, met);
	pk_box_index_free(a);
	pk_box_index_free(b);
}

void pk_lint_ov_want(struct pk_lint_ov *ov, const bool *want)
{
	free(ov->want);
	ov->want = pk_xcalloc(ov->nrules + 1, sizeof(*ov->want));
	memcpy(ov->want, want, ov->nrules * sizeof(*ov->want));
	ov->lo = ov->hi = 0; /* the range held may miss a list now wanted */
}

struct pk_lint_set pk_lint_ov_list(struct pk_lint_ov *ov, uint32_t i)
{
	if (ov->want && !ov->want[i]) {
		if (ov->one != i)
			load_one(ov, i);
		return (struct pk_lint_set){ov->one_v, ov->one_n};
	}
	if (i < ov->lo || i >= ov->hi)
		load(ov, i);
	const uint32_t r = i - ov->lo;
	return (struct pk_lint_set){ov->v + ov->start[r], ov->start[r + 1] - ov->start[r]};
}

struct pk_lint_set pk_lint_neighbours(const struct pk_lint_ctx *x, uint32_t i)
{
	return pk_lint_ov_list(x->ov, i);
}
