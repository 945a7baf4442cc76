/* tests/configxml/test_read.c: configxml/read.c and translate.c: what is
 * a config.xml, what is refused (entities, external DTDs, other roots,
 * unknown versions), and one-section exports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "configxml/configxml.h"
#include "tests/support/cxtest.h"
#include "tests/support/testmain.h"

static void expect_refused(const char *xml, const char *fragment)
{
	char *msgs = NULL;
	char *t = pk_cxt_import(xml, &msgs);
	assert_null(t);
	if (!strstr(msgs, fragment))
		fail_msg("no '%s' in\n%s", fragment, msgs);
	free(msgs);
}

static void test_xml_is_told_apart_from_pf_conf_by_its_first_character(void **state)
{
	(void)state;
	assert_true(pk_cx_is_xml("\xef\xbb\xbf  \n<?xml version=\"1.0\"?>", 26));
	assert_true(pk_cx_is_xml("<pfsense/>", 10));
	assert_false(pk_cx_is_xml("pass all\n", 9));
	assert_false(pk_cx_is_xml("# <pfsense>\n", 12));
}

static void test_entity_declarations_are_refused_at_their_line(void **state)
{
	(void)state;
	expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE pfsense [\n<!ENTITY a \"aaaa\">\n"
		       "<!ENTITY b \"&a;&a;&a;&a;\">\n]>\n<pfsense><version>23.3</version><x>&b;</x></pfsense>\n",
		       "config.xml:3:1: error: refused: the DOCTYPE declares entities");
	expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE pfsense [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
		       "<pfsense><version>23.3</version><x>&x;</x></pfsense>\n",
		       "config.xml:2:1: error: refused: the DOCTYPE declares entities");
}

static void test_an_external_dtd_is_refused_and_never_fetched(void **state)
{
	(void)state;
	expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE pfsense SYSTEM \"http://192.0.2.1/x.dtd\">\n"
		       "<pfsense><version>23.3</version></pfsense>\n",
		       "config.xml:2:1: error: refused: the DOCTYPE names an external DTD");
}

static void test_other_roots_versions_and_broken_xml_are_located_errors(void **state)
{
	(void)state;
	expect_refused("<?xml version=\"1.0\"?>\n<config/>\n", "config.xml:2:1: error: not a pfSense or OPNsense configuration: the root element is <config>");
	expect_refused("<pfsense>\n<version>3.1</version>\n</pfsense>\n", "config.xml:2:1: error: unknown pfSense config version '3.1'");
	expect_refused("<pfsense>\n<filter>\n</pfsense>\n", "config.xml:3:");
	expect_refused("<pfsense>\n</pfsense>\n", "unknown pfSense config version '(none)'");
}

static void test_a_filter_export_keeps_its_rules_and_says_what_is_missing(void **state)
{
	(void)state;
	char *msgs = NULL;
	char *t = pk_cxt_import("<filter>\n<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
				"<source><address>Hosts</address></source><destination><any/></destination>"
				"<descr>x</descr></rule>\n</filter>\n", &msgs);
	assert_non_null(t);
	assert_non_null(strstr(msgs, "a <filter> export: it has no <interfaces>, <aliases>, <nat> or <system>"));
	assert_non_null(strstr(msgs, "alias 'Hosts' (unknown) is filled at run time"));
	pk_cxt_expect_line(t, "interface lan");
	pk_cxt_expect_line(t, "table <Hosts> persist");
	pk_cxt_expect_line(t, "pass in quick on $LAN inet from $Hosts to any keep state label \"USER_RULE: x\"");
	pk_cxt_expect_no(t, "Default deny");
	free(t);
	free(msgs);
}

static void test_an_aliases_export_is_tables_and_macros_only(void **state)
{
	(void)state;
	char *msgs = NULL;
	char *t = pk_cxt_import("<aliases>\n<alias><name>web</name><type>port</type><address>80 443</address></alias>\n"
				"<alias><name>srv</name><type>host</type><address>192.0.2.1</address></alias>\n</aliases>\n",
				&msgs);
	assert_non_null(t);
	assert_non_null(strstr(msgs, "an <aliases> export: tables and macros only"));
	pk_cxt_expect_line(t, "web = \"{ 80 443 }\"");
	pk_cxt_expect_line(t, "table <srv> { 192.0.2.1 }");
	pk_cxt_expect_no(t, "pass");
	free(t);
	free(msgs);
}

/* A port alias the export does not hold has no ports to write: the rules
 * naming it are left out, as the note says, and the rest loads. */
static void test_a_filter_export_leaves_out_rules_on_a_port_alias_it_lacks(void **state)
{
	(void)state;
	const char *xml = "<filter>\n<rule><type>pass</type><interface>lan</interface><ipprotocol>inet</ipprotocol>"
			  "<protocol>tcp</protocol><source><any/></source><destination><any/><port>WebPorts</port>"
			  "</destination><descr>web</descr></rule>\n<rule><type>pass</type><interface>lan</interface>"
			  "<ipprotocol>inet</ipprotocol><protocol>tcp</protocol><source><any/></source><destination><any/>"
			  "<port>22</port></destination><descr>ssh</descr></rule>\n</filter>\n";
	char *msgs = NULL;
	char *t = pk_cxt_import(xml, &msgs);
	assert_non_null(t);
	assert_non_null(strstr(msgs, "port alias 'WebPorts' has no ports config.xml holds (inet); the product leaves the rule out"));
	pk_cxt_expect_no(t, "$WebPorts");
	pk_cxt_expect_line(t, "pass in quick on $LAN inet proto tcp from any to any port 22 flags S/SA keep state label \"USER_RULE: ssh\"");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(xml, &d);
	assert_non_null(rs);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(t);
	free(msgs);
}

/* The box as it ran: a --topology file gives the address DHCP gave WAN,
 * and the import declares no interface of its own beside it. */
static void test_a_topology_file_stands_for_the_imports_interfaces(void **state)
{
	(void)state;
	char topo[] = "/tmp/pk-cxtopo-XXXXXX";
	int fd = mkstemp(topo);
	assert_true(fd >= 0);
	const char *lines = "interface lo0 address 127.0.0.1/8, ::1/128\ninterface vtnet0 address 198.51.100.7/24\n"
			    "interface vtnet1 address 10.1.1.1/24\n";
	assert_int_equal(write(fd, lines, strlen(lines)), (ssize_t)strlen(lines));
	close(fd);
	const char *xml = "<pfsense><version>22.2</version><interfaces><wan><enable/><if>vtnet0</if><ipaddr>dhcp</ipaddr></wan>"
			  "<lan><enable/><if>vtnet1</if><ipaddr>10.1.1.1</ipaddr><subnet>24</subnet></lan></interfaces></pfsense>";
	struct pk_diags d;
	pk_diags_init(&d);
	struct pk_frontend_opts o = {.topology = topo};
	struct pk_ir_ruleset *rs = NULL;
	assert_int_equal(pk_frontend_load_string("config.xml", xml, strlen(xml), &o, &d, &rs), 0);
	const struct pk_ir_iface *wan = pk_ir_iface_find(rs, "vtnet0");
	assert_non_null(wan);
	assert_int_equal(wan->naddrs, 1);
	assert_string_equal(wan->loc.file, topo);
	pk_ir_ruleset_free(rs);
	struct pk_arena *a = pk_arena_new();
	struct pk_cx_text t;
	assert_int_equal(pk_cx_translate(a, "config.xml", xml, strlen(xml), topo, &d, &t), 0);
	char *text = strndup(t.text, t.len);
	pk_cxt_expect_no(text, "interface ");
	pk_cxt_expect_line(text, "antispoof log for $WAN");
	free(text);
	pk_arena_free(a);
	pk_diags_free(&d);
	unlink(topo);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_xml_is_told_apart_from_pf_conf_by_its_first_character),
	cmocka_unit_test(test_entity_declarations_are_refused_at_their_line),
	cmocka_unit_test(test_an_external_dtd_is_refused_and_never_fetched),
	cmocka_unit_test(test_other_roots_versions_and_broken_xml_are_located_errors),
	cmocka_unit_test(test_a_filter_export_keeps_its_rules_and_says_what_is_missing),
	cmocka_unit_test(test_an_aliases_export_is_tables_and_macros_only),
	cmocka_unit_test(test_a_filter_export_leaves_out_rules_on_a_port_alias_it_lacks),
	cmocka_unit_test(test_a_topology_file_stands_for_the_imports_interfaces),
)
