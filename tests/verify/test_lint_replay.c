/*
 * tests/verify/test_lint_replay.c: a finding's witness goes through the
 * runtime's engine before the finding is printed. A witness that meets
 * the rules and outcome its finding claims is kept; one the engine
 * decides otherwise (another rule, another verdict) is withheld and
 * counted, so a linter that named the wrong rule would fail here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/testmain.h"
#include "verify/lint.h"

static const char rules[] = "interface lan0 address 10.0.0.1/24\n"
			    "block in all\n"
			    "pass in on lan0 proto tcp to port 22\n";

static struct pk_lint_finding *finding(struct pk_lint_report *rep, const struct pk_ir_ruleset *rs,
				       enum pk_lint_id id, uint32_t rule, uint32_t by, const char *witness)
{
	struct pk_lint_finding *f = pk_lint_add(rep, id, &rs->rules[rule], NULL, "claim");
	pk_lint_relate(rep, f, &rs->rules[by], NULL, "decides its packets");
	static char store[8][256];
	static unsigned next;
	struct pk_vpkt p;
	struct pk_err err;
	assert_int_equal(pk_vpkt_parse(witness, &p, store[next++ % 8], sizeof(store[0]), &err), 0);
	pk_lint_witness(f, &p, NULL);
	return f;
}

static void test_witness_the_engine_agrees_with_is_kept(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok(rules);
	struct pk_lint_report rep;
	pk_lint_report_init(&rep);
	/* the block all is overtaken by the pass on port 22 (the last match) */
	finding(&rep, rs, PK_LINT_OVERRIDDEN, 0, 1,
		"tcp from 10.0.0.10 port 49152 to 10.0.0.1 port 22 in on lan0 flags S");
	pk_lint_replay_check(rs, &rep, stderr);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.stats.replayed, 1);
	assert_int_equal(rep.stats.inconsistent, 0);
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

static void test_witness_decided_by_another_rule_is_withheld(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok(rules);
	struct pk_lint_report rep;
	pk_lint_report_init(&rep);
	/* port 80: the block decides it, not the pass the finding names */
	finding(&rep, rs, PK_LINT_OVERRIDDEN, 0, 1,
		"tcp from 10.0.0.10 port 49152 to 10.0.0.1 port 80 in on lan0 flags S");
	/* a packet a rule decides does not pass by default */
	struct pk_lint_finding *f = pk_lint_add(&rep, PK_LINT_IMPLICIT_PASS, NULL, &rs->rules[0].loc, "claim");
	struct pk_vpkt p;
	char store[256];
	struct pk_err err;
	assert_int_equal(pk_vpkt_parse("udp from 10.0.0.10 port 5 to 10.0.0.1 port 53 in on lan0", &p, store,
				       sizeof(store), &err),
			 0);
	pk_lint_witness(f, &p, NULL);
	FILE *quiet = fopen("/dev/null", "w");
	pk_lint_replay_check(rs, &rep, quiet);
	fclose(quiet);
	assert_int_equal(rep.n, 0);
	assert_int_equal(rep.stats.inconsistent, 2);
	pk_lint_report_free(&rep);
	pk_ir_ruleset_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_witness_the_engine_agrees_with_is_kept),
	cmocka_unit_test(test_witness_decided_by_another_rule_is_withheld),
)
