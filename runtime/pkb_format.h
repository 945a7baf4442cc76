/*
 * runtime/pkb_format.h: the byte layout of a .pkb file (docs/bytecode.md).
 *
 * Shared by the encoder (compiler/encode*.c), the loader and verifier
 * (runtime/pkb_*.c), the disassembler (cli/dump.c) and the decoder
 * (compiler/pkb_decode.c). Everything is little-endian, fixed width and
 * free of pointers: a reference is an index into a section or an offset
 * into the string section. Every record is a multiple of 4 bytes with
 * explicit padding (always zero), every section starts 8-aligned, so a
 * verified file is read in place.
 *
 * The evaluation program is a list of 32-bit words; its instructions are
 * the one table PKB_OPS below, from which the opcode enum, the disassembler
 * names, the verifier's operand checks and the instructions' lengths are
 * all generated.
 */
#ifndef PK_RUNTIME_PKB_FORMAT_H
#define PK_RUNTIME_PKB_FORMAT_H

#include <stdint.h>

#include "runtime/rule_vocab.h"
#include "runtime/ruleset.h"
#include "runtime/timeouts.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the .pkb file is read in place: this runtime needs a little-endian host"
#endif

#define PKB_MAGIC "PKB\x01\r\n\x1a\n" /* 8 bytes: binary, version-marked, catches CRLF mangling */
#define PKB_MAGIC_LEN 8
#define PKB_VERSION 12
#define PKB_NONE UINT32_MAX   /* no string, no index */
#define PKB_ALIGN 8           /* every section offset */
#define PKB_MAX_CUT 256       /* boundaries in one CUT instruction */
#define PKB_MAX_SLOTS 4096    /* targets of one INDEX instruction */
#define PKB_MAX_OPERAND_A 0xffffffu /* 24 bits: at most this many rules + 1 */

/* X(ID, "name", entry size): the sections, all present, in this order. */
#define PKB_SECTIONS(X)                                                   \
	X(STRINGS, "strings", 1)                    /* NUL-terminated texts */ \
	X(SOURCES, "sources", 4)                    /* u32 path string */      \
	X(OPTIONS, "options", sizeof(struct pkb_options))                      \
	X(SETLOCS, "set-lines", sizeof(struct pkb_loc))                        \
	X(CARRIED, "carried", sizeof(struct pkb_carried))                      \
	X(IFACES, "interfaces", sizeof(struct pkb_iface))                      \
	X(IFADDRS, "interface-addresses", sizeof(struct pkb_prefix))           \
	X(IFPEERS, "interface-peers", sizeof(struct pkb_prefix)) /* hosts */   \
	X(IFGROUPS, "interface-groups", 4)          /* u32 name string */      \
	X(ROUTES, "routes", sizeof(struct pkb_route))                          \
	X(SKIP, "skip", 4)                          /* u32 interface index */ \
	X(TAGS, "tags", 4)                          /* u32 name string, tag id = index + 1 */ \
	X(TABLES, "tables", sizeof(struct pkb_table))                          \
	X(TABENTRIES, "table-entries", sizeof(struct pkb_tabentry))            \
	X(TABINDEX, "table-index", 4)               /* u32 entry, sorted per table */ \
	X(TABFILES, "table-files", 4)               /* u32 path string */      \
	X(SOPTS, "state-options", sizeof(struct pkb_sopts))                    \
	X(POOLS, "nat-pools", sizeof(struct pkb_addr))                         \
	X(ADDRS, "addresses", sizeof(struct pkb_addr))  /* rule addresses, each once */ \
	X(NATS, "nat", sizeof(struct pkb_nat))                                 \
	X(ROUTEOPTS, "route-options", sizeof(struct pkb_routeopt))             \
	X(RULES, "rules", sizeof(struct pkb_rule))                             \
	X(PROGRAM, "program", 4)                    /* u32 words */ \
	X(TESTS, "tests", sizeof(struct pkb_tests)) /* none, or the policy tests it passed */

enum pkb_section_id {
#define PKB_SEC_ENUM(id, name, size) PKB_SEC_##id,
	PKB_SECTIONS(PKB_SEC_ENUM)
#undef PKB_SEC_ENUM
	PKB_SEC_COUNT
};

struct pkb_section {
	uint32_t id;      /* enum pkb_section_id, equal to its position */
	uint32_t count;   /* entries */
	uint64_t offset;  /* from the start of the file, PKB_ALIGN-aligned */
	uint64_t size;    /* count * entry size */
};

struct pkb_header {
	uint8_t magic[PKB_MAGIC_LEN];
	uint16_t version;      /* PKB_VERSION */
	uint16_t flags;        /* none defined: 0 */
	uint32_t header_size;  /* sizeof(struct pkb_header) */
	uint64_t file_size;
	uint8_t checksum[32];  /* SHA-256 of the whole file with these 32 bytes zero */
	uint8_t source_sha256[32];  /* see docs/bytecode.md "Provenance" */
	uint8_t options_sha256[32]; /* SHA-256 of the options section */
	uint32_t nsections;    /* PKB_SEC_COUNT */
	uint32_t reserved;     /* 0 */
	struct pkb_section sections[PKB_SEC_COUNT];
};

/* A source position (compiler/loc.h); file indexes the sources section. */
struct pkb_loc {
	uint32_t file; /* PKB_NONE for built-in things */
	uint32_t line, col, end_line, end_col;
};

struct pkb_prefix {
	uint8_t af;  /* enum pk_af: 0 (none), 4 or 6 */
	uint8_t len; /* <= 32 or 128 */
	uint8_t pad[2];
	uint8_t addr[16]; /* network order; IPv4 in the first 4 bytes, the rest zero */
};

/* struct pk_ir_addr */
struct pkb_addr {
	uint8_t kind;  /* enum pk_addr_kind */
	uint8_t neg;   /* 0 or 1 */
	uint8_t ifmod; /* enum pk_ifmod */
	uint8_t noalias;
	uint32_t table;  /* TABLE: table index; else PKB_NONE */
	uint32_t ifname; /* string, PKB_NONE when ifmod is NONE */
	struct pkb_prefix pfx;
	struct pkb_prefix end; /* RANGE end */
};

#define PKB_OPT_HOSTID_SET 1u
#define PKB_OPT_REASS_OFF 2u   /* set reassemble no */
#define PKB_OPT_REASS_NODF 4u  /* set reassemble ... no-df */
#define PKB_OPT_REASS_SET 8u   /* set reassemble written, for printing */
#define PKB_OPT_ALL ((PKB_OPT_REASS_SET << 1) - 1)
struct pkb_options {
	uint32_t timeouts[PK_TMO_COUNT];
	uint32_t timeout_set; /* bit per enum pk_timeout */
	struct pkb_loc timeout_loc[PK_TMO_COUNT];
	uint32_t limits[4];   /* enum pk_limit order */
	uint32_t limit_set;   /* bit per limit */
	uint8_t optimization, block_policy, state_policy; /* enum pk_optimization, pk_block_policy, pk_state_policy */
	uint8_t flags; /* PKB_OPT_* */
	uint32_t hostid;
	uint32_t debug, loginterface, ruleset_optimization, fingerprints; /* strings */
	uint32_t set_first, nset; /* SETLOCS range */
};

/* The policy tests (picket compile --expect) the ruleset passed when it
 * was compiled: a record, not a check the runtime makes. */
struct pkb_tests {
	uint8_t sha256[32]; /* SHA-256 of the expectations file's bytes */
	uint32_t path;      /* string: the file as named to the compiler */
	uint32_t count;     /* expectations, every one held */
};

/* A statement that changes no verdict, kept as written for printing
 * (queue, altq, set fingerprints, set limit tables...). */
struct pkb_carried {
	uint32_t text; /* string */
	struct pkb_loc loc;
};

#define PKB_IF_HAS_MAC 1u
#define PKB_IF_WAN 2u
#define PKB_IF_TOPOLOGY 4u /* declared; otherwise only named by rules or options */
#define PKB_IF_ALL ((PKB_IF_TOPOLOGY << 1) - 1)
struct pkb_iface {
	uint32_t name;
	struct pkb_loc loc;
	uint32_t addr_first, naddrs;   /* IFADDRS range */
	uint32_t peer_first, npeers;   /* IFPEERS range: far ends of a point-to-point link */
	uint32_t group_first, ngroups; /* IFGROUPS range: the groups declared for it */
	uint8_t mac[6];
	uint8_t flags; /* PKB_IF_* */
	uint8_t pad;
};

#define PKB_ROUTE_CONNECTED 1u /* an interface's own network, made by the front end */
struct pkb_route {
	struct pkb_loc loc;
	struct pkb_prefix dst, gw; /* gw.af 0 = none */
	uint32_t iface;
	uint32_t flags; /* PKB_ROUTE_* */
};

#define PKB_TAB_PERSIST 1u
#define PKB_TAB_CONST 2u
#define PKB_TAB_COUNTERS 4u
#define PKB_TAB_IMPLICIT 8u
#define PKB_TAB_UNDECLARED 16u /* no table line defines it: pf keeps its hosts across a reload */
struct pkb_table {
	uint32_t name;
	struct pkb_loc loc;
	uint32_t flags;                /* PKB_TAB_* */
	uint32_t entry_first, nentries; /* TABENTRIES, as written */
	uint32_t index_first, nindex;   /* TABINDEX: sorted by (af, len descending, addr), no duplicates */
	uint32_t file_first, nfiles;    /* TABFILES */
	uint32_t ninline;              /* with files: entries [0, ninline) are written inline */
};

struct pkb_tabentry {
	uint8_t af, len, neg, pad;
	uint8_t addr[16];
};

#define PKB_SO_SLOPPY 1u
#define PKB_SO_NO_SYNC 2u
#define PKB_SO_PFLOW 4u
#define PKB_SO_ALLOW_RELATED 8u
#define PKB_SO_OVERLOAD_FLUSH 16u
#define PKB_SO_OVERLOAD_FLUSH_GLOBAL 32u
struct pkb_sopts {
	uint32_t max, max_src_nodes, max_src_states, max_src_conn;
	uint32_t max_src_conn_rate, max_src_conn_secs;
	uint8_t src_track, policy; /* enum pk_src_track, pk_state_policy */
	uint8_t flags, pad;        /* PKB_SO_* */
	uint32_t overload_table; /* string */
	uint32_t timeouts[PK_TMO_COUNT];
};

struct pkb_nat {
	uint8_t kind, pool_opts, pad[2]; /* enum pk_nat_kind, enum pk_pool_opt bits */
	uint16_t port_lo, port_hi;
	uint32_t pool_first, npool; /* POOLS range */
	uint32_t hash_key;          /* string: source-hash key as written; PKB_NONE = none */
};

/* route-to / reply-to / dup-to of a rule */
struct pkb_routeopt {
	uint32_t iface;        /* interface index, PKB_NONE when only an address is given */
	struct pkb_prefix gw;  /* af 0 when none */
	struct pkb_addr addr;  /* the target as written, e.g. (IF:peer); kind any when none */
	uint8_t pool_opts, pad[3]; /* enum pk_pool_opt bits */
	uint32_t hash_key;         /* string, as for translation */
};

/* Rule flag bits */
#define PKB_R_QUICK (1u << 0)
#define PKB_R_LOG (1u << 1)
#define PKB_R_LOG_ALL (1u << 2)
#define PKB_R_ALLOW_OPTS (1u << 3)
#define PKB_R_EXPLICIT_BLOCK (1u << 4)
#define PKB_R_IFNEG (1u << 5)
#define PKB_R_TAGGED_NEG (1u << 6)
#define PKB_R_SCRUB (1u << 7)
#define PKB_R_NO_DF (1u << 8)
#define PKB_R_RANDOM_ID (1u << 9)
#define PKB_R_REASSEMBLE_TCP (1u << 10)
#define PKB_R_FRAG_REASSEMBLE (1u << 11)
#define PKB_R_RCVNEG (1u << 12) /* received-on ! IF */
#define PKB_R_FRAGMENT (1u << 13) /* matches fragments only */
#define PKB_R_NATPASS (1u << 14)  /* nat/rdr/binat pass: what it translates skips the filter rules */
#define PKB_R_ALL ((1u << 15) - 1)

struct pkb_port {
	uint8_t op, pad; /* enum pk_port_op */
	uint16_t lo, hi, pad2;
};

struct pkb_rule {
	struct pkb_loc loc;
	uint32_t flags;       /* PKB_R_* */
	uint8_t action, block, dir, af; /* enum pk_action, pk_block_kind, pk_dir, pk_af */
	uint8_t proto, tcp_flags, tcp_mask, state; /* state: enum pk_state_type */
	uint8_t return_ttl, min_ttl, route, owner; /* enum pk_route_kind, enum pk_owner */
	int16_t return_icmp, return_icmp6;
	int16_t icmp_type, icmp_code; /* -1 unset */
	int16_t tos, set_tos;         /* -1 unset */
	uint16_t max_mss, pad2;
	uint32_t iface;       /* interface index; PKB_NONE = any */
	uint32_t tag, tagged; /* tag id (TAGS index + 1); 0 none */
	uint32_t probability;
	uint32_t label;       /* string */
	uint32_t carried;     /* string: options that change no verdict, as written */
	uint32_t sopts;       /* SOPTS index; PKB_NONE = all unset */
	uint32_t nat;         /* NATS index; PKB_NONE = none */
	uint32_t route_opt;   /* ROUTEOPTS index; PKB_NONE = none */
	uint32_t src, dst;    /* ADDRS indices */
	struct pkb_port sport, dport;
	uint32_t user, group; /* strings: the user and group ids as written; PKB_NONE = none */
	uint32_t log_opts;    /* string: log (matches, user, to IF) as written; PKB_NONE = none */
	uint8_t divert, pad3; /* enum pk_divert_kind */
	uint16_t divert_port; /* divert-to's and divert-packet's port; 0 otherwise */
	struct pkb_prefix divert_addr; /* divert-to's local address, a host; af 0 otherwise */
	uint32_t rcv_iface;   /* received-on: interface index; PKB_NONE = any */
	uint8_t afto_af, pad4[3];   /* af-to: enum pk_af, the other family than the rule's; 0 = none */
	struct pkb_prefix afto_src; /* af-to's from: address and prefix length, of afto_af; zero when none */
	struct pkb_prefix afto_dst; /* af-to's to; af 0 when not written */
};

/* The sizes docs/bytecode.md documents; a change here is a format change. */
_Static_assert(sizeof(struct pkb_header) == 704 && sizeof(struct pkb_tests) == 40, "header, tests layout");
_Static_assert(sizeof(struct pkb_section) == 24 && sizeof(struct pkb_loc) == 20, "section, loc layout");
_Static_assert(sizeof(struct pkb_prefix) == 20 && sizeof(struct pkb_addr) == 52, "address layout");
_Static_assert(sizeof(struct pkb_options) == 536 && sizeof(struct pkb_iface) == 56, "options, iface layout");
_Static_assert(sizeof(struct pkb_route) == 68 && sizeof(struct pkb_table) == 56, "route, table layout");
_Static_assert(sizeof(struct pkb_tabentry) == 20 && sizeof(struct pkb_sopts) == 112, "entry, sopts layout");
_Static_assert(sizeof(struct pkb_nat) == 20 && sizeof(struct pkb_rule) == 196, "nat, rule layout");
_Static_assert(sizeof(struct pkb_routeopt) == 84 && sizeof(struct pkb_carried) == 24, "route option, carried layout");

/*
 * The evaluation program. Its first PKB_ENTRIES words give, per phase and
 * address family (index phase * 2 + (af == 6)), the word where evaluation
 * starts. An instruction's first word holds the opcode in its low 8 bits
 * and operand A in its upper 24; a second word holds operand B when the
 * opcode has one; CUT, INDEX and FORK are followed by their tables. Control only
 * moves forward, so a tree walk takes at most as many steps as the
 * program has words (and a FORK walks each of its trees at most twice).
 *
 * Each entry leads to a decision tree, or to a FORK over one tree per
 * group of rules: CUT nodes split the packet's field values into
 * intervals at searched bounds, INDEX nodes into aligned slots of 2^s
 * values read with one load; leaves list the rules that can match any packet in their
 * region, each tested in full; so the outcome is exactly that of the
 * linear pf evaluation. In the filter a leaf is a LAST (the non-quick
 * pass/block rules, highest first, so the first match among them is the
 * last one pf would meet), a COLLECT (the non-quick match rules, which
 * accumulate), then TESTs in rule order (quick rules, which stop), then
 * END; in the other phases only TESTs, first match stops. A rule whose
 * box (runtime/rulebox.h) is the whole rule and holds the leaf's region
 * matches every packet there: it is marked sure (PKB_SURE, APPLY) and
 * not tested.
 */
#define PKB_ENTRIES (PK_PHASE_COUNT * 2)

/* Marks on a LAST or COLLECT entry, above its rule index. PKB_SURE: the
 * rule matches every packet that reaches the leaf (as APPLY for TEST).
 * PKB_SYN: the rule is a TCP rule with `flags S/SA` (pf's default for
 * stateful TCP rules), so a packet that is not a TCP SYN without ACK
 * fails it without the rule being read. */
#define PKB_SURE (1u << 31)
#define PKB_SYN (1u << 30)
#define PKB_ENTRY_MARKS (PKB_SURE | PKB_SYN)

/* The most trees under a FORK (verified), so that a walk keeps what each
 * tree found in a fixed array. */
#define PKB_MAX_FORK 16

/* Operand kinds: the check the verifier applies to the value, and the
 * words that follow the instruction because of it (pkb_insn_len). */
enum pkb_opnd {
	PKB_O_NONE,     /* A: must be 0; B: the instruction has no second word */
	PKB_O_FIELD,    /* < PKB_FIELD_COUNT */
	PKB_O_BOUNDS,   /* 1 ..PKB_MAX_CUT: that many u64 bounds (two words, low first) follow,
			 * then one more targets */
	PKB_O_BOUNDS32, /* as BOUNDS, with u32 bounds of one word */
	PKB_O_TREES,    /* 1 ..PKB_MAX_FORK: that many targets follow */
	PKB_O_SLOTS,    /* low 16 bits n, 1 ..PKB_MAX_SLOTS; bits 16-21 a shift s; the rest 0: the
			 * first slot (u64, two words, low first) follows, then n targets */
	PKB_O_RULE,     /* < number of rules */
	PKB_O_LIST,     /* 1 ..number of rules: that many rule indices follow */
};

/* X(NAME, operand A, operand B, "semantics") */
#define PKB_OPS(X)                                                                    \
	X(END, PKB_O_NONE, PKB_O_NONE, "stop: the phase's result is decided")            \
	X(TEST, PKB_O_RULE, PKB_O_NONE, "if rule A matches the packet, apply it (filter: " \
	  "last match wins, match rules accumulate, quick stops; other phases: first match stops)") \
	X(CUT, PKB_O_FIELD, PKB_O_BOUNDS, "v := packet field A; followed by B sorted bounds " \
	  "(u64, 2 words each, strictly increasing) then B+1 targets; jump to target[i] where " \
	  "i = number of bounds <= v; every target is a later instruction")                 \
	X(FORK, PKB_O_NONE, PKB_O_TREES, "followed by B targets, each the root of a tree over "   \
	  "a group of the phase's rules: evaluate every tree and combine as if all their rules "    \
	  "were tested in rule order; met inside a tree, FORK ends that tree")                \
	X(LAST, PKB_O_LIST, PKB_O_NONE, "followed by A rule indices, strictly decreasing, each a " \
	  "non-quick pass or block filter rule: the first of them below the phase's stop (its "       \
	  "earliest matching quick rule) that matches decides, unless a higher one already did; "     \
	  "an index with PKB_SURE set matches without a test, one with PKB_SYN only a TCP SYN")                                       \
	X(COLLECT, PKB_O_LIST, PKB_O_NONE, "followed by A rule indices, strictly increasing, each a " \
	  "non-quick match filter rule: those below the tree's stop that match are added to the "     \
	  "match rules, up to the 16 kept; tested after the leaf's TESTs; an index with PKB_SURE "   \
	  "set matches without a test, one with PKB_SYN only a TCP SYN")                                                              \
	X(APPLY, PKB_O_RULE, PKB_O_NONE, "as TEST, for a rule that matches every packet reaching "  \
	  "the leaf (its region lies inside the rule's box, which is the whole rule): no test")      \
	X(CUT32, PKB_O_FIELD, PKB_O_BOUNDS32, "as CUT, with bounds of one word each (u32, strictly " \
	  "increasing): half the bytes to read where every bound fits 32 bits")                 \
	X(TESTSYN, PKB_O_RULE, PKB_O_NONE, "as TEST, for a TCP rule with flags S/SA: a packet that " \
	  "is not a TCP SYN without ACK fails it without the rule being read")                  \
	X(INDEX, PKB_O_FIELD, PKB_O_SLOTS, "v := packet field A; B holds n (low 16 bits) and a " \
	  "shift s (bits 16-21); followed by the first slot f (u64, 2 words) then n targets; jump " \
	  "to target[min((v >> s) - f, n - 1)] (u64 arithmetic); every target is a later "        \
	  "instruction")

/* Exactly the opcodes, so that a switch over them without a default is
 * checked by -Wswitch to handle every one; PKB_OP_COUNT stands apart. */
enum pkb_op {
#define PKB_OP_ENUM(name, a, b, doc) PKB_OP_##name,
	PKB_OPS(PKB_OP_ENUM)
#undef PKB_OP_ENUM
};
#define PKB_OP_PLUS_ONE(name, a, b, doc) +1
#define PKB_OP_COUNT (0 PKB_OPS(PKB_OP_PLUS_ONE))

/* X(NAME, "name"): the packet fields a CUT can split on. Addresses are
 * read as the big-endian value of their first 4 (IPv4) or 8 (IPv6) bytes. */
#define PKB_FIELDS(X)       \
	X(PROTO, "proto")   \
	X(SRC, "src")       \
	X(DST, "dst")       \
	X(SPORT, "sport")   \
	X(DPORT, "dport")   \
	X(IFACE, "iface")   \
	X(DIR, "dir")

enum pkb_field {
#define PKB_FIELD_ENUM(id, name) PKB_FIELD_##id,
	PKB_FIELDS(PKB_FIELD_ENUM)
#undef PKB_FIELD_ENUM
	PKB_FIELD_COUNT
};

/* Reading and writing instructions: the one place that knows their word
 * layout (above). w is an instruction's first word, insn points at it. */
static inline enum pkb_op pkb_op(uint32_t w)
{
	return (enum pkb_op)(w & 0xff);
}

static inline uint32_t pkb_operand_a(uint32_t w)
{
	return w >> 8;
}

static inline uint32_t pkb_operand_b(const uint32_t *insn)
{
	return insn[1];
}

/* An instruction's first word; a fits 24 bits (PKB_MAX_OPERAND_A). */
static inline uint32_t pkb_word(enum pkb_op op, uint32_t a)
{
	return (uint32_t)op | a << 8;
}

/* A CUT's or CUT32's bounds, width words each (pkb_cut_width): bound j,
 * and the B + 1 targets that follow them. */
static inline const uint32_t *pkb_cut_bounds(const uint32_t *insn)
{
	return insn + 2;
}

static inline uint64_t pkb_cut_bound(const uint32_t *bounds, uint32_t width, uint32_t j)
{
	return width == 2 ? bounds[2 * j] | (uint64_t)bounds[2 * j + 1] << 32 : bounds[j];
}

static inline const uint32_t *pkb_cut_targets(const uint32_t *insn, uint32_t width)
{
	return pkb_cut_bounds(insn) + width * pkb_operand_b(insn);
}

/* An INDEX's operand B from its number of slots n and shift s, and back. */
static inline uint32_t pkb_slots_word(uint32_t n, uint32_t s)
{
	return n | s << 16;
}

static inline uint32_t pkb_slots_n(uint32_t b)
{
	return b & 0xffff;
}

static inline uint32_t pkb_slots_shift(uint32_t b)
{
	return b >> 16;
}

/* An INDEX's first slot, and its n targets after it. */
static inline uint64_t pkb_index_first(const uint32_t *insn)
{
	return insn[2] | (uint64_t)insn[3] << 32;
}

static inline const uint32_t *pkb_index_targets(const uint32_t *insn)
{
	return insn + 4;
}

/* A FORK's B targets. */
static inline const uint32_t *pkb_fork_targets(const uint32_t *insn)
{
	return insn + 2;
}

/* A LAST's or COLLECT's A rule indices, each with its PKB_ENTRY_MARKS. */
static inline const uint32_t *pkb_list(const uint32_t *insn)
{
	return insn + 1;
}

/* The phase that evaluates rules of an action (enum pk_action). */
static inline enum pk_rt_phase pkb_phase_of(uint32_t action)
{
	switch (action) {
	case PK_ACT_SCRUB:
		return PK_PHASE_SCRUB;
	case PK_ACT_BINAT:
		return PK_PHASE_BINAT;
	case PK_ACT_RDR:
		return PK_PHASE_RDR;
	case PK_ACT_NAT:
		return PK_PHASE_NAT;
	default:
		return PK_PHASE_FILTER;
	}
}

/* What PKB_OPS says of an opcode, for the verifier, the disassembler and
 * messages (runtime/pkb_names.c); an unknown opcode has no name and no
 * operands. */
const char *pkb_op_name(uint32_t op);
const char *pkb_op_doc(uint32_t op);
enum pkb_opnd pkb_op_operand(uint32_t op, int which); /* which: 0 = A, 1 = B */
/* Words per bound of a CUT (u64: 2) or CUT32 (u32: 1), from the kind of
 * its operand B; 0 for other opcodes. */
uint32_t pkb_cut_width(uint32_t op);
/* Instruction length in words at word pc of prog (nwords long), from its
 * operands' kinds; 0 if the opcode is unknown or the instruction does not
 * fit. Shared by the verifier and the disassembler. */
uint32_t pkb_insn_len(const uint32_t *prog, uint32_t nwords, uint32_t pc);
const char *pkb_field_name(uint32_t f);
const char *pkb_section_name(uint32_t id);
uint32_t pkb_section_entsize(uint32_t id);

/* A loaded file's verified header and sections, read in place, for what
 * lies outside runtime/ (the disassembler, the .pkb decoder). */
struct pkb_view {
	const struct pkb_header *h;
	const void *sec[PKB_SEC_COUNT];
	uint32_t cnt[PKB_SEC_COUNT];
};
void pk_rs_view(const struct pk_rs *rs, struct pkb_view *v);
/* A string of the verified file; NULL for PKB_NONE. */
const char *pk_rs_str(const struct pk_rs *rs, uint32_t off);

/* A section's entries and their number: of a struct pkb_view, or inside
 * runtime/ of the struct pk_rs itself, which holds the same members. */
#define PK_RS_SEC(v, id, type) ((const type *)(v)->sec[PKB_SEC_##id])
#define PK_RS_N(v, id) ((v)->cnt[PKB_SEC_##id])

#endif
