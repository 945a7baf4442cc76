/*
 * runtime/table_add.h: host addresses added to tables while packets flow,
 * as pf's `overload <table>` adds a source that broke max-src-conn or
 * max-src-conn-rate.
 *
 * A fixed open-addressed set of (table, family, address), sized when the
 * rule set is loaded (only for rule sets that overload) and bounded by
 * `set limit table-entries`, so nothing is allocated on the packet path.
 * An added host is a table's most specific entry: it matches, unless the
 * file already lists that very host (pf then refuses the insertion, and the
 * written entry, negated or not, keeps deciding).
 */
#ifndef PK_RUNTIME_TABLE_ADD_H
#define PK_RUNTIME_TABLE_ADD_H

#include <stdbool.h>
#include <stdint.h>

struct pk_tadd {
	uint32_t table; /* UINT32_MAX: free slot */
	uint8_t af;
	uint8_t addr[16];
};

struct pk_tadd_set {
	struct pk_tadd *e; /* NULL when the rule set never overloads */
	uint32_t mask;     /* slots - 1 */
	uint32_t cap, count;
};

/* Room for cap hosts; -1 when memory is short. cap 0 makes an empty set. */
int pk_tadd_init(struct pk_tadd_set *s, uint32_t cap);
void pk_tadd_fini(struct pk_tadd_set *s);
bool pk_tadd_has(const struct pk_tadd_set *s, uint32_t table, uint8_t af, const uint8_t addr[16]);
/* 1 added, 0 already there, -1 full (pf: the table-entries limit). */
int pk_tadd_put(struct pk_tadd_set *s, uint32_t table, uint8_t af, const uint8_t addr[16]);
/* The hosts in slot order: start with *cursor 0; false past the last. */
bool pk_tadd_next(const struct pk_tadd_set *s, uint32_t *cursor, uint32_t *table, uint8_t *af, uint8_t addr[16]);

#endif
