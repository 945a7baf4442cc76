/* cli/lint_html.c: `picket lint --format html`, the findings as a page. */
#include "cli/lint_html.h"

#include <stdlib.h>
#include <string.h>

#include "cli/html.h"
#include "compiler/lines.h"
#include "runtime/xalloc.h"

#define EXCERPT_AROUND 1 /* lines shown before and after a finding's line */

/* The rule files as the IR holds them, indexed by line. */
struct sources {
	const struct pk_ir_ruleset *rs;
	struct pk_lines *lines;
};

static const struct pk_lines *lines_of(const struct sources *s, const char *path)
{
	for (uint32_t i = 0; path && i < s->rs->nsources; i++)
		if (s->rs->sources[i].path && !strcmp(s->rs->sources[i].path, path))
			return &s->lines[i];
	return NULL;
}

static void where(FILE *out, const struct pk_loc *l)
{
	if (!l->file)
		return;
	fputs("<code>", out);
	pk_html_text(out, l->file);
	fprintf(out, ":%u:%u</code>", l->line, l->col);
}

/* The finding's line with one line either side, its own line marked. */
static void excerpt(FILE *out, const struct sources *s, const struct pk_loc *l)
{
	const struct pk_lines *ix = lines_of(s, l->file);
	if (!ix || !l->line)
		return;
	fputs("<pre>", out);
	uint32_t from = l->line > EXCERPT_AROUND ? l->line - EXCERPT_AROUND : 1;
	for (uint32_t n = from; n <= l->line + EXCERPT_AROUND; n++) {
		size_t len;
		const char *text = pk_lines_get(ix, n, &len);
		if (!text)
			break;
		char *line = pk_xmalloc(len + 1);
		memcpy(line, text, len);
		line[len] = '\0';
		fprintf(out, n == l->line ? "<b>%5u | " : "%5u | ", n);
		pk_html_text(out, line);
		fputs(n == l->line ? "</b>\n" : "\n", out);
		free(line);
	}
	fputs("</pre>", out);
}

static void finding(FILE *out, const struct sources *s, const struct pk_lint_finding *f, unsigned n)
{
	const char *sev = pk_severity_name(f->sev);
	fprintf(out, "<section id=\"f%u\"><h2><span class=\"%s\">%s</span> ", n, sev, sev);
	pk_html_text(out, pk_lint_id_name(f->id));
	fputs("</h2><p>", out);
	where(out, &f->loc);
	fputs(" ", out);
	pk_html_text(out, f->msg);
	fputs("</p>", out);
	excerpt(out, s, &f->loc);
	for (unsigned k = 0; k < f->nrelated; k++) {
		fputs("<p class=\"note\">", out);
		where(out, &f->related[k].loc);
		fputs(" ", out);
		pk_html_text(out, f->related[k].msg);
		fputs("</p>", out);
		excerpt(out, s, &f->related[k].loc);
	}
	if (f->has_witness) {
		char buf[512];
		pk_vpkt_format(&f->witness, buf, sizeof buf);
		fputs("<p>witness: <code>", out);
		pk_html_text(out, buf);
		fputs("</code>", out);
		if (f->witness_note) {
			fputs(" (", out);
			pk_html_text(out, f->witness_note);
			fputs(")", out);
		}
		fputs("</p>", out);
	}
	fputs("</section>\n", out);
}

/* One row a finding, linking to its section; sortable by any column. */
static void index_table(FILE *out, const struct pk_lint_report *rep)
{
	fputs("<section><h2>Findings</h2><table class=\"sortable\" id=\"findings\"><thead><tr><th>severity</th>"
	      "<th>check</th><th class=\"n\">line</th><th>message</th></tr></thead><tbody>\n",
	      out);
	for (unsigned i = 0; i < rep->n; i++) {
		const struct pk_lint_finding *f = &rep->v[i];
		const char *sev = pk_severity_name(f->sev);
		fprintf(out, "<tr><td class=\"%s\" data-v=\"%d\">%s</td><td>", sev, -(int)f->sev, sev);
		pk_html_text(out, pk_lint_id_name(f->id));
		fprintf(out, "</td><td class=\"n\" data-v=\"%u\">%u</td><td><a href=\"#f%u\">", f->loc.line, f->loc.line,
			i + 1);
		pk_html_text(out, f->msg);
		fputs("</a></td></tr>\n", out);
	}
	fputs("</tbody></table></section>\n", out);
}

int pk_lint_print_html(const struct pk_ir_ruleset *rs, const struct pk_lint_report *rep, FILE *out, const char *path,
		       const char *version)
{
	struct sources s = {rs, pk_xcalloc(rs->nsources + 1u, sizeof *s.lines)};
	for (uint32_t i = 0; i < rs->nsources; i++)
		pk_lines_index(&s.lines[i], rs->sources[i].text, rs->sources[i].len); /* unindexed: not quoted */
	unsigned count[PK_SEV_ERROR + 1] = {0};
	for (unsigned i = 0; i < rep->n; i++)
		count[rep->v[i].sev]++;
	char sub[512];
	snprintf(sub, sizeof sub, "%s: %u errors, %u warnings, %u info (picket %s)", path, count[PK_SEV_ERROR],
		 count[PK_SEV_WARNING], count[PK_SEV_INFO] + count[PK_SEV_NOTE], version);
	pk_html_begin(out, "picket lint", sub);
	if (rep->n)
		index_table(out, rep);
	else
		fputs("<section><h2>No findings</h2><p>Every check that is on found nothing to report.</p></section>\n",
		      out);
	for (unsigned i = 0; i < rep->n; i++)
		finding(out, &s, &rep->v[i], i + 1);
	if (rep->suppressed)
		fprintf(out, "<section><p>%u findings suppressed by <code># picket: ignore</code> comments.</p></section>\n",
			rep->suppressed);
	pk_html_end(out);
	for (uint32_t i = 0; i < rs->nsources; i++)
		pk_lines_free(&s.lines[i]);
	free(s.lines);
	return ferror(out) ? -1 : 0;
}
