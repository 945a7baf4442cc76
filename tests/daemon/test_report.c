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

static char *report(void (*fn)(FILE *, const struct pk_daemon *, bool), bool verbose)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_non_null(f);
	fn(f, &d, verbose);
	fclose(f);
	return text;
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
	assert_int_equal(pk_et_tcp(1, et.lan, PK_RT_DIR_IN, ssh, pk_et_syn), PK_V_PASS);
	assert_int_equal(pk_et_tcp(1, et.nas, PK_RT_DIR_OUT, ssh, pk_et_syn), PK_V_PASS);
	return 0;
}

static void test_states_are_listed_like_pfctl_ss(void **state)
{
	(void)state;
	char *t = report(pk_report_states, false);
	/* inbound: from the firewall's side, peers' states in the same order */
	assert_non_null(strstr(t, "lan0 tcp 10.0.10.5:22 <- 192.168.1.50:40000       CLOSED:SYN_SENT\n"));
	assert_non_null(strstr(t, "opt1 tcp 192.168.1.50:40000 -> 10.0.10.5:22       SYN_SENT:CLOSED\n"));
	free(t);
}

static void test_verbose_states_show_age_expiry_counters_and_rule(void **state)
{
	(void)state;
	char *t = report(pk_report_states, true);
	assert_non_null(strstr(t, "   age 00:00:01, expires in "));
	assert_non_null(strstr(t, ", 1:0 pkts, 40:0 bytes, rule 1\n"));
	free(t);
}

static void test_rules_verbose_show_per_rule_counters(void **state)
{
	(void)state;
	char *t = report(pk_report_rules, true);
	assert_non_null(strstr(t, "@0 block"));
	assert_non_null(strstr(t, "@1 pass in quick proto tcp label \"ssh\"  # "));
	assert_non_null(strstr(t, "  [ Evaluations: "));
	assert_non_null(strstr(t, "  [ State Creations: 1 ]"));
	free(t);
}

static void test_stats_show_state_table_and_every_drop_counter(void **state)
{
	(void)state;
	char *t = report(stats, false);
	assert_non_null(strstr(t, "Status: Enabled for 0 days 00:00:02"));
	assert_non_null(strstr(t, "  current entries                        2\n"));
	assert_non_null(strstr(t, "  inserts "));
	assert_non_null(strstr(t, "  state-mismatch "));
	assert_non_null(strstr(t, "  ttl-exceeded "));
	assert_non_null(strstr(t, "packets forwarded"));
	free(t);
}

PK_TEST_MAIN(
	cmocka_unit_test_setup_teardown(test_states_are_listed_like_pfctl_ss, setup, pk_et_teardown),
	cmocka_unit_test_setup_teardown(test_verbose_states_show_age_expiry_counters_and_rule, setup,
	pk_et_teardown),
	cmocka_unit_test_setup_teardown(test_rules_verbose_show_per_rule_counters, setup, pk_et_teardown),
	cmocka_unit_test_setup_teardown(test_stats_show_state_table_and_every_drop_counter, setup,
	pk_et_teardown),
)
