/*
 * verify/lint_point.c: the rules that may match one packet, by the first
 * bits of its addresses, else by its protocol.
 *
 * Readable witnesses evaluate each candidate packet against the ruleset,
 * and the reference evaluator tries every rule in order. A rule's box
 * bounds its destination and source: a rule whose destination spans few
 * values of the first 16 bits is listed under each of them, else one
 * whose source does, else the same by the first 8 bits, else under its
 * protocol when it names one; else it is wide and tried for every packet.
 * The evaluator then tries the rules of the packet's five lists and the
 * wide ones, in order.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"

/* Values of the first bits a rule may span and still be listed under
 * each: a /16 spans one of 16 bits, a /8 one of 8. */
#define PK_POINT_SPAN 8

enum field { F_DST, F_SRC, F_PROTO };

/* The lists, finest first: which field and how many of its first bits. */
static const struct {
	enum field f;
	unsigned bits;
} kinds[] = {{F_DST, 16}, {F_SRC, 16}, {F_DST, 8}, {F_SRC, 8}, {F_PROTO, 8}};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
#define WIDE NKINDS

struct pk_lint_point {
	const struct pk_ir_ruleset *rs;
	uint32_t *off[NKINDS]; /* per kind: where each value's list starts in ids (one more than the values) */
	uint32_t *ids[NKINDS], *wide;
	uint32_t nwide;
};

static unsigned top(pk_u128 a, unsigned bits)
{
	return (unsigned)(a >> (128 - bits));
}

/* The packet's value for list kind k. */
static unsigned key(const struct pk_vpkt *p, unsigned k)
{
	if (kinds[k].f == F_PROTO)
		return p->proto;
	const uint8_t *a = kinds[k].f == F_SRC ? p->src : p->dst;
	return kinds[k].bits == 16 ? (unsigned)a[0] << 8 | a[1] : a[0];
}

/* The values of list kind k the rule's box spans, from *lo to *hi;
 * false when it spans too many. The protocol is the rule's own: the
 * evaluator tests it first, for fragments too. */
static bool span(const struct pk_ir_rule *r, const struct pk_box *b, unsigned k, unsigned *lo, unsigned *hi)
{
	if (kinds[k].f == F_PROTO) {
		*lo = *hi = r->proto;
		return r->proto != 0;
	}
	const pk_u128 l = kinds[k].f == F_SRC ? b->src_lo : b->dst_lo, h = kinds[k].f == F_SRC ? b->src_hi : b->dst_hi;
	*lo = top(l, kinds[k].bits);
	*hi = top(h, kinds[k].bits);
	return l <= h && *hi - *lo < PK_POINT_SPAN;
}

/* Which list holds rule i (-1: none, the evaluator passes over it), and
 * its values from *lo to *hi. */
static int kind_of(const struct pk_ir_ruleset *rs, const struct pk_box *b, uint32_t i, unsigned *lo, unsigned *hi)
{
	const uint8_t a = rs->rules[i].action;
	if (a != PK_ACT_PASS && a != PK_ACT_BLOCK && a != PK_ACT_MATCH)
		return -1;
	/* an empty box bounds nothing the evaluator is held to */
	if (b->empty)
		return WIDE;
	for (unsigned k = 0; k < NKINDS; k++)
		if (span(&rs->rules[i], b, k, lo, hi))
			return (int)k;
	return WIDE;
}

/* Two passes over the rules: count each list's length (count), then fill
 * the lists in rule order. */
static void fill(struct pk_lint_point *ix, const struct pk_box *box, bool count)
{
	const struct pk_ir_ruleset *rs = ix->rs;
	uint32_t *at[NKINDS];
	for (unsigned k = 0; k < NKINDS && !count; k++) {
		at[k] = pk_xcalloc((1u << kinds[k].bits) + 1, sizeof(*at[k]));
		memcpy(at[k], ix->off[k], (1u << kinds[k].bits) * sizeof(*at[k]));
	}
	ix->nwide = 0;
	for (uint32_t i = 0; i < rs->nrules; i++) {
		unsigned lo = 0, hi = 0;
		const int k = kind_of(rs, &box[i], i, &lo, &hi);
		if (k == WIDE && !count)
			ix->wide[ix->nwide] = i;
		ix->nwide += k == WIDE;
		for (unsigned t = lo; k >= 0 && k < (int)WIDE && t <= hi; t++) {
			if (count)
				ix->off[k][t + 1]++;
			else
				ix->ids[k][at[k][t]++] = i;
		}
	}
	for (unsigned k = 0; k < NKINDS && !count; k++)
		free(at[k]);
}

struct pk_lint_point *pk_lint_point_new(const struct pk_ir_ruleset *rs, const struct pk_box *box)
{
	struct pk_lint_point *ix = pk_xcalloc(1, sizeof(*ix));
	ix->rs = rs;
	for (unsigned k = 0; k < NKINDS; k++)
		ix->off[k] = pk_xcalloc((1u << kinds[k].bits) + 1, sizeof(*ix->off[k]));
	fill(ix, box, true);
	for (unsigned k = 0; k < NKINDS; k++) {
		const unsigned n = 1u << kinds[k].bits;
		for (unsigned t = 0; t < n; t++)
			ix->off[k][t + 1] += ix->off[k][t];
		ix->ids[k] = pk_xcalloc(ix->off[k][n] + 1, sizeof(*ix->ids[k]));
	}
	ix->wide = pk_xcalloc(ix->nwide + 1, sizeof(*ix->wide));
	fill(ix, box, false);
	return ix;
}

void pk_lint_point_free(struct pk_lint_point *ix)
{
	if (!ix)
		return;
	for (unsigned k = 0; k < NKINDS; k++) {
		free(ix->off[k]);
		free(ix->ids[k]);
	}
	free(ix->wide);
	free(ix);
}

/* The lists of one packet, merged as the evaluator asks (it stops at a
 * quick rule, often early). */
struct lists {
	const uint32_t *v[WIDE + 1];
	uint32_t n[WIDE + 1];
};

static uint32_t next(void *it)
{
	struct lists *l = it;
	int best = -1;
	for (unsigned s = 0; s <= WIDE; s++)
		if (l->n[s] && (best < 0 || l->v[s][0] < l->v[best][0]))
			best = (int)s;
	if (best < 0)
		return PK_EVAL_NONE;
	l->n[best]--;
	return *l->v[best]++;
}

void pk_lint_point_eval(const struct pk_lint_point *ix, const struct pk_vpkt *p, struct pk_eval_result *res)
{
	struct lists l;
	for (unsigned k = 0; k < NKINDS; k++) {
		const unsigned t = key(p, k);
		l.v[k] = ix->ids[k] + ix->off[k][t];
		l.n[k] = ix->off[k][t + 1] - ix->off[k][t];
	}
	l.v[WIDE] = ix->wide;
	l.n[WIDE] = ix->nwide;
	pk_eval_filter_among(ix->rs, next, &l, p, res);
}
