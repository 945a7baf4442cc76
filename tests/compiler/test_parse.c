/* tests/compiler/test_parse.c: the scanner and grammar, seen through the
 * resolved rules they produce. */
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

static void test_comments_and_line_continuation_are_ignored(void **state)
{
	(void)state;
	pk_test_expect_print("# a comment\npass in \\\n  proto udp all # trailing\n", "pass in proto udp all\n");
}

static void test_nested_macros_expand_inside_words_and_lists(void **state)
{
	(void)state;
	pk_test_expect_print(
		"a = \"udp\"\nb = \"proto $a\"\nports = \"{ 53, 123 }\"\npass in $b to any port $ports\n",
		"pass in proto udp from any to any port = 53\npass in proto udp from any to any port = 123\n");
	pk_test_expect_print("interface lan0 address 10.1.0.1/16\nif = \"lan0\"\nblock in from $if:network\n",
			     "block drop in inet from 10.1.0.0/16 to any\n");
}

static void test_unknown_macro_is_an_error_with_a_suggestion(void **state)
{
	(void)state;
	pk_test_expect_diag("nas = \"10.0.0.5\"\npass in to $nass\n",
			    "t.conf:2:12: error: unknown macro '$nass' (did you mean '$nas'?)");
}

static void test_lists_expand_in_pfctl_order_with_optional_commas(void **state)
{
	(void)state;
	pk_test_expect_print("block in proto { tcp udp } from { 10.0.0.1, 10.0.0.2 } port { 1 2 } to 10.0.0.9\n",
			     "block drop in inet proto tcp from 10.0.0.1 port = 1 to 10.0.0.9\n"
			     "block drop in inet proto tcp from 10.0.0.1 port = 2 to 10.0.0.9\n"
			     "block drop in inet proto tcp from 10.0.0.2 port = 1 to 10.0.0.9\n"
			     "block drop in inet proto tcp from 10.0.0.2 port = 2 to 10.0.0.9\n"
			     "block drop in inet proto udp from 10.0.0.1 port = 1 to 10.0.0.9\n"
			     "block drop in inet proto udp from 10.0.0.1 port = 2 to 10.0.0.9\n"
			     "block drop in inet proto udp from 10.0.0.2 port = 1 to 10.0.0.9\n"
			     "block drop in inet proto udp from 10.0.0.2 port = 2 to 10.0.0.9\n");
}

static void test_port_operators_and_service_names(void **state)
{
	(void)state;
	pk_test_expect_print(
		"pass in proto tcp to port { auth, != 22, < 3, <= 4, > 5, >= 6, 7:8, 9 >< 10, 11 <> 12 } no state\n",
		"pass in proto tcp from any to any port = 113 no state\n"
		"pass in proto tcp from any to any port != 22 no state\n"
		"pass in proto tcp from any to any port < 3 no state\n"
		"pass in proto tcp from any to any port <= 4 no state\n"
		"pass in proto tcp from any to any port > 5 no state\n"
		"pass in proto tcp from any to any port >= 6 no state\n"
		"pass in proto tcp from any to any port 7:8 no state\n"
		"pass in proto tcp from any to any port 9 >< 10 no state\n"
		"pass in proto tcp from any to any port 11 <> 12 no state\n");
}

static void test_addresses_ranges_tables_and_negation(void **state)
{
	(void)state;
	pk_test_expect_print("table <bad> persist { 1.2.3.4, !1.2.3.5, 10/8 }\n"
			     "block in from { <bad>, ! 10.0.0.0/8, 1.1.1.1 - 1.1.1.9, no-route, urpf-failed } to any\n",
			     "block drop in from <bad> to any\n"
			     "block drop in inet from ! 10.0.0.0/8 to any\n"
			     "block drop in inet from 1.1.1.1 - 1.1.1.9 to any\n"
			     "block drop in from no-route to any\n"
			     "block drop in from urpf-failed to any\n");
}

static void test_state_options_and_translation_print_back(void **state)
{
	(void)state;
	pk_test_expect_print("pass in on em0 proto tcp to 10.0.0.1 port 80 synproxy state (max 100, source-track rule, "
			     "max-src-conn-rate 5/10, tcp.established 60) label \"web\" tag WEB\n",
			     "pass in on em0 inet proto tcp from any to 10.0.0.1 port = 80 flags S/SA synproxy state "
			     "(max 100, source-track rule, max-src-conn-rate 5/10, tcp.established 60, "
			     "adaptive.start 60, adaptive.end 120, src.track 10) label \"web\" tag WEB\n");
	pk_test_expect_print("match out on em0 inet from 10.0.0.0/8 nat-to 192.0.2.1 static-port\n",
			     "match out on em0 inet from 10.0.0.0/8 to any nat-to 192.0.2.1 static-port\n");
}

static void test_old_translation_and_scrub_rules_are_accepted(void **state)
{
	(void)state;
	pk_test_expect_print("nat on em0 from 10.0.0.0/8 to any -> 192.0.2.1\n"
			     "rdr on em0 proto tcp from any to 192.0.2.1 port 80 -> 10.0.0.5 port 8080\n"
			     "scrub in all fragment reassemble\n",
			     "nat on em0 inet from 10.0.0.0/8 to any -> 192.0.2.1\n"
			     "rdr on em0 inet proto tcp from any to 192.0.2.1 port = 80 -> 10.0.0.5 port 8080\n"
			     "scrub in all fragment reassemble\n");
}

static void test_unsupported_features_are_reported_at_their_location(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in all\npass in max-pkt-rate 100/10\n",
			    "t.conf:2:9: warning: unsupported: max-pkt-rate [unsupported]");
	pk_test_expect_diag("pass in on em0 from any os \"Windows\"\n", "warning: unsupported: os fingerprints");
	pk_test_expect_no_diag("pass in max-pkt-rate {\n 100/10\n}\npass all\n", "syntax error");
}

static void test_every_syntax_error_of_a_file_is_reported(void **state)
{
	const char *text = "pass in junk\npass out\nblock ( in\npass in on\n";

	(void)state;
	pk_test_expect_diag(text, "t.conf:1:9: error: syntax error");
	pk_test_expect_diag(text, "t.conf:3:7: error: syntax error");
	pk_test_expect_diag(text, "t.conf:4:11: error: syntax error");
	pk_test_expect_no_diag(text, "t.conf:2:");
}

static void test_scanner_edge_cases_are_errors_not_crashes(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in label \"open\n",
			    "t.conf:1:15: error: syntax error: unexpected unterminated string");
	pk_test_expect_diag("pass in all\001\n", "t.conf:1:12: error: syntax error: unexpected stray character");
	pk_test_expect_diag("a = \"$a $a\"\npass on $a\n", "macros or includes nested too deeply");
	pk_test_expect_diag("b = \"$b$b\"\npass on $b\n", "macro expansion too large");
	pk_test_expect_diag("include \"/nonexistent/x.conf\"\n", "cannot read included file '/nonexistent/x.conf'");
	pk_test_expect_diag("include \"/dev/zero\"\n", "cannot read included file '/dev/zero'");
	pk_test_expect_print("include \"/dev/null\"\npass all no state\n", "pass all no state\n");
	pk_test_expect_diag("pass in label $(x)\n", "'$' must start a macro name");
	/* a quoted $ is text, and a comment ending in \\ goes on */
	pk_test_expect_print("pass in all label \"$x\" # note \\\npass out all\n",
			     "pass in all flags S/SA label \"$x\"\n");
}

static void test_misspelt_keywords_get_a_suggestion(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in proto tcp form any\n", "'form' is not a keyword: did you mean 'from'?");
	pk_test_expect_diag("blok in all\n",
			    "t.conf:1:6: error: syntax error: unexpected in, expecting '=' ('blok' is not a keyword: "
			    "did you mean 'block'?)");
}

static void test_set_options_are_recorded(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs =
		pk_test_load_ok("set optimization aggressive\nset timeout { tcp.first 7, interval 5 }\n"
				"set limit { states 1000, frags 10 }\nset block-policy return\n"
				"set state-policy floating\nset skip on { lo0 lo1 }\nset hostid 7\n"
				"block all\n");
	assert_int_equal(rs->opts.optimization, PK_OPT_AGGRESSIVE);
	assert_int_equal(rs->opts.timeouts[PK_TMO_TCP_FIRST], 7);
	assert_int_equal(rs->opts.timeouts[PK_TMO_TCP_ESTABLISHED], 18000);
	assert_int_equal(rs->opts.timeouts[PK_TMO_INTERVAL], 5);
	assert_int_equal(rs->opts.limits[PK_LIMIT_STATES], 1000);
	assert_int_equal(rs->opts.limits[PK_LIMIT_TABLE_ENTRIES], PK_DEFAULT_LIMIT_TABLE_ENTRIES);
	assert_int_equal(rs->opts.timeouts[PK_TMO_ADAPTIVE_START], 600);
	assert_int_equal(rs->opts.timeouts[PK_TMO_ADAPTIVE_END], 1200);
	assert_int_equal(rs->opts.state_policy, PK_POLICY_FLOATING);
	assert_int_equal(rs->opts.nskip, 2);
	assert_int_equal(rs->opts.hostid, 7);
	assert_int_equal(rs->rules[0].block, PK_BLOCK_RETURN);
	assert_false(rs->rules[0].explicit_block);
	pk_ir_ruleset_free(rs);
}

static void test_include_reads_a_file_relative_to_the_includer(void **state)
{
	(void)state;
	char dir[] = "/tmp/picket-incXXXXXX";
	assert_non_null(mkdtemp(dir));
	char inc[64], main_[64];
	snprintf(inc, sizeof(inc), "%s/inc.conf", dir);
	snprintf(main_, sizeof(main_), "%s/main.conf", dir);
	FILE *f = fopen(inc, "w");
	fputs("web = \"10.0.0.80\"\n", f);
	fclose(f);
	f = fopen(main_, "w");
	fputs("include \"inc.conf\"\npass in proto tcp to $web port www\n", f);
	fclose(f);
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_ir_ruleset *rs;
	assert_int_equal(pk_frontend_load(main_, NULL, &d, &rs), 0);
	assert_int_equal(rs->nrules, 1);
	assert_int_equal(rs->rules[0].dport.lo, 80);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	remove(inc);
	remove(main_);
	remove(dir);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_comments_and_line_continuation_are_ignored),
	cmocka_unit_test(test_nested_macros_expand_inside_words_and_lists),
	cmocka_unit_test(test_unknown_macro_is_an_error_with_a_suggestion),
	cmocka_unit_test(test_lists_expand_in_pfctl_order_with_optional_commas),
	cmocka_unit_test(test_port_operators_and_service_names),
	cmocka_unit_test(test_addresses_ranges_tables_and_negation),
	cmocka_unit_test(test_state_options_and_translation_print_back),
	cmocka_unit_test(test_old_translation_and_scrub_rules_are_accepted),
	cmocka_unit_test(test_unsupported_features_are_reported_at_their_location),
	cmocka_unit_test(test_every_syntax_error_of_a_file_is_reported),
	cmocka_unit_test(test_scanner_edge_cases_are_errors_not_crashes),
	cmocka_unit_test(test_misspelt_keywords_get_a_suggestion),
	cmocka_unit_test(test_set_options_are_recorded),
	cmocka_unit_test(test_include_reads_a_file_relative_to_the_includer),
)
