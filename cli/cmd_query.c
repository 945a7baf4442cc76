/*
 * cli/cmd_query.c: `picket query RULES 'SHAPE'`: can any packet of this
 * shape pass? The shape is written like the body of a rule (`proto tcp
 * from any to 10.0.0.5 port 22 in on wan0`); it is read by the front end
 * as a `match` rule appended to the rule file, so macros, tables, lists
 * and interface names of the file can be used in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/irload.h"
#include "cli/json_out.h"
#include "runtime/xalloc.h"
#include "verify/lint_out.h"
#include "verify/query.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: picket query [--format text|json] [--topology FILE] [--root DIR] [-D NAME=VALUE]\n"
		     "                    [--color WHEN] RULES 'SHAPE'\n"
		     "SHAPE is written like a rule body, e.g. 'in on wan0 proto tcp from any to 10.0.0.5 port 22'.\n"
		     "Answers yes with a witness packet, or no with the rules that stop the shape.\n"
		     "Exit status: 0 yes, 1 no, 2 usage or input error.\n");
}

static void show_rule(const struct pk_ir_ruleset *rs, uint32_t i)
{
	const struct pk_ir_rule *r = &rs->rules[i];
	printf("  rule %u at %s:%u", i, r->loc.file ? r->loc.file : "?", r->loc.line);
	printf(r->loc.origin ? " (%s)\n" : "\n", r->loc.origin);
}

/* The file again with the shape as its last line, resolved. */
static int load_shape(const struct pk_ir_ruleset *rs, const char *shape, const struct pk_cli_irargs *ia,
		      struct pk_ir_ruleset **out, uint32_t *first)
{
	const struct pk_ir_source *src = pk_cli_rules_text(rs);
	if (!src)
		return -1;
	const size_t len = src->len + strlen(shape) + 16;
	char *text = malloc(len);
	if (!text)
		return -1;
	const int n = snprintf(text, len, "%.*s\nmatch %s\n", (int)src->len, src->text, shape);
	struct pk_diags d;
	pk_diags_init(&d);
	const int rc = pk_frontend_load_string(src->path, text, (size_t)n, &ia->fo, &d, out);
	pk_diags_print(&d, stderr, ia->color);
	pk_diags_free(&d);
	free(text);
	*first = rs->nrules;
	return rc;
}

/* {"answer": "yes"|"no", "why": "passes"|"blocked"|"empty", "witness", "rule", "stoppers"}. */
static int answer_json(const struct pk_ir_ruleset *rs, const struct pk_query_result *q)
{
	json_t *stoppers = json_array();
	for (unsigned k = 0; !q->passes && k < q->nstoppers; k++)
		json_array_append_new(stoppers, pk_cli_rule_json(rs, q->stoppers[k]));
	const char *why = q->empty ? "empty" : q->passes ? "passes" : "blocked";
	json_t *doc = json_pack("{s:s, s:s, s:o, s:o, s:o}", "answer", q->passes ? "yes" : "no", "why", why, "witness",
				q->passes ? pk_vpkt_json(&q->w, NULL) : json_null(), "rule",
				q->passes ? pk_cli_rule_json(rs, q->rule) : json_null(), "stoppers", stoppers);
	if (pk_cli_json_print(doc) < 0)
		return 2;
	return q->passes ? 0 : 1;
}

static int answer(const struct pk_ir_ruleset *rs, const struct pk_ir_ruleset *shape_rs, uint32_t first, bool json)
{
	uint32_t *idx = pk_xcalloc(shape_rs->nrules + 1, sizeof(*idx));
	unsigned n = 0;
	for (uint32_t i = first; i < shape_rs->nrules; i++)
		idx[n++] = i;
	struct pk_query_result q;
	const int rc = pk_query_run(rs, shape_rs, idx, n, &q);
	free(idx);
	if (rc < 0) {
		fprintf(stderr, "picket query: the Z3 solver could not be started\n");
		return 2;
	}
	if (q.undecided) {
		fprintf(stderr, "picket query: the solver could not settle the question in time\n");
		return 2;
	}
	if (json)
		return answer_json(rs, &q);
	if (q.empty) {
		printf("no: no packet has this shape (its conditions contradict each other)\n");
		return 1;
	}
	if (!q.passes) {
		printf("no: every packet of this shape is blocked, by:\n");
		for (unsigned k = 0; k < q.nstoppers; k++)
			show_rule(rs, q.stoppers[k]);
		return 1;
	}
	char buf[512];
	pk_vpkt_format(&q.w, buf, sizeof(buf));
	printf("yes: %s\n", buf);
	if (q.rule == UINT32_MAX)
		printf("  passes by default: no rule decides it\n");
	else
		show_rule(rs, q.rule);
	return 0;
}

int pk_cmd_query(int argc, char **argv)
{
	struct pk_cli_irargs ia;
	const char *args[2];
	const int parsed = pk_cli_irargs_two(argc, argv, &ia, args, usage);
	if (parsed)
		return parsed > 0 ? 0 : 2;
	struct pk_ir_ruleset *rs, *shape_rs;
	if (pk_cli_load_ir(args[0], &ia, &rs) < 0)
		return 2;
	uint32_t first;
	int rc = 2;
	if (load_shape(rs, args[1], &ia, &shape_rs, &first) == 0) {
		rc = answer(rs, shape_rs, first, ia.json);
		pk_ir_ruleset_free(shape_rs);
	}
	pk_ir_ruleset_free(rs);
	return rc;
}
