/*
 * compiler/ast_anchor.c: the constructors of anchor rules and `load
 * anchor`, and the statement lists of anchors' braces. What an anchor
 * means (its rules flattened in place) is compiler/resolve_anchor.c's.
 */
#include "compiler/ast.h"

#include <string.h>

#include "compiler/ir.h"
#include "compiler/lex.h"

/* The list that was being filled when an anchor's brace opened. */
struct pk_ast_frame {
	struct pk_ast_stmt *head, *tail;
	struct pk_ast_frame *outer;
	const char *opening;
};

void pk_ast_body_open(struct pk_parse *p)
{
	struct pk_ast_frame *f = pk_arena_alloc(p->arena, sizeof(*f));
	f->head = p->head;
	f->tail = p->tail;
	f->outer = p->frames;
	/* read at the brace, before the rules inside start statements of their own */
	f->opening = pk_lex_statement(p);
	p->frames = f;
	p->head = p->tail = NULL;
}

struct pk_ast_body *pk_ast_body_close(struct pk_parse *p)
{
	struct pk_ast_body *b = pk_arena_alloc(p->arena, sizeof(*b));
	struct pk_ast_frame *f = p->frames;
	b->head = p->head;
	b->opening = f->opening;
	p->head = f->head;
	p->tail = f->tail;
	p->frames = f->outer;
	return b;
}

void pk_ast_body_unwind(struct pk_parse *p, const struct pk_ast_frame *to)
{
	while (p->frames && p->frames != to)
		pk_ast_body_close(p);
}

static unsigned path_depth(const char *path)
{
	unsigned n = 1;
	for (; *path; path++)
		n += *path == '/';
	return n;
}

const char *pk_anchor_path(struct pk_arena *a, const char *from, const char *name)
{
	if (name[0] == '/')
		return pk_arena_strdup(a, name + 1);
	char *path = pk_arena_strdup(a, from);
	for (; !strncmp(name, "../", 3); name += 3) {
		if (!path[0])
			return NULL;
		char *slash = strrchr(path, '/');
		*(slash ? slash : path) = '\0';
	}
	return path[0] ? pk_arena_printf(a, "%s/%s", path, name) : pk_arena_strdup(a, name);
}

/* pfctl's checks of a name (anchorname and anchorrule in its parse.y). */
static bool anchor_name_ok(struct pk_parse *p, const struct pk_loc *loc, const char *name, bool braces)
{
	const char *why = NULL;
	if (!name && !braces)
		why = "anchors without explicit rules must specify a name";
	else if (name && !name[0])
		why = "anchor name must not be empty";
	else if (name && (name[0] == '_' || strstr(name, "/_")))
		why = "anchor names beginning with '_' are reserved for internal use";
	else if (name && braces && strchr(name, '/'))
		why = "anchor paths containing '/' cannot be used for inline anchors";
	if (why)
		pk_error(p->diags, loc, "%s", why);
	return !why;
}

void pk_ast_anchor(struct pk_parse *p, const struct pk_loc *loc, int kind, const char *name, int dir, bool quick,
		   struct pk_ast_item *ifs, int af, struct pk_ast_item *protos, struct pk_ast_fromto ft,
		   struct pk_ast_opt *opts, struct pk_ast_body *body)
{
	if (!anchor_name_ok(p, loc, name, body != NULL))
		return;
	struct pk_ast_anchor *x = pk_arena_alloc(p->arena, sizeof(*x));
	struct pk_ast_rule *c = pk_arena_alloc(p->arena, sizeof(*c));
	/* the criteria, read as a match rule's */
	*c = (struct pk_ast_rule){.loc = *loc, .action = PK_ACT_MATCH, .dir = (uint8_t)dir, .quick = quick,
				  .ifs = ifs, .af = (uint8_t)af, .protos = protos, .src = ft.src.hosts,
				  .sport = ft.src.ports, .dst = ft.dst.hosts, .dport = ft.dst.ports, .all = ft.all,
				  .opts = opts};
	x->loc = *loc;
	x->kind = (uint8_t)kind;
	x->named = name != NULL;
	/* pfctl names an unnamed one _1, _2 ... in its parent */
	x->name = name ? name : pk_arena_printf(p->arena, "_%u", ++p->nanon);
	x->crit = c;
	x->body = body;
	x->text = body ? body->opening : pk_lex_statement(p);
	pk_ast_add_stmt(p, PK_ST_ANCHOR, x);
}

void pk_ast_load(struct pk_parse *p, const struct pk_loc *loc, const char *name, const char *file)
{
	if (!anchor_name_ok(p, loc, name, false))
		return;
	const char *path = pk_anchor_path(p->arena, p->anchor_path ? p->anchor_path : "", name);
	if (!path || path_depth(path) > PK_ANCHOR_MAX_DEPTH) {
		pk_error(p->diags, loc, "load anchor \"%s\": %s", name,
			 path ? "anchors nest deeper than pf's 64 levels" : "the path climbs above the main ruleset");
		return;
	}
	struct pk_ast_load *l = pk_arena_alloc(p->arena, sizeof(*l));
	l->loc = *loc;
	l->path = path;
	l->file = file;
	if (p->loads_tail)
		p->loads_tail->next = l;
	else
		p->loads = l;
	p->loads_tail = l;
	pk_ast_add_stmt(p, PK_ST_LOAD, l);
}
