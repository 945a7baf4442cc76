/* cli/cmd_diff.c: `picket diff OLD NEW`: do two rulesets give every packet the same verdict? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/irload.h"
#include "cli/json_out.h"
#include "verify/lint_out.h"
#include "verify/semdiff.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: picket diff [--max N] [--format text|json] [--topology FILE] [--root DIR] [-D NAME=VALUE]\n"
		     "                   [--color WHEN] OLD NEW\n"
		     "Says whether OLD and NEW give every packet the same verdict; if not, lists witness\n"
		     "packets whose verdict changes, grouped by (old deciding rule -> new deciding rule),\n"
		     "at most N per group (default 3). Exit 0 equivalent, 1 different, 2 usage or input error.\n");
}

static void print_rule(const char *side, const struct pk_ir_ruleset *rs, uint32_t rule)
{
	if (rule == PK_DIFF_DEFAULT) {
		printf("%s: no rule (default pass)", side);
		return;
	}
	const struct pk_ir_rule *r = &rs->rules[rule];
	printf("%s: rule %u at %s:%u", side, rule, r->loc.file ? r->loc.file : "?", r->loc.line);
	if (r->loc.origin)
		printf(" (%s)", r->loc.origin);
}

static void print_result(const struct pk_ir_ruleset *a, const struct pk_ir_ruleset *b, const struct pk_diff_result *d)
{
	if (d->equivalent || (d->ng == 0 && d->undecided)) {
		printf("%s\n", d->equivalent ? "equivalent: every packet gets the same verdict" : "undecided");
		return;
	}
	printf("not equivalent: %u group%s of packets change verdict%s\n", d->ng, d->ng == 1 ? "" : "s",
	       d->truncated ? " (more not shown)" : "");
	for (unsigned i = 0; i < d->ng; i++) {
		const struct pk_diff_group *g = &d->g[i];
		printf("\n");
		print_rule("old", a, g->old_rule);
		printf(" -> ");
		print_rule("new", b, g->new_rule);
		printf(": %s -> %s\n", g->old_pass ? "pass" : "block", g->new_pass ? "pass" : "block");
		for (unsigned k = 0; k < g->nw; k++) {
			char buf[512];
			pk_vpkt_format(&g->w[k], buf, sizeof(buf));
			printf("  %s  (old %s, new %s)\n", buf, g->old_pass ? "pass" : "block",
			       g->new_pass ? "pass" : "block");
		}
	}
}

static json_t *diff_rule_json(const struct pk_ir_ruleset *rs, uint32_t rule)
{
	return rule == PK_DIFF_DEFAULT ? json_null() : pk_cli_rule_json(rs, rule);
}

/* {"equivalent", "undecided", "truncated", "groups": [{"old_rule", "new_rule", "old", "new", "witnesses"}]};
 * a null rule is pf's default pass. */
static int print_json(const struct pk_ir_ruleset *a, const struct pk_ir_ruleset *b, const struct pk_diff_result *d)
{
	json_t *groups = json_array();
	for (unsigned i = 0; i < d->ng; i++) {
		const struct pk_diff_group *g = &d->g[i];
		json_t *w = json_array();
		for (unsigned k = 0; k < g->nw; k++)
			json_array_append_new(w, pk_vpkt_json(&g->w[k], NULL));
		json_array_append_new(groups, json_pack("{s:o, s:o, s:s, s:s, s:o}", "old_rule",
							diff_rule_json(a, g->old_rule), "new_rule",
							diff_rule_json(b, g->new_rule), "old", g->old_pass ? "pass" : "block",
							"new", g->new_pass ? "pass" : "block", "witnesses", w));
	}
	return pk_cli_json_print(json_pack("{s:b, s:b, s:b, s:o}", "equivalent", d->equivalent, "undecided",
					   d->undecided, "truncated", d->truncated, "groups", groups));
}

int pk_cmd_diff(int argc, char **argv)
{
	struct pk_cli_irargs ia;
	pk_cli_irargs_init(&ia);
	const char *paths[2] = {NULL, NULL};
	unsigned npaths = 0, max = 3;
	for (int i = 1; i < argc; i++) {
		int t = pk_cli_irargs_take(&ia, argc, argv, &i);
		char *end;
		if (t == 0)
			t = pk_cli_take_format(argc, argv, &i, &ia.json);
		if (t < 0)
			return 2;
		if (t)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--max") && i + 1 < argc && (max = (unsigned)strtoul(argv[i + 1], &end, 10)) &&
		    !*end) {
			i++;
			continue;
		}
		if ((argv[i][0] == '-' && argv[i][1]) || npaths == 2) {
			usage(stderr);
			return 2;
		}
		paths[npaths++] = argv[i];
	}
	if (npaths != 2) {
		usage(stderr);
		return 2;
	}
	struct pk_ir_ruleset *a = NULL, *b = NULL;
	if (pk_cli_load_ir(paths[0], &ia, &a) < 0 || pk_cli_load_ir(paths[1], &ia, &b) < 0) {
		if (a)
			pk_ir_ruleset_free(a);
		return 2;
	}
	struct pk_diff_result d;
	int rc = 2;
	if (pk_diff_run(a, b, max, &d) == 0) {
		rc = d.equivalent ? 0 : 1;
		if (!ia.json)
			print_result(a, b, &d);
		else if (print_json(a, b, &d) < 0)
			rc = 2;
		if (d.undecided) {
			fprintf(stderr, "picket diff: the solver could not settle every question in time\n");
			rc = 2;
		}
		pk_diff_free(&d);
	} else {
		fprintf(stderr, "picket diff: the Z3 solver could not be started\n");
	}
	pk_ir_ruleset_free(a);
	pk_ir_ruleset_free(b);
	return rc;
}
