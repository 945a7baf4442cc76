/*
 * verify/box.h: a cheap over-approximation of a rule's match, for pruning.
 *
 * A box is one interval per field (family and direction as bit masks, TCP
 * flags as pf's F/M pair). Two rules whose boxes do not overlap match no
 * common packet, which settles most pairs of a large ruleset without the
 * solver. A box is `exact` when the rule matches every well-formed packet
 * in it (no negation, table, port != or <>, ...): containment of exact
 * boxes then settles covering too.
 */
#ifndef PK_VERIFY_BOX_H
#define PK_VERIFY_BOX_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "compiler/ir.h"

typedef unsigned __int128 pk_u128;

struct pk_box {
	pk_u128 src_lo, src_hi, dst_lo, dst_hi;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	uint8_t proto_lo, proto_hi;
	uint8_t afmask;  /* 1 = IPv4, 2 = IPv6 */
	uint8_t dirmask; /* 1 = in, 2 = out */
	uint8_t flags, flagmask; /* hold for TCP packets only, as pf tests them */
	int16_t itype, icode, tos; /* -1 = any */
	const char *ifname;        /* NULL = any */
	bool empty, exact;
};

void pk_box_of_rule(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, struct pk_box *b);
/* Inline: the sweeps of a large rule set test billions of pairs. */
static inline bool pk_box_iv_meet(pk_u128 alo, pk_u128 ahi, pk_u128 blo, pk_u128 bhi)
{
	return alo <= bhi && blo <= ahi;
}

static inline bool pk_box_any_meet(int16_t a, int16_t b)
{
	return a < 0 || b < 0 || a == b;
}

static inline bool pk_box_overlap(const struct pk_box *a, const struct pk_box *b)
{
	if (a->empty || b->empty || !(a->afmask & b->afmask) || !(a->dirmask & b->dirmask))
		return false;
	if (!pk_box_iv_meet(a->proto_lo, a->proto_hi, b->proto_lo, b->proto_hi) ||
	    !pk_box_iv_meet(a->dport_lo, a->dport_hi, b->dport_lo, b->dport_hi) ||
	    !pk_box_iv_meet(a->sport_lo, a->sport_hi, b->sport_lo, b->sport_hi) ||
	    !pk_box_iv_meet(a->dst_lo, a->dst_hi, b->dst_lo, b->dst_hi) ||
	    !pk_box_iv_meet(a->src_lo, a->src_hi, b->src_lo, b->src_hi))
		return false;
	if (a->ifname && b->ifname && a->ifname != b->ifname && strcmp(a->ifname, b->ifname))
		return false;
	const uint8_t plo = a->proto_lo > b->proto_lo ? a->proto_lo : b->proto_lo;
	const uint8_t phi = a->proto_hi < b->proto_hi ? a->proto_hi : b->proto_hi;
	if (((a->flags ^ b->flags) & a->flagmask & b->flagmask) && plo == 6 && phi == 6)
		return false;
	return pk_box_any_meet(a->itype, b->itype) && pk_box_any_meet(a->icode, b->icode) &&
	       pk_box_any_meet(a->tos, b->tos);
}
/* Every packet of `in` lies in `out`. */
bool pk_box_contains(const struct pk_box *out, const struct pk_box *in);
/* Matches every well-formed packet. */
bool pk_box_is_full(const struct pk_box *b);
/* The box of the packets in both a and b (empty when they do not overlap;
 * never exact). */
void pk_box_meet(const struct pk_box *a, const struct pk_box *b, struct pk_box *out);

/* The boxes box[ids[0..n)] sorted for sweeps over their address
 * intervals (verify/box_join.c). */
struct pk_box_index;
struct pk_box_index *pk_box_index_new(const struct pk_box *box, const uint32_t *ids, uint32_t n);
void pk_box_index_free(struct pk_box_index *ix);
/* Calls emit(arg, a, b) once for each a of ix in [lo, hi) (and kept, when
 * keep is given: per rule) and each other b of `with` (ix or a subset of
 * it; with before, only b < a) whose boxes overlap (b in no set order);
 * returns the number of pairs it tested, which is far fewer than n per
 * rule when most destinations are disjoint. */
typedef void pk_box_pair_fn(void *arg, uint32_t a, uint32_t b);
unsigned long pk_box_index_pairs(const struct pk_box_index *ix, uint32_t lo, uint32_t hi, const bool *keep,
				 const struct pk_box_index *with, bool before, pk_box_pair_fn *emit, void *arg);
/* The index of the boxes of ix whose rule is kept (keep: per rule). */
struct pk_box_index *pk_box_index_subset(const struct pk_box_index *ix, const bool *keep);
/* The same pairs for each a of p against every b of ix (both from one index). */
unsigned long pk_box_index_cross(const struct pk_box_index *p, const struct pk_box_index *ix, bool before,
				 pk_box_pair_fn *emit, void *arg);

#endif
