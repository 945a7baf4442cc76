/* tests/compiler/test_resolve.c: AST to IR: defaults, topology references,
 * semantic errors with their locations and hints. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static const char *topo = "interface lan0 address 192.168.1.1/24, fd00::1/64\n"
			  "interface wan0 address 203.0.113.2/24\n"
			  "route default via wan0 gateway 203.0.113.1\n";

/* The ruleset of the topology and rules, which must load. */
static struct pk_ir_ruleset *load_topo(const char *rules)
{
	char text[2048];
	snprintf(text, sizeof(text), "%s%s", topo, rules);
	return pk_test_load_ok(text);
}

static void test_pass_rules_keep_state_and_tcp_gets_flags_s_sa(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs =
		pk_test_load_ok("pass in proto tcp all\npass in proto udp all\nblock in proto tcp all\n"
				"pass in proto tcp all no state\npass in proto tcp all flags any\n");
	assert_int_equal(rs->rules[0].state, PK_STATE_KEEP);
	assert_int_equal(rs->rules[0].flags, 0x02);
	assert_int_equal(rs->rules[0].flagmask, 0x12);
	assert_int_equal(rs->rules[1].flagmask, 0);
	assert_int_equal(rs->rules[2].state, PK_STATE_NONE);
	assert_int_equal(rs->rules[2].flagmask, 0);
	assert_int_equal(rs->rules[3].flagmask, 0);
	assert_int_equal(rs->rules[4].flagmask, 0);
	for (uint32_t i = 0; i < rs->nrules; i++) {
		assert_int_equal(rs->rules[i].nr, i);
		assert_int_equal(rs->rules[i].loc.line, i + 1);
	}
	pk_ir_ruleset_free(rs);
}

static void test_block_policy_applies_to_later_rules_only(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok("block all\nset block-policy return\nblock all\nblock drop all\n");
	assert_int_equal(rs->rules[0].block, PK_BLOCK_DROP);
	assert_int_equal(rs->rules[1].block, PK_BLOCK_RETURN);
	assert_int_equal(rs->rules[2].block, PK_BLOCK_DROP);
	assert_true(rs->rules[2].explicit_block);
	pk_ir_ruleset_free(rs);
}

static void test_interface_references_expand_per_address_and_family(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = load_topo("pass in from lan0:network\npass in inet to lan0\n"
					     "pass in from (lan0)\npass in to self\n");
	assert_int_equal(rs->nrules, 5);
	char *p = pk_test_print_rs(rs, 0);
	assert_string_equal(p, "pass in inet from 192.168.1.0/24 to any flags S/SA\n"
			       "pass in inet6 from fd00::/64 to any flags S/SA\n"
			       "pass in inet from any to 192.168.1.1 flags S/SA\n"
			       "pass in from (lan0) to any flags S/SA\n"
			       "pass in from any to self flags S/SA\n");
	free(p);
	const struct pk_ir_table *self = &rs->tables[rs->rules[4].dst.table];
	assert_true(self->implicit);
	assert_int_equal(self->nentries, 3);
	assert_true(pk_ir_iface_find(rs, "wan0")->wan);
	pk_ir_ruleset_free(rs);
}

static void test_undeclared_interface_is_a_note_for_on_but_an_error_for_addresses(void **state)
{
	const char *on = "interface lan0 address 10.0.0.1/24\npass in on em9 all\npass out on em9 all\n";

	(void)state;
	pk_test_expect_diag(on, "t.conf:2:12: note: interface em9 is not in the topology");
	pk_test_expect_no_diag(on, "t.conf:3:");
	pk_test_expect_no_diag(on, "error");
	pk_test_expect_diag(
		"pass in from em9:network\n",
		"t.conf:1:14: error: unknown host or interface 'em9'; declare it with: interface em9 address CIDR");
	pk_test_expect_diag("pass in from (em9)\n", "error: (IF) needs interface em9 declared");
}

static void test_semantic_errors_are_located_with_hints(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in proto icmp to port 80\n", "t.conf:1:28: error: port only applies to tcp and udp");
	pk_test_expect_diag("pass in proto udp to port sshh\n", "unknown service 'sshh' (did you mean 'ssh'?)");
	pk_test_expect_diag("block from 10.0.0.0/40\n", "t.conf:1:12: error: prefix length /40 is too long");
	pk_test_expect_diag("pass proto tcp icmp-type echoreq\n", "icmp-type needs proto icmp");
	pk_test_expect_diag("pass proto udp flags S/SA\n", "flags only apply to tcp");
	pk_test_expect_diag("table <a> { 1.1.1.1 }\ntable <a> { 2.2.2.2 }\n",
			    "t.conf:2:1: error: table <a> is defined twice");
	pk_test_expect_diag("pass inet6 from 10.0.0.1\n", "error: rule matches nothing");
	pk_test_expect_diag("pass inet6 proto icmp all\n", "proto icmp does not match address family inet6");
	pk_test_expect_diag("set limit stats 10\n", "unknown limit 'stats' (did you mean 'states'?)");
	pk_test_expect_diag("set timeout tcp.frist 10\n", "unknown timeout 'tcp.frist'");
	pk_test_expect_diag("set optimization fast\n", "unknown optimization 'fast'");
	pk_test_expect_diag("pass in tag aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
			    "longer than 63 characters");
	pk_test_expect_diag("interface lan0 address 10.0.0.1\ninterface lan0 address 10.0.0.2/24\n",
			    "interface lan0 is declared twice");
	pk_test_expect_diag("route 10.0.0.0/8 via nowhere\n", "route via undeclared interface nowhere");
}

static void test_timeouts_follow_the_profile_then_overrides(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok("set optimization conservative\nset timeout tcp.first 5\n"
						   "set limit states 50000\npass all\n");
	assert_int_equal(rs->opts.timeouts[PK_TMO_TCP_FIRST], 5);
	assert_true(rs->opts.timeout_set[PK_TMO_TCP_FIRST]);
	assert_int_equal(rs->opts.timeouts[PK_TMO_TCP_ESTABLISHED], 432000);
	assert_int_equal(rs->opts.timeouts[PK_TMO_ADAPTIVE_START], 30000);
	assert_int_equal(rs->opts.timeouts[PK_TMO_ADAPTIVE_END], 60000);
	assert_int_equal(rs->rules[0].sopts.timeouts[PK_TMO_TCP_FIRST], PK_TMO_UNSET);
	pk_ir_ruleset_free(rs);
}

static void test_labels_expand_pf_macros_per_rule(void **state)
{
	(void)state;
	char *p = pk_test_print("pass in on em0 proto tcp from { 1.2.3.4, 1.2.3.5 } port 22 to any "
				"label \"$nr:$if:$proto:$srcaddr:$srcport:$dstaddr:$dstport\"\n", 0);
	assert_string_equal(p, "pass in on em0 inet proto tcp from 1.2.3.4 port = 22 to any flags S/SA "
			       "label \"0:em0:tcp:1.2.3.4:22:any:\"\n"
			       "pass in on em0 inet proto tcp from 1.2.3.5 port = 22 to any flags S/SA "
			       "label \"1:em0:tcp:1.2.3.5:22:any:\"\n");
	free(p);
}

static void test_routing_options_name_interface_and_gateway(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = load_topo("pass out route-to 192.168.1.254\npass in reply-to (wan0:network)\n"
					     "pass out dup-to wan0\npass out route-to (lan0 192.168.1.253)\n");
	assert_int_equal(rs->rules[0].route.kind, PK_ROUTE_TO);
	assert_int_equal(rs->rules[0].route.gw.af, PK_AF_INET);
	assert_int_equal(rs->rules[0].af, PK_AF_INET);
	assert_string_equal(rs->rules[1].route.ifname, "wan0");
	assert_int_equal(rs->rules[1].route.addr.ifmod, PK_IFMOD_DYNAMIC);
	assert_int_equal(rs->rules[2].route.kind, PK_ROUTE_DUP_TO);
	assert_string_equal(rs->rules[2].route.ifname, "wan0");
	assert_string_equal(rs->rules[3].route.ifname, "lan0");
	assert_int_equal(rs->rules[3].route.gw.addr[3], 253);
	pk_ir_ruleset_free(rs);
}

static void test_antispoof_becomes_pf_block_rules(void **state)
{
	(void)state;
	char *p = pk_test_print("interface lo0 address 127.0.0.1/8, ::1/128\n"
				"interface lan0 address 192.168.1.1/24, fe80::1/64\n"
				"antispoof log quick for { lo0 lan0 } inet label \"spoof\"\nantispoof for (lan0)\n"
				"antispoof for (lo0)\n", 0);
	assert_string_equal(p, "block drop in log quick on ! lo0 inet from 127.0.0.0/8 to any label \"spoof\"\n"
			       "block drop in log quick on ! lan0 inet from 192.168.1.0/24 to any label \"spoof\"\n"
			       "block drop in log quick inet from 192.168.1.1 to any label \"spoof\"\n"
			       "block drop in on ! lan0 from (lan0:network) to any\n"
			       "block drop in from (lan0) to any\n"
			       "block drop in on ! lo0 from (lo0:network) to any\n");
	free(p);
	pk_test_expect_diag("antispoof for em7\n", "antispoof for em7 needs it declared");
}

/* pfctl keeps a link-local address's scope: the rule it makes of IF's
 * fe80:: address is on IF when it names no interface itself (antispoof's,
 * as pfctl -sr of a pfSense box shows it). */
static void test_link_local_addresses_of_an_interface_keep_their_link(void **state)
{
	(void)state;
	char *p = pk_test_print("interface lan0 address 192.168.1.1/24, fe80::1/64\ninterface wan0 address 10.0.0.2/24\n"
				"antispoof for lan0 inet6\npass in on wan0 inet6 from lan0 to any\n", 0);
	assert_string_equal(p, "block drop in on lan0 inet6 from fe80::1 to any\n"
			       "pass in on wan0 inet6 from fe80::1 to any flags S/SA\n");
	free(p);
}

static void test_table_files_are_read_and_kept_apart_from_inline_entries(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs =
		pk_test_load_ok("table <bad> { 10.0.0.1 } file \"tests/compiler/golden/blocklist.txt\"\n"
				"block from <bad>\n");
	const struct pk_ir_table *t = pk_ir_table_find(rs, "bad");
	assert_int_equal(t->nentries, 6);
	assert_int_equal(t->ninline, 1);
	assert_true(t->entries[4].neg);
	assert_int_equal(t->entries[5].pfx.af, PK_AF_INET6);
	pk_ir_ruleset_free(rs);
	pk_test_expect_diag("table <x> file \"/does/not/exist\"\n",
			    "t.conf:1:16: error: cannot read table file '/does/not/exist'");
}

static void test_defines_from_the_command_line_are_macros(void **state)
{
	(void)state;
	const char *defs[] = {"ext=em0"};
	struct pk_frontend_opts o = {.defines = defs, .ndefines = 1};
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_ir_ruleset *rs;
	const char *t = "pass out on $ext all\n";
	assert_int_equal(pk_frontend_load_string("t", t, strlen(t), &o, &d, &rs), 0);
	assert_string_equal(rs->rules[0].ifc.name, "em0");
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_pass_rules_keep_state_and_tcp_gets_flags_s_sa),
	cmocka_unit_test(test_block_policy_applies_to_later_rules_only),
	cmocka_unit_test(test_interface_references_expand_per_address_and_family),
	cmocka_unit_test(test_undeclared_interface_is_a_note_for_on_but_an_error_for_addresses),
	cmocka_unit_test(test_semantic_errors_are_located_with_hints),
	cmocka_unit_test(test_timeouts_follow_the_profile_then_overrides),
	cmocka_unit_test(test_labels_expand_pf_macros_per_rule),
	cmocka_unit_test(test_routing_options_name_interface_and_gateway),
	cmocka_unit_test(test_antispoof_becomes_pf_block_rules),
	cmocka_unit_test(test_link_local_addresses_of_an_interface_keep_their_link),
	cmocka_unit_test(test_table_files_are_read_and_kept_apart_from_inline_entries),
	cmocka_unit_test(test_defines_from_the_command_line_are_macros),
)
