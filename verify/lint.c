/* verify/lint.c: the linter's driver, the report, inline suppression. */
#include <assert.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compiler/srcmap.h"
#include "runtime/xalloc.h"
#include "verify/lint_priv.h"

struct pk_lint_info {
	const char *id;
	enum pk_severity sev;
	bool on;
	const char *shortd, *help;
};

static const struct pk_lint_info pk_lint_table[PK_LINT_COUNT] = {
#define PK_LINT_ROW(e, id, sev, on, shortd, help) {id, sev, on, shortd, help},
	PK_LINT_IDS(PK_LINT_ROW)
#undef PK_LINT_ROW
};

void pk_lint_opts_default(struct pk_lint_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < PK_LINT_COUNT; i++)
		o->enabled[i] = pk_lint_table[i].on;
}

int pk_lint_id_find(const char *id)
{
	for (int i = 0; i < PK_LINT_COUNT; i++)
		if (!strcmp(pk_lint_table[i].id, id))
			return i;
	return -1;
}

const char *pk_lint_id_name(enum pk_lint_id id) { return pk_lint_table[id].id; }
enum pk_severity pk_lint_id_severity(enum pk_lint_id id) { return pk_lint_table[id].sev; }
const char *pk_lint_id_short(enum pk_lint_id id) { return pk_lint_table[id].shortd; }
const char *pk_lint_id_help(enum pk_lint_id id) { return pk_lint_table[id].help; }

void pk_lint_report_init(struct pk_lint_report *rep)
{
	memset(rep, 0, sizeof(*rep));
	rep->arena = pk_arena_new();
}

void pk_lint_report_free(struct pk_lint_report *rep)
{
	pk_arena_free(rep->arena);
	free(rep->v);
	memset(rep, 0, sizeof(*rep));
}

static char *vfmt(struct pk_arena *a, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	return pk_arena_strdup(a, buf);
}

struct pk_lint_finding *pk_lint_add(struct pk_lint_report *rep, enum pk_lint_id id, const struct pk_ir_rule *r,
				    const struct pk_loc *loc, const char *fmt, ...)
{
	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 32;
		rep->v = pk_xrealloc(rep->v, rep->cap * sizeof(*rep->v));
	}
	struct pk_lint_finding *f = &rep->v[rep->n++];
	memset(f, 0, sizeof(*f));
	f->id = id;
	f->sev = pk_lint_table[id].sev;
	f->rule = r ? r->nr : PK_LINT_NO_RULE;
	f->loc = r ? r->loc : *loc;
	va_list ap;
	va_start(ap, fmt);
	f->msg = vfmt(rep->arena, fmt, ap);
	va_end(ap);
	return f;
}

void pk_lint_relate(struct pk_lint_report *rep, struct pk_lint_finding *f, const struct pk_ir_rule *r,
		    const struct pk_loc *loc, const char *fmt, ...)
{
	struct pk_lint_related *v = pk_arena_array(rep->arena, f->nrelated + 1, sizeof(*v));
	if (f->nrelated)
		memcpy(v, f->related, f->nrelated * sizeof(*v));
	struct pk_lint_related *x = &v[f->nrelated];
	x->rule = r ? r->nr : PK_LINT_NO_RULE;
	x->loc = r ? r->loc : *loc;
	va_list ap;
	va_start(ap, fmt);
	x->msg = vfmt(rep->arena, fmt, ap);
	va_end(ap);
	f->related = v;
	f->nrelated++;
}

void pk_lint_witness(struct pk_lint_finding *f, const struct pk_vpkt *p, const char *note)
{
	f->has_witness = true;
	f->witness = *p;
	f->witness_note = note;
}

const char *pk_lint_rule_name(struct pk_lint_report *rep, const struct pk_ir_rule *r)
{
	if (r->loc.origin)
		return pk_arena_printf(rep->arena, "%s (rule %u, line %u)", r->loc.origin, r->nr, r->loc.line);
	return pk_arena_printf(rep->arena, "rule %u at line %u", r->nr, r->loc.line);
}

Z3_ast pk_lint_M(struct pk_lint_ctx *x, uint32_t i)
{
	if (!x->M[i])
		x->M[i] = pk_z3_match(&x->z, x->rs, &x->rs->rules[i]);
	return x->M[i];
}

void pk_lint_progress(const struct pk_lint_ctx *x, uint32_t done)
{
	if (x->o->progress && (done % 256 == 0 || done == x->rs->nrules))
		x->o->progress(x->o->progress_arg, done, x->rs->nrules);
}

bool pk_lint_on(const struct pk_lint_ctx *x, enum pk_lint_id id)
{
	return x->o->enabled[id];
}

bool pk_lint_takes_first(const struct pk_lint_ctx *x, uint32_t j, uint32_t i)
{
	return j < i && (x->role[j] & PK_ROLE_TAKER);
}

void pk_lint_roles(struct pk_lint_ctx *x)
{
	for (uint32_t j = 0; j < x->rs->nrules; j++) {
		const struct pk_ir_rule *r = &x->rs->rules[j];
		const bool usable = pk_z3_decides(r) && !x->unsure[j] && !x->dead[j] && !x->assumed[j];
		const bool taker = r->quick && !x->dead[j] && !x->assumed[j] && !r->unsupported &&
				   (pk_z3_decides(r) || !x->unsure[j]);
		x->role[j] = (uint8_t)((usable ? PK_ROLE_USABLE : 0) | (taker ? PK_ROLE_TAKER : 0) |
				       (r->quick ? PK_ROLE_QUICK : 0) | (!x->unsure[j] && !x->assumed[j] ? PK_ROLE_SURE : 0));
	}
}

const char *pk_lint_source_line(const struct pk_ir_ruleset *rs, const char *file, uint32_t line, size_t *len)
{
	for (uint32_t s = 0; file && s < rs->nsources; s++) {
		if (strcmp(rs->sources[s].path, file))
			continue;
		struct pk_lines ix;
		if (!pk_lines_index(&ix, rs->sources[s].text, rs->sources[s].len))
			return NULL;
		const char *p = pk_lines_get(&ix, line, len); /* points into the source, which stays */
		pk_lines_free(&ix);
		return p;
	}
	return NULL;
}

const char *pk_lint_rule_source(const struct pk_ir_ruleset *rs, uint32_t i, size_t *len)
{
	const struct pk_ir_rule *r = &rs->rules[i];
	const char *text = pk_lint_source_line(rs, r->loc.file, r->loc.line, len);
	while (text && *len && (*text == ' ' || *text == '\t')) {
		text++;
		--*len;
	}
	return text;
}

void pk_lint_rule_line(const struct pk_ir_ruleset *rs, uint32_t i, char *buf, size_t size)
{
	const struct pk_ir_rule *r = &rs->rules[i];
	size_t len = 0;
	const char *text = pk_lint_rule_source(rs, i, &len);
	/* a rule written from config.xml: the GUI's name says more than the XML line */
	if (r->loc.origin) {
		text = r->loc.origin;
		len = strlen(text);
	}
	snprintf(buf, size, "rule %u at %s:%u: %.*s", i, r->loc.file ? r->loc.file : "?", r->loc.line,
		 text ? (int)len : 0, text ? text : "");
}

/* `# picket: ignore ID[, ID...]` in this line's comment names id. */
static bool line_ignores(const char *s, size_t len, const char *id, bool whole_line_comment)
{
	const char *hash = memchr(s, '#', len);
	if (!hash)
		return false;
	if (whole_line_comment)
		for (const char *p = s; p < hash; p++)
			if (!isspace((unsigned char)*p))
				return false;
	static const char key[] = "picket: ignore";
	const char *p = hash + 1;
	const char *end = s + len;
	while (p < end && isspace((unsigned char)*p))
		p++;
	if ((size_t)(end - p) < sizeof(key) - 1 || strncmp(p, key, sizeof(key) - 1))
		return false;
	p += sizeof(key) - 1;
	const size_t idlen = strlen(id);
	while (p < end) {
		while (p < end && (isspace((unsigned char)*p) || *p == ','))
			p++;
		const char *w = p;
		while (p < end && !isspace((unsigned char)*p) && *p != ',')
			p++;
		if ((size_t)(p - w) == idlen && !strncmp(w, id, idlen))
			return true;
	}
	return false;
}

static bool comment_line(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	return len && *s == '#';
}

const char *pk_lint_line(const struct pk_lint_ctx *x, const char *file, uint32_t line, size_t *len)
{
	for (uint32_t s = 0; file && s < x->rs->nsources; s++)
		if (!strcmp(x->rs->sources[s].path, file))
			return pk_lines_get(&x->lines[s], line, len);
	return NULL;
}

/* On the rule's line, or in the comment lines right above it. */
static bool suppressed(const struct pk_lint_ctx *x, const struct pk_lint_finding *f)
{
	const char *id = pk_lint_table[f->id].id;
	size_t len;
	const char *s = pk_lint_line(x, f->loc.file, f->loc.line, &len);
	if (s && line_ignores(s, len, id, false))
		return true;
	for (uint32_t l = f->loc.line; l-- > 1;) {
		s = pk_lint_line(x, f->loc.file, l, &len);
		if (!s || !comment_line(s, len))
			return false;
		if (line_ignores(s, len, id, true))
			return true;
	}
	return false;
}

static int cmp_loc(const void *a, const void *b)
{
	const struct pk_lint_finding *x = a, *y = b;
	const int f = strcmp(x->loc.file ? x->loc.file : "", y->loc.file ? y->loc.file : "");
	if (f)
		return f;
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

static void finish(const struct pk_lint_ctx *x, struct pk_lint_report *rep)
{
	unsigned k = 0;
	for (unsigned i = 0; i < rep->n; i++) {
		/* a rule config.xml's product writes itself is not the admin's to fix */
		if (suppressed(x, &rep->v[i]) || pk_loc_generated(&rep->v[i].loc))
			rep->suppressed++;
		else
			rep->v[k++] = rep->v[i];
	}
	rep->n = k;
	if (rep->n)
		qsort(rep->v, rep->n, sizeof(*rep->v), cmp_loc);
	pk_lint_group(x->rs, rep);
}

/* The overlap index over the filter rules, and the figures of --stats. */
static void build_overlaps(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	uint32_t *ids = pk_xcalloc(rs->nrules + 1, sizeof(*ids));
	uint32_t n = 0;
	for (uint32_t i = 0; i < rs->nrules; i++)
		if (pk_z3_in_filter(&rs->rules[i]))
			ids[n++] = i;
	x->rep->stats.rules = n;
	x->rep->stats.pairs = (unsigned long)n * (n ? n - 1 : 0) / 2;
	x->ov = pk_lint_ov_new(x->box, ids, n, rs->nrules);
	free(ids);
}

/* x->guarded: a quick match rule after the rule overlaps it. */
static void mark_guarded(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	bool *qm = pk_xcalloc(rs->nrules + 1, sizeof(*qm));
	for (uint32_t i = 0; i < rs->nrules; i++)
		qm[i] = rs->rules[i].action == PK_ACT_MATCH && rs->rules[i].quick;
	pk_lint_ov_before(x->ov, qm, x->guarded);
	free(qm);
}

/* A table whose content is only known at run time: an empty one that is
 * not const (filled by pfctl -t or an overload rule), or the addresses of
 * an interface the topology gives none ((IF) follows them as they change). */
static bool dynamic_table(const struct pk_ir_ruleset *rs, const struct pk_ir_addr *a)
{
	if (a->kind != PK_ADDR_TABLE || a->table >= rs->ntables)
		return false;
	const struct pk_ir_table *t = &rs->tables[a->table];
	return t->nentries == 0 && (t->implicit || !t->is_const);
}

static bool translating(const struct pk_ir_rule *r)
{
	return r->action == PK_ACT_MATCH && r->nat.kind != PK_NAT_NONE;
}

/* A rule that tests addresses or ports, after a match rule with nat-to,
 * rdr-to or binat-to that can meet the same packets (direction and family
 * allow it), may see them translated; boxes and samples are drawn over the
 * packet as it arrives and cannot speak for it, so the linter says nothing
 * about it. xl lists the translating match rules before this one. */
static bool after_translation(const struct pk_ir_rule *r, const struct pk_ir_rule *const *xl, uint32_t nxl)
{
	if (r->src.kind == PK_ADDR_ANY && r->dst.kind == PK_ADDR_ANY && r->sport.op == PK_PORT_ANY &&
	    r->dport.op == PK_PORT_ANY)
		return false;
	for (uint32_t t = 0; t < nxl; t++)
		if ((!xl[t]->dir || !r->dir || xl[t]->dir == r->dir) && (!xl[t]->af || !r->af || xl[t]->af == r->af))
			return true;
	return false;
}

static void build_index(struct pk_lint_ctx *x)
{
	const struct pk_ir_ruleset *rs = x->rs;
	const struct pk_ir_rule **xl = pk_xcalloc(rs->nrules + 1, sizeof(*xl));
	uint32_t nxl = 0;
	bool tags_set = false;
	for (uint32_t i = 0; i < rs->nrules; i++)
		tags_set |= rs->rules[i].tag != NULL;
	for (uint32_t i = 0; i < rs->nrules; i++) {
		const struct pk_ir_rule *r = &rs->rules[i];
		pk_box_of_rule(rs, r, &x->box[i]);
		/* a rule with an unsupported feature may match anything: no
		 * finding is about it or rests on it */
		x->unsure[i] = r->probability || (r->tagged && tags_set) || dynamic_table(rs, &r->src) ||
			       dynamic_table(rs, &r->dst) || after_translation(r, xl, nxl) || r->unsupported ||
			       r->rcv.name;
		x->assumed[i] = r->user || r->group;
		if (translating(r))
			xl[nxl++] = r;
	}
	free(xl);
	build_overlaps(x);
	mark_guarded(x);
}

static void ctx_free(struct pk_lint_ctx *x)
{
	pk_lint_ov_free(x->ov);
	free(x->box);
	free(x->M);
	free(x->unsure);
	free(x->dead);
	free(x->guarded);
	free(x->covered);
	free(x->assumed);
	free(x->role);
	for (uint32_t s = 0; s < x->rs->nsources; s++)
		pk_lines_free(&x->lines[s]);
	free(x->lines);
	pk_z3_fini(&x->z);
}

int pk_lint_run(const struct pk_ir_ruleset *rs, const struct pk_lint_opts *o, struct pk_lint_report *rep)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pk_lint_ctx x = {.rs = rs, .o = o, .rep = rep};
	if (pk_z3_init(&x.z, rs, NULL) < 0)
		return -1;
	const size_t n = rs->nrules + 1;
	x.box = pk_xcalloc(n, sizeof(*x.box));
	x.M = pk_xcalloc(n, sizeof(*x.M));
	x.unsure = pk_xcalloc(n, sizeof(*x.unsure));
	x.dead = pk_xcalloc(n, sizeof(*x.dead));
	x.guarded = pk_xcalloc(n, sizeof(*x.guarded));
	x.covered = pk_xcalloc(n, sizeof(*x.covered));
	x.assumed = pk_xcalloc(n, sizeof(*x.assumed));
	x.role = pk_xcalloc(n, sizeof(*x.role));
	x.lines = pk_xcalloc(rs->nsources + 1, sizeof(*x.lines));
	for (uint32_t s = 0; s < rs->nsources; s++)
		if (!pk_lines_index(&x.lines[s], rs->sources[s].text, rs->sources[s].len))
			pk_oom((rs->sources[s].len + 2) * sizeof(size_t)); /* at most what the index asked for */
	const Z3_ast dv[2] = {pk_z3_domain(&x.z), Z3_mk_not(x.z.c, pk_z3_skipped(&x.z, rs))};
	x.dom = Z3_mk_and(x.z.c, 2, dv);
	build_index(&x);
	pk_lint_rules(&x);
	pk_lint_relations(&x);
	pk_lint_reach(&x);
	pk_lint_readable(&x);
	pk_lint_replay_check(rs, rep, o->debug);
	rep->stats.solver_calls = x.z.checks;
	unsigned long overlapping;
	rep->stats.pairs_visited += pk_lint_ov_count(x.ov, &overlapping);
	rep->stats.pairs_pruned = rep->stats.pairs - (x.overlapping + overlapping) / 2;
	finish(&x, rep);
	ctx_free(&x);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rep->stats.seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}
