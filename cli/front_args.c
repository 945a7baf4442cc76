/* cli/front_args.c: option parsing shared by `picket check` and `picket print`. */
#include "cli/front_args.h"

#include <stdio.h>
#include <string.h>

static const char *pk_optval(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!strcmp(argv[*i], name) && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int pk_arg_one(int argc, char **argv, int *i, const char *flags, struct pk_front_args *a)
{
	const char *v;
	if (!strcmp(argv[*i], "--help") || !strcmp(argv[*i], "-h"))
		a->help = true;
	else if ((v = pk_optval(argc, argv, i, "--topology")))
		a->fo.topology = v;
	else if ((v = pk_optval(argc, argv, i, "-D")) || (!strncmp(argv[*i], "-D", 2) && (v = argv[*i] + 2))) {
		if (a->fo.ndefines == sizeof(a->defines) / sizeof(a->defines[0]))
			return fprintf(stderr, "picket: too many -D options\n"), 2;
		a->defines[a->fo.ndefines++] = v;
	} else if ((v = pk_optval(argc, argv, i, "--color"))) {
		if (!strcmp(v, "auto"))
			a->color = PK_COLOR_AUTO;
		else if (!strcmp(v, "always"))
			a->color = PK_COLOR_ALWAYS;
		else if (!strcmp(v, "never"))
			a->color = PK_COLOR_NEVER;
		else
			return fprintf(stderr, "picket: --color takes auto, always or never\n"), 2;
	} else if ((v = pk_optval(argc, argv, i, "--format"))) {
		if (strcmp(v, "json") && strcmp(v, "text"))
			return fprintf(stderr, "picket: --format takes text or json\n"), 2;
		a->json = !strcmp(v, "json");
	} else if (argv[*i][0] == '-' && argv[*i][1] && argv[*i][2] == '\0' && strchr(flags, argv[*i][1])) {
		a->numbers |= argv[*i][1] == 'n';
		a->verbose |= argv[*i][1] == 'v';
	} else if (argv[*i][0] == '-' && argv[*i][1]) {
		return fprintf(stderr, "picket %s: unknown option '%s'; see 'picket %s --help'\n", argv[0], argv[*i],
			       argv[0]), 2;
	} else {
		a->files[a->nfiles++] = argv[*i];
	}
	return 0;
}

int pk_front_args_parse(int argc, char **argv, const char *flags, struct pk_front_args *a)
{
	memset(a, 0, sizeof(*a));
	a->fo.defines = a->defines;
	static char *slots[256];
	if (argc > 256)
		return fprintf(stderr, "picket: too many arguments\n"), 2;
	a->files = slots;
	for (int i = 1; i < argc; i++) {
		int rc = pk_arg_one(argc, argv, &i, flags, a);
		if (rc)
			return rc;
	}
	return 0;
}
