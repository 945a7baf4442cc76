/*
 * compiler/frontend.c: parse (grammar/ via compiler/lex.c) then resolve
 * (compiler/resolve*.c) a rule file into IR.
 */
#include "compiler/frontend.h"

#include <stdlib.h>
#include <string.h>

#include "compiler/ast.h"
#include "compiler/lex.h"
#include "compiler/resolve.h"
#include "configxml/configxml.h"
#include "parse.h"
#include "runtime/infile.h"

int pk_parse_text(struct pk_parse *p, const char *file, const char *text, size_t len)
{
	unsigned before = p->diags->nerrors;
	const struct pk_ast_frame *outer = p->frames;
	pk_lex_push_file(p, file, text, len);
	yyparse(p);
	pk_ast_body_unwind(p, outer);
	return (int)(p->diags->nerrors - before);
}

static void add_source(struct pk_ir_ruleset *rs, const char *path, const char *text, size_t len)
{
	rs->sources = pk_arena_grow(rs->arena, rs->sources, rs->nsources, rs->nsources + 1, sizeof(*rs->sources));
	struct pk_ir_source *s = &rs->sources[rs->nsources++];
	s->path = pk_arena_strdup(rs->arena, path);
	s->text = pk_arena_strndup(rs->arena, text, len);
	s->len = len;
}

static void defines(struct pk_parse *p, const struct pk_frontend_opts *o)
{
	for (unsigned i = 0; o && i < o->ndefines; i++) {
		const char *eq = strchr(o->defines[i], '=');
		struct pk_loc cmd = {.file = "command line"};
		if (!eq) {
			pk_error(p->diags, &cmd, "-D %s: write -D name=value", o->defines[i]);
			continue;
		}
		char *name = pk_arena_strndup(p->arena, o->defines[i], (size_t)(eq - o->defines[i]));
		pk_ast_define_macro(p, &cmd, name, eq + 1);
	}
}

/* Parse errors are found before resolution errors; a reader wants them in
 * file order. Files keep the order they were read in. */
struct pk_diag_key {
	struct pk_diag g;
	unsigned file, idx;
};

static int diag_key_cmp(const void *a, const void *b)
{
	const struct pk_diag_key *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->g.loc.line != y->g.loc.line)
		return x->g.loc.line < y->g.loc.line ? -1 : 1;
	if (x->g.loc.col != y->g.loc.col)
		return x->g.loc.col < y->g.loc.col ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void sort_diags(struct pk_diags *d, unsigned first, const struct pk_ir_ruleset *rs)
{
	unsigned n = d->n - first;
	struct pk_diag_key *k = n > 1 ? malloc(n * sizeof(*k)) : NULL;
	if (!k)
		return;
	for (unsigned i = 0; i < n; i++) {
		k[i].g = d->v[first + i];
		k[i].idx = i;
		k[i].file = rs->nsources; /* included files after the files named */
		for (unsigned s = 0; s < rs->nsources; s++)
			if (k[i].g.loc.file && !strcmp(rs->sources[s].path, k[i].g.loc.file))
				k[i].file = s;
	}
	qsort(k, n, sizeof(*k), diag_key_cmp);
	for (unsigned i = 0; i < n; i++)
		d->v[first + i] = k[i].g;
	free(k);
}

/* The files of `load anchor`, after the main file as pfctl reads them,
 * each into its anchor's statements; a file read this way may load more. */
static void read_loads(struct pk_parse *p, struct pk_ir_ruleset *rs)
{
	for (struct pk_ast_load *l = p->loads; l; l = l->next) {
		const char *path = pk_lex_path_from(p, l->loc.file, l->file);
		size_t len;
		struct pk_err err;
		char *text = pk_lex_read_file(p->arena, path, &len, &err);
		if (!text) {
			pk_warning(p->diags, &l->loc, "cannot read '%s': %s; anchor \"%s\" is empty here", path, err.msg, l->path);
			continue;
		}
		add_source(rs, path, text, len);
		p->anchor_path = l->path;
		pk_ast_body_open(p);
		pk_parse_text(p, path, text, len);
		l->body = pk_ast_body_close(p);
	}
	p->anchor_path = NULL;
}

/* A config.xml is read as the pf text it becomes, its tokens located back
 * in the XML (configxml/configxml.h); the XML is the source quoted. */
static void parse_main(struct pk_parse *p, struct pk_ir_ruleset *rs, const char *name, const char *text, size_t len,
		       const char *topology)
{
	add_source(rs, name, text, len);
	if (!pk_cx_is_xml(text, len)) {
		pk_parse_text(p, name, text, len);
		return;
	}
	struct pk_cx_text cx;
	pk_diags_add_source(p->diags, name, text, len);
	if (pk_cx_translate(p->arena, name, text, len, topology, p->diags, &cx))
		return;
	struct pk_srcmap *m = pk_arena_alloc(p->arena, sizeof(*m));
	*m = cx.map;
	const char *gen = pk_arena_printf(p->arena, "%s (as pf rules)", name);
	/* kept after the XML: what a command that reads the rules again reads */
	add_source(rs, gen, cx.text, cx.len);
	pk_lex_push_mapped(p, gen, cx.text, cx.len, m);
	const struct pk_ast_frame *outer = p->frames;
	yyparse(p);
	pk_ast_body_unwind(p, outer);
}

static int load(const char *name, const char *text, size_t len, const struct pk_frontend_opts *o,
		struct pk_diags *d, struct pk_ir_ruleset **out)
{
	unsigned before = d->nerrors, first = d->n;
	struct pk_arena *a = pk_arena_new();
	struct pk_ir_ruleset *rs = pk_arena_alloc(a, sizeof(*rs));
	rs->arena = a;
	name = pk_arena_strdup(a, name);
	struct pk_parse p = {.arena = a, .diags = d, .root = o ? o->root : NULL};
	pk_lex_init(&p);
	defines(&p, o);
	if (o && o->topology) {
		size_t tlen;
		struct pk_err err;
		char *ttext = pk_lex_read_file(a, o->topology, &tlen, &err);
		if (!ttext) {
			struct pk_loc tl = {.file = pk_infile_name(o->topology)};
			pk_error(d, &tl, "%s", err.msg);
		} else {
			add_source(rs, o->topology, ttext, tlen);
			pk_parse_text(&p, o->topology, ttext, tlen);
		}
	}
	parse_main(&p, rs, name, text, len, o ? o->topology : NULL);
	read_loads(&p, rs);
	pk_lex_free(&p);
	struct pk_res r = {.rs = rs, .a = a, .d = d, .root = p.root};
	pk_resolve(&r, p.head);
	sort_diags(d, first, rs);
	if (d->nerrors != before) {
		pk_arena_free(a);
		*out = NULL;
		return -1;
	}
	*out = rs;
	return 0;
}

int pk_frontend_load_string(const char *name, const char *text, size_t len, const struct pk_frontend_opts *o,
			    struct pk_diags *d, struct pk_ir_ruleset **out)
{
	return load(name, text, len, o, d, out);
}

int pk_frontend_load(const char *path, const struct pk_frontend_opts *o, struct pk_diags *d,
		     struct pk_ir_ruleset **out)
{
	struct pk_arena *tmp = pk_arena_new();
	size_t len;
	struct pk_err err;
	char *text = pk_lex_read_file(tmp, path, &len, &err);
	int rc;
	if (!text) {
		struct pk_loc l = {.file = pk_infile_name(path)};
		pk_error(d, &l, "%s", err.msg);
		*out = NULL;
		rc = -1;
	} else {
		rc = load(pk_infile_name(path), text, len, o, d, out);
	}
	pk_arena_free(tmp);
	return rc;
}

void pk_ir_ruleset_free(struct pk_ir_ruleset *rs)
{
	if (rs)
		pk_arena_free(rs->arena);
}
