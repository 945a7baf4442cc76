/* tests/compiler/test_lexer.c: pfctl's reading of the characters of a file:
 * quoted strings spanning lines, backslashes inside and outside quotes,
 * macros holding lists inside other lists, tables naming interfaces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static void test_a_quoted_string_spans_lines_without_its_newlines(void **state)
{
	(void)state;
	pk_test_expect_print("ports = \"{ 22,\n  80 }\"\npass in proto tcp to port $ports\n",
			     "pass in proto tcp from any to any port = 22 flags S/SA\n"
			     "pass in proto tcp from any to any port = 80 flags S/SA\n");
	pk_test_expect_print("ports = \"{ 22, \\\n  80 }\"\npass in proto tcp to port $ports\n",
			     "pass in proto tcp from any to any port = 22 flags S/SA\n"
			     "pass in proto tcp from any to any port = 80 flags S/SA\n");
}

static void test_single_quotes_delimit_strings_too(void **state)
{
	(void)state;
	pk_test_expect_print("pass in label 'a \"b\" c'\n", "pass in all flags S/SA label \"a \\\"b\\\" c\"\n");
}

static void test_backslashes_in_quotes_escape_the_quote_and_blanks_only(void **state)
{
	(void)state;
	pk_test_expect_print("pass in label \"a\\\"b\\ c\\d\"\n", "pass in all flags S/SA label \"a\\\"b c\\d\"\n");
}

static void test_a_backslash_outside_quotes_stands_for_the_next_character(void **state)
{
	(void)state;
	/* before a blank it is a blank, before a comment the comment starts */
	pk_test_expect_print("block in all \\ # why\npass in \\ all\n", "block drop in all\npass in all flags S/SA\n");
}

static void test_a_macro_list_nests_inside_a_host_list(void **state)
{
	(void)state;
	pk_test_expect_print("admins = \"{ 10.0.0.1 10.0.0.2 }\"\ntable <users> { 10.9.0.0/16 }\n"
			     "pass in from { $admins, <users> } to 10.0.0.9\n",
			     "pass in inet from 10.0.0.1 to 10.0.0.9 flags S/SA\n"
			     "pass in inet from 10.0.0.2 to 10.0.0.9 flags S/SA\n"
			     "pass in inet from <users> to 10.0.0.9 flags S/SA\n");
}

static void test_a_table_takes_self_interfaces_and_their_dynamic_addresses(void **state)
{
	(void)state;
	char *got = pk_test_print("interface em0 address 192.0.2.1/24\ninterface em1 address 10.0.0.1/24\n"
				  "table <me> { self, em0, (em1), !127.0.0.1 }\npass in to <me>\n",
				  PK_PRINT_OPTIONS);
	assert_non_null(got);
	if (!strstr(got, "table <me> { 192.0.2.1, 10.0.0.1, 192.0.2.1, 10.0.0.1, !127.0.0.1 }"))
		fail_msg("table not expanded:\n%s", got);
	free(got);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_a_quoted_string_spans_lines_without_its_newlines),
	cmocka_unit_test(test_single_quotes_delimit_strings_too),
	cmocka_unit_test(test_backslashes_in_quotes_escape_the_quote_and_blanks_only),
	cmocka_unit_test(test_a_backslash_outside_quotes_stands_for_the_next_character),
	cmocka_unit_test(test_a_macro_list_nests_inside_a_host_list),
	cmocka_unit_test(test_a_table_takes_self_interfaces_and_their_dynamic_addresses),
)
