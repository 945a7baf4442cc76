/* tests/compiler/test_diag.c: the diagnostic sink's text and hints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/diag.h"
#include "tests/support/testmain.h"

static struct pk_diags d; /* the sink each test fills */

PK_TEST_FIXTURE(open_sink, pk_diags_init(&d))

PK_TEST_FIXTURE(close_sink, pk_diags_free(&d))

/* The sink's diagnostics as printed with colour c. */
static char *render(enum pk_diag_color c)
{
	static char buf[4096];
	memset(buf, 0, sizeof(buf));
	FILE *f = fmemopen(buf, sizeof(buf) - 1, "w");
	pk_diags_print(&d, f, c);
	fclose(f);
	return buf;
}

static void test_error_prints_location_line_and_caret_under_span(void **state)
{
	(void)state;
	const char *src = "nas = \"10.0.0.5\"\npass in to $nass port ssh\n";
	pk_diags_add_source(&d, "r.conf", src, strlen(src));
	struct pk_loc l = {"r.conf", 2, 12, 2, 16, NULL};
	pk_error(&d, &l, "unknown macro '%s'", "$nass");
	assert_string_equal(render(PK_COLOR_NEVER),
			    "r.conf:2:12: error: unknown macro '$nass'\n"
			    "    2 | pass in to $nass port ssh\n"
			    "      |            ^~~~~\n");
	assert_int_equal(d.nerrors, 1);
}

static void test_code_and_notes_are_printed_after_the_message(void **state)
{
	(void)state;
	struct pk_loc l = {"x.conf", 3, 1, 3, 5, NULL}, n = {"x.conf", 1, 1, 1, 1, NULL};
	struct pk_diag *g = pk_diag_add(&d, PK_SEV_WARNING, &l, "shadowed", "rule never matches");
	pk_diag_note(g, &n, "covering rule is here");
	assert_string_equal(render(PK_COLOR_NEVER), "x.conf:3:1: warning: rule never matches [shadowed]\n"
							"x.conf:1:1: note: covering rule is here\n");
	assert_int_equal(d.nwarnings, 1);
}

static void test_colour_only_when_forced_on_a_non_terminal(void **state)
{
	(void)state;
	struct pk_loc l = {"x.conf", 1, 1, 1, 1, NULL};
	pk_error(&d, &l, "boom");
	assert_null(strchr(render(PK_COLOR_AUTO), '\033'));
	assert_non_null(strchr(render(PK_COLOR_ALWAYS), '\033'));
}

static void test_tabs_in_the_source_line_keep_the_caret_aligned(void **state)
{
	(void)state;
	pk_diags_add_source(&d, "t.conf", "\tpass bad\n", 10);
	struct pk_loc l = {"t.conf", 1, 7, 1, 9, NULL};
	pk_error(&d, &l, "x");
	assert_non_null(strstr(render(PK_COLOR_NEVER), "      | \t     ^~~\n"));
}

static void test_did_you_mean_picks_the_closest_name_within_reach(void **state)
{
	(void)state;
	const char *c[] = {"lan_if", "wan_if", "nas"};
	assert_string_equal(pk_did_you_mean("nass", c, 3), "nas");
	assert_string_equal(pk_did_you_mean("lanif", c, 3), "lan_if");
	assert_null(pk_did_you_mean("completely_else", c, 3));
}

static void test_line_lookup_returns_the_line_without_newline(void **state)
{
	(void)state;
	pk_diags_add_source(&d, "a", "one\r\ntwo\nthree", 14);
	size_t len;
	const char *l = pk_diags_line(&d, "a", 3, &len);
	assert_int_equal(len, 5);
	assert_memory_equal(l, "three", 5);
	l = pk_diags_line(&d, "a", 1, &len);
	assert_int_equal(len, 3);
	assert_null(pk_diags_line(&d, "a", 9, &len));
	assert_null(pk_diags_line(&d, "b", 1, &len));
}

PK_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_error_prints_location_line_and_caret_under_span, open_sink, close_sink),
	cmocka_unit_test_setup_teardown(test_code_and_notes_are_printed_after_the_message, open_sink, close_sink),
	cmocka_unit_test_setup_teardown(test_colour_only_when_forced_on_a_non_terminal, open_sink, close_sink),
	cmocka_unit_test_setup_teardown(test_tabs_in_the_source_line_keep_the_caret_aligned, open_sink, close_sink),
	cmocka_unit_test(test_did_you_mean_picks_the_closest_name_within_reach),
	cmocka_unit_test_setup_teardown(test_line_lookup_returns_the_line_without_newline, open_sink, close_sink),
)
