/*
 * runtime/decision_cache.h: what the rules decided for recently seen
 * packets that made no state, so that the next packet with the same
 * header fields skips the rule walk.
 *
 * Packets without a state (blocked flows, `no state` passes, retries) are
 * evaluated against the whole rule set every time, as in pf. The decision
 * depends on nothing but the fields of struct pk_match_pkt, so it can be
 * kept, keyed on all of them, as a flow cache keeps a classifier's answer.
 * The engine uses it only where that holds: no rule draws a `probability`,
 * no translation was computed on the way (an older nat/rdr/binat rule's,
 * or a match rule's the later rules saw: it takes a port),
 * and not for a synproxy cookie's trial evaluation. It is direct-mapped:
 * a collision replaces the older entry, so a flood of distinct packets
 * costs one store each and the cache's memory is fixed.
 *
 * The keys and the decisions lie in two arrays: a look-up compares one
 * key, a cache line of its own, while the decision's line, found by the
 * same slot number, is already on its way; an entry is empty while its key
 * is all zeros (no packet's is: af is never 0).
 */
#ifndef PK_RUNTIME_DECISION_CACHE_H
#define PK_RUNTIME_DECISION_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "runtime/hash.h"
#include "runtime/ruleset.h"

#define PK_DC_ENTRIES 16384 /* about 2.4 MB: 1 MB of keys, 1.4 MB of decisions */
/* rules a cached decision may count: the scrub phase's and the match
 * rules a result lists (struct pk_rs_result), so that every decision the
 * result describes is kept (at 6, a packet meeting six match rules was
 * evaluated again at every packet) */
#define PK_DC_COUNTED (1 + PK_RS_MAX_MATCHES)

struct pk_dc_entry {
	uint32_t rule, nat_rule, scrub_rule;
	uint16_t tag;
	uint8_t ncounted;
	uint32_t counted[PK_DC_COUNTED]; /* rules whose counters the evaluation bumped */
};

struct pk_dcache {
	struct pk_match_pkt *key; /* PK_DC_ENTRIES, a line each (pk_line_calloc; random is 0: not part of the decision) */
	struct pk_dc_entry *e;    /* PK_DC_ENTRIES; both NULL when memory was short */
	uint64_t seed;
};

/* Allocates the entries (their pages are touched as they are used); a
 * cache without memory is valid and never hits. */
void pk_dc_init(struct pk_dcache *c, uint64_t seed);
void pk_dc_fini(struct pk_dcache *c);
/* Forget every decision (the rule set changed). */
void pk_dc_clear(struct pk_dcache *c);

/* The entry for key k, whose fields no rule reads (random among them) the
 * caller has cleared: found, or else the slot to fill, emptied (its older
 * decision forgotten). NULL when the cache has no memory. */
struct pk_dc_entry *pk_dc_slot(struct pk_dcache *c, const struct pk_match_pkt *k, bool *hit);
/* The same with k's hash (pk_dc_hash) worked out already. */
struct pk_dc_entry *pk_dc_slot_at(struct pk_dcache *c, const struct pk_match_pkt *k, uint32_t hash, bool *hit);
/* The hash pk_dc_slot files key k under: another thread may work it out
 * ahead, from a copy of the cache's seed, for pk_dc_prefetch. */
static inline uint32_t pk_dc_hash(uint64_t seed, const struct pk_match_pkt *k)
{
	return pk_hash_fold(pk_hash_words(seed, k, sizeof(*k) / 8)); /* seeded: colliding keys only evict each other */
}
/* Ask for the key and the decision of the slot of hash, whose look-up will
 * follow. Changes nothing. */
void pk_dc_prefetch(const struct pk_dcache *c, uint32_t hash);
/* The slot's decision is d, k's from now on; nothing when slot is NULL
 * (no memory, or the decision is not to be kept). */
void pk_dc_keep(struct pk_dcache *c, struct pk_dc_entry *slot, const struct pk_match_pkt *k,
		const struct pk_dc_entry *d);

#endif
