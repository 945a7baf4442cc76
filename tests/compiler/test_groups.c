/* tests/compiler/test_groups.c: interface groups (declared, egress, the
 * group of an interface's kind) and point-to-point peers, as OpenBSD forms
 * them, in rules, addresses and set skip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static const char topo[] = "interface em0 address 203.0.113.2/24 group wan\n"
			   "interface em1 address 192.168.1.1/24 group lan, inside\n"
			   "interface em2 address 192.168.2.1/24 group lan\n"
			   "interface lo0 address 127.0.0.1/8\n"
			   "interface tun0 address 10.8.0.1/32 peer 10.8.0.2\n"
			   "route default via em0 gateway 203.0.113.1\n";

/* The topology followed by rules prints as want. */
static void expect_rules(const char *rules, const char *want)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s%s", topo, rules);
	pk_test_expect_print(text, want);
}

/* The topology followed by rules gives diagnostics holding fragment. */
static void expect_error(const char *rules, const char *fragment)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s%s", topo, rules);
	pk_test_expect_diag(text, fragment);
}

static void test_egress_is_the_interface_holding_the_default_route(void **state)
{
	(void)state;
	expect_rules("block in on egress\n", "block drop in on em0 all\n");
}

static void test_a_declared_group_stands_for_each_of_its_interfaces(void **state)
{
	(void)state;
	expect_rules("pass in on lan from lan:network\n",
		     "pass in on em1 inet from 192.168.1.0/24 to any flags S/SA\n"
		     "pass in on em1 inet from 192.168.2.0/24 to any flags S/SA\n"
		     "pass in on em2 inet from 192.168.1.0/24 to any flags S/SA\n"
		     "pass in on em2 inet from 192.168.2.0/24 to any flags S/SA\n");
	expect_rules("block in on ! wan\n", "block drop in on ! em0 all\n");
}

static void test_the_kind_of_an_interface_is_a_group(void **state)
{
	(void)state;
	expect_rules("set skip on lo\npass in on tun\n", "pass in on tun0 all flags S/SA\n");
	char text[1024];
	snprintf(text, sizeof(text), "%sset skip on lo\n", topo);
	char *got = pk_test_print(text, PK_PRINT_OPTIONS);
	assert_non_null(got);
	if (!strstr(got, "set skip on lo0\n"))
		fail_msg("lo not expanded:\n%s", got);
	free(got);
}

static void test_antispoof_takes_a_group(void **state)
{
	(void)state;
	expect_rules("antispoof for lo\n", "block drop in on ! lo0 inet from 127.0.0.0/8 to any\n");
}

static void test_peer_is_the_far_end_of_a_point_to_point_link(void **state)
{
	(void)state;
	expect_rules("pass in on tun0 from tun0:peer\n", "pass in on tun0 inet from 10.8.0.2 to any flags S/SA\n");
	expect_error("pass in from em0:peer\n", "add the link's far end (peer ADDRESS)");
}

static void test_a_negated_group_of_several_interfaces_is_unsupported(void **state)
{
	(void)state;
	expect_error("block in on ! lan\n", "unsupported: on ! GROUP");
}

PK_TEST_MAIN(
	cmocka_unit_test(test_egress_is_the_interface_holding_the_default_route),
	cmocka_unit_test(test_a_declared_group_stands_for_each_of_its_interfaces),
	cmocka_unit_test(test_the_kind_of_an_interface_is_a_group),
	cmocka_unit_test(test_antispoof_takes_a_group),
	cmocka_unit_test(test_peer_is_the_far_end_of_a_point_to_point_link),
	cmocka_unit_test(test_a_negated_group_of_several_interfaces_is_unsupported),
)
