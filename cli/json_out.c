/* cli/json_out.c: what every command's JSON output shares. */
#include "cli/json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/text.h"
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
	/* jansson refuses a string that is not UTF-8 (a Latin-1 comment on
	 * the rule's line), and the rule would go missing: such bytes are
	 * taken as Latin-1, as replay's lines take them */
	char *utf8 = malloc(2 * len + 1);
	struct pk_text t;
	if (!utf8)
		return NULL;
	pk_text_init(&t, utf8, 2 * len + 1);
	pk_text_utf8(&t, text ? text : "", text ? len : 0);
	pk_text_end(&t);
	json_t *o = json_pack("{s:i, s:s?, s:i, s:s%}", "index", (json_int_t)rule, "file", r->loc.file, "line",
			      (json_int_t)r->loc.line, "source", utf8, t.len);
	free(utf8);
	if (r->loc.origin) /* written from config.xml: the rule as the GUI names it */
		json_object_set_new(o, "origin", json_string(r->loc.origin));
	return o;
}

int pk_cli_json_print(json_t *doc)
{
	int rc = json_dumpf(doc, stdout, JSON_INDENT(2)) == 0 && fputc('\n', stdout) != EOF ? 0 : -1;
	json_decref(doc);
	return rc;
}
