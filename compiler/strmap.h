/*
 * compiler/strmap.h: the front end's table of names: string -> u32, open
 * addressing with linear probing, FNV-1a over the bytes.
 *
 * One implementation for every name table of the toolchain: the lexer's
 * macros, the resolver's tables and the encoder's strings, sources,
 * interfaces and tags. Keys are borrowed (arena strings, mostly): they must
 * outlive the map. Allocation failure aborts, as the arena does.
 */
#ifndef PK_COMPILER_STRMAP_H
#define PK_COMPILER_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Zero-initialised is empty. keys[0..cap) is NULL where a slot is free:
 * walking it lists the keys (in slot order, the same for the same
 * insertions). */
struct pk_strmap {
	const char **keys;
	uint32_t *vals;
	size_t n, cap;
};

bool pk_strmap_get(const struct pk_strmap *m, const char *key, uint32_t *val);
/* Insert key, or give an existing key the value val. */
void pk_strmap_put(struct pk_strmap *m, const char *key, uint32_t val);
void pk_strmap_free(struct pk_strmap *m);

#endif
