/*
 * runtime/state.c: the state pool and its hash index.
 *
 * Chains run through the keys themselves (the state's hnext for its wire
 * key, the side record's for the stack key of a translated state). The
 * bucket array starts small and doubles as states come, up to 1.5 buckets
 * a slot of the limit: random keys would touch every page of an array
 * sized for the limit at once. Entries are slot * 2 + key + 1, 0 ending a
 * chain, so calloc'd buckets and slots need no clearing and the slots'
 * pages are touched only as states come.
 */
#include "runtime/state.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/cacheline.h"
#include "runtime/proto.h"
#include "runtime/ruleset.h"

#define ENTRY(i, k) ((i) * 2u + (uint32_t)(k) + 1u) /* its inverse PK_ST_SLOT in state.h */
#define KEYNO(e) ((int)(((e) - 1u) % 2u))
#define SIDE_PER_STATE 3 /* a side record and two IPv6 address pairs */
#define SCRUB_MAX 1024   /* distinct scrub option tuples held at once */

_Static_assert(sizeof(struct pk_state) == 64, "the hot record is one cache line");
_Static_assert(sizeof(struct pk_state_cold) == 40, "the cold record");
_Static_assert(sizeof(struct pk_state_ext) == PK_SPOOL_REC, "a side record fits a pool record");

/* Three buckets for two slots (6 bytes a slot): a full table of
 * untranslated states has two keys in three buckets. */
static uint32_t buckets_for(uint32_t cap)
{
	return cap + cap / 2;
}

#define FIRST_BUCKETS 1536u /* for the first 1024 states */

/* The index's sizes are FIRST_BUCKETS doubled, the last one at least
 * buckets_for(cap): a doubling sends each old chain to two new ones. */
static uint32_t most_buckets(uint32_t cap)
{
	uint64_t nb = FIRST_BUCKETS;

	if (buckets_for(cap) <= FIRST_BUCKETS)
		return buckets_for(cap);
	while (nb < buckets_for(cap))
		nb *= 2;
	return (uint32_t)nb;
}

static uint32_t bucket_hash(const struct pk_state_table *t, uint8_t af, uint8_t proto, const void *addrs,
			    uint16_t port0, uint16_t port1)
{
	return pk_st_bucket_of_hash(t, pk_st_key_hash(t->seed, af, proto, addrs, port0, port1));
}

static inline uint32_t key_bucket(const struct pk_state_table *t, uint8_t af, uint8_t proto, const struct pk_skey *k)
{
	uint8_t v4[8];

	if (af == PK_AF_INET6)
		return bucket_hash(t, af, proto, k->addr, k->port[0], k->port[1]);
	memcpy(v4, k->addr[0], 4);
	memcpy(v4 + 4, k->addr[1], 4);
	return bucket_hash(t, af, proto, v4, k->port[0], k->port[1]);
}

int pk_st_init(struct pk_state_table *t, uint32_t cap, uint64_t seed)
{
	uint32_t nb;

	memset(t, 0, sizeof(*t));
	if (cap == 0)
		cap = 1;
	if (cap > PK_ST_MAX_CAP) /* entries (slot * 2 + key + 1) must fit 32 bits */
		return -1;
	nb = buckets_for(cap) <= FIRST_BUCKETS ? buckets_for(cap) : FIRST_BUCKETS;
	t->st = pk_line_calloc(cap, sizeof(*t->st)); /* a state's hot record is one line */
	t->cold = calloc(cap, sizeof(*t->cold));
	t->bucket = calloc(nb, sizeof(*t->bucket));
	t->scrub = calloc(SCRUB_MAX, sizeof(*t->scrub));
	t->scrub_refs = calloc(SCRUB_MAX, sizeof(*t->scrub_refs));
	if (!t->st || !t->cold || !t->bucket || !t->scrub || !t->scrub_refs ||
	    pk_spool_init(&t->side, cap * SIDE_PER_STATE)) {
		pk_st_fini(t);
		return -1;
	}
	t->nbuckets = nb;
	t->cap = cap;
	t->seed = seed;
	return 0;
}

void pk_st_fini(struct pk_state_table *t)
{
	pk_line_free(t->st);
	free(t->cold);
	free(t->bucket);
	free(t->scrub);
	free(t->scrub_refs);
	pk_spool_fini(&t->side);
	memset(t, 0, sizeof(*t));
}

void pk_st_prepare(struct pk_state_table *t)
{
	pk_spool_reserve(&t->side);
}

uint32_t pk_st_alloc(struct pk_state_table *t)
{
	uint32_t i;

	/* released slots first, then the never used ones in order: the table's
	 * pages are touched as states come, not all at start */
	if (t->free_head) {
		i = t->free_head - 1;
		t->free_head = t->st[i].hnext;
	} else if (t->unused < t->cap) {
		i = t->unused++;
	} else {
		return PK_ST_NONE;
	}
	memset(&t->st[i], 0, sizeof(t->st[i]));
	memset(&t->cold[i], 0, sizeof(t->cold[i]));
	t->st[i].id = ++t->next_id;
	return i;
}

struct pk_state_ext *pk_st_ext_need(struct pk_state_table *t, uint32_t i)
{
	struct pk_state_ext *x;

	if (t->st[i].ext)
		return pk_st_ext(t, i);
	if (!(t->st[i].ext = pk_spool_alloc(&t->side)))
		return NULL;
	x = pk_st_ext(t, i);
	x->src_node = PK_ST_NONE;
	return x;
}

uint32_t pk_st_src_node(const struct pk_state_table *t, uint32_t i)
{
	const struct pk_state_ext *x = pk_st_ext(t, i);

	return x ? x->src_node : PK_ST_NONE;
}

/* The stored form of k; for IPv6 its addresses go to a side record
 * (shared with `share` when they are the same). False when none is free. */
static bool compact(struct pk_state_table *t, uint8_t af, const struct pk_skey *k, const struct pk_ckey *share,
		    const struct pk_skey *share_full, struct pk_ckey *c)
{
	memset(c, 0, sizeof(*c));
	c->port[0] = k->port[0];
	c->port[1] = k->port[1];
	if (af != PK_AF_INET6) {
		memcpy(&c->a[0], k->addr[0], 4);
		memcpy(&c->a[1], k->addr[1], 4);
		return true;
	}
	if (share && memcmp(share_full->addr, k->addr, sizeof(k->addr)) == 0) {
		c->a[0] = share->a[0];
		return true;
	}
	if (!(c->a[0] = pk_spool_alloc(&t->side)))
		return false;
	memcpy(pk_spool_get(&t->side, c->a[0]), k->addr, sizeof(k->addr));
	return true;
}

static void expand(const struct pk_state_table *t, uint8_t af, const struct pk_ckey *c, struct pk_skey *k)
{
	memset(k, 0, sizeof(*k));
	k->port[0] = c->port[0];
	k->port[1] = c->port[1];
	if (af != PK_AF_INET6) {
		memcpy(k->addr[0], &c->a[0], 4);
		memcpy(k->addr[1], &c->a[1], 4);
	} else if (c->a[0]) {
		memcpy(k->addr, pk_spool_get(&t->side, c->a[0]), sizeof(k->addr));
	}
}

/* Key k of slot i as stored (the wire key when the state has one key). */
static const struct pk_ckey *ckey(const struct pk_state_table *t, uint32_t i, int k)
{
	if (k == PK_SK_WIRE || (t->st[i].flags & PK_SF_ONEKEY))
		return &t->st[i].key;
	return &pk_st_ext(t, i)->key;
}

uint8_t pk_st_key_af(const struct pk_state_table *t, uint32_t i, int k)
{
	const struct pk_state *s = &t->st[i];

	if (k == PK_SK_STACK && (s->flags & PK_SF_AFTO))
		return s->af == PK_AF_INET ? PK_AF_INET6 : PK_AF_INET;
	return s->af;
}

/* The protocol of key k of slot i: an af-to state's ICMP is ICMPv6 on the other side. */
static uint8_t key_proto(const struct pk_state_table *t, uint32_t i, int k)
{
	const uint8_t proto = t->st[i].proto;

	if (pk_st_key_af(t, i, k) == t->st[i].af || (proto != PK_PROTO_ICMP && proto != PK_PROTO_ICMP6))
		return proto;
	return proto == PK_PROTO_ICMP ? PK_PROTO_ICMP6 : PK_PROTO_ICMP;
}

void pk_st_key(const struct pk_state_table *t, uint32_t i, int k, struct pk_skey *out)
{
	expand(t, pk_st_key_af(t, i, k), ckey(t, i, k), out);
}

/* Free what the keys of slot i hold in the side pool. */
static void drop_keys(struct pk_state_table *t, uint32_t i)
{
	struct pk_state *s = &t->st[i];
	struct pk_state_ext *x = pk_st_ext(t, i);
	bool wire6 = s->af == PK_AF_INET6, stack6 = pk_st_key_af(t, i, PK_SK_STACK) == PK_AF_INET6;

	if (x && stack6 && (!wire6 || x->key.a[0] != s->key.a[0]))
		pk_spool_free(&t->side, x->key.a[0]);
	if (wire6)
		pk_spool_free(&t->side, s->key.a[0]);
	if (x && stack6)
		x->key.a[0] = 0;
	if (wire6)
		s->key.a[0] = 0;
}

/* The same key, comparing only the bytes of the family's addresses. */
static bool same_key(uint8_t af, const struct pk_skey *a, const struct pk_skey *b)
{
	size_t alen = af == PK_AF_INET6 ? 16 : 4;

	return a->port[0] == b->port[0] && a->port[1] == b->port[1] && memcmp(a->addr[0], b->addr[0], alen) == 0 &&
	       memcmp(a->addr[1], b->addr[1], alen) == 0;
}

bool pk_st_set_keys(struct pk_state_table *t, uint32_t i, const struct pk_skey keys[2])
{
	struct pk_state *s = &t->st[i];
	struct pk_state_ext *x;

	const uint8_t saf = pk_st_key_af(t, i, PK_SK_STACK);

	if (!compact(t, s->af, &keys[PK_SK_WIRE], NULL, NULL, &s->key))
		return false;
	if (saf == s->af && same_key(s->af, &keys[PK_SK_WIRE], &keys[PK_SK_STACK])) {
		s->flags |= PK_SF_ONEKEY;
		return true;
	}
	s->flags &= (uint8_t)~PK_SF_ONEKEY;
	if (!(x = pk_st_ext_need(t, i)) ||
	    !compact(t, saf, &keys[PK_SK_STACK], saf == s->af ? &s->key : NULL, &keys[PK_SK_WIRE], &x->key)) {
		drop_keys(t, i);
		return false;
	}
	return true;
}

/* Scrub option tuples are few (one per rule that sets them) and shared by
 * many states: a state holds a reference to one. */
bool pk_st_set_scrub(struct pk_state_table *t, uint32_t i, const struct pk_scrub *o)
{
	uint32_t n, spare = SCRUB_MAX;

	for (n = 0; n < t->nscrub; n++) {
		if (t->scrub_refs[n] && memcmp(&t->scrub[n], o, sizeof(*o)) == 0)
			break;
		if (!t->scrub_refs[n] && spare == SCRUB_MAX)
			spare = n;
	}
	if (n == t->nscrub) {
		if (spare == SCRUB_MAX && t->nscrub == SCRUB_MAX)
			return false;
		n = spare != SCRUB_MAX ? spare : t->nscrub++;
		t->scrub[n] = *o;
	}
	t->scrub_refs[n]++;
	t->cold[i].scrub = (uint16_t)(n + 1);
	t->st[i].flags |= PK_SF_SCRUB;
	return true;
}

static void release(struct pk_state_table *t, uint32_t i)
{
	struct pk_state *s = &t->st[i];

	drop_keys(t, i);
	pk_spool_free(&t->side, s->ext);
	s->ext = 0;
	if (s->flags & PK_SF_SCRUB) /* the cold record is read only then */
		t->scrub_refs[t->cold[i].scrub - 1]--;
	s->flags = 0;
	s->hnext = t->free_head;
	t->free_head = i + 1;
}

void pk_st_discard(struct pk_state_table *t, uint32_t i)
{
	release(t, i);
}

/* Where entry e's chain goes on. */
static uint32_t *next_of(const struct pk_state_table *t, uint32_t e)
{
	return KEYNO(e) == 0 ? &t->st[PK_ST_SLOT(e)].hnext : &pk_st_ext(t, PK_ST_SLOT(e))->hnext;
}

/* An af-to state's key of entry e has this family and protocol (its stack
 * key's are the other family's). */
static bool afto_key_is(const struct pk_state_table *t, uint32_t e, uint8_t af, uint8_t proto)
{
	return pk_st_key_af(t, PK_ST_SLOT(e), KEYNO(e)) == af && key_proto(t, PK_ST_SLOT(e), KEYNO(e)) == proto;
}
/* Always inline (GCC judged it too large), the af-to case called: asked for
 * each state on a look-up's chain. */
static inline __attribute__((always_inline)) bool key_eq(const struct pk_state_table *t, uint32_t e, uint8_t af,
							 uint8_t proto, const struct pk_skey *k)
{
	const struct pk_state *s = &t->st[PK_ST_SLOT(e)];
	const struct pk_ckey *c = ckey(t, PK_ST_SLOT(e), KEYNO(e));

	if (c->port[0] != k->port[0] || c->port[1] != k->port[1])
		return false;
	/* only an af-to state's stack key differs from the state in family and protocol */
	if (!(s->flags & PK_SF_AFTO) ? s->af != af || s->proto != proto : !afto_key_is(t, e, af, proto))
		return false;
	if (af == PK_AF_INET6)
		return memcmp(pk_spool_get(&t->side, c->a[0]), k->addr, sizeof(k->addr)) == 0;
	return memcmp(&c->a[0], k->addr[0], 4) == 0 && memcmp(&c->a[1], k->addr[1], 4) == 0;
}

/* The bucket of key k of slot i, from its stored form. */
static uint32_t bucket_of(const struct pk_state_table *t, uint32_t i, int k)
{
	const struct pk_ckey *c = ckey(t, i, k);
	const uint8_t af = pk_st_key_af(t, i, k);

	return bucket_hash(t, af, key_proto(t, i, k), af == PK_AF_INET6 ? pk_spool_get(&t->side, c->a[0]) : c->a,
			   c->port[0], c->port[1]);
}

static void unlink_key(struct pk_state_table *t, uint32_t i, int k)
{
	uint32_t *link = &t->bucket[bucket_of(t, i, k)];

	while (*link) {
		uint32_t e = *link;

		if (e == ENTRY(i, k)) {
			*link = *next_of(t, e);
			return;
		}
		link = next_of(t, e);
	}
}

/* An existing state with the same key, interface and direction. */
static uint32_t collision(const struct pk_state_table *t, uint32_t i, int k)
{
	const struct pk_state *n = &t->st[i];
	struct pk_skey full;
	uint32_t e;

	const uint8_t af = pk_st_key_af(t, i, k);

	pk_st_key(t, i, k, &full);
	e = t->bucket[key_bucket(t, af, key_proto(t, i, k), &full)];
	for (; e; e = *next_of(t, e)) {
		const struct pk_state *s = &t->st[PK_ST_SLOT(e)];

		if (PK_ST_SLOT(e) != i && key_eq(t, e, af, key_proto(t, i, k), &full) && s->iface == n->iface &&
		    s->dir == n->dir)
			return PK_ST_SLOT(e);
	}
	return PK_ST_NONE;
}

static void link_key(struct pk_state_table *t, uint32_t i, int k)
{
	uint32_t b = bucket_of(t, i, k);

	*next_of(t, ENTRY(i, k)) = t->bucket[b];
	t->bucket[b] = ENTRY(i, k);
}

uint32_t pk_st_conflict(const struct pk_state_table *t, uint32_t i)
{
	uint32_t old = collision(t, i, PK_SK_WIRE);

	if (old == PK_ST_NONE && !(t->st[i].flags & PK_SF_ONEKEY))
		old = collision(t, i, PK_SK_STACK);
	return old;
}

/* The chain from e reversed in place; returns its new head (the old tail). */
static uint32_t reverse_chain(const struct pk_state_table *t, uint32_t e)
{
	uint32_t prev = 0;

	while (e) {
		uint32_t *link = next_of(t, e), next = *link;

		*link = prev;
		prev = e;
		e = next;
	}
	return prev;
}

/* Twice the buckets: each old chain, walked from its tail, is pushed onto
 * the two new chains it splits into, so every chain keeps its order (the
 * newest state first) as if the index had had this size all along. Short
 * of memory, the chains just stay longer. */
static void grow_index(struct pk_state_table *t)
{
	uint32_t old_n = t->nbuckets, *old = t->bucket, *nb = calloc((size_t)old_n * 2, sizeof(*nb));

	if (!nb)
		return;
	t->bucket = nb;
	t->nbuckets = old_n * 2;
	for (uint32_t b = 0; b < old_n; b++) {
		for (uint32_t e = reverse_chain(t, old[b]); e;) {
			uint32_t *link = next_of(t, e), next = *link, to = bucket_of(t, PK_ST_SLOT(e), KEYNO(e));

			*link = nb[to];
			nb[to] = e;
			e = next;
		}
	}
	free(old);
}

void pk_st_insert(struct pk_state_table *t, uint32_t i)
{
	struct pk_state *s = &t->st[i];

	if ((uint64_t)(t->count + 1) * 3 > (uint64_t)t->nbuckets * 2 && t->nbuckets < most_buckets(t->cap))
		grow_index(t);
	s->flags |= PK_SF_USED;
	link_key(t, i, PK_SK_WIRE);
	if (!(s->flags & PK_SF_ONEKEY))
		link_key(t, i, PK_SK_STACK);
	t->count++;
}

void pk_st_remove(struct pk_state_table *t, uint32_t i)
{
	struct pk_state *s = &t->st[i];

	if (!(s->flags & PK_SF_USED))
		return;
	unlink_key(t, i, PK_SK_WIRE);
	if (!(s->flags & PK_SF_ONEKEY))
		unlink_key(t, i, PK_SK_STACK);
	t->count--;
	release(t, i);
}

bool pk_st_rekey(struct pk_state_table *t, uint32_t i, const struct pk_skey keys[2])
{
	struct pk_state *s = &t->st[i];
	struct pk_skey old[2];
	bool ok;

	pk_st_key(t, i, PK_SK_WIRE, &old[PK_SK_WIRE]);
	pk_st_key(t, i, PK_SK_STACK, &old[PK_SK_STACK]);
	unlink_key(t, i, PK_SK_WIRE);
	if (!(s->flags & PK_SF_ONEKEY))
		unlink_key(t, i, PK_SK_STACK);
	drop_keys(t, i);
	ok = pk_st_set_keys(t, i, keys) && pk_st_conflict(t, i) == PK_ST_NONE;
	if (!ok) {
		drop_keys(t, i);
		/* the records just freed hold the old keys again */
		(void)pk_st_set_keys(t, i, old);
	}
	link_key(t, i, PK_SK_WIRE);
	if (!(s->flags & PK_SF_ONEKEY))
		link_key(t, i, PK_SK_STACK);
	return ok;
}

uint32_t pk_st_find(const struct pk_state_table *t, uint8_t af, uint8_t proto, const struct pk_skey *k,
		    uint8_t dir, uint16_t iface)
{
	uint32_t e = t->bucket[key_bucket(t, af, proto, k)];
	uint32_t floating = PK_ST_NONE;
	int want = dir == PK_DIR_IN ? PK_SK_WIRE : PK_SK_STACK;

	for (; e; e = *next_of(t, e)) {
		const struct pk_state *s = &t->st[PK_ST_SLOT(e)];

		if ((s->flags & PK_SF_AFTO) ? dir != PK_DIR_IN : !((s->flags & PK_SF_ONEKEY) || KEYNO(e) == want))
			continue;
		if (!key_eq(t, e, af, proto, k) || (s->flags & PK_SF_PURGE))
			continue;
		if (s->iface == iface)
			return PK_ST_SLOT(e);
		if (s->iface == PK_RT_NO_IFACE && floating == PK_ST_NONE)
			floating = PK_ST_SLOT(e);
	}
	return floating;
}
