/* tests/configxml/test_system.c: configxml/system.c and aliases.c: the
 * Advanced settings as set lines, aliases as tables and macros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/cxtest.h"
#include "tests/support/testmain.h"

static char *import(const char *system, const char *sections, char **msgs)
{
	char *x = pk_cxt_pfsense(system, sections);
	char *t = pk_cxt_import(x, msgs);
	free(x);
	return t;
}

static void test_optimization_profiles_and_conservative_timeouts(void **state)
{
	(void)state;
	char *m, *t = import("", "", &m);
	pk_cxt_expect_line(t, "set optimization normal");
	free(t);
	free(m);
	t = import("<optimization>conservative</optimization>", "", &m);
	pk_cxt_expect_line(t, "set optimization conservative");
	pk_cxt_expect_line(t, "set timeout { udp.first 300, udp.single 150, udp.multiple 900 }");
	free(t);
	free(m);
	t = import("<optimization>fastest</optimization>", "", &m);
	assert_null(t);
	assert_non_null(strstr(m, "error: unknown firewall optimization 'fastest'"));
	free(m);
}

static void test_state_table_size_adaptive_timeouts_and_state_policy(void **state)
{
	(void)state;
	char *m, *t = import("<maximumstates>50000</maximumstates><adaptivestart>30000</adaptivestart>"
			     "<adaptiveend>60000</adaptiveend><tcpfirsttimeout>60</tcpfirsttimeout>", "", &m);
	pk_cxt_expect_line(t, "set limit states 50000");
	pk_cxt_expect_line(t, "set timeout { adaptive.start 30000, adaptive.end 60000 }");
	pk_cxt_expect_line(t, "set timeout tcp.first 60");
	/* pfSense before 2.8 wrote no state-policy: FreeBSD's floating */
	pk_cxt_expect_line(t, "set state-policy floating");
	free(t);
	free(m);
	t = import("<statepolicy>if-bound</statepolicy><adaptivestart>10</adaptivestart>", "", &m);
	pk_cxt_expect_line(t, "set state-policy if-bound");
	pk_cxt_expect_no(t, "adaptive.start");
	free(t);
	free(m);
}

static void test_aliases_become_tables_port_macros_and_run_time_tables(void **state)
{
	(void)state;
	char *m, *t = import("", "<aliases>"
				 "<alias><name>inner</name><type>network</type><address>10.1.0.0/16</address></alias>"
				 "<alias><name>outer</name><type>host</type><address>inner 10.2.0.1 10.3.0.1-10.3.0.4</address></alias>"
				 "<alias><name>ports</name><type>port</type><address>22 8000-8080</address></alias>"
				 "<alias><name>dl</name><type>urltable</type><url>https://x/y</url></alias>"
				 "<alias><name>named</name><type>host</type><address>www.example.org</address></alias>"
				 "<alias><name>123</name><type>host</type><address>10.9.9.9</address></alias>"
				 "</aliases>", &m);
	pk_cxt_expect_line(t, "table <outer> { 10.1.0.0/16 10.2.0.1 10.3.0.1/32 10.3.0.2/31 10.3.0.4/32 }");
	pk_cxt_expect_line(t, "outer = \"<outer>\"");
	pk_cxt_expect_line(t, "ports = \"{ 22 8000:8080 }\"");
	pk_cxt_expect_line(t, "table <dl> persist");
	pk_cxt_expect_line(t, "table <named> persist");
	pk_cxt_expect_no(t, "<123>");
	assert_non_null(strstr(m, "alias 'dl' (urltable) is filled at run time"));
	assert_non_null(strstr(m, "alias 'named' (host) is filled at run time"));
	free(t);
	free(m);
}

static void test_run_time_tables_give_lint_nothing_to_rest_a_finding_on(void **state)
{
	(void)state;
	char *x = pk_cxt_pfsense("", "<aliases><alias><name>dl</name><type>urltable</type></alias></aliases>");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_cxt_load(x, &d);
	assert_non_null(rs);
	for (uint32_t i = 0; i < rs->ntables; i++)
		if (!strcmp(rs->tables[i].name, "dl") || !strcmp(rs->tables[i].name, "bogons"))
			assert_true(rs->tables[i].nentries == 0 && !rs->tables[i].is_const);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	free(x);
}

static void test_scrub_per_interface_with_advanced_flags_and_mss(void **state)
{
	(void)state;
	char *m, *t = import("", "", &m);
	pk_cxt_expect_line(t, "scrub on $WAN inet all fragment reassemble");
	pk_cxt_expect_line(t, "scrub on $LAN inet6 all fragment reassemble");
	const char *scrub = strstr(t, "scrub on"), *nat = strstr(t, "nat on");
	assert_true(scrub && nat && scrub < nat);
	free(t);
	free(m);
	t = import("<scrubnodf/><scrubrnid/>", "", &m);
	pk_cxt_expect_line(t, "scrub on $WAN inet all no-df random-id fragment reassemble");
	free(t);
	free(m);
	t = import("<disablescrub/>", "", &m);
	pk_cxt_expect_no(t, "scrub");
	free(t);
	free(m);
	t = pk_cxt_import_ok("<pfsense><version>22.2</version><interfaces><wan><enable/><if>vtnet0</if><ipaddr>dhcp</ipaddr>"
			     "<mss>1460</mss></wan></interfaces></pfsense>");
	pk_cxt_expect_line(t, "scrub on $WAN inet all max-mss 1420 fragment reassemble");
	pk_cxt_expect_line(t, "scrub on $WAN inet6 all max-mss 1400 fragment reassemble");
	free(t);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_scrub_per_interface_with_advanced_flags_and_mss),
	cmocka_unit_test(test_optimization_profiles_and_conservative_timeouts),
	cmocka_unit_test(test_state_table_size_adaptive_timeouts_and_state_policy),
	cmocka_unit_test(test_aliases_become_tables_port_macros_and_run_time_tables),
	cmocka_unit_test(test_run_time_tables_give_lint_nothing_to_rest_a_finding_on),
)
