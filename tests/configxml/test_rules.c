/* tests/configxml/test_rules.c: configxml/rules.c, addr.c and state.c: the
 * user's filter rules as filter_generate_user_rule writes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/cxtest.h"
#include "tests/support/testmain.h"

static const char *aliases = "<aliases><alias><name>srv</name><type>host</type><address>192.168.1.5</address></alias>"
			     "<alias><name>web</name><type>port</type><address>80 443</address></alias></aliases>";

/* The pf text of a config with these <filter> rules; its messages in *msgs. */
static char *rules(const char *filter, char **msgs)
{
	char *sections = NULL, *x;
	assert_true(asprintf(&sections, "%s<filter>%s</filter>", aliases, filter) > 0);
	x = pk_cxt_pfsense("", sections);
	char *t = pk_cxt_import(x, msgs);
	assert_non_null(t);
	free(sections);
	free(x);
	return t;
}

static void test_interface_rules_are_in_quick_with_flags_state_tracker_and_label(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><tracker>7</tracker><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
			    "<protocol>tcp</protocol><source><network>lan</network></source>"
			    "<destination><address>srv</address><port>web</port></destination><descr>Web</descr></rule>", &m);
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto tcp from $LAN__NETWORK to $srv port $web flags S/SA ridentifier 7 keep state label \"USER_RULE: Web\"");
	free(t);
	free(m);
}

static void test_reply_to_on_wan_type_interfaces_unless_disabled(void **state)
{
	(void)state;
	const char *r = "<rule><type>pass</type><interface>wan</interface><ipprotocol>inet</ipprotocol><protocol>udp</protocol>"
			"<source><any/></source><destination><network>wanip</network><port>1194</port></destination>%s</rule>";
	char buf[512], *m;
	snprintf(buf, sizeof(buf), r, "");
	char *t = rules(buf, &m);
	pk_cxt_expect_line(t, "pass in quick on $WAN reply-to ( em0 10.0.2.1 ) inet proto udp from any to 10.0.2.4 port 1194 keep state label \"USER_RULE\"");
	free(t);
	free(m);
	snprintf(buf, sizeof(buf), r, "<disablereplyto/>");
	t = rules(buf, &m);
	pk_cxt_expect_no(t, "reply-to");
	free(t);
	free(m);
}

static void test_floating_rules_are_not_quick_unless_asked_and_direction_any_is_none(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><type>block</type><floating>yes</floating><interface>wan,lan</interface><direction>any</direction>"
			    "<ipprotocol>inet</ipprotocol><source><any/></source><destination><any/></destination><descr>f1</descr></rule>"
			    "<rule><type>match</type><floating>yes</floating><quick>yes</quick><direction>out</direction>"
			    "<ipprotocol>inet</ipprotocol><source><any/></source><destination><any/></destination><descr>f2</descr></rule>", &m);
	pk_cxt_expect_line(t, "block on { em0 em1 } inet from any to any label \"USER_RULE: f1\"");
	pk_cxt_expect_line(t, "match out quick inet from any to any label \"USER_RULE: f2\"");
	free(t);
	free(m);
}

static void test_inet46_is_two_rules_and_an_empty_address_drops_one(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><tracker>9</tracker><type>pass</type><interface>lan</interface><ipprotocol>inet46</ipprotocol>"
			    "<source><network>lan</network></source><destination><any/></destination><descr>both</descr></rule>", &m);
	pk_cxt_expect_line(t, "pass in quick on $LAN inet from $LAN__NETWORK to any ridentifier 9 keep state label \"USER_RULE: both\"");
	pk_cxt_expect_line(t, "# LAN rule 1 'both', tracker 9: left out (inet6), address is empty");
	assert_non_null(strstr(m, "note: LAN rule 1 'both', tracker 9: address is empty (inet6); the product leaves the rule out"));
	free(t);
	free(m);
}

static void test_disabled_rules_missing_aliases_and_interfaces_are_notes(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><type>pass</type><interface>lan</interface><disabled/><descr>off</descr>"
			    "<source><any/></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>lan</interface><descr>ghost</descr>"
			    "<source><address>nosuch</address></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>opt9</interface><descr>where</descr>"
			    "<source><any/></source><destination><any/></destination></rule>", &m);
	pk_cxt_expect_line(t, "# LAN rule 1 'off': disabled");
	assert_non_null(strstr(m, "LAN rule 2 'ghost': unresolvable alias 'nosuch' (inet)"));
	assert_non_null(strstr(m, "opt9 rule 1 'where': interface 'opt9' does not exist (inet)"));
	pk_cxt_expect_no(t, "USER_RULE: off");
	free(t);
	free(m);
}

static void test_ports_protocols_and_icmp_types(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>tcp/udp</protocol>"
			    "<source><any/><port>1024-65535</port></source><destination><any/><port>5000-5010</port></destination></rule>"
			    "<rule><type>reject</type><interface>lan</interface><ipprotocol>inet6</ipprotocol><protocol>icmp</protocol>"
			    "<icmptype>echoreq,echorep</icmptype><source><any/></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
			    "<source><any/></source><destination><not/><address>10.0.0.0/8</address><port>22</port></destination></rule>", &m);
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto { tcp udp } from any port >= 1024 to any port 4999 >< 5011 keep state label \"USER_RULE\"");
	pk_cxt_expect_line(t, "block return in quick on $LAN inet6 proto ipv6-icmp from any to any icmp6-type { echoreq,echorep } label \"USER_RULE\"");
	/* a port without a protocol is tcp */
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto tcp from any to ! 10.0.0.0/8 port 22 flags S/SA keep state label \"USER_RULE\"");
	free(t);
	free(m);
}

static void test_state_types_limits_timeouts_and_overload(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>tcp</protocol>"
			    "<statetype>modulate state</statetype><max>100</max><max-src-nodes>10</max-src-nodes>"
			    "<max-src-conn>5</max-src-conn><max-src-conn-rate>3</max-src-conn-rate><max-src-conn-rates>10</max-src-conn-rates>"
			    "<statetimeout>600</statetimeout><source><any/></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>udp</protocol>"
			    "<statetype>synproxy state</statetype><source><any/></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><protocol>udp</protocol>"
			    "<statetype>sloppy state</statetype><max-src-conn>5</max-src-conn><statetimeout>60</statetimeout>"
			    "<source><any/></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
			    "<statetype>none</statetype><source><any/></source><destination><any/></destination></rule>"
			    "<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><statepolicy>if-bound</statepolicy>"
			    "<descr>bound</descr><source><any/></source><destination><any/></destination></rule>", &m);
	pk_cxt_expect_line(t, "pass in quick on $LAN inet from any to any keep state ( if-bound ) label \"USER_RULE: bound\"");
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto tcp from any to any flags S/SA modulate state ( source-track rule, "
			   "max 100, max-src-nodes 10, max-src-conn 5, tcp.established 600, max-src-conn-rate 3/10, "
			   "overload <virusprot> flush global ) label \"USER_RULE\"");
	/* synproxy only for tcp: nothing for udp */
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto udp from any to any label \"USER_RULE\"");
	/* max-src-conn only for tcp */
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto udp from any to any keep state ( sloppy, source-track rule, udp.multiple 60 ) label \"USER_RULE\"");
	pk_cxt_expect_line(t, "pass in quick on $LAN inet from any to any no state label \"USER_RULE\"");
	free(t);
	free(m);
}

static void test_interface_group_rules_come_after_floating_and_before_tabs(void **state)
{
	(void)state;
	char *sections = NULL;
	assert_true(asprintf(&sections, "<ifgroups><ifgroupentry><ifname>INSIDE</ifname><members>lan</members></ifgroupentry></ifgroups>"
				       "<filter><rule><type>pass</type><interface>lan</interface><descr>tab</descr><source><any/></source><destination><any/></destination></rule>"
				       "<rule><type>pass</type><interface>INSIDE</interface><descr>group</descr><source><any/></source><destination><any/></destination></rule>"
				       "<rule><type>pass</type><floating>yes</floating><interface>lan</interface><descr>float</descr><source><any/></source><destination><any/></destination></rule>"
				       "</filter>") > 0);
	char *x = pk_cxt_pfsense("", sections);
	char *t = pk_cxt_import_ok(x);
	const char *f = strstr(t, "USER_RULE: float"), *g = strstr(t, "USER_RULE: group"), *l = strstr(t, "USER_RULE: tab");
	assert_true(f && g && l && f < g && g < l);
	pk_cxt_expect_line(t, "interface em1 address 192.168.1.1/24 group INSIDE");
	pk_cxt_expect_line(t, "pass in quick on $INSIDE inet from any to any keep state label \"USER_RULE: group\"");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(x, &d);
	assert_non_null(rs);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(t);
	free(x);
	free(sections);
}

static void test_before_2_7_an_interface_network_is_its_subnet(void **state)
{
	(void)state;
	char *x = pk_cxt_pfsense("", "<filter><rule><type>pass</type><interface>lan</interface><source><network>lan</network></source>"
				 "<destination><network>wanip</network></destination></rule></filter>");
	memcpy(strstr(x, "23.3"), "22.2", 4);
	char *t = pk_cxt_import_ok(x);
	pk_cxt_expect_line(t, "pass in quick on $LAN inet from 192.168.1.1/24 to 10.0.2.4 keep state label \"USER_RULE\"");
	pk_cxt_expect_no(t, "from $LAN__NETWORK");
	free(t);
	free(x);
}

static void test_user_rules_are_located_and_named_in_config_xml(void **state)
{
	(void)state;
	char *x = pk_cxt_pfsense("", "<filter>\n<rule>\n<tracker>1681417472</tracker><type>pass</type><interface>wan</interface>"
				 "<descr>Allow web</descr><source><any/></source><destination><any/></destination></rule>\n</filter>");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(x, &d);
	assert_non_null(rs);
	const struct pk_ir_rule *r = pk_cxt_rule(rs, "USER_RULE: Allow web");
	assert_non_null(r);
	assert_string_equal(r->loc.file, "config.xml");
	assert_int_equal(r->loc.line, 11); /* the <rule> element */
	assert_string_equal(r->loc.origin, "WAN rule 1 'Allow web', tracker 1681417472");
	assert_true(r->quick);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(x);
}

static void test_policy_routing_through_a_gateway_or_a_group(void **state)
{
	(void)state;
	char *x = pk_cxt_pfsense("", "<filter><rule><type>pass</type><interface>lan</interface><gateway>WANGW</gateway>"
				 "<descr>one</descr><source><any/></source><destination><any/></destination></rule>"
				 "<rule><type>pass</type><interface>lan</interface><gateway>BOTH</gateway>"
				 "<descr>group</descr><source><any/></source><destination><any/></destination></rule></filter>");
	char *g = strstr(x, "</gateways>"), *y = NULL;
	assert_true(asprintf(&y, "%.*s<gateway_item><interface>lan</interface><gateway>192.168.1.254</gateway><name>GW2</name>"
				 "</gateway_item><gateway_group><name>BOTH</name><item>WANGW|1|address</item><item>GW2|1|address</item>"
				 "</gateway_group>%s", (int)(g - x), x, g) > 0);
	char *t = pk_cxt_import_ok(y);
	pk_cxt_expect_line(t, "pass in quick on $LAN route-to ( em0 10.0.2.1 ) inet from any to any keep state label \"USER_RULE: one\"");
	pk_cxt_expect_line(t, "pass in quick on $LAN route-to { ( em0 10.0.2.1 ) ( em1 192.168.1.254 ) } round-robin inet from any "
			      "to any keep state label \"USER_RULE: group\"");
	free(t);
	free(x);
	free(y);
}

static void test_openvpn_and_ipsec_tabs_filter_on_the_tunnels(void **state)
{
	(void)state;
	char *m, *t = rules("<rule><type>pass</type><interface>openvpn</interface><ipprotocol>inet</ipprotocol><descr>vpn</descr>"
			    "<source><any/></source><destination><network>lan</network></destination></rule>"
			    "<rule><type>pass</type><interface>enc0</interface><ipprotocol>inet</ipprotocol><descr>ipsec</descr>"
			    "<source><any/></source><destination><any/></destination></rule>", &m);
	pk_cxt_expect_line(t, "pass in quick on openvpn inet from any to $LAN__NETWORK keep state label \"USER_RULE: vpn\"");
	pk_cxt_expect_line(t, "pass in quick on enc0 inet from any to any keep state label \"USER_RULE: ipsec\"");
	free(t);
	free(m);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_openvpn_and_ipsec_tabs_filter_on_the_tunnels),
	cmocka_unit_test(test_policy_routing_through_a_gateway_or_a_group),
	cmocka_unit_test(test_interface_rules_are_in_quick_with_flags_state_tracker_and_label),
	cmocka_unit_test(test_reply_to_on_wan_type_interfaces_unless_disabled),
	cmocka_unit_test(test_floating_rules_are_not_quick_unless_asked_and_direction_any_is_none),
	cmocka_unit_test(test_inet46_is_two_rules_and_an_empty_address_drops_one),
	cmocka_unit_test(test_disabled_rules_missing_aliases_and_interfaces_are_notes),
	cmocka_unit_test(test_ports_protocols_and_icmp_types),
	cmocka_unit_test(test_state_types_limits_timeouts_and_overload),
	cmocka_unit_test(test_interface_group_rules_come_after_floating_and_before_tabs),
	cmocka_unit_test(test_before_2_7_an_interface_network_is_its_subnet),
	cmocka_unit_test(test_user_rules_are_located_and_named_in_config_xml),
)
