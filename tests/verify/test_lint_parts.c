/*
 * tests/verify/test_lint_parts.c: implicit pass and exposure over
 * hundreds of rules, where the question is first asked in parts (a
 * second solver adding the rules that match each packet it finds): a gap
 * is still reported, and rules that together take every packet still
 * prove there is none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/testmain.h"
#include "verify/lint.h"

/* More rules than a question is asked in parts from. */
#define MANY 300

/* head, then MANY lines of fmt (one %u: 0..MANY-1, as 20.0 to 21.43),
 * then tail, linted with the default options. */
static struct pk_ir_ruleset *lint(const char *head, const char *fmt, const char *tail, struct pk_lint_report *rep)
{
	const size_t size = strlen(head) + strlen(tail) + MANY * (strlen(fmt) + 16) + 1;
	char *text = malloc(size);
	assert_non_null(text);
	size_t off = (size_t)snprintf(text, size, "%s", head);
	for (unsigned k = 0; k < MANY; k++)
		off += (size_t)snprintf(text + off, size - off, fmt, 20 + k / 256, k % 256);
	snprintf(text + off, size - off, "%s", tail);
	struct pk_ir_ruleset *rs = pk_test_load_ok(text);
	free(text);
	struct pk_lint_opts o;
	pk_lint_opts_default(&o);
	pk_lint_report_init(rep);
	assert_int_equal(pk_lint_run(rs, &o, rep), 0);
	assert_int_equal(rep->stats.inconsistent, 0);
	return rs;
}

static const struct pk_lint_finding *find(const struct pk_lint_report *rep, enum pk_lint_id id)
{
	for (unsigned i = 0; i < rep->n; i++)
		if (rep->v[i].id == id)
			return &rep->v[i];
	return NULL;
}

/* Not one wide exact rule holds the UDP passes: the question keeps them. */
static const char implicit_head[] = "block out all\n"
				    "block in inet6 all\n"
				    "block in inet from 192.0.2.99 to any\n";
static const char implicit_udp[] = "pass in inet proto udp to %u.%u.0.0/16\n";

static void test_implicit_pass_over_many_rules_finds_the_gap(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint(implicit_head, implicit_udp, "", &rep);
	const struct pk_lint_finding *f = find(&rep, PK_LINT_IMPLICIT_PASS);
	assert_non_null(f);
	assert_true(f->has_witness);
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

static void test_implicit_pass_over_many_rules_that_take_every_packet_is_silent(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint(implicit_head, implicit_udp, "block in inet from !192.0.2.99 to any\n", &rep);
	assert_null(find(&rep, PK_LINT_IMPLICIT_PASS));
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

static const char wan_head[] = "interface wan0 address 192.0.2.2/24\n"
			       "interface lan0 address 10.0.0.1/24\n"
			       "route default via wan0 gateway 192.0.2.1\n"
			       "block all\n";
static const char wan_blocks[] = "block in quick on wan0 inet proto tcp to %u.%u.0.0/16 port 3306\n";

static void test_exposure_past_many_quick_rules_is_reported(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint(wan_head, wan_blocks, "pass in on wan0 proto tcp to any port 3306\n", &rep);
	const struct pk_lint_finding *f = find(&rep, PK_LINT_EXPOSURE);
	assert_non_null(f);
	assert_non_null(strstr(f->msg, "mysql (tcp 3306) on the firewall and forwarded"));
	assert_true(f->has_witness && f->witness.dport == 3306);
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

/* The pass decides packets arriving on the LAN only: not shadowed, and
 * exposing nothing. */
static void test_a_rule_quick_rules_take_every_wan_packet_of_exposes_nothing(void **state)
{
	(void)state;
	struct pk_lint_report rep;
	struct pk_ir_ruleset *rs = lint(wan_head, wan_blocks,
					"block in quick on wan0 proto tcp to any port 3306\n"
					"pass in proto tcp to any port 3306\n",
					&rep);
	assert_null(find(&rep, PK_LINT_EXPOSURE));
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_implicit_pass_over_many_rules_finds_the_gap),
	cmocka_unit_test(test_implicit_pass_over_many_rules_that_take_every_packet_is_silent),
	cmocka_unit_test(test_exposure_past_many_quick_rules_is_reported),
	cmocka_unit_test(test_a_rule_quick_rules_take_every_wan_packet_of_exposes_nothing),
)
