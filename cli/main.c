/* cli/main.c: `picket COMMAND ...`: dispatch to the subcommands. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/version.h"

struct pk_command {
	const char *name, *summary;
	int (*run)(int argc, char **argv);
};

static const struct pk_command pk_commands[] = {
#define PK_CMD_ENTRY(name, summary) {#name, summary, pk_cmd_##name},
	PK_COMMANDS(PK_CMD_ENTRY)
#undef PK_CMD_ENTRY
};

/* Command names are typed with dashes where the C names have underscores. */
static bool same_name(const char *typed, const char *name)
{
	for (; *typed && *name; typed++, name++)
		if (*typed != (*name == '_' ? '-' : *name))
			return false;
	return *typed == *name;
}

static void print_name(FILE *out, const char *name)
{
	int n = 0;
	for (; *name; name++, n++)
		fputc(*name == '_' ? '-' : *name, out);
	fprintf(out, "%*s", 12 - n > 0 ? 12 - n : 0, "");
}

static void usage(FILE *out)
{
	fprintf(out, "usage: picket COMMAND [OPTIONS] [ARGS]\n"
		     "       picket --help | --version\n\n"
		     "Firewall ruleset toolchain: pf rules checked, linted, compiled to\n"
		     "verified bytecode, and replayed against captures.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(pk_commands) / sizeof(pk_commands[0]); i++) {
		fputs("  ", out);
		print_name(out, pk_commands[i].name);
		fprintf(out, " %s\n", pk_commands[i].summary);
	}
	fprintf(out, "\n'picket COMMAND --help' describes a command; picket(1) and\n"
		     "picket.conf(5) describe the tool and the rule language.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("picket %s\n", PK_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(pk_commands) / sizeof(pk_commands[0]); i++)
		if (same_name(argv[1], pk_commands[i].name))
			return pk_commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "picket: unknown command '%s'; 'picket --help' lists the commands\n", argv[1]);
	return 2;
}
