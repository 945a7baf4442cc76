/*
 * runtime/route.c: the routing table as the packet path looks it up.
 *
 * Built once at load from the verified interface addresses (connected
 * networks) and routes: one entry per distinct (family, length, masked
 * network), grouped by family and length, longest first, each group sorted
 * for binary search. A look-up tries the groups of the packet's family from
 * the longest length down and stops at the first hit, so it costs a few
 * binary searches instead of a scan of every interface and route. Where
 * several entries share a network and length, the one listed first wins
 * (connected networks before routes), as the linear rule it replaces.
 *
 * From those entries, a trie by address byte answers inet and inet6
 * look-ups: each node is 256 slots, one per value of the next byte, each
 * naming the entry of the longest prefix that covers it, or a node for
 * the next byte where longer prefixes split it. A look-up reads one slot
 * per byte until it meets an entry (two for a /24 inside a /8), instead of
 * a search per prefix length. The prefixes are put in shortest first, so
 * a slot a prefix covers always holds a shorter one's entry, which the
 * longer overwrites; a node made under a slot starts with that slot's
 * entry in all of its own. Its memory grows with the prefixes' lengths:
 * past RTRIE_MAX_NODES the groups answer alone.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/pkb_priv.h"

/* The 16-byte mask of a prefix length, as two words in host order. */
static void len_mask(uint64_t m[2], unsigned len)
{
	uint8_t b[16];
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
		b[i] = (uint8_t)(0xff00 >> bits);
	}
	memcpy(m, b, 16);
}

static void words(uint64_t w[2], const uint8_t addr[16])
{
	memcpy(w, addr, 16);
}

static int cmp_net(const uint64_t a[2], const uint64_t b[2])
{
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	if (a[1] != b[1])
		return a[1] < b[1] ? -1 : 1;
	return 0;
}

/* family, then length longest first, then network, then listing order */
static int cmp_ent(const void *a, const void *b)
{
	const struct pk_rs_rtent *x = a, *y = b;
	if (x->af != y->af)
		return x->af < y->af ? -1 : 1;
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	int c = cmp_net(x->net, y->net);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void add(struct pk_rs_rtent *e, uint32_t seq, const struct pkb_prefix *p, uint16_t iface,
		const struct pkb_prefix *gw)
{
	uint64_t m[2];
	memset(e, 0, sizeof(*e));
	e->af = p->af;
	e->len = p->len > 128 ? 128 : p->len;
	len_mask(m, e->len);
	words(e->net, p->addr);
	e->net[0] &= m[0];
	e->net[1] &= m[1];
	e->iface = iface;
	e->seq = seq;
	if (gw) {
		e->gw_af = gw->af;
		memcpy(e->gw, gw->addr, 16);
	}
}

/* Keep the first entry of each (af, len, net) and cut the groups. */
static void group(struct pk_rs *rs, uint32_t n)
{
	uint32_t kept = 0;
	for (uint32_t i = 0; i < n; i++) {
		const struct pk_rs_rtent *e = &rs->rt[i];
		const struct pk_rs_rtent *last = kept ? &rs->rt[kept - 1] : NULL;
		if (last && last->af == e->af && last->len == e->len && !cmp_net(last->net, e->net))
			continue;
		if (!last || last->af != e->af || last->len != e->len) {
			struct pk_rs_rtgroup *g = &rs->rtgroups[rs->nrtgroups++];
			len_mask(g->mask, e->len);
			g->af = e->af;
			g->len = e->len;
			g->first = kept;
			g->n = 0;
		}
		rs->rt[kept++] = *e;
		rs->rtgroups[rs->nrtgroups - 1].n++;
	}
}

#define RTRIE_FANOUT 256u
#define RTRIE_NODE 0x80000000u /* a slot naming a node; else entry number + 1, 0 none */
#define RTRIE_MAX_NODES 4096u  /* 4 MiB of slots */

/* A node whose slots all say v; its number, or UINT32_MAX past the budget. */
static uint32_t trie_node(struct pk_rs *rs, uint32_t v)
{
	uint32_t n = rs->rtrie_nodes;
	if (n == RTRIE_MAX_NODES)
		return UINT32_MAX;
	if ((n & (n - 1)) == 0) { /* room for as many again at each power of two */
		uint32_t *grown = realloc(rs->rtrie, (size_t)(n ? 2 * n : 1) * RTRIE_FANOUT * sizeof *grown);
		if (!grown)
			return UINT32_MAX;
		rs->rtrie = grown;
	}
	for (uint32_t i = 0; i < RTRIE_FANOUT; i++)
		rs->rtrie[(size_t)n * RTRIE_FANOUT + i] = v;
	return rs->rtrie_nodes++;
}

/* Entry e into the trie of its family, whose root is node root; false
 * when the trie outgrew its budget (or memory). */
static bool trie_insert(struct pk_rs *rs, uint32_t root, uint32_t e)
{
	const struct pk_rs_rtent *ent = &rs->rt[e];
	uint8_t a[16];
	memcpy(a, ent->net, 16);
	/* the node for the byte holding the prefix's last bit; /0 fills the root */
	uint32_t node = root, last = ent->len ? (ent->len - 1u) / 8 : 0, bits = ent->len - 8 * last;
	for (uint32_t k = 0; k < last; k++) {
		size_t at = (size_t)node * RTRIE_FANOUT + a[k];
		if (!(rs->rtrie[at] & RTRIE_NODE)) {
			uint32_t child = trie_node(rs, rs->rtrie[at]);
			if (child == UINT32_MAX)
				return false;
			rs->rtrie[at] = RTRIE_NODE | child;
		}
		node = rs->rtrie[at] & ~RTRIE_NODE;
	}
	uint32_t span = 1u << (8 - bits), first = a[last] & ~(span - 1) & 0xff;
	for (uint32_t i = first; i < first + span; i++)
		rs->rtrie[(size_t)node * RTRIE_FANOUT + i] = e + 1;
	return true;
}

/* The tries of both families from the grouped entries, shortest first;
 * false when they outgrow the budget. */
static bool fill_trie(struct pk_rs *rs)
{
	if (trie_node(rs, 0) != 0 || trie_node(rs, 0) != 1) /* the roots: inet, inet6 */
		return false;
	for (uint32_t g = rs->nrtgroups; g-- > 0;) {
		const struct pk_rs_rtgroup *grp = &rs->rtgroups[g];
		if (grp->af != PK_AF_INET && grp->af != PK_AF_INET6)
			continue;
		for (uint32_t i = grp->first; i < grp->first + grp->n; i++)
			if (!trie_insert(rs, grp->af == PK_AF_INET ? 0 : 1, i))
				return false;
	}
	return true;
}

static void build_trie(struct pk_rs *rs)
{
	if (fill_trie(rs))
		return;
	free(rs->rtrie); /* the groups answer alone */
	rs->rtrie = NULL;
	rs->rtrie_nodes = 0;
}

int pk_rs_build_routes(struct pk_rs *rs)
{
	const struct pkb_iface *ifs = PK_RS_SEC(rs, IFACES, struct pkb_iface);
	const struct pkb_prefix *ifa = PK_RS_SEC(rs, IFADDRS, struct pkb_prefix);
	const struct pkb_route *rt = PK_RS_SEC(rs, ROUTES, struct pkb_route);
	uint32_t n = 0, cap = PK_RS_N(rs, ROUTES);
	for (uint16_t i = 0; i < PK_RS_N(rs, IFACES); i++)
		cap += pk_rs_iface_naddr(rs, i);
	rs->rt = calloc((size_t)cap + 1, sizeof(*rs->rt));
	rs->rtgroups = calloc((size_t)cap + 1, sizeof(*rs->rtgroups));
	if (!rs->rt || !rs->rtgroups)
		return -1;
	for (uint16_t i = 0; i < PK_RS_N(rs, IFACES); i++)
		for (uint32_t k = 0; k < pk_rs_iface_naddr(rs, i); k++, n++)
			add(&rs->rt[n], n, &ifa[ifs[i].addr_first + k], i, NULL);
	for (uint32_t i = 0; i < PK_RS_N(rs, ROUTES); i++, n++)
		add(&rs->rt[n], n, &rt[i].dst, (uint16_t)rt[i].iface, &rt[i].gw);
	qsort(rs->rt, n, sizeof(*rs->rt), cmp_ent);
	group(rs, n);
	build_trie(rs);
	return 0;
}

/* The group's entry holding dst, if any. A few entries are scanned in
 * order (cheaper than the search's bookkeeping), more are searched. */
static const struct pk_rs_rtent *find(const struct pk_rs *rs, const struct pk_rs_rtgroup *g, const uint64_t dst[2])
{
	const uint64_t key[2] = {dst[0] & g->mask[0], dst[1] & g->mask[1]};
	uint32_t lo = g->first, hi = g->first + g->n;
	if (g->n <= 4) {
		for (; lo < hi; lo++)
			if (rs->rt[lo].net[0] == key[0] && rs->rt[lo].net[1] == key[1])
				return &rs->rt[lo];
		return NULL;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = cmp_net(rs->rt[mid].net, key);
		if (!c)
			return &rs->rt[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The entry of the longest prefix holding dst, by the groups. Not inlined:
 * its registers would cost the trie's look-up a longer entry and exit. */
__attribute__((noinline)) static const struct pk_rs_rtent *by_groups(const struct pk_rs *rs, uint8_t af,
								     const uint8_t dst[16])
{
	uint64_t d[2];
	words(d, dst);
	for (uint32_t g = 0; g < rs->nrtgroups; g++) {
		if (rs->rtgroups[g].af != af)
			continue;
		const struct pk_rs_rtent *e = find(rs, &rs->rtgroups[g], d);
		if (e)
			return e;
	}
	return NULL;
}

/* The same, by the trie: a prefix ends by the 16th byte, so does the walk. */
static const struct pk_rs_rtent *by_trie(const struct pk_rs *rs, uint8_t af, const uint8_t dst[16])
{
	uint32_t v = RTRIE_NODE | (af == PK_AF_INET ? 0u : 1u);
	for (unsigned k = 0; v & RTRIE_NODE; k++)
		v = rs->rtrie[(size_t)(v & ~RTRIE_NODE) * RTRIE_FANOUT + dst[k]];
	return v ? &rs->rt[v - 1] : NULL;
}

/* The entry of the longest prefix holding dst. Inline: the engine's
 * look-ups (pk_rs_route) cost no more than before it was shared. */
static inline const struct pk_rs_rtent *route_of(const struct pk_rs *rs, uint8_t af, const uint8_t dst[16])
{
	const bool trie = rs->rtrie && (af == PK_AF_INET || af == PK_AF_INET6);
	return trie ? by_trie(rs, af, dst) : by_groups(rs, af, dst);
}

bool pk_rs_route(const struct pk_rs *rs, uint8_t af, const uint8_t dst[16], uint16_t *iface, uint8_t *gw_af,
		 uint8_t gw[16])
{
	const struct pk_rs_rtent *e = route_of(rs, af, dst);
	if (!e)
		return false;
	*iface = e->iface;
	*gw_af = e->gw_af;
	memcpy(gw, e->gw, 16);
	return true;
}

bool pk_rs_route_iface(const struct pk_rs *rs, uint8_t af, const uint8_t dst[16], uint16_t *iface)
{
	const struct pk_rs_rtent *e = route_of(rs, af, dst);
	if (!e)
		return false;
	*iface = e->iface;
	return true;
}
