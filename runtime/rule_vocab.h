/*
 * runtime/rule_vocab.h: the values a rule is made of, shared by the IR
 * (compiler/ir.h), the .pkb (runtime/pkb_format.h) and the runtime.
 *
 * Each value set is defined once, here, at the lowest layer: the front end
 * resolves rules into these values, the encoder stores them in the file as
 * they are, and the loader, the classifier and the packet path test them by
 * the same names. A new value is a format change (docs/bytecode.md), and the
 * verifier's bounds (runtime/pkb_verify.c) name the last value of each set.
 */
#ifndef PK_RUNTIME_RULE_VOCAB_H
#define PK_RUNTIME_RULE_VOCAB_H

#include <stdbool.h>
#include <stdint.h>

/* Address families, as IP's version field: 0 is either. */
enum pk_af { PK_AF_ANY = 0, PK_AF_INET = 4, PK_AF_INET6 = 6 };

enum pk_dir { PK_DIR_ANY, PK_DIR_IN, PK_DIR_OUT };

enum pk_addr_kind {
	PK_ADDR_ANY,     /* any */
	PK_ADDR_PREFIX,  /* host or net/len */
	PK_ADDR_RANGE,   /* a - b, inclusive, same family */
	PK_ADDR_TABLE,   /* <name>, or an implicit table (see ifmod below) */
	PK_ADDR_NOROUTE, /* no-route: no route back to the address */
	PK_ADDR_URPF,    /* urpf-failed: the route back leaves another way */
};

/* How an address was written when it names an interface: kept so the
 * printer can give it back as pfctl does, while the matching meaning is in
 * kind/prefix/table. `(IF)` and `self` become PK_ADDR_TABLE over an implicit
 * table holding the topology's addresses of IF (of all interfaces, for self);
 * `IF` and `IF:network` expand to one rule per address as pfctl does. */
enum pk_ifmod {
	PK_IFMOD_NONE,      /* a literal address, range or table */
	PK_IFMOD_ADDRS,     /* IF */
	PK_IFMOD_NETWORK,   /* IF:network */
	PK_IFMOD_BROADCAST, /* IF:broadcast */
	PK_IFMOD_PEER,      /* IF:peer */
	PK_IFMOD_DYNAMIC,   /* (IF) */
	PK_IFMOD_SELF,      /* self */
};

/* pf's port operators. */
enum pk_port_op {
	PK_PORT_ANY,
	PK_PORT_EQ,      /* = lo */
	PK_PORT_NE,      /* != lo */
	PK_PORT_LT,      /* < lo */
	PK_PORT_LE,      /* <= lo */
	PK_PORT_GT,      /* > lo */
	PK_PORT_GE,      /* >= lo */
	PK_PORT_RANGE,   /* lo:hi, inclusive */
	PK_PORT_INSIDE,  /* lo >< hi, strictly between */
	PK_PORT_OUTSIDE, /* lo <> hi, strictly outside */
};

/* Does port satisfy `op lo hi` (pf_match_port)? The one reading of the
 * operators, for the classifier and the reference evaluator (verify/eval.c). */
static inline bool pk_port_op_match(uint8_t op, uint16_t lo, uint16_t hi, uint16_t port)
{
	switch (op) {
	case PK_PORT_EQ: return port == lo;
	case PK_PORT_NE: return port != lo;
	case PK_PORT_LT: return port < lo;
	case PK_PORT_LE: return port <= lo;
	case PK_PORT_GT: return port > lo;
	case PK_PORT_GE: return port >= lo;
	case PK_PORT_RANGE: return port >= lo && port <= hi;
	case PK_PORT_INSIDE: return port > lo && port < hi;
	case PK_PORT_OUTSIDE: return port < lo || port > hi;
	default: return true; /* ANY */
	}
}

/* What a rule's socket-owner criteria (`user`, `group`) leave of it. pf
 * looks a TCP or UDP packet's socket up on the firewall (pf_socket_lookup)
 * and ignores the criteria for other protocols. A forwarded packet has no
 * socket there: its owner is unknown, which only `= unknown` and
 * `!= NAME` accept (pf_match_uid). A packet to or from the firewall
 * itself ("local": in to one of its addresses, out from one) has its
 * socket's owner, which no ruleset or capture shows: picket assumes it is
 * none of the users and groups named, so only `!=` accepts it. Bit 0
 * fails forwarded packets, bit 1 local ones; criteria ANDed together OR
 * their values. */
enum pk_owner {
	PK_OWNER_ANY = 0,       /* no criterion, or one every packet meets */
	PK_OWNER_LOCAL = 1,     /* only local TCP and UDP packets */
	PK_OWNER_FORWARDED = 2, /* only forwarded TCP and UDP packets */
	PK_OWNER_NEVER = 3,     /* no TCP or UDP packet */
};

/* Does a packet of protocol proto, local or forwarded, meet the owner
 * criteria (enum pk_owner)? The one reading, for the classifier and the
 * reference evaluator (verify/eval.c). */
static inline bool pk_owner_match(uint8_t owner, uint8_t proto, bool local)
{
	if (proto != 6 && proto != 17)
		return true;
	return !(owner & (local ? PK_OWNER_FORWARDED : PK_OWNER_LOCAL));
}

enum pk_action {
	PK_ACT_PASS,
	PK_ACT_BLOCK,
	PK_ACT_MATCH, /* match: options only (scrub, nat-to, tag...), no verdict */
	/* The older translation and normalisation rules. pf evaluates them in
	 * their own first-match rulesets before filtering: binat, then rdr on
	 * the way in, nat on the way out; scrub before everything. */
	PK_ACT_SCRUB,
	PK_ACT_NAT,
	PK_ACT_RDR,
	PK_ACT_BINAT,
};

/* What a block does; `set block-policy` (enum pk_block_policy) is
 * resolved into drop or return, and the rule remembers whether its kind
 * was written. */
enum pk_block_kind {
	PK_BLOCK_DROP,
	PK_BLOCK_RETURN,       /* RST for TCP, ICMP unreachable for UDP, drop for others */
	PK_BLOCK_RETURN_RST,   /* TCP only */
	PK_BLOCK_RETURN_ICMP,  /* ICMP (or ICMPv6) unreachable for any protocol */
	PK_BLOCK_RETURN_ICMP6,
};

enum pk_block_policy { PK_BLOCKPOL_DROP, PK_BLOCKPOL_RETURN };

/* `set reassemble` (pf_status.reass): ON holds fragments until their
 * datagram is whole (pf's default); NODF takes fragments with DF set too,
 * clearing it, where pf drops them otherwise. */
#define PK_REASS_ON 1u
#define PK_REASS_NODF 2u

enum pk_state_type { PK_STATE_NONE, PK_STATE_KEEP, PK_STATE_MODULATE, PK_STATE_SYNPROXY };
/* A rule's DEFAULT takes `set state-policy`, which is IF_BOUND or FLOATING. */
enum pk_state_policy { PK_POLICY_DEFAULT, PK_POLICY_IF_BOUND, PK_POLICY_FLOATING };
enum pk_src_track { PK_SRCTRACK_NONE, PK_SRCTRACK_RULE, PK_SRCTRACK_GLOBAL };

enum pk_nat_kind { PK_NAT_NONE, PK_NAT_NAT_TO, PK_NAT_RDR_TO, PK_NAT_BINAT_TO };

/* Options of a translation or route-to pool, as bits. */
enum pk_pool_opt {
	PK_POOL_BITMASK = 1 << 0,
	PK_POOL_RANDOM = 1 << 1,
	PK_POOL_SOURCE_HASH = 1 << 2,
	PK_POOL_ROUND_ROBIN = 1 << 3,
	PK_POOL_STATIC_PORT = 1 << 4,
	PK_POOL_STICKY = 1 << 5,
};
#define PK_POOL_ALL ((PK_POOL_STICKY << 1) - 1) /* every option bit */

enum pk_route_kind { PK_ROUTE_NONE, PK_ROUTE_TO, PK_ROUTE_REPLY_TO, PK_ROUTE_DUP_TO };

/* Where a passed packet goes instead of being forwarded (pf.conf(5)):
 * divert-to hands an inbound packet, unchanged, to a local socket bound
 * to the rule's address and port; divert-reply lets the replies to a
 * socket bound to an address not the firewall's reach it (a pass that
 * changes no verdict); divert-packet hands it to a divert(4) socket,
 * whose program decides whether it goes on (picket cannot know). */
enum pk_divert_kind { PK_DIVERT_NONE, PK_DIVERT_TO, PK_DIVERT_REPLY, PK_DIVERT_PACKET };

/* `set limit`, in the order the options record stores them. */
enum pk_limit { PK_LIMIT_STATES, PK_LIMIT_FRAGS, PK_LIMIT_SRC_NODES, PK_LIMIT_TABLE_ENTRIES, PK_LIMIT_COUNT };

#endif
