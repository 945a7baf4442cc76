/* cli/irload.c: rule files into IR for the verifying commands. */
#include <stdio.h>
#include <string.h>

#include "cli/irload.h"

void pk_cli_irargs_init(struct pk_cli_irargs *a)
{
	memset(a, 0, sizeof(*a));
	a->fo.defines = a->defines;
	a->color = PK_COLOR_AUTO;
}

static const char *value(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "picket %s: %s needs a value\n", argv[0], argv[*i]);
		return NULL;
	}
	return argv[++*i];
}

int pk_cli_irargs_take(struct pk_cli_irargs *a, int argc, char **argv, int *i)
{
	const char *w = argv[*i], *v;
	if (!strcmp(w, "--topology")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		a->fo.topology = v;
		return 1;
	}
	if (!strcmp(w, "-D")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		if (a->fo.ndefines >= sizeof(a->defines) / sizeof(a->defines[0]) || !strchr(v, '=')) {
			fprintf(stderr, "picket %s: -D wants NAME=VALUE (at most 64)\n", argv[0]);
			return -1;
		}
		a->defines[a->fo.ndefines++] = v;
		return 1;
	}
	if (!strcmp(w, "--color")) {
		if (!(v = value(argc, argv, i)))
			return -1;
		static const char *const names[] = {"auto", "never", "always"};
		for (int k = 0; k < 3; k++)
			if (!strcmp(v, names[k])) {
				a->color = (enum pk_diag_color)k;
				return 1;
			}
		fprintf(stderr, "picket %s: --color wants auto, never or always, not '%s'\n", argv[0], v);
		return -1;
	}
	return 0;
}

int pk_cli_load_ir(const char *path, const struct pk_cli_irargs *a, struct pk_ir_ruleset **out)
{
	struct pk_diags d;
	pk_diags_init(&d);
	const int rc = pk_frontend_load(path, &a->fo, &d, out);
	pk_diags_print(&d, stderr, a->color);
	pk_diags_free(&d);
	return rc;
}
