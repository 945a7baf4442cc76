/*
 * tests/verify/test_lint_expose.c: the exposure check's findings: one per
 * written rule, services by name with where they lead, a warning for what
 * is rarely public and info for the rest, nothing for a restricted source
 * or an internal interface.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/testmain.h"
#include "verify/lint.h"

static const char rules[] = "interface wan0 address 192.0.2.2/24\n"
			    "interface lan0 address 10.0.0.1/24\n"
			    "route default via wan0 gateway 192.0.2.1\n"
			    "block all\n"
			    "pass in on wan0 proto tcp to (wan0) port { ssh 3306 }\n"
			    "pass in on wan0 proto tcp to 10.0.0.5 port { 80 443 }\n"
			    "pass in on wan0 proto tcp to (wan0) port 8080 rdr-to 10.0.0.7 port 80\n"
			    "pass in on wan0 proto tcp from 198.51.100.7 to (wan0) port 5432\n"
			    "pass in on lan0 proto tcp to (lan0) port 23\n"
			    "pass out\n";

/* The exposure finding at line, or NULL. */
static const struct pk_lint_finding *at(const struct pk_lint_report *rep, uint32_t line)
{
	for (unsigned i = 0; i < rep->n; i++)
		if (rep->v[i].id == PK_LINT_EXPOSURE && rep->v[i].loc.line == line)
			return &rep->v[i];
	return NULL;
}

/* text linted with the default options into rep; returns the ruleset to free. */
static struct pk_ir_ruleset *lint(const char *text, struct pk_lint_report *rep)
{
	struct pk_ir_ruleset *rs = pk_test_load_ok(text);
	struct pk_lint_opts o;
	pk_lint_opts_default(&o);
	pk_lint_report_init(rep);
	assert_int_equal(pk_lint_run(rs, &o, rep), 0);
	return rs;
}

static void test_services_open_to_the_internet_are_named(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint(rules, &rep);
	const struct pk_lint_finding *f = at(&rep, 5);
	assert_non_null(f);
	assert_int_equal(f->sev, PK_SEV_WARNING);
	assert_non_null(strstr(f->msg, "ssh (tcp 22) on the firewall itself (remote administration)"));
	assert_non_null(strstr(f->msg, "mysql (tcp 3306) on the firewall itself (a database)"));
	assert_true(f->has_witness && f->witness.dport == 22);
	f = at(&rep, 6);
	assert_non_null(f);
	assert_int_equal(f->sev, PK_SEV_INFO); /* a web server behind the firewall */
	assert_non_null(strstr(f->msg, "http (tcp 80) forwarded; https (tcp 443) forwarded"));
	f = at(&rep, 7);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "http-alt (tcp 8080) redirected to 10.0.0.7"));
	assert_null(at(&rep, 8)); /* one source only */
	assert_null(at(&rep, 9)); /* the LAN */
	assert_int_equal(rep.stats.inconsistent, 0);
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

static void test_an_interface_declared_in_group_wan_is_wan_type(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint("interface em0 address 10.0.0.2/24 group wan\n"
					"interface em1 address 10.1.0.1/24\n"
					"block all\n"
					"pass in on em0 proto udp to (em0) port snmp\n"
					"pass in on em1 proto tcp to (em1) port ssh\n", &rep);
	const struct pk_lint_finding *f = at(&rep, 4);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "snmp (udp 161) on the firewall itself (rarely meant to be public)"));
	assert_null(at(&rep, 5));
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

/* af-to sends what it opens on in the other family, never to the
 * firewall itself (pf forwards it). */
static void test_af_to_exposure_is_forwarded_in_the_other_family(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint("interface wan0 address 192.0.2.2/24\n"
					"interface lan0 address 2001:db8:1::1/64\n"
					"route default via wan0 gateway 192.0.2.1\n"
					"block all\n"
					"pass in on wan0 inet proto tcp to 192.0.2.2 port ssh "
					"af-to inet6 from 2001:db8:1::1 to 2001:db8:1::/96\n", &rep);
	const struct pk_lint_finding *f = at(&rep, 5);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "ssh (tcp 22) translated to inet6 by af-to and forwarded"));
	assert_null(strstr(f->msg, "firewall itself"));
	assert_int_equal(rep.stats.inconsistent, 0);
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_services_open_to_the_internet_are_named),
	cmocka_unit_test(test_af_to_exposure_is_forwarded_in_the_other_family),
	cmocka_unit_test(test_an_interface_declared_in_group_wan_is_wan_type),
)
