/*
 * verify/z3_encode.h: IR rules as Z3 formulas over one symbolic packet.
 *
 * The packet is a set of bit-vector constants (af, 128-bit source and
 * destination with IPv4 in the top 32 bits and the rest zero, ports,
 * protocol, TCP flags, ICMP type/code, interface, direction, tos, tag).
 * Interfaces and tags are enumerated: 0 is "one no rule names", 1..n the
 * names registered by pk_z3_init. A rule's match, the rule that
 * decides a packet and the ruleset's verdict under pf's semantics (last
 * match wins unless quick; match rules do not decide; no match passes) are
 * formulas over those constants. One context and one solver serve a whole
 * run; callers push/pop or pass assumptions, and count their calls.
 */
#ifndef PK_VERIFY_Z3_ENCODE_H
#define PK_VERIFY_Z3_ENCODE_H

#include <stdbool.h>
#include <z3.h>

#include "compiler/ir.h"
#include "verify/packet.h"

/* The symbolic packet's fields, in one table: X(field, bits). */
#define PK_Z3_FIELDS(X) \
	X(af, 8)        \
	X(proto, 8)     \
	X(dir, 8)       \
	X(flags, 8)     \
	X(tos, 8)       \
	X(sport, 16)    \
	X(dport, 16)    \
	X(src, 128)     \
	X(dst, 128)     \
	X(itype, 8)     \
	X(icode, 8)     \
	X(iface, 16)    \
	X(rcvif, 16)    /* outbound: where a forwarded packet came in; 0 for the firewall's own */ \
	X(tag, 16)      \
	X(frag, 1)      /* a fragment the rules see as one (set reassemble no) */

/* Per solver call; an unknown answer is never taken for a proof. */
#define PK_Z3_TIMEOUT_MS 5000

struct pk_z3_pkt {
#define PK_Z3_FIELD_DECL(name, bits) Z3_ast name;
	PK_Z3_FIELDS(PK_Z3_FIELD_DECL)
#undef PK_Z3_FIELD_DECL
};

/* The address and port fields after match rule `rule`'s translation. */
struct pk_z3_xlat {
	uint32_t rule;
	Z3_ast src, dst, sport, dport;
};

struct pk_z3 {
	Z3_context c;
	Z3_solver s;
	struct pk_z3_pkt p; /* the packet every formula speaks of */
	const char **ifnames; /* ifnames[k-1] is interface k */
	unsigned nif, capif;
	const char **tags; /* tags[k-1] is tag k */
	unsigned ntag, captag;
	bool closed; /* a topology lists the interfaces: packets arrive on named ones only */
	bool frags;  /* some ruleset says `set reassemble no`: the rules see fragments */
	unsigned long checks;   /* solver calls made */
	unsigned long unknowns; /* of which the solver could not settle */
	/* match rules' translations, as the rules after each see the packet
	 * (verify/z3_xlat.c), for the ruleset xl_rs */
	const struct pk_ir_ruleset *xl_rs;
	struct pk_z3_xlat *xl;
	unsigned nxl;
	/* the older translation rules' (nat, rdr, binat), for xl_rs too: the
	 * fields the filter rules see first, whether one translated and
	 * whether the one that matched has `pass` (no filter rule then
	 * matches); has_older: some such rule exists */
	struct pk_z3_xlat older;
	Z3_ast older_hit, older_pass;
	bool has_older;
};

/* A solver for formulas about rs and other (NULL when one ruleset is
 * enough): the interfaces and tags they name are enumerated first. */
int pk_z3_init(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *other);
void pk_z3_fini(struct pk_z3 *z);
/* A new solver (one reference: Z3_solver_dec_ref it) with the timeout of
 * z's own; z->s is one. */
Z3_solver pk_z3_solver(struct pk_z3 *z);
unsigned pk_z3_iface_index(const struct pk_z3 *z, const char *name);

/* A well-formed packet: the constraints between fields (ports only for
 * TCP/UDP, flags only for TCP, IPv4 addresses embedded, known names). */
Z3_ast pk_z3_domain(struct pk_z3 *z);
/* The rule matches the packet, as pf sees it when the rule's turn comes:
 * translated by the match rules with nat-to or rdr-to before it that
 * matched (verify/eval.c translates the same way). */
Z3_ast pk_z3_match(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r);
/* The rule's own conditions over the packet as it arrived, the socket
 * owner's apart. */
Z3_ast pk_z3_match_plain(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r);
/* The rule's socket-owner criteria (enum pk_owner): pf looks the socket
 * up by the addresses as the packet arrived, so no translation reaches
 * them; true for a rule without any. */
Z3_ast pk_z3_owner(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r);
/* m, a formula over the packet as it arrived, read with the fields as the
 * rules after rule i see them (z3_xlat.c): the older translation rules'
 * first, then the match rules' before i. */
Z3_ast pk_z3_translated(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t i, Z3_ast m);
/* An older nat, rdr or binat rule translated the packet (pf keeps a state
 * for it, whatever rule passes it), and one with `pass` took it (no
 * filter rule sees it: pf's default rule passes). */
Z3_ast pk_z3_older_translated(struct pk_z3 *z, const struct pk_ir_ruleset *rs);
Z3_ast pk_z3_older_pass(struct pk_z3 *z, const struct pk_ir_ruleset *rs);
/* The packet arrives on an interface under `set skip on`. */
Z3_ast pk_z3_skipped(struct pk_z3 *z, const struct pk_ir_ruleset *rs);

/* True for rules that take part in the filter's decision (pass, block);
 * match rules apply options only; scrub/nat/rdr/binat are other phases. */
bool pk_z3_decides(const struct pk_ir_rule *r);
bool pk_z3_in_filter(const struct pk_ir_rule *r);

/* The filter's verdict as a leaf chosen per deciding rule: builds
 * ite(first quick match, leaf, ... last match ..., dflt). Only the rules
 * listed in idx (ascending) are considered: pass and block rules, and
 * quick match rules, which stop the evaluation (the last pass/block
 * matched before one decides). M[k] is the match of idx[k] (NULL: built
 * here). leaf[k] (unused for match rules) and dflt are Boolean formulas. */
Z3_ast pk_z3_chain(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const uint32_t *idx, unsigned n,
		   Z3_ast *M, const Z3_ast *leaf, Z3_ast dflt);
/* Rule i (a pass or block rule) decides the packet; with i ==
 * PK_Z3_NO_RULE, no rule does or the interface is skipped (pf passes
 * either way). M caches every rule's
 * match (nrules entries, NULL: built here). */
#define PK_Z3_NO_RULE UINT32_MAX
Z3_ast pk_z3_decided_by(struct pk_z3 *z, const struct pk_ir_ruleset *rs, uint32_t i, Z3_ast *M);
/* The whole ruleset passes the packet (skip interfaces pass). */
Z3_ast pk_z3_passes(struct pk_z3 *z, const struct pk_ir_ruleset *rs);
/* It passes it by a rule that keeps state (or on a skipped interface,
 * where pf does not filter at all). */
Z3_ast pk_z3_passes_with_state(struct pk_z3 *z, const struct pk_ir_ruleset *rs);

/* The packet is exactly p. */
Z3_ast pk_z3_is_packet(struct pk_z3 *z, const struct pk_vpkt *p);
/* Route of the destination: true when the topology's longest-prefix route
 * for dst leaves through interface ifname (connected networks count). */
Z3_ast pk_z3_routes_via(struct pk_z3 *z, const struct pk_ir_ruleset *rs, const char *ifname);
/* dst is one of the firewall's own addresses. */
Z3_ast pk_z3_dst_is_self(struct pk_z3 *z, const struct pk_ir_ruleset *rs);

/* Solver helpers: check (counting calls) z->s or another solver of z's
 * (pk_z3_solver()), and read the packet back from its model after SAT. */
Z3_lbool pk_z3_check(struct pk_z3 *z, unsigned nassume, const Z3_ast *assume);
Z3_lbool pk_z3_check_in(struct pk_z3 *z, Z3_solver s, unsigned nassume, const Z3_ast *assume);
void pk_z3_model_packet(struct pk_z3 *z, Z3_solver s, struct pk_vpkt *out);
/* Fills *out and returns true when sat(f) (under the solver's assertions). */
bool pk_z3_witness(struct pk_z3 *z, Z3_ast f, struct pk_vpkt *out);
/* True when the solver proves no packet meets f (under its assertions):
 * a timeout proves nothing. */
bool pk_z3_none(struct pk_z3 *z, Z3_ast f);

/* Small constructors used by the encoders. */
Z3_ast pk_z3_bool(Z3_context c, bool v);
Z3_ast pk_z3_and(Z3_context c, unsigned n, const Z3_ast *v);
Z3_ast pk_z3_or(Z3_context c, unsigned n, const Z3_ast *v);
Z3_ast pk_z3_bv(Z3_context c, uint64_t v, unsigned bits);
/* 16 address bytes as a 128-bit constant (IPv4 in the top 32 bits). */
Z3_ast pk_z3_addr(Z3_context c, const uint8_t a[16]);

#endif
