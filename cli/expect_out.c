/* cli/expect_out.c: policy test results as text, JSON and SARIF 2.1.0. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/expect_out.h"

#include "cli/json_out.h"
#include "runtime/infile.h"
#include "verify/eval.h"
#include "verify/json_text.h"
#include "verify/lint.h"
#include "verify/lint_out.h"

static const char *status_of(const struct pk_expect_result *r)
{
	return r->holds ? "ok" : r->undecided ? "undecided" : r->empty ? "empty" : "FAIL";
}

static const char *why_of(const struct pk_expect *e, const struct pk_expect_result *r)
{
	if (r->undecided)
		return "the solver could not settle it in time";
	if (r->empty)
		return "no packet has this shape (its conditions contradict each other)";
	return e->kind == PK_EXPECT_PASS	? "a packet of the shape, or its connection, does not get through"
	       : e->kind == PK_EXPECT_BLOCK ? "a packet of the shape gets through"
					    : "no connection of the shape gets through";
}

/* "rule 4 at rules.conf:40: pass in on lan0 ..." or the default's words. */
static void rule_text(const struct pk_ir_ruleset *rs, uint32_t i, char *buf, size_t size)
{
	if (i == PK_EVAL_NONE) {
		snprintf(buf, size, "no rule: pf's default pass, or an interface under 'set skip'");
		return;
	}
	pk_lint_rule_line(rs, i, buf, size);
}

static void step_text(const struct pk_ir_ruleset *rs, const struct pk_expect_step *s, char *buf, size_t size)
{
	char p[512], rule[768];
	pk_vpkt_format(&s->p, p, sizeof(p));
	rule_text(rs, s->rule, rule, sizeof(rule));
	if (s->rule == PK_EVAL_NONE && !s->pass)
		snprintf(buf, size, "%s: %s: no route in the topology", s->what, p);
	else
		snprintf(buf, size, "%s: %s: %s by %s", s->what, p, s->pass ? "pass" : "block", rule);
}

static void print_text(const struct pk_ir_ruleset *rs, const struct pk_cli_expect_run *run, FILE *out)
{
	for (unsigned k = 0; k < run->n; k++) {
		const struct pk_expect *e = &run->v[k];
		const struct pk_expect_result *r = &run->res[k];
		fprintf(out, "%s:%u: %s: expect %s %s\n", pk_infile_name(e->loc.file), e->loc.line, status_of(r),
			pk_expect_kind_name(e->kind), e->text);
		if (r->holds)
			continue;
		fprintf(out, "  %s\n", why_of(e, r));
		char buf[1400];
		if (!r->empty && !r->undecided) {
			pk_vpkt_format(&r->w, buf, sizeof(buf));
			fprintf(out, "  witness: %s\n", buf);
		}
		for (unsigned s = 0; s < r->nsteps; s++) {
			step_text(rs, &r->steps[s], buf, sizeof(buf));
			fprintf(out, "    %s\n", buf);
		}
	}
	fprintf(out, "%u expectations: %u hold, %u fail\n", run->n, run->n - run->nfailed, run->nfailed);
}

static json_t *step_json(const struct pk_ir_ruleset *rs, const struct pk_expect_step *s)
{
	return json_pack("{s:s, s:o, s:s, s:o}", "step", s->what, "packet", pk_vpkt_json(&s->p, NULL), "verdict",
			 s->pass ? "pass" : "block", "rule", pk_cli_rule_json(rs, s->rule == PK_EVAL_NONE ? UINT32_MAX : s->rule));
}

static json_t *result_json(const struct pk_ir_ruleset *rs, const struct pk_cli_expect_run *run, unsigned k)
{
	const struct pk_expect *e = &run->v[k];
	const struct pk_expect_result *r = &run->res[k];
	json_t *o = json_pack("{s:o, s:i, s:s, s:o, s:s, s:b}", "file", pk_json_text(pk_infile_name(e->loc.file)),
			      "line", e->loc.line, "kind", pk_expect_kind_name(e->kind), "shape", pk_json_text(e->text),
			      "status", status_of(r), "holds", r->holds);
	if (r->holds)
		return o;
	json_object_set_new(o, "message", pk_json_text(why_of(e, r)));
	json_object_set_new(o, "witness", r->empty || r->undecided ? json_null() : pk_vpkt_json(&r->w, NULL));
	json_t *steps = json_array();
	for (unsigned s = 0; s < r->nsteps; s++)
		json_array_append_new(steps, step_json(rs, &r->steps[s]));
	json_object_set_new(o, "steps", steps);
	return o;
}

static json_t *sarif_loc(const char *file, unsigned line, const char *msg)
{
	json_t *l = json_pack("{s:{s:{s:s}, s:{s:i}}}", "physicalLocation", "artifactLocation", "uri", file, "region",
			      "startLine", line ? line : 1);
	if (msg)
		json_object_set_new(l, "message", json_pack("{s:s}", "text", msg));
	return l;
}

static json_t *sarif_result(const struct pk_ir_ruleset *rs, const struct pk_cli_expect_run *run, unsigned k)
{
	const struct pk_expect *e = &run->v[k];
	const struct pk_expect_result *r = &run->res[k];
	char msg[1200], w[512], step[1400];
	pk_vpkt_format(&r->w, w, sizeof(w));
	snprintf(msg, sizeof(msg), "expect %s %s: %s%s%s%s", pk_expect_kind_name(e->kind), e->text, why_of(e, r),
		 r->empty || r->undecided ? "" : " (witness: ", r->empty || r->undecided ? "" : w,
		 r->empty || r->undecided ? "" : ")");
	json_t *related = json_array();
	for (unsigned s = 0; s < r->nsteps; s++) {
		const struct pk_expect_step *st = &r->steps[s];
		step_text(rs, st, step, sizeof(step));
		const struct pk_ir_rule *rule = st->rule == PK_EVAL_NONE ? NULL : &rs->rules[st->rule];
		json_t *l = sarif_loc(rule && rule->loc.file ? rule->loc.file : pk_infile_name(e->loc.file),
				      rule ? rule->loc.line : e->loc.line, step);
		json_object_set_new(l, "id", json_integer(s));
		json_array_append_new(related, l);
	}
	char id[32];
	snprintf(id, sizeof(id), "expect-%s", pk_expect_kind_name(e->kind));
	return json_pack("{s:s, s:i, s:s, s:{s:o}, s:[o], s:o}", "ruleId", id, "ruleIndex", (int)e->kind, "level",
			 "error", "message", "text", pk_json_text(msg), "locations", sarif_loc(pk_infile_name(e->loc.file), e->loc.line,
											   NULL),
			 "relatedLocations", related);
}

static json_t *sarif_doc(const struct pk_ir_ruleset *rs, const struct pk_cli_expect_run *run, const char *version)
{
	static const char *const help[] = {
		"every packet of the shape passes, and its connection gets through both ways",
		"no packet of the shape gets through",
		"some connection of the shape gets through",
	};
	json_t *rules = json_array();
	for (int k = 0; k < 3; k++) {
		char id[32];
		snprintf(id, sizeof(id), "expect-%s", pk_expect_kind_name((enum pk_expect_kind)k));
		json_array_append_new(rules, json_pack("{s:s, s:s, s:{s:s}, s:{s:s}}", "id", id, "name", id,
						       "shortDescription", "text", help[k], "defaultConfiguration",
						       "level", "error"));
	}
	json_t *results = json_array();
	for (unsigned k = 0; k < run->n; k++)
		if (!run->res[k].holds)
			json_array_append_new(results, sarif_result(rs, run, k));
	return json_pack("{s:s, s:s, s:[{s:{s:{s:s, s:s, s:o}}, s:o}]}", "$schema",
			 "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool", "driver",
			 "name", "picket", "version", version, "rules", rules, "results", results);
}

int pk_cli_expect_print(const struct pk_ir_ruleset *rs, const struct pk_cli_expect_run *run,
			enum pk_expect_format fmt, FILE *out, const char *version)
{
	if (fmt == PK_EXPECT_TEXT) {
		print_text(rs, run, out);
		return ferror(out) ? -1 : 0;
	}
	json_t *doc;
	if (fmt == PK_EXPECT_JSON) {
		json_t *v = json_array();
		for (unsigned k = 0; k < run->n; k++)
			json_array_append_new(v, result_json(rs, run, k));
		doc = json_pack("{s:o, s:{s:i, s:i, s:i}}", "expectations", v, "summary", "total", run->n, "hold",
				run->n - run->nfailed, "fail", run->nfailed);
	} else {
		doc = sarif_doc(rs, run, version);
	}
	const int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(doc);
	return rc || ferror(out) ? -1 : 0;
}
