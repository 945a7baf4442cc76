/*
 * compiler/resolve.h: AST to IR, shared between the resolver's files:
 * resolve.c (statements, topology, tables, options), resolve_addr.c
 * (addresses and ports), resolve_rule.c (rules and their expansion),
 * resolve_owner.c (user and group), resolve_anchor.c (anchors flattened
 * in place) and resolve_combine.c (an anchor's criteria ANDed into its
 * rules).
 */
#ifndef PK_COMPILER_RESOLVE_H
#define PK_COMPILER_RESOLVE_H

#include "compiler/ast.h"
#include "compiler/diag.h"
#include "compiler/ir.h"
#include "compiler/strmap.h"

struct pk_res {
	struct pk_ir_ruleset *rs;
	struct pk_arena *a;
	struct pk_diags *d;
	uint32_t rcap, tcap, icap, routecap;
	struct pk_strmap tables; /* table name -> index */
	uint32_t nauto; /* pools made into tables: __automatic_N */
	const char **noted; /* undeclared interfaces already noted */
	uint32_t nnoted;
	uint8_t block_policy;
	uint8_t state_policy;
	const struct pk_ast_opt *state_defaults; /* set state-defaults, for the pass rules after it */
	const char *root; /* --root: where absolute paths are read, or NULL */
	const struct pk_ast_hostname **hosts; /* host names the topology declares */
	uint32_t nhosts;
	struct pk_res_anchors *anchors; /* the anchors given rules (resolve_anchor.c) */
};

/* Resolve a parsed file (and topology) into rs. Returns the error count. */
int pk_resolve(struct pk_res *r, const struct pk_ast_stmt *stmts);

/* A table index by name, creating an implicit/undeclared one when asked. */
int pk_res_table_find(const struct pk_res *r, const char *name);
uint32_t pk_res_table_add(struct pk_res *r, const char *name, const struct pk_loc *loc);

/* Addresses of one written host: appends to *out (arena array, *n, *cap).
 * Returns false after reporting an error. */
struct pk_addr_vec {
	struct pk_ir_addr *v;
	uint32_t n, cap;
};
bool pk_res_host(struct pk_res *r, const struct pk_ast_host *h, struct pk_addr_vec *out);
bool pk_res_hosts(struct pk_res *r, const struct pk_ast_host *list, struct pk_addr_vec *out);
/* The declaration of a host name, or NULL. */
const struct pk_ast_hostname *pk_res_hostname(const struct pk_res *r, const char *name);
/* divert-to, divert-reply, divert-packet and af-to (compiler/resolve_divert.c),
 * and pfctl's checks of them against the rest of the rule once all its
 * options are read. */
void pk_res_divert(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir);
void pk_res_afto(struct pk_res *r, const struct pk_ast_opt *o, struct pk_ir_rule *ir);
void pk_res_divert_check(struct pk_res *r, const struct pk_ast_rule *ar, const struct pk_ir_rule *ir);
/* received-on (compiler/resolve_rcv.c): the interfaces it stands for, one
 * rule each; one entry matching any when the rule has none. */
void pk_res_rcv(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_ir_ifmatch **out, uint32_t *n);

/* A port or service name; false after reporting. */
bool pk_res_port_value(struct pk_res *r, const char *text, const struct pk_loc *loc, uint16_t *out);
bool pk_res_port(struct pk_res *r, const struct pk_ast_port *p, struct pk_port_match *out);
bool pk_res_number(struct pk_res *r, const char *text, const struct pk_loc *loc, uint64_t max, uint64_t *out);

void pk_res_table(struct pk_res *r, const struct pk_ast_table *at);
/* After the rules: the queue trees and the queues rules name (resolve_queue.c). */
void pk_res_check_queues(struct pk_res *r);
void pk_res_rule(struct pk_res *r, const struct pk_ast_rule *ar);
void pk_res_antispoof(struct pk_res *r, const struct pk_ast_rule *ar);
/* Applies a rule's options to ir; returns whether flags were written. */
bool pk_res_rule_opts(struct pk_res *r, const struct pk_ast_opt *opts, struct pk_ir_rule *ir);
struct pk_ir_rule *pk_res_new_rule(struct pk_res *r);
void pk_res_label(struct pk_res *r, struct pk_ir_rule *ir);
void pk_res_state_from_defaults(struct pk_res *r, const struct pk_ast_rule *ar, struct pk_ir_rule *ir);
#define PK_POOL_METHODS (PK_POOL_BITMASK | PK_POOL_RANDOM | PK_POOL_SOURCE_HASH | PK_POOL_ROUND_ROBIN)
void pk_res_pool_default(struct pk_ir_nat *n);
struct pk_ir_addr pk_res_auto_table(struct pk_res *r, const struct pk_ir_addr *v, uint32_t n);
/* One id of a rule's `user` or `group` options, for the IR's user or
 * group text and owner (resolve_owner.c). */
struct pk_owner_id {
	const char *text; /* as printed back; NULL: no criterion */
	uint8_t owner;    /* enum pk_owner */
};
/* The ids of a rule's user (group: false) or group options in pfctl's
 * order, one rule each; one without a criterion when none is written.
 * False after reporting an error. */
bool pk_res_owner_ids(struct pk_res *r, const struct pk_ast_rule *ar, bool group, struct pk_owner_id **v,
		      uint32_t *n);
/* What pf does to TCP-only options of a rule of another protocol. */
void pk_res_tcp_only(struct pk_ir_rule *ir);

/* Anchors. collect finds every anchor given rules (inline or by load
 * anchor) and the tables among them; pk_res_anchor puts an anchor rule's
 * rules in its place (parent: the path of the anchor holding it, "" for the
 * main ruleset); finish reports the rules no anchor rule reaches. */
void pk_res_anchors_collect(struct pk_res *r, const struct pk_ast_stmt *stmts);
void pk_res_anchor(struct pk_res *r, const struct pk_ast_anchor *a, const char *parent);
void pk_res_anchors_finish(struct pk_res *r);

/* ANDs an anchor's criteria (one expanded anchor rule) into one of its
 * rules, in place. KEEP: ir is the rule to evaluate; UNSUPPORTED: one rule
 * cannot say it (*why names what); DROP: the two never match together.
 * Ordered: of a rule's fields, the greatest answer is the rule's. */
enum pk_combine { PK_COMBINE_KEEP, PK_COMBINE_UNSUPPORTED, PK_COMBINE_DROP };
enum pk_combine pk_res_combine(const struct pk_ir_rule *crit, struct pk_ir_rule *ir, const char **why);

#endif
