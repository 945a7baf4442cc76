/* tests/compiler/test_divert.c: divert-to, divert-reply, divert-packet,
 * af-to and rtable as pfctl reads, checks and prints them
 * (compiler/resolve_divert.c), and what stays unsupported: reported, kept
 * as a rule printed as written, and refused only by the encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/encode.h"
#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

/* text prints as want, and want prints as itself (the round trip). */
static void expect_print(const char *text, const char *want)
{
	pk_test_expect_print(text, want);
	pk_test_expect_print(want, want);
}

static void test_divert_to_prints_as_pfctl_prints_it(void **state)
{
	(void)state;
	expect_print("pass in proto tcp to port 25 divert-to 127.0.0.1 port 8025\n",
		     "pass in inet proto tcp from any to any port = 25 flags S/SA divert-to 127.0.0.1 port 8025\n");
	expect_print("pass in on em0 inet proto tcp to port 80 divert-to 127.0.0.1 port http\n",
		     "pass in on em0 inet proto tcp from any to any port = 80 flags S/SA divert-to 127.0.0.1 port 80\n");
	expect_print("pass in inet6 proto tcp to port 25 divert-to ::1 port 8025\n",
		     "pass in inet6 proto tcp from any to any port = 25 flags S/SA divert-to ::1 port 8025\n");
}

/* pfctl resolves localhost to 127.0.0.1 and ::1 and takes the rule's
 * family, the first (IPv4) when the rule names none (regress pf104). */
static void test_divert_to_localhost_takes_the_rules_family(void **state)
{
	(void)state;
	pk_test_expect_print("pass in proto tcp to port 25 divert-to localhost port 8025\n",
			     "pass in inet proto tcp from any to any port = 25 flags S/SA divert-to 127.0.0.1 port 8025\n");
	pk_test_expect_print("pass in inet6 proto tcp to port 25 divert-to localhost port 8025\n",
			     "pass in inet6 proto tcp from any to any port = 25 flags S/SA divert-to ::1 port 8025\n");
}

/* pfctl's host() reads a name as an interface or group: divert-to takes
 * its first address of the rule's family (lo is the loopback group). */
static void test_divert_to_an_interface_takes_its_address(void **state)
{
	(void)state;
	pk_test_expect_print("interface lo0 address 127.0.0.1/8, ::1/128\n"
			     "pass in inet proto tcp to port 21 divert-to lo port 8021\n",
			     "pass in inet proto tcp from any to any port = 21 flags S/SA divert-to 127.0.0.1 port 8021\n");
	pk_test_expect_print("interface lo0 address 127.0.0.1/8, ::1/128\n"
			     "pass in inet6 proto tcp to port 21 divert-to lo0 port 8021\n",
			     "pass in inet6 proto tcp from any to any port = 21 flags S/SA divert-to ::1 port 8021\n");
	pk_test_expect_diag("interface lo0 address 127.0.0.1/8\npass in inet6 proto tcp divert-to lo0 port 1\n",
			    "nor an interface with an address of the rule's family");
}

static void test_divert_options_are_checked_as_pfctl_checks_them(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in inet6 proto tcp divert-to 127.0.0.1 port 1\n", "not of the rule's address family");
	pk_test_expect_diag("pass in inet proto tcp divert-to ::1 port 1\n", "not of the rule's address family");
	pk_test_expect_diag("pass out divert-to 127.0.0.1 port 1\n", "cannot be used on an 'out' rule");
	pk_test_expect_diag("pass in divert-reply\n", "cannot be used on an 'in' rule");
	pk_test_expect_diag("pass divert-to 127.0.0.1 port 1 divert-reply\n", "a rule takes one divert option");
	pk_test_expect_diag("pass divert-reply divert-packet port 1234\n", "a rule takes one divert option");
	pk_test_expect_diag("pass in divert-to www.example.org port 1\n", "no host address");
	pk_test_expect_diag("pass in divert-to 127.0.0.1 port 0\n", "divert port 0 is no port");
	pk_test_expect_no_diag("pass on em0 inet proto tcp to port 80 divert-to 127.0.0.1 port 8080\n", "error");
}

static void test_divert_reply_is_a_pass_printed_back(void **state)
{
	(void)state;
	expect_print("pass out on em0 inet proto tcp to port 220:230 divert-reply\n",
		     "pass out on em0 inet proto tcp from any to any port 220:230 flags S/SA divert-reply\n");
	pk_test_expect_no_diag("pass out proto tcp divert-reply\n", "unsupported");
}

static void test_divert_packet_is_parsed_and_unsupported(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in divert-packet port 700\n",
			    "warning: unsupported: divert-packet (to a divert(4) socket, whose program decides)");
	expect_print("pass in inet divert-packet port 700\n", "pass in inet all flags S/SA divert-packet port 700\n");
}

static void test_af_to_is_parsed_checked_and_printed(void **state)
{
	(void)state;
	pk_test_expect_no_diag("pass in inet6 from any to 64:ff9b::/96 af-to inet from 192.0.2.1\n", "af-to");
	/* (em0) prints as written; its address comes from the topology */
	pk_test_expect_print("interface em0 address 192.0.2.1/24, 2001:db8::1/64\n"
			     "pass in on em0 inet6 to 64:ff9b::/96 af-to inet from (em0)\n",
			     "pass in on em0 inet6 from any to 64:ff9b::/96 flags S/SA af-to inet from (em0)\n");
	pk_test_expect_diag("interface em0 address 2001:db8::1/64\npass in inet6 af-to inet from (em0)\n",
			    "af-to inet needs an address of that family");
	pk_test_expect_diag("pass in inet6 to 64:ff9b::/96 af-to inet from <nat64>\n",
			    "warning: unsupported: af-to (to or from a table)");
	expect_print("pass in inet6 from any to 64:ff9b::/96 af-to inet from 192.0.2.1\n",
		     "pass in inet6 from any to 64:ff9b::/96 flags S/SA af-to inet from 192.0.2.1\n");
	expect_print("pass in inet af-to inet6 from 2001:db8::1 to 2001:db8:64::/96\n",
		     "pass in inet all flags S/SA af-to inet6 from 2001:db8::1 to 2001:db8:64::/96\n");
	pk_test_expect_diag("pass in inet af-to inet6 from 2001:db8::1 route-to lo0\n",
			    "af-to cannot be used with route-to, reply-to or dup-to");
	pk_test_expect_diag("pass out inet af-to inet6 from 2001:db8::1\n", "the rule needs 'in'");
	pk_test_expect_diag("pass in inet6 af-to inet from 192.0.2.1 rdr-to 2001:db8::1\n",
			    "af-to cannot be used with nat-to, rdr-to or binat-to");
	pk_test_expect_diag("match in inet6 af-to inet from 192.0.2.1\n",
			    "warning: unsupported: af-to on a match rule");
	pk_test_expect_diag("pass in inet af-to inet from 192.0.2.1\n", "to the other address family");
	pk_test_expect_diag("pass in af-to inet6 from 2001:db8::1\n", "af-to needs the family of the rule");
	pk_test_expect_diag("pass in inet af-to inet6 from 192.0.2.1\n", "af-to inet6 needs an address of that family");
}

static void test_rtable_is_carried_with_a_note(void **state)
{
	(void)state;
	expect_print("pass in rtable 1\n", "pass in all flags S/SA rtable 1\n");
	pk_test_expect_diag("pass in rtable 1\n", "note: rtable (routing table of the packet) changes no verdict");
}

/* A statement with an unsupported feature is kept: printed as written
 * (macros expanded), once for the rules its lists made. */
static void test_an_unsupported_rule_prints_as_written(void **state)
{
	(void)state;
	expect_print("ext = \"em0\"\npass in on $ext proto { tcp, udp } to port 53 max-pkt-rate 100/10\npass out\n",
		     "pass in on em0 proto { tcp, udp } to port 53 max-pkt-rate 100/10\npass out all flags S/SA\n");
	expect_print("block all\npass in on rdomain 1 all\n", "block drop all\npass in on rdomain 1 all\n");
}

/* Every other line is still checked: an error after an unsupported line
 * is reported, and the unsupported one is a warning. */
static void test_an_unsupported_line_does_not_stop_the_rest(void **state)
{
	(void)state;
	const char *text = "pass in max-pkt-rate 100/10\npass in from $nope\n";
	pk_test_expect_diag(text, "t.conf:1:9: warning: unsupported: max-pkt-rate [unsupported]");
	pk_test_expect_diag(text, "t.conf:2:14: error: unknown macro '$nope'");
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_test_load("block all\npass in on em0 proto tcp max-pkt-rate 100/10\npass out\n", &d);
	assert_non_null(rs);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.nunsupported, 1);
	assert_int_equal(rs->nrules, 3);
	assert_string_equal(rs->rules[1].unsupported, "max-pkt-rate");
	assert_null(rs->rules[2].unsupported);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
}

/* Only what needs bytecode refuses it: the encoder, naming the feature
 * and the line; and the warnings become errors for compile and replay. */
static void test_the_encoder_refuses_an_unsupported_rule(void **state)
{
	(void)state;
	struct pk_diags d, e;
	struct pk_ir_ruleset *rs = pk_test_load("pass all\npass in max-pkt-rate 100/10\n", &d);
	assert_non_null(rs);
	pk_diags_init(&e);
	uint8_t *buf;
	size_t len;
	assert_int_equal(pk_encode(rs, &buf, &len, &e), -1);
	assert_null(buf);
	assert_int_equal(e.nerrors, 1);
	assert_int_equal(e.v[0].loc.line, 2);
	assert_string_equal(e.v[0].msg, "unsupported: max-pkt-rate");
	assert_int_equal(pk_diags_refuse_unsupported(&d), 1);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.nwarnings, 0);
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
	pk_diags_free(&e);
}

PK_TEST_MAIN(cmocka_unit_test(test_divert_to_prints_as_pfctl_prints_it),
	     cmocka_unit_test(test_divert_to_localhost_takes_the_rules_family),
	     cmocka_unit_test(test_divert_to_an_interface_takes_its_address),
	     cmocka_unit_test(test_divert_options_are_checked_as_pfctl_checks_them),
	     cmocka_unit_test(test_divert_reply_is_a_pass_printed_back),
	     cmocka_unit_test(test_divert_packet_is_parsed_and_unsupported),
	     cmocka_unit_test(test_af_to_is_parsed_checked_and_printed),
	     cmocka_unit_test(test_rtable_is_carried_with_a_note),
	     cmocka_unit_test(test_an_unsupported_rule_prints_as_written),
	     cmocka_unit_test(test_an_unsupported_line_does_not_stop_the_rest),
	     cmocka_unit_test(test_the_encoder_refuses_an_unsupported_rule))
