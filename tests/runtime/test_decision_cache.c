/*
 * tests/runtime/test_decision_cache.c: the decision cache
 * (runtime/decision_cache.c and its use in runtime/engine.c) changes no
 * verdict and no counter: two engines, one with the cache and one
 * without, see the same packets over generated rule sets.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/decision_cache.h"
#include "runtime/engine.h"
#include "runtime/engine_priv.h"
#include "runtime/packet.h"
#include "runtime/proto.h"
#include "tests/support/engtest.h"
#include "tests/support/pkbtest.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"

struct twin {
	struct pk_engine *eng[2]; /* [0] with the cache, [1] without */
};

static struct pk_engine *engine(const struct pk_ir_ruleset *ir, bool no_cache)
{
	const struct pk_engine_config cfg = {.seed = 7, .no_decision_cache = no_cache};
	struct pk_engine *e = pk_engine_new(pk_test_load_rs(ir), &cfg);
	assert_non_null(e);
	return e;
}

static void same_verdicts(struct twin *t, const struct pk_match_pkt *p, uint8_t flags, uint64_t now)
{
	uint8_t buf[2][2048];
	size_t len[2];
	struct pk_verdict v[2];

	for (int k = 0; k < 2; k++) {
		len[k] = pk_tb_matching(p, flags, buf[k], sizeof(buf[k]));
		if (!len[k])
			return;
		pk_engine_packet_tagged(t->eng[k], now, p->iface, p->dir, p->tag, buf[k], &len[k], sizeof(buf[k]),
					&v[k]);
	}
	pk_et_assert_same(v, buf[0], buf[1], len);
}

/* A with one field taken from b: a key that left that field out would
 * give a's decision to the mix. */
static struct pk_match_pkt mix(const struct pk_match_pkt *a, const struct pk_match_pkt *b, uint32_t field)
{
	struct pk_match_pkt m = *a;

	if (a->af != b->af || a->proto != b->proto)
		return m;
	switch (field) {
	case 0: m.sport = b->sport; break;
	case 1: m.dport = b->dport; break;
	case 2: memcpy(m.src, b->src, sizeof(m.src)); break;
	case 3: memcpy(m.dst, b->dst, sizeof(m.dst)); break;
	case 4: m.iface = b->iface; break;
	case 5: m.dir = b->dir; break;
	case 6: m.tag = b->tag; break;
	default: m.icmp_type = b->icmp_type; break;
	}
	return m;
}

/* Packets drawn from a small pool, each with one field swapped for
 * another packet's and one of a flow's TCP flag sets, so that keys
 * repeat and neighbour each other; against rule sets with tables, tags
 * and the older scrub/translation rules. Then every rule's counters. */
static void test_cache_changes_no_verdict_and_no_counter(void **state)
{
	static const uint8_t flags[] = {PK_TH_SYN, PK_TH_ACK, PK_TH_ACK | PK_TH_PUSH, PK_TH_FIN | PK_TH_ACK,
					PK_TH_SYN | PK_TH_ACK, PK_TH_RST};
	enum { POOL = 48 };
	uint64_t recalled = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		const struct pk_rulegen_opts o = {.seed = seed, .nrules = 40 * (uint32_t)seed, .ntables = 3,
						  .legacy = seed % 2 == 0, .quick_pct = 20};
		struct pk_ir_ruleset *ir = pk_rulegen(&o);
		struct twin t = {{engine(ir, false), engine(ir, true)}};
		struct pk_rng rng = {seed};
		struct pk_match_pkt pool[POOL];
		uint64_t now = 1000000000ull;

		for (int i = 0; i < POOL; i++)
			pk_rulegen_packet(ir, pk_engine_ruleset(t.eng[0]), &rng, &pool[i]);
		for (int i = 0; i < 6000; i++, now += 1000000) {
			const struct pk_match_pkt p = mix(&pool[pk_rng_below(&rng, POOL)], &pool[pk_rng_below(&rng, POOL)],
							  pk_rng_below(&rng, 10));
			same_verdicts(&t, &p, flags[pk_rng_below(&rng, sizeof(flags))], now);
		}
		for (uint32_t r = 0; r < pk_rs_nrules(pk_engine_ruleset(t.eng[0])); r++)
			assert_memory_equal(pk_engine_rule_counters(t.eng[0], r), pk_engine_rule_counters(t.eng[1], r),
					    sizeof(struct pk_rule_counters));
		assert_int_equal(pk_engine_counters(t.eng[1])->decisions_recalled, 0);
		recalled += pk_engine_counters(t.eng[0])->decisions_recalled;
		pk_engine_free(t.eng[0]);
		pk_engine_free(t.eng[1]);
		pk_rulegen_free(ir);
	}
	assert_true(recalled > 1000); /* the comparison above did exercise the cache */
}

static struct pk_engine *engine_text(const char *rules)
{
	const struct pk_engine_config cfg = {.seed = 7};
	struct pk_engine *e = pk_engine_new(pk_test_rules(rules), &cfg);

	assert_non_null(e);
	return e;
}

static uint8_t udp_tagged(struct pk_engine *e, uint16_t sport, uint16_t tag)
{
	struct pk_tb s = pk_tb_defaults(4, "192.0.2.10", "198.51.100.20");
	uint8_t buf[256];
	size_t len;
	struct pk_verdict v;

	s.proto = PK_PROTO_UDP;
	s.sport = sport;
	s.dport = 53;
	len = pk_tb_build(&s, buf, sizeof(buf));
	pk_engine_packet_tagged(e, 1000000000ull, 0, PK_DIR_IN, tag, buf, &len, sizeof(buf), &v);
	return v.kind;
}

static uint8_t udp(struct pk_engine *e, uint16_t sport)
{
	return udp_tagged(e, sport, 0);
}

static void test_repeated_blocked_packets_are_recalled(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\nblock in proto udp all\n");

	(void)state;
	for (int i = 0; i < 5; i++)
		assert_int_equal(udp(e, 1000), PK_V_BLOCK);
	assert_int_equal(pk_engine_counters(e)->decisions_evaluated, 1);
	assert_int_equal(pk_engine_counters(e)->decisions_recalled, 4);
	assert_int_equal(pk_engine_rule_counters(e, 0)->packets, 5);
	assert_int_equal(udp(e, 1001), PK_V_BLOCK); /* another source port is another key */
	assert_int_equal(pk_engine_counters(e)->decisions_evaluated, 2);
	pk_engine_free(e);
}

/* The tag a packet arrives with is part of what the rules read. */
static void test_arrival_tag_is_part_of_the_key(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\n"
					  "block in proto udp all\npass in proto udp all tagged T1 no state\n"
					  "pass out all tag T1 no state\n");
	const uint16_t t1 = 1;

	(void)state;
	assert_string_equal(pk_rs_tag_name(pk_engine_ruleset(e), t1), "T1");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(udp_tagged(e, 1000, 0), PK_V_BLOCK);
		assert_int_equal(udp_tagged(e, 1000, t1), PK_V_PASS);
	}
	assert_int_equal(pk_engine_counters(e)->decisions_recalled, 4);
	pk_engine_free(e);
}

/* A recalled decision counts every rule the evaluation would have: the
 * older scrub rule and the match rules as well as the deciding one. */
static void test_recalled_decisions_count_every_rule(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\n"
					  "scrub in all\nmatch in proto udp all\nblock in proto udp all\n");

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(udp(e, 1000), PK_V_BLOCK);
	assert_int_equal(pk_engine_counters(e)->decisions_recalled, 3);
	for (uint32_t r = 0; r < 3; r++)
		assert_int_equal(pk_engine_rule_counters(e, r)->packets, 4);
	pk_engine_free(e);
}

/* A rule with `probability` decides by a draw per packet: nothing is kept. */
static void test_probability_rules_turn_the_cache_off(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\n"
					  "block in proto udp all\npass in proto udp all probability 50% no state\n");
	int passed = 0;

	(void)state;
	for (int i = 0; i < 200; i++)
		passed += udp(e, 1000) == PK_V_PASS;
	assert_int_equal(pk_engine_counters(e)->decisions_recalled, 0);
	assert_in_range(passed, 60, 140);
	pk_engine_free(e);
}

/* A reload forgets what the old rules decided. */
static void test_reload_forgets_decisions(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\nblock in proto udp all\n");

	(void)state;
	assert_int_equal(udp(e, 1000), PK_V_BLOCK);
	pk_engine_reload(e, pk_test_rules("interface em0 address 192.0.2.1/24\npass in proto udp all no state\n"));
	assert_int_equal(udp(e, 1000), PK_V_PASS);
	assert_int_equal(pk_engine_counters(e)->decisions_recalled, 0);
	pk_engine_free(e);
}

/* The hash a reading thread works out ahead (pk_engine_decision_hash)
 * names the slot the engine then fills for the packet on its way in: a
 * UDP packet, and TCP segments whose flags the rules partly read. */
static void test_hash_ahead_names_the_slot_filled(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\nblock in proto udp all\n"
					  "block in proto tcp all flags S/SA\n");
	const struct pk_engine_dc_view view = pk_engine_dc_view(e);
	const uint8_t protos[] = {PK_PROTO_UDP, PK_PROTO_TCP, PK_PROTO_TCP};
	const uint8_t flags[] = {0, PK_TH_SYN, PK_TH_ACK | PK_TH_PUSH};

	(void)state;
	for (size_t i = 0; i < PK_NELEMS(protos); i++) {
		struct pk_tb t = pk_tb_defaults(4, "192.0.2.10", "198.51.100.20");
		uint8_t buf[256];
		struct pk_pkt p;
		struct pk_verdict v;

		t.proto = protos[i];
		t.flags = flags[i];
		t.sport = (uint16_t)(2000 + i);
		t.dport = 80;
		size_t len = pk_tb_build(&t, buf, sizeof(buf));
		assert_int_equal(pk_pkt_parse(buf, len, &p), PK_REASON_NONE);
		const uint32_t h = pk_engine_decision_hash(&view, &p, 0, false);
		assert_int_not_equal(h, 0);
		pk_engine_packet_parsed(e, 1000000000ull, 0, &p, NULL, buf, &len, sizeof(buf), &v);
		const struct pk_match_pkt *k = &e->dc.key[h & (PK_DC_ENTRIES - 1)];
		assert_int_equal(k->af, PK_AF_INET);
		assert_int_equal(k->proto, protos[i]);
		assert_int_equal(k->sport, 2000 + i);
	}
	pk_engine_free(e);
	/* no decision is kept where a rule draws: no hash to ask for */
	e = engine_text("interface em0 address 192.0.2.1/24\npass in proto udp all probability 50% no state\n");
	const struct pk_engine_dc_view drawn = pk_engine_dc_view(e);
	struct pk_pkt p = {.af = PK_AF_INET, .proto = PK_PROTO_UDP, .icmp_type = -1};
	assert_int_equal(pk_engine_decision_hash(&drawn, &p, 0, false), 0);
	pk_engine_free(e);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_cache_changes_no_verdict_and_no_counter),
	cmocka_unit_test(test_repeated_blocked_packets_are_recalled),
	cmocka_unit_test(test_arrival_tag_is_part_of_the_key),
	cmocka_unit_test(test_recalled_decisions_count_every_rule),
	cmocka_unit_test(test_probability_rules_turn_the_cache_off),
	cmocka_unit_test(test_reload_forgets_decisions),
	cmocka_unit_test(test_hash_ahead_names_the_slot_filled),
)
