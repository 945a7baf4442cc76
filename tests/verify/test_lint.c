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

/* A rule by the fields the tests set; a field left out matches anything
 * (a pass rule keeps state, as pf's default). */
struct rule {
	uint8_t action;
	bool quick;
	uint8_t proto;
	const char *dst;
	uint16_t dport;
	const char *unsupported; /* a feature outside the subset: the rule may match anything */
};

enum { MAXR = 16 };
static struct pk_ir_rule rules[MAXR];
static struct pk_ir_ruleset rs;
static struct pk_lint_report rep;

static void add(const struct rule *w)
{
	struct pk_ir_rule *r = &rules[rs.nrules];
	memset(r, 0, sizeof(*r));
	r->nr = rs.nrules++;
	r->loc = (struct pk_loc){"t.conf", r->nr + 1, 1, r->nr + 1, 4, NULL};
	r->action = w->action;
	r->quick = w->quick;
	r->proto = w->proto;
	r->unsupported = w->unsupported;
	r->icmp_type = r->icmp_code = r->tos = -1;
	r->state = w->action == PK_ACT_PASS ? PK_STATE_KEEP : PK_STATE_NONE;
	if (w->dst) {
		r->dst.kind = PK_ADDR_PREFIX;
		assert_int_equal(pk_prefix_parse(w->dst, &r->dst.pfx), 0);
	}
	if (w->dport) {
		r->dport.op = PK_PORT_EQ;
		r->dport.lo = w->dport;
	}
}

/* Lints the n rules w with the default options; the findings in rep. */
static void lint(const struct rule *w, size_t n)
{
	struct pk_lint_opts o;
	memset(&rs, 0, sizeof(rs));
	rs.rules = rules;
	for (size_t k = 0; k < n; k++)
		add(&w[k]);
	pk_lint_opts_default(&o);
	pk_lint_report_init(&rep);
	assert_int_equal(pk_lint_run(&rs, &o, &rep), 0);
}

PK_TEST_FIXTURE(free_report, pk_lint_report_free(&rep))

static const struct pk_lint_finding *find(enum pk_lint_id id, uint32_t rule)
{
	for (unsigned i = 0; i < rep.n; i++)
		if (rep.v[i].id == id && rep.v[i].rule == rule)
			return &rep.v[i];
	return NULL;
}

/* The finding id on rule `rule`, which must be there, names the n related
 * rules in `related`, in that order. */
static const struct pk_lint_finding *assert_found(enum pk_lint_id id, uint32_t rule, const uint32_t *related,
						  unsigned n)
{
	const struct pk_lint_finding *f = find(id, rule);
	assert_non_null(f);
	assert_int_equal(f->nrelated, n);
	for (unsigned k = 0; k < n; k++)
		assert_int_equal(f->related[k].rule, related[k]);
	return f;
}

static void test_sound_ruleset_has_no_findings(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.5", .dport = 443},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.6", .dport = 22},
		{.action = PK_ACT_PASS, .quick = true, .proto = 17, .dst = "10.0.0.53", .dport = 53},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_int_equal(rep.n, 0);
}

static void test_later_block_shadows_pass_with_different_action(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.5", .dport = 443},
		{.action = PK_ACT_BLOCK, .dst = "10.0.0.0/24"},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_non_null(strstr(assert_found(PK_LINT_SHADOWED, 1, (const uint32_t[]){2}, 1)->msg, "different action"));
}

static void test_quick_rules_shadow_a_later_rule_together(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_BLOCK, .quick = true, .proto = 6, .dst = "10.0.0.0/25"},
		{.action = PK_ACT_BLOCK, .quick = true, .proto = 6, .dst = "10.0.0.128/25"},
		{.action = PK_ACT_BLOCK, .quick = true, .proto = 17, .dst = "10.9.0.0/16"},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.0/24", .dport = 80},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_found(PK_LINT_SHADOWED, 4, (const uint32_t[]){1, 2}, 2);
}

static void test_pass_covered_by_broader_earlier_pass_is_redundant(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.0/24"},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.5", .dport = 443},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_found(PK_LINT_REDUNDANT, 2, (const uint32_t[]){1}, 1);
	assert_null(find(PK_LINT_SHADOWED, 2));
}

static void test_no_finding_rests_on_an_unsupported_rule(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .quick = true, .proto = 6, .dst = "10.0.0.0/24", .unsupported = "received-on"},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.5", .dport = 443},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_int_equal(rep.n, 0);
}

static void test_a_finding_beside_an_unsupported_rule_stands(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .quick = true, .proto = 6, .dst = "10.0.0.0/24"},
		{.action = PK_ACT_BLOCK, .quick = true, .proto = 17, .unsupported = "received-on"},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.5", .dport = 443},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_found(PK_LINT_SHADOWED, 3, (const uint32_t[]){1}, 1);
	assert_null(find(PK_LINT_SHADOWED, 2));
}

/* It may match anything: a later one may take the packets of rule 2, which
 * is then no longer shown redundant. */
static void test_a_later_unsupported_rule_may_decide_any_packet(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.0/24"},
		{.action = PK_ACT_PASS, .proto = 6, .dst = "10.0.0.5", .dport = 443},
		{.action = PK_ACT_BLOCK, .proto = 17, .dst = "192.0.2.0/24", .unsupported = "received-on"},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_int_equal(rep.n, 0);
}

static void test_rule_with_ports_on_icmp_is_unmatchable(void **state)
{
	static const struct rule w[] = {
		{.action = PK_ACT_BLOCK},
		{.action = PK_ACT_PASS, .proto = 1, .dst = "10.0.0.5", .dport = 443},
	};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_non_null(find(PK_LINT_UNMATCHABLE, 1));
	assert_null(find(PK_LINT_SHADOWED, 1));
}

static void test_ruleset_without_block_all_passes_by_default(void **state)
{
	static const struct rule w[] = {{.action = PK_ACT_BLOCK, .proto = 6, .dst = "10.0.0.0/8"}};

	(void)state;
	lint(w, PK_NELEMS(w));
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.v[0].id, PK_LINT_IMPLICIT_PASS);
	assert_true(rep.v[0].has_witness);
	const struct pk_vpkt *wit = &rep.v[0].witness;
	assert_false(wit->af == PK_AF_INET && wit->proto == 6 && wit->dst[0] == 10);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_sound_ruleset_has_no_findings, free_report),
	cmocka_unit_test_teardown(test_no_finding_rests_on_an_unsupported_rule, free_report),
	cmocka_unit_test_teardown(test_a_finding_beside_an_unsupported_rule_stands, free_report),
	cmocka_unit_test_teardown(test_a_later_unsupported_rule_may_decide_any_packet, free_report),
	cmocka_unit_test_teardown(test_later_block_shadows_pass_with_different_action, free_report),
	cmocka_unit_test_teardown(test_quick_rules_shadow_a_later_rule_together, free_report),
	cmocka_unit_test_teardown(test_pass_covered_by_broader_earlier_pass_is_redundant, free_report),
	cmocka_unit_test_teardown(test_rule_with_ports_on_icmp_is_unmatchable, free_report),
	cmocka_unit_test_teardown(test_ruleset_without_block_all_passes_by_default, free_report),
)
