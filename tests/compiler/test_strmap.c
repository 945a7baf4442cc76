/* tests/compiler/test_strmap.c: the front end's name table (compiler/strmap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "compiler/strmap.h"
#include "tests/support/testmain.h"

static void test_every_key_is_found_after_the_table_grows(void **state)
{
	static char keys[1000][8];
	struct pk_strmap m = {0};
	uint32_t v;
	(void)state;
	for (uint32_t i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%u", i);
		pk_strmap_put(&m, keys[i], i * 3);
	}
	assert_int_equal(m.n, 1000);
	for (uint32_t i = 0; i < 1000; i++) {
		assert_true(pk_strmap_get(&m, keys[i], &v));
		assert_int_equal(v, i * 3);
	}
	assert_false(pk_strmap_get(&m, "k1000", &v));
	pk_strmap_free(&m);
}

static void test_putting_a_key_again_replaces_its_value(void **state)
{
	struct pk_strmap m = {0};
	uint32_t v = 7;
	(void)state;
	assert_false(pk_strmap_get(&m, "lan", &v));
	assert_int_equal(v, 7);
	pk_strmap_put(&m, "lan", 1);
	pk_strmap_put(&m, "lan", 2);
	assert_int_equal(m.n, 1);
	assert_true(pk_strmap_get(&m, "lan", &v));
	assert_int_equal(v, 2);
	pk_strmap_free(&m);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_every_key_is_found_after_the_table_grows),
	cmocka_unit_test(test_putting_a_key_again_replaces_its_value),
)
