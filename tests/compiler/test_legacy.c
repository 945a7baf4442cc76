/* tests/compiler/test_legacy.c: the rule forms FreeBSD's pfctl and pfSense
 * write (`pfctl -sr`, rules.debug), so a dump from a running box parses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static const char topo[] = "interface em0 address 203.0.113.2/24\ninterface em1 address 192.168.1.1/24\n";

static char *print_with_topology(const char *rules)
{
	size_t n = strlen(topo) + strlen(rules) + 1;
	char *text = malloc(n);
	assert_non_null(text);
	snprintf(text, n, "%s%s", topo, rules);
	char *got = pk_test_print(text, 0);
	free(text);
	return got;
}

static void test_route_to_before_the_address_family_is_read(void **state)
{
	(void)state;
	char *a = print_with_topology("pass out route-to (em0 203.0.113.1) inet from 203.0.113.2 to any\n");
	char *b = print_with_topology("pass out inet from 203.0.113.2 to any route-to (em0 203.0.113.1)\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void test_a_translation_port_without_proto_matches_tcp_and_udp(void **state)
{
	(void)state;
	char *got = print_with_topology("nat on em0 inet from 192.168.1.0/24 to any port = isakmp -> 203.0.113.2\n");
	assert_non_null(got);
	assert_string_equal(got, "nat on em0 inet proto tcp from 192.168.1.0/24 to any port = 500 -> 203.0.113.2\n"
				 "nat on em0 inet proto udp from 192.168.1.0/24 to any port = 500 -> 203.0.113.2\n");
	free(got);
}

static void test_a_filter_port_without_proto_is_still_an_error(void **state)
{
	(void)state;
	char *d = pk_test_diags("pass in to any port 22\n");
	assert_non_null(strstr(d, "port only applies to tcp and udp"));
	free(d);
}

static void test_the_topology_keywords_are_words_elsewhere(void **state)
{
	(void)state;
	char *got = pk_test_print("gateway = \"172.16.30.1\"\ntable <peer> { 10.0.0.1 }\n"
				  "pass out from <peer> to $gateway\n", 0);
	assert_non_null(got);
	assert_string_equal(got, "pass out inet from <peer> to 172.16.30.1 flags S/SA\n");
	free(got);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_route_to_before_the_address_family_is_read),
	cmocka_unit_test(test_a_translation_port_without_proto_matches_tcp_and_udp),
	cmocka_unit_test(test_a_filter_port_without_proto_is_still_an_error),
	cmocka_unit_test(test_the_topology_keywords_are_words_elsewhere),
)
