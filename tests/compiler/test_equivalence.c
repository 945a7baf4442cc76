/*
 * tests/compiler/test_equivalence.c: the decision tree in the compiled
 * program gives the same deciding rule and the same match rules as a
 * reference evaluation of the IR (tests/support/refmatch.c) and as the
 * runtime's own linear evaluation, on random packets for generated rule
 * sets of up to 10k rules; and that those programs use every kind of
 * instruction and list mark, so the comparison covers them all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/encode.h"
#include "runtime/pkb_format.h"
#include "tests/support/refmatch.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"

/* What the program of a compiled file uses: per opcode, and the list
 * entries marked sure and SYN. */
struct prog_use {
	uint32_t ops[PKB_OP_COUNT], sure, syn;
};

static void program_use(const uint8_t *buf, struct prog_use *u)
{
	const struct pkb_header *h = (const struct pkb_header *)buf;
	const uint32_t *prog = (const uint32_t *)(buf + h->sections[PKB_SEC_PROGRAM].offset);
	uint32_t n = h->sections[PKB_SEC_PROGRAM].count;
	memset(u, 0, sizeof(*u));
	for (uint32_t pc = PKB_ENTRIES; pc < n; pc += pkb_insn_len(prog, n, pc)) {
		enum pkb_op op = pkb_op(prog[pc]);
		u->ops[op]++;
		for (uint32_t j = 0; (op == PKB_OP_LAST || op == PKB_OP_COLLECT) && j < pkb_operand_a(prog[pc]); j++) {
			u->sure += !!(pkb_list(prog + pc)[j] & PKB_SURE);
			u->syn += !!(pkb_list(prog + pc)[j] & PKB_SYN);
		}
	}
}

static struct prog_use last_use;

static struct pk_rs *compile(const struct pk_ir_ruleset *ir)
{
	struct pk_diags d;
	uint8_t *buf;
	size_t len;
	struct pk_rs *rs = NULL;
	struct pk_err err;
	pk_diags_init(&d);
	assert_int_equal(pk_encode(ir, &buf, &len, &d), 0);
	program_use(buf, &last_use);
	if (pk_rs_load(buf, len, &rs, &err))
		fail_msg("load: %s at offset %llu", err.msg, (unsigned long long)err.offset);
	free(buf);
	pk_diags_free(&d);
	return rs;
}

static void assert_same(const struct pk_rs_result *a, const struct pk_rs_result *b, const char *what,
			uint32_t pkt, int phase)
{
	if (a->rule != b->rule || a->nmatches != b->nmatches ||
	    memcmp(a->matches, b->matches, a->nmatches * sizeof(a->matches[0])))
		fail_msg("%s: packet %u phase %d: rule %u vs %u, %u vs %u match rules", what, pkt, phase, a->rule,
			 b->rule, a->nmatches, b->nmatches);
}

/* Returns the mean rules examined by the tree per filter classification. */
static double check_equivalence_quick(uint64_t seed, uint32_t nrules, uint32_t npackets, uint32_t quick_pct)
{
	struct pk_rulegen_opts o = {
		.seed = seed, .nrules = nrules, .ntables = 4, .legacy = true, .quick_pct = quick_pct, .owner_pct = 5};
	struct pk_ir_ruleset *ir = pk_rulegen(&o);
	struct pk_rs *rs = compile(ir);
	struct pk_rng rng = {seed * 7 + 1};
	uint64_t examined = 0, decided = 0;
	for (uint32_t i = 0; i < npackets; i++) {
		struct pk_match_pkt p;
		pk_rulegen_packet(ir, rs, &rng, &p);
		for (int ph = 0; ph < PK_PHASE_COUNT; ph++) {
			struct pk_rs_result tree, lin, ref;
			pk_rs_classify(rs, (enum pk_rt_phase)ph, &p, &tree);
			pk_rs_classify_trace(rs, (enum pk_rt_phase)ph, &p, &lin, NULL, NULL);
			pk_refmatch(ir, rs, (enum pk_rt_phase)ph, &p, &ref);
			assert_same(&tree, &ref, "tree vs reference", i, ph);
			assert_same(&lin, &ref, "linear vs reference", i, ph);
			if (ph == PK_PHASE_FILTER) {
				examined += tree.evaluated;
				decided += tree.rule != PK_RT_NO_RULE;
			}
		}
	}
	assert_true(decided > 0);
	pk_rs_free(rs);
	pk_rulegen_free(ir);
	return (double)examined / npackets;
}

static double check_equivalence(uint64_t seed, uint32_t nrules, uint32_t npackets)
{
	return check_equivalence_quick(seed, nrules, npackets, 30);
}

static void test_tree_equals_reference_on_small_rulesets(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		check_equivalence(seed, 1 + (uint32_t)(seed * 3 % 50), 2000);
		check_equivalence_quick(seed, 1 + (uint32_t)(seed * 7 % 300), 2000, seed % 2 ? 0 : 2);
	}
}

/* The checks above cover every kind of instruction and list mark. */
static void test_1k_rules_use_sure_syn_and_narrow_instructions(void **state)
{
	(void)state;
	struct pk_rulegen_opts o = {.seed = 1001, .nrules = 1000, .ntables = 4, .legacy = true, .quick_pct = 30};
	struct pk_ir_ruleset *ir = pk_rulegen(&o);
	pk_rs_free(compile(ir));
	pk_rulegen_free(ir);
	assert_true(last_use.sure > 0 && last_use.syn > 0);
	assert_true(last_use.ops[PKB_OP_APPLY] > 0 && last_use.ops[PKB_OP_TESTSYN] > 0);
	assert_true(last_use.ops[PKB_OP_CUT32] > 0 && last_use.ops[PKB_OP_CUT] > 0 && last_use.ops[PKB_OP_FORK] > 0);
	assert_true(last_use.ops[PKB_OP_INDEX] > 0);
}

static void test_tree_equals_reference_on_1k_rules(void **state)
{
	(void)state;
	check_equivalence(1001, 1000, 5000);
	check_equivalence(1002, 1000, 5000);
}

static void test_tree_equals_reference_on_10k_rules_and_examines_few(void **state)
{
	(void)state;
	double mean = check_equivalence(10001, 10000, 2000);
	printf("10k rules: %.1f rules examined per filter classification\n", mean);
	assert_true(mean < 10000 / 10);
}

/* Without quick rules linear evaluation tests every rule; the leaves'
 * LAST and COLLECT lists stop early, so few are tested at any size. */
static void test_tree_equals_reference_without_quick_rules_and_examines_few(void **state)
{
	(void)state;
	double small = check_equivalence_quick(1003, 1000, 3000, 0);
	double large = check_equivalence_quick(10003, 10000, 2000, 0);
	printf("no quick rules: %.1f (1k) and %.1f (10k) rules examined per filter classification\n", small, large);
	assert_true(small < 1000 / 20);
	assert_true(large < 10000 / 100);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_tree_equals_reference_on_small_rulesets),
	cmocka_unit_test(test_1k_rules_use_sure_syn_and_narrow_instructions),
	cmocka_unit_test(test_tree_equals_reference_on_1k_rules),
	cmocka_unit_test(test_tree_equals_reference_on_10k_rules_and_examines_few),
	cmocka_unit_test(test_tree_equals_reference_without_quick_rules_and_examines_few),
)
