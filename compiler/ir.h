/*
 * compiler/ir.h: the resolved ruleset, which every later stage reads.
 *
 * The front end (grammar/ + compiler/resolve*) produces it; the printer,
 * the linter (verify/), the encoder (compiler/encode*) and the .pkb decoder
 * used by `picket dump` all read or rebuild it. Everything here is resolved:
 * macros substituted, lists expanded into one rule per combination (as pfctl
 * does), interface references resolved against the topology, defaults made
 * explicit. Every rule carries the span it came from.
 *
 * The values a rule is made of (actions, families, port operators...) are
 * the runtime's (runtime/rule_vocab.h), so the encoder stores them as they
 * are.
 *
 * All memory belongs to the ruleset's arena. Addresses are in network byte
 * order (IPv4 in the first 4 bytes of a 16-byte array); ports and numbers are
 * host order.
 */
#ifndef PK_COMPILER_IR_H
#define PK_COMPILER_IR_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/arena.h"
#include "compiler/loc.h"
#include "runtime/rule_vocab.h"
#include "runtime/timeouts.h"

/* An address and prefix length: a host is /32 or /128. */
struct pk_prefix {
	uint8_t af; /* PK_AF_INET or PK_AF_INET6 */
	uint8_t len;
	uint8_t addr[16];
};

struct pk_ir_addr {
	uint8_t kind;  /* enum pk_addr_kind */
	bool neg;      /* ! */
	uint8_t ifmod; /* enum pk_ifmod */
	bool noalias;  /* IF:0 */
	struct pk_prefix pfx;       /* PREFIX; RANGE start */
	struct pk_prefix range_end; /* RANGE end (len unused) */
	uint32_t table;             /* TABLE: index into ruleset tables */
	const char *ifname;         /* the interface named, when ifmod != NONE; the
				     * scope of a literal fe80::1%lo0 otherwise */
};

struct pk_port_match {
	uint8_t op; /* enum pk_port_op */
	uint16_t lo, hi;
};

struct pk_state_opts {
	uint32_t max;             /* 0 = no limit */
	uint32_t max_src_nodes;
	uint32_t max_src_states;
	uint32_t max_src_conn;
	uint32_t max_src_conn_rate; /* connections ... */
	uint32_t max_src_conn_secs; /* ... per this many seconds; 0 = unset */
	uint8_t src_track;          /* enum pk_src_track */
	uint8_t policy;             /* enum pk_state_policy; DEFAULT = set state-policy */
	bool sloppy, no_sync, pflow, allow_related;
	const char *overload_table; /* overload <t> [flush [global]] */
	bool overload_flush, overload_flush_global;
	uint32_t timeouts[PK_TMO_COUNT]; /* per-rule, PK_TMO_UNSET if not set */
};

struct pk_ir_nat {
	uint8_t kind;            /* enum pk_nat_kind */
	struct pk_ir_addr *pool; /* one or more addresses (a list is a pool) */
	uint32_t npool;
	uint16_t port_lo, port_hi; /* 0 = keep the port; hi == lo for one port */
	uint8_t pool_opts;         /* enum pk_pool_opt bits */
	const char *hash_key;      /* source-hash key, "0x" + 32 hex digits; NULL = none */
};

struct pk_ir_route_opt {
	uint8_t kind;        /* enum pk_route_kind */
	const char *ifname;  /* may be NULL when only an address is given */
	struct pk_prefix gw; /* gw.af == 0 when no address */
	struct pk_ir_addr addr; /* the target as written, e.g. (IF:peer); kind ANY when none */
	uint8_t pool_opts;      /* enum pk_pool_opt bits */
	const char *hash_key;   /* source-hash key, as in struct pk_ir_nat */
};

struct pk_ir_scrub {
	bool set;       /* the rule carries scrub options */
	bool no_df, random_id, reassemble_tcp, fragment_reassemble;
	uint16_t max_mss; /* 0 = unset */
	uint8_t min_ttl;  /* 0 = unset */
	int16_t set_tos;  /* -1 = unset */
};

/* divert-to ADDR port N, divert-reply, divert-packet port N. */
struct pk_ir_divert {
	uint8_t kind;          /* enum pk_divert_kind */
	uint16_t port;         /* divert-to's and divert-packet's; 0 otherwise */
	struct pk_prefix addr; /* divert-to's local address, a host; af 0 otherwise */
};

/* af-to FAMILY from A [to B]: pf's NAT64/NAT46 on an inbound pass rule
 * (runtime/engine_afto.c); A and B are addresses or prefixes. */
struct pk_ir_afto {
	uint8_t af;                 /* the family translated to; 0 = no af-to */
	struct pk_ir_addr from, to; /* as written; to.kind is ANY when not written */
	struct pk_prefix src, dst;  /* the addresses they give (an interface's from the
				     * topology), which the bytecode carries; dst.af 0: no to */
};

/* An interface match: `on IF`, `on ! IF`, or none (any). */
struct pk_ir_ifmatch {
	const char *name; /* NULL = any interface */
	bool neg;
};

struct pk_ir_rule {
	uint32_t nr; /* 0-based position in the resolved ruleset: pfctl's @nr */
	struct pk_loc loc;
	uint8_t action;          /* enum pk_action */
	uint8_t block;           /* enum pk_block_kind, effective */
	bool explicit_block;     /* the kind was written, not taken from the policy */
	uint8_t return_ttl;      /* return-rst (ttl N); 0 = default */
	int16_t return_icmp;     /* return-icmp (code); -1 = default (port-unreach) */
	int16_t return_icmp6;
	uint8_t dir; /* enum pk_dir */
	bool quick, log, log_all;
	const char *log_opts; /* log (matches, user, to IF): how to log, as written; NULL = none */
	struct pk_ir_ifmatch ifc;
	struct pk_ir_ifmatch rcv; /* received-on [!] IF: the interface a packet was received on
				   * (for an outbound one, where a forwarded packet came in) */
	uint8_t af;    /* enum pk_af; 0 = either */
	uint8_t proto; /* 0 = any */
	struct pk_ir_addr src, dst;
	struct pk_port_match sport, dport;
	uint8_t flags, flagmask; /* flags F/M: (tcpflags & M) == F; mask 0 = any */
	int16_t icmp_type, icmp_code; /* -1 = unset; ICMPv6 when proto is 58 */
	int16_t tos;                  /* -1 = unset */
	bool allow_opts;
	bool fragment;        /* matches only fragments (pf filters them when `set reassemble no`) */
	bool natpass;         /* nat/rdr/binat pass: what it translates passes without the filter rules */
	uint32_t probability; /* 0 = unset; else chance * 2^32 - 1 */
	const char *label;    /* expanded as pfctl does ($nr, $srcaddr, ...); NULL = none */
	const char *tag;      /* tag NAME */
	const char *tagged;   /* tagged NAME */
	const char *carried;  /* options that change no verdict, as written (queue...) */
	/* A feature outside the subset (check, lint and print go on, compile
	 * refuses): its name, and the statement as written with macros
	 * expanded, printed back instead of the rule (NULL when the rule
	 * prints as parsed). The linter takes such a rule as one that may
	 * match any packet. NULL = none. */
	const char *unsupported, *text;
	/* `user` and `group`: one id each after expansion, as written ("_pbuild",
	 * "!= wheel", "1000 >< 2000"); NULL = none. owner (enum pk_owner) is what
	 * they leave of the rule, the one thing the evaluators read. */
	const char *user, *group;
	uint8_t owner;
	bool tagged_neg;
	uint8_t state; /* enum pk_state_type; pass defaults to KEEP */
	struct pk_state_opts sopts;
	struct pk_ir_nat nat;
	struct pk_ir_route_opt route;
	struct pk_ir_divert divert;
	struct pk_ir_afto afto;
	struct pk_ir_scrub scrub;
};

struct pk_ir_table_entry {
	struct pk_prefix pfx;
	bool neg; /* !addr: excluded even when a wider entry matches */
};

struct pk_ir_table {
	const char *name; /* without the angle brackets */
	struct pk_loc loc;
	bool persist, is_const, counters;
	bool implicit; /* made by the compiler for (IF) or self */
	bool undeclared; /* no table line: made for a rule that names it (pf attaches it with the rule) */
	struct pk_ir_table_entry *entries;
	uint32_t nentries;
	uint32_t ninline; /* with files: entries[0..ninline) are written inline, the rest read
			   * from the files; without files every entry is inline */
	const char **files; /* file "path" sources, for printing */
	uint32_t nfiles;
};

/* Topology: what pf would read from the kernel, declared for offline use.
 * `interface NAME address CIDR, ... [mac ...]` and `route P via IF [gateway A]`. */
struct pk_ir_iface {
	const char *name;
	struct pk_loc loc;
	struct pk_prefix *addrs; /* address with the network's prefix length */
	uint32_t naddrs;
	struct pk_prefix *peers; /* far ends of a point-to-point link, hosts */
	uint32_t npeers;
	const char **groups; /* declared groups (see pk_ir_iface_in_group) */
	uint32_t ngroups;
	uint8_t mac[6];
	bool has_mac;
	bool wan; /* some route through it has a gateway (pfSense's WAN-type) */
};

struct pk_ir_route {
	struct pk_loc loc;
	struct pk_prefix dst;
	const char *ifname;
	struct pk_prefix gw; /* gw.af == 0 when none */
	/* Made by the front end for an interface's directly connected network,
	 * so route look-ups see it; not printed. */
	bool connected;
};

struct pk_ir_options {
	uint8_t optimization;              /* enum pk_optimization */
	uint32_t timeouts[PK_TMO_COUNT];   /* effective: profile, then overrides, adaptive computed */
	bool timeout_set[PK_TMO_COUNT];    /* written with `set timeout` */
	struct pk_loc timeout_loc[PK_TMO_COUNT];
	uint32_t limits[PK_LIMIT_COUNT];   /* effective */
	bool limit_set[PK_LIMIT_COUNT];
	uint8_t block_policy;              /* enum pk_block_policy */
	uint8_t state_policy;              /* PK_POLICY_IF_BOUND or PK_POLICY_FLOATING */
	const char **skip;                 /* set skip on */
	uint32_t nskip;
	const char *debug, *loginterface, *ruleset_optimization, *fingerprints;
	uint32_t hostid;
	bool hostid_set;
	/* set reassemble no / no-df; whether it was written at all (zero: pf's default) */
	bool reassemble_no, reassemble_nodf, reassemble_set;
	/* the `set ...` lines as written, in order, for `picket print` */
	struct pk_loc *set_locs;
	uint32_t nset;
};

/* One source file read for this ruleset (the main file and its includes). */
struct pk_ir_source {
	const char *path;
	const char *text;
	size_t len;
};

/* A statement kept as written: queue, altq, set fingerprints... */
struct pk_ir_carried {
	struct pk_loc loc;
	const char *text;
};

/* The policy tests the ruleset passed (picket compile --expect). */
struct pk_ir_tests {
	uint8_t sha256[32]; /* of the expectations file */
	const char *path;
	uint32_t count;
};

struct pk_ir_ruleset {
	struct pk_arena *arena;
	struct pk_ir_options opts;
	struct pk_ir_table *tables;
	uint32_t ntables;
	struct pk_ir_iface *ifaces;
	uint32_t nifaces;
	struct pk_ir_route *routes;
	uint32_t nroutes;
	struct pk_ir_rule *rules; /* in evaluation order, rules[i].nr == i */
	uint32_t nrules;
	struct pk_ir_source *sources;
	uint32_t nsources;
	struct pk_ir_carried *carried; /* statements that change no verdict */
	uint32_t ncarried;
	const struct pk_ir_tests *tests; /* set by the compile command; NULL: none recorded */
	/* verify/eval.c's note of where the older nat, rdr and binat rules lie
	 * (rules [lo, hi)), made by its first look at the rules array of that
	 * address and count: an evaluation then reads no other rule for them */
	struct {
		const struct pk_ir_rule *rules;
		uint32_t nrules, lo, hi;
	} older_memo;
};

/* Whether rule r reads, of a packet of protocol proto, what only the
 * upper-layer header shows: ports, TCP flags, ICMP type or code, the
 * socket's owner. pf matches no such rule against a fragment
 * (pf_match_rule, PF_VPROTO_FRAGMENT). */
bool pk_ir_rule_reads_l4(const struct pk_ir_rule *r, uint8_t proto);

/* Look-ups used by every stage. */
const struct pk_ir_iface *pk_ir_iface_find(const struct pk_ir_ruleset *rs, const char *name);
/* Whether interface f is in interface group g, as OpenBSD forms groups:
 * those the topology declares, `egress` (f holds a default route), and
 * the group of its kind, its name without the unit number (lo for lo0). */
bool pk_ir_iface_in_group(const struct pk_ir_ruleset *rs, const struct pk_ir_iface *f, const char *g);
/* Whether name, in `on NAME` or an address, stands for interface f: it is
 * f's name or the name of a group f is in. */
bool pk_ir_iface_named(const struct pk_ir_ruleset *rs, const struct pk_ir_iface *f, const char *name);
const struct pk_ir_table *pk_ir_table_find(const struct pk_ir_ruleset *rs, const char *name);
/* Longest-prefix route for an address; NULL when no route covers it. A
 * directly connected network of an interface counts as a route. */
const struct pk_ir_route *pk_ir_route_lookup(const struct pk_ir_ruleset *rs, const struct pk_prefix *addr,
					     const struct pk_ir_iface **iface);

/* Prefix helpers */
bool pk_prefix_contains(const struct pk_prefix *net, const uint8_t addr[16], uint8_t af);
int pk_prefix_parse(const char *text, struct pk_prefix *out); /* "10.0.0.0/8", "::1" */
bool pk_prefix_is_link_local(const struct pk_prefix *p); /* in fe80::/10 */
/* A rule's probability field for a chance in [0, 1] (what `probability`
 * resolves to, and what the printer checks its text against). */
uint32_t pk_ir_probability(double chance);
/* Formats without the length when it is the host length. */
void pk_prefix_format(const struct pk_prefix *p, char *buf, size_t size);

#endif
