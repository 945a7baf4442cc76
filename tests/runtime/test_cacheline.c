/*
 * tests/runtime/test_cacheline.c: pk_line_calloc's arrays start on a cache
 * line, read as zeros, hold what is written to every byte, and a size that
 * overflows is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/cacheline.h"
#include "tests/support/testmain.h"

static void test_arrays_start_on_a_line_and_read_as_zeros(void **state)
{
	(void)state;
	/* sizes that leave calloc's own start anywhere on a line */
	for (size_t size = 1; size <= 200; size += 13) {
		uint8_t *p = pk_line_calloc(37, size);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % PK_CACHE_LINE, 0);
		for (size_t i = 0; i < 37 * size; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xa5, 37 * size); /* every byte is the caller's (ASan checks the bounds) */
		pk_line_free(p);
	}
}

static void test_an_overflowing_size_is_refused(void **state)
{
	(void)state;
	assert_null(pk_line_calloc(SIZE_MAX / 8, 16));
	assert_null(pk_line_calloc(2, SIZE_MAX - 16));
	pk_line_free(NULL);
}

PK_TEST_MAIN(cmocka_unit_test(test_arrays_start_on_a_line_and_read_as_zeros),
	     cmocka_unit_test(test_an_overflowing_size_is_refused))
