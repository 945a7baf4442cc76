/*
 * compiler/resolve_table.c: `table <name> ... { entries } file "path"`.
 * Inline entries are resolved like rule addresses; a file holds one entry
 * per word, `#` comments allowed, as pfctl reads it.
 */
#include "compiler/resolve.h"

#include <string.h>

#include "compiler/lex.h"

struct pk_entry_vec {
	struct pk_ir_table_entry *v;
	uint32_t n, cap;
};

static void entry_push(struct pk_res *r, struct pk_entry_vec *e, const struct pk_prefix *p, bool neg)
{
	e->v = pk_arena_reserve(r->a, e->v, e->n, &e->cap, 8, sizeof(*e->v));
	e->v[e->n].pfx = *p;
	e->v[e->n++].neg = neg;
}

/* `self` and `(IF)` in a table's braces: pfctl puts the interfaces'
 * addresses in, as they are when the table is loaded (the topology's). */
static void implicit_entries(struct pk_res *r, struct pk_entry_vec *e, const struct pk_ir_table *t, bool neg)
{
	for (uint32_t i = 0; i < t->nentries; i++)
		entry_push(r, e, &t->entries[i].pfx, neg != t->entries[i].neg);
}

/* One word of a table file; returns false for what is not an address. */
static bool file_entry(struct pk_res *r, struct pk_entry_vec *e, const char *w, size_t len)
{
	bool neg = len && w[0] == '!';
	char *text = pk_arena_strndup(r->a, w + neg, len - neg);
	struct pk_prefix p;
	const struct pk_ast_hostname *h = pk_prefix_parse(text, &p) ? pk_res_hostname(r, text) : NULL;
	for (const struct pk_ast_item *a = h ? h->addrs : NULL; a; a = a->next)
		if (!pk_prefix_parse(a->s, &p))
			entry_push(r, e, &p, neg);
	if (h)
		return true;
	if (pk_prefix_parse(text, &p))
		return false;
	entry_push(r, e, &p, neg);
	return true;
}

static void table_file(struct pk_res *r, const struct pk_ast_item *f, struct pk_entry_vec *e)
{
	size_t len;
	struct pk_err err;
	const char *path = pk_lex_host_path(r->a, r->root, f->s);
	const char *text = pk_lex_read_file(r->a, path, &len, &err);
	if (!text) {
		pk_error(r->d, &f->loc, "cannot read table file '%s': %s", path, err.msg);
		return;
	}
	unsigned line = 1;
	for (size_t i = 0; i < len;) {
		if (text[i] == '#') {
			while (i < len && text[i] != '\n')
				i++;
		} else if (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n') {
			line += text[i++] == '\n';
		} else {
			size_t s = i;
			while (i < len && !strchr(" \t\r\n#", text[i]))
				i++;
			if (!file_entry(r, e, text + s, i - s))
				pk_error(r->d, &f->loc, "%s:%u: '%.*s' is not an address, a network or a declared host", path, line,
					 (int)(i - s), text + s);
		}
	}
}

void pk_res_table(struct pk_res *r, const struct pk_ast_table *at)
{
	int old = pk_res_table_find(r, at->name);
	if (old >= 0) {
		struct pk_diag *g = pk_error(r->d, &at->loc, "table <%s> is defined twice", at->name);
		pk_diag_note(g, &r->rs->tables[old].loc, "first defined here; merge the two or rename one");
		return;
	}
	uint32_t idx = pk_res_table_add(r, at->name, &at->loc);
	struct pk_addr_vec v = {0};
	struct pk_entry_vec e = {0};
	pk_res_hosts(r, at->hosts, &v);
	for (uint32_t i = 0; i < v.n; i++) {
		const struct pk_ir_addr *a = &v.v[i];
		if (a->kind == PK_ADDR_PREFIX)
			entry_push(r, &e, &a->pfx, a->neg);
		else if (a->kind == PK_ADDR_TABLE && r->rs->tables[a->table].implicit)
			implicit_entries(r, &e, &r->rs->tables[a->table], a->neg);
		else
			pk_error(r->d, &at->loc, "a table holds addresses, networks and interfaces only, not other tables");
	}
	uint32_t ninline = e.n, nfiles = 0;
	for (const struct pk_ast_item *f = at->files; f; f = f->next, nfiles++)
		table_file(r, f, &e);
	struct pk_ir_table *t = &r->rs->tables[idx];
	t->persist = at->persist;
	t->is_const = at->is_const;
	t->counters = at->counters;
	t->entries = e.v ? e.v : pk_arena_alloc(r->a, sizeof(*t->entries));
	t->nentries = e.n;
	t->ninline = ninline;
	t->files = pk_arena_array(r->a, nfiles ? nfiles : 1, sizeof(*t->files));
	for (const struct pk_ast_item *f = at->files; f; f = f->next)
		t->files[t->nfiles++] = f->s;
}
