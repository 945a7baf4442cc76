/* verify/lint_out.c: text, JSON and SARIF output of lint reports. */
#include <jansson.h>
#include <string.h>
#include <unistd.h>

#include "verify/json_text.h"
#include "verify/lint_out.h"

static void print_text(const struct pk_ir_ruleset *rs, const struct pk_lint_report *rep, FILE *out, bool color)
{
	struct pk_diags d;
	pk_diags_init(&d);
	for (uint32_t s = 0; s < rs->nsources; s++)
		pk_diags_add_source(&d, rs->sources[s].path, rs->sources[s].text, rs->sources[s].len);
	static const struct pk_loc none = {0};
	for (unsigned i = 0; i < rep->n; i++) {
		const struct pk_lint_finding *f = &rep->v[i];
		struct pk_diag *g = pk_diag_add(&d, f->sev, &f->loc, pk_lint_id_name(f->id), "%s", f->msg);
		for (unsigned k = 0; k < f->nrelated; k++)
			pk_diag_note(g, &f->related[k].loc, "%s", f->related[k].msg);
		if (f->has_witness) {
			char buf[512];
			pk_vpkt_format(&f->witness, buf, sizeof(buf));
			pk_diag_note(g, &none, "witness: %s%s%s%s", buf, f->witness_note ? " (" : "",
				     f->witness_note ? f->witness_note : "", f->witness_note ? ")" : "");
		}
		pk_diag_print(&d, g, out, color);
	}
	pk_diags_free(&d);
}

json_t *pk_vpkt_json(const struct pk_vpkt *p, const char *outcome)
{
	char text[512], src[64], dst[64];
	pk_vpkt_format(p, text, sizeof(text));
	/* the addresses as the text form writes them */
	const char *from = strstr(text, " from ") + 6, *to = strstr(text, " to ") + 4;
	snprintf(src, sizeof(src), "%.*s", (int)strcspn(from, " "), from);
	snprintf(dst, sizeof(dst), "%.*s", (int)strcspn(to, " "), to);
	json_t *w = json_pack("{s:o, s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:o, s:i, s:o}", "packet", pk_json_text(text),
			      "af", p->af, "proto", p->proto, "src", src, "dst", dst, "dir",
			      p->dir == PK_DIR_OUT ? "out" : "in", "sport", p->sport, "dport", p->dport,
			      "interface", pk_json_text(p->ifname), "tcp_flags", p->flags, "outcome", pk_json_text(outcome));
	if (p->fragment)
		json_object_set_new(w, "fragment", json_true());
	return w;
}

static json_t *witness_json(const struct pk_lint_finding *f)
{
	return f->has_witness ? pk_vpkt_json(&f->witness, f->witness_note) : json_null();
}

static json_t *loc_json(const struct pk_loc *l)
{
	return json_pack("{s:o, s:i, s:i}", "file", pk_json_text(l->file), "line", l->line, "column", l->col);
}

static json_t *finding_json(const struct pk_lint_finding *f)
{
	json_t *rel = json_array();
	for (unsigned k = 0; k < f->nrelated; k++) {
		json_t *r = loc_json(&f->related[k].loc);
		json_object_set_new(r, "message", pk_json_text(f->related[k].msg));
		json_object_set_new(r, "rule", f->related[k].rule == PK_LINT_NO_RULE ? json_null()
										      : json_integer(f->related[k].rule));
		json_array_append_new(rel, r);
	}
	json_t *o = loc_json(&f->loc);
	json_object_set_new(o, "id", json_string(pk_lint_id_name(f->id)));
	json_object_set_new(o, "severity", json_string(pk_severity_name(f->sev)));
	json_object_set_new(o, "rule", f->rule == PK_LINT_NO_RULE ? json_null() : json_integer(f->rule));
	json_object_set_new(o, "message", pk_json_text(f->msg));
	json_object_set_new(o, "related", rel);
	json_object_set_new(o, "witness", witness_json(f));
	return o;
}

static const char *sarif_level(enum pk_severity s)
{
	return s == PK_SEV_ERROR ? "error" : s == PK_SEV_WARNING ? "warning" : "note";
}

static json_t *sarif_location(const struct pk_loc *l, const char *msg)
{
	json_t *region = json_pack("{s:i, s:i}", "startLine", l->line ? l->line : 1, "startColumn", l->col ? l->col : 1);
	if (l->end_line >= l->line && l->end_col >= l->col && l->end_col) {
		json_object_set_new(region, "endLine", json_integer(l->end_line));
		json_object_set_new(region, "endColumn", json_integer(l->end_col + 1));
	}
	json_t *loc = json_pack("{s:{s:{s:o}, s:o}}", "physicalLocation", "artifactLocation", "uri",
				pk_json_text(l->file ? l->file : "-"), "region", region);
	if (msg)
		json_object_set_new(loc, "message", json_pack("{s:o}", "text", pk_json_text(msg)));
	/* the GUI's name of the config.xml element, "WAN rule 3 'Allow web'" */
	if (l->origin)
		json_object_set_new(loc, "logicalLocations",
				    json_pack("[{s:o, s:s}]", "name", pk_json_text(l->origin), "kind", "member"));
	return loc;
}

static json_t *sarif_rules(void)
{
	json_t *rules = json_array();
	for (int i = 0; i < PK_LINT_COUNT; i++)
		json_array_append_new(
			rules, json_pack("{s:s, s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}", "id", pk_lint_id_name(i), "name",
					 pk_lint_id_name(i), "shortDescription", "text", pk_lint_id_short(i),
					 "fullDescription", "text", pk_lint_id_help(i), "help", "text",
					 pk_lint_id_help(i), "defaultConfiguration", "level",
					 sarif_level(pk_lint_id_severity(i))));
	return rules;
}

static json_t *sarif_result(const struct pk_lint_finding *f)
{
	char msg[1200];
	if (f->has_witness) {
		char w[512];
		pk_vpkt_format(&f->witness, w, sizeof(w));
		snprintf(msg, sizeof(msg), "%s (witness: %s)", f->msg, w);
	} else {
		snprintf(msg, sizeof(msg), "%s", f->msg);
	}
	json_t *res = json_pack("{s:s, s:i, s:s, s:{s:o}, s:[o]}", "ruleId", pk_lint_id_name(f->id), "ruleIndex",
				(int)f->id, "level", sarif_level(f->sev), "message", "text", pk_json_text(msg), "locations",
				sarif_location(&f->loc, NULL));
	if (f->nrelated) {
		json_t *rel = json_array();
		for (unsigned k = 0; k < f->nrelated; k++) {
			json_t *l = sarif_location(&f->related[k].loc, f->related[k].msg);
			json_object_set_new(l, "id", json_integer(k));
			json_array_append_new(rel, l);
		}
		json_object_set_new(res, "relatedLocations", rel);
	}
	if (f->has_witness)
		json_object_set_new(res, "properties", json_pack("{s:o}", "witness", witness_json(f)));
	return res;
}

static json_t *sarif_doc(const struct pk_lint_report *rep, const char *version)
{
	json_t *results = json_array();
	for (unsigned i = 0; i < rep->n; i++)
		json_array_append_new(results, sarif_result(&rep->v[i]));
	return json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
			 "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
			 "driver", "name", "picket", "version", version, "rules", sarif_rules(), "results", results);
}

static int dump(json_t *doc, FILE *out)
{
	const int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(doc);
	return rc || ferror(out) ? -1 : 0;
}

int pk_lint_print_failure(const struct pk_diags *d, FILE *out, const char *version)
{
	json_t *results = json_array(), *notes = json_array(), *rules = sarif_rules();
	json_array_append_new(rules, json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "id", "input-error", "name",
					       "input-error", "shortDescription", "text",
					       "The rules could not be read or analysed", "defaultConfiguration",
					       "level", "error"));
	for (unsigned i = 0; i < d->n; i++) {
		const struct pk_diag *g = &d->v[i];
		if (g->sev != PK_SEV_ERROR)
			continue;
		json_array_append_new(results, json_pack("{s:s, s:i, s:s, s:{s:o}, s:[o]}", "ruleId", "input-error",
							 "ruleIndex", PK_LINT_COUNT, "level", "error", "message",
							 "text", pk_json_text(g->msg), "locations",
							 sarif_location(&g->loc, NULL)));
		json_array_append_new(notes, json_pack("{s:s, s:{s:o}, s:[o]}", "level", "error", "message", "text",
						       pk_json_text(g->msg), "locations", sarif_location(&g->loc, NULL)));
	}
	return dump(json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:[{s:b, s:i, s:o}], s:o}]}", "$schema",
			      "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
			      "driver", "name", "picket", "version", version, "rules", rules, "invocations",
			      "executionSuccessful", 0, "exitCode", 2, "toolExecutionNotifications", notes,
			      "results", results),
		    out);
}

int pk_lint_print(const struct pk_ir_ruleset *rs, const struct pk_lint_report *rep, enum pk_lint_format fmt,
		  FILE *out, enum pk_diag_color color, const char *version)
{
	if (fmt == PK_LINT_TEXT) {
		print_text(rs, rep, out, color == PK_COLOR_ALWAYS || (color == PK_COLOR_AUTO && isatty(fileno(out))));
		return ferror(out) ? -1 : 0;
	}
	json_t *doc;
	if (fmt == PK_LINT_JSON) {
		doc = json_array();
		for (unsigned i = 0; i < rep->n; i++)
			json_array_append_new(doc, finding_json(&rep->v[i]));
	} else {
		doc = sarif_doc(rep, version);
	}
	return dump(doc, out);
}

void pk_lint_print_stats(const struct pk_lint_report *rep, FILE *out)
{
	const struct pk_lint_stats *s = &rep->stats;
	fprintf(out,
		"lint: %lu filter rules, %lu rule pairs, %lu pruned by disjoint boxes (%.1f%%), %lu checks settled "
		"by box containment, %lu by sample packets, %lu solver calls, %lu left undecided, %u findings suppressed, "
		"%lu pairs visited, %.3f s\n",
		s->rules, s->pairs, s->pairs_pruned, s->pairs ? 100.0 * (double)s->pairs_pruned / (double)s->pairs : 0.0,
		s->box_decided, s->sampled, s->solver_calls, s->given_up, rep->suppressed, s->pairs_visited, s->seconds);
	fprintf(out, "witnesses: %lu replayed in the engine, %lu findings withheld as inconsistent, %lu unchecked\n",
		s->replayed, s->inconsistent, s->unchecked);
}
