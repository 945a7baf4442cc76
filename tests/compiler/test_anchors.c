/* tests/compiler/test_anchors.c: anchors flattened into plain rules as pf
 * evaluates them (compiler/resolve_anchor.c, resolve_combine.c): the
 * criteria ANDed in, a quick rule inside ending everything, anchor quick,
 * wildcards, load anchor, anchors filled at run time, and what stays
 * unsupported. The decisions are checked on packets against what pf
 * decides, worked out by hand from pf_test_rule's loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "verify/eval.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

static void expect_rules(const char *text, const char *want)
{
	char *got = pk_test_print(text, 0);
	assert_non_null(got);
	if (strcmp(got, want))
		fail_msg("got:\n%swant:\n%s", got, want);
	free(got);
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* fragment appears `times` times in the diagnostics of text */
static void expect_diag(const char *text, const char *fragment, unsigned times)
{
	char *got = pk_test_diags(text);
	if (count(got, fragment) != times)
		fail_msg("expected '%s' %u times in:\n%s", fragment, times, got);
	free(got);
}

/* A packet, pf's verdict on it, and the line of the rule deciding (0: none). */
struct decision {
	const char *packet;
	bool pass;
	unsigned line;
};

static void expect_decisions(const char *text, const struct decision *v, size_t n)
{
	struct pk_diags d;
	struct pk_ir_ruleset *rs = pk_test_load(text, &d);
	if (!rs)
		pk_diags_print(&d, stderr, PK_COLOR_NEVER);
	assert_non_null(rs);
	for (size_t i = 0; i < n; i++) {
		struct pk_vpkt p;
		struct pk_eval_result res;
		char store[256];
		struct pk_err err;
		assert_int_equal(pk_vpkt_parse(v[i].packet, &p, store, sizeof(store), &err), 0);
		pk_eval_filter(rs, &p, &res, NULL, NULL);
		unsigned line = res.rule == PK_EVAL_NONE ? 0 : rs->rules[res.rule].loc.line;
		if (res.pass != v[i].pass || line != v[i].line)
			fail_msg("%s: %s by line %u, pf: %s by line %u", v[i].packet, res.pass ? "pass" : "block", line,
				 v[i].pass ? "pass" : "block", v[i].line);
	}
	pk_ir_ruleset_free(rs);
	pk_diags_free(&d);
}

/* A scratch directory holding files, for load anchor. */
static char dir[64];

static void write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

PK_TEST_FIXTURE(make_dir, assert_int_equal(pk_test_mkdtemp(dir, sizeof(dir), "anchors"), 0))
PK_TEST_FIXTURE(remove_dir, pk_test_rmtree(dir))

static void test_criteria_are_anded_into_each_rule(void **state)
{
	(void)state;
	expect_rules("anchor \"a\" in on em0 proto tcp {\n pass proto tcp to port 22\n block from 10.0.0.0/8\n}\n",
		     "pass in on em0 proto tcp from any to any port = 22 flags S/SA\n"
		     "block drop in on em0 inet proto tcp from 10.0.0.0/8 to any\n");
}

static void test_rules_the_criteria_exclude_are_dropped(void **state)
{
	(void)state;
	expect_rules("anchor \"a\" in on em0 inet proto tcp from 10.0.0.0/8 {\n"
		     " pass out\n pass on em1\n pass inet6\n pass proto udp\n pass from 192.168.0.0/16\n"
		     " pass from 10.1.0.0/16\n pass from 8.0.0.0/6\n pass on ! em0\n pass on ! em1\n}\n",
		     "pass in on em0 inet proto tcp from 10.1.0.0/16 to any flags S/SA\n"
		     "pass in on em0 inet proto tcp from 10.0.0.0/8 to any flags S/SA\n"
		     "pass in on em0 inet proto tcp from 10.0.0.0/8 to any flags S/SA\n");
}

static void test_a_list_in_the_anchor_rule_evaluates_the_anchor_once_per_item(void **state)
{
	(void)state;
	expect_rules("anchor \"a\" on { em0 em1 } {\n pass in\n block out\n}\n",
		     "pass in on em0 all flags S/SA\nblock drop out on em0 all\n"
		     "pass in on em1 all flags S/SA\nblock drop out on em1 all\n");
}

static void test_flags_of_anchor_and_rule_combine(void **state)
{
	(void)state;
	expect_rules("anchor \"a\" proto tcp flags S/S {\n pass\n pass flags A/A\n}\n",
		     "pass proto tcp all flags S/SA\npass proto tcp all flags SA/SA\n");
}

/* pf: `block all` matches, the anchor's `pass quick ... 22` matches and
 * ends the evaluation; for port 23 the block inside is only the last match
 * so far and the pass after the anchor decides; going out the anchor is
 * not entered. */
static void test_a_quick_rule_inside_ends_all_evaluation(void **state)
{
	(void)state;
	const char *text = "block all\n"
			   "anchor \"a\" in {\n"
			   " pass quick proto tcp to port 22\n"
			   " block proto tcp to port 23\n"
			   "}\n"
			   "pass in proto tcp to port 23\n";
	const struct decision v[] = {
		{"tcp from 192.0.2.1 port 1024 to 10.0.0.5 port 22 in", true, 3},
		{"tcp from 192.0.2.1 port 1024 to 10.0.0.5 port 23 in", true, 6},
		{"tcp from 10.0.0.5 port 1024 to 192.0.2.1 port 22 out", false, 1},
	};
	expect_decisions(text, v, sizeof(v) / sizeof(v[0]));
}

/* anchor quick: the rule deciding inside is the first quick one matching,
 * else the last one matching; then evaluation ends. When nothing inside
 * matches it goes on after the anchor. */
static void test_anchor_quick_decides_as_pf(void **state)
{
	(void)state;
	const char *text = "block all\n"
			   "anchor \"q\" in quick {\n"
			   " pass proto tcp\n"
			   " block proto tcp to port 23\n"
			   " pass quick proto tcp to port 25\n"
			   " pass proto tcp from 10.0.0.0/8 to port 23\n"
			   "}\n"
			   "block in proto udp\n"
			   "pass in proto udp to port 53\n";
	const struct decision v[] = {
		{"tcp from 192.0.2.1 port 1024 to 10.0.0.5 port 23 in", false, 4},
		{"tcp from 10.0.0.1 port 1024 to 10.0.0.5 port 23 in", true, 6},
		{"tcp from 192.0.2.1 port 1024 to 10.0.0.5 port 25 in", true, 5},
		{"tcp from 192.0.2.1 port 1024 to 10.0.0.5 port 80 in", true, 3},
		{"udp from 192.0.2.1 port 1024 to 10.0.0.5 port 80 in", false, 8},
		{"udp from 192.0.2.1 port 1024 to 10.0.0.5 port 53 in", true, 9},
		{"tcp from 10.0.0.5 port 1024 to 192.0.2.1 port 25 out", false, 1},
	};
	expect_decisions(text, v, sizeof(v) / sizeof(v[0]));
	expect_rules(text, "block drop all\n"
			   "pass in quick proto tcp from any to any port = 25 flags S/SA\n"
			   "pass in quick inet proto tcp from 10.0.0.0/8 to any port = 23 flags S/SA\n"
			   "block drop in quick proto tcp from any to any port = 23\n"
			   "pass in quick proto tcp all flags S/SA\n"
			   "block drop in proto udp all\n"
			   "pass in proto udp from any to any port = 53\n");
}

static void test_a_wildcard_takes_the_children_in_strcmp_order(void **state)
{
	(void)state;
	expect_rules("anchor \"x/*\"\n"
		     "anchor \"x\" {\n"
		     " anchor \"b\" {\n  pass in proto tcp to port 2\n }\n"
		     " anchor \"a\" {\n  pass in proto tcp to port 1\n }\n"
		     " anchor \"B\" {\n  pass in proto tcp to port 3\n }\n"
		     "}\n",
		     "pass in proto tcp from any to any port = 3 flags S/SA\n"
		     "pass in proto tcp from any to any port = 1 flags S/SA\n"
		     "pass in proto tcp from any to any port = 2 flags S/SA\n"
		     "pass in proto tcp from any to any port = 2 flags S/SA\n"
		     "pass in proto tcp from any to any port = 1 flags S/SA\n"
		     "pass in proto tcp from any to any port = 3 flags S/SA\n");
}

static void test_paths_are_relative_to_the_enclosing_anchor(void **state)
{
	(void)state;
	expect_rules("anchor \"r\" {\n pass in label R\n}\n"
		     "anchor \"f\" on lo0 {\n"
		     " anchor \"g\" {\n  pass label G\n }\n"
		     " anchor \"/r\"\n anchor \"../r\"\n anchor \"g\"\n"
		     " anchor in {\n  pass label U\n }\n"
		     "}\n",
		     "pass in all flags S/SA label \"R\"\n"
		     "pass on lo0 all flags S/SA label \"G\"\n"
		     "pass in on lo0 all flags S/SA label \"R\"\n"
		     "pass in on lo0 all flags S/SA label \"R\"\n"
		     "pass on lo0 all flags S/SA label \"G\"\n"
		     "pass in on lo0 all flags S/SA label \"U\"\n");
}

static void test_translation_anchors_take_their_kind_of_rules(void **state)
{
	(void)state;
	char text[512];
	write_file("n.conf", "nat on em0 from 10.0.0.0/8 to any -> 192.0.2.1\npass in on em0\nscrub in all\n");
	snprintf(text, sizeof(text),
		 "scrub-anchor \"n\"\nnat-anchor \"n\"\nrdr-anchor \"n\"\nanchor \"n\"\nload anchor \"n\" from \"%s/n.conf\"\n",
		 dir);
	expect_rules(text, "scrub in all\n"
			   "nat on em0 inet from 10.0.0.0/8 to any -> 192.0.2.1\n"
			   "pass in on em0 all flags S/SA\n");
}

static void test_load_anchor_reads_files_relative_to_the_loading_one(void **state)
{
	(void)state;
	char text[512];
	write_file("ext.conf", "table <web> { 10.0.0.5 }\npass in proto tcp to <web> port 80\n"
			       "anchor \"sub\"\nload anchor \"sub\" from \"sub.conf\"\n");
	write_file("sub.conf", "block in proto tcp to port 23\n");
	snprintf(text, sizeof(text), "anchor \"ext\" on em0\nload anchor \"ext\" from \"%s/ext.conf\"\n", dir);
	expect_rules(text, "pass in on em0 proto tcp from any to <web> port = 80 flags S/SA\n"
			   "block drop in on em0 proto tcp from any to any port = 23\n");
}

static void test_a_file_that_cannot_be_read_is_a_warning_and_the_anchor_is_empty(void **state)
{
	(void)state;
	const char *text = "anchor \"gone\"\nload anchor \"gone\" from \"/nonexistent/picket/gone.conf\"\npass\n";
	expect_rules(text, "pass all flags S/SA\n");
	expect_diag(text,
		    "warning: cannot read '/nonexistent/picket/gone.conf': No such file or directory; "
		    "anchor \"gone\" is empty here",
		    1);
	expect_diag(text, "filled at run time", 0);
}

static void test_anchors_filled_at_run_time_are_empty_with_one_note_each(void **state)
{
	(void)state;
	const char *text = "anchor \"relayd/*\"\nrdr-anchor \"relayd/*\"\nanchor \"userrules/*\"\npass\n";
	expect_rules(text, "pass all flags S/SA\n");
	expect_diag(text, "note: anchor \"relayd/*\" is filled at run time by another program", 1);
	expect_diag(text, "note: anchor \"userrules/*\" is filled at run time", 1);
}

static void test_dummynet_anchors_are_empty_with_a_note(void **state)
{
	(void)state;
	expect_diag("dummynet-anchor \"com.apple/*\"\n",
		    "note: anchor \"com.apple/*\" is not evaluated: dummynet shapes traffic and decides no verdict", 1);
}

static void test_rules_no_anchor_rule_reaches_are_reported(void **state)
{
	(void)state;
	expect_diag("anchor \"x\" {\n nat on em0 from any to any -> 192.0.2.1\n pass\n}\n",
		    "warning: anchor \"x\" holds nat rules that no nat-anchor rule evaluates", 1);
}

static void test_what_one_rule_cannot_say_is_unsupported(void **state)
{
	(void)state;
	expect_diag("anchor \"a\" on ! em0 {\n pass on ! em1\n}\n",
		    "unsupported: anchor \"a\" with criteria that cannot be combined with its rules "
		    "(two negated interfaces)", 1);
	expect_diag("table <t> { 10.0.0.1 }\nanchor \"a\" from <t> {\n pass from 10.0.0.0/8\n}\n",
		    "(two addresses other than networks)", 1);
	expect_diag("anchor \"a\" proto tcp to port 22 {\n pass proto tcp to port > 1000\n}\n", "(two port conditions)", 1);
	expect_diag("anchor \"a\" quick {\n match in scrub (no-df)\n pass\n}\n",
		    "unsupported: anchor quick over match or tag rules", 1);
	expect_diag("anchor \"a\" quick {\n pass tag T\n}\n", "unsupported: anchor quick over match or tag rules", 1);
	expect_diag("anchor \"a\" tag T {\n pass\n}\n", "unsupported: anchor \"a\" with tag", 1);
	expect_diag("anchor \"a\" probability 50% {\n pass\n}\n", "unsupported: anchor \"a\" with probability", 1);
	expect_diag("anchor \"a\" from 10.0.0.0/8 {\n match out nat-to 192.0.2.1\n pass out\n}\n",
		    "unsupported: anchor with addresses or ports over match rules that translate", 1);
	expect_diag("anchor \"a\" {\n pass\n}\nanchor \"a\" {\n block\n}\n", "unsupported: anchor \"a\" given rules twice", 1);
	expect_diag("table <t> { 10.0.0.1 }\nanchor \"a\" {\n table <t> { 10.0.0.2 }\n pass to <t>\n}\n",
		    "unsupported: table <t> in anchor \"a\" named like another table", 1);
}

/* What stays unsupported does not stop the rest: an anchor rule that
 * cannot be flattened stays as one unsupported rule that may match
 * anything, its rules still checked, printed as written. */
static void test_an_unsupported_anchor_stays_as_a_rule_that_may_match_anything(void **state)
{
	(void)state;
	struct pk_ir_ruleset *ir = pk_test_load_ok("block all\nanchor \"a\" in tag T {\n pass proto tcp\n}\npass out\n");
	assert_int_equal(ir->nrules, 3);
	assert_non_null(ir->rules[1].unsupported);
	assert_int_equal(ir->rules[1].action, PK_ACT_PASS);
	assert_string_equal(ir->rules[1].text, "anchor a in tag T");
	pk_ir_ruleset_free(ir);
	const char *text = "anchor \"a\" quick {\n pass tag T\n}\n";
	expect_rules(text, "anchor a quick\n");
	expect_diag(text, "no anchor rule evaluates", 0);
	expect_diag("anchor \"a\" tag T {\n pass inet proto icmp6\n}\n", "error: proto icmp6 does not match", 1);
}

static void test_what_pfctl_refuses_is_an_error(void **state)
{
	(void)state;
	expect_diag("anchor in\n", "error: anchors without explicit rules must specify a name", 1);
	expect_diag("anchor \"x/y\" {\n pass\n}\n", "error: anchor paths containing '/' cannot be used for inline anchors",
		    1);
	expect_diag("anchor \"_x\"\n", "error: anchor names beginning with '_' are reserved", 1);
	expect_diag("anchor \"x\" keep state\n", "error: cannot specify state handling on anchors", 1);
	expect_diag("anchor \"x\" from 10.0.0.0/8 port 80\n", "error: port only applies to tcp and udp", 1);
	expect_diag("anchor \"a\" {\n anchor \"/a\"\n}\n", "error: anchor \"a\" steps into itself", 1);
	expect_diag("nat-anchor \"n\" in\n", "error: nat-anchor takes no in or out", 1);
}

static void test_anchors_named_over_and_over_are_bounded(void **state)
{
	(void)state;
	char text[4096] = "anchor \"a0\" {\n pass\n}\n";
	for (int i = 1; i < 20; i++) {
		size_t n = strlen(text);
		snprintf(text + n, sizeof(text) - n, "anchor \"a%d\" {\n anchor \"/a%d\"\n anchor \"/a%d\"\n}\n", i, i - 1,
			 i - 1);
	}
	expect_diag(text, "error: anchors expand to more than 65536 rules", 1);
}

static void test_flattened_rules_print_back_the_same(void **state)
{
	(void)state;
	const char *text = "anchor \"q\" in quick on em0 proto { tcp udp } {\n"
			   " pass proto tcp to port { 22 53 }\n block from 10.0.0.0/8\n"
			   " anchor \"n\" inet {\n  pass quick from 192.168.0.0/16 label \"lan\"\n }\n}\n";
	char *once = pk_test_print(text, 0);
	assert_non_null(once);
	char *twice = pk_test_print(once, 0);
	assert_non_null(twice);
	assert_string_equal(once, twice);
	free(once);
	free(twice);
}

PK_TEST_MAIN_GROUP(make_dir, remove_dir,
	cmocka_unit_test(test_criteria_are_anded_into_each_rule),
	cmocka_unit_test(test_rules_the_criteria_exclude_are_dropped),
	cmocka_unit_test(test_a_list_in_the_anchor_rule_evaluates_the_anchor_once_per_item),
	cmocka_unit_test(test_flags_of_anchor_and_rule_combine),
	cmocka_unit_test(test_a_quick_rule_inside_ends_all_evaluation),
	cmocka_unit_test(test_anchor_quick_decides_as_pf),
	cmocka_unit_test(test_a_wildcard_takes_the_children_in_strcmp_order),
	cmocka_unit_test(test_paths_are_relative_to_the_enclosing_anchor),
	cmocka_unit_test(test_translation_anchors_take_their_kind_of_rules),
	cmocka_unit_test(test_load_anchor_reads_files_relative_to_the_loading_one),
	cmocka_unit_test(test_a_file_that_cannot_be_read_is_a_warning_and_the_anchor_is_empty),
	cmocka_unit_test(test_anchors_filled_at_run_time_are_empty_with_one_note_each),
	cmocka_unit_test(test_dummynet_anchors_are_empty_with_a_note),
	cmocka_unit_test(test_rules_no_anchor_rule_reaches_are_reported),
	cmocka_unit_test(test_what_one_rule_cannot_say_is_unsupported),
	cmocka_unit_test(test_an_unsupported_anchor_stays_as_a_rule_that_may_match_anything),
	cmocka_unit_test(test_what_pfctl_refuses_is_an_error),
	cmocka_unit_test(test_anchors_named_over_and_over_are_bounded),
	cmocka_unit_test(test_flattened_rules_print_back_the_same),
)
