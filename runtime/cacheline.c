/* runtime/cacheline.c: zeroed arrays that start on a cache line (runtime/cacheline.h). */
#include "runtime/cacheline.h"

#include <stdint.h>
#include <stdlib.h>

/* calloc's block, a line larger than asked: the array starts at the first
 * line boundary past a pointer's room, where the block's start is kept. */
void *pk_line_calloc(size_t n, size_t size)
{
	const size_t extra = PK_CACHE_LINE + sizeof(void *);

	if (size && n > (SIZE_MAX - extra) / size)
		return NULL;
	void *raw = calloc(1, n * size + extra);
	if (!raw)
		return NULL;
	uintptr_t at = ((uintptr_t)raw + sizeof(void *) + PK_CACHE_LINE - 1) & ~(uintptr_t)(PK_CACHE_LINE - 1);
	((void **)at)[-1] = raw;
	return (void *)at;
}

void pk_line_free(void *p)
{
	if (p)
		free(((void **)p)[-1]);
}
