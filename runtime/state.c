/*
 * runtime/state.c: the state pool and its hash index.
 *
 * Chains run through the states themselves (hnext[k] for key k), so the
 * index needs one bucket array and no allocation after pk_st_init.
 */
#include "runtime/state.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/ruleset.h"

#define ENTRY(i, k) ((i) * 2u + (k))
#define STARTING_BUCKETS (1u << 16) /* doubled as states come, up to twice the limit */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v;
	h *= 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

/* Seeded, over the key's words in host byte order: the index only needs equal
 * keys to meet, so the words need not be read in network order. */
static uint32_t key_hash(const struct pk_state_table *t, uint8_t af, uint8_t proto, const struct pk_skey *k)
{
	uint64_t h = t->seed ^ ((uint64_t)af << 8 | proto), w[4];

	memcpy(w, k->addr, sizeof(w));
	for (int i = 0; i < 4; i++)
		h = mix(h, w[i]);
	h = mix(h, (uint64_t)k->port[0] << 16 | k->port[1]);
	return (uint32_t)(h ^ (h >> 32));
}

void pk_skey_set(struct pk_skey *k, uint8_t dir, const uint8_t *src, const uint8_t *dst, uint16_t sport,
		 uint16_t dport)
{
	int s = dir == PK_RT_DIR_IN ? 0 : 1;

	memcpy(k->addr[s], src, 16);
	memcpy(k->addr[1 - s], dst, 16);
	k->port[s] = sport;
	k->port[1 - s] = dport;
}

int pk_st_init(struct pk_state_table *t, uint32_t cap, uint64_t seed)
{
	uint32_t nb = 16;

	memset(t, 0, sizeof(*t));
	if (cap == 0)
		cap = 1;
	while (nb < cap * 2u && nb < (1u << 30))
		nb <<= 1;
	t->mask_max = nb - 1;
	nb = nb < STARTING_BUCKETS ? nb : STARTING_BUCKETS;
	t->st = calloc(cap, sizeof(*t->st));
	t->cold = calloc(cap, sizeof(*t->cold));
	t->bucket = malloc(nb * sizeof(*t->bucket));
	if (!t->st || !t->cold || !t->bucket) {
		pk_st_fini(t);
		return -1;
	}
	memset(t->bucket, 0xff, nb * sizeof(*t->bucket));
	t->mask = nb - 1;
	t->cap = cap;
	t->seed = seed;
	t->free_head = PK_ST_NONE;
	return 0;
}

void pk_st_fini(struct pk_state_table *t)
{
	free(t->st);
	free(t->cold);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

uint32_t pk_st_alloc(struct pk_state_table *t)
{
	uint32_t i = t->free_head;

	/* released slots first, then the never used ones in order: the table's
	 * pages are touched as states come, not all at start */
	if (i != PK_ST_NONE)
		t->free_head = t->st[i].hnext[0];
	else if (t->unused < t->cap)
		i = t->unused++;
	else
		return PK_ST_NONE;
	memset(&t->st[i], 0, sizeof(t->st[i]));
	memset(&t->cold[i], 0, sizeof(t->cold[i]));
	t->cold[i].id = ++t->next_id;
	t->cold[i].src_node = PK_ST_NONE;
	return i;
}

static void release(struct pk_state_table *t, uint32_t i)
{
	t->st[i].flags = 0;
	t->st[i].hnext[0] = t->free_head;
	t->free_head = i;
}

static bool key_eq(const struct pk_state *s, int k, uint8_t af, uint8_t proto, const struct pk_skey *key)
{
	return s->af == af && s->proto == proto && memcmp(&s->key[k], key, sizeof(*key)) == 0;
}

static void unlink_key(struct pk_state_table *t, uint32_t i, int k)
{
	uint32_t b = key_hash(t, t->st[i].af, t->st[i].proto, &t->st[i].key[k]) & t->mask;
	uint32_t *link = &t->bucket[b];

	while (*link != PK_ST_NONE) {
		uint32_t e = *link;

		if (e == ENTRY(i, (uint32_t)k)) {
			*link = t->st[i].hnext[k];
			return;
		}
		link = &t->st[e / 2].hnext[e % 2];
	}
}

/* An existing state with the same key, interface and direction. */
static uint32_t collision(const struct pk_state_table *t, uint32_t i, int k)
{
	const struct pk_state *n = &t->st[i];
	uint32_t e = t->bucket[key_hash(t, n->af, n->proto, &n->key[k]) & t->mask];

	for (; e != PK_ST_NONE; e = t->st[e / 2].hnext[e % 2]) {
		const struct pk_state *s = &t->st[e / 2];

		if (e / 2 != i && key_eq(s, (int)(e % 2), n->af, n->proto, &n->key[k]) && s->iface == n->iface &&
		    s->dir == n->dir)
			return e / 2;
	}
	return PK_ST_NONE;
}

static void link_key(struct pk_state_table *t, uint32_t i, int k)
{
	uint32_t b = key_hash(t, t->st[i].af, t->st[i].proto, &t->st[i].key[k]) & t->mask;

	t->st[i].hnext[k] = t->bucket[b];
	t->bucket[b] = ENTRY(i, (uint32_t)k);
}

void pk_st_discard(struct pk_state_table *t, uint32_t i)
{
	release(t, i);
}

static bool same_keys(const struct pk_state *s)
{
	return memcmp(&s->key[0], &s->key[1], sizeof(s->key[0])) == 0;
}

uint32_t pk_st_conflict(const struct pk_state_table *t, uint32_t i)
{
	uint32_t old = collision(t, i, 0);

	if (old == PK_ST_NONE && !same_keys(&t->st[i]))
		old = collision(t, i, 1);
	return old;
}

/* Double the buckets, splitting each chain in two in its order, so states
 * of one key stay in the order they were inserted. Out of memory: unchanged. */
static void grow(struct pk_state_table *t)
{
	uint32_t onb = t->mask + 1, *nb = malloc(2 * (size_t)onb * sizeof(*nb));

	if (!nb)
		return;
	for (uint32_t b = 0; b < onb; b++) {
		uint32_t *tail[2] = {&nb[b], &nb[b + onb]};

		for (uint32_t e = t->bucket[b], next; e != PK_ST_NONE; e = next) {
			struct pk_state *s = &t->st[e / 2];
			int hi = (key_hash(t, s->af, s->proto, &s->key[e % 2]) & onb) != 0;

			next = s->hnext[e % 2];
			*tail[hi] = e;
			tail[hi] = &s->hnext[e % 2];
		}
		*tail[0] = *tail[1] = PK_ST_NONE;
	}
	free(t->bucket);
	t->bucket = nb;
	t->mask = 2 * onb - 1;
}

void pk_st_insert(struct pk_state_table *t, uint32_t i)
{
	struct pk_state *s = &t->st[i];

	if (t->mask < t->mask_max && t->count >= (t->mask + 1) / 2)
		grow(t);

	s->flags |= PK_SF_USED;
	if (same_keys(s))
		s->flags |= PK_SF_ONEKEY;
	link_key(t, i, 0);
	if (!(s->flags & PK_SF_ONEKEY))
		link_key(t, i, 1);
	t->count++;
}

void pk_st_remove(struct pk_state_table *t, uint32_t i)
{
	struct pk_state *s = &t->st[i];

	if (!(s->flags & PK_SF_USED))
		return;
	unlink_key(t, i, 0);
	if (!(s->flags & PK_SF_ONEKEY))
		unlink_key(t, i, 1);
	t->count--;
	release(t, i);
}

uint32_t pk_st_find(const struct pk_state_table *t, uint8_t af, uint8_t proto, const struct pk_skey *k,
		    uint8_t dir, uint16_t iface)
{
	uint32_t e = t->bucket[key_hash(t, af, proto, k) & t->mask];
	uint32_t floating = PK_ST_NONE;
	int want = dir == PK_RT_DIR_IN ? PK_SK_WIRE : PK_SK_STACK;

	for (; e != PK_ST_NONE; e = t->st[e / 2].hnext[e % 2]) {
		const struct pk_state *s = &t->st[e / 2];

		if (!((s->flags & PK_SF_ONEKEY) || (int)(e % 2) == want))
			continue;
		if (!key_eq(s, (int)(e % 2), af, proto, k) || (s->flags & PK_SF_PURGE))
			continue;
		if (s->iface == iface)
			return e / 2;
		if (s->iface == PK_RT_NO_IFACE && floating == PK_ST_NONE)
			floating = e / 2;
	}
	return floating;
}
