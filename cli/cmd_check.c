/* cli/cmd_check.c: `picket check FILE...`: parse and resolve, report every error. */
#include <jansson.h>
#include <stdio.h>

#include "cli/commands.h"
#include "cli/front_args.h"
#include "cli/load.h"
#include "verify/json_text.h"

static void check_usage(FILE *out)
{
	fputs("usage: picket check FILE... [--topology FILE] [--root DIR] [-D name=value]\n"
	      "                    [--format text|json] [--color auto|always|never]\n\n"
	      "Parse and resolve each rule file (macros, lists, tables, interfaces) and\n"
	      "report every error with its file:line:col; a compiled .pkb is verified as\n"
	      "the runtime loads it. A feature outside what picket supports is a warning\n"
	      "naming it: the other lines are still checked (compile refuses the file).\n"
	      "Exit 0 when clean or only warned, 2 on error.\n\n"
	      "  --topology FILE   interfaces and routes of the host, merged first\n"
	      "  --root DIR        read the absolute paths the rules name (include, table and\n"
	      "                    anchor files) under DIR, a copy of the host's files\n"
	      "  -D name=value     define a macro, as if written name = \"value\"\n"
	      "  --format json     diagnostics as a JSON array on stdout\n"
	      "  --color WHEN      colour diagnostics: auto (on a terminal), always, never\n",
	      out);
}

static json_t *diag_json(const struct pk_diag *g)
{
	json_t *o = json_pack("{s:o, s:s, s:i, s:i, s:i, s:i, s:o}", "file", pk_json_text(g->loc.file ? g->loc.file : ""),
			      "severity", pk_severity_name(g->sev), "line", (int)g->loc.line, "column",
			      (int)g->loc.col, "end_line", (int)g->loc.end_line, "end_column", (int)g->loc.end_col,
			      "message", pk_json_text(g->msg));
	if (g->code)
		json_object_set_new(o, "code", json_string(g->code));
	if (g->nnotes) {
		json_t *notes = json_array();
		for (unsigned i = 0; i < g->nnotes; i++)
			json_array_append_new(notes, diag_json(&g->notes[i]));
		json_object_set_new(o, "notes", notes);
	}
	return o;
}

/* The rules of one file, its errors in d: a rule file is parsed and
 * resolved, a .pkb (by its magic) loaded and verified as the runtime would. */
static unsigned check_one(const char *path, const struct pk_frontend_opts *fo, struct pk_diags *d)
{
	struct pk_infile f;
	unsigned rules = 0;
	if (pk_cli_read(path, PK_INFILE_TEXT | PK_INFILE_PKB, d, &f))
		return 0;
	if (f.kind == PK_INFILE_PKB) {
		struct pk_rs *pkb;
		if (pk_cli_load_pkb(path, &f, d, &pkb) == 0)
			rules = pk_rs_nrules(pkb);
		pk_rs_free(pkb);
	} else {
		struct pk_ir_ruleset *rs;
		if (pk_frontend_load_string(pk_infile_name(path), f.data, f.len, fo, d, &rs) == 0)
			rules = rs->nrules;
		pk_ir_ruleset_free(rs);
	}
	pk_infile_free(&f);
	return rules;
}

int pk_cmd_check(int argc, char **argv)
{
	struct pk_front_args a;
	int rc = pk_front_args_parse(argc, argv, "", false, check_usage, &a);
	if (rc >= 0)
		return rc;
	struct pk_diags d;
	pk_diags_init(&d);
	unsigned rules = 0;
	for (int i = 0; i < a.nfiles; i++)
		rules += check_one(a.files[i], &a.ir.fo, &d);
	if (a.json) {
		json_t *arr = json_array();
		for (unsigned i = 0; i < d.n; i++)
			json_array_append_new(arr, diag_json(&d.v[i]));
		json_t *root = json_pack("{s:o, s:i, s:i}", "diagnostics", arr, "errors", (int)d.nerrors, "warnings",
					 (int)d.nwarnings);
		json_dumpf(root, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(root);
	} else {
		pk_diags_print(&d, stderr, a.ir.color);
		if (!d.nerrors && d.nunsupported)
			printf("%d file%s checked: %u rules; %u unsupported feature%s, which compile refuses\n",
			       a.nfiles, a.nfiles == 1 ? "" : "s", rules, d.nunsupported,
			       d.nunsupported == 1 ? "" : "s");
		else if (!d.nerrors)
			printf("%d file%s OK: %u rules\n", a.nfiles, a.nfiles == 1 ? "" : "s", rules);
	}
	rc = d.nerrors ? 2 : 0;
	pk_diags_free(&d);
	return rc;
}
