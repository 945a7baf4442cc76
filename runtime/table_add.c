/* runtime/table_add.c: see table_add.h. */
#include "runtime/table_add.h"

#include <stdlib.h>
#include <string.h>

#include "runtime/hash.h"
#include "runtime/ruleset.h"

int pk_tadd_init(struct pk_tadd_set *s, uint32_t cap)
{
	uint32_t slots = 4;

	memset(s, 0, sizeof(*s));
	if (!cap)
		return 0;
	while (slots < 2 * (uint64_t)cap && slots < (1u << 30)) /* at most half full: probes stay short */
		slots <<= 1;
	s->e = calloc(slots, sizeof(*s->e));
	if (!s->e)
		return -1;
	s->mask = slots - 1;
	s->cap = cap < slots / 2 ? cap : slots / 2;
	return 0;
}

void pk_tadd_fini(struct pk_tadd_set *s)
{
	free(s->e);
	memset(s, 0, sizeof(*s));
}

static size_t addr_len(uint8_t af)
{
	return af == PK_AF_INET6 ? 16 : 4;
}

/* Over the family's bytes only: what follows an IPv4 address is not part of it. */
static uint32_t slot_of(uint32_t table, uint8_t af, const uint8_t addr[16])
{
	uint8_t a[16] = {0};

	memcpy(a, addr, addr_len(af));
	return pk_hash_fold(pk_hash_words((uint64_t)table << 8 | af, a, 2));
}

/* The slot holding the host, or the free slot where it would go. */
static struct pk_tadd *probe(const struct pk_tadd_set *s, uint32_t table, uint8_t af, const uint8_t addr[16])
{
	const size_t n = addr_len(af);

	for (uint32_t i = slot_of(table, af, addr);; i++) {
		struct pk_tadd *e = &s->e[i & s->mask];

		if (!e->table1 || (e->table1 == table + 1 && e->af == af && !memcmp(e->addr, addr, n)))
			return e;
	}
}

bool pk_tadd_has(const struct pk_tadd_set *s, uint32_t table, uint8_t af, const uint8_t addr[16])
{
	return s->count && probe(s, table, af, addr)->table1 == table + 1;
}

int pk_tadd_put(struct pk_tadd_set *s, uint32_t table, uint8_t af, const uint8_t addr[16])
{
	struct pk_tadd *e;

	if (!s->e)
		return -1;
	e = probe(s, table, af, addr);
	if (e->table1)
		return 0;
	if (s->count >= s->cap)
		return -1;
	e->table1 = table + 1;
	e->af = af;
	memset(e->addr, 0, sizeof(e->addr));
	memcpy(e->addr, addr, addr_len(af));
	s->count++;
	return 1;
}

bool pk_tadd_next(const struct pk_tadd_set *s, uint32_t *cursor, uint32_t *table, uint8_t *af, uint8_t addr[16])
{
	for (; s->e && *cursor <= s->mask; (*cursor)++) {
		const struct pk_tadd *e = &s->e[*cursor];

		if (!e->table1)
			continue;
		*table = e->table1 - 1;
		*af = e->af;
		memcpy(addr, e->addr, 16);
		(*cursor)++;
		return true;
	}
	return false;
}
