/*
 * tests/runtime/test_replay_decide.c: which packets of a capture get
 * their rule decisions worked out ahead (runtime/replay_decide.c): a
 * flow's first packet, and every packet of a flow that no state will take;
 * none where a translation decides.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/engine.h"
#include "runtime/proto.h"
#include "runtime/replay_decide.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define TOPOLOGY "interface em0 address 10.0.0.1/24\ninterface em1 address 192.0.2.1/24\n"

enum { FWD, REPLY }; /* em0's host to em1's, and back */

/* A packet of the flow between 10.0.0.10:1000 and 192.0.2.20:53 as the
 * decode hook leaves it: parsed, its interface and route known. */
static void packet(struct pk_pcap_pkt *pkt, int way, uint8_t proto, uint64_t seed, uint8_t *buf)
{
	struct pk_tb s = pk_tb_defaults(4, way == FWD ? "10.0.0.10" : "192.0.2.20", way == FWD ? "192.0.2.20" : "10.0.0.10");
	struct pk_pcap_ahead *a = &pkt->ahead;

	memset(pkt, 0, sizeof(*pkt));
	s.proto = proto;
	s.sport = way == FWD ? 1000 : 53;
	s.dport = way == FWD ? 53 : 1000;
	s.icmp_type = way == FWD ? 8 : 0;
	size_t len = pk_tb_build(&s, buf, 256);
	pkt->ip = buf;
	pkt->ip_len = len;
	a->ready = true;
	a->parsed_ok = pk_pkt_parse(buf, len, &a->parsed) == PK_REASON_NONE;
	assert_true(a->parsed_ok);
	a->iface = way == FWD ? 0 : 1;
	a->route = (struct pk_replay_route){.af = PK_AF_INET, .routed = true, .egress = way == FWD ? 1 : 0};
	pk_engine_flow_hash_parsed(seed, &a->parsed, a->state);
}

/* The decisions made ahead for the ways of a flow's packets, in order:
 * for each, 0 none, else bit 0 the way in's (valid), bit 1 the way out's. */
static void decided(const char *rules, uint8_t proto, const int *ways, size_t n, const unsigned *want)
{
	struct pk_engine *e = pk_engine_new(pk_test_rules(rules), NULL);
	struct pk_replay_decide *d;
	struct pk_pcap_pkt pkts[8];
	uint8_t bufs[8][256];
	void *scratch = calloc(n, PK_REPLAY_DECIDE_SCRATCH);

	assert_non_null(e);
	assert_non_null(scratch);
	assert_true(n <= 8);
	d = pk_replay_decide_new(e, 42);
	assert_non_null(d);
	for (size_t i = 0; i < n; i++)
		packet(&pkts[i], ways[i], proto, 42, bufs[i]);
	pk_replay_decide_batch(d, pkts, n, scratch);
	for (size_t i = 0; i < n; i++) {
		const struct pk_decision_ahead *p = pkts[i].ahead.decided;
		unsigned got = p ? (unsigned)p[0].valid | (unsigned)p[1].valid << 1 : 0;

		if (got != want[i])
			fail_msg("%s packet %zu: decisions %u, not %u", rules, i, got, want[i]);
	}
	free(scratch);
	pk_replay_decide_free(d);
	pk_engine_free(e);
}

static const int ways[] = {FWD, FWD, REPLY, FWD, REPLY};

/* States both ways after the first packet: nothing more to decide, for the
 * flow's packets or its replies, UDP or ICMP (its own hash). */
static void test_states_take_the_flow_after_its_first_packet(void **state)
{
	static const unsigned want[] = {3, 0, 0, 0, 0};

	(void)state;
	decided(TOPOLOGY "pass all\n", PK_PROTO_UDP, ways, 5, want);
	decided(TOPOLOGY "pass all\n", PK_PROTO_ICMP, ways, 5, want);
}

/* Blocked on the way in: every packet decides again, and never goes out;
 * passed without state: every packet decides both ways. */
static void test_flows_without_states_decide_every_packet(void **state)
{
	static const unsigned blocked[] = {1, 1, 1, 1, 1}, stateless[] = {3, 3, 3, 3, 3};

	(void)state;
	decided(TOPOLOGY "block all\n", PK_PROTO_UDP, ways, 5, blocked);
	decided(TOPOLOGY "pass all no state\n", PK_PROTO_UDP, ways, 5, stateless);
}

/* States only on the ways in: the first packets' way out decides until
 * the first reply makes its state on em1, which the way out there meets
 * from then on. */
static void test_a_state_one_way_leaves_the_other_to_decide(void **state)
{
	static const unsigned want[] = {3, 2, 1, 0, 0};

	(void)state;
	decided(TOPOLOGY "pass in all\npass out all no state\n", PK_PROTO_UDP, ways, 5, want);
}

/* A translation on the way out: the first packet's way in is decided,
 * then the engine decides the flow alone. */
static void test_translated_flows_are_the_engines(void **state)
{
	static const unsigned want[] = {1, 0, 0, 0, 0};

	(void)state;
	decided(TOPOLOGY "match out on em1 from 10.0.0.0/24 to any nat-to 192.0.2.1\npass all\n", PK_PROTO_UDP, ways,
		5, want);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_states_take_the_flow_after_its_first_packet),
	cmocka_unit_test(test_flows_without_states_decide_every_packet),
	cmocka_unit_test(test_a_state_one_way_leaves_the_other_to_decide),
	cmocka_unit_test(test_translated_flows_are_the_engines),
)
