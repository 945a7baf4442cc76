/*
 * cli/front_args.h: the options `check` and `print` share: --topology,
 * -D name=value, --color, --format, and the files.
 */
#ifndef PK_CLI_FRONT_ARGS_H
#define PK_CLI_FRONT_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include "cli/irload.h"

struct pk_front_args {
	struct pk_cli_irargs ir; /* --topology, -D, --color */
	bool json, numbers, verbose, help;
	char **files;
	int nfiles;
};

/* Parses argv (argv[0] is the command); flags names the extra one-letter
 * flags accepted ("nv" for print). Prints usage to stdout for --help, to
 * stderr when the files are not one (one_file) or at least one. Returns
 * -1 to go on, else the exit code (0 after help, 2 after a message). */
int pk_front_args_parse(int argc, char **argv, const char *flags, bool one_file, void (*usage)(FILE *out),
			struct pk_front_args *a);

#endif
