/* cli/front_args.c: option parsing shared by `picket check` and `picket print`. */
#include "cli/front_args.h"

#include <stdio.h>
#include <string.h>

static const char *optval(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!strcmp(argv[*i], name) && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int arg_one(int argc, char **argv, int *i, const char *flags, struct pk_front_args *a)
{
	const char *v;
	const int taken = pk_cli_irargs_take(&a->ir, argc, argv, i);
	if (taken)
		return taken < 0 ? 2 : 0;
	if (!strcmp(argv[*i], "--help") || !strcmp(argv[*i], "-h"))
		a->help = true;
	else if ((v = optval(argc, argv, i, "--format"))) {
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

int pk_front_args_parse(int argc, char **argv, const char *flags, bool one_file, void (*usage)(FILE *out),
			struct pk_front_args *a)
{
	memset(a, 0, sizeof(*a));
	pk_cli_irargs_init(&a->ir);
	static char *slots[256];
	if (argc > 256)
		return fprintf(stderr, "picket: too many arguments\n"), 2;
	a->files = slots;
	for (int i = 1; i < argc; i++) {
		int rc = arg_one(argc, argv, &i, flags, a);
		if (rc)
			return rc;
	}
	if (a->help) {
		usage(stdout);
		return 0;
	}
	if (one_file ? a->nfiles != 1 : !a->nfiles) {
		usage(stderr);
		return 2;
	}
	return -1;
}
