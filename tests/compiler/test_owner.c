/*
 * tests/compiler/test_owner.c: user and group (compiler/resolve_owner.c):
 * read with the port syntax, one rule per id in pfctl's order, printed back
 * as written and read back the same, what each leaves of its rule (enum
 * pk_owner), the ids pfctl refuses, and an anchor's ids ANDed into its
 * rules.
 */
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

static void test_user_and_group_print_back_as_written(void **state)
{
	static const char text[] = "block return out log proto {tcp udp} user _pbuild\n"
				   "pass out proto tcp user { != unknown, 1000 >< 2000 } group != wheel\n"
				   "pass out proto udp user = unknown group 0 <> 10\n"
				   "block out user > 100 group <= staff\n";
	static const char want[] = "block return out log proto tcp all user _pbuild\n"
				   "block return out log proto udp all user _pbuild\n"
				   "pass out proto tcp all user != unknown group != wheel flags S/SA\n"
				   "pass out proto tcp all user 1000 >< 2000 group != wheel flags S/SA\n"
				   "pass out proto udp all user unknown group 0 <> 10\n"
				   "block drop out all user > 100 group <= staff\n";

	(void)state;
	pk_test_expect_print(text, want);
	pk_test_expect_print(want, want);
}

/* pfctl puts the ids of a later user (or group) option in front of the
 * earlier ones and expands users outside groups, innermost of all lists:
 * its regress test pf38 prints bin's rule before root's. */
static void test_ids_expand_one_rule_each_in_pfctls_order(void **state)
{
	(void)state;
	pk_test_expect_print("pass in on em0 proto tcp from any to port { 22, 80 } group wheel user root user bin\n",
			     "pass in on em0 proto tcp from any to any port = 22 user bin group wheel flags S/SA\n"
			     "pass in on em0 proto tcp from any to any port = 22 user root group wheel flags S/SA\n"
			     "pass in on em0 proto tcp from any to any port = 80 user bin group wheel flags S/SA\n"
			     "pass in on em0 proto tcp from any to any port = 80 user root group wheel flags S/SA\n");
}

/* A forwarded packet's owner is unknown: pf_match_uid accepts it for `=
 * unknown` and `!= NAME` only. A local one's is taken to be named nowhere:
 * only `!=` accepts it. Two criteria leave what both leave. */
static void test_owner_says_which_packets_the_criteria_leave(void **state)
{
	static const struct {
		const char *criteria;
		uint8_t owner;
	} cases[] = {
		{"user _pbuild", PK_OWNER_NEVER},
		{"user 1000", PK_OWNER_NEVER},
		{"user unknown", PK_OWNER_FORWARDED},
		{"user = unknown", PK_OWNER_FORWARDED},
		{"user != unknown", PK_OWNER_LOCAL},
		{"user != root", PK_OWNER_ANY},
		{"user > 1000", PK_OWNER_NEVER},
		{"user 1000 >< 2000", PK_OWNER_NEVER},
		{"user 1000 <> 2000", PK_OWNER_NEVER},
		{"group wheel", PK_OWNER_NEVER},
		{"group != wheel user unknown", PK_OWNER_FORWARDED},
		{"user != root group != unknown", PK_OWNER_LOCAL},
		{"user != unknown group unknown", PK_OWNER_NEVER},
	};

	(void)state;
	for (size_t i = 0; i < PK_NELEMS(cases); i++) {
		char text[128];
		snprintf(text, sizeof(text), "pass out proto tcp %s\n", cases[i].criteria);
		struct pk_ir_ruleset *rs = pk_test_load_ok(text);
		if (rs->rules[0].owner != cases[i].owner)
			fail_msg("%s: owner %u, want %u", cases[i].criteria, rs->rules[0].owner, cases[i].owner);
		pk_ir_ruleset_free(rs);
	}
}

static void test_ids_pfctl_refuses_are_located_errors(void **state)
{
	(void)state;
	pk_test_expect_diag("block out user > unknown\n", "t.conf:1:16: error: user unknown requires operator = or !=");
	pk_test_expect_diag("block out group unknown >< 5\n", "error: group unknown requires operator = or !=");
	pk_test_expect_diag("block out user 1000:2000\n", "error: '1000:2000' is not a user: write a range of ids");
	pk_test_expect_diag("block out user 4294967295\n", "error: illegal user value 4294967295");
	pk_test_expect_diag("block out group \"a b\"\n", "error: 'a b' is not a group name or number");
	pk_test_expect_diag("block out user \"\"\n", "error: '' is not a user name or number");
	pk_test_expect_diag("nat on em0 from any to any user root -> 192.0.2.1\n",
			    "error: user applies to pass, block and match rules only");
	pk_test_expect_no_diag("block out user 4294967294 group _x-y.z\n", "error");
}

/* An anchor's user and group join its rules' own; two users (or two
 * groups) would need two rules' worth of conditions in one. */
static void test_anchor_ids_join_the_rules_inside(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok("anchor a out proto tcp user root {\n pass out group wheel\n}\n");
	assert_string_equal(rs->rules[0].user, "root");
	assert_string_equal(rs->rules[0].group, "wheel");
	assert_int_equal(rs->rules[0].owner, PK_OWNER_NEVER);
	pk_ir_ruleset_free(rs);
	rs = pk_test_load_ok("anchor a out proto tcp group != unknown {\n pass out user unknown\n}\n");
	assert_int_equal(rs->rules[0].owner, PK_OWNER_NEVER);
	pk_ir_ruleset_free(rs);
	pk_test_expect_diag("anchor a out proto tcp user root {\n pass out user bin\n}\n",
			    "unsupported: anchor \"a\" with criteria that cannot be combined with its rules (two user or "
			    "two group conditions)");
}

PK_TEST_MAIN(
	cmocka_unit_test(test_user_and_group_print_back_as_written),
	cmocka_unit_test(test_ids_expand_one_rule_each_in_pfctls_order),
	cmocka_unit_test(test_owner_says_which_packets_the_criteria_leave),
	cmocka_unit_test(test_ids_pfctl_refuses_are_located_errors),
	cmocka_unit_test(test_anchor_ids_join_the_rules_inside),
)
