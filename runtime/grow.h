/*
 * runtime/grow.h: arrays that double as the traffic grows and fail softly
 * (the replay's flow tables): no abort when memory runs out, unlike
 * runtime/xalloc.h; the caller stops tracking and says so.
 */
#ifndef PK_RUNTIME_GROW_H
#define PK_RUNTIME_GROW_H

#include <stddef.h>
#include <stdlib.h>

/* v, of *cap elements of size elem, moved to twice the room (first when
 * empty): the new array, *cap updated; NULL when more than max elements
 * or no memory, v and *cap then as they were. */
static inline void *pk_grow(void *v, size_t *cap, size_t elem, size_t first, size_t max)
{
	const size_t n = *cap ? *cap * 2 : first;
	void *nv = n <= max ? realloc(v, n * elem) : NULL;
	if (nv)
		*cap = n;
	return nv;
}

#endif
