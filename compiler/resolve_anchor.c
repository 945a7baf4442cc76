/*
 * compiler/resolve_anchor.c: anchors, flattened into plain rules where the
 * anchor rule stands (see picket.conf(5), ANCHORS).
 *
 * pf steps into an anchor where its anchor rule matches and evaluates the
 * anchor's rules right there, last match continuing; a quick rule inside
 * ends the whole evaluation (pf_test_rule: `if ((*rm)->quick) break;`
 * leaves every anchor). An anchor rule written quick ends it after the
 * anchor when a rule inside matched (pf_step_out_of_anchor). Translation
 * and scrub rules are first-match across anchors (pf_match_translation
 * loops `while (r && rm == NULL)`). So an anchor's rules, each ANDed with
 * the anchor's criteria (resolve_combine.c), stand in its place; under
 * anchor quick its quick rules come first, in order, then the others last
 * first, all quick: first-match over that list picks what pf picks.
 *
 * An anchor's rules come from its braces or from `load anchor`; each kind
 * of anchor rule (anchor, nat-anchor, rdr-anchor, ...) takes the rules of
 * its kind, as FreeBSD and macOS keep a ruleset of each kind per anchor.
 * Each anchor's rules are resolved once per kind and reused.
 */
#include "compiler/resolve.h"

#include <stdlib.h>
#include <string.h>

struct rule_vec {
	struct pk_ir_rule *v;
	uint32_t n;
};

/* An anchor given rules, by its full path. */
struct anchor_def {
	const char *path;
	struct pk_loc loc;
	const struct pk_ast_stmt *body;
	struct rule_vec rules[PK_ANCHOR_NKINDS];
	bool resolved[PK_ANCHOR_NKINDS], busy[PK_ANCHOR_NKINDS];
};

struct pk_res_anchors {
	struct anchor_def *defs;
	uint32_t ndefs, cap;
	const char **noted; /* the notes given, each once */
	uint32_t nnoted;
	unsigned depth;
	bool full; /* MAX_RULES reached and reported */
};

/* pf steps into an anchor however often it is named, flattening copies it:
 * an anchor named twice in each of a chain of anchors doubles at each
 * step. A bound keeps such a file from exhausting memory. */
#define MAX_RULES (1u << 16)

static const char *const kind_names[PK_ANCHOR_NKINDS] = {
	"anchor", "nat-anchor", "rdr-anchor", "binat-anchor", "scrub-anchor", "dummynet-anchor",
};

static void unsupported(struct pk_res *r, const struct pk_loc *loc, const char *fmt, const char *a, const char *b)
{
	pk_unsupported(r->d, loc, pk_arena_printf(r->a, fmt, a, b));
}

static struct anchor_def *def_find(const struct pk_res *r, const char *path)
{
	for (uint32_t i = 0; r->anchors && i < r->anchors->ndefs; i++)
		if (!strcmp(r->anchors->defs[i].path, path))
			return &r->anchors->defs[i];
	return NULL;
}

static void def_add(struct pk_res *r, const char *path, const struct pk_loc *loc, const struct pk_ast_body *body)
{
	struct pk_res_anchors *x = r->anchors;
	const struct anchor_def *old = def_find(r, path);
	if (old) {
		struct pk_diag *g = pk_unsupported(r->d, loc, pk_arena_printf(r->a, "anchor \"%s\" given rules twice", path));
		pk_diag_note(g, &old->loc, "first given here");
		return;
	}
	x->defs = pk_arena_reserve(r->a, x->defs, x->ndefs, &x->cap, 8, sizeof(*x->defs));
	struct anchor_def *d = &x->defs[x->ndefs++];
	memset(d, 0, sizeof(*d));
	d->path = path;
	d->loc = *loc;
	d->body = body ? body->head : NULL;
}

/* pf keeps a table per anchor: one named like another cannot be merged. */
static void anchor_table(struct pk_res *r, const struct pk_ast_table *t, const char *path)
{
	if (pk_res_table_find(r, t->name) >= 0)
		unsupported(r, &t->loc, "table <%s> in anchor \"%s\" named like another table", t->name, path);
	else
		pk_res_table(r, t);
}

/* Where a statement other than a rule or an anchor was written. */
static const struct pk_loc *stmt_loc(const struct pk_ast_stmt *s)
{
	switch (s->kind) {
	case PK_ST_SET: return &s->u.set->loc;
	case PK_ST_CARRIED: return &s->u.carried->loc;
	case PK_ST_IFACE: return &s->u.iface->loc;
	case PK_ST_HOST: return &s->u.host->loc;
	default: return &s->u.route->loc;
	}
}

/* A statement of an anchor's that is neither a rule, a table nor an anchor:
 * options are ignored (pfctl loads options from the main ruleset only);
 * the topology is the host's, not an anchor's. */
static void outside_rules(struct pk_res *r, const struct pk_ast_stmt *s, const char *path)
{
	if (s->kind == PK_ST_SET || s->kind == PK_ST_CARRIED)
		pk_diag_add(r->d, PK_SEV_NOTE, stmt_loc(s), NULL,
			    "options in anchor \"%s\" are ignored, as pfctl takes options from the main ruleset only", path);
	else
		unsupported(r, stmt_loc(s), "%s declarations in anchor \"%s\"", "topology", path);
}

static void collect(struct pk_res *r, const struct pk_ast_stmt *s, const char *path)
{
	for (; s; s = s->next) {
		const struct pk_ast_anchor *a = s->u.anchor;
		const struct pk_ast_load *l = s->u.load;
		if (s->kind == PK_ST_ANCHOR && a->body) {
			const char *inner = pk_anchor_path(r->a, path, a->name);
			def_add(r, inner, &a->loc, a->body);
			collect(r, a->body->head, inner);
		} else if (s->kind == PK_ST_LOAD) {
			def_add(r, l->path, &l->loc, l->body);
			collect(r, l->body ? l->body->head : NULL, l->path);
		} else if (path[0] && s->kind == PK_ST_TABLE) {
			anchor_table(r, s->u.table, path);
		} else if (path[0] && s->kind != PK_ST_RULE && s->kind != PK_ST_ANCHOR) {
			outside_rules(r, s, path);
		}
	}
}

void pk_res_anchors_collect(struct pk_res *r, const struct pk_ast_stmt *stmts)
{
	r->anchors = pk_arena_alloc(r->a, sizeof(*r->anchors));
	collect(r, stmts, "");
}

/* The rules appended since n0, taken back out of the ruleset. */
static struct rule_vec take_rules(struct pk_res *r, uint32_t n0)
{
	struct rule_vec v = {.n = r->rs->nrules - n0};
	v.v = pk_arena_array(r->a, v.n ? v.n : 1, sizeof(*v.v));
	if (v.n)
		memcpy(v.v, &r->rs->rules[n0], v.n * sizeof(*v.v));
	r->rs->nrules = n0;
	return v;
}

/* Whether n more flat rules stay within MAX_RULES; reported once. */
static bool room(struct pk_res *r, const struct pk_loc *loc, uint64_t have, uint64_t n)
{
	if (have + n <= MAX_RULES && !r->anchors->full)
		return true;
	if (!r->anchors->full)
		pk_error(r->d, loc, "anchors expand to more than %u rules (is an anchor named many times over?)",
			 MAX_RULES);
	r->anchors->full = true;
	return false;
}

static void rules_append(struct pk_res *r, struct rule_vec *to, const struct rule_vec *from)
{
	struct pk_ir_rule *v = pk_arena_array(r->a, to->n + from->n + 1, sizeof(*v));
	if (to->n)
		memcpy(v, to->v, to->n * sizeof(*v));
	if (from->n)
		memcpy(v + to->n, from->v, from->n * sizeof(*v));
	to->v = v;
	to->n += from->n;
}

static uint8_t rule_kind(const struct pk_ast_rule *ar)
{
	switch (ar->action) {
	case PK_ACT_NAT: return PK_ANCHOR_NAT;
	case PK_ACT_RDR: return PK_ANCHOR_RDR;
	case PK_ACT_BINAT: return PK_ANCHOR_BINAT;
	case PK_ACT_SCRUB: return PK_ANCHOR_SCRUB;
	default: return PK_ANCHOR_FILTER;
	}
}

static void resolve_body(struct pk_res *r, const struct pk_ast_stmt *s, const char *path, uint8_t kind)
{
	for (; s; s = s->next) {
		if (s->kind == PK_ST_RULE && rule_kind(s->u.rule) == kind) {
			if (s->u.rule->antispoof)
				pk_res_antispoof(r, s->u.rule);
			else
				pk_res_rule(r, s->u.rule);
		} else if (s->kind == PK_ST_ANCHOR && s->u.anchor->kind == kind) {
			pk_res_anchor(r, s->u.anchor, path);
		}
	}
}

/* An anchor's rules of one kind, flat, resolved on first use. */
static struct rule_vec resolve_def(struct pk_res *r, struct anchor_def *d, uint8_t kind, const struct pk_loc *loc)
{
	struct pk_res_anchors *x = r->anchors;
	if (d->resolved[kind])
		return d->rules[kind];
	if (d->busy[kind] || x->depth >= PK_ANCHOR_MAX_DEPTH) {
		pk_error(r->d, loc, d->busy[kind] ? "anchor \"%s\" steps into itself"
						  : "anchor \"%s\": anchors nest deeper than pf's 64 levels", d->path);
		return (struct rule_vec){0};
	}
	d->busy[kind] = true;
	x->depth++;
	uint32_t n0 = r->rs->nrules;
	resolve_body(r, d->body, d->path, kind);
	d->rules[kind] = take_rules(r, n0);
	x->depth--;
	d->busy[kind] = false;
	d->resolved[kind] = true;
	return d->rules[kind];
}

static void note_once(struct pk_res *r, const struct pk_loc *loc, const char *path, const char *what)
{
	struct pk_res_anchors *x = r->anchors;
	const char *msg = pk_arena_printf(r->a, "anchor \"%s\" %s", path, what);
	for (uint32_t i = 0; i < x->nnoted; i++)
		if (!strcmp(x->noted[i], msg))
			return;
	x->noted = pk_arena_grow(r->a, x->noted, x->nnoted, x->nnoted + 1, sizeof(*x->noted));
	x->noted[x->nnoted++] = msg;
	pk_diag_add(r->d, PK_SEV_NOTE, loc, NULL, "%s", msg);
}

static void note_runtime(struct pk_res *r, const struct pk_loc *loc, const char *path)
{
	note_once(r, loc, path, "is filled at run time by another program (relayd, ftp-proxy, pfSense's "
				"userrules...); it is empty here");
}

static int def_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct anchor_def *const *)a)->path, (*(const struct anchor_def *const *)b)->path);
}

static bool is_child(const char *path, const char *base, size_t n)
{
	if (n && (strncmp(path, base, n) || path[n] != '/'))
		return false;
	const char *rest = n ? path + n + 1 : path;
	return *rest && !strchr(rest, '/');
}

/* A wildcard (NAME, a slash and a star): every anchor directly in NAME, in
 * strcmp order (pf's tree of an anchor's children). */
static struct rule_vec children_rules(struct pk_res *r, const struct pk_ast_anchor *a, const char *path)
{
	struct pk_res_anchors *x = r->anchors;
	size_t n = strlen(path) - 2;
	struct anchor_def **kids = pk_arena_array(r->a, x->ndefs + 1, sizeof(*kids));
	uint32_t nkids = 0;
	for (uint32_t i = 0; i < x->ndefs; i++)
		if (is_child(x->defs[i].path, path, n))
			kids[nkids++] = &x->defs[i];
	qsort(kids, nkids, sizeof(*kids), def_cmp);
	struct rule_vec all = {0};
	for (uint32_t i = 0; i < nkids; i++) {
		struct rule_vec v = resolve_def(r, kids[i], a->kind, &a->loc);
		if (room(r, &a->loc, all.n, v.n))
			rules_append(r, &all, &v);
	}
	if (!nkids)
		note_runtime(r, &a->loc, path);
	return all;
}

static struct rule_vec inner_rules(struct pk_res *r, const struct pk_ast_anchor *a, const char *path)
{
	size_t len = strlen(path);
	if (len > 2 && !strcmp(path + len - 2, "/*"))
		return children_rules(r, a, path);
	struct anchor_def *d = def_find(r, path);
	if (d)
		return resolve_def(r, d, a->kind, &a->loc);
	note_runtime(r, &a->loc, path);
	return (struct rule_vec){0};
}

/* What pfctl refuses on an anchor rule, and what no flat rule can carry. */
static bool criteria_ok(struct pk_res *r, const struct pk_ast_anchor *a, const char *path)
{
	const struct pk_ast_rule *c = a->crit;
	if (a->kind != PK_ANCHOR_FILTER && (c->quick || (c->dir && a->kind != PK_ANCHOR_SCRUB))) {
		pk_error(r->d, &a->loc, "%s takes no %s", kind_names[a->kind], c->quick ? "quick" : "in or out");
		return false;
	}
	/* options that act rather than match, or one draw for all the rules */
	static const char *const acting[PK_O_SCRUB + 1] = {
		[PK_O_TAG] = "tag (set when the anchor rule matches)",
		[PK_O_PROB] = "probability (one draw for all its rules)",
		[PK_O_NAT] = "nat-to, rdr-to or binat-to",
		[PK_O_SCRUB] = "scrub options",
		[PK_O_ALLOWOPTS] = "allow-opts",
	};
	for (const struct pk_ast_opt *o = c->opts; o; o = o->next) {
		if (o->kind == PK_O_STATE || o->kind == PK_O_ROUTE) {
			pk_error(r->d, &o->loc, "cannot specify %s handling on anchors", o->kind == PK_O_STATE ? "state" : "route");
			return false;
		}
		if (o->kind <= PK_O_SCRUB && acting[o->kind]) {
			unsupported(r, &o->loc, "anchor \"%s\" with %s", path, acting[o->kind]);
			return false;
		}
	}
	return true;
}

/* The anchor rule expanded as pfctl expands it: one evaluation per
 * combination of its lists. Empty after an error. */
static struct rule_vec criteria(struct pk_res *r, const struct pk_ast_anchor *a)
{
	unsigned errors = r->d->nerrors;
	uint32_t n0 = r->rs->nrules;
	pk_res_rule(r, a->crit);
	struct rule_vec v = take_rules(r, n0);
	if (r->d->nerrors != errors)
		v.n = 0;
	return v;
}

static bool addr_criteria(const struct pk_ir_rule *c)
{
	return c->src.kind != PK_ADDR_ANY || c->dst.kind != PK_ADDR_ANY || c->sport.op || c->dport.op;
}

/* Where the flat rules would decide otherwise than pf: the criteria are
 * tested once, where the anchor rule stands, and the rules inside see the
 * tag and the addresses rules before them set. */
static const char *inexact(const struct pk_ast_anchor *a, const struct rule_vec *crit, const struct rule_vec *in)
{
	bool where = false, tagged = false;
	for (uint32_t i = 0; i < crit->n; i++) {
		where |= addr_criteria(&crit->v[i]);
		tagged |= crit->v[i].tagged != NULL;
	}
	for (uint32_t i = 0; i < in->n; i++) {
		const struct pk_ir_rule *ir = &in->v[i];
		if (a->crit->quick && (ir->action == PK_ACT_MATCH || ir->tag || ir->tagged))
			return "anchor quick over match or tag rules";
		if (tagged && ir->tag)
			return "anchor tagged over rules that tag";
		if (where && ir->action == PK_ACT_MATCH && ir->nat.kind != PK_NAT_NONE)
			return "anchor with addresses or ports over match rules that translate";
	}
	return NULL;
}

/* anchor quick: its quick rules in order, then the others last first. */
static struct rule_vec quick_order(struct pk_res *r, const struct rule_vec *in)
{
	struct rule_vec o = {pk_arena_array(r->a, in->n + 1, sizeof(*o.v)), 0};
	for (uint32_t i = 0; i < in->n; i++)
		if (in->v[i].quick)
			o.v[o.n++] = in->v[i];
	for (uint32_t i = in->n; i-- > 0;)
		if (!in->v[i].quick)
			o.v[o.n++] = in->v[i];
	for (uint32_t i = 0; i < o.n; i++)
		o.v[i].quick = true;
	return o;
}

/* An anchor rule picket cannot flatten stays as one rule that may match
 * anything, as an unsupported rule does: lint rests no finding on it,
 * compile refuses it, print prints it as written (without its rules). */
static void stand_in(struct pk_res *r, const struct pk_ast_anchor *a, const char *path)
{
	static const uint8_t actions[] = {[PK_ANCHOR_FILTER] = PK_ACT_PASS, [PK_ANCHOR_NAT] = PK_ACT_NAT,
					  [PK_ANCHOR_RDR] = PK_ACT_RDR, [PK_ANCHOR_BINAT] = PK_ACT_BINAT,
					  [PK_ANCHOR_SCRUB] = PK_ACT_SCRUB};
	if (!room(r, &a->loc, r->rs->nrules, 1))
		return;
	struct pk_ir_rule *ir = pk_res_new_rule(r);
	ir->loc = a->loc;
	ir->action = actions[a->kind];
	ir->quick = a->crit->quick;
	ir->icmp_type = ir->icmp_code = ir->tos = ir->scrub.set_tos = -1;
	for (int i = 0; i < PK_TMO_COUNT; i++)
		ir->sopts.timeouts[i] = PK_TMO_UNSET;
	ir->unsupported = pk_arena_printf(r->a, "anchor \"%s\"", path);
	ir->text = a->text;
}

/* Whether the anchor rule can be flattened; false after an unsupported
 * warning, with a stand-in left in its place. */
static bool emit(struct pk_res *r, const struct pk_ast_anchor *a, const char *path, const struct rule_vec *crit,
		 const struct rule_vec *in)
{
	uint32_t n0 = r->rs->nrules;
	for (uint32_t t = 0; t < crit->n; t++)
		for (uint32_t i = 0; i < in->n; i++) {
			struct pk_ir_rule ir = in->v[i];
			const char *why = NULL;
			enum pk_combine c = pk_res_combine(&crit->v[t], &ir, &why);
			if (c == PK_COMBINE_UNSUPPORTED) {
				r->rs->nrules = n0;
				unsupported(r, &a->loc, "anchor \"%s\" with criteria that cannot be combined with its rules (%s)",
					    path, why);
				return false;
			}
			if (c == PK_COMBINE_DROP)
				continue;
			if (!room(r, &a->loc, r->rs->nrules, 1))
				return true;
			struct pk_ir_rule *out = pk_res_new_rule(r);
			uint32_t nr = out->nr;
			*out = ir;
			out->nr = nr;
		}
	return true;
}

void pk_res_anchor(struct pk_res *r, const struct pk_ast_anchor *a, const char *parent)
{
	const char *path = pk_anchor_path(r->a, parent, a->name);
	if (!path) {
		pk_error(r->d, &a->loc, "anchor \"%s\": the path climbs above the main ruleset", a->name);
		return;
	}
	if (a->kind == PK_ANCHOR_DUMMYNET) {
		note_once(r, &a->loc, path, "is not evaluated: dummynet shapes traffic and decides no verdict");
		return;
	}
	const unsigned unsupported_before = r->d->nunsupported;
	if (!criteria_ok(r, a, path)) {
		if (r->d->nunsupported == unsupported_before)
			return;
		inner_rules(r, a, path); /* checked all the same */
		stand_in(r, a, path);
		return;
	}
	struct rule_vec in = inner_rules(r, a, path);
	struct rule_vec crit = criteria(r, a);
	if (!in.n || !crit.n)
		return;
	const char *bad = inexact(a, &crit, &in);
	if (bad) {
		pk_unsupported(r->d, &a->loc, bad);
		stand_in(r, a, path);
		return;
	}
	if (a->crit->quick)
		in = quick_order(r, &in);
	if (!emit(r, a, path, &crit, &in))
		stand_in(r, a, path);
}

static bool holds_rules(const struct pk_ast_stmt *s, uint8_t kind)
{
	for (; s; s = s->next)
		if (s->kind == PK_ST_RULE && rule_kind(s->u.rule) == kind)
			return true;
	return false;
}

void pk_res_anchors_finish(struct pk_res *r)
{
	static const char *const rules[] = {"filter", "nat", "rdr", "binat", "scrub"};
	for (uint32_t i = 0; i < r->anchors->ndefs; i++) {
		struct anchor_def *d = &r->anchors->defs[i];
		for (uint8_t k = 0; k < PK_ANCHOR_DUMMYNET; k++) {
			if (d->resolved[k] || !holds_rules(d->body, k))
				continue;
			/* resolved all the same, for what is wrong in them */
			resolve_def(r, d, k, &d->loc);
			pk_warning(r->d, &d->loc, "anchor \"%s\" holds %s rules that no %s rule evaluates", d->path, rules[k],
				   kind_names[k]);
		}
	}
}
