/*
 * runtime/decision_cache.c: the direct-mapped decision cache
 * (runtime/decision_cache.h).
 */
#include "runtime/decision_cache.h"
#include "runtime/cacheline.h"

#include <stdlib.h>
#include <string.h>

void pk_dc_init(struct pk_dcache *c, uint64_t seed)
{
	c->key = pk_line_calloc(PK_DC_ENTRIES, sizeof(*c->key)); /* a key to a line */
	c->e = malloc(PK_DC_ENTRIES * sizeof(*c->e));
	if (!c->key || !c->e) {
		pk_dc_fini(c);
		return;
	}
	c->seed = seed;
}

void pk_dc_fini(struct pk_dcache *c)
{
	pk_line_free(c->key);
	free(c->e);
	c->key = NULL;
	c->e = NULL;
}

void pk_dc_clear(struct pk_dcache *c)
{
	if (c->key)
		memset(c->key, 0, PK_DC_ENTRIES * sizeof(*c->key));
}

_Static_assert(sizeof(struct pk_match_pkt) % 8 == 0 && sizeof(struct pk_match_pkt) == 64,
	       "struct pk_match_pkt is hashed as whole words and compared as bytes: keep it free of padding");

void pk_dc_prefetch(const struct pk_dcache *c, uint32_t hash)
{
	if (!c->e)
		return;
	__builtin_prefetch(&c->key[hash & (PK_DC_ENTRIES - 1)]);
	__builtin_prefetch(&c->e[hash & (PK_DC_ENTRIES - 1)]);
}

struct pk_dc_entry *pk_dc_slot(struct pk_dcache *c, const struct pk_match_pkt *k, bool *hit)
{
	return pk_dc_slot_at(c, k, pk_dc_hash(c->seed, k), hit);
}

struct pk_dc_entry *pk_dc_slot_at(struct pk_dcache *c, const struct pk_match_pkt *k, uint32_t hash, bool *hit)
{
	size_t i;

	*hit = false;
	if (!c->e)
		return NULL;
	i = hash & (PK_DC_ENTRIES - 1);
	__builtin_prefetch(&c->e[i]); /* read on a hit, written on a miss */
	*hit = memcmp(&c->key[i], k, sizeof(*k)) == 0;
	if (!*hit) /* forgotten: the caller fills it and keeps it, or leaves it empty */
		memset(&c->key[i], 0, sizeof(*k));
	return &c->e[i];
}

void pk_dc_keep(struct pk_dcache *c, struct pk_dc_entry *slot, const struct pk_match_pkt *k,
		const struct pk_dc_entry *d)
{
	if (!slot)
		return;
	*slot = *d;
	c->key[slot - c->e] = *k;
}
