/* tests/configxml/test_generated.c: configxml/generated.c: the rules
 * pfSense writes itself, each family under the settings that change it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/cxtest.h"
#include "tests/support/testmain.h"

static char *import(const char *system, const char *sections)
{
	char *x = pk_cxt_pfsense(system, sections);
	char *t = pk_cxt_import_ok(x);
	free(x);
	return t;
}

static void test_default_deny_is_not_quick_and_logs_unless_told(void **state)
{
	(void)state;
	char *t = import("", "");
	pk_cxt_expect_line(t, "block in log inet all label \"Default deny rule IPv4\"");
	pk_cxt_expect_line(t, "block out log inet6 all label \"Default deny rule IPv6\"");
	free(t);
	t = import("", "<syslog><nologdefaultblock/></syslog>");
	pk_cxt_expect_line(t, "block in inet all label \"Default deny rule IPv4\"");
	free(t);
}

static void test_ipv6_is_blocked_unless_allowed_then_nd_passes(void **state)
{
	(void)state;
	char *t = import("", "");
	pk_cxt_expect_line(t, "block in log quick inet6 all label \"Block all IPv6\"");
	pk_cxt_expect_no(t, "ICMPv6 operation");
	free(t);
	t = import("<ipv6allow/>", "");
	pk_cxt_expect_no(t, "Block all IPv6");
	pk_cxt_expect_line(t, "pass quick inet6 proto ipv6-icmp from any to any icmp6-type {1,2,135,136} keep state label \"ICMPv6 operation\"");
	pk_cxt_expect_line(t, "pass in quick inet6 proto ipv6-icmp from :: to ff02::/16 icmp6-type {128,133,134,135,136} keep state label \"ICMPv6 operation\"");
	pk_cxt_expect_line(t, "block log quick inet6 proto { tcp, udp } from any port = 0 to any label \"Block traffic from port 0\"");
	free(t);
}

static void test_antispoof_bogons_and_private_networks_per_interface(void **state)
{
	(void)state;
	char *x = pk_cxt_pfsense("", "");
	char *t = pk_cxt_import_ok(x);
	pk_cxt_expect_line(t, "antispoof log for $WAN");
	pk_cxt_expect_line(t, "antispoof log for $LAN");
	pk_cxt_expect_no(t, "<bogons> to any");
	pk_cxt_expect_no(t, "Block private networks");
	free(t);
	/* the flags live in the interface: rewrite WAN with them */
	char *w = strstr(x, "<gateway>WANGW</gateway>");
	char *y = NULL;
	assert_true(asprintf(&y, "%.*s<blockpriv/><blockbogons/>%s", (int)(w - x), x, w) > 0);
	t = pk_cxt_import_ok(y);
	pk_cxt_expect_line(t, "block in log quick on $WAN from <bogons> to any label \"block bogon IPv4 networks from WAN\"");
	pk_cxt_expect_line(t, "block in log quick on $WAN from 192.168.0.0/16 to any label \"Block private networks from WAN block 192.168/16\"");
	pk_cxt_expect_no(t, "on $LAN from 10.0.0.0/8");
	free(t);
	free(x);
	free(y);
}

static void test_anti_lockout_follows_gui_port_redirect_and_ssh(void **state)
{
	(void)state;
	char *t = import("", "");
	pk_cxt_expect_line(t, "pass in quick on em1 proto tcp from any to (em1) port { 443 80 } ridentifier 10001 keep state label \"anti-lockout rule\"");
	free(t);
	t = import("<webgui><protocol>https</protocol><port>8443</port><disablehttpredirect/></webgui>"
		   "<ssh><enable>enabled</enable><port>2222</port></ssh>", "");
	pk_cxt_expect_line(t, "pass in quick on em1 proto tcp from any to (em1) port { 8443 2222 } ridentifier 10001 keep state label \"anti-lockout rule\"");
	pk_cxt_expect_line(t, "block in log quick proto tcp from <sshguard> to (self) port 2222 label \"sshguard\"");
	pk_cxt_expect_line(t, "block in log quick proto tcp from <sshguard> to (self) port 8443 label \"GUI Lockout\"");
	free(t);
	t = import("<webgui><noantilockout/></webgui>", "");
	pk_cxt_expect_no(t, "anti-lockout");
	free(t);
}

static void test_dhcp_server_and_client_rules(void **state)
{
	(void)state;
	char *t = import("", "<dhcpd><lan><enable/></lan></dhcpd>");
	pk_cxt_expect_line(t, "pass in quick on $LAN proto udp from any port = 68 to 255.255.255.255 port = 67 label \"allow access to DHCP server\"");
	pk_cxt_expect_line(t, "pass out quick on $LAN proto udp from 192.168.1.1 port = 67 to any port = 68 label \"allow access to DHCP server\"");
	pk_cxt_expect_no(t, "dhcp client");
	free(t);
	t = pk_cxt_import_ok("<pfsense><version>23.3</version><interfaces><wan><enable/><if>igb0</if><ipaddr>dhcp</ipaddr>"
			     "<ipaddrv6>dhcp6</ipaddrv6></wan></interfaces></pfsense>");
	pk_cxt_expect_line(t, "pass in quick on $WAN proto udp from any port = 67 to any port = 68 tag \"dhcpin\" no state label \"allow dhcp replies in WAN\"");
	pk_cxt_expect_line(t, "pass out quick on $WAN proto udp from any port = 546 to any port = 547 label \"allow dhcpv6 client out WAN\"");
	pk_cxt_expect_line(t, "interface igb0");
	/* no address known: no antispoof, and WAN is the only interface: anti-lockout there */
	pk_cxt_expect_no(t, "antispoof");
	pk_cxt_expect_line(t, "pass in quick on igb0 proto tcp from any to (igb0) port { 443 80 } ridentifier 10001 keep state label \"anti-lockout rule\"");
	free(t);
}

/* pfSense 2.6 (config 22.2) kept state on both DHCP client rules, under
 * one label; 2.7 tags the replies and keeps no state. */
static void test_dhcp_client_rules_of_pfsense_2_6_keep_state(void **state)
{
	(void)state;
	char *t = pk_cxt_import_ok("<pfsense><version>22.2</version><interfaces><wan><enable/><if>vtnet0</if>"
				   "<ipaddr>dhcp</ipaddr></wan></interfaces></pfsense>");
	pk_cxt_expect_line(t, "pass in quick on $WAN proto udp from any port = 67 to any port = 68 keep state label \"allow dhcp client out WAN\"");
	pk_cxt_expect_line(t, "pass out quick on $WAN proto udp from any port = 68 to any port = 67 keep state label \"allow dhcp client out WAN\"");
	pk_cxt_expect_no(t, "dhcpin");
	free(t);
}

static void test_let_out_anything_and_its_route_to_per_wan(void **state)
{
	(void)state;
	char *t = import("", "");
	pk_cxt_expect_line(t, "pass out inet all keep state allow-opts label \"let out anything IPv4 from firewall host itself\"");
	pk_cxt_expect_line(t, "pass out route-to ( em0 10.0.2.1 ) from 10.0.2.4 to ! 10.0.2.4/24 keep state allow-opts label \"let out anything from firewall host itself\"");
	pk_cxt_expect_line(t, "pass in on $loopback inet all label \"pass IPv4 loopback\"");
	pk_cxt_expect_line(t, "pass out on $loopback inet6 all label \"pass IPv6 loopback\"");
	free(t);
	/* the non-quick IPv6 pair follows the IPv4 one whether IPv6 is allowed or not */
	t = import("<ipv6allow/>", "");
	pk_cxt_expect_line(t, "pass in on $loopback inet6 all label \"pass IPv6 loopback\"");
	free(t);
	t = import("", "<syslog><nologdefaultpass/></syslog>");
	/* the element's name says the opposite of what it does in filter.inc */
	pk_cxt_expect_line(t, "pass in log on $loopback inet all label \"pass IPv4 loopback\"");
	free(t);
}

static void test_carp_and_link_local_rules(void **state)
{
	(void)state;
	char *t = import("", "<virtualip><vip><mode>carp</mode><interface>lan</interface><subnet>192.168.1.254</subnet>"
			     "<subnet_bits>24</subnet_bits></vip></virtualip>");
	pk_cxt_expect_line(t, "pass quick proto carp no state");
	pk_cxt_expect_line(t, "interface em1 address 192.168.1.1/24, 192.168.1.254/24");
	pk_cxt_expect_line(t, "block in log quick from 169.254.0.0/16 to any label \"Block IPv4 link-local\"");
	free(t);
	t = import("<no_apipa_block/>", "");
	pk_cxt_expect_no(t, "link-local");
	free(t);
}

static void test_generated_rules_load_and_block_unsolicited_wan_traffic(void **state)
{
	(void)state;
	char *x = pk_cxt_pfsense("", "");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(x, &d);
	assert_non_null(rs);
	const struct pk_ir_rule *r = pk_cxt_rule(rs, "Default deny rule IPv4");
	assert_non_null(r);
	assert_false(r->quick);
	assert_string_equal(r->loc.origin, "generated: Default deny rule IPv4");
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(x);
}

static void test_statically_routed_subnets_bypass_the_rules_when_asked(void **state)
{
	(void)state;
	const char *routes = "<staticroutes><route><network>10.50.0.0/16</network><gateway>LANGW</gateway></route></staticroutes>";
	char *x = pk_cxt_pfsense("", routes);
	char *g = strstr(x, "</gateways>"), *y = NULL, *z = NULL;
	assert_true(asprintf(&y, "%.*s<gateway_item><interface>lan</interface><gateway>192.168.1.2</gateway><name>LANGW</name>"
				 "</gateway_item>%s", (int)(g - x), x, g) > 0);
	char *t = pk_cxt_import_ok(y);
	pk_cxt_expect_line(t, "route 10.50.0.0/16 via em1 gateway 192.168.1.2");
	pk_cxt_expect_no(t, "statically routed");
	free(t);
	char *f = strstr(y, "<staticroutes>");
	assert_true(asprintf(&z, "%.*s<filter><bypassstaticroutes/></filter>%s", (int)(f - y), y, f) > 0);
	t = pk_cxt_import_ok(z);
	pk_cxt_expect_line(t, "pass quick on $LAN proto tcp from 10.50.0.0/16 to 192.168.1.1/24 flags any keep state ( sloppy ) "
			      "label \"pass traffic between statically routed subnets\"");
	free(t);
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(z, &d);
	assert_non_null(rs);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(x);
	free(y);
	free(z);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_statically_routed_subnets_bypass_the_rules_when_asked),
	cmocka_unit_test(test_default_deny_is_not_quick_and_logs_unless_told),
	cmocka_unit_test(test_ipv6_is_blocked_unless_allowed_then_nd_passes),
	cmocka_unit_test(test_antispoof_bogons_and_private_networks_per_interface),
	cmocka_unit_test(test_anti_lockout_follows_gui_port_redirect_and_ssh),
	cmocka_unit_test(test_dhcp_server_and_client_rules),
	cmocka_unit_test(test_dhcp_client_rules_of_pfsense_2_6_keep_state),
	cmocka_unit_test(test_let_out_anything_and_its_route_to_per_wan),
	cmocka_unit_test(test_carp_and_link_local_rules),
	cmocka_unit_test(test_generated_rules_load_and_block_unsolicited_wan_traffic),
)
