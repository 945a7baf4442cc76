/*
 * runtime/srcnode.h: source tracking (pf's src nodes).
 *
 * A node per source address (per rule, or global with `source-track
 * global`) counts the states and completed TCP connections of that source,
 * for max-src-states, max-src-conn and max-src-conn-rate. The pool is
 * sized from `set limit src-nodes`.
 */
#ifndef PK_RUNTIME_SRCNODE_H
#define PK_RUNTIME_SRCNODE_H

#include <stdbool.h>
#include <stdint.h>

#define PK_SN_NONE UINT32_MAX
#define PK_THRESHOLD_MULT 1000 /* pf's fixed-point scale for connection rates */

struct pk_src_node {
	uint8_t addr[16];
	uint8_t af;
	bool used;
	uint32_t rule;      /* PK_RT_NO_RULE for global tracking */
	uint32_t states, conn;
	uint32_t rate_count, rate_last_s; /* pf_threshold */
	uint32_t hnext;     /* the next node of its chain (or of the free list) + 1, 0 = none */
};

/* Buckets and nodes are allocated zeroed, chains and the free list hold
 * node + 1 (0 ends them) and never used nodes are taken in order, so the
 * pages are touched as sources come, not for the limit at init. */
struct pk_sn_table {
	struct pk_src_node *n;
	uint32_t *bucket; /* first node of each chain + 1, 0 = empty */
	uint32_t mask, cap, count;
	uint32_t free_head; /* released nodes + 1, through hnext; 0 = none */
	uint32_t unused;    /* nodes from here on were never used */
};

int pk_sn_init(struct pk_sn_table *t, uint32_t cap);
void pk_sn_fini(struct pk_sn_table *t);
uint32_t pk_sn_find(const struct pk_sn_table *t, uint8_t af, const uint8_t *addr, uint32_t rule);
/* A new node, or PK_SN_NONE when the pool is full. */
uint32_t pk_sn_add(struct pk_sn_table *t, uint8_t af, const uint8_t *addr, uint32_t rule);
void pk_sn_remove(struct pk_sn_table *t, uint32_t i);

/* pf_src_connlimit: count a completed connection at time now_s; true when
 * it breaks max-src-conn or max-src-conn-rate (limit per secs). */
bool pk_sn_conn_exceeded(struct pk_src_node *n, uint32_t max_conn, uint32_t rate, uint32_t secs, uint32_t now_s);

#endif
