/*
 * cli/cmd_test.c: `picket test RULES [EXPECT]`: policy tests for CI: every
 * expectation of EXPECT (default: the `expect` lines of RULES, or else
 * picket.expect beside RULES) proved or refuted over its whole shape
 * (cli/expect_file.h, verify/expect.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/expect_out.h"
#include "cli/version.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: picket test [OPTIONS] RULES [EXPECT]\n"
		     "  --format text|json|sarif   output format (default text)\n"
		     "  --topology FILE, --root DIR, -D NAME=VALUE, --color auto|never|always\n"
		     "EXPECT (default: the 'expect' lines of RULES, or else picket.expect in the\n"
		     "directory of RULES) holds lines\n"
		     "  expect pass|block|reach SHAPE\n"
		     "SHAPE is a rule body, e.g. 'proto tcp from $lan to $nas port { 22 443 } in on lan0',\n"
		     "or one packet as 'picket explain' reads it.\n"
		     "Exit status: 0 every expectation holds, 1 some fail, 2 usage or input error.\n");
}

struct test_args {
	struct pk_cli_irargs ir;
	enum pk_expect_format fmt;
	const char *words[2];
	unsigned nwords;
};

static int parse_args(struct test_args *a, int argc, char **argv)
{
	static const char *const fmts[] = {"text", "json", "sarif"};
	for (int i = 1; i < argc; i++) {
		const int t = pk_cli_irargs_take(&a->ir, argc, argv, &i);
		if (t < 0)
			return -1;
		if (t)
			continue;
		if (!strcmp(argv[i], "--format") && i + 1 < argc) {
			int k = 0;
			while (k < 3 && strcmp(argv[i + 1], fmts[k]))
				k++;
			if (k == 3)
				return -1;
			a->fmt = (enum pk_expect_format)k;
			i++;
		} else if ((argv[i][0] != '-' || !argv[i][1]) && a->nwords < 2) {
			a->words[a->nwords++] = argv[i];
		} else {
			return -1;
		}
	}
	return a->nwords ? 0 : -1;
}

/* picket.expect in the directory of the rule file. */
static char *default_expect(const char *rules)
{
	const char *slash = strrchr(rules, '/');
	const int dir = slash ? (int)(slash - rules + 1) : 0;
	char *p = malloc((size_t)dir + sizeof("picket.expect"));
	if (p)
		sprintf(p, "%.*spicket.expect", dir, rules);
	return p;
}

static int check(const struct pk_ir_ruleset *rs, struct pk_cli_expect_run *run, enum pk_expect_format fmt)
{
	if (pk_cli_expect_check(rs, run) < 0) {
		fprintf(stderr, "picket test: the Z3 solver could not be started\n");
		return 2;
	}
	if (pk_cli_expect_print(rs, run, fmt, stdout, PK_VERSION) < 0 || fflush(stdout)) {
		fprintf(stderr, "picket test: cannot write the report\n");
		return 2;
	}
	return run->nfailed ? 1 : 0;
}

/* The expectations: EXPECT's; else the rule file's own `expect` lines;
 * else picket.expect beside it. 0, or -1 after the errors are printed. */
static int load(const struct test_args *a, const struct pk_ir_ruleset *rs, struct pk_cli_expect_run *run)
{
	if (a->nwords == 2)
		return pk_cli_expect_load(a->words[1], rs, &a->ir, run);
	const int inline_rc = pk_cli_expect_from_rules(rs, &a->ir, run);
	if (inline_rc < 0 || run->n)
		return inline_rc;
	pk_cli_expect_free(run);
	char *dflt = default_expect(a->words[0]);
	if (dflt && access(dflt, F_OK) < 0)
		fprintf(stderr, "picket test: %s has no expect lines, and there is no %s\n", a->words[0], dflt);
	const int rc = dflt ? pk_cli_expect_load(dflt, rs, &a->ir, run) : -1;
	free(dflt);
	return rc;
}

static int run_tests(const struct test_args *a)
{
	struct pk_ir_ruleset *rs;
	if (pk_cli_load_ir(a->words[0], &a->ir, &rs) < 0)
		return 2;
	struct pk_cli_expect_run run;
	/* a file with errors has them printed: exit 2 */
	const int rc = load(a, rs, &run) < 0 ? 2 : check(rs, &run, a->fmt);
	pk_cli_expect_free(&run);
	pk_ir_ruleset_free(rs);
	return rc;
}

int pk_cmd_test(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	struct test_args a = {.fmt = PK_EXPECT_TEXT};
	pk_cli_irargs_init(&a.ir);
	if (parse_args(&a, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	return run_tests(&a);
}
