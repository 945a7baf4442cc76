/*
 * verify/sample.h: concrete packets drawn from a rule's box.
 *
 * Most solver questions the linter asks have a plain "yes" (a packet the
 * rule decides, a packet whose verdict would change): a few packets drawn
 * from the box and checked with the reference evaluator usually find it
 * without the solver. A miss proves nothing, so the solver still decides
 * every "no".
 */
#ifndef PK_VERIFY_SAMPLE_H
#define PK_VERIFY_SAMPLE_H

#include <stdint.h>

#include "verify/box.h"
#include "verify/packet.h"

/* The k-th sample (k = 0, 1: the box's low and high corners; then
 * pseudo-random points, reproducible from k). */
void pk_box_sample(const struct pk_box *b, const struct pk_ir_rule *r, unsigned k, struct pk_vpkt *p);
/* Moves p just out of box `from` along one field where box `in` reaches
 * past it (the direction, an address, or a port of TCP and UDP), the k-th such move
 * (modulo their number); false when there is none. */
bool pk_box_escape(const struct pk_box *in, const struct pk_box *from, unsigned k, struct pk_vpkt *p);

#endif
