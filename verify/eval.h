/*
 * verify/eval.h: the reference evaluator: pf's rule matching on one
 * concrete packet, written as plainly as possible.
 *
 * `picket explain` reports with it, the linter names the rule that decides
 * a witness with it, and the tests hold the Z3 encoding against it.
 */
#ifndef PK_VERIFY_EVAL_H
#define PK_VERIFY_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/ir.h"
#include "verify/packet.h"

#define PK_EVAL_NONE UINT32_MAX

/* Whether rule r matches p; the socket owner's criteria (enum pk_owner)
 * read whether p is to or from one of the topology's own addresses. */
bool pk_eval_match(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, const struct pk_vpkt *p);

struct pk_eval_result {
	uint32_t rule;  /* deciding rule, PK_EVAL_NONE: no rule decides (default pass) */
	bool pass;      /* the verdict */
	bool skipped;   /* the interface is under `set skip` */
	/* Translation: pf matches every rule against the addresses and ports
	 * translated so far, so a `match` rule's nat-to or rdr-to changes what
	 * the rules after it see; the deciding rule's own applies last. out is
	 * the packet as it leaves (p itself when nothing translates), nat_rule
	 * the translating rule (PK_EVAL_NONE: none). A pool is represented by
	 * its first address and a nat-to source port is kept: at run time the
	 * pool's option and the port allocation choose (nat_exact false). */
	struct pk_vpkt out;
	uint32_t nat_rule;
	bool nat_exact;
};
/* visit (may be NULL) is called for every filter rule that matches on the
 * way, in order, until a quick match stops the evaluation. */
void pk_eval_filter(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p, struct pk_eval_result *res,
		    void (*visit)(void *ctx, uint32_t rule), void *ctx);

/* pk_eval_filter for a packet only the rules next(it) gives (ascending,
 * then PK_EVAL_NONE) can match as it arrives: the same result. Once a
 * match rule translates it, every later rule is tried. */
void pk_eval_filter_among(const struct pk_ir_ruleset *rs, uint32_t (*next)(void *it), void *it,
			  const struct pk_vpkt *p, struct pk_eval_result *res);

/* The first address a translation's pool offers in family af, and whether
 * it is the only one (a host): an address or network, or a table's first
 * entry (an interface's addresses are an implicit table). False when the
 * pool has none in that family. The Z3 encoding translates with it too. */
bool pk_eval_pool_first(const struct pk_ir_ruleset *rs, const struct pk_ir_nat *n, uint8_t af, uint8_t out[16],
			bool *only);

/* The older translation rules (binat, rdr, nat), as pf_get_translation
 * takes them before the filter: the first binat rule that matches, an
 * inbound packet matching one by its external address and its `to`, then
 * the first rdr rule inbound or nat rule outbound; a `no` rule stops
 * there untranslated. No rule translates a fragment. The rule, or
 * PK_EVAL_NONE. pk_eval_filter translates the packet by it first, and a
 * rule with `pass` (natpass) leaves the filter rules unwalked: pf's
 * default rule passes. */
uint32_t pk_eval_older_rule(const struct pk_ir_ruleset *rs, const struct pk_vpkt *p);
/* An older binat rule as it takes inbound packets: mirror matches them as
 * a rule (source the binat's `to`, destination its external address);
 * false when the rule has no such side (a negated or table address, an
 * interface negated, a pool that is no address), as in the runtime. */
bool pk_eval_binat_in(const struct pk_ir_rule *r, struct pk_ir_rule *mirror);

/* Rule r's af-to on p (inbound, of the other family): the packet as pf
 * forwards it, in the af-to family (runtime/afto.h's addresses; ports and
 * echo ids kept). False when the rule has none or pf would refuse the
 * mapping (a prefix length RFC 6052 does not define, an ICMP type other
 * than echo). */
bool pk_eval_afto(const struct pk_ir_rule *r, const struct pk_vpkt *p, struct pk_vpkt *out);

/* The topology's longest-prefix route for an address: the interface name,
 * NULL when no route covers it. */
const char *pk_eval_route(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t addr[16]);
/* The address is one of the topology's own (the packet is delivered locally). */
bool pk_eval_is_self(const struct pk_ir_ruleset *rs, uint8_t af, const uint8_t addr[16]);

#endif
