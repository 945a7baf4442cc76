/*
 * tests/compiler/test_golden.c: golden files beside this test.
 *
 *   golden/NAME-ok.conf   must load; `print -n` must equal golden/NAME-ok.out
 *   golden/NAME-err.conf  must fail; its diagnostics must equal NAME-err.diag
 *
 * Run from the repository root. PICKET_GOLDEN_UPDATE=1 rewrites the
 * expected files from the current output (review the diff before committing).
 */
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
#include "tests/support/golden.h"
#include "tests/support/testmain.h"

#define GOLDEN "tests/compiler/golden"

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

/* What the inputs of one kind must do: load or fail, and the ending of
 * the golden file beside each that holds its output. */
struct kind {
	bool ok;
	const char *ext;
};

static void check(const char *conf, const char *name, void *ctx)
{
	const struct kind *k = ctx;
	char expect[512];
	bool ok;
	char *got = run(conf, &ok);

	if (ok != k->ok)
		fail_msg("%s should %s:\n%s", conf, k->ok ? "load" : "fail", got);
	snprintf(expect, sizeof(expect), GOLDEN "/%.*s%s", (int)(strlen(name) - 5), name, k->ext);
	pk_test_golden(expect, got);
	free(got);
}

static void run_all(const char *suffix, bool want_ok, const char *ext)
{
	struct kind k = {want_ok, ext};

	assert_true(pk_test_each_file(GOLDEN, suffix, check, &k) > 0);
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
