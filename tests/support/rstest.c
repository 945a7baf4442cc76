/* tests/support/rstest.c: see rstest.h. */
#include "tests/support/rstest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "tests/support/pkbtest.h"

struct pk_rs *pk_test_rules(const char *text)
{
	struct pk_frontend_opts o = {0};
	struct pk_ir_ruleset *ir = NULL;
	struct pk_diags d;
	struct pk_rs *rs;

	pk_diags_init(&d);
	if (pk_frontend_load_string("test.conf", text, strlen(text), &o, &d, &ir)) {
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
		abort();
	}
	rs = pk_test_load_rs(ir);
	pk_ir_ruleset_free(ir);
	pk_diags_free(&d);
	return rs;
}
