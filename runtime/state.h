/*
 * runtime/state.h: the state table.
 *
 * A fixed pool of states sized from `set limit states`, indexed by a hash
 * of each state's keys. As in pf, a state has a wire key (addresses and
 * ports as seen on the interface) and a stack key (after translation);
 * inbound packets are looked up by the wire key, outbound ones by the stack
 * key, and both are oriented so that addr[0]/port[0] is the peer outside
 * the interface (the source of an inbound packet).
 *
 * Layout, for memory (104 bytes a slot, plus 1.5 buckets of 4 bytes):
 * - struct pk_state (64 bytes, the fields every packet reads) holds one
 *   key in compact form (struct pk_ckey): the two IPv4 addresses
 *   themselves, or for IPv6 a reference to a side record holding both.
 *   Without translation the wire and stack keys are one (PK_SF_ONEKEY).
 * - struct pk_state_cold (40 bytes): counters, creation time, tag and an
 *   interned scrub option tuple.
 * - a side record (struct pk_state_ext, 32 bytes) only for the states that
 *   need one: the stack key of a translated state, modulate/synproxy
 *   sequence offsets, synproxy's handshake details, the source node.
 * Side records and IPv6 address pairs come from one side pool of 32-byte
 * records (runtime/state_pool.h). Callers see full keys (struct pk_skey)
 * through pk_st_key / pk_st_set_keys and never the compact encoding.
 */
#ifndef PK_RUNTIME_STATE_H
#define PK_RUNTIME_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "runtime/hash.h"
#include "runtime/rule_vocab.h"
#include "runtime/state_pool.h"

#define PK_SK_WIRE 0
#define PK_SK_STACK 1
#define PK_ST_NONE UINT32_MAX
#define PK_ST_MAX_CAP (1u << 30) /* the most states a table holds */

/* pf's TCP peer states (TCPS_*) and its UDP/other ones (PFUDPS_*). */
enum pk_tcps {
	PK_TCPS_CLOSED,
	PK_TCPS_LISTEN,
	PK_TCPS_SYN_SENT,
	PK_TCPS_SYN_RECEIVED,
	PK_TCPS_ESTABLISHED,
	PK_TCPS_CLOSE_WAIT,
	PK_TCPS_FIN_WAIT_1,
	PK_TCPS_CLOSING,
	PK_TCPS_LAST_ACK,
	PK_TCPS_FIN_WAIT_2,
	PK_TCPS_TIME_WAIT,
};
enum pk_udps { PK_UDPS_NO_TRAFFIC, PK_UDPS_SINGLE, PK_UDPS_MULTIPLE };

/* State flags */
#define PK_SF_USED 0x01
#define PK_SF_ONEKEY 0x02   /* wire and stack keys are the same */
#define PK_SF_SLOPPY 0x04
#define PK_SF_ALLOWOPTS 0x08
#define PK_SF_PURGE 0x10    /* dead: removed at the next touch or expiry pass */
#define PK_SF_SRC_CONN 0x20 /* counted in its source node's connections */
#define PK_SF_SCRUB 0x40    /* holds scrub options (pk_state_cold.scrub) */
#define PK_SF_AFTO 0x80     /* af-to: the stack key is of the other family than af (the wire key's);
			     * set before the keys, matched by inbound packets only, by either key */

#define PK_WSCALE_FLAG 0x80 /* the peer sent a window scale option */
#define PK_WSCALE_MASK 0x0f

/* A peer's TCP window (pf's pf_state_peer); the sequence offset modulation
 * adds to it lives in the side record (struct pk_state_ext.seqdiff). */
struct pk_peer {
	uint32_t seqlo, seqhi;
	uint16_t max_win;
	uint8_t wscale; /* PK_WSCALE_FLAG | shift */
	uint8_t state;  /* enum pk_tcps or enum pk_udps */
};

/* A key in full: what packets are looked up with. */
struct pk_skey {
	uint8_t addr[2][16];
	uint16_t port[2];
};

/* A key as stored: IPv4 addresses in a[0], a[1] (network byte order, as on
 * the wire); for IPv6, a[0] is the side record holding both addresses
 * (index + 1, 0 when none) and a[1] is 0. */
struct pk_ckey {
	uint32_t a[2];
	uint16_t port[2];
};

struct pk_state {
	struct pk_ckey key;        /* the wire key; also the stack key with PK_SF_ONEKEY */
	uint32_t hnext;            /* hash chain of that key (entry + 1, 0 ends) */
	struct pk_peer src, dst;   /* src: the peer that created the state */
	uint32_t rule;             /* deciding rule, PK_RT_NO_RULE when gone */
	uint32_t last_ms;          /* last activity, ms since the engine's epoch (mod 2^32) */
	uint32_t id;
	uint32_t ext;              /* side record (index + 1), 0 when none */
	uint16_t iface;            /* PK_RT_NO_IFACE: floating */
	uint8_t af, proto, dir;
	uint8_t timeout;           /* enum pk_timeout in force */
	uint8_t flags;             /* PK_SF_* */
	uint8_t synproxy;          /* enum pk_sp_stage, 0 when not proxied */
};

struct pk_state_cold {
	uint64_t packets[2], bytes[2];
	uint32_t created_s; /* seconds since the engine's epoch, as pf's creation (time_uptime) */
	uint16_t tag;
	uint16_t scrub;     /* interned scrub options (index + 1), 0 = none */
};

/* What only translated, modulated, proxied or source-tracked states carry. */
struct pk_state_ext {
	struct pk_ckey key;  /* the stack key of a translated state */
	uint32_t hnext;      /* its hash chain */
	uint32_t seqdiff[2]; /* modulate/synproxy: added to the seq of src [0] / dst [1] */
	uint32_t src_node;   /* PK_ST_NONE when not tracked */
	uint16_t sp_mss;     /* synproxy: the MSS announced to both sides */
	uint8_t sp_wscale;   /* synproxy: the client's window scale (PK_WSCALE_NONE when none) */
	uint8_t sp_shift;    /* synproxy: window shifts from the initiator (low nibble) / responder (high) */
};

/* A state's scrub options, interned: states of one rule share one entry. */
struct pk_scrub {
	uint16_t max_mss; /* scrub max-mss, 0 = none */
	uint8_t min_ttl;  /* scrub min-ttl, 0 = none */
	uint8_t flags;    /* PK_SCRUB_* */
	int16_t set_tos;
};

struct pk_state_table {
	struct pk_state *st;
	struct pk_state_cold *cold;
	uint32_t *bucket;   /* first entry + 1 of each chain, 0 = empty: fresh pages read as empty */
	uint32_t nbuckets;  /* 1.5 a state alive, grown by doubling up to 1.5 a slot */
	uint32_t cap, count;
	uint32_t free_head; /* released slots + 1, through hnext; 0 = none */
	uint32_t unused;    /* slots from here on were never used (not touched) */
	uint32_t next_id;
	uint32_t cursor;    /* incremental expiry position */
	uint64_t seed;
	struct pk_spool side;        /* side records and IPv6 address pairs */
	struct pk_scrub *scrub;      /* interned scrub options */
	uint32_t *scrub_refs;        /* states holding each; 0 = free entry */
	uint32_t nscrub;             /* entries ever used */
};

/* A chain entry's slot: entries are slot * 2 + key number + 1, 0 ending a chain. */
#define PK_ST_SLOT(e) (((e) - 1u) / 2u)

/* The bucket of a key's hash, in [0, nbuckets). */
static inline uint32_t pk_st_bucket_of_hash(const struct pk_state_table *t, uint32_t h)
{
	return (uint32_t)(((uint64_t)h * t->nbuckets) >> 32);
}

/* Allocates everything up front; returns -1 when memory is short or cap is
 * over PK_ST_MAX_CAP. */
int pk_st_init(struct pk_state_table *t, uint32_t cap, uint64_t seed);
void pk_st_fini(struct pk_state_table *t);

/* Between packets: allocate ahead what new states may take from the side pool. */
void pk_st_prepare(struct pk_state_table *t);
/* Take a free slot, zeroed, or PK_ST_NONE when the pool is exhausted. */
uint32_t pk_st_alloc(struct pk_state_table *t);
/* Store the wire and stack keys of slot i (af and proto set first); false
 * when the side pool has no record for them (discard the slot then). */
bool pk_st_set_keys(struct pk_state_table *t, uint32_t i, const struct pk_skey keys[2]);
/* The family of key k of slot i: af, or for an af-to state's stack key the other one. */
uint8_t pk_st_key_af(const struct pk_state_table *t, uint32_t i, int k);
/* Key k (PK_SK_WIRE or PK_SK_STACK) of slot i in full. */
void pk_st_key(const struct pk_state_table *t, uint32_t i, int k, struct pk_skey *out);
/* Slot i's side record, or NULL when it has none (inline: asked for on every packet of a state). */
static inline struct pk_state_ext *pk_st_ext(const struct pk_state_table *t, uint32_t i)
{
	return t->st[i].ext ? pk_spool_get(&t->side, t->st[i].ext) : NULL;
}
/* Slot i's side record, taken when it had none; NULL when the side pool is exhausted. */
struct pk_state_ext *pk_st_ext_need(struct pk_state_table *t, uint32_t i);
/* Slot i's source node, PK_ST_NONE when none. */
uint32_t pk_st_src_node(const struct pk_state_table *t, uint32_t i);
/* Give slot i the scrub options o; false when the table of distinct options is full. */
bool pk_st_set_scrub(struct pk_state_table *t, uint32_t i, const struct pk_scrub *o);
/* Slot i's scrub options, NULL when none. */
static inline const struct pk_scrub *pk_st_scrub(const struct pk_state_table *t, uint32_t i)
{
	return (t->st[i].flags & PK_SF_SCRUB) ? &t->scrub[t->cold[i].scrub - 1] : NULL;
}
/* Return a slot never inserted to the pool, with what it holds. */
void pk_st_discard(struct pk_state_table *t, uint32_t i);
/* A live state with one of slot i's keys on the same interface and
 * direction (which pf_state_key_attach refuses), or PK_ST_NONE. */
uint32_t pk_st_conflict(const struct pk_state_table *t, uint32_t i);
/* Hash a filled slot in (after pk_st_conflict said none). */
void pk_st_insert(struct pk_state_table *t, uint32_t i);
void pk_st_remove(struct pk_state_table *t, uint32_t i);
/* Give inserted slot i other keys (a translation learnt after it was
 * made); false, with the keys as they were, when another state holds one of
 * them or the side pool is short. */
bool pk_st_rekey(struct pk_state_table *t, uint32_t i, const struct pk_skey keys[2]);

/* The state a packet with key k (oriented for dir) belongs to, if-bound
 * states of iface before floating ones; PK_ST_NONE when none. As in pf
 * (pf_find_state), an af-to state matches inbound packets by its wire or
 * its stack key and no outbound packet: the translated packets it passes
 * leave without meeting the rules. */
uint32_t pk_st_find(const struct pk_state_table *t, uint8_t af, uint8_t proto, const struct pk_skey *k,
		    uint8_t dir, uint16_t iface);

/* The hash of a key with these addresses (both IPv4 ones, 8 bytes, or
 * both IPv6 ones, 32) and ports under a table's seed (t->seed, fixed at
 * pk_st_init): a seeded hash over the words in host byte order (the index
 * only needs equal keys to meet), which pk_st_bucket_of_hash maps onto the
 * buckets. It does not depend on the table's size, so another thread may
 * work it out ahead, from its own copy of the seed, while the table
 * changes. Inline: replay's reading thread hashes every packet twice, and
 * a call costs it as much again. */
static inline uint32_t pk_st_key_hash(uint64_t seed, uint8_t af, uint8_t proto, const void *addrs, uint16_t port0,
				      uint16_t port1)
{
	uint64_t h = seed ^ ((uint64_t)af << 8 | proto);

	/* two calls with constant counts, each unrolled: IPv4's is one word */
	h = af == PK_AF_INET6 ? pk_hash_words(h, addrs, 4) : pk_hash_words(h, addrs, 1);
	return pk_hash_fold(pk_hash_mix(h, (uint64_t)port0 << 16 | port1));
}

/* An IPv4 key's (addrs: the key's two addresses, as an inbound packet's
 * source and destination lie in its header; port0, port1 the key's ports). */
static inline uint32_t pk_st_hash(uint64_t seed, uint8_t proto, const uint8_t addrs[8], uint16_t port0,
				  uint16_t port1)
{
	return pk_st_key_hash(seed, PK_AF_INET, proto, addrs, port0, port1);
}

/* Ask the processor for what pk_st_find will read for the key of a hash,
 * one step a packet: the first state of the chain in bucket `hint` and its
 * cold record (hint: a number this returned a step earlier, once the
 * bucket had time to load), then the bucket of hash (none when 0), whose
 * number it returns. On a table larger than the caches each is a miss,
 * which then overlaps the caller's work until the look-up. No other effect:
 * a number the table outgrew in between is a wasted hint, never a wrong
 * read. The result must be used: GCC deletes a call whose only effects are
 * prefetches (it deems such a function pure) when nothing reads it. */
static inline uint32_t pk_st_prefetch(const struct pk_state_table *t, uint32_t hint, uint32_t hash)
{
	uint32_t e;

	if (!t->bucket)
		return 0;
	e = hint < t->nbuckets ? t->bucket[hint] : 0;
	if (e) {
		__builtin_prefetch(&t->st[PK_ST_SLOT(e)]);
		__builtin_prefetch(&t->cold[PK_ST_SLOT(e)]); /* its counters, bumped by every packet */
	}
	if (!hash)
		return 0;
	hint = pk_st_bucket_of_hash(t, hash);
	__builtin_prefetch(&t->bucket[hint]);
	return hint;
}

/* Fill k from addresses and ports of a packet seen in direction dir. */
static inline void pk_skey_set(struct pk_skey *k, uint8_t dir, const uint8_t *src, const uint8_t *dst,
			       uint16_t sport, uint16_t dport)
{
	int s = dir == PK_DIR_IN ? 0 : 1;

	memcpy(k->addr[s], src, 16);
	memcpy(k->addr[1 - s], dst, 16);
	k->port[s] = sport;
	k->port[1 - s] = dport;
}

#endif
