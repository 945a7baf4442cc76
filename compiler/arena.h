/*
 * compiler/arena.h: bump allocation for AST and IR nodes.
 *
 * A parse, its resolution and everything hung off the IR live in one arena
 * and are freed at once. Allocation failure aborts with a message: the
 * toolchain cannot do anything useful without memory, and checking every
 * node allocation would bury the compiler's logic.
 */
#ifndef PK_COMPILER_ARENA_H
#define PK_COMPILER_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct pk_arena;

struct pk_arena *pk_arena_new(void);
void pk_arena_free(struct pk_arena *a);

/* Zeroed memory, aligned for any type. */
void *pk_arena_alloc(struct pk_arena *a, size_t size);
/* n zeroed elements of size each, with overflow checked. */
void *pk_arena_array(struct pk_arena *a, size_t n, size_t size);
/* Grows an arena array: copies the old n elements into a new array of cap. */
void *pk_arena_grow(struct pk_arena *a, const void *old, size_t n, size_t cap, size_t size);
/* Room for one more element in an array of n and capacity *cap: the array,
 * grown (doubling, from first) when full. */
void *pk_arena_reserve(struct pk_arena *a, void *arr, uint32_t n, uint32_t *cap, uint32_t first, size_t size);
char *pk_arena_strdup(struct pk_arena *a, const char *s);
char *pk_arena_strndup(struct pk_arena *a, const char *s, size_t n);
char *pk_arena_printf(struct pk_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for benchmarks' memory figures). */
size_t pk_arena_used(const struct pk_arena *a);

#endif
