/* cli/irload.c: rule files into IR for the verifying commands. */
#include <stdio.h>
#include <string.h>

#include "cli/irload.h"
#include "cli/json_out.h"
#include "configxml/configxml.h"

void pk_cli_irargs_init(struct pk_cli_irargs *a)
{
	memset(a, 0, sizeof(*a));
	a->fo.defines = a->defines;
	a->color = PK_COLOR_AUTO;
}

/* Matches `NAME VALUE`, `--NAME=VALUE` and `-XVALUE` at argv[*i]: 1 with *v
 * set, 0 when the word is another option, -1 when the value is missing. */
static int option(int argc, char **argv, int *i, const char *name, const char **v)
{
	const size_t n = strlen(name);
	const bool is_short = name[1] != '-';
	if (strncmp(argv[*i], name, n) || (argv[*i][n] && !is_short && argv[*i][n] != '='))
		return 0;
	if (argv[*i][n]) {
		*v = argv[*i] + n + (is_short ? 0 : 1);
		return 1;
	}
	if (*i + 1 >= argc) {
		fprintf(stderr, "picket %s: %s needs a value\n", argv[0], name);
		return -1;
	}
	*v = argv[++*i];
	return 1;
}

int pk_cli_irargs_take(struct pk_cli_irargs *a, int argc, char **argv, int *i)
{
	const char *v;
	int m;
	if ((m = option(argc, argv, i, "--topology", &v)) != 0) {
		if (m > 0)
			a->fo.topology = v;
		return m;
	}
	if ((m = option(argc, argv, i, "--root", &v)) != 0) {
		if (m > 0)
			a->fo.root = v;
		return m;
	}
	if ((m = option(argc, argv, i, "-D", &v)) != 0) {
		if (m < 0)
			return m;
		if (a->fo.ndefines >= sizeof(a->defines) / sizeof(a->defines[0]) || !strchr(v, '=')) {
			fprintf(stderr, "picket %s: -D wants NAME=VALUE (at most 64)\n", argv[0]);
			return -1;
		}
		a->defines[a->fo.ndefines++] = v;
		return 1;
	}
	if ((m = option(argc, argv, i, "--color", &v)) != 0) {
		if (m < 0)
			return m;
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

int pk_cli_irargs_two(int argc, char **argv, struct pk_cli_irargs *a, const char *words[2], void (*usage)(FILE *out))
{
	unsigned n = 0;
	pk_cli_irargs_init(a);
	for (int i = 1; i < argc; i++) {
		int t = pk_cli_irargs_take(a, argc, argv, &i);
		if (t == 0)
			t = pk_cli_take_format(argc, argv, &i, &a->json);
		if (t < 0)
			return -1;
		if (t)
			continue;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 1;
		}
		if (n == 2) {
			usage(stderr);
			return -1;
		}
		words[n++] = argv[i];
	}
	if (n == 2)
		return 0;
	usage(stderr);
	return -1;
}

const struct pk_ir_source *pk_cli_rules_text(const struct pk_ir_ruleset *rs)
{
	if (rs->nsources == 0)
		return NULL;
	/* a config.xml is followed by the pf rules it became */
	const bool xml = pk_cx_is_xml(rs->sources[0].text, rs->sources[0].len);
	return xml ? (rs->nsources > 1 ? &rs->sources[1] : NULL) : &rs->sources[0];
}

int pk_cli_load_ir(const char *path, const struct pk_cli_irargs *a, struct pk_ir_ruleset **out)
{
	struct pk_diags d;
	pk_diags_init(&d);
	int rc = pk_frontend_load(path, &a->fo, &d, out);
	if (!rc && !a->unsupported_ok && pk_diags_refuse_unsupported(&d)) {
		pk_ir_ruleset_free(*out);
		*out = NULL;
		rc = -1;
	}
	pk_diags_print(&d, stderr, a->color);
	pk_diags_free(&d);
	return rc;
}
