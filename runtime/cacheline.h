/*
 * runtime/cacheline.h: zeroed arrays that start on a cache line.
 *
 * A record sized to a line (a state's hot part, a decision cache key) is
 * one line to read and one to prefetch only when the array starts on a
 * line; malloc and calloc promise 16 bytes, so without this every such
 * record would straddle two lines and a prefetch of its start would leave
 * its end to miss. The memory comes from calloc, so pages no record
 * reaches are never touched.
 */
#ifndef PK_RUNTIME_CACHELINE_H
#define PK_RUNTIME_CACHELINE_H

#include <stddef.h>

#define PK_CACHE_LINE 64

/* n zeroed records of size bytes, the first at a multiple of
 * PK_CACHE_LINE; NULL when memory is short or n * size overflows. */
void *pk_line_calloc(size_t n, size_t size);
/* Frees what pk_line_calloc returned; NULL is ignored. */
void pk_line_free(void *p);

#endif
