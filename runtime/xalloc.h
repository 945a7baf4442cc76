/*
 * runtime/xalloc.h: allocation that ends the program when memory runs out.
 *
 * The toolchain (picket: front end, verifier, encoder) can do nothing
 * useful without the memory it asks for, so it allocates through these:
 * on failure they print "picket: out of memory allocating N bytes" and
 * abort. The packet path and picketd never use them: their memory is sized
 * at load time, and a load or a state that does not fit is refused instead.
 */
#ifndef PK_RUNTIME_XALLOC_H
#define PK_RUNTIME_XALLOC_H

#include <stddef.h>

/* Never NULL; a request for 0 bytes still returns a pointer to free. */
void *pk_xmalloc(size_t n);
void *pk_xcalloc(size_t n, size_t size);
void *pk_xrealloc(void *p, size_t n);
/* A copy of s; NULL when s is NULL, for optional strings. */
char *pk_xstrdup(const char *s);
/* The one report of a failed allocation of n bytes, for allocators built
 * on other calls (the front end's arena). */
_Noreturn void pk_oom(size_t n);

#endif
