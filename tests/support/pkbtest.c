/* tests/support/pkbtest.c: see pkbtest.h. */
#include "tests/support/pkbtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/encode.h"
#include "runtime/pkb_format.h"
#include "runtime/sha256.h"

void pk_test_encode(const struct pk_ir_ruleset *ir, uint8_t **buf, size_t *len)
{
	struct pk_diags d;
	pk_diags_init(&d);
	if (pk_encode(ir, buf, len, &d)) {
		fprintf(stderr, "pk_encode failed\n");
		abort();
	}
	pk_diags_free(&d);
}

struct pk_rs *pk_test_load_rs(const struct pk_ir_ruleset *ir)
{
	struct pk_rs *rs;
	struct pk_err err;
	uint8_t *buf;
	size_t len;

	pk_test_encode(ir, &buf, &len);
	if (pk_rs_load(buf, len, &rs, &err)) {
		fprintf(stderr, "pk_rs_load: %s\n", err.msg);
		abort();
	}
	free(buf);
	return rs;
}

void pk_test_fix_checksum(uint8_t *buf, size_t len)
{
	size_t at = offsetof(struct pkb_header, checksum);
	if (len < sizeof(struct pkb_header))
		return;
	memset(buf + at, 0, 32);
	uint8_t sum[32];
	pk_sha256(buf, len, sum);
	memcpy(buf + at, sum, 32);
}
