/*
 * tests/verify/test_golden.c: the golden suite: every rule file in
 * tests/verify/golden/ is linted and its findings must be exactly those in
 * the .expected file beside it (one line per finding: line:column,
 * severity, id, the lines of the related rules, and the witness with
 * what happens to it). Files whose .expected is empty must produce nothing.
 * A first line `# lint: --enable ID` or `--disable ID` sets options.
 * PICKET_GOLDEN_UPDATE=1 rewrites the .expected files (review the diff).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/frontend.h"
#include "tests/support/golden.h"
#include "tests/support/testmain.h"
#include "verify/lint.h"

#define GOLDEN_DIR "tests/verify/golden"

static void options_from_header(const char *path, struct pk_lint_opts *o)
{
	pk_lint_opts_default(o);
	o->mem_bytes = 8ULL << 30; /* findings must not depend on the machine */
	FILE *f = fopen(path, "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f) && line[0] == '#') {
		char *save = NULL;
		const char *w = strtok_r(line, " \t\n", &save);
		if (!w || strcmp(w, "#") || !(w = strtok_r(NULL, " \t\n", &save)) || strcmp(w, "lint:"))
			continue;
		while ((w = strtok_r(NULL, " \t\n", &save))) {
			const char *id = strtok_r(NULL, " \t\n", &save);
			const int k = id ? pk_lint_id_find(id) : -1;
			assert_true(k >= 0);
			o->enabled[k] = !strcmp(w, "--enable");
		}
	}
	if (f)
		fclose(f);
}

static void render(const struct pk_lint_report *rep, char *out, size_t size)
{
	size_t n = 0;
	out[0] = 0;
	for (unsigned i = 0; i < rep->n && n < size; i++) {
		const struct pk_lint_finding *f = &rep->v[i];
		n += (size_t)snprintf(out + n, size - n, "%u:%u %s %s", f->loc.line, f->loc.col,
				      pk_severity_name(f->sev), pk_lint_id_name(f->id));
		for (unsigned k = 0; k < f->nrelated && n < size; k++)
			n += (size_t)snprintf(out + n, size - n, "%s%u", k ? "," : " related=", f->related[k].loc.line);
		char w[512] = "";
		if (f->has_witness)
			pk_vpkt_format(&f->witness, w, sizeof(w));
		if (n < size)
			n += (size_t)snprintf(out + n, size - n, "%s%s%s%s%s\n", f->has_witness ? " witness: " : "", w,
					      f->witness_note ? " (" : "", f->witness_note ? f->witness_note : "",
					      f->witness_note ? ")" : "");
	}
}

/* How many files the suite read, how many had no finding, and the findings. */
struct tally {
	unsigned files, clean, findings;
};

static void check_one(const char *path, const char *conf, void *ctx)
{
	struct tally *t = ctx;
	char expected_path[512];
	snprintf(expected_path, sizeof(expected_path), GOLDEN_DIR "/%.*s.expected", (int)(strlen(conf) - 5), conf);
	struct pk_lint_opts o;
	options_from_header(path, &o);
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_ir_ruleset *rs;
	if (pk_frontend_load(path, &(struct pk_frontend_opts){0}, &d, &rs) < 0) {
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
		fail_msg("%s does not load", path);
	}
	pk_diags_free(&d);
	struct pk_lint_report rep;
	pk_lint_report_init(&rep);
	o.debug = stderr;
	assert_int_equal(pk_lint_run(rs, &o, &rep), 0);
	/* every witness was replayed in the engine and met its finding, but in
	 * a ruleset with rules the runtime does not hold (unsupported) */
	bool runnable = true;
	for (uint32_t r = 0; r < rs->nrules; r++)
		runnable &= !rs->rules[r].unsupported;
	if (rep.stats.inconsistent || (runnable && rep.stats.unchecked))
		fail_msg("%s: %lu findings withheld, %lu witnesses unchecked", path, rep.stats.inconsistent,
			 rep.stats.unchecked);
	static char got[1 << 16];
	render(&rep, got, sizeof(got));
	t->files++;
	t->clean += rep.n == 0;
	t->findings += rep.n;
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
	pk_test_golden(expected_path, got);
}

static void test_golden_rule_files_give_exactly_the_expected_findings(void **state)
{
	(void)state;
	struct tally t = {0, 0, 0};
	pk_test_each_file(GOLDEN_DIR, ".conf", check_one, &t);
	print_message("%u golden files (%u clean), %u findings\n", t.files, t.clean, t.findings);
	assert_true(t.files >= 10 && t.clean >= 3);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_golden_rule_files_give_exactly_the_expected_findings),
)
