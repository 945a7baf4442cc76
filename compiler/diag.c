/*
 * compiler/diag.c: the diagnostic sink: collect located messages, quote the
 * source line under each with a caret and tildes, colour on a terminal.
 *
 * Every diagnostic owns a copy of its file name, so a message outlives the
 * arena of the parse that produced it.
 */
#include "compiler/diag.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/lines.h"
#include "runtime/xalloc.h"

struct pk_diag_source {
	char *file;
	char *text;
	struct pk_lines lines;
};

static char *xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *s = pk_xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void pk_diags_init(struct pk_diags *d)
{
	memset(d, 0, sizeof(*d));
}

static void diag_release(struct pk_diag *g)
{
	free(g->msg);
	free(g->code);
	free((char *)g->loc.file);
	free((char *)g->loc.origin);
	for (unsigned i = 0; i < g->nnotes; i++)
		diag_release(&g->notes[i]);
	free(g->notes);
}

void pk_diags_free(struct pk_diags *d)
{
	for (unsigned i = 0; i < d->n; i++)
		diag_release(&d->v[i]);
	free(d->v);
	for (unsigned i = 0; i < d->nsources; i++) {
		free(d->sources[i].file);
		free(d->sources[i].text);
		pk_lines_free(&d->sources[i].lines);
	}
	free(d->sources);
	pk_diags_init(d);
}

void pk_diags_add_source(struct pk_diags *d, const char *file, const char *text, size_t len)
{
	for (unsigned i = 0; i < d->nsources; i++)
		if (!strcmp(d->sources[i].file, file))
			return;
	d->sources = pk_xrealloc(d->sources, (d->nsources + 1) * sizeof(*d->sources));
	struct pk_diag_source *s = &d->sources[d->nsources++];
	s->file = pk_xstrdup(file);
	s->text = pk_xmalloc(len + 1);
	memcpy(s->text, text, len);
	s->text[len] = '\0';
	pk_lines_index(&s->lines, s->text, len); /* without memory, lines are not quoted */
}

const char *pk_diags_line(const struct pk_diags *d, const char *file, unsigned line, size_t *len)
{
	if (!file || line == 0)
		return NULL;
	for (unsigned i = 0; i < d->nsources; i++)
		if (!strcmp(d->sources[i].file, file))
			return pk_lines_get(&d->sources[i].lines, line, len);
	return NULL;
}

static void diag_fill(struct pk_diag *g, enum pk_severity sev, const struct pk_loc *loc,
		      const char *code, const char *fmt, va_list ap)
{
	memset(g, 0, sizeof(*g));
	g->sev = sev;
	if (loc) {
		g->loc = *loc;
		g->loc.file = pk_xstrdup(loc->file);
		g->loc.origin = pk_xstrdup(loc->origin);
	}
	g->msg = xvasprintf(fmt, ap);
	g->code = pk_xstrdup(code);
}

struct pk_diag *pk_diag_vadd(struct pk_diags *d, enum pk_severity sev, const struct pk_loc *loc,
			     const char *code, const char *fmt, va_list ap)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = pk_xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	struct pk_diag *g = &d->v[d->n++];
	diag_fill(g, sev, loc, code, fmt, ap);
	if (sev == PK_SEV_ERROR)
		d->nerrors++;
	else if (sev == PK_SEV_WARNING)
		d->nwarnings++;
	if (code && !strcmp(code, PK_DIAG_UNSUPPORTED))
		d->nunsupported++;
	return g;
}

unsigned pk_diags_refuse_unsupported(struct pk_diags *d)
{
	unsigned n = 0;
	for (unsigned i = 0; i < d->n; i++) {
		struct pk_diag *g = &d->v[i];
		if (g->sev != PK_SEV_WARNING || !g->code || strcmp(g->code, PK_DIAG_UNSUPPORTED))
			continue;
		g->sev = PK_SEV_ERROR;
		d->nwarnings--;
		d->nerrors++;
		n++;
	}
	return n;
}

struct pk_diag *pk_diag_add(struct pk_diags *d, enum pk_severity sev, const struct pk_loc *loc,
			    const char *code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct pk_diag *g = pk_diag_vadd(d, sev, loc, code, fmt, ap);
	va_end(ap);
	return g;
}

void pk_diag_note(struct pk_diag *parent, const struct pk_loc *loc, const char *fmt, ...)
{
	parent->notes = pk_xrealloc(parent->notes, (parent->nnotes + 1) * sizeof(*parent->notes));
	va_list ap;
	va_start(ap, fmt);
	diag_fill(&parent->notes[parent->nnotes++], PK_SEV_NOTE, loc, NULL, fmt, ap);
	va_end(ap);
}

const char *pk_severity_name(enum pk_severity sev)
{
	static const char *const names[] = {"note", "info", "warning", "error"};
	return (unsigned)sev < 4 ? names[sev] : "error";
}

/* ANSI colours per severity, as compilers use them. */
static const char *sev_color(enum pk_severity sev)
{
	static const char *const colors[] = {"\033[1;36m", "\033[1;34m", "\033[1;35m", "\033[1;31m"};
	return (unsigned)sev < 4 ? colors[sev] : colors[3];
}

#define PK_BOLD(c) ((c) ? "\033[1m" : "")
#define PK_RESET(c) ((c) ? "\033[0m" : "")

/* The quoted line and a marker line whose tabs mirror the source's. */
static void diag_quote(const struct pk_diags *d, const struct pk_loc *loc, FILE *out, bool color)
{
	size_t len;
	const char *line = pk_diags_line(d, loc->file, loc->line, &len);
	if (!line)
		return;
	fprintf(out, "%5u | %.*s\n      | ", loc->line, (int)len, line);
	size_t col = loc->col ? loc->col - 1 : 0;
	size_t end = (loc->end_line == loc->line && loc->end_col >= loc->col) ? loc->end_col : len;
	if (end <= col)
		end = col + 1;
	for (size_t i = 0; i < col && i < len; i++)
		fputc(line[i] == '\t' ? '\t' : ' ', out);
	fputs(color ? "\033[1;32m" : "", out);
	for (size_t i = col; i < end; i++)
		fputc(i == col ? '^' : '~', out);
	fprintf(out, "%s\n", PK_RESET(color));
}

static void diag_print_one(const struct pk_diags *d, const struct pk_diag *g, FILE *out, bool color)
{
	if (g->loc.file && g->loc.line)
		fprintf(out, "%s%s:%u:%u:%s ", PK_BOLD(color), g->loc.file, g->loc.line, g->loc.col,
			PK_RESET(color));
	else if (g->loc.file)
		fprintf(out, "%s%s:%s ", PK_BOLD(color), g->loc.file, PK_RESET(color));
	fprintf(out, "%s%s:%s %s", color ? sev_color(g->sev) : "", pk_severity_name(g->sev),
		PK_RESET(color), g->msg);
	if (g->code)
		fprintf(out, " [%s]", g->code);
	fputc('\n', out);
	if (g->loc.file && g->loc.line)
		diag_quote(d, &g->loc, out, color);
	/* a line written from a config.xml element: what the GUI calls it */
	if (g->loc.origin)
		fprintf(out, "      = %s\n", g->loc.origin);
}

void pk_diag_print(const struct pk_diags *d, const struct pk_diag *g, FILE *out, bool color)
{
	diag_print_one(d, g, out, color);
	for (unsigned i = 0; i < g->nnotes; i++)
		diag_print_one(d, &g->notes[i], out, color);
}

void pk_diags_print(const struct pk_diags *d, FILE *out, enum pk_diag_color color)
{
	bool c = color == PK_COLOR_ALWAYS || (color == PK_COLOR_AUTO && isatty(fileno(out)));
	for (unsigned i = 0; i < d->n; i++)
		pk_diag_print(d, &d->v[i], out, c);
}

/* Edit distance with adjacent transpositions counted as one edit
 * ("form" is one edit from "from"), over two rows of the usual table. */
static unsigned edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 1000;
	unsigned d[3][65];
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned *cur = d[i % 3], *up = d[(i - 1) % 3], *up2 = d[(i + 1) % 3];
		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned best = up[j - 1] + (a[i - 1] != b[j - 1]);
			if (up[j] + 1 < best)
				best = up[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && up2[j - 2] + 1 < best)
				best = up2[j - 2] + 1;
			cur[j] = best;
		}
	}
	return d[la % 3][lb];
}

const char *pk_did_you_mean(const char *name, const char *const *cands, unsigned n)
{
	size_t len = strlen(name);
	unsigned limit = len <= 3 ? 1 : len <= 8 ? 2 : 3;
	const char *best = NULL;
	unsigned bestscore = 2 * limit + 2;
	for (unsigned i = 0; i < n; i++) {
		unsigned dist = edit_distance(name, cands[i]);
		/* among equally close names, one of the same length reads likelier */
		unsigned score = 2 * dist + (strlen(cands[i]) != len);
		if (dist > 0 && dist <= limit && score < bestscore) {
			bestscore = score;
			best = cands[i];
		}
	}
	return best;
}
