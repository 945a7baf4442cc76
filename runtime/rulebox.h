/*
 * runtime/rulebox.h: a rule's conditions on the fields a CUT splits on
 * (PKB_FIELDS) as a box, one interval per field, for the packets of one
 * address family. The compiler's decision tree cuts along these boxes;
 * the classifier tests a rule first against its box (struct pk_rs_box,
 * built at load), which is the whole test for most rules. One projection
 * for both, so the tree and the test agree on what a rule covers.
 */
#ifndef PK_RUNTIME_RULEBOX_H
#define PK_RUNTIME_RULEBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/pkb_format.h"

/* An address as a CUT reads it: the big-endian value of its first 4
 * (IPv4) or 8 (IPv6) bytes. */
uint64_t pkb_addr_key(const uint8_t *a, uint8_t af);

/* The largest value of field f for packets of family af (0: either). */
uint64_t pkb_field_max(uint8_t af, uint32_t f);

/* Fill lo[f]..hi[f] with every value of field f the rule can match in a
 * packet of family af: a wildcard where the condition is not one interval
 * (negations, tables, `!=`, `<>`, a negated interface). True when the
 * box holds exactly the packets the rule's address and port conditions
 * accept (for a packet of family af, ports of TCP and UDP only). */
bool pkb_rule_box(const struct pkb_rule *r, const struct pkb_addr *addrs, uint8_t af,
		  uint64_t lo[PKB_FIELD_COUNT], uint64_t hi[PKB_FIELD_COUNT]);

#endif
