/* cli/cmd_print.c: `picket print FILE`: the resolved ruleset in pfctl -nv style. */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/front_args.h"
#include "compiler/print.h"

static void print_usage(FILE *out)
{
	fputs("usage: picket print FILE [-n] [-v] [--topology FILE] [--root DIR] [-D name=value]\n\n"
	      "Print the resolved ruleset one rule per line, as pfctl -nv does: macros\n"
	      "substituted, lists expanded, defaults (keep state, flags S/SA) explicit.\n\n"
	      "  -n                number the rules (@N, pfctl's rule numbers)\n"
	      "  -v                also print set options, tables, interfaces and routes\n"
	      "  --topology FILE   interfaces and routes of the host, merged first\n"
	      "  --root DIR        read the absolute paths the rules name under DIR\n"
	      "  -D name=value     define a macro\n",
	      out);
}

int pk_cmd_print(int argc, char **argv)
{
	struct pk_front_args a;
	int rc = pk_front_args_parse(argc, argv, "nv", true, print_usage, &a);
	if (rc >= 0)
		return rc;
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_ir_ruleset *rs;
	rc = pk_frontend_load(a.files[0], &a.ir.fo, &d, &rs) ? 2 : 0;
	/* notes are check's business; print shows what may be wrong */
	if (d.nerrors || d.nwarnings)
		pk_diags_print(&d, stderr, a.ir.color);
	if (!rc) {
		pk_print_ruleset(stdout, rs, (a.numbers ? PK_PRINT_NUMBERS : 0) | (a.verbose ? PK_PRINT_OPTIONS : 0));
		pk_ir_ruleset_free(rs);
	}
	pk_diags_free(&d);
	return rc;
}
