/*
 * runtime/ruleset.h: a loaded and verified .pkb, as the packet path sees it.
 *
 * This is the contract between the bytecode side (loader, verifier,
 * classifier: runtime/pkb_*.c, runtime/classify*.c) and the packet side
 * (state table, TCP tracking, NAT, replay, picketd). Nothing is evaluated
 * before pk_rs_load() has verified the whole file.
 *
 * The runtime includes nothing from grammar/, compiler/ or verify/: the
 * values a rule is made of are defined at this lowest layer, in
 * runtime/rule_vocab.h, and the IR takes them from there.
 */
#ifndef PK_RUNTIME_RULESET_H
#define PK_RUNTIME_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/err.h"
#include "runtime/rule_vocab.h"
#include "runtime/timeouts.h"

#define PK_RT_NO_RULE UINT32_MAX
#define PK_RT_NO_TABLE UINT32_MAX
#define PK_RT_NO_IFACE UINT16_MAX

/* The rule sets pf evaluates, in the order it evaluates them. Legacy
 * scrub/nat/rdr/binat rules are first-match; the filter is last-match
 * unless quick (and holds pass, block and match rules). */
enum pk_rt_phase { PK_PHASE_SCRUB, PK_PHASE_BINAT, PK_PHASE_RDR, PK_PHASE_NAT, PK_PHASE_FILTER, PK_PHASE_COUNT };

struct pk_rs;

/* Load and verify. The buffer is copied; the caller may free it. On failure
 * returns -1, fills err (the failed check and its byte offset) and leaves
 * *out NULL. Never reads outside buf. */
int pk_rs_load(const uint8_t *buf, size_t len, struct pk_rs **out, struct pk_err *err);
/* The same without the copy: buf, malloc'd, is the ruleset's from the
 * call on, freed by pk_rs_free or at once on failure. A large file is
 * then in memory once, not twice. */
int pk_rs_adopt(uint8_t *buf, size_t len, struct pk_rs **out, struct pk_err *err);
/* The same for a file (runtime/infile.h: "-" is standard input; a
 * directory, a device, a file over 256 MiB or not a .pkb is refused). */
int pk_rs_load_file(const char *path, struct pk_rs **out, struct pk_err *err);
void pk_rs_free(struct pk_rs *rs);

/* The fields of a packet the rules look at, filled by the packet parser. */
struct pk_match_pkt {
	uint8_t af;      /* PK_AF_INET or PK_AF_INET6 */
	uint8_t proto;
	uint8_t dir;     /* PK_DIR_IN or PK_DIR_OUT */
	uint8_t tcp_flags;
	uint16_t iface;  /* index into the ruleset's interface names, or PK_RT_NO_IFACE */
	uint16_t sport, dport; /* host order; 0 when the protocol has none */
	uint8_t src[16], dst[16];
	int16_t icmp_type, icmp_code; /* -1 when not ICMP/ICMPv6 */
	uint8_t tos;
	bool ip_options;  /* IPv4 options or IPv6 extension headers pf treats as options */
	uint16_t tag;     /* tag set by an earlier rule or state; 0 = none */
	bool local;       /* in to one of the firewall's addresses, or out from one, as it arrived:
			   * a socket of the firewall's own (enum pk_owner); the engine works it
			   * out only when some rule reads it */
	bool fragment;    /* a fragment the rules see as one (set reassemble no): it shows no
			   * ports, flags or ICMP header; the struct has no padding, so the
			   * decision cache compares bytes */
	uint16_t rcvif;   /* the interface it was received on (received-on); PK_RT_NO_IFACE
			   * for the firewall's own packets */
	uint16_t zero2;   /* always 0, as zero */
	uint32_t random;  /* drawn by the caller for `probability` */
	uint32_t zero3;   /* always 0: the size a whole number of 8-byte words */
};

/* Options after profile and overrides, as the file carries them. */
struct pk_rs_options {
	uint32_t timeouts[PK_TMO_COUNT];
	uint32_t limit_states, limit_frags, limit_src_nodes, limit_table_entries;
	uint8_t block_policy; /* enum pk_block_policy */
	uint8_t state_policy; /* PK_POLICY_IF_BOUND or PK_POLICY_FLOATING */
	uint8_t optimization; /* enum pk_optimization */
	uint8_t reassemble;   /* PK_REASS_* bits */
	uint32_t hostid;
	uint16_t nskip;
	const uint16_t *skip; /* interface indices under `set skip on` */
};

/* What the packet path needs of a rule once it has decided. */
/* What a rule's af-to says (runtime/afto.h translates by it): the family
 * translated to (0: no af-to), `from` and `to` (to_len 0 when not
 * written; IPv4 in the first 4 bytes), and the length of the rule's
 * destination prefix (0 for any other destination). */
struct pk_afto {
	uint8_t af;
	uint8_t from[16], from_len;
	uint8_t to[16], to_len;
	uint8_t rule_dst_len;
};

struct pk_rs_rule {
	uint32_t nr;        /* @nr */
	uint32_t line;      /* source line; file is pk_rs_rule_file() */
	uint8_t action, block, state, dir; /* enum pk_action, pk_block_kind, pk_state_type, pk_dir */
	bool quick, log, log_all, allow_opts;
	bool natpass; /* nat/rdr/binat pass: what it translates skips the filter rules */
	uint8_t return_ttl;
	int16_t return_icmp, return_icmp6;
	uint8_t af, proto;
	/* state options */
	uint32_t max_states, max_src_nodes, max_src_states, max_src_conn;
	uint32_t max_src_conn_rate, max_src_conn_secs;
	uint8_t src_track, policy; /* enum pk_src_track, pk_state_policy */
	bool sloppy;
	uint32_t overload_table;         /* table index, PK_RT_NO_TABLE when none */
	bool overload_flush, overload_flush_global;
	uint32_t timeouts[PK_TMO_COUNT]; /* PK_TMO_UNSET where the rule sets none */
	uint16_t tag;                    /* tag to set, 0 = none */
	/* scrub (match ... scrub or old scrub rules) */
	bool scrub, no_df, random_id, reassemble_tcp;
	/* what the rule's match reads beyond addresses, ports and protocol */
	bool probability; /* matches only when the packet's random draw is below a threshold */
	bool tests_tos;
	bool tests_owner; /* user or group: whether the packet is local (pk_match_pkt.local) */
	uint8_t tcp_mask; /* the TCP flags it tests (flags x/mask), 0 = none */
	uint16_t max_mss;
	uint8_t min_ttl;
	int16_t set_tos;
	/* translation */
	uint8_t nat;           /* enum pk_nat_kind */
	uint8_t nat_af;
	uint8_t nat_pool_opts; /* enum pk_pool_opt bits */
	uint16_t nat_npool;
	const uint8_t *nat_pool; /* nat_npool addresses, 17 bytes each: 16 address + prefix length */
	uint16_t nat_port_lo, nat_port_hi;
	/* route-to / reply-to / dup-to */
	uint8_t route; /* enum pk_route_kind */
	uint16_t route_iface;
	uint8_t route_gw[16];
	/* divert-to / divert-reply / divert-packet */
	uint8_t divert; /* enum pk_divert_kind */
	uint16_t divert_port;
	uint8_t divert_addr[16];
	struct pk_afto afto;
	const char *label; /* NULL when none */
};

uint32_t pk_rs_nrules(const struct pk_rs *rs);

/* The inbound side of an older `binat` rule: the interface it is on
 * (PK_RT_NO_IFACE for any), its internal address (`from`) and the peers it
 * applies to (`to`; peer_af 0 for any). False when rule i is not a binat
 * rule or its `from` / `to` is not a plain address or prefix. */
struct pk_rs_binat {
	uint16_t iface;
	uint8_t af, len, peer_af, peer_len;
	uint8_t addr[16], peer[16];
};
bool pk_rs_binat_in(const struct pk_rs *rs, uint32_t i, struct pk_rs_binat *b);
/* The older binat rule i takes a packet coming in on iface by its
 * external address (pf_match_translation): the pool's first network holds
 * the destination, the rule's `to` the source. */
bool pk_rs_binat_takes_in(const struct pk_rs *rs, uint32_t i, uint8_t af, uint8_t proto, uint16_t iface,
			  const uint8_t src[16], const uint8_t dst[16]);
const struct pk_rs_rule *pk_rs_rule(const struct pk_rs *rs, uint32_t i);
/* The rules as one array, numbered as pk_rs_rule numbers them (pk_rs_nrules
 * of them): for the packet path, which reads several a packet. */
const struct pk_rs_rule *pk_rs_rules(const struct pk_rs *rs);
const char *pk_rs_rule_file(const struct pk_rs *rs, uint32_t i);
const struct pk_rs_options *pk_rs_options(const struct pk_rs *rs);

/* The deciding rule of a phase. For the filter: the last matching pass or
 * block rule unless an earlier matching one is quick; match rules that
 * matched on the way are listed in `matches` (their options apply). For
 * the first-match phases: the first match. rule == PK_RT_NO_RULE if none. */
#define PK_RS_MAX_MATCHES 16 /* match rules a result lists */
struct pk_rs_result {
	uint32_t rule;
	uint32_t nmatches;
	uint32_t matches[PK_RS_MAX_MATCHES]; /* match rules, in order; excess ones are not kept */
	uint32_t evaluated;   /* rules examined, for counters and benchmarks */
};
void pk_rs_classify(const struct pk_rs *rs, enum pk_rt_phase phase, const struct pk_match_pkt *p,
		    struct pk_rs_result *res);
/* The same by plain linear evaluation, calling visit for every rule that
 * matches: used by `--explain` and by tests as the reference. */
void pk_rs_classify_trace(const struct pk_rs *rs, enum pk_rt_phase phase, const struct pk_match_pkt *p,
			  struct pk_rs_result *res, void (*visit)(void *ctx, uint32_t rule), void *ctx);
/* pf's walk of the filter phase, rule by rule from rule index `from` on
 * (from 0 starts res afresh), that pauses after the first matching `match`
 * rule with a translation and returns it; PK_RT_NO_RULE when the walk is
 * over. pf matches every rule against the addresses and ports as
 * translated so far, so the caller translates the packet and walks on
 * from the next rule. */
uint32_t pk_rs_filter_walk(const struct pk_rs *rs, const struct pk_match_pkt *p, uint32_t from,
			   struct pk_rs_result *res, void (*visit)(void *ctx, uint32_t rule), void *ctx);

/* Interfaces and topology */
uint16_t pk_rs_niface(const struct pk_rs *rs);
const char *pk_rs_iface_name(const struct pk_rs *rs, uint16_t i);
uint16_t pk_rs_iface_find(const struct pk_rs *rs, const char *name); /* PK_RT_NO_IFACE if absent */
bool pk_rs_iface_is_wan(const struct pk_rs *rs, uint16_t i);
bool pk_rs_iface_mac(const struct pk_rs *rs, uint16_t i, uint8_t mac[6]);
/* The interface's addresses: af, 16 bytes, prefix length. */
uint32_t pk_rs_iface_naddr(const struct pk_rs *rs, uint16_t i);
void pk_rs_iface_addr(const struct pk_rs *rs, uint16_t i, uint32_t k, uint8_t *af, uint8_t addr[16], uint8_t *len);
/* True when addr is one of the firewall's own addresses. */
bool pk_rs_is_self(const struct pk_rs *rs, uint8_t af, const uint8_t addr[16]);
/* Longest-prefix route (connected networks included): egress interface and
 * next hop (gw_af 0 = directly connected). False when no route. */
bool pk_rs_route(const struct pk_rs *rs, uint8_t af, const uint8_t dst[16], uint16_t *iface, uint8_t *gw_af,
		 uint8_t gw[16]);
/* The same when only the interface matters. */
bool pk_rs_route_iface(const struct pk_rs *rs, uint8_t af, const uint8_t dst[16], uint16_t *iface);

/* Tag names: tag ids (struct pk_rs_rule.tag, pk_match_pkt.tag) are 1..ntags. */
/* Tables: a name for messages, and pf's overload. pk_rs_table_add puts a
 * host in table t while packets flow: 1 added, 0 the table already lists
 * that very host (as written or added), -1 the table-entries limit. */
const char *pk_rs_table_name(const struct pk_rs *rs, uint32_t t);
int pk_rs_table_add(struct pk_rs *rs, uint32_t t, uint8_t af, const uint8_t addr[16]);
uint32_t pk_rs_table_added(const struct pk_rs *rs);
/* At a reload, from the old rules to the new (before any packet meets
 * them): pf keeps a table that no line defines, as the new rules attach
 * the kernel's table before the old ones let it go, and refills one the
 * new file defines. The hosts overload added move to the new rules' table
 * of the same name when no line of theirs defines it. Returns how many. */
uint32_t pk_rs_table_carry(struct pk_rs *to, const struct pk_rs *from);
/* Does a rule's source or destination read table t: would a host added
 * to it change decisions? (An overload table no rule reads only counts.) */
bool pk_rs_table_read(const struct pk_rs *rs, uint32_t t);
uint32_t pk_rs_ntables(const struct pk_rs *rs);
uint32_t pk_rs_table_written(const struct pk_rs *rs, uint32_t t); /* entries in the file */
/* The added hosts in turn: start with *cursor 0; false when none is left. */
bool pk_rs_table_next_added(const struct pk_rs *rs, uint32_t *cursor, uint32_t *t, uint8_t *af, uint8_t addr[16]);

uint16_t pk_rs_ntags(const struct pk_rs *rs);
const char *pk_rs_tag_name(const struct pk_rs *rs, uint16_t tag); /* NULL when not a tag id */

/* Provenance, for reports */
const uint8_t *pk_rs_source_hash(const struct pk_rs *rs); /* 32 bytes */
/* The SHA-256 checksum of the whole .pkb (its header's): what names this
 * exact compiled ruleset, rule indices included. 32 bytes. */
const uint8_t *pk_rs_checksum(const struct pk_rs *rs);

#endif
