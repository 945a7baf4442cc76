/*
 * tests/runtime/test_overload.c: pf's `overload <table> [flush [global]]`
 * (runtime/stateful.c, runtime/table_add.c): a source that breaks
 * max-src-conn or max-src-conn-rate goes into the table, which the rules
 * read at once, and loses its states when the rule says flush.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/engine.h"
#include "runtime/proto.h"
#include "runtime/table_add.h"
#include "tests/support/engtest.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define CL "192.168.1.50"
#define CL2 "192.168.1.51"
#define NASIP "10.0.10.5"

/* A connection from client cl port sp to the server's ssh port. */
static struct pk_tb_ends ssh(const char *cl, uint16_t sp)
{
	return (struct pk_tb_ends){.src = cl, .sport = sp, .dst = NASIP, .dport = 22};
}

/* The client's DNS query to the server, and its answer. */
static const struct pk_tb_ends dns = {.src = CL, .sport = 1000, .dst = NASIP, .dport = 53};
static const struct pk_tb_ends dns_back = {.src = NASIP, .sport = 53, .dst = CL, .dport = 1000};

/* With rules that block the sources in <bad> and pass TCP with the state
 * options opts (an overload of <bad>), the client's first two connections,
 * dt seconds apart, pass; the third, dt later, breaks the limit and puts
 * the client in <bad>: from then on its next SYN meets the block rule. */
static void assert_third_connection_overloads(const char *opts, double dt)
{
	char rules[512];

	snprintf(rules, sizeof(rules),
		 PK_ET_TOPO "table <bad> persist\nblock in quick from <bad>\n"
			    "pass in on lan0 proto tcp all keep state (%s)\n",
		 opts);
	pk_et_start(rules);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40000)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(dt, et.lan, ssh(CL, 40001)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(2 * dt, et.lan, ssh(CL, 40002)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
	assert_int_equal(pk_engine_counters(et.eng)->overload_added, 1);
	assert_int_equal(pk_et_tcp(2 * dt + 1, et.lan, PK_DIR_IN, ssh(CL, 40003), pk_et_syn), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
}

static void test_overloaded_source_is_blocked_by_the_table(void **state)
{
	(void)state;
	assert_third_connection_overloads("max-src-conn 2, overload <bad>", 0);
	/* without flush, its established connections go on */
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh(CL, 40000), pk_et_ack), PK_V_PASS);
	/* and another client is not affected */
	assert_int_equal(pk_et_handshake(1, et.lan, ssh(CL2, 40000)), PK_V_PASS);
}

static void test_the_table_is_read_at_once_even_by_kept_decisions(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "table <bad> persist\nblock in quick proto udp from <bad>\n"
			       "pass in on lan0 proto udp all no state\n"
			       "pass in on lan0 proto tcp all keep state (max-src-conn 1, overload <bad>)\n");
	/* a stateless pass the decision cache keeps ... */
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns), PK_V_PASS);
	assert_int_equal(pk_engine_counters(et.eng)->decisions_recalled, 1);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40000)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40001)), PK_V_BLOCK);
	/* ... is not used once the table changed */
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_IN, dns), PK_V_BLOCK);
}

/* Rules that block the sources in <bad>, pass UDP with state, and TCP with
 * the state options opts (an overload with flush); then the client's DNS
 * query and a first connection pass. */
static void start_flushing(const char *opts)
{
	char rules[512];

	snprintf(rules, sizeof(rules),
		 PK_ET_TOPO "table <bad> persist\nblock in quick from <bad>\npass in on lan0 proto udp all keep state\n"
			    "pass in on lan0 proto tcp all keep state (%s)\n",
		 opts);
	pk_et_start(rules);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40000)), PK_V_PASS);
}

static void test_flush_kills_the_sources_states_of_the_rule(void **state)
{
	(void)state;
	start_flushing("max-src-conn 2, overload <bad> flush");
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40001)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL2, 40000)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40002)), PK_V_BLOCK);
	assert_int_equal(pk_engine_counters(et.eng)->overload_flushed, 2);
	/* the source's TCP states are gone: its data now meets the table */
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh(CL, 40000), pk_et_ack), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
	/* its UDP state belongs to another rule and stays; the other client's too */
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_OUT, dns_back), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh(CL2, 40000), pk_et_ack), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
}

static void test_flush_global_kills_the_sources_states_of_every_rule(void **state)
{
	(void)state;
	start_flushing("max-src-conn 1, overload <bad> flush global");
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40001)), PK_V_BLOCK);
	assert_int_equal(pk_engine_counters(et.eng)->overload_flushed, 2);
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_OUT, dns_back), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_NONE); /* the UDP state went too: default pass, no state */
}

static void test_rate_limit_overloads_too(void **state)
{
	(void)state;
	assert_third_connection_overloads("max-src-conn-rate 2/10, overload <bad>", 1);
}

/* The file's own entry for the very host decides (pf refuses to insert it). */
static void test_a_written_negated_host_keeps_deciding(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "table <bad> persist { 192.168.1.0/24, !" CL " }\nblock in quick from <bad>\n"
			       "pass in on lan0 proto tcp all keep state (max-src-conn 1, overload <bad>)\n");
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40000)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40001)), PK_V_BLOCK);
	assert_int_equal(pk_engine_counters(et.eng)->overload_added, 0);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh(CL, 40002), pk_et_syn), PK_V_PASS);
}

/* pf attaches an overload table when it loads the rule: one that no line
 * declares and no rule reads still takes the source, and only counts. */
static void test_an_undeclared_table_is_made_and_filled(void **state)
{
	const struct pk_rs *rs;
	uint32_t cursor = 0, t;
	uint8_t af, addr[16];

	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all no state\n"
			       "pass in on lan0 proto tcp all keep state (max-src-conn 1, overload <bad>)\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40000)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40001)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
	assert_int_equal(pk_engine_counters(et.eng)->overload_added, 1);
	rs = pk_engine_ruleset(et.eng);
	assert_true(pk_rs_table_next_added(rs, &cursor, &t, &af, addr));
	assert_string_equal(pk_rs_table_name(rs, t), "bad");
	assert_int_equal(af, PK_AF_INET);
	assert_false(pk_rs_table_read(rs, t));
	/* no rule reads it: the kept decision stays */
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_IN, dns), PK_V_PASS);
	assert_int_equal(pk_engine_counters(et.eng)->decisions_recalled, 1);
}

/* The client breaks max-src-conn 1 of rules that overload <bad> and
 * block it (declared by decl), then the same rules are loaded again. */
static void overload_then_reload(const char *decl)
{
	char rules[512];

	snprintf(rules, sizeof(rules),
		 PK_ET_TOPO "%sblock in quick from <bad>\n"
			    "pass in on lan0 proto tcp all keep state (max-src-conn 1, overload <bad>)\n",
		 decl);
	pk_et_start(rules);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40000)), PK_V_PASS);
	assert_int_equal(pk_et_handshake(0, et.lan, ssh(CL, 40001)), PK_V_BLOCK);
	assert_int_equal(pk_rs_table_added(pk_engine_ruleset(et.eng)), 1);
	pk_engine_reload(et.eng, pk_test_rules(rules));
}

/* pf keeps a table no line defines across a reload (the new rules attach
 * it before the old let it go), and refills one the file defines. */
static void test_a_reload_keeps_the_hosts_of_an_undeclared_table(void **state)
{
	(void)state;
	overload_then_reload("");
	assert_int_equal(pk_rs_table_added(pk_engine_ruleset(et.eng)), 1);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh(CL, 40002), pk_et_syn), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
}

static void test_a_reload_refills_a_declared_table(void **state)
{
	(void)state;
	overload_then_reload("table <bad> persist\n");
	assert_int_equal(pk_rs_table_added(pk_engine_ruleset(et.eng)), 0);
	assert_int_equal(pk_et_handshake(1, et.lan, ssh(CL, 40002)), PK_V_PASS);
}

/* Rules that only read the table made no room for hosts: the carried ones get some. */
static void test_a_reload_carries_hosts_to_rules_that_only_read_the_table(void **state)
{
	(void)state;
	overload_then_reload("");
	pk_engine_reload(et.eng, pk_test_rules(PK_ET_TOPO "block in quick from <bad>\npass in on lan0 proto tcp all\n"));
	assert_int_equal(pk_rs_table_added(pk_engine_ruleset(et.eng)), 1);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, ssh(CL, 40002), pk_et_syn), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
}

static void test_the_set_is_bounded_and_exact(void **state)
{
	struct pk_tadd_set s;
	uint8_t a[16] = {10, 0, 0, 1}, b[16] = {10, 0, 0, 2}, six[16] = {0x20, 0x01, 0x0d, 0xb8};

	(void)state;
	assert_int_equal(pk_tadd_init(&s, 2), 0);
	assert_int_equal(pk_tadd_put(&s, 0, 4, a), 1);
	assert_int_equal(pk_tadd_put(&s, 0, 4, a), 0);
	assert_true(pk_tadd_has(&s, 0, 4, a));
	assert_false(pk_tadd_has(&s, 1, 4, a)); /* another table */
	assert_false(pk_tadd_has(&s, 0, 4, b));
	assert_int_equal(pk_tadd_put(&s, 0, 6, six), 1);
	assert_int_equal(pk_tadd_put(&s, 0, 4, b), -1); /* full */
	assert_true(pk_tadd_has(&s, 0, 6, six));
	a[8] = 0xff; /* bytes past an IPv4 address are not part of it */
	assert_true(pk_tadd_has(&s, 0, 4, a));
	pk_tadd_fini(&s);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_overloaded_source_is_blocked_by_the_table, pk_et_teardown),
	cmocka_unit_test_teardown(test_the_table_is_read_at_once_even_by_kept_decisions, pk_et_teardown),
	cmocka_unit_test_teardown(test_flush_kills_the_sources_states_of_the_rule, pk_et_teardown),
	cmocka_unit_test_teardown(test_flush_global_kills_the_sources_states_of_every_rule, pk_et_teardown),
	cmocka_unit_test_teardown(test_rate_limit_overloads_too, pk_et_teardown),
	cmocka_unit_test_teardown(test_a_written_negated_host_keeps_deciding, pk_et_teardown),
	cmocka_unit_test_teardown(test_an_undeclared_table_is_made_and_filled, pk_et_teardown),
	cmocka_unit_test_teardown(test_a_reload_keeps_the_hosts_of_an_undeclared_table, pk_et_teardown),
	cmocka_unit_test_teardown(test_a_reload_refills_a_declared_table, pk_et_teardown),
	cmocka_unit_test_teardown(test_a_reload_carries_hosts_to_rules_that_only_read_the_table, pk_et_teardown),
	cmocka_unit_test(test_the_set_is_bounded_and_exact),
)
