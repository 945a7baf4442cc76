/*
 * runtime/state_pool.c: the state table's side pool (fixed-size records in
 * chunks allocated on first use, released ones kept on a free list).
 */
#include "runtime/state_pool.h"

#include <stdlib.h>
#include <string.h>

int pk_spool_init(struct pk_spool *p, uint32_t cap)
{
	uint32_t nchunks = (uint32_t)(((uint64_t)cap + PK_SPOOL_CHUNK - 1) / PK_SPOOL_CHUNK);

	memset(p, 0, sizeof(*p));
	p->chunk = calloc(nchunks ? nchunks : 1, sizeof(*p->chunk));
	if (!p->chunk)
		return -1;
	p->cap = cap;
	return 0;
}

void pk_spool_fini(struct pk_spool *p)
{
	uint32_t c, nchunks = (uint32_t)(((uint64_t)p->cap + PK_SPOOL_CHUNK - 1) / PK_SPOOL_CHUNK);

	if (p->chunk)
		for (c = 0; c < nchunks; c++)
			free(p->chunk[c]);
	free(p->chunk);
	memset(p, 0, sizeof(*p));
}

uint32_t pk_spool_alloc(struct pk_spool *p)
{
	uint32_t r = p->free_head;

	if (r) {
		uint32_t next;

		memcpy(&next, pk_spool_get(p, r), sizeof(next));
		p->free_head = next;
	} else {
		uint32_t c = p->unused >> PK_SPOOL_SHIFT;

		if (p->unused >= p->cap)
			return 0;
		/* one allocation per PK_SPOOL_CHUNK records, none per packet */
		if (!p->chunk[c] && !(p->chunk[c] = malloc(PK_SPOOL_CHUNK * sizeof(struct pk_spool_rec))))
			return 0;
		r = ++p->unused;
	}
	memset(pk_spool_get(p, r), 0, PK_SPOOL_REC);
	p->used++;
	return r;
}

void pk_spool_reserve(struct pk_spool *p)
{
	uint32_t c = p->unused >> PK_SPOOL_SHIFT, last = c + 1;

	if (p->unused == 0)
		return;
	/* short of memory, a chunk is left to pk_spool_alloc, which fails then */
	for (; c <= last && (uint64_t)c * PK_SPOOL_CHUNK < p->cap; c++)
		if (!p->chunk[c])
			p->chunk[c] = malloc(PK_SPOOL_CHUNK * sizeof(struct pk_spool_rec));
}

void pk_spool_free(struct pk_spool *p, uint32_t r)
{
	if (!r)
		return;
	memcpy(pk_spool_get(p, r), &p->free_head, sizeof(p->free_head));
	p->free_head = r;
	p->used--;
}
