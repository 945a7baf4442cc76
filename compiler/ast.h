/*
 * compiler/ast.h: the syntax tree the grammar builds, before resolution.
 *
 * Nodes are plain records in the parse's arena; lists are singly linked and
 * the head node's `last` points at the tail, so appending is O(1). Names
 * and numbers are kept as written (text), and compiler/resolve*.c gives them
 * meaning: the grammar only records what it saw and where.
 */
#ifndef PK_COMPILER_AST_H
#define PK_COMPILER_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/loc.h"

enum pk_ast_host_kind {
	PK_H_ANY,
	PK_H_ADDR,    /* a: address or name, mask: /len or -1 */
	PK_H_RANGE,   /* a - b */
	PK_H_TABLE,   /* <a> */
	PK_H_DYN,     /* (a), a may carry :network etc. */
	PK_H_NOROUTE,
	PK_H_URPF,
	PK_H_SELF,
};

struct pk_ast_host {
	struct pk_loc loc;
	uint8_t kind;
	bool neg;
	const char *a, *b;
	int mask; /* -1 when not written */
	struct pk_ast_host *next, *last;
};

struct pk_ast_port {
	struct pk_loc loc;
	uint8_t op;          /* enum pk_port_op */
	const char *lo, *hi; /* as written: number or service name */
	struct pk_ast_port *next, *last;
};

/* A name with an optional `!` and an optional second part: interfaces,
 * protocols, icmp-type T code C, file names, timeout name/value pairs. */
struct pk_ast_item {
	struct pk_loc loc;
	bool neg;
	const char *s, *s2;
	struct pk_ast_item *next, *last;
};

enum pk_ast_opt_kind {
	PK_O_FLAGS,      /* s: set ("" when only /mask), s2: mask; s NULL = any */
	PK_O_ICMP,       /* items: types/codes; n: 4 or 6 */
	PK_O_TOS,        /* s */
	PK_O_ALLOWOPTS,
	PK_O_LABEL,      /* s */
	PK_O_TAG,        /* s */
	PK_O_TAGGED,     /* s, n: negated */
	PK_O_PROB,       /* s */
	PK_O_CARRIED,    /* s: an option that changes no verdict, as written */
	PK_O_STATE,      /* n: enum pk_state_type; sub: state options */
	PK_O_NAT,        /* n: enum pk_nat_kind; hosts, ports, sub: pool options */
	PK_O_ROUTE,      /* n: enum pk_route_kind; hosts, sub: pool options */
	PK_O_SCRUB,      /* sub: scrub options */
	PK_O_OWNER,      /* user (n 0) or group (n 1); ports: the ids, written as ports are */
	PK_O_DIVERT,     /* n: enum pk_divert_kind; s: divert-to's host, s2: its port or divert-packet's */
	PK_O_AFTO,       /* n: the family translated to; hosts: from, hosts2: to (or NULL) */
	PK_O_RCVON,      /* received-on: s the interface or group, n negated */
	PK_O_FRAGMENT,   /* fragment: matches fragments only */
	/* state options */
	PK_S_MAX, PK_S_MAX_SRC_NODES, PK_S_MAX_SRC_STATES, PK_S_MAX_SRC_CONN,
	PK_S_MAX_SRC_CONN_RATE, /* n / n2 */
	PK_S_SOURCE_TRACK,      /* n: enum pk_src_track; NONE = written bare */
	PK_S_POLICY,            /* n: enum pk_state_policy */
	PK_S_SLOPPY, PK_S_NO_SYNC, PK_S_PFLOW,
	PK_S_OVERLOAD,          /* s: table, n: 0 / 1 flush / 2 flush global */
	PK_S_TIMEOUT,           /* s: name, n: seconds */
	/* pool options: n is the enum pk_pool_opt bit */
	PK_P_POOL,
	/* scrub options */
	PK_C_NO_DF, PK_C_RANDOM_ID, PK_C_REASSEMBLE_TCP, PK_C_FRAGMENT_REASSEMBLE,
	PK_C_MAX_MSS, PK_C_MIN_TTL, /* n */
	PK_C_SET_TOS,               /* s */
};

struct pk_ast_opt {
	struct pk_loc loc;
	uint16_t kind; /* enum pk_ast_opt_kind */
	const char *s, *s2;
	long long n, n2;
	struct pk_ast_item *items;
	struct pk_ast_host *hosts, *hosts2;
	struct pk_ast_port *ports;
	struct pk_ast_opt *sub;
	struct pk_ast_opt *next, *last;
};

/* The `block` variants, as written. */
struct pk_ast_block {
	uint8_t kind;        /* enum pk_block_kind */
	bool set;            /* written (not the policy's) */
	long long ttl;       /* return-rst (ttl N); 0 = none */
	const char *icmp;    /* return-icmp (code) */
	const char *icmp6;   /* return-icmp6 (code), or the second return-icmp code */
};

struct pk_ast_rule {
	struct pk_loc loc;
	uint8_t action; /* enum pk_action */
	struct pk_ast_block block;
	uint8_t dir;
	bool log, log_all, quick, all;
	const char *log_opts;
	bool no;   /* no nat / no rdr / no binat */
	bool antispoof; /* antispoof for ifs: expanded by the resolver */
	bool pass; /* nat pass / rdr pass */
	struct pk_ast_item *ifs; /* NULL = any */
	uint8_t af;
	struct pk_ast_item *protos;
	struct pk_ast_host *src, *dst;
	struct pk_ast_port *sport, *dport;
	struct pk_ast_opt *opts;
	/* a feature outside the subset in it, and the statement as written
	 * (macros expanded), which is what is printed back; NULL = none */
	const char *unsupported, *text;
};

struct pk_ast_table {
	struct pk_loc loc;
	const char *name;
	bool persist, is_const, counters;
	struct pk_ast_host *hosts;
	struct pk_ast_item *files;
};

enum pk_ast_set_kind {
	PK_SET_TIMEOUT,       /* items: s name, s2 value */
	PK_SET_LIMIT,         /* items: s name, s2 value */
	PK_SET_OPTIMIZATION,  /* s */
	PK_SET_BLOCK_POLICY,  /* n: enum pk_block_policy */
	PK_SET_STATE_POLICY,  /* n: enum pk_state_policy */
	PK_SET_SKIP,          /* items */
	PK_SET_DEBUG,         /* s */
	PK_SET_HOSTID,        /* s */
	PK_SET_LOGINTERFACE,  /* s */
	PK_SET_RULESET_OPT,   /* s */
	PK_SET_STATE_DEFAULTS, /* opts: state options */
	PK_SET_REASSEMBLE,    /* s: yes or no; n: no-df */
};

struct pk_ast_set {
	struct pk_loc loc;
	uint8_t kind;
	const char *s;
	long long n;
	struct pk_ast_item *items;
	struct pk_ast_opt *opts;
};

struct pk_ast_iface {
	struct pk_loc loc;
	const char *name;
	struct pk_ast_item *addrs; /* s: "addr/len" */
	struct pk_ast_item *peers; /* the far ends of a point-to-point link */
	struct pk_ast_item *groups;
	const char *mac;
	struct pk_loc mac_loc;
};

struct pk_ast_route {
	struct pk_loc loc;
	const char *dst, *ifname, *gw;
	struct pk_loc dst_loc, gw_loc;
};

/* host NAME address A, ...: what a host name pfctl would resolve stands for */
struct pk_ast_hostname {
	struct pk_loc loc;
	const char *name;
	struct pk_ast_item *addrs;
};


/* A statement that changes no verdict (queue, altq, set fingerprints...),
 * kept as written to be printed back. */
struct pk_ast_carried {
	struct pk_loc loc;
	const char *text;
};
/* How deep anchors nest: pf's anchor stack (PF_ANCHOR_STACK_MAX). */
#define PK_ANCHOR_MAX_DEPTH 64

/* Which of pf's rulesets an anchor rule steps into: `anchor` the filter
 * rules, `nat-anchor` the nat rules and so on (FreeBSD and macOS keep one
 * of each per anchor). */
enum pk_anchor_kind {
	PK_ANCHOR_FILTER,
	PK_ANCHOR_NAT,
	PK_ANCHOR_RDR,
	PK_ANCHOR_BINAT,
	PK_ANCHOR_SCRUB,
	PK_ANCHOR_DUMMYNET,
	PK_ANCHOR_NKINDS,
};

struct pk_ast_stmt;

/* The statements between an anchor's braces. */
struct pk_ast_body {
	struct pk_ast_stmt *head;
	const char *opening; /* the anchor rule before its opening brace, as written */
};

/* anchor NAME [criteria] [{ rules }], nat-anchor NAME ..., and the rest. */
struct pk_ast_anchor {
	struct pk_loc loc;
	uint8_t kind;             /* enum pk_anchor_kind */
	const char *name;         /* as written; an unnamed inline anchor gets pfctl's "_N" */
	bool named;
	struct pk_ast_rule *crit; /* direction, quick, interface, af, proto, from/to, options */
	struct pk_ast_body *body; /* NULL: no braces, the rules are given elsewhere */
	const char *text;         /* the anchor rule as written, without its braces */
};

/* load anchor NAME from FILE: the file is parsed after the main one. */
struct pk_ast_load {
	struct pk_loc loc;
	const char *path; /* the anchor's full path ("x/y") */
	const char *file; /* as written */
	struct pk_ast_body *body; /* NULL when the file could not be read */
	struct pk_ast_load *next;
};

enum pk_ast_stmt_kind {
	PK_ST_RULE, PK_ST_TABLE, PK_ST_SET, PK_ST_IFACE, PK_ST_ROUTE, PK_ST_CARRIED, PK_ST_HOST, PK_ST_ANCHOR, PK_ST_LOAD
};

struct pk_ast_stmt {
	uint8_t kind;
	union {
		struct pk_ast_rule *rule;
		struct pk_ast_table *table;
		struct pk_ast_set *set;
		struct pk_ast_iface *iface;
		struct pk_ast_route *route;
		struct pk_ast_carried *carried;
		struct pk_ast_hostname *host;
		struct pk_ast_anchor *anchor;
		struct pk_ast_load *load;
	} u;
	struct pk_ast_stmt *next;
};

/* [log [(all)]] [quick], written before a rule's interface. */
struct pk_ast_logquick {
	bool log, log_all, quick;
	const char *log_opts; /* matches, user, to IF: how to log, as written */
};

/* One option of a table definition; tables accumulate them. */
struct pk_ast_tableopt {
	bool persist, is_const, counters;
	const char *file;          /* file "path"; NULL when not this option */
	struct pk_loc file_loc;
	struct pk_ast_host *hosts; /* { host, ... } */
};

/* What an action keyword and its modifiers said (pass, block return, nat pass). */
struct pk_ast_act {
	uint8_t action; /* enum pk_action */
	struct pk_ast_block block;
	bool no, pass, log;
};

/* One side of from/to. */
struct pk_ast_ipp {
	struct pk_ast_host *hosts; /* NULL = any */
	struct pk_ast_port *ports;
};

struct pk_ast_fromto {
	struct pk_ast_ipp src, dst;
	bool all;
};

struct pk_lexer;
struct pk_ast_frame;

/* The state one parse shares between scanner, grammar and constructors. */
struct pk_parse {
	struct pk_arena *arena;
	struct pk_diags *diags;
	struct pk_lexer *lex;
	struct pk_ast_stmt *head, *tail; /* the list statements go to */
	const char *root;                /* --root: where absolute paths are read, or NULL */
	struct pk_ast_frame *frames;     /* the enclosing lists, while in an anchor's braces */
	struct pk_ast_load *loads, *loads_tail; /* load anchor, in the order read */
	const char *anchor_path;         /* the anchor whose file is parsed; "" for the main file */
	unsigned nanon;                  /* unnamed inline anchors so far */
	const char *stmt_unsupported;    /* the unsupported feature of the statement being read */
};

/* Constructors called from grammar/parse.y. */
void pk_ast_add_rule(struct pk_parse *p, struct pk_ast_rule *r);
void pk_ast_add_table(struct pk_parse *p, const struct pk_loc *loc, const char *name, struct pk_ast_table *t);
void pk_ast_add_set(struct pk_parse *p, struct pk_ast_set *s);
/* interface NAME [address A, ...] [peer A, ...] [mac M] [group G, ...] */
struct pk_ast_iface *pk_ast_iface_new(struct pk_parse *p);
struct pk_ast_iface *pk_ast_iface_addrs(struct pk_ast_iface *i, struct pk_ast_item *addrs);
struct pk_ast_iface *pk_ast_iface_peers(struct pk_ast_iface *i, struct pk_ast_item *peers);
struct pk_ast_iface *pk_ast_iface_mac(struct pk_ast_iface *i, const char *mac, const struct pk_loc *loc);
struct pk_ast_iface *pk_ast_iface_groups(struct pk_ast_iface *i, struct pk_ast_item *groups);
void pk_ast_add_iface(struct pk_parse *p, const struct pk_loc *loc, const char *name, struct pk_ast_iface *i);
void pk_ast_add_route(struct pk_parse *p, const struct pk_loc *loc, const struct pk_ast_item *dst,
		      const char *ifname, const char *gw, const struct pk_loc *gl);
void pk_ast_add_carried(struct pk_parse *p, const struct pk_loc *loc, const char *text);
void pk_ast_add_host(struct pk_parse *p, const struct pk_loc *loc, const char *name, struct pk_ast_item *addrs);
/* A keyword of the topology read where a word is due. */
char *pk_ast_keyword_text(struct pk_parse *p, const char *keyword);
void pk_ast_define_macro(struct pk_parse *p, const struct pk_loc *loc, const char *name, const char *value);

/* Filter, match and scrub rules. */
void pk_ast_filter(struct pk_parse *p, const struct pk_loc *loc, struct pk_ast_act act, int dir,
		   struct pk_ast_logquick lq, struct pk_ast_item *ifs, int af, struct pk_ast_item *protos,
		   struct pk_ast_fromto ft, struct pk_ast_opt *opts);
/* Modifiers of the older translation rules: no nat, nat pass, nat log. */
enum pk_ast_act_flag { PK_AST_ACT_NO, PK_AST_ACT_PASS, PK_AST_ACT_LOG };
struct pk_ast_act pk_ast_act_with(struct pk_ast_act a, int flag);
/* block: an enum pk_block_kind, or PK_AST_BLOCK_POLICY when none is written */
#define PK_AST_BLOCK_POLICY 255
/* antispoof [log] [quick] for IF|(IF)|{...} [af] [label ...]; an item's s2
 * is "dynamic" for (IF). */
/* log (...): the options after `all`, joined; a word pfctl does not know is an error. */
struct pk_ast_logquick pk_ast_logopt(struct pk_parse *p, const struct pk_loc *loc, const char *word);
struct pk_ast_logquick pk_ast_logopts_join(struct pk_parse *p, struct pk_ast_logquick a, struct pk_ast_logquick b);
void pk_ast_antispoof(struct pk_parse *p, const struct pk_loc *loc, struct pk_ast_logquick lq,
		      struct pk_ast_item *ifs, int af, struct pk_ast_opt *opts);
struct pk_ast_act pk_ast_act_make(uint8_t action, uint8_t block, const char *ttl, const char *icmp,
				  const char *icmp6);
struct pk_ast_fromto pk_ast_fromto_make(struct pk_ast_ipp src, struct pk_ast_ipp dst, bool all);
struct pk_ast_ipp pk_ast_ipp_make(struct pk_ast_host *hosts, struct pk_ast_port *ports);
/* The `-> pool` of an old nat/rdr/binat rule, as a translation option. */
struct pk_ast_opt *pk_ast_arrow(struct pk_parse *p, const struct pk_loc *loc, struct pk_ast_host *pool,
				const char *port, struct pk_ast_opt *poolopts);
/* An option carrying sub-lists (nat-to, route-to, icmp-type, state, scrub). */
struct pk_ast_opt *pk_ast_opt_list(struct pk_parse *p, const struct pk_loc *loc, uint16_t kind, long long n,
				   struct pk_ast_host *hosts, const char *port, struct pk_ast_item *items,
				   struct pk_ast_opt *sub);
struct pk_ast_table *pk_ast_table_new(struct pk_parse *p);
void pk_ast_table_opt(struct pk_parse *p, struct pk_ast_table *t, const struct pk_ast_tableopt *o);
struct pk_ast_set *pk_ast_set_new(struct pk_parse *p, const struct pk_loc *loc, uint8_t kind,
				  const char *s, long long n, struct pk_ast_item *items);

struct pk_ast_host *pk_ast_host_new(struct pk_parse *p, const struct pk_loc *loc, uint8_t kind,
				    const char *a, const char *b, int mask);
struct pk_ast_host *pk_ast_host_neg(struct pk_ast_host *h, const struct pk_loc *loc);
/* route-to (IF address): the address, reached through IF. */
struct pk_ast_host *pk_ast_host_via(const struct pk_loc *loc, const char *ifname, struct pk_ast_host *h);
struct pk_ast_host *pk_ast_host_append(struct pk_ast_host *list, struct pk_ast_host *h);

struct pk_ast_port *pk_ast_port_new(struct pk_parse *p, const struct pk_loc *loc, uint8_t op,
				    const char *lo, const char *hi);
/* A single word as a port: "80", "ssh", or "1000:2000". */
struct pk_ast_port *pk_ast_port_word(struct pk_parse *p, const struct pk_loc *loc, const char *w);
struct pk_ast_port *pk_ast_port_append(struct pk_ast_port *list, struct pk_ast_port *x);

struct pk_ast_item *pk_ast_item_new(struct pk_parse *p, const struct pk_loc *loc, bool neg,
				    const char *s, const char *s2);
struct pk_ast_item *pk_ast_item_append(struct pk_ast_item *list, struct pk_ast_item *x);

struct pk_ast_opt *pk_ast_opt_new(struct pk_parse *p, const struct pk_loc *loc, uint16_t kind,
				  const char *s, long long n);
/* An option with two texts: flags S/SA, max-src-conn-rate N/S, a timeout. */
struct pk_ast_opt *pk_ast_opt_pair(struct pk_parse *p, const struct pk_loc *loc, uint16_t kind, const char *s,
				   const char *s2);
struct pk_ast_opt *pk_ast_opt_append(struct pk_ast_opt *list, struct pk_ast_opt *x);
/* user IDS or group IDS: names, numbers or unknown with the port operators. */
struct pk_ast_opt *pk_ast_owner(struct pk_parse *p, const struct pk_loc *loc, bool group, struct pk_ast_port *ids);
char *pk_ast_concat(struct pk_parse *p, const char *a, const char *sep, const char *b);
/* Reports `unsupported: what` at loc. */
void pk_ast_unsupported(struct pk_parse *p, const struct pk_loc *loc, const char *what);
void pk_ast_add_stmt(struct pk_parse *p, uint8_t kind, void *node);

/* Anchors (compiler/ast_anchor.c). An anchor's braces open a statement
 * list of their own, closed (and returned) at the closing brace. */
void pk_ast_body_open(struct pk_parse *p);
struct pk_ast_body *pk_ast_body_close(struct pk_parse *p);
/* Closes the lists a syntax error left open, back to `to`. */
void pk_ast_body_unwind(struct pk_parse *p, const struct pk_ast_frame *to);
/* An anchor rule: name NULL when not written, body NULL without braces. */
void pk_ast_anchor(struct pk_parse *p, const struct pk_loc *loc, int kind, const char *name, int dir, bool quick,
		   struct pk_ast_item *ifs, int af, struct pk_ast_item *protos, struct pk_ast_fromto ft,
		   struct pk_ast_opt *opts, struct pk_ast_body *body);
void pk_ast_load(struct pk_parse *p, const struct pk_loc *loc, const char *name, const char *file);
/* An anchor path as pfctl forms it: NAME relative to the anchor `from`
 * ("" for the main ruleset), "/NAME" absolute, each leading "../" one
 * level up. NULL when "../" climbs above the main ruleset. */
const char *pk_anchor_path(struct pk_arena *a, const char *from, const char *name);

/* The whole parse: text of one file into p's statement list. Returns the
 * number of errors reported. */
int pk_parse_text(struct pk_parse *p, const char *file, const char *text, size_t len);

#endif
