/* tests/compiler/test_carried.c: what changes no verdict (queues, altq,
 * set prio, set queue, ridentifier, set fingerprints, set limit tables) is
 * parsed, kept with a note, and printed back so the print parses again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/print.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static void test_queue_definitions_are_kept_as_statements(void **state)
{
	(void)state;
	pk_test_expect_print_stable("queue rootq on em0 bandwidth 10M max 10M\nqueue std parent rootq bandwidth 5M default\n"
		     "altq on em1 priq bandwidth 1Mb queue { a, b }\npass out\n",
		     PK_PRINT_OPTIONS,
		     "queue rootq on em0 bandwidth 10M max 10M\nqueue std parent rootq bandwidth 5M default\n"
		     "altq on em1 priq bandwidth 1Mb queue { a, b }\npass out all flags S/SA\n");
	pk_test_expect_diag("queue rootq on em0 bandwidth 10M\n", "note: queueing (queue) changes no verdict");
}

/* Found by fuzz_parser: the search for a default leaf walked a loop of
 * parents for ever (fuzz/regress/fuzz_parser/queue-parent-loop). */
static void test_queues_whose_parents_loop_are_an_error_not_a_hang(void **state)
{
	(void)state;
	pk_test_expect_diag("queue a parent b bandwidth 1M\nqueue b parent a bandwidth 1M\n"
			    "queue r on em0 bandwidth 10M\nqueue c parent r bandwidth 1M default\n",
			    "error: queue a: its parents form a loop");
	pk_test_expect_diag("queue r on em0 parent r bandwidth 10M\n", "error: queue r: its parents form a loop");
}

/* Found by fuzz_parser: each token of a carried statement reprinted the
 * whole text, so one whose brace never closes (it runs to the end of the
 * file) took memory in the square of its length: 2.6 GB for these 100 kB
 * (fuzz/regress/fuzz_parser/carried-unclosed-brace). */
static void test_a_carried_statement_to_the_end_of_the_file_is_read_in_linear_memory(void **state)
{
	(void)state;
	static const char head[] = "queue q on em0 bandwidth 1M { ";
	const size_t words = 50000;
	char *text = malloc(sizeof(head) + 2 * words);
	assert_non_null(text);
	memcpy(text, head, sizeof(head) - 1);
	for (size_t i = 0; i < words; i++)
		memcpy(text + sizeof(head) - 1 + 2 * i, "a ", 2);
	text[sizeof(head) - 1 + 2 * words] = '\0';
	pk_test_expect_diag(text, "error: syntax error: unexpected end of file");
	free(text);
}

static void test_rule_options_that_change_no_verdict_are_kept_on_the_rule(void **state)
{
	(void)state;
	pk_test_expect_print_stable("pass out set prio (3, 5) set queue (std, ack) ridentifier 7\nmatch out queue bulk\n", 0,
		     "pass out all flags S/SA set prio (3, 5) set queue (std, ack) ridentifier 7\n"
		     "match out all queue bulk\n");
	pk_test_expect_diag("pass out set prio 3\n", "note: set prio changes no verdict");
}

static void test_set_options_that_change_no_verdict_are_kept(void **state)
{
	(void)state;
	pk_test_expect_print_stable("set fingerprints \"/etc/pf.os\"\nset limit { states 1000, tables 20 }\npass\n", PK_PRINT_OPTIONS,
		     "set limit states 1000\nset fingerprints \"/etc/pf.os\"\nset limit tables 20\n"
		     "pass all flags S/SA\n");
	/* FreeBSD's: how a pass that cannot keep its state answers */
	pk_test_expect_print_stable("set fail-policy return\npass\n", PK_PRINT_OPTIONS,
				    "set fail-policy return\npass all flags S/SA\n");
}

static void test_log_options_are_kept_as_written(void **state)
{
	(void)state;
	pk_test_expect_print_stable("pass in log (all, to pflog1) all\nblock in log (matches, user) all\n", 0,
		     "pass in log (all, to pflog1) all flags S/SA\nblock drop in log (matches, user) all\n");
	pk_test_expect_diag("pass in log (every) all\n", "'every' is no log option");
}

static void test_state_defaults_apply_to_pass_rules_that_write_no_state(void **state)
{
	(void)state;
	pk_test_expect_print_stable("set state-defaults pflow, max 100\npass in proto tcp to port 22\n"
		     "pass in proto udp to port 53 keep state (max 5)\nblock in all\n", 0,
		     "pass in proto tcp from any to any port = 22 flags S/SA keep state (max 100, pflow, "
		     "adaptive.start 60, adaptive.end 120)\n"
		     "pass in proto udp from any to any port = 53 keep state (max 5, adaptive.start 3, adaptive.end 6)\n"
		     "block drop in all\n");
}

static void test_options_that_change_verdicts_stay_unsupported(void **state)
{
	(void)state;
	pk_test_expect_diag("pass in prio 3\n", "unsupported: prio");
	pk_test_expect_diag("pass in set rtable 2\n", "unsupported: set rtable (rule option)");
	pk_test_expect_diag("set scrub in all no-df\n", "error: 'set scrub' is no pf option");
}

PK_TEST_MAIN(
	cmocka_unit_test(test_queue_definitions_are_kept_as_statements),
	cmocka_unit_test(test_queues_whose_parents_loop_are_an_error_not_a_hang),
	cmocka_unit_test(test_a_carried_statement_to_the_end_of_the_file_is_read_in_linear_memory),
	cmocka_unit_test(test_rule_options_that_change_no_verdict_are_kept_on_the_rule),
	cmocka_unit_test(test_set_options_that_change_no_verdict_are_kept),
	cmocka_unit_test(test_log_options_are_kept_as_written),
	cmocka_unit_test(test_state_defaults_apply_to_pass_rules_that_write_no_state),
	cmocka_unit_test(test_options_that_change_verdicts_stay_unsupported),
)
