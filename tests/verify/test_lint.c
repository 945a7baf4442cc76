/*
 * tests/verify/test_lint.c: the linter's relations on hand-built IR:
 * shadowed (with the rules that take the packets), redundant (with the
 * covering rule), unmatchable, implicit pass, and silence on a sound
 * ruleset. The golden suite covers the rest from rule files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tests/support/testmain.h"
#include "verify/lint.h"

enum { MAXR = 16 };
static struct pk_ir_rule rules[MAXR];
static struct pk_ir_ruleset rs;

static struct pk_ir_rule *add(uint8_t action, bool quick, uint8_t proto, const char *dst, uint16_t dport)
{
	struct pk_ir_rule *r = &rules[rs.nrules];
	memset(r, 0, sizeof(*r));
	r->nr = rs.nrules++;
	r->loc = (struct pk_loc){"t.conf", r->nr + 1, 1, r->nr + 1, 4};
	r->action = action;
	r->quick = quick;
	r->proto = proto;
	r->icmp_type = r->icmp_code = r->tos = -1;
	r->state = action == PK_ACT_PASS ? PK_STATE_KEEP : PK_STATE_NONE;
	if (dst) {
		r->dst.kind = PK_ADDR_PREFIX;
		assert_int_equal(pk_prefix_parse(dst, &r->dst.pfx), 0);
	}
	if (dport) {
		r->dport.op = PK_PORT_EQ;
		r->dport.lo = dport;
	}
	return r;
}

static void reset(void)
{
	memset(&rs, 0, sizeof(rs));
	rs.rules = rules;
}

static unsigned run(struct pk_lint_report *rep)
{
	struct pk_lint_opts o;
	pk_lint_opts_default(&o);
	pk_lint_report_init(rep);
	assert_int_equal(pk_lint_run(&rs, &o, rep), 0);
	return rep->n;
}

static const struct pk_lint_finding *find(const struct pk_lint_report *rep, enum pk_lint_id id, uint32_t rule)
{
	for (unsigned i = 0; i < rep->n; i++)
		if (rep->v[i].id == id && rep->v[i].rule == rule)
			return &rep->v[i];
	return NULL;
}

static void test_sound_ruleset_has_no_findings(void **state)
{
	(void)state;
	reset();
	add(PK_ACT_BLOCK, false, 0, NULL, 0);
	add(PK_ACT_PASS, false, 6, "10.0.0.5", 443);
	add(PK_ACT_PASS, false, 6, "10.0.0.6", 22);
	add(PK_ACT_PASS, true, 17, "10.0.0.53", 53);
	struct pk_lint_report rep;
	assert_int_equal(run(&rep), 0);
	pk_lint_report_free(&rep);
}

static void test_later_block_shadows_pass_with_different_action(void **state)
{
	(void)state;
	reset();
	add(PK_ACT_BLOCK, false, 0, NULL, 0);
	add(PK_ACT_PASS, false, 6, "10.0.0.5", 443);
	add(PK_ACT_BLOCK, false, 0, "10.0.0.0/24", 0);
	struct pk_lint_report rep;
	run(&rep);
	const struct pk_lint_finding *f = find(&rep, PK_LINT_SHADOWED, 1);
	assert_non_null(f);
	assert_int_equal(f->nrelated, 1);
	assert_int_equal(f->related[0].rule, 2);
	assert_non_null(strstr(f->msg, "different action"));
	pk_lint_report_free(&rep);
}

static void test_quick_rules_shadow_a_later_rule_together(void **state)
{
	(void)state;
	reset();
	add(PK_ACT_BLOCK, false, 0, NULL, 0);
	add(PK_ACT_BLOCK, true, 6, "10.0.0.0/25", 0);
	add(PK_ACT_BLOCK, true, 6, "10.0.0.128/25", 0);
	add(PK_ACT_BLOCK, true, 17, "10.9.0.0/16", 0);
	add(PK_ACT_PASS, false, 6, "10.0.0.0/24", 80);
	struct pk_lint_report rep;
	run(&rep);
	const struct pk_lint_finding *f = find(&rep, PK_LINT_SHADOWED, 4);
	assert_non_null(f);
	assert_int_equal(f->nrelated, 2);
	assert_int_equal(f->related[0].rule, 1);
	assert_int_equal(f->related[1].rule, 2);
	pk_lint_report_free(&rep);
}

static void test_pass_covered_by_broader_earlier_pass_is_redundant(void **state)
{
	(void)state;
	reset();
	add(PK_ACT_BLOCK, false, 0, NULL, 0);
	add(PK_ACT_PASS, false, 6, "10.0.0.0/24", 0);
	add(PK_ACT_PASS, false, 6, "10.0.0.5", 443);
	struct pk_lint_report rep;
	run(&rep);
	const struct pk_lint_finding *f = find(&rep, PK_LINT_REDUNDANT, 2);
	assert_non_null(f);
	assert_int_equal(f->nrelated, 1);
	assert_int_equal(f->related[0].rule, 1);
	assert_null(find(&rep, PK_LINT_SHADOWED, 2));
	pk_lint_report_free(&rep);
}

static void test_rule_with_ports_on_icmp_is_unmatchable(void **state)
{
	(void)state;
	reset();
	add(PK_ACT_BLOCK, false, 0, NULL, 0);
	add(PK_ACT_PASS, false, 1, "10.0.0.5", 443);
	struct pk_lint_report rep;
	run(&rep);
	assert_non_null(find(&rep, PK_LINT_UNMATCHABLE, 1));
	assert_null(find(&rep, PK_LINT_SHADOWED, 1));
	pk_lint_report_free(&rep);
}

static void test_ruleset_without_block_all_passes_by_default(void **state)
{
	(void)state;
	reset();
	add(PK_ACT_BLOCK, false, 6, "10.0.0.0/8", 0);
	struct pk_lint_report rep;
	run(&rep);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.v[0].id, PK_LINT_IMPLICIT_PASS);
	assert_true(rep.v[0].has_witness);
	const struct pk_vpkt *w = &rep.v[0].witness;
	assert_false(w->af == PK_AF_INET && w->proto == 6 && w->dst[0] == 10);
	pk_lint_report_free(&rep);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_sound_ruleset_has_no_findings),
	cmocka_unit_test(test_later_block_shadows_pass_with_different_action),
	cmocka_unit_test(test_quick_rules_shadow_a_later_rule_together),
	cmocka_unit_test(test_pass_covered_by_broader_earlier_pass_is_redundant),
	cmocka_unit_test(test_rule_with_ports_on_icmp_is_unmatchable),
	cmocka_unit_test(test_ruleset_without_block_all_passes_by_default),
)
