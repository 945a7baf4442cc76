/*
 * runtime/pkb_priv.h: the loaded ruleset's representation, shared by the
 * loader (pkb_load.c), the verifier (pkb_verify*.c), the accessors
 * (ruleset.c, route.c, rulebox.c) and the classifier (classify.c). Nothing
 * outside runtime/ sees it: the disassembler and the .pkb decoder read the
 * file through a struct pkb_view (runtime/pkb_format.h).
 */
#ifndef PK_RUNTIME_PKB_PRIV_H
#define PK_RUNTIME_PKB_PRIV_H

#include <stdalign.h>
#include <stdarg.h>
#include <stdint.h>

#include "runtime/pkb_format.h"
#include "runtime/ruleset.h"
#include "runtime/table_add.h"

/* A run of a table's sorted index with one (af, len): looked up by binary search. */
struct pk_rs_tgroup {
	uint8_t af, len;
	uint32_t first, n; /* into the TABINDEX section */
};

/* A connected network or route, its network masked to its length and held
 * as two words in host byte order (route.c). */
struct pk_rs_rtent {
	uint64_t net[2];
	uint8_t af, len, gw_af;
	uint16_t iface;
	uint32_t seq; /* listing order: interfaces' addresses, then routes */
	uint8_t gw[16];
};

/* One of the firewall's own addresses, as pk_rs_is_self searches them:
 * sorted by family, then words. */
struct pk_rs_self {
	uint64_t w[2];
	uint8_t af;
};

/* A run of the routing table with one (af, len), and that length's mask. */
struct pk_rs_rtgroup {
	uint64_t mask[2];
	uint8_t af, len;
	uint32_t first, n;
};

/* A rule as the classifier tests it (rulebox.c): its box for its own
 * family and its other cheap conditions on one cache line. PK_BOX_FULL:
 * the box is not the whole rule, so pk_rs_match decides after it. */
#define PK_BOX_FULL 1u
#define PK_BOX_IFNEG 2u
#define PK_BOX_QUICK 4u
#define PK_BOX_MATCH 8u /* a match rule */
struct pk_rs_box {
	alignas(64) uint64_t src_lo;
	uint64_t src_hi, dst_lo, dst_hi;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi;
	uint16_t iface; /* PK_RT_NO_IFACE: any */
	uint8_t af, proto, dir, tcp_flags, tcp_mask, phase, bits;
	int16_t icmp_type, icmp_code; /* -1 unset */
};

/* struct pk_rs.table_use */
#define PK_TABLE_READ 1u /* a rule's source or destination names it */
#define PK_TABLE_FED 2u  /* overload adds hosts to it */

struct pk_rs {
	uint8_t *buf; /* the verified file, owned */
	size_t len;
	const struct pkb_header *h;
	const void *sec[PKB_SEC_COUNT];
	uint32_t cnt[PKB_SEC_COUNT];
	/* built at load from the verified records */
	struct pk_rs_rule *rules;
	uint8_t *pools;
	uint16_t *skip;
	struct pk_rs_options opts;
	uint32_t *phase_rules; /* rule indices grouped by phase, rule order within */
	uint32_t phase_first[PK_PHASE_COUNT + 1];
	struct pk_rs_tgroup *groups;
	uint32_t *table_group; /* per table: first group; table_group[ntables] = ngroups */
	uint8_t *table_use;    /* per table: PK_TABLE_READ | PK_TABLE_FED (ruleset.c) */
	struct pk_rs_rtent *rt;          /* routing table, grouped by (af, len), longest first */
	struct pk_rs_rtgroup *rtgroups;  /* first and n index rt */
	uint32_t nrtgroups;
	uint32_t *rtrie; /* inet's and inet6's tries over rt (route.c); NULL: the groups answer */
	uint32_t rtrie_nodes;
	struct pk_rs_self *self; /* the interfaces' addresses, sorted (ruleset.c) */
	uint32_t nself;
	uint64_t self_bits; /* a bit per address of self (self_bit): most others miss them all */
	struct pk_tadd_set adds; /* hosts overload added to tables since the load */
	struct pk_rs_box *boxes; /* per rule */
};

/* Verification, after the header and section table were checked and
 * rs->sec / rs->cnt set. */
int pk_rs_verify_records(const struct pk_rs *rs, struct pk_err *err);
int pk_rs_verify_tables(const struct pk_rs *rs, struct pk_err *err);
int pk_rs_verify_program(const struct pk_rs *rs, struct pk_err *err);

/* After verification: the in-memory views (rules, pools, skip list,
 * per-phase rule lists, table groups). Returns -1 when out of memory. */
int pk_rs_build(struct pk_rs *rs);
/* The routing table's look-up structure (route.c). -1 when out of memory. */
int pk_rs_build_routes(struct pk_rs *rs);

/* The rules' boxes (rulebox.c). -1 when out of memory. */
int pk_rs_build_boxes(struct pk_rs *rs);

/* Byte offset of an entry of a section in the file. */
uint64_t pk_rs_off(const struct pk_rs *rs, enum pkb_section_id id, uint64_t index, size_t field);

/* Does the rule match the packet (every condition, pf's rules)? */
bool pk_rs_match(const struct pk_rs *rs, uint32_t rule, const struct pk_match_pkt *p);
/* The most specific entry of a table holding addr (groups run from the
 * longest prefix down), or with host_only the entry for that very host;
 * NULL when none. */
const struct pkb_tabentry *pk_rs_table_entry(const struct pk_rs *rs, uint32_t table, uint8_t af,
					    const uint8_t addr[16], bool host_only);
/* Table look-up: the most specific entry decides; a negated one excludes. */
bool pk_rs_table_match(const struct pk_rs *rs, uint32_t table, uint8_t af, const uint8_t addr[16]);

#endif
