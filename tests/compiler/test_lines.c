/* tests/compiler/test_lines.c: line N of a text (compiler/lines.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/lines.h"
#include "tests/support/testmain.h"

/* Line n of text reads want; NULL: text has no line n. */
static void expect_line(const char *text, uint32_t n, const char *want)
{
	struct pk_lines ix;
	size_t len = 0;
	assert_true(pk_lines_index(&ix, text, strlen(text)));
	const char *l = pk_lines_get(&ix, n, &len);
	if (want) {
		assert_non_null(l);
		assert_int_equal(len, strlen(want));
		assert_memory_equal(l, want, len);
	} else {
		assert_null(l);
	}
	pk_lines_free(&ix);
}

static void test_crlf_file_gives_the_line_without_cr(void **state)
{
	(void)state;
	expect_line("pass in all\r\nblock out all\r\n", 1, "pass in all");
	expect_line("pass in all\r\nblock out all\r\n", 2, "block out all");
	expect_line("a\rb\r\n", 1, "a\rb"); /* a lone \r inside a line stays */
}

static void test_last_line_needs_no_newline_and_past_it_there_is_none(void **state)
{
	(void)state;
	expect_line("one\n\nthree", 2, "");
	expect_line("one\n\nthree", 3, "three");
	expect_line("one\n\nthree", 0, NULL);
	expect_line("one\n\nthree", 4, NULL);
	expect_line("one\n", 2, "");
}

/* The index goes by the length given, not by a NUL: a NUL inside a line
 * stays in it, and every byte up to the length is indexed. */
static void test_a_nul_inside_the_text_is_part_of_its_line(void **state)
{
	(void)state;
	static const char text[] = "a\0b\nc\0\n\nd";
	struct pk_lines ix;
	size_t len = 0;
	assert_true(pk_lines_index(&ix, text, sizeof text - 1));
	assert_int_equal(ix.n, 4);
	const char *l = pk_lines_get(&ix, 1, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(l, "a\0b", 3);
	l = pk_lines_get(&ix, 2, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(l, "c\0", 2);
	l = pk_lines_get(&ix, 4, &len);
	assert_int_equal(len, 1);
	assert_memory_equal(l, "d", 1);
	assert_int_equal(ix.start[ix.n], sizeof text); /* the end sentinel: the length plus one */
	pk_lines_free(&ix);
}

static void test_an_empty_text_is_one_empty_line(void **state)
{
	(void)state;
	struct pk_lines ix;
	size_t len = 1;
	assert_true(pk_lines_index(&ix, "", 0));
	assert_int_equal(ix.n, 1);
	assert_non_null(pk_lines_get(&ix, 1, &len));
	assert_int_equal(len, 0);
	assert_null(pk_lines_get(&ix, 2, &len));
	pk_lines_free(&ix);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_crlf_file_gives_the_line_without_cr),
	cmocka_unit_test(test_last_line_needs_no_newline_and_past_it_there_is_none),
	cmocka_unit_test(test_a_nul_inside_the_text_is_part_of_its_line),
	cmocka_unit_test(test_an_empty_text_is_one_empty_line),
)
