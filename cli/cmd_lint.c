/* cli/cmd_lint.c: `picket lint RULES`: the linter, for people and for CI. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/irload.h"
#include "cli/lint_html.h"
#include "cli/version.h"
#include "runtime/afile.h"
#include "runtime/infile.h"
#include "verify/lint_out.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: picket lint [OPTIONS] RULES\n"
		"  --format text|json|sarif|html\n"
		"                             output format (default text; html: a page to read)\n"
		"  -o, --output FILE          write the report to FILE (whole, or not at all) instead of standard output\n"
		"  --fail-on error|warning|info|never\n"
		"                             exit 1 when a finding at or above this is found (default warning)\n"
		"  --enable ID, --disable ID  turn a check on or off (--list shows them)\n"
		"  --list                     list the checks, their severity and default\n"
		"  --stats                    print rule pairs, pruned pairs and solver calls to stderr\n"
		"  --debug                    tell on stderr each finding withheld because the engine\n"
		"                             disagrees with its witness (an internal inconsistency)\n"
		"  --topology FILE, --root DIR, -D NAME=VALUE, --color auto|never|always\n"
		"Suppress one finding with a comment '# picket: ignore ID' on or above the rule.\n"
		"Progress is shown on standard error when it is a terminal.\n"
		"Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or input error\n"
		"(with --format sarif, the error is reported in SARIF too).\n");
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
	bool stats, html;
	const char *path;
	const char *output; /* --output FILE; NULL for standard output */
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
	static const char *const fmts[] = {"text", "json", "sarif", "html"};
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
	if ((!strcmp(w, "--output") || !strcmp(w, "-o")) && *v) {
		a->output = strcmp(v, "-") ? v : NULL;
		++*i;
		return 0;
	}
	if (!strcmp(w, "--format") && (k = pick(v, fmts, 4)) >= 0) {
		a->html = k == 3; /* the page is drawn here, not by verify/ */
		a->fmt = a->html ? PK_LINT_TEXT : (enum pk_lint_format)k;
	}
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

/* "lint: 12000/100000 rules" on a terminal, rewritten in place once a
 * second; nothing for a run that ends within the first second. */
struct progress {
	time_t start, last;
	bool shown;
};

static void show_progress(void *arg, uint32_t done, uint32_t total)
{
	struct progress *p = arg;
	const time_t now = time(NULL);
	if (done < total && (now == p->last || now == p->start))
		return;
	if (done == total && !p->shown)
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\rlint: %u/%u rules%s", done, total, done == total ? "\n" : "");
}

/* The rules, or the errors that stop lint (also in d, for SARIF): the
 * front end's, or a ruleset larger than lint takes. */
static int load(const struct lint_args *a, struct pk_diags *d, struct pk_ir_ruleset **rs)
{
	const int rc = pk_frontend_load(a->path, &a->ir.fo, d, rs);
	pk_diags_print(d, stderr, a->ir.color);
	if (rc < 0)
		return -1;
	if ((*rs)->nrules <= PK_LINT_MAX_RULES)
		return 0;
	const struct pk_loc here = {.file = pk_infile_name(a->path)};
	pk_error(d, &here, "%u rules, more than the %u lint compares (pair by pair)", (*rs)->nrules, PK_LINT_MAX_RULES);
	fprintf(stderr, "picket lint: %s: %s\n", here.file, d->v[d->n - 1].msg);
	pk_ir_ruleset_free(*rs);
	*rs = NULL;
	return -1;
}

/* The report in memory is written to --output whole: a temporary file
 * beside it, renamed over it once complete. */
static int write_output(const char *path, const char *buf, size_t len)
{
	struct pk_afile f;
	if (pk_afile_open(&f, path, 0644) < 0) {
		fprintf(stderr, "picket lint: --output %s: cannot create a temporary file beside it: %s\n", path,
			strerror(errno));
		return -1;
	}
	if (pk_write_all(f.fd, buf, len) < 0) {
		fprintf(stderr, "picket lint: --output %s: cannot write it: %s\n", path, strerror(errno));
		pk_afile_abort(&f);
		return -1;
	}
	if (pk_afile_commit(&f) < 0) {
		fprintf(stderr, "picket lint: --output %s: cannot put it in place: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Where the report is printed: standard output, or memory bound for --output. */
struct sink {
	FILE *f;
	char *buf;
	size_t len;
};

/* --output names no file the rules were read from. */
static bool output_allowed(const struct lint_args *a)
{
	struct pk_err err;
	if (!a->output || !pk_infile_not_input(a->output, &err))
		return true;
	fprintf(stderr, "picket lint: --output %s: %s\n", a->output, err.msg);
	return false;
}

static int sink_open(const struct lint_args *a, struct sink *s)
{
	s->buf = NULL;
	s->len = 0;
	if (!output_allowed(a))
		return -1;
	s->f = a->output ? open_memstream(&s->buf, &s->len) : stdout;
	if (!s->f)
		fprintf(stderr, "picket lint: cannot hold the report in memory: %s\n", strerror(errno));
	return s->f ? 0 : -1;
}

/* Flushes the report where it goes; 0, or -1 after saying why not. */
static int sink_close(const struct lint_args *a, struct sink *s, bool ok)
{
	if (!a->output) {
		if (ok && !fflush(stdout))
			return 0;
		fprintf(stderr, "picket lint: cannot write the report\n");
		return -1;
	}
	const bool closed = fclose(s->f) == 0;
	const int rc = ok && closed ? write_output(a->output, s->buf, s->len) : -1;
	if (!(ok && closed))
		fprintf(stderr, "picket lint: cannot write the report\n");
	free(s->buf);
	return rc;
}

/* After an input error: SARIF says so too, for the tools that read only it. */
static void report_failure(const struct lint_args *a, const struct pk_diags *d)
{
	struct sink s;
	if (a->fmt != PK_LINT_SARIF || sink_open(a, &s) < 0)
		return;
	sink_close(a, &s, pk_lint_print_failure(d, s.f, PK_VERSION) == 0);
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
	a.ir.unsupported_ok = true;
	pk_lint_opts_default(&a.lo);
	if (parse_args(&a, argc, argv) < 0) {
		usage(stderr);
		return 2;
	}
	struct pk_ir_ruleset *rs;
	struct pk_diags d;
	pk_diags_init(&d);
	const int loaded = load(&a, &d, &rs);
	if (loaded < 0)
		report_failure(&a, &d);
	pk_diags_free(&d);
	if (loaded < 0)
		return 2;
	if (!output_allowed(&a)) {
		pk_ir_ruleset_free(rs);
		return 2;
	}
	struct progress pr = {.start = time(NULL), .last = time(NULL)};
	if (isatty(STDERR_FILENO)) {
		a.lo.progress = show_progress;
		a.lo.progress_arg = &pr;
	}
	struct pk_lint_report rep;
	pk_lint_report_init(&rep);
	int rc = 2;
	struct sink s;
	if (pk_lint_run(rs, &a.lo, &rep) < 0)
		fprintf(stderr, "picket lint: the Z3 solver could not be started\n");
	else if (sink_open(&a, &s) == 0 &&
		 sink_close(&a, &s,
			    (a.html ? pk_lint_print_html(rs, &rep, s.f, pk_infile_name(a.path), PK_VERSION)
				    : pk_lint_print(rs, &rep, a.fmt, s.f, a.ir.color, PK_VERSION)) == 0) == 0)
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
