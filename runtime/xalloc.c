/* runtime/xalloc.c: allocation that aborts with one message when memory runs out. */
#include "runtime/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pk_oom(size_t n)
{
	fprintf(stderr, "picket: out of memory allocating %zu bytes\n", n);
	abort();
}

/* Sizes of 0 ask for 1 byte, so NULL always means failure (malloc(0) may
 * return NULL on success). */
void *pk_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		pk_oom(n);
	return p;
}

void *pk_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n && size ? n : 1, n && size ? size : 1);
	if (!p)
		pk_oom(size && n > SIZE_MAX / size ? SIZE_MAX : n * size);
	return p;
}

void *pk_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		pk_oom(n);
	return q;
}

char *pk_xstrdup(const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	return memcpy(pk_xmalloc(n), s, n);
}
