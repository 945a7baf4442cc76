/*
 * tests/verify/test_lint_point.c: the rules listed for a packet by its
 * addresses' first bits decide it as the reference evaluator's scan of
 * every rule does: the same rule, verdict and translation, on generated
 * rule sets (tables, negations, wildcards, quick rules) and where a match
 * rule translates the packet to addresses the lists left out; and the older
 * nat, rdr and binat rules as the evaluator takes them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/front_support.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"
#include "verify/eval.h"
#include "verify/lint_priv.h"
#include "verify/sample.h"

static void assert_same(const struct pk_ir_ruleset *rs, const struct pk_lint_point *ix, const struct pk_vpkt *p)
{
	struct pk_eval_result want, got;
	pk_eval_filter(rs, p, &want, NULL, NULL);
	pk_lint_point_eval(ix, p, &got);
	assert_int_equal(got.rule, want.rule);
	assert_int_equal(got.pass, want.pass);
	assert_int_equal(got.skipped, want.skipped);
	assert_int_equal(got.nat_rule, want.nat_rule);
	assert_memory_equal(&got.out, &want.out, sizeof(got.out));
}

static struct pk_box *boxes(const struct pk_ir_ruleset *rs)
{
	struct pk_box *b = calloc(rs->nrules + 1, sizeof(*b));
	assert_non_null(b);
	for (uint32_t i = 0; i < rs->nrules; i++)
		pk_box_of_rule(rs, &rs->rules[i], &b[i]);
	return b;
}

static void test_generated_rules_decide_as_the_full_scan(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		const struct pk_rulegen_opts o = {
			.seed = seed, .nrules = 2000, .ntables = 4, .legacy = true, .quick_pct = 20};
		struct pk_ir_ruleset *rs = pk_rulegen(&o);
		struct pk_box *b = boxes(rs);
		struct pk_lint_point *ix = pk_lint_point_new(rs, b);
		struct pk_rng rng = {seed};
		for (unsigned n = 0; n < 4000; n++) {
			const uint32_t i = pk_rng_below(&rng, rs->nrules);
			struct pk_vpkt p;
			pk_box_sample(&b[i], &rs->rules[i], pk_rng_below(&rng, 64), &p);
			assert_same(rs, ix, &p);
		}
		pk_lint_point_free(ix);
		free(b);
		pk_rulegen_free(rs);
	}
}

/* The match rule moves the source to 192.0.2.1: the rule after it that
 * names that source is in no list of the packet as it arrived. */
static const char translating[] = "interface wan0 address 192.0.2.1/24\n"
				  "interface lan0 address 10.0.0.1/24\n"
				  "block all\n"
				  "match out on wan0 from 10.0.0.0/24 nat-to 192.0.2.1\n"
				  "pass out on wan0 from 192.0.2.1 to any\n"
				  "block out quick on wan0 from 10.0.0.0/24 to 198.51.100.0/24\n";

static void test_a_translated_packet_meets_rules_the_lists_left_out(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok(translating);
	struct pk_box *b = boxes(rs);
	struct pk_lint_point *ix = pk_lint_point_new(rs, b);
	static const char *const pkts[] = {
		"tcp from 10.0.0.10 port 49152 to 203.0.113.5 port 443 out on wan0 flags S",
		"tcp from 10.0.0.10 port 49152 to 198.51.100.5 port 443 out on wan0 flags S",
		"udp from 10.0.0.10 port 49152 to 203.0.113.5 port 53 in on lan0",
	};
	for (size_t k = 0; k < PK_NELEMS(pkts); k++) {
		struct pk_vpkt p;
		char store[256];
		struct pk_err err;
		assert_int_equal(pk_vpkt_parse(pkts[k], &p, store, sizeof(store), &err), 0);
		assert_same(rs, ix, &p);
	}
	pk_lint_point_free(ix);
	free(b);
	pk_ir_ruleset_free(rs);
}

/* The older rules translate before the filter, the first that matches:
 * rdr pass leaves the filter unwalked, a binat takes inbound packets by its
 * external address, a `no rdr` stops the phase; the lists agree. */
static const char older[] = "interface wan0 address 192.0.2.1/24\n"
			    "interface lan0 address 10.0.0.1/24\n"
			    "binat on wan0 from 10.0.0.7 to any -> 192.0.2.7\n"
			    "no rdr on wan0 proto tcp from 198.51.100.9 to any port 80\n"
			    "rdr pass on wan0 proto tcp from any to 192.0.2.1 port 80 -> 10.0.0.5 port 8080\n"
			    "rdr on wan0 proto tcp from any to 192.0.2.1 port 443 -> 10.0.0.6\n"
			    "block all\n"
			    "pass in on wan0 proto tcp to 10.0.0.6 port 443\n"
			    "pass in on wan0 proto tcp to 10.0.0.7 port 22\n";

static void expect_older(const struct pk_ir_ruleset *rs, const struct pk_lint_point *ix, const char *pkt,
			 uint32_t older_rule, uint32_t rule, bool pass, const char *dst, uint16_t dport)
{
	struct pk_vpkt p;
	struct pk_eval_result res;
	struct pk_prefix want;
	char store[256];
	struct pk_err err;

	assert_int_equal(pk_vpkt_parse(pkt, &p, store, sizeof(store), &err), 0);
	assert_int_equal(pk_eval_older_rule(rs, &p), older_rule);
	pk_eval_filter(rs, &p, &res, NULL, NULL);
	assert_int_equal(res.rule, rule);
	assert_int_equal(res.pass, pass);
	assert_int_equal(pk_prefix_parse(dst, &want), 0);
	assert_memory_equal(res.out.dst, want.addr, 16);
	assert_int_equal(res.out.dport, dport);
	assert_same(rs, ix, &p);
}

static void test_older_rules_translate_before_the_filter(void **state)
{
	(void)state;
	struct pk_ir_ruleset *rs = pk_test_load_ok(older);
	struct pk_box *b = boxes(rs);
	struct pk_lint_point *ix = pk_lint_point_new(rs, b);

	/* rdr pass: no filter rule, pf's default rule passes */
	expect_older(rs, ix, "tcp from 203.0.113.4 port 40000 to 192.0.2.1 port 80 in on wan0", 2, PK_EVAL_NONE, true,
		     "10.0.0.5", 8080);
	/* rdr: the filter sees the internal address */
	expect_older(rs, ix, "tcp from 203.0.113.4 port 40000 to 192.0.2.1 port 443 in on wan0", 3, 5, true,
		     "10.0.0.6", 443);
	/* no rdr: the phase stops untranslated, block all decides */
	expect_older(rs, ix, "tcp from 198.51.100.9 port 40000 to 192.0.2.1 port 80 in on wan0", 1, 4, false,
		     "192.0.2.1", 80);
	/* binat, inbound by its external address: back to the internal one */
	expect_older(rs, ix, "tcp from 203.0.113.4 port 40000 to 192.0.2.7 port 22 in on wan0", 0, 6, true,
		     "10.0.0.7", 22);
	pk_lint_point_free(ix);
	free(b);
	pk_ir_ruleset_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_generated_rules_decide_as_the_full_scan),
	cmocka_unit_test(test_older_rules_translate_before_the_filter),
	cmocka_unit_test(test_a_translated_packet_meets_rules_the_lists_left_out),
)
