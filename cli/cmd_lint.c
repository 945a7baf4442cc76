/* cli/cmd_lint.c: `picket lint RULES`: the linter, for people and for CI. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/irload.h"
#include "cli/version.h"
#include "runtime/infile.h"
#include "verify/lint_out.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: picket lint [OPTIONS] RULES\n"
		"  --format text|json|sarif   output format (default text)\n"
		"  --fail-on error|warning|info|never\n"
		"                             exit 1 when a finding at or above this is found (default warning)\n"
		"  --enable ID, --disable ID  turn a check on or off (--list shows them)\n"
		"  --list                     list the checks, their severity and default\n"
		"  --stats                    print rule pairs, pruned pairs and solver calls to stderr\n"
		"  --debug                    tell on stderr each finding withheld because the engine\n"
		"                             disagrees with its witness (an internal inconsistency)\n"
		"  --topology FILE, --root DIR, -D NAME=VALUE, --color auto|never|always\n"
		"Suppress one finding with a comment '# picket: ignore ID' on or above the rule.\n"
		"Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error.\n");
}

static void list_checks(void)
{
	for (int i = 0; i < PK_LINT_COUNT; i++) {
		struct pk_lint_opts o;
		pk_lint_opts_default(&o);
		printf("%-20s %-8s %-4s %s\n", pk_lint_id_name(i), pk_severity_name(pk_lint_id_severity(i)),
		       o.enabled[i] ? "on" : "off", pk_lint_id_short(i));
	}
}

struct lint_args {
	struct pk_cli_irargs ir;
	struct pk_lint_opts lo;
	enum pk_lint_format fmt;
	int fail_on; /* a severity, or PK_SEV_ERROR + 1 for never */
	bool stats;
	const char *path;
};

static int pick(const char *v, const char *const *names, int n)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(v, names[k]))
			return k;
	return -1;
}

/* One option with its value at argv[*i]; -1 when it is not understood. */
static int parse_one(struct lint_args *a, int argc, char **argv, int *i)
{
	static const char *const fmts[] = {"text", "json", "sarif"};
	static const char *const sevs[] = {"info", "warning", "error", "never"};
	const char *w = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : "";
	int k = -1;
	if (!strcmp(w, "--stats")) {
		a->stats = true;
		return 0;
	}
	if (!strcmp(w, "--debug")) {
		a->lo.debug = stderr;
		return 0;
	}
	if (w[0] != '-' || !w[1]) {
		if (a->path)
			return -1;
		a->path = w;
		return 0;
	}
	if (!strcmp(w, "--format") && (k = pick(v, fmts, 3)) >= 0)
		a->fmt = (enum pk_lint_format)k;
	else if (!strcmp(w, "--fail-on") && (k = pick(v, sevs, 4)) >= 0)
		a->fail_on = PK_SEV_INFO + k;
	else if ((!strcmp(w, "--enable") || !strcmp(w, "--disable")) && (k = pk_lint_id_find(v)) >= 0)
		a->lo.enabled[k] = w[2] == 'e';
	if (k < 0)
		return -1;
	++*i;
	return 0;
}

static int parse_args(struct lint_args *a, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const int t = pk_cli_irargs_take(&a->ir, argc, argv, &i);
		if (t < 0)
			return -1;
		if (t == 0 && parse_one(a, argc, argv, &i) < 0) {
			fprintf(stderr, "picket lint: bad argument '%s'%s%s\n", argv[i], i + 1 < argc ? " " : "",
				i + 1 < argc ? argv[i + 1] : "");
			return -1;
		}
	}
	if (!a->path) {
		fprintf(stderr, "picket lint: no rule file given\n");
		return -1;
	}
	return 0;
}

int pk_cmd_lint(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		list_checks();
		return 0;
	}
	struct lint_args a = {.fmt = PK_LINT_TEXT, .fail_on = PK_SEV_WARNING};
	pk_cli_irargs_init(&a.ir);
	pk_lint_opts_default(&a.lo);
	if (parse_args(&a, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	struct pk_ir_ruleset *rs;
	if (pk_cli_load_ir(a.path, &a.ir, &rs) < 0)
		return 2;
	if (rs->nrules > PK_LINT_MAX_RULES) {
		fprintf(stderr, "picket lint: %s: %u rules, more than the %u lint compares (pair by pair)\n",
			pk_infile_name(a.path), rs->nrules, PK_LINT_MAX_RULES);
		pk_ir_ruleset_free(rs);
		return 2;
	}
	struct pk_lint_report rep;
	pk_lint_report_init(&rep);
	int rc = 2;
	if (pk_lint_run(rs, &a.lo, &rep) < 0)
		fprintf(stderr, "picket lint: the Z3 solver could not be started\n");
	else if (pk_lint_print(rs, &rep, a.fmt, stdout, a.ir.color, PK_VERSION) < 0 || fflush(stdout))
		fprintf(stderr, "picket lint: cannot write the report\n");
	else
		rc = 0;
	if (rc == 0) {
		for (unsigned i = 0; i < rep.n; i++)
			if ((int)rep.v[i].sev >= a.fail_on)
				rc = 1;
		if (a.stats)
			pk_lint_print_stats(&rep, stderr);
		if (rep.stats.inconsistent && !a.lo.debug)
			fprintf(stderr, "picket lint: %lu findings withheld: the engine disagrees with their witness "
				"(an internal inconsistency; --debug shows them)\n", rep.stats.inconsistent);
	}
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
	return rc;
}
