/*
 * tests/verify/test_expect.c: policy tests (verify/expect.c) on a small
 * router: stateful and stateless passes, the out rules of the routed
 * interface, blocks and reachability, each failure with its witness and
 * the steps that decide it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/frontend.h"
#include "tests/support/testmain.h"
#include "verify/eval.h"
#include "verify/expect.h"

static const char rules[] =
	"interface lan0 address 192.168.10.1/24\n"
	"interface wan0 address 198.51.100.20/24\n"
	"interface dmz0 address 10.0.5.1/24\n"
	"route default via wan0 gateway 198.51.100.1\n"
	"block all\n"
	"pass in on lan0 inet from 192.168.10.0/24 to any\n"
	"pass out on wan0 inet from any to any\n"
	"pass out on dmz0 proto tcp from 192.168.10.0/24 to 10.0.5.10 port { 22 443 }\n"
	"pass in on lan0 proto udp from 192.168.10.0/24 to any port 53 no state\n"
	"pass out on wan0 proto udp to any port 53 no state\n";

/* The rulesets of the last check: the result's names point into them. */
static struct pk_ir_ruleset *rs, *shape_rs;

static void free_rulesets(void)
{
	if (rs)
		pk_ir_ruleset_free(rs);
	if (shape_rs)
		pk_ir_ruleset_free(shape_rs);
	rs = shape_rs = NULL;
}

PK_TEST_FIXTURE(teardown, free_rulesets())

/* Checks one expectation whose shape is a rule body; returns the result. */
static struct pk_expect_result check(enum pk_expect_kind kind, const char *shape)
{
	struct pk_diags d;
	char text[2048];
	free_rulesets();
	pk_diags_init(&d);
	assert_int_equal(pk_frontend_load_string("r.conf", rules, sizeof(rules) - 1, NULL, &d, &rs), 0);
	const int n = snprintf(text, sizeof(text), "%smatch %s\n", rules, shape);
	assert_int_equal(pk_frontend_load_string("r.conf", text, (size_t)n, NULL, &d, &shape_rs), 0);
	pk_diags_free(&d);
	struct pk_expect e = {.kind = kind, .text = shape, .first = rs->nrules, .n = shape_rs->nrules - rs->nrules};
	struct pk_expect_result r;
	assert_int_equal(pk_expect_check(rs, shape_rs, &e, 1, &r), 0);
	return r;
}

static void test_a_stateful_pass_routed_to_an_allowing_interface_holds(void **state)
{
	(void)state;
	const struct pk_expect_result r = check(PK_EXPECT_PASS, "in on lan0 proto tcp from 192.168.10.0/24 to 10.0.5.10 "
								"port { 22 443 }");
	assert_true(r.holds);
}

static void test_a_pass_blocked_by_the_out_rules_fails_at_the_out_step(void **state)
{
	(void)state;
	const struct pk_expect_result r = check(PK_EXPECT_PASS, "in on lan0 proto tcp from 192.168.10.0/24 to 10.0.5.10 "
								"port 3306");
	assert_false(r.holds);
	assert_false(r.undecided);
	assert_int_equal(r.w.dport, 3306);
	assert_int_equal(r.w.flags, PK_TH_SYN); /* the connection's opening packet */
	assert_int_equal(r.nsteps, 2);
	assert_string_equal(r.steps[1].what, "out");
	assert_string_equal(r.steps[1].p.ifname, "dmz0");
	assert_false(r.steps[1].pass);
	assert_int_equal(r.steps[1].rule, 0); /* block all */
}

static void test_a_pass_without_state_fails_on_the_blocked_reply(void **state)
{
	(void)state;
	const struct pk_expect_result r = check(PK_EXPECT_PASS, "in on lan0 proto udp from 192.168.10.0/24 to any port 53");
	assert_false(r.holds);
	assert_string_equal(r.steps[r.nsteps - 1].what, "reply (no state)");
	assert_false(r.steps[r.nsteps - 1].pass);
}

static void test_block_holds_when_nothing_of_the_shape_gets_through(void **state)
{
	(void)state;
	assert_true(check(PK_EXPECT_BLOCK, "in on wan0 proto tcp from any to 10.0.5.10 port 3306").holds);
}

static void test_block_fails_with_the_packet_that_gets_through(void **state)
{
	(void)state;
	const struct pk_expect_result r = check(PK_EXPECT_BLOCK, "in on lan0 proto tcp to 10.0.5.10 port 22");
	assert_false(r.holds);
	assert_int_equal(r.nsteps, 2);
	assert_true(r.steps[0].pass && r.steps[1].pass);
	assert_int_equal(r.steps[1].rule, 3); /* pass out on dmz0 ... port 22 */
}

static void test_reach_holds_for_some_and_fails_for_none(void **state)
{
	(void)state;
	assert_true(check(PK_EXPECT_REACH, "in on lan0 proto tcp from 192.168.10.0/24 to any port 443").holds);
	const struct pk_expect_result r = check(PK_EXPECT_REACH, "in on wan0 proto tcp to 10.0.5.10 port 22");
	assert_false(r.holds);
	assert_int_equal(r.steps[0].rule, 0);
}

static void test_a_shape_no_packet_has_is_reported_empty(void **state)
{
	(void)state;
	const struct pk_expect_result r = check(PK_EXPECT_PASS, "in on lan0 proto tcp flags A/S");
	assert_false(r.holds);
	assert_true(r.empty);
}

PK_TEST_MAIN(cmocka_unit_test_teardown(test_a_stateful_pass_routed_to_an_allowing_interface_holds, teardown),
	     cmocka_unit_test_teardown(test_a_pass_blocked_by_the_out_rules_fails_at_the_out_step, teardown),
	     cmocka_unit_test_teardown(test_a_pass_without_state_fails_on_the_blocked_reply, teardown),
	     cmocka_unit_test_teardown(test_block_holds_when_nothing_of_the_shape_gets_through, teardown),
	     cmocka_unit_test_teardown(test_block_fails_with_the_packet_that_gets_through, teardown),
	     cmocka_unit_test_teardown(test_reach_holds_for_some_and_fails_for_none, teardown),
	     cmocka_unit_test_teardown(test_a_shape_no_packet_has_is_reported_empty, teardown))
