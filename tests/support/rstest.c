/* tests/support/rstest.c: see rstest.h. */
#include "tests/support/rstest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/diag.h"
#include "compiler/encode.h"
#include "compiler/frontend.h"

struct pk_rs *pk_test_rules(const char *text)
{
	struct pk_frontend_opts o = {0};
	struct pk_ir_ruleset *ir = NULL;
	struct pk_diags d;
	struct pk_rs *rs = NULL;
	struct pk_err err;
	uint8_t *buf = NULL;
	size_t len = 0;

	pk_diags_init(&d);
	if (pk_frontend_load_string("test.conf", text, strlen(text), &o, &d, &ir) || pk_encode(ir, &buf, &len, &d)) {
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
		abort();
	}
	if (pk_rs_load(buf, len, &rs, &err)) {
		fprintf(stderr, "pk_rs_load: %s\n", err.msg);
		abort();
	}
	free(buf);
	pk_ir_ruleset_free(ir);
	pk_diags_free(&d);
	return rs;
}
