/* tests/support/front_support.c: see front_support.h. */
#include "tests/support/front_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"

struct pk_ir_ruleset *pk_test_load(const char *text, struct pk_diags *d)
{
	struct pk_ir_ruleset *rs = NULL;
	pk_diags_init(d);
	pk_frontend_load_string("t.conf", text, strlen(text), NULL, d, &rs);
	return rs;
}

struct pk_ir_ruleset *pk_test_load_ok(const char *text)
{
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_test_load(text, &d);
	if (!rs) {
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
		fail_msg("the rules do not load:\n%s", text);
	}
	pk_diags_free(&d);
	return rs;
}

char *pk_test_print_rs(const struct pk_ir_ruleset *rs, unsigned flags)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pk_print_ruleset(f, rs, flags);
	fclose(f);
	return buf;
}

char *pk_test_print(const char *text, unsigned flags)
{
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_test_load(text, &d);
	char *out = rs ? pk_test_print_rs(rs, flags) : NULL;
	if (!rs)
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	return out;
}

char *pk_test_diags(const char *text)
{
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_test_load(text, &d);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	pk_diags_print(&d, f, PK_COLOR_NEVER);
	fclose(f);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	return buf;
}

void pk_test_expect_print(const char *text, const char *want)
{
	char *got = pk_test_print(text, 0);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

void pk_test_expect_print_stable(const char *text, unsigned flags, const char *want)
{
	char *got = pk_test_print(text, flags);
	assert_non_null(got);
	assert_string_equal(got, want);
	char *again = pk_test_print(got, flags);
	assert_non_null(again);
	assert_string_equal(again, want);
	free(again);
	free(got);
}

void pk_test_expect_diag(const char *text, const char *fragment)
{
	char *got = pk_test_diags(text);
	if (!strstr(got, fragment))
		fail_msg("expected '%s' in:\n%s", fragment, got);
	free(got);
}

void pk_test_expect_no_diag(const char *text, const char *fragment)
{
	char *got = pk_test_diags(text);
	if (strstr(got, fragment))
		fail_msg("unexpected '%s' in:\n%s", fragment, got);
	free(got);
}
