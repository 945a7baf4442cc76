/* compiler/arena.c: bump allocator in chained blocks. */
#include "compiler/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"

#define PK_ARENA_BLOCK (64 * 1024)
#define PK_ARENA_ALIGN 16
_Static_assert((PK_ARENA_ALIGN & (PK_ARENA_ALIGN - 1)) == 0, "pk_arena_alloc rounds sizes up with a mask");

struct pk_block {
	struct pk_block *next;
	size_t size, used;
	_Alignas(PK_ARENA_ALIGN) unsigned char data[];
};

struct pk_arena {
	struct pk_block *head;
	size_t total;
};

struct pk_arena *pk_arena_new(void)
{
	return pk_xcalloc(1, sizeof(struct pk_arena));
}

void pk_arena_free(struct pk_arena *a)
{
	if (!a)
		return;
	for (struct pk_block *b = a->head, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *pk_arena_alloc(struct pk_arena *a, size_t size)
{
	size_t need = (size + PK_ARENA_ALIGN - 1) & ~(size_t)(PK_ARENA_ALIGN - 1);
	if (need < size)
		pk_oom(size);
	struct pk_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t cap = need > PK_ARENA_BLOCK ? need : PK_ARENA_BLOCK;
		b = pk_xmalloc(sizeof(*b) + cap);
		b->size = cap;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	memset(p, 0, size);
	return p;
}

void *pk_arena_array(struct pk_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		pk_oom(SIZE_MAX);
	return pk_arena_alloc(a, n * size);
}

void *pk_arena_grow(struct pk_arena *a, const void *old, size_t n, size_t cap, size_t size)
{
	void *p = pk_arena_array(a, cap, size);
	if (n)
		memcpy(p, old, n * size);
	return p;
}

void *pk_arena_reserve(struct pk_arena *a, void *arr, uint32_t n, uint32_t *cap, uint32_t first, size_t size)
{
	if (n < *cap)
		return arr;
	*cap = *cap ? *cap * 2 : first;
	return pk_arena_grow(a, arr, n, *cap, size);
}

char *pk_arena_strndup(struct pk_arena *a, const char *s, size_t n)
{
	char *p = pk_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	return p;
}

char *pk_arena_strdup(struct pk_arena *a, const char *s)
{
	return pk_arena_strndup(a, s, strlen(s));
}

char *pk_arena_printf(struct pk_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		pk_oom(0);
	char *p = pk_arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t pk_arena_used(const struct pk_arena *a)
{
	return a->total;
}
