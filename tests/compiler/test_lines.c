/* tests/compiler/test_lines.c: line N of a text (compiler/lines.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/lines.h"

static void test_crlf_file_gives_the_line_without_cr(void **state)
{
	static const char text[] = "pass in all\r\nblock out all\r\n";
	struct pk_lines ix;
	size_t len;
	(void)state;
	assert_true(pk_lines_index(&ix, text, strlen(text)));
	const char *l = pk_lines_get(&ix, 2, &len);
	assert_int_equal(len, strlen("block out all"));
	assert_memory_equal(l, "block out all", len);
	l = pk_lines_get(&ix, 1, &len);
	assert_int_equal(len, strlen("pass in all"));
	assert_memory_equal(l, "pass in all", len);
	pk_lines_free(&ix);
}

static void test_last_line_counts_without_its_newline_and_past_it_is_null(void **state)
{
	static const char text[] = "one\n\nthree";
	struct pk_lines ix;
	size_t len;
	(void)state;
	assert_true(pk_lines_index(&ix, text, strlen(text)));
	assert_int_equal(ix.n, 3);
	assert_non_null(pk_lines_get(&ix, 2, &len));
	assert_int_equal(len, 0);
	const char *l = pk_lines_get(&ix, 3, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(l, "three", 5);
	assert_null(pk_lines_get(&ix, 0, &len));
	assert_null(pk_lines_get(&ix, 4, &len));
	pk_lines_free(&ix);
}

static void test_a_lone_cr_inside_a_line_stays(void **state)
{
	static const char text[] = "a\rb\r\n";
	struct pk_lines ix;
	size_t len;
	(void)state;
	assert_true(pk_lines_index(&ix, text, strlen(text)));
	const char *l = pk_lines_get(&ix, 1, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(l, "a\rb", 3);
	pk_lines_free(&ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crlf_file_gives_the_line_without_cr),
		cmocka_unit_test(test_last_line_counts_without_its_newline_and_past_it_is_null),
		cmocka_unit_test(test_a_lone_cr_inside_a_line_stays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
