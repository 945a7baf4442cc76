/* tests/configxml/test_opnsense.c: configxml/opnsense.c and the OPNsense
 * readings of rules.c: !empty() flags, directions, generated rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/cxtest.h"
#include "tests/support/testmain.h"

static const char *opn =
	"<?xml version=\"1.0\"?>\n<opnsense>\n<system><webgui><protocol>https</protocol></webgui>"
	"<ssh><enabled>enabled</enabled></ssh>%s</system>\n<interfaces>\n"
	"<wan><enable>1</enable><if>vtnet0</if><descr>WAN</descr><ipaddr>dhcp</ipaddr><blockpriv>1</blockpriv>"
	"<blockbogons>0</blockbogons></wan>\n"
	"<lan><enable>1</enable><if>vtnet1</if><descr>LAN</descr><ipaddr>192.168.1.1</ipaddr><subnet>24</subnet></lan>\n"
	"</interfaces>\n<filter>%s</filter>\n</opnsense>\n";

static char *import(const char *system, const char *filter)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), opn, system, filter);
	return pk_cxt_import_ok(buf);
}

static void test_opnsense_generated_rules_in_priority_order(void **state)
{
	(void)state;
	char *t = import("", "");
	pk_cxt_expect_line(t, "antispoof log for vtnet1");
	pk_cxt_expect_line(t, "block in log quick inet6 all label \"Block all IPv6\"");
	pk_cxt_expect_line(t, "block in log inet all label \"Default deny / state violation rule\"");
	pk_cxt_expect_line(t, "pass in log quick on vtnet0 proto udp from any port 67 to any port 68 keep state label \"allow DHCP client on WAN\"");
	/* <blockbogons>0</blockbogons> is off on OPNsense, <blockpriv>1</blockpriv> on */
	pk_cxt_expect_no(t, "<bogons> to any");
	pk_cxt_expect_line(t, "block in log quick on vtnet0 inet from {10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, "
			      "100.64.0.0/10, 169.254.0.0/16} to any label \"Block private networks from WAN\"");
	pk_cxt_expect_line(t, "pass out log all keep state allow-opts label \"let out anything from firewall host itself\"");
	pk_cxt_expect_line(t, "pass in log quick on vtnet1 proto tcp from any to (self) port 22 keep state label \"anti-lockout rule\"");
	const char *deny = strstr(t, "Default deny"), *priv = strstr(t, "Block private"), *lock = strstr(t, "anti-lockout");
	assert_true(deny && priv && lock && deny < priv && priv < lock);
	pk_cxt_expect_line(t, "table <sshlockout> persist");
	/* pfSense's scrub lines and ::1 outbound NAT are pfSense's own */
	pk_cxt_expect_no(t, "scrub");
	pk_cxt_expect_no(t, "from ::1");
	free(t);
}

static void test_opnsense_rules_keep_their_direction_and_read_flags_as_not_empty(void **state)
{
	(void)state;
	char *t = import("<ipv6allow>1</ipv6allow>",
			 "<rule><type>pass</type><interface>lan</interface><direction>out</direction><ipprotocol>inet</ipprotocol>"
			 "<log>0</log><disabled>0</disabled><source><any>1</any></source><destination><network>lan</network></destination>"
			 "<descr>out rule</descr></rule>");
	pk_cxt_expect_no(t, "Block all IPv6");
	pk_cxt_expect_line(t, "pass out quick on $LAN inet from any to vtnet1:network keep state label \"USER_RULE: out rule\"");
	free(t);
}

static void test_opnsense_configs_load(void **state)
{
	(void)state;
	char buf[4096];
	snprintf(buf, sizeof(buf), opn, "", "<rule><type>block</type><interface>wan</interface><ipprotocol>inet</ipprotocol>"
					   "<source><any/></source><destination><network>wanip</network></destination></rule>");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(buf, &d);
	assert_non_null(rs);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
}

static void test_mvc_rules_follow_the_legacy_ones_in_sequence_order(void **state)
{
	(void)state;
	char buf[8192];
	snprintf(buf, sizeof(buf), opn, "",
		 "<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol><descr>legacy</descr>"
		 "<source><any>1</any></source><destination><any>1</any></destination></rule>");
	char *end = strstr(buf, "</opnsense>");
	snprintf(end, sizeof(buf) - (size_t)(end - buf),
		 "<OPNsense><Firewall><Filter version=\"1.0.4\"><rules>\n"
		 "<rule uuid=\"b\"><enabled>1</enabled><sequence>20</sequence><action>block</action><quick>1</quick>"
		 "<interface>lan</interface><interfacenot>0</interfacenot><direction>in</direction><ipprotocol>inet</ipprotocol>"
		 "<protocol>TCP</protocol><source_net>any</source_net><source_not>0</source_not><destination_net>wanip</destination_net>"
		 "<destination_not>0</destination_not><destination_port>22</destination_port><log>1</log><description>second</description></rule>\n"
		 "<rule uuid=\"a\"><enabled>1</enabled><sequence>10</sequence><action>pass</action><quick>0</quick>"
		 "<interface>lan,wan</interface><interfacenot>0</interfacenot><direction>any</direction><ipprotocol>inet</ipprotocol>"
		 "<protocol>any</protocol><source_net>lan</source_net><source_not>1</source_not><destination_net>any</destination_net>"
		 "<destination_not>0</destination_not><statetype>sloppy</statetype><description>first</description></rule>\n"
		 "</rules></Filter></Firewall></OPNsense>\n</opnsense>\n");
	char *t = pk_cxt_import_ok(buf);
	pk_cxt_expect_line(t, "pass on { vtnet1 vtnet0 } inet from ! vtnet1:network to any keep state ( sloppy ) label \"USER_RULE: first\"");
	pk_cxt_expect_line(t, "block in log quick on $LAN inet proto tcp from any to (vtnet0) port 22 label \"USER_RULE: second\"");
	const char *legacy = strstr(t, "USER_RULE: legacy"), *second = strstr(t, "USER_RULE: second");
	assert_true(legacy && second && legacy < second);
	free(t);
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(buf, &d);
	assert_non_null(rs);
	const struct pk_ir_rule *r = pk_cxt_rule(rs, "USER_RULE: second");
	assert_non_null(r);
	assert_int_equal(r->loc.line, 10); /* its MVC <rule> */
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_mvc_rules_follow_the_legacy_ones_in_sequence_order),
	cmocka_unit_test(test_opnsense_generated_rules_in_priority_order),
	cmocka_unit_test(test_opnsense_rules_keep_their_direction_and_read_flags_as_not_empty),
	cmocka_unit_test(test_opnsense_configs_load),
)
