/*
 * tests/runtime/test_classify.c: pf's evaluation semantics, pinned on
 * small written rulesets: last match wins unless quick, match rules
 * accumulate without deciding, the older translation phases take the
 * first match, tables let their most specific entry decide (negated
 * entries exclude), every port operator, the protocol-specific tests and
 * the socket owner's.
 * Each packet is classified by the decision tree and by linear evaluation,
 * which must agree.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/frontend.h"
#include "runtime/ruleset.h"
#include "tests/support/front_support.h"
#include "tests/support/pkbtest.h"
#include "tests/support/testmain.h"

static struct pk_rs *load(const char *text)
{
	struct pk_ir_ruleset *ir = pk_test_load_ok(text);
	struct pk_rs *rs = pk_test_load_rs(ir);
	pk_ir_ruleset_free(ir);
	return rs;
}

static struct pk_match_pkt pkt(const char *src, const char *dst, uint8_t proto, uint16_t dport)
{
	struct pk_match_pkt p = {.af = 4, .proto = proto, .dir = PK_DIR_IN, .iface = PK_RT_NO_IFACE,
				 .sport = 40000, .dport = dport, .tcp_flags = 0x02, .icmp_type = -1, .icmp_code = -1};
	struct pk_prefix a, b;
	assert_int_equal(pk_prefix_parse(src, &a), 0);
	assert_int_equal(pk_prefix_parse(dst, &b), 0);
	memcpy(p.src, a.addr, 16);
	memcpy(p.dst, b.addr, 16);
	return p;
}

/* The deciding rule, checked to be the same by tree and by linear walk. */
static uint32_t decide(const struct pk_rs *rs, enum pk_rt_phase ph, const struct pk_match_pkt *p,
		       struct pk_rs_result *out)
{
	struct pk_rs_result tree, lin;
	pk_rs_classify(rs, ph, p, &tree);
	pk_rs_classify_trace(rs, ph, p, &lin, NULL, NULL);
	assert_int_equal(tree.rule, lin.rule);
	assert_int_equal(tree.nmatches, lin.nmatches);
	assert_memory_equal(tree.matches, lin.matches, tree.nmatches * sizeof(tree.matches[0]));
	if (out)
		*out = tree;
	return tree.rule;
}

#define FILTER(rs, p) decide((rs), PK_PHASE_FILTER, &(p), NULL)

/* Under rules, the filter rule deciding a TCP SYN from 10.0.0.1 to
 * 10.0.0.2 port dport is `rule`. */
static void assert_decided(const char *rules, uint16_t dport, uint32_t rule)
{
	struct pk_rs *rs = load(rules);
	struct pk_match_pkt p = pkt("10.0.0.1", "10.0.0.2", 6, dport);

	assert_int_equal(FILTER(rs, p), rule);
	pk_rs_free(rs);
}

static void test_last_matching_rule_wins_without_quick(void **state)
{
	const char *rules = "block all\npass in proto tcp to port 22\n";

	(void)state;
	assert_decided(rules, 22, 1);
	assert_decided(rules, 23, 0);
}

static void test_quick_rule_stops_evaluation(void **state)
{
	const char *rules = "pass in quick proto tcp to port 22\nblock all\n";

	(void)state;
	assert_decided(rules, 22, 0);
	assert_decided(rules, 80, 1);
}

static void test_no_matching_rule_decides_nothing(void **state)
{
	(void)state;
	assert_decided("pass in proto udp to port 53\n", 80, PK_RT_NO_RULE);
}

static void test_match_rules_accumulate_and_do_not_decide(void **state)
{
	(void)state;
	struct pk_rs *rs = load("match in proto tcp scrub (no-df)\npass all\nmatch out all\nmatch in all tag IN\n");
	struct pk_match_pkt p = pkt("10.0.0.1", "10.0.0.2", 6, 80);
	struct pk_rs_result res;
	assert_int_equal(decide(rs, PK_PHASE_FILTER, &p, &res), 1);
	assert_int_equal(res.nmatches, 2);
	assert_int_equal(res.matches[0], 0);
	assert_int_equal(res.matches[1], 3);
	pk_rs_free(rs);
}

static void test_translation_phases_take_the_first_match(void **state)
{
	(void)state;
	struct pk_rs *rs = load("interface wan0 address 203.0.113.2/24\n"
				"nat on wan0 from 10.0.0.0/8 to any -> 203.0.113.2\n"
				"nat on wan0 from 10.1.0.0/16 to any -> 203.0.113.3\n");
	struct pk_match_pkt p = pkt("10.1.2.3", "198.51.100.1", 6, 80);
	p.dir = PK_DIR_OUT;
	p.iface = pk_rs_iface_find(rs, "wan0");
	assert_int_equal(decide(rs, PK_PHASE_NAT, &p, NULL), 0);
	assert_int_equal(FILTER(rs, p), PK_RT_NO_RULE);
	p.iface = PK_RT_NO_IFACE;
	assert_int_equal(decide(rs, PK_PHASE_NAT, &p, NULL), PK_RT_NO_RULE);
	pk_rs_free(rs);
}

static void test_most_specific_table_entry_decides(void **state)
{
	(void)state;
	struct pk_rs *rs = load("table <t> { 10.0.0.0/8, !10.1.0.0/16, 10.1.2.0/24 }\nblock all\npass from <t>\n");
	struct pk_match_pkt in8 = pkt("10.9.9.9", "192.0.2.1", 6, 80), out16 = pkt("10.1.9.9", "192.0.2.1", 6, 80),
			    in24 = pkt("10.1.2.3", "192.0.2.1", 6, 80), none = pkt("11.0.0.1", "192.0.2.1", 6, 80);
	assert_int_equal(FILTER(rs, in8), 1);
	assert_int_equal(FILTER(rs, out16), 0);
	assert_int_equal(FILTER(rs, in24), 1);
	assert_int_equal(FILTER(rs, none), 0);
	pk_rs_free(rs);
}

/* For each operator: the ports that must match and those that must not. */
static void test_every_port_operator_matches_as_pf(void **state)
{
	(void)state;
	static const struct {
		const char *op;
		uint16_t yes[3], no[3];
	} cases[] = {
		{"= 80", {80, 80, 80}, {79, 81, 0}},         {"!= 80", {79, 81, 0}, {80, 80, 80}},
		{"< 1024", {0, 1, 1023}, {1024, 1025, 65535}}, {"<= 1024", {0, 1023, 1024}, {1025, 2000, 65535}},
		{"> 1024", {1025, 2000, 65535}, {0, 1023, 1024}}, {">= 1024", {1024, 1025, 65535}, {0, 1, 1023}},
		{"1000:2000", {1000, 1500, 2000}, {999, 2001, 0}}, {"1000 >< 2000", {1001, 1500, 1999}, {1000, 2000, 999}},
		{"1000 <> 2000", {999, 2001, 0}, {1000, 1500, 2000}},
	};
	for (size_t i = 0; i < PK_NELEMS(cases); i++) {
		char text[128];
		snprintf(text, sizeof(text), "pass in proto tcp to port %s\n", cases[i].op);
		struct pk_rs *rs = load(text);
		for (int k = 0; k < 3; k++) {
			struct pk_match_pkt y = pkt("10.0.0.1", "10.0.0.2", 6, cases[i].yes[k]);
			struct pk_match_pkt n = pkt("10.0.0.1", "10.0.0.2", 6, cases[i].no[k]);
			if (FILTER(rs, y) != 0)
				fail_msg("port %s: %u should match", cases[i].op, cases[i].yes[k]);
			if (FILTER(rs, n) != PK_RT_NO_RULE)
				fail_msg("port %s: %u should not match", cases[i].op, cases[i].no[k]);
		}
		pk_rs_free(rs);
	}
}

static void test_flags_and_icmp_type_apply_to_their_protocol(void **state)
{
	(void)state;
	struct pk_rs *rs = load("pass in proto tcp flags S/SA\npass in inet proto icmp icmp-type echoreq\n");
	struct pk_match_pkt syn = pkt("10.0.0.1", "10.0.0.2", 6, 80), ack = syn;
	ack.tcp_flags = 0x10;
	struct pk_match_pkt echo = pkt("10.0.0.1", "10.0.0.2", 1, 0), reply = echo;
	echo.icmp_type = 8;
	reply.icmp_type = 0;
	assert_int_equal(FILTER(rs, syn), 0);
	assert_int_equal(FILTER(rs, ack), PK_RT_NO_RULE);
	assert_int_equal(FILTER(rs, echo), 1);
	assert_int_equal(FILTER(rs, reply), PK_RT_NO_RULE);
	pk_rs_free(rs);
}

static void test_interface_negation_and_direction(void **state)
{
	(void)state;
	struct pk_rs *rs = load("interface lan0 address 192.168.1.1/24\ninterface wan0 address 203.0.113.2/24\n"
				"block all\npass out on ! wan0 all\n");
	struct pk_match_pkt p = pkt("192.168.1.5", "192.168.1.9", 17, 53);
	p.dir = PK_DIR_OUT;
	p.iface = pk_rs_iface_find(rs, "lan0");
	assert_int_equal(FILTER(rs, p), 1);
	p.iface = pk_rs_iface_find(rs, "wan0");
	assert_int_equal(FILTER(rs, p), 0);
	p.iface = pk_rs_iface_find(rs, "lan0");
	p.dir = PK_DIR_IN;
	assert_int_equal(FILTER(rs, p), 0);
	pk_rs_free(rs);
}

/* user and group read the packet's local bit (enum pk_owner), for TCP and
 * UDP only: a forwarded packet's owner is unknown, a local one's named by
 * no rule. The tree tests such rules in full. */
static void test_owner_rules_read_the_local_bit_of_tcp_and_udp(void **state)
{
	(void)state;
	struct pk_rs *rs = load("pass in proto tcp user unknown\npass in proto tcp user != unknown\n"
				"pass in proto udp user root\npass in user root group wheel\n");
	struct pk_match_pkt tcp = pkt("10.0.0.1", "10.0.0.2", 6, 22), udp = pkt("10.0.0.1", "10.0.0.2", 17, 53);
	struct pk_match_pkt echo = pkt("10.0.0.1", "10.0.0.2", 1, 0);
	echo.icmp_type = 8;
	assert_int_equal(FILTER(rs, tcp), 0);
	assert_int_equal(FILTER(rs, udp), PK_RT_NO_RULE);
	assert_int_equal(FILTER(rs, echo), 3);
	tcp.local = udp.local = echo.local = true;
	assert_int_equal(FILTER(rs, tcp), 1);
	assert_int_equal(FILTER(rs, udp), PK_RT_NO_RULE);
	assert_int_equal(FILTER(rs, echo), 3);
	pk_rs_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_last_matching_rule_wins_without_quick),
	cmocka_unit_test(test_quick_rule_stops_evaluation),
	cmocka_unit_test(test_no_matching_rule_decides_nothing),
	cmocka_unit_test(test_match_rules_accumulate_and_do_not_decide),
	cmocka_unit_test(test_translation_phases_take_the_first_match),
	cmocka_unit_test(test_most_specific_table_entry_decides),
	cmocka_unit_test(test_every_port_operator_matches_as_pf),
	cmocka_unit_test(test_flags_and_icmp_type_apply_to_their_protocol),
	cmocka_unit_test(test_interface_negation_and_direction),
	cmocka_unit_test(test_owner_rules_read_the_local_bit_of_tcp_and_udp),
)
