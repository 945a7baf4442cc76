/* tests/support/front_support.c: see front_support.h. */
#include "tests/support/front_support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/print.h"

struct pk_ir_ruleset *pk_test_load(const char *text, struct pk_diags *d)
{
	struct pk_ir_ruleset *rs = NULL;
	pk_diags_init(d);
	pk_frontend_load_string("t.conf", text, strlen(text), NULL, d, &rs);
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
