/* cli/cmd_import.c: `picket import CONFIG.xml`: the pf rules a pfSense or
 * OPNsense config.xml becomes (configxml/configxml.h). */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/front_args.h"
#include "cli/load.h"
#include "configxml/configxml.h"

static void import_usage(FILE *out)
{
	fputs("usage: picket import CONFIG.xml [--color when]\n\n"
	      "Print the pf rules a pfSense or OPNsense configuration backup becomes:\n"
	      "the topology (interfaces by device, addresses, gateways; addresses\n"
	      "assigned at run time marked so), tables and macros from the aliases,\n"
	      "then NAT and filter rules in the product's order, with the rules the\n"
	      "product generates, each after a comment or named in the line map.\n"
	      "Every other command reads the config.xml itself.\n",
	      out);
}

int pk_cmd_import(int argc, char **argv)
{
	struct pk_front_args a;
	int rc = pk_front_args_parse(argc, argv, "", true, import_usage, &a);
	if (rc >= 0)
		return rc;
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_infile f;
	struct pk_arena *ar = pk_arena_new();
	struct pk_cx_text t;
	rc = 2;
	if (pk_cli_read(a.files[0], PK_INFILE_TEXT, &d, &f) == 0) {
		const char *name = pk_infile_name(a.files[0]);
		pk_diags_add_source(&d, name, f.data, f.len);
		if (!pk_cx_is_xml(f.data, f.len)) {
			const struct pk_loc here = {.file = name};
			pk_error(&d, &here, "not a config.xml: picket import reads pfSense and OPNsense backups");
		} else if (pk_cx_translate(ar, name, f.data, f.len, NULL, &d, &t) == 0) {
			fwrite(t.text, 1, t.len, stdout);
			rc = 0;
		}
		pk_infile_free(&f);
	}
	pk_diags_print(&d, stderr, a.ir.color);
	pk_arena_free(ar);
	pk_diags_free(&d);
	return rc;
}
