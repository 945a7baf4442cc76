/*
 * runtime/state_pool.h: the state table's side pool.
 *
 * Fixed-size 32-byte records (a state's side record, or an IPv6 state
 * key's two addresses), named by index + 1 so that 0 means none. The most
 * records the pool may hold is set at init from the state limit (three a
 * state: one side record and two address pairs), and the chunk directory is
 * sized for it then; chunks of PK_SPOOL_CHUNK records are allocated the
 * first time a record in them is needed, so memory follows the states that
 * use side records and a table of untranslated IPv4 states holds none.
 * pk_spool_reserve, run between packets, allocates the next chunk before
 * the records run out, so the packet path allocates only when more than a
 * chunk's worth are taken between two runs. Nothing ever moves: a
 * record's address is stable for its life.
 */
#ifndef PK_RUNTIME_STATE_POOL_H
#define PK_RUNTIME_STATE_POOL_H

#include <stdint.h>

#define PK_SPOOL_SHIFT 10
#define PK_SPOOL_CHUNK (1u << PK_SPOOL_SHIFT) /* records a chunk (32 KiB) */
#define PK_SPOOL_REC 32

struct pk_spool_rec {
	_Alignas(8) uint8_t b[PK_SPOOL_REC];
};

struct pk_spool {
	struct pk_spool_rec **chunk; /* directory: cap / PK_SPOOL_CHUNK entries, NULL until used */
	uint32_t cap;       /* records the pool may hold */
	uint32_t used;      /* records held */
	uint32_t unused;    /* records from here on were never handed out */
	uint32_t free_head; /* released records (index + 1), 0 = none */
};

/* Size the directory for cap records; -1 when memory is short. */
int pk_spool_init(struct pk_spool *p, uint32_t cap);
void pk_spool_fini(struct pk_spool *p);
/* A zeroed record (index + 1), or 0 when the pool holds cap records or a
 * new chunk could not be allocated. */
uint32_t pk_spool_alloc(struct pk_spool *p);
/* Once the pool is in use, have the chunk being handed out and the next
 * one allocated (between packets). */
void pk_spool_reserve(struct pk_spool *p);
/* Release record r (0: nothing). */
void pk_spool_free(struct pk_spool *p, uint32_t r);

/* Record r (index + 1, not 0). */
static inline void *pk_spool_get(const struct pk_spool *p, uint32_t r)
{
	return p->chunk[(r - 1) >> PK_SPOOL_SHIFT][(r - 1) & (PK_SPOOL_CHUNK - 1)].b;
}

#endif
