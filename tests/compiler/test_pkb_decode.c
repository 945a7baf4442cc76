/*
 * tests/compiler/test_pkb_decode.c: the encoder is deterministic, and a
 * loaded file decodes back to IR that encodes to the same bytes (all but
 * the source hash and the checksum: source texts are not in the file), so
 * nothing the printer reads is lost on the way through a .pkb.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/pkb_decode.h"
#include "runtime/pkb_format.h"
#include "tests/support/pkbtest.h"
#include "tests/support/rulegen.h"

static void blank_provenance(uint8_t *buf)
{
	memset(buf + offsetof(struct pkb_header, checksum), 0, 32);
	memset(buf + offsetof(struct pkb_header, source_sha256), 0, 32);
}

static void test_encoding_twice_gives_identical_bytes(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 5; seed++) {
		struct pk_rulegen_opts o = {.seed = seed, .nrules = 500, .ntables = 3, .legacy = true, .quick_pct = 30};
		struct pk_ir_ruleset *a = pk_rulegen(&o), *b = pk_rulegen(&o);
		uint8_t *x, *y;
		size_t nx, ny;
		pk_test_encode(a, &x, &nx);
		pk_test_encode(b, &y, &ny);
		assert_int_equal(nx, ny);
		assert_memory_equal(x, y, nx);
		free(x);
		free(y);
		pk_rulegen_free(a);
		pk_rulegen_free(b);
	}
}

static void test_decoded_ir_encodes_to_the_same_bytes(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 20; seed++) {
		struct pk_rulegen_opts o = {.seed = seed, .nrules = 10 * (uint32_t)seed, .ntables = (uint32_t)seed % 4,
					    .legacy = true, .quick_pct = 30};
		struct pk_ir_ruleset *ir = pk_rulegen(&o), *back;
		uint8_t *x, *y;
		size_t nx, ny;
		struct pk_rs *rs;
		struct pk_rs_err err;
		struct pk_diags d;
		pk_diags_init(&d);
		pk_test_encode(ir, &x, &nx);
		assert_int_equal(pk_rs_load(x, nx, &rs, &err), 0);
		assert_int_equal(pk_pkb_decode(rs, &back, &d), 0);
		assert_int_equal(back->nrules, ir->nrules);
		for (uint32_t i = 0; i < ir->nrules; i++) {
			assert_int_equal(back->rules[i].loc.line, ir->rules[i].loc.line);
			assert_string_equal(back->rules[i].loc.file, ir->rules[i].loc.file);
			if (ir->rules[i].label)
				assert_string_equal(back->rules[i].label, ir->rules[i].label);
		}
		pk_test_encode(back, &y, &ny);
		assert_int_equal(nx, ny);
		blank_provenance(x);
		blank_provenance(y);
		assert_memory_equal(x, y, nx);
		free(x);
		free(y);
		pk_rs_free(rs);
		pk_arena_free(back->arena);
		pk_rulegen_free(ir);
		pk_diags_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoding_twice_gives_identical_bytes),
		cmocka_unit_test(test_decoded_ir_encodes_to_the_same_bytes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
