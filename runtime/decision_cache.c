/*
 * runtime/decision_cache.c: the direct-mapped decision cache
 * (runtime/decision_cache.h).
 */
#include "runtime/decision_cache.h"
#include "runtime/hash.h"

#include <stdlib.h>
#include <string.h>

void pk_dc_init(struct pk_dcache *c, uint64_t seed)
{
	c->e = calloc(PK_DC_ENTRIES, sizeof(*c->e));
	c->seed = seed;
}

void pk_dc_fini(struct pk_dcache *c)
{
	free(c->e);
	c->e = NULL;
}

void pk_dc_clear(struct pk_dcache *c)
{
	if (c->e)
		memset(c->e, 0, PK_DC_ENTRIES * sizeof(*c->e));
}

_Static_assert(sizeof(struct pk_match_pkt) % 8 == 0 && sizeof(struct pk_match_pkt) == 64,
	       "struct pk_match_pkt is hashed as whole words and compared as bytes: keep it free of padding");

/* Seeded, over the key's words: colliding keys only evict each other. */
static uint32_t key_hash(uint64_t seed, const struct pk_match_pkt *k)
{
	return pk_hash_fold(pk_hash_words(seed, k, sizeof(*k) / 8));
}

struct pk_dc_entry *pk_dc_slot(struct pk_dcache *c, const struct pk_match_pkt *k, bool *hit)
{
	struct pk_dc_entry *s;

	*hit = false;
	if (!c->e)
		return NULL;
	s = &c->e[key_hash(c->seed, k) & (PK_DC_ENTRIES - 1)];
	*hit = s->used && memcmp(&s->key, k, sizeof(*k)) == 0;
	if (!*hit) { /* the caller fills it and sets used, or leaves it unused */
		s->used = false;
		memcpy(&s->key, k, sizeof(*k));
	}
	return s;
}
