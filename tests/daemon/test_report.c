/* tests/daemon/test_report.c: pfctl-style listings of a real engine's states, rules and counters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/report.h"
#include "runtime/packet.h"
#include "tests/support/engtest.h"
#include "tests/support/testmain.h"

#define RULES PK_ET_TOPO "block all\npass in quick on lan0 proto tcp to port 22 label \"ssh\"\npass out quick on opt1\n"

static struct pk_daemon d;

/* Fails unless the report fn writes (verbose or not) holds each text of
 * the NULL-terminated list. */
static void assert_report_has(void (*fn)(FILE *, const struct pk_daemon *, bool), bool verbose,
			      const char *const *texts)
{
	char *t = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&t, &len);
	assert_non_null(f);
	fn(f, &d, verbose);
	fclose(f);
	for (; *texts; texts++)
		if (!strstr(t, *texts))
			fail_msg("no '%s' in:\n%s", *texts, t);
	free(t);
}

static void stats(FILE *f, const struct pk_daemon *dd, bool verbose)
{
	(void)verbose;
	pk_report_stats(f, dd);
}

static int setup(void **state)
{
	const struct pk_tb_ends ssh = {.src = "192.168.1.50", .sport = 40000, .dst = "10.0.10.5", .dport = 22};

	(void)state;
	pk_et_start(RULES);
	memset(&d, 0, sizeof(d));
	d.engine = et.eng;
	d.now_ns = 2 * PK_ET_SEC;
	d.started_ns = 0;
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh, pk_et_syn), PK_V_PASS);
	assert_int_equal(pk_et_tcp(1, et.nas, PK_DIR_OUT, ssh, pk_et_syn), PK_V_PASS);
	return 0;
}

static void test_states_are_listed_like_pfctl_ss(void **state)
{
	/* inbound: from the firewall's side, peers' states in the same order */
	static const char *const texts[] = {
		"lan0 tcp 10.0.10.5:22 <- 192.168.1.50:40000       CLOSED:SYN_SENT\n",
		"opt1 tcp 192.168.1.50:40000 -> 10.0.10.5:22       SYN_SENT:CLOSED\n",
		NULL,
	};

	(void)state;
	assert_report_has(pk_report_states, false, texts);
}

static void test_verbose_states_show_age_expiry_counters_and_rule(void **state)
{
	static const char *const texts[] = {"   age 00:00:01, expires in ", ", 1:0 pkts, 40:0 bytes, rule 1\n", NULL};

	(void)state;
	assert_report_has(pk_report_states, true, texts);
}

static void test_rules_verbose_show_per_rule_counters(void **state)
{
	static const char *const texts[] = {
		"@0 block",
		"@1 pass in quick proto tcp label \"ssh\"  # ",
		"  [ Evaluations: ",
		"  [ State Creations: 1 ]",
		NULL,
	};

	(void)state;
	assert_report_has(pk_report_rules, true, texts);
}

static void test_stats_show_state_table_and_every_drop_counter(void **state)
{
	static const char *const texts[] = {
		"Status: Enabled for 0 days 00:00:02",
		"  current entries                        2\n",
		"  inserts ",
		"  state-mismatch ",
		"  ttl-exceeded ",
		"packets forwarded",
		NULL,
	};

	(void)state;
	assert_report_has(stats, false, texts);
}

PK_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_states_are_listed_like_pfctl_ss, setup, pk_et_teardown),
	cmocka_unit_test_setup_teardown(test_verbose_states_show_age_expiry_counters_and_rule, setup, pk_et_teardown),
	cmocka_unit_test_setup_teardown(test_rules_verbose_show_per_rule_counters, setup, pk_et_teardown),
	cmocka_unit_test_setup_teardown(test_stats_show_state_table_and_every_drop_counter, setup, pk_et_teardown),
)
