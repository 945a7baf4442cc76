/*
 * tests/compiler/test_golden.c: golden files beside this test.
 *
 *   golden/NAME-ok.conf   must load; `print -n` must equal golden/NAME-ok.out
 *   golden/NAME-err.conf  must fail; its diagnostics must equal NAME-err.diag
 *
 * Run from the repository root. PICKET_GOLDEN_UPDATE=1 rewrites the
 * expected files from the current output (review the diff before committing).
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

#define GOLDEN "tests/compiler/golden"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	for (int c; (c = fgetc(f)) != EOF;)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void compare(const char *path, const char *got)
{
	if (getenv("PICKET_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	char *want = slurp(path);
	if (!want)
		fail_msg("missing %s (PICKET_GOLDEN_UPDATE=1 writes it)", path);
	if (strcmp(want, got))
		fail_msg("%s differs:\n--- want\n%s--- got\n%s", path, want, got);
	free(want);
}

/* Loads one golden input; returns the printed rules or the diagnostics. */
static char *run(const char *conf, bool *ok)
{
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_ir_ruleset *rs;
	*ok = pk_frontend_load(conf, NULL, &d, &rs) == 0;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (*ok)
		pk_print_ruleset(m, rs, PK_PRINT_NUMBERS);
	else
		pk_diags_print(&d, m, PK_COLOR_NEVER);
	fclose(m);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	return buf;
}

static void run_all(const char *suffix, bool want_ok, const char *ext)
{
	DIR *dir = opendir(GOLDEN);
	assert_non_null(dir);
	unsigned n = 0;
	for (struct dirent *e; (e = readdir(dir));) {
		size_t l = strlen(e->d_name), sl = strlen(suffix);
		if (l <= sl || strcmp(e->d_name + l - sl, suffix))
			continue;
		char conf[512], expect[512];
		snprintf(conf, sizeof(conf), GOLDEN "/%s", e->d_name);
		snprintf(expect, sizeof(expect), GOLDEN "/%.*s%s", (int)(l - 5), e->d_name, ext);
		bool ok;
		char *got = run(conf, &ok);
		if (ok != want_ok)
			fail_msg("%s should %s:\n%s", conf, want_ok ? "load" : "fail", got);
		compare(expect, got);
		free(got);
		n++;
	}
	closedir(dir);
	assert_true(n > 0);
}

static void test_golden_rulesets_print_as_expected(void **state)
{
	(void)state;
	run_all("-ok.conf", true, ".out");
}

static void test_golden_bad_rulesets_give_the_expected_diagnostics(void **state)
{
	(void)state;
	run_all("-err.conf", false, ".diag");
}

PK_TEST_MAIN(
	cmocka_unit_test(test_golden_rulesets_print_as_expected),
	cmocka_unit_test(test_golden_bad_rulesets_give_the_expected_diagnostics),
)
