/*
 * tests/runtime/test_engine_ahead.c: rule walks made ahead
 * (pk_engine_decide_pass, runtime/engine_ahead.c) change no verdict and
 * no counter; the engine takes one only under the key it meets; what a
 * translation meets is left to the engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/engine.h"
#include "runtime/packet.h"
#include "runtime/proto.h"
#include "tests/support/engtest.h"
#include "tests/support/pkbtest.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/rulegen.h"
#include "tests/support/testmain.h"

/* A pass worked out and decided at once. */
static void decide(struct pk_engine_ahead *a, const struct pk_pkt *p, uint8_t dir, uint16_t iface, uint16_t tag,
		   uint16_t rcvif, struct pk_decision_ahead *out)
{
	struct pk_pass_ahead w;

	pk_engine_ahead_pass(a, p, dir, iface, tag, rcvif, &w);
	pk_engine_decide_pass(a, p, &w, out);
}

static struct pk_engine *engine(struct pk_rs *rs)
{
	const struct pk_engine_config cfg = {.seed = 7};
	struct pk_engine *e = pk_engine_new(rs, &cfg);

	assert_non_null(e);
	return e;
}

/* The generated packet built for the wire and parsed; false when the
 * generator's fields do not make one. */
static bool frame(const struct pk_match_pkt *p, uint8_t flags, uint8_t *buf, size_t cap, size_t *len,
		  struct pk_pkt *parsed)
{
	*len = pk_tb_matching(p, flags, buf, cap);
	return *len && pk_pkt_parse(buf, *len, parsed) == PK_REASON_NONE;
}

/* One evaluation of p, on its way in (arrived) or out (forwarded, with
 * its tag, received on rcvif), with the decision worked out ahead or none. */
static void evaluate(struct pk_engine *e, const struct pk_match_pkt *p, uint16_t rcvif, const struct pk_pkt *parsed,
		     const struct pk_decision_ahead *ahead, uint8_t *buf, size_t *len, size_t cap, uint64_t now,
		     struct pk_verdict *v)
{
	if (p->dir == PK_DIR_IN)
		pk_engine_packet_parsed(e, now, p->iface, parsed, ahead, buf, len, cap, v);
	else
		pk_engine_packet_forwarded(e, now, p->iface, p->tag, rcvif, ahead, buf, len, cap, v);
}

/* Two engines see the same packets, one with every decision worked out
 * ahead that can be, over generated rule sets with tables, tags, match
 * rules and the older scrub/translation rules: the same verdicts, the same
 * bytes, the same counters (the decision cache's among them), rule by
 * rule. */
static void test_decisions_ahead_change_no_verdict_and_no_counter(void **state)
{
	static const uint8_t flags[] = {PK_TH_SYN, PK_TH_ACK, PK_TH_SYN | PK_TH_ACK, PK_TH_FIN | PK_TH_ACK, PK_TH_RST};
	uint64_t valid = 0, made = 0, sets = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 8; seed++) {
		const struct pk_rulegen_opts o = {.seed = seed, .nrules = 40 * (uint32_t)seed, .ntables = 3,
						  .legacy = seed % 2 == 0, .quick_pct = 20,
						  .fixed_decisions = seed != 8};
		struct pk_ir_ruleset *ir = pk_rulegen(&o);
		struct pk_engine *e[2] = {engine(pk_test_load_rs(ir)), engine(pk_test_load_rs(ir))};
		struct pk_engine_ahead *a = pk_engine_ahead_new(e[0]);
		struct pk_rng rng = {seed};
		uint64_t now = 1000000000ull;

		sets += a != NULL; /* none where a rule draws or overloads (the last set's may) */
		for (int i = 0; i < 4000; i++, now += 1000000) {
			struct pk_match_pkt p;
			uint8_t buf[2][2048];
			size_t len[2];
			struct pk_pkt parsed[2];
			struct pk_verdict v[2];
			struct pk_decision_ahead d;
			const uint8_t f = flags[pk_rng_below(&rng, sizeof(flags))];

			pk_rulegen_packet(ir, pk_engine_ruleset(e[0]), &rng, &p);
			const uint16_t rcvif = p.dir == PK_DIR_IN ? p.iface : (uint16_t)pk_rng_below(&rng, 3);
			if (!frame(&p, f, buf[0], sizeof(buf[0]), &len[0], &parsed[0]) ||
			    !frame(&p, f, buf[1], sizeof(buf[1]), &len[1], &parsed[1]))
				continue;
			d.valid = false;
			if (a) {
				decide(a, &parsed[0], p.dir, p.iface, p.dir == PK_DIR_IN ? 0 : p.tag, rcvif, &d);
				made++;
				valid += d.valid;
			}
			evaluate(e[0], &p, rcvif, &parsed[0], &d, buf[0], &len[0], sizeof(buf[0]), now, &v[0]);
			evaluate(e[1], &p, rcvif, &parsed[1], NULL, buf[1], &len[1], sizeof(buf[1]), now, &v[1]);
			pk_et_assert_same(v, buf[0], buf[1], len);
		}
		assert_memory_equal(pk_engine_counters(e[0]), pk_engine_counters(e[1]), sizeof(struct pk_counters));
		for (uint32_t r = 0; r < pk_rs_nrules(pk_engine_ruleset(e[0])); r++)
			assert_memory_equal(pk_engine_rule_counters(e[0], r), pk_engine_rule_counters(e[1], r),
					    sizeof(struct pk_rule_counters));
		pk_engine_ahead_free(a);
		pk_engine_free(e[0]);
		pk_engine_free(e[1]);
		pk_rulegen_free(ir);
	}
	/* the comparison did exercise decisions taken ahead, and ones left out */
	assert_true(sets >= 7);
	assert_true(valid > made / 2);
	assert_true(valid < made);
}

static struct pk_engine *engine_text(const char *rules) { return engine(pk_test_rules(rules)); }

static void udp_packet(uint16_t sport, uint8_t *buf, size_t cap, size_t *len, struct pk_pkt *parsed)
{
	struct pk_tb s = pk_tb_defaults(4, "192.0.2.10", "198.51.100.20");

	s.proto = PK_PROTO_UDP;
	s.sport = sport;
	s.dport = 53;
	*len = pk_tb_build(&s, buf, cap);
	assert_int_equal(pk_pkt_parse(buf, *len, parsed), PK_REASON_NONE);
}

/* The engine takes a decision made ahead instead of walking the rules, but
 * only under the key it meets: one made for another interface is passed
 * over. A decision doctored to another rule shows which was taken. */
static void test_engine_takes_a_decision_only_under_its_key(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\ninterface em1 address 198.51.100.1/24\n"
					  "block in proto udp all\npass in proto udp from any port 2000 no state\n");
	struct pk_engine_ahead *a = pk_engine_ahead_new(e);
	uint8_t buf[256];
	size_t len;
	struct pk_pkt p;
	struct pk_verdict v;
	struct pk_decision_ahead d;

	(void)state;
	assert_non_null(a);
	udp_packet(1000, buf, sizeof(buf), &len, &p);
	decide(a, &p, PK_DIR_IN, 0, 0, 0, &d);
	assert_true(d.valid);
	assert_int_equal(d.entry.rule, 0);
	assert_true(pk_engine_ahead_passes(a, &d) == false);
	d.entry.rule = 1; /* doctored: the pass rule */
	pk_engine_packet_parsed(e, 1000000000ull, 0, &p, &d, buf, &len, sizeof(buf), &v);
	assert_int_equal(v.kind, PK_V_PASS);
	assert_int_equal(pk_engine_counters(e)->decisions_evaluated, 1);
	/* the key of em1, not em0's: the engine walks (and recalls the
	 * doctored decision its cache now holds for em0's key) */
	decide(a, &p, PK_DIR_IN, 1, 0, 1, &d);
	d.entry.rule = 1;
	udp_packet(1001, buf, sizeof(buf), &len, &p);
	pk_engine_packet_parsed(e, 1000000000ull, 0, &p, &d, buf, &len, sizeof(buf), &v);
	assert_int_equal(v.kind, PK_V_BLOCK);
	assert_int_equal(pk_engine_counters(e)->decisions_evaluated, 2);
	pk_engine_ahead_free(a);
	pk_engine_free(e);
}

/* A translation met on the way draws the engine's ports: not decided
 * ahead. "no nat" translates nothing: decided. A tag given by a rule is
 * part of the decision. */
static void test_translations_are_left_to_the_engine(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\ninterface em1 address 198.51.100.1/24\n"
					  "no nat on em1 from any port 1000 to any\n"
					  "nat on em1 from 192.0.2.0/24 to any -> 198.51.100.1\n"
					  "pass out on em1 all tag OUT no state\n");
	struct pk_engine_ahead *a = pk_engine_ahead_new(e);
	uint8_t buf[256];
	size_t len;
	struct pk_pkt p;
	struct pk_decision_ahead d;

	(void)state;
	assert_non_null(a);
	udp_packet(1001, buf, sizeof(buf), &len, &p);
	decide(a, &p, PK_DIR_OUT, 1, 0, 0, &d);
	assert_false(d.valid);
	udp_packet(1000, buf, sizeof(buf), &len, &p);
	decide(a, &p, PK_DIR_OUT, 1, 0, 0, &d);
	assert_true(d.valid);
	assert_int_not_equal(d.entry.tag, 0); /* the pass rule's */
	assert_true(pk_engine_ahead_passes(a, &d));
	assert_false(pk_engine_ahead_keeps_state(a, &d));
	pk_engine_ahead_free(a);
	pk_engine_free(e);
}

/* Where a rule draws, or overload adds to a table the rules read, the
 * decisions change under the reading thread: none are made ahead. */
static void test_no_walks_ahead_where_decisions_change(void **state)
{
	static const char *const sets[] = {
		"interface em0 address 192.0.2.1/24\npass in proto udp all probability 50% no state\n",
		"interface em0 address 192.0.2.1/24\ntable <bad> persist\nblock in from <bad>\n"
		"pass in proto tcp all keep state (max-src-conn 5, overload <bad>)\n",
	};

	(void)state;
	for (size_t i = 0; i < PK_NELEMS(sets); i++) {
		struct pk_engine *e = engine_text(sets[i]);

		assert_null(pk_engine_ahead_new(e));
		pk_engine_free(e);
	}
}

/* An overload table that no rule reads only counts: the walks are made. */
static void test_walks_ahead_beside_an_overload_no_rule_reads(void **state)
{
	struct pk_engine *e = engine_text("interface em0 address 192.0.2.1/24\ntable <other> persist\n"
					  "block in from <other>\n"
					  "pass in proto tcp all keep state (max-src-conn 5, overload <bad>)\n");
	struct pk_engine_ahead *a = pk_engine_ahead_new(e);

	(void)state;
	assert_non_null(a);
	pk_engine_ahead_free(a);
	pk_engine_free(e);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_decisions_ahead_change_no_verdict_and_no_counter),
	cmocka_unit_test(test_engine_takes_a_decision_only_under_its_key),
	cmocka_unit_test(test_translations_are_left_to_the_engine),
	cmocka_unit_test(test_no_walks_ahead_where_decisions_change),
	cmocka_unit_test(test_walks_ahead_beside_an_overload_no_rule_reads),
)
