/* tests/compiler/test_ir.c: prefix helpers and route look-up of compiler/ir.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/diag.h"
#include "compiler/frontend.h"
#include "compiler/ir.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static void test_prefix_parse_and_format_round_trip(void **state)
{
	(void)state;
	const char *in[] = {"10.0.0.0/8", "192.168.1.1", "::1", "fe80::/64", "0.0.0.0/0"};
	for (size_t i = 0; i < PK_NELEMS(in); i++) {
		struct pk_prefix p;
		char buf[64];
		assert_int_equal(pk_prefix_parse(in[i], &p), 0);
		pk_prefix_format(&p, buf, sizeof(buf));
		assert_string_equal(buf, in[i]);
	}
}

static void test_prefix_parse_rejects_bad_text(void **state)
{
	(void)state;
	struct pk_prefix p;
	assert_int_equal(pk_prefix_parse("10.0.0.0/33", &p), -1);
	assert_int_equal(pk_prefix_parse("::1/129", &p), -1);
	assert_int_equal(pk_prefix_parse("300.1.1.1", &p), -1);
	assert_int_equal(pk_prefix_parse("10.0.0.0/", &p), -1);
	assert_int_equal(pk_prefix_parse("", &p), -1);
}

static void test_prefix_contains_checks_family_and_masked_bits(void **state)
{
	(void)state;
	struct pk_prefix net, a, b, c;
	pk_prefix_parse("10.1.0.0/17", &net);
	pk_prefix_parse("10.1.127.255", &a);
	pk_prefix_parse("10.1.128.0", &b);
	pk_prefix_parse("::a01:1", &c);
	assert_true(pk_prefix_contains(&net, a.addr, a.af));
	assert_false(pk_prefix_contains(&net, b.addr, b.af));
	assert_false(pk_prefix_contains(&net, c.addr, c.af));
}

static void test_route_lookup_prefers_longest_prefix_and_connected_networks(void **state)
{
	(void)state;
	const char *text = "interface lan0 address 192.168.1.1/24\n"
			   "interface wan0 address 203.0.113.2/24\n"
			   "route default via wan0 gateway 203.0.113.1\n"
			   "route 10.0.0.0/8 via lan0\n"
			   "pass all\n";
	struct pk_ir_ruleset *rs = pk_test_load_ok(text);
	struct pk_prefix a;
	const struct pk_ir_iface *ifc;
	pk_prefix_parse("192.168.1.7", &a);
	const struct pk_ir_route *r = pk_ir_route_lookup(rs, &a, &ifc);
	assert_non_null(r);
	assert_true(r->connected);
	assert_string_equal(ifc->name, "lan0");
	pk_prefix_parse("10.2.3.4", &a);
	r = pk_ir_route_lookup(rs, &a, &ifc);
	assert_int_equal(r->dst.len, 8);
	pk_prefix_parse("8.8.8.8", &a);
	r = pk_ir_route_lookup(rs, &a, &ifc);
	assert_string_equal(ifc->name, "wan0");
	assert_true(ifc->wan);
	assert_false(pk_ir_iface_find(rs, "lan0")->wan);
	pk_prefix_parse("2001:db8::1", &a);
	assert_null(pk_ir_route_lookup(rs, &a, &ifc));
	assert_null(ifc);
	pk_ir_ruleset_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_prefix_parse_and_format_round_trip),
	cmocka_unit_test(test_prefix_parse_rejects_bad_text),
	cmocka_unit_test(test_prefix_contains_checks_family_and_masked_bits),
	cmocka_unit_test(test_route_lookup_prefers_longest_prefix_and_connected_networks),
)
