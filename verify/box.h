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
bool pk_box_overlap(const struct pk_box *a, const struct pk_box *b);
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
/* Calls emit(arg, a, b) once for each a in [lo, hi) and each other b of
 * the index whose boxes overlap (b in no set order); returns the number
 * of pairs it tested, which is far fewer than n per rule when most
 * destinations are disjoint. */
typedef void pk_box_pair_fn(void *arg, uint32_t a, uint32_t b);
unsigned long pk_box_index_pairs(const struct pk_box_index *ix, uint32_t lo, uint32_t hi, pk_box_pair_fn *emit,
				 void *arg);
/* The index of the boxes of ix whose rule is kept (keep: per rule). */
struct pk_box_index *pk_box_index_subset(const struct pk_box_index *ix, const bool *keep);
/* The same pairs for each a of p (a subset of ix) against every b of ix. */
unsigned long pk_box_index_cross(const struct pk_box_index *p, const struct pk_box_index *ix, pk_box_pair_fn *emit,
				 void *arg);

#endif
