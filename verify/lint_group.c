/*
 * verify/lint_group.c: one finding per written rule and kind.
 *
 * A rule written once with lists ({ 53 123 }, { tcp udp }, antispoof's two
 * rules) becomes several IR rules, and a check speaks of each. Findings of
 * one kind at one source location are merged into the most severe of them,
 * which then says which parts of the written rule it is about ("for
 * destination ports 53 and 123") when not all of them, and relates the
 * rules its parts relate.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler/print.h"
#include "runtime/xalloc.h"
#include "verify/lint_priv.h"

static bool same_loc(const struct pk_loc *a, const struct pk_loc *b)
{
	return a->line == b->line && a->col == b->col &&
	       (a->file == b->file || (a->file && b->file && !strcmp(a->file, b->file)));
}

/* The parts a rule can differ in from the other rules of its line. */
enum part { P_AF, P_PROTO, P_IF, P_SRC, P_SPORT, P_DST, P_DPORT, P_COUNT };

static const char *const part_name[P_COUNT] = {
	"family", "protocol", "interface", "source", "source port", "destination", "destination port",
};

static void part_str(const struct pk_ir_ruleset *rs, const struct pk_ir_rule *r, enum part p, char *buf,
		     size_t size)
{
	const char *proto;
	switch (p) {
	case P_AF:
		snprintf(buf, size, "%s", r->af == PK_AF_INET ? "inet" : r->af == PK_AF_INET6 ? "inet6" : "any");
		break;
	case P_PROTO:
		proto = pk_vpkt_proto_name(r->proto);
		if (!r->proto)
			snprintf(buf, size, "any");
		else if (proto)
			snprintf(buf, size, "%s", proto);
		else
			snprintf(buf, size, "%u", r->proto);
		break;
	case P_IF:
		snprintf(buf, size, "%s%s", r->ifc.neg ? "! " : "", r->ifc.name ? r->ifc.name : "any");
		break;
	case P_SRC:
	case P_DST:
		pk_print_addr_str(rs, p == P_SRC ? &r->src : &r->dst, buf, size);
		break;
	case P_SPORT:
	case P_DPORT:
		pk_lint_port_str(p == P_SPORT ? &r->sport : &r->dport, buf, size);
		break;
	case P_COUNT:
		buf[0] = 0;
		break;
	}
}

void pk_lint_port_str(const struct pk_port_match *m, char *buf, size_t size)
{
	if (m->op == PK_PORT_RANGE) /* pk_print_port_str leaves it out, as pfctl's labels do */
		snprintf(buf, size, "%u:%u", m->lo, m->hi);
	else
		pk_print_port_str(m, buf, size);
}

/* The part differs among the rules at loc. */
static bool part_varies(const struct pk_ir_ruleset *rs, const struct pk_loc *loc, enum part p)
{
	char first[128] = "", s[128];
	bool seen = false;
	for (uint32_t i = 0; i < rs->nrules; i++) {
		if (!same_loc(&rs->rules[i].loc, loc))
			continue;
		part_str(rs, &rs->rules[i], p, s, sizeof(s));
		if (seen && strcmp(first, s))
			return true;
		memcpy(first, s, sizeof(first));
		seen = true;
	}
	return false;
}

static int loc_cmp(const struct pk_loc *x, const struct pk_loc *y)
{
	if (x->file != y->file) {
		if (!x->file || !y->file)
			return x->file ? 1 : -1;
		const int f = strcmp(x->file, y->file);
		if (f)
			return f;
	}
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static const struct pk_ir_ruleset *sort_rs; /* qsort's comparator has no argument */

/* By location; equal exactly when same_loc(). */
static int cmp_rule_loc(const void *a, const void *b)
{
	return loc_cmp(&sort_rs->rules[*(const uint32_t *)a].loc, &sort_rs->rules[*(const uint32_t *)b].loc);
}

/* The rules' numbers sorted by location, so that counting the rules at
 * one is a search, not a scan of the rules for each finding (20,000
 * findings of 100,000 rules). */
static uint32_t *by_loc(const struct pk_ir_ruleset *rs)
{
	uint32_t *ix = pk_xcalloc(rs->nrules + 1, sizeof(*ix));
	for (uint32_t i = 0; i < rs->nrules; i++)
		ix[i] = i;
	sort_rs = rs;
	qsort(ix, rs->nrules, sizeof(*ix), cmp_rule_loc);
	return ix;
}

/* The first of the sorted rules at loc, or with after the first past it. */
static uint32_t loc_bound(const struct pk_ir_ruleset *rs, const uint32_t *ix, const struct pk_loc *loc, bool after)
{
	uint32_t l = 0, h = rs->nrules;
	while (l < h) {
		const uint32_t m = l + (h - l) / 2;
		const int c = loc_cmp(&rs->rules[ix[m]].loc, loc);
		if (c < 0 || (after && c == 0))
			l = m + 1;
		else
			h = m;
	}
	return l;
}

static unsigned rules_at(const struct pk_ir_ruleset *rs, const uint32_t *ix, const struct pk_loc *loc)
{
	return loc_bound(rs, ix, loc, true) - loc_bound(rs, ix, loc, false);
}

/* Appends to buf the distinct values of part p among the findings g[0..n). */
static size_t part_values(const struct pk_ir_ruleset *rs, const struct pk_lint_finding *g, unsigned n, enum part p,
			  char *buf, size_t off, size_t size)
{
	char vals[16][128];
	unsigned nv = 0;
	for (unsigned k = 0; k < n && nv < 16; k++) {
		if (g[k].rule == PK_LINT_NO_RULE)
			continue;
		char s[128];
		part_str(rs, &rs->rules[g[k].rule], p, s, sizeof(s));
		bool dup = false;
		for (unsigned v = 0; v < nv && !dup; v++)
			dup = !strcmp(vals[v], s);
		if (!dup)
			memcpy(vals[nv++], s, sizeof(s));
	}
	off += (size_t)snprintf(buf + off, off < size ? size - off : 0, "%s%s%s", off ? "; " : "", part_name[p],
				nv > 1 ? "s " : " ");
	for (unsigned v = 0; v < nv && off < size; v++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s", v ? (v + 1 == nv ? " and " : ", ") : "",
					vals[v]);
	return off;
}

/* " (for destination ports 53 and 123)" when the findings g[0..n) are
 * about some of the rules their line expands to; "" otherwise. */
static const char *parts_note(struct pk_lint_report *rep, const struct pk_ir_ruleset *rs, const uint32_t *ix,
			      const struct pk_lint_finding *g, unsigned n)
{
	if (g->rule == PK_LINT_NO_RULE || rules_at(rs, ix, &g->loc) <= n)
		return "";
	char buf[512];
	size_t off = 0;
	for (enum part p = 0; p < P_COUNT; p++)
		if (part_varies(rs, &g->loc, p))
			off = part_values(rs, g, n, p, buf, off, sizeof(buf));
	if (!off)
		return "";
	return pk_arena_printf(rep->arena, " (for %s)", buf);
}

static bool related_has(const struct pk_lint_finding *f, const struct pk_lint_related *r)
{
	for (unsigned k = 0; k < f->nrelated; k++)
		if (same_loc(&f->related[k].loc, &r->loc)) /* one note per written rule */
			return true;
	return false;
}

/* Merges g[0..n) (one kind, one location) into *out. */
static void merge(struct pk_lint_report *rep, const struct pk_ir_ruleset *rs, const uint32_t *ix,
		  struct pk_lint_finding *g, unsigned n, struct pk_lint_finding *out)
{
	unsigned best = 0;
	for (unsigned k = 1; k < n; k++)
		if (g[k].sev > g[best].sev)
			best = k;
	struct pk_lint_finding f = g[best];
	/* an exposure speaks for the whole written rule already */
	const char *note = f.id == PK_LINT_EXPOSURE ? "" : parts_note(rep, rs, ix, g, n);
	if (*note)
		f.msg = pk_arena_printf(rep->arena, "%s%s", f.msg, note);
	for (unsigned k = 0; k < n; k++)
		for (unsigned r = 0; k != best && r < g[k].nrelated; r++)
			if (!related_has(&f, &g[k].related[r])) {
				pk_lint_relate(rep, &f, NULL, &g[k].related[r].loc, "%s", g[k].related[r].msg);
				f.related[f.nrelated - 1].rule = g[k].related[r].rule;
			}
	*out = f;
}

void pk_lint_group(const struct pk_ir_ruleset *rs, struct pk_lint_report *rep)
{
	unsigned k = 0;
	uint32_t *ix = by_loc(rs);
	for (unsigned i = 0; i < rep->n;) {
		unsigned j = i + 1;
		/* ruleset-wide findings at one place (an option) say different things */
		while (j < rep->n && rep->v[i].rule != PK_LINT_NO_RULE && rep->v[j].rule != PK_LINT_NO_RULE &&
		       rep->v[j].id == rep->v[i].id && same_loc(&rep->v[j].loc, &rep->v[i].loc))
			j++;
		struct pk_lint_finding f;
		merge(rep, rs, ix, &rep->v[i], j - i, &f);
		rep->v[k++] = f;
		i = j;
	}
	rep->n = k;
	free(ix);
}
