/* compiler/strmap.c: the string -> u32 hash table of compiler/strmap.h. */
#include "compiler/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/xalloc.h"

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static size_t slot(const struct pk_strmap *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key))
		i = (i + 1) & (m->cap - 1);
	return i;
}

bool pk_strmap_get(const struct pk_strmap *m, const char *key, uint32_t *val)
{
	if (!m->cap)
		return false;
	size_t i = slot(m, key);
	if (!m->keys[i])
		return false;
	*val = m->vals[i];
	return true;
}

/* Double the slots (64 at first) and insert the keys again in slot order. */
static void grow(struct pk_strmap *m)
{
	struct pk_strmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 64;
	m->keys = pk_xcalloc(m->cap, sizeof(*m->keys));
	m->vals = pk_xcalloc(m->cap, sizeof(*m->vals));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.keys[i])
			pk_strmap_put(m, old.keys[i], old.vals[i]);
	free(old.keys);
	free(old.vals);
}

void pk_strmap_put(struct pk_strmap *m, const char *key, uint32_t val)
{
	if ((m->n + 1) * 2 > m->cap)
		grow(m);
	size_t i = slot(m, key);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
}

void pk_strmap_free(struct pk_strmap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}
