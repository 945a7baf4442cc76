/* tests/compiler/test_fragment.c: `set reassemble` and the `fragment`
 * rule option are parsed as pfctl parses them, resolved, printed back and
 * carried by a .pkb. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "runtime/pkb_format.h"
#include "tests/support/front_support.h"
#include "tests/support/pkbtest.h"
#include "tests/support/testmain.h"

static void test_the_last_set_reassemble_holds_and_is_printed(void **state)
{
	(void)state;
	pk_test_expect_print_stable("set reassemble yes no-df\npass\n", PK_PRINT_OPTIONS, "set reassemble yes no-df\npass all flags S/SA\n");
	pk_test_expect_print_stable("set reassemble yes no-df\nset reassemble no\n", PK_PRINT_OPTIONS, "set reassemble no\n");
	pk_test_expect_print_stable("set reassemble no no-df\n", PK_PRINT_OPTIONS, "set reassemble no no-df\n");
	struct pk_ir_ruleset *ir = pk_test_load_ok("set reassemble no\n");
	assert_true(ir->opts.reassemble_no);
	assert_false(ir->opts.reassemble_nodf);
	pk_ir_ruleset_free(ir);
	ir = pk_test_load_ok("pass\n");
	assert_false(ir->opts.reassemble_no || ir->opts.reassemble_set);
	pk_ir_ruleset_free(ir);
}

static void test_set_reassemble_takes_yes_or_no(void **state)
{
	(void)state;
	pk_test_expect_diag("set reassemble maybe\n", "error: invalid value 'maybe', expected 'yes' or 'no'");
	pk_test_expect_no_diag("set reassemble no\nset reassemble yes no-df\n", "unsupported");
}

static void test_set_reassemble_survives_a_pkb(void **state)
{
	(void)state;
	struct pk_ir_ruleset *ir = pk_test_load_ok("set reassemble no no-df\npass\n");
	struct pk_rs *rs = pk_test_load_rs(ir);
	const struct pk_rs_options *o = pk_rs_options(rs);
	assert_int_equal(o->reassemble, PK_REASS_NODF);
	pk_rs_free(rs);
	pk_ir_ruleset_free(ir);
	ir = pk_test_load_ok("pass\n");
	rs = pk_test_load_rs(ir);
	assert_int_equal(pk_rs_options(rs)->reassemble, PK_REASS_ON);
	pk_rs_free(rs);
	pk_ir_ruleset_free(ir);
}

/* pfctl: no default `flags S/SA` on a fragment rule; printed after the state */
static void test_fragment_rules_get_no_default_flags(void **state)
{
	(void)state;
	pk_test_expect_print_stable("pass in proto tcp fragment tos 0x08 label blah\n", 0,
		     "pass in proto tcp all tos 0x08 fragment label \"blah\"\n");
	pk_test_expect_print_stable("block in inet fragment\n", 0, "block drop in inet all fragment\n");
	struct pk_ir_ruleset *ir = pk_test_load_ok("pass in proto tcp fragment\n");
	assert_true(ir->rules[0].fragment);
	assert_int_equal(ir->rules[0].flagmask, 0);
	struct pk_rs *rs = pk_test_load_rs(ir);
	assert_non_null(rs);
	pk_rs_free(rs);
	pk_ir_ruleset_free(ir);
}

static void test_fragment_rules_match_only_ip_header_fields(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in proto tcp to port 80 fragment\n",
			    "error: fragments can be filtered only on IP header fields");
	pk_test_expect_diag("pass in proto tcp fragment flags S/SA\n",
			    "error: fragments can be filtered only on IP header fields");
	pk_test_expect_diag("pass in inet proto icmp icmp-type echoreq fragment\n",
			    "error: fragments can be filtered only on IP header fields");
}

/* an anchor's criteria `fragment` make its rules fragment rules; a rule
 * there with ports can never match */
static void test_a_fragment_anchor_keeps_its_rules_for_fragments(void **state)
{
	(void)state;
	struct pk_ir_ruleset *ir = pk_test_load_ok("anchor \"f\" in fragment {\n pass proto udp\n"
						   " pass proto tcp to port 80\n}\n");
	assert_int_equal(ir->nrules, 1);
	assert_true(ir->rules[0].fragment);
	pk_ir_ruleset_free(ir);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_the_last_set_reassemble_holds_and_is_printed),
	cmocka_unit_test(test_set_reassemble_takes_yes_or_no),
	cmocka_unit_test(test_set_reassemble_survives_a_pkb),
	cmocka_unit_test(test_fragment_rules_get_no_default_flags),
	cmocka_unit_test(test_fragment_rules_match_only_ip_header_fields),
	cmocka_unit_test(test_a_fragment_anchor_keeps_its_rules_for_fragments),
)
