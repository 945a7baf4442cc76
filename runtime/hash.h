/*
 * runtime/hash.h: the word-mixing hash the runtime's hash tables share
 * (states, the decision cache, overload's host set): each 64-bit word is
 * xored in, multiplied by the golden-ratio constant and folded. The tables
 * need only that equal keys meet and that keys spread; seeds keep an
 * outsider from choosing collisions.
 */
#ifndef PK_RUNTIME_HASH_H
#define PK_RUNTIME_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t pk_hash_mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* n words read from p (any alignment), mixed into h. */
static inline uint64_t pk_hash_words(uint64_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t w;

		memcpy(&w, (const uint8_t *)p + 8 * i, 8);
		h = pk_hash_mix(h, w);
	}
	return h;
}

/* Fold to 32 bits. */
static inline uint32_t pk_hash_fold(uint64_t h)
{
	return (uint32_t)(h ^ (h >> 32));
}

#endif
