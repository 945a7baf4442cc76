/*
 * cli/irload.h: options shared by the commands that read rule files into
 * IR (lint, diff, explain, query): --topology, --root and -D, and loading with the
 * front end's errors printed. Commands that need bytecode use cli/load.h.
 */
#ifndef PK_CLI_IRLOAD_H
#define PK_CLI_IRLOAD_H

#include <stdbool.h>
#include <stdio.h>

#include "compiler/frontend.h"

struct pk_cli_irargs {
	struct pk_frontend_opts fo;
	const char *defines[64];
	enum pk_diag_color color;
	bool json; /* --format json, where the command takes it */
	/* lint reads a file with unsupported features (as rules that may
	 * match anything); diff, explain and query refuse it */
	bool unsupported_ok;
};

void pk_cli_irargs_init(struct pk_cli_irargs *a);
/* Consumes --topology FILE, --root DIR, -D NAME=VALUE and --color WHEN at argv[*i];
 * returns 1 if it did, 0 if the word is not one of them, -1 on a bad value. */
int pk_cli_irargs_take(struct pk_cli_irargs *a, int argc, char **argv, int *i);
/* The arguments of a command taking exactly two words after the shared
 * options and --format text|json (explain, query): 0 with words set, 1
 * after --help was printed, -1 after a usage message. */
int pk_cli_irargs_two(int argc, char **argv, struct pk_cli_irargs *a, const char *words[2], void (*usage)(FILE *out));
/* The text of a loaded ruleset that more lines can be appended to and read
 * again (query's shape, test's expectations): the rule file itself, or for a
 * config.xml the pf rules it became. NULL when there is none. */
const struct pk_ir_source *pk_cli_rules_text(const struct pk_ir_ruleset *rs);
/* Loads a rule file, printing its errors (and, unless unsupported_ok,
 * refusing unsupported features); 0 or -1. */
int pk_cli_load_ir(const char *path, const struct pk_cli_irargs *a, struct pk_ir_ruleset **out);

#endif
