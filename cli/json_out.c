/* cli/json_out.c: what every command's JSON output shares. */
#include "cli/json_out.h"

#include <stdio.h>
#include <string.h>

#include "verify/json_text.h"
#include "verify/lint.h"

int pk_cli_take_format(int argc, char **argv, int *i, bool *json)
{
	const char *v;
	if (!strncmp(argv[*i], "--format=", 9))
		v = argv[*i] + 9;
	else if (!strcmp(argv[*i], "--format") && *i + 1 < argc)
		v = argv[++*i];
	else
		return 0;
	if (strcmp(v, "json") && strcmp(v, "text")) {
		fprintf(stderr, "picket %s: --format takes text or json, not '%s'\n", argv[0], v);
		return -1;
	}
	*json = !strcmp(v, "json");
	return 1;
}

json_t *pk_cli_rule_json(const struct pk_ir_ruleset *rs, uint32_t rule)
{
	if (rule == UINT32_MAX || rule >= rs->nrules)
		return json_null();
	const struct pk_ir_rule *r = &rs->rules[rule];
	size_t len = 0;
	const char *text = pk_lint_rule_source(rs, rule, &len);
	json_t *o = json_pack("{s:i, s:o, s:i, s:o}", "index", (json_int_t)rule, "file", pk_json_text(r->loc.file),
			      "line", (json_int_t)r->loc.line, "source", pk_json_textn(text ? text : "", text ? len : 0));
	if (r->loc.origin) /* written from config.xml: the rule as the GUI names it */
		json_object_set_new(o, "origin", pk_json_text(r->loc.origin));
	return o;
}

int pk_cli_json_print(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 && fputc('\n', stdout) != EOF ? 0 : -1;
	json_decref(doc);
	return rc;
}
