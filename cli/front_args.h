/*
 * cli/front_args.h: the options `check` and `print` share: --topology,
 * -D name=value, --color, --format, and the files.
 */
#ifndef PK_CLI_FRONT_ARGS_H
#define PK_CLI_FRONT_ARGS_H

#include <stdbool.h>

#include "cli/irload.h"

struct pk_front_args {
	struct pk_cli_irargs ir; /* --topology, -D, --color */
	bool json, numbers, verbose, help;
	char **files;
	int nfiles;
};

/* Parses argv (argv[0] is the command); flags names the extra one-letter
 * flags accepted ("nv" for print). Returns 0, or 2 after a message. */
int pk_front_args_parse(int argc, char **argv, const char *flags, struct pk_front_args *a);

#endif
