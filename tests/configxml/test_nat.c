/* tests/configxml/test_nat.c: configxml/nat.c: 1:1 NAT, outbound NAT in
 * its four modes, port forwards with rdr or rdr pass. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/cxtest.h"
#include "tests/support/testmain.h"

static char *nat(const char *inner)
{
	char *sections = NULL;
	assert_true(asprintf(&sections, "<nat>%s</nat>", inner) > 0);
	char *x = pk_cxt_pfsense("", sections);
	char *t = pk_cxt_import_ok(x);
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(x, &d);
	assert_non_null(rs);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(sections);
	free(x);
	return t;
}

static void test_automatic_outbound_nat_translates_non_wan_subnets(void **state)
{
	(void)state;
	char *t = nat("");
	pk_cxt_expect_line(t, "tonatsubnets = \"{ 127.0.0.0/8 192.168.1.1/24 }\"");
	pk_cxt_expect_line(t, "nat on $WAN inet from $tonatsubnets to any port 500 -> 10.0.2.4/32 static-port");
	pk_cxt_expect_line(t, "nat on $WAN inet from $tonatsubnets to any -> 10.0.2.4/32 port 1024:65535");
	/* the box's own ::1, as pfctl -s nat of a pfSense 2.6 box shows it */
	pk_cxt_expect_line(t, "nat on $WAN inet6 from ::1 to any port 500 -> (em0) static-port");
	pk_cxt_expect_line(t, "nat on $WAN inet6 from ::1 to any -> (em0) port 1024:65535");
	pk_cxt_expect_no(t, "Outbound NAT rules (manual)");
	free(t);
}

static void test_manual_hybrid_and_disabled_outbound_modes(void **state)
{
	(void)state;
	const char *rule = "<rule><interface>wan</interface><source><network>192.168.1.0/24</network></source>"
			   "<destination><any/></destination><target>10.0.2.9</target><staticnatport/><descr>m</descr></rule>"
			   "<rule><interface>wan</interface><source><network>192.168.1.7/32</network></source>"
			   "<destination><any/></destination><nonat/></rule>";
	char buf[1024];
	snprintf(buf, sizeof(buf), "<outbound><mode>advanced</mode>%s</outbound>", rule);
	char *t = nat(buf);
	pk_cxt_expect_line(t, "nat on $WAN inet from 192.168.1.0/24 to any -> 10.0.2.9/32 static-port");
	pk_cxt_expect_line(t, "no nat on $WAN inet from 192.168.1.7/32 to any");
	pk_cxt_expect_no(t, "tonatsubnets");
	free(t);
	snprintf(buf, sizeof(buf), "<outbound><mode>hybrid</mode>%s</outbound>", rule);
	t = nat(buf);
	const char *manual = strstr(t, "-> 10.0.2.9/32"), *automatic = strstr(t, "$tonatsubnets to any ->");
	assert_true(manual && automatic && manual < automatic);
	free(t);
	t = nat("<outbound><mode>disabled</mode></outbound>");
	pk_cxt_expect_no(t, "nat on");
	free(t);
}

/* What the Manual Outbound NAT switch copies from the automatic rules:
 * localhost's ::1 to the WAN address, ISAKMP's port 500 with no protocol. */
static void test_manual_ipv6_rule_to_the_wan_address_keeps_its_port(void **state)
{
	(void)state;
	char *t = nat("<outbound><mode>advanced</mode><rule><interface>wan</interface><source><network>::1/128</network>"
		      "</source><dstport>500</dstport><target>wanip</target><destination><any/></destination>"
		      "<staticnatport/></rule></outbound>");
	pk_cxt_expect_line(t, "nat on $WAN inet6 from ::1/128 to any port 500 -> (em0) static-port");
	free(t);
}

static void test_port_forwards_rdr_with_range_and_rdr_pass(void **state)
{
	(void)state;
	char *t = nat("<rule><source><any/></source><destination><network>wanip</network><port>8000-8010</port></destination>"
		      "<protocol>tcp</protocol><target>192.168.1.5</target><local-port>9000</local-port><interface>wan</interface>"
		      "<associated-rule-id>nat_1</associated-rule-id></rule>"
		      "<rule><source><any/></source><destination><network>wanip</network><port>80</port></destination>"
		      "<protocol>tcp/udp</protocol><target>192.168.1.6</target><interface>wan</interface>"
		      "<associated-rule-id>pass</associated-rule-id></rule>"
		      "<rule><source><any/></source><destination><network>wanip</network><port>25</port></destination>"
		      "<protocol>tcp</protocol><target>192.168.1.6</target><interface>wan</interface><nordr/></rule>");
	pk_cxt_expect_line(t, "rdr on em0 inet proto tcp from any to 10.0.2.4 port 8000:8010 -> 192.168.1.5 port 9000:9010");
	pk_cxt_expect_line(t, "rdr pass on em0 inet proto { tcp udp } from any to 10.0.2.4 port 80 -> 192.168.1.6");
	pk_cxt_expect_line(t, "no rdr on em0 inet proto tcp from any to 10.0.2.4 port 25");
	free(t);
}

static void test_one_to_one_nat_is_binat(void **state)
{
	(void)state;
	char *t = nat("<onetoone><external>10.0.2.20</external><interface>wan</interface>"
		      "<source><address>192.168.1.20</address></source><destination><any/></destination></onetoone>"
		      "<onetoone><external>10.0.2.21</external><interface>wan</interface><disabled/>"
		      "<source><address>192.168.1.21</address></source><destination><any/></destination></onetoone>");
	pk_cxt_expect_line(t, "binat on em0 inet from 192.168.1.20 to any -> 10.0.2.20");
	pk_cxt_expect_line(t, "# 1:1 NAT 2: disabled");
	free(t);
	t = nat("<npt><interface>wan</interface><source><address>fd00:1::/64</address></source>"
		"<destination><address>2001:db8:1::/64</address></destination></npt>");
	pk_cxt_expect_line(t, "binat on em0 inet6 from fd00:1::/64 to any -> 2001:db8:1::/64");
	free(t);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_automatic_outbound_nat_translates_non_wan_subnets),
	cmocka_unit_test(test_manual_hybrid_and_disabled_outbound_modes),
	cmocka_unit_test(test_manual_ipv6_rule_to_the_wan_address_keeps_its_port),
	cmocka_unit_test(test_port_forwards_rdr_with_range_and_rdr_pass),
	cmocka_unit_test(test_one_to_one_nat_is_binat),
)
