/*
 * tests/verify/test_z3_bytecode.c: the Z3 formula of "the rule that
 * decides packet p" agrees with the compiled bytecode's classifier
 * (pk_rs_classify) and with the reference evaluator, on random
 * ClassBench-shaped rulesets and packets aimed at their rules, and with
 * `set reassemble no` on fragments too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/ruleset.h"
#include "tests/support/pkbtest.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"
#include "verify/eval.h"
#include "verify/z3_encode.h"

/* Probability draws and tags set during evaluation are outside the
 * formula's scope (the linter stays silent on them): take them out. */
static void make_deterministic(struct pk_ir_ruleset *ir)
{
	for (uint32_t i = 0; i < ir->nrules; i++) {
		ir->rules[i].probability = 0;
		ir->rules[i].tag = NULL;
	}
}

static void to_vpkt(const struct pk_rs *rs, const struct pk_match_pkt *m, struct pk_vpkt *p)
{
	memset(p, 0, sizeof(*p));
	p->af = m->af;
	p->proto = m->proto;
	p->dir = m->dir;
	p->flags = m->tcp_flags;
	p->tos = m->tos;
	p->sport = m->sport;
	p->dport = m->dport;
	memcpy(p->src, m->src, 16);
	memcpy(p->dst, m->dst, 16);
	p->icmp_type = (uint8_t)(m->icmp_type < 0 ? 0 : m->icmp_type);
	p->icmp_code = (uint8_t)(m->icmp_code < 0 ? 0 : m->icmp_code);
	p->ifname = m->iface == PK_RT_NO_IFACE ? NULL : pk_rs_iface_name(rs, m->iface);
	p->tag = m->tag ? pk_rs_tag_name(rs, m->tag) : NULL;
	p->fragment = m->fragment;
}

/* Every third rule a `fragment` rule, every other packet a fragment, which
 * shows the rules no ports, flags or ICMP fields. */
static void with_fragments(struct pk_ir_ruleset *ir)
{
	ir->opts.reassemble_no = true;
	for (uint32_t i = 0; i < ir->nrules; i += 3)
		ir->rules[i].fragment = true;
}

static void as_fragment(struct pk_match_pkt *m)
{
	m->fragment = true;
	m->sport = m->dport = 0;
	m->tcp_flags = 0;
	m->icmp_type = m->icmp_code = -1;
}

static void agree_on(uint64_t seed, uint32_t nrules, unsigned npkts, bool frags)
{
	const struct pk_rulegen_opts o = {.seed = seed, .nrules = nrules, .ntables = 3, .quick_pct = 30, .owner_pct = 10};
	struct pk_ir_ruleset *ir = pk_rulegen(&o);
	make_deterministic(ir);
	if (frags)
		with_fragments(ir);
	struct pk_rs *rs = pk_test_load_rs(ir);
	struct pk_z3 z;
	assert_int_equal(pk_z3_init(&z, ir, NULL), 0);
	Z3_ast *M = calloc(ir->nrules + 1, sizeof(*M));
	struct pk_rng rng = {seed * 7 + 1};
	unsigned decided = 0;
	for (unsigned k = 0; k < npkts; k++) {
		struct pk_match_pkt m;
		pk_rulegen_packet(ir, rs, &rng, &m);
		m.ip_options = false;
		if (frags && k % 2)
			as_fragment(&m);
		struct pk_rs_result res;
		pk_rs_classify(rs, PK_PHASE_FILTER, &m, &res);
		struct pk_vpkt p;
		to_vpkt(rs, &m, &p);
		struct pk_eval_result ev;
		pk_eval_filter(ir, &p, &ev, NULL, NULL);
		const uint32_t want = res.rule == PK_RT_NO_RULE ? PK_Z3_NO_RULE : res.rule;
		const Z3_ast q[2] = {pk_z3_is_packet(&z, &p), pk_z3_decided_by(&z, ir, want, M)};
		char text[512];
		pk_vpkt_format(&p, text, sizeof(text));
		if (!pk_z3_witness(&z, Z3_mk_and(z.c, 2, q), NULL))
			fail_msg("seed %llu: bytecode says rule %d decides '%s'; the formula disagrees",
				 (unsigned long long)seed, (int)want, text);
		if ((ev.rule == PK_EVAL_NONE ? PK_Z3_NO_RULE : ev.rule) != want)
			fail_msg("seed %llu: bytecode says rule %d decides '%s'; the evaluator says %d",
				 (unsigned long long)seed, (int)want, text, (int)ev.rule);
		decided += want != PK_Z3_NO_RULE;
	}
	assert_true(decided > npkts / 4);
	free(M);
	pk_z3_fini(&z);
	pk_rs_free(rs);
	pk_rulegen_free(ir);
}

static void test_decision_formula_agrees_with_bytecode_classifier(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 6; seed++)
		agree_on(seed, 60, 150, false);
}

static void test_decision_formula_agrees_with_bytecode_classifier_on_fragments(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++)
		agree_on(seed, 60, 150, true);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_decision_formula_agrees_with_bytecode_classifier),
	cmocka_unit_test(test_decision_formula_agrees_with_bytecode_classifier_on_fragments),
)
