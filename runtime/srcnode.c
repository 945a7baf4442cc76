/*
 * runtime/srcnode.c: the source node pool and its hash index.
 */
#include "runtime/srcnode.h"

#include <stdlib.h>
#include <string.h>

static uint32_t sn_hash(uint8_t af, const uint8_t *addr, uint32_t rule)
{
	uint32_t h = 2166136261u ^ af ^ (rule * 0x9e3779b1u);
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ addr[i]) * 16777619u;
	return h;
}

int pk_sn_init(struct pk_sn_table *t, uint32_t cap)
{
	uint32_t nb = 16;

	memset(t, 0, sizeof(*t));
	if (cap == 0)
		cap = 1;
	while (nb < cap * 2u && nb < (1u << 30))
		nb <<= 1;
	t->n = calloc(cap, sizeof(*t->n));
	t->bucket = calloc(nb, sizeof(*t->bucket));
	if (!t->n || !t->bucket) {
		pk_sn_fini(t);
		return -1;
	}
	t->mask = nb - 1;
	t->cap = cap;
	return 0;
}

void pk_sn_fini(struct pk_sn_table *t)
{
	free(t->n);
	free(t->bucket);
	memset(t, 0, sizeof(*t));
}

uint32_t pk_sn_find(const struct pk_sn_table *t, uint8_t af, const uint8_t *addr, uint32_t rule)
{
	uint32_t e = t->bucket[sn_hash(af, addr, rule) & t->mask];

	for (; e; e = t->n[e - 1].hnext)
		if (t->n[e - 1].af == af && t->n[e - 1].rule == rule && memcmp(t->n[e - 1].addr, addr, 16) == 0)
			return e - 1;
	return PK_SN_NONE;
}

uint32_t pk_sn_add(struct pk_sn_table *t, uint8_t af, const uint8_t *addr, uint32_t rule)
{
	uint32_t i, b;
	struct pk_src_node *n;

	if (t->free_head) {
		i = t->free_head - 1;
		t->free_head = t->n[i].hnext;
	} else if (t->unused < t->cap) {
		i = t->unused++;
	} else {
		return PK_SN_NONE;
	}
	n = &t->n[i];
	memset(n, 0, sizeof(*n));
	memcpy(n->addr, addr, 16);
	n->af = af;
	n->rule = rule;
	n->used = true;
	b = sn_hash(af, addr, rule) & t->mask;
	n->hnext = t->bucket[b];
	t->bucket[b] = i + 1;
	t->count++;
	return i;
}

void pk_sn_remove(struct pk_sn_table *t, uint32_t i)
{
	struct pk_src_node *n = &t->n[i];
	uint32_t *link = &t->bucket[sn_hash(n->af, n->addr, n->rule) & t->mask];

	while (*link && *link != i + 1)
		link = &t->n[*link - 1].hnext;
	if (*link == i + 1)
		*link = n->hnext;
	n->used = false;
	n->hnext = t->free_head;
	t->free_head = i + 1;
	t->count--;
}

/* pf_add_threshold/pf_check_threshold: a decaying count of connections,
 * scaled by PK_THRESHOLD_MULT, compared with rate per secs. */
bool pk_sn_conn_exceeded(struct pk_src_node *n, uint32_t max_conn, uint32_t rate, uint32_t secs, uint32_t now_s)
{
	uint32_t diff = now_s - n->rate_last_s;
	bool bad = false;

	n->conn++;
	if (secs == 0 || diff >= secs)
		n->rate_count = 0;
	else
		n->rate_count -= (uint32_t)((uint64_t)n->rate_count * diff / secs);
	n->rate_count += PK_THRESHOLD_MULT;
	n->rate_last_s = now_s;
	if (max_conn && max_conn < n->conn)
		bad = true;
	if (rate && n->rate_count > rate * PK_THRESHOLD_MULT)
		bad = true;
	return bad;
}
