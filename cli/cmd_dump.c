/*
 * cli/cmd_dump.c: `picket dump FILE.pkb [--raw]`: the header, then the
 * options, topology, tables and rules printed back with the printer of
 * `picket print` (each rule with its source line); --raw adds the
 * program instruction by instruction.
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/dump.h"
#include "cli/load.h"
#include "compiler/pkb_decode.h"
#include "compiler/print.h"

static void dump_usage(FILE *out)
{
	fputs("usage: picket dump FILE.pkb [--raw]\n\n"
	      "Verify and disassemble a compiled ruleset: the header (format, size,\n"
	      "checksum and provenance hashes, sections), the options, topology and\n"
	      "tables, and the rules as `picket print -v` shows them, each with its\n"
	      "source line.\n\n"
	      "  --raw   also list the evaluation program, one instruction per line,\n"
	      "          with word index and byte offset (docs/bytecode.md)\n",
	      out);
}

int pk_cmd_dump(int argc, char **argv)
{
	const char *path = NULL;
	bool raw = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			dump_usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--raw"))
			raw = true;
		else if ((argv[i][0] == '-' && argv[i][1]) || path)
			return dump_usage(stderr), 2;
		else
			path = argv[i];
	}
	if (!path)
		return dump_usage(stderr), 2;
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_infile f;
	struct pk_rs *rs = NULL;
	struct pk_ir_ruleset *ir = NULL;
	int rc = 2;
	if (!pk_cli_read(path, PK_INFILE_PKB, &d, &f) && !pk_cli_load_pkb(path, &f, &d, &rs) &&
	    !pk_pkb_decode(rs, &ir, &d)) {
		pk_dump_header(stdout, pk_infile_name(path), rs);
		pk_print_ruleset(stdout, ir, PK_PRINT_OPTIONS | PK_PRINT_LINES);
		if (raw)
			pk_dump_program(stdout, rs);
		rc = 0;
	}
	pk_diags_print(&d, stderr, PK_COLOR_AUTO);
	if (ir)
		pk_arena_free(ir->arena);
	pk_rs_free(rs);
	pk_infile_free(&f);
	pk_diags_free(&d);
	return rc;
}
