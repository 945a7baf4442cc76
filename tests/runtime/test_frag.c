/*
 * tests/runtime/test_frag.c: fragment reassembly (runtime/frag.c) and the
 * engine's handling of fragments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/frag.h"
#include "tests/support/engtest.h"
#include "tests/support/testmain.h"

static uint8_t whole[4096], piece[8][2048];
static size_t whole_len, piece_len[8];

/* Split whole (IPv4) into fragments of at most `chunk` data bytes. */
static unsigned split4(size_t chunk)
{
	size_t hl = (size_t)(whole[0] & 15) * 4, off = 0, total = whole_len - hl;
	unsigned n = 0;

	for (; off < total; off += chunk, n++) {
		size_t d = total - off < chunk ? total - off : chunk;
		uint8_t *p = piece[n];

		memcpy(p, whole, hl);
		memcpy(p + hl, whole + hl + off, d);
		pk_put16(p + 2, (uint16_t)(hl + d));
		pk_put16(p + 6, (uint16_t)((off + d < total ? 0x2000 : 0) | (off / 8)));
		pk_put16(p + 10, 0);
		pk_put16(p + 10, pk_cksum_fold(pk_cksum_add(0, p, hl)));
		piece_len[n] = hl + d;
	}
	return n;
}

/* Split whole (IPv6, no extension headers) with a fragment header each. */
static unsigned split6(size_t chunk, uint32_t id)
{
	size_t off = 0, total = whole_len - 40;
	unsigned n = 0;

	for (; off < total; off += chunk, n++) {
		size_t d = total - off < chunk ? total - off : chunk;
		uint8_t *p = piece[n];

		memcpy(p, whole, 40);
		p[6] = 44;
		memset(p + 40, 0, 8);
		p[40] = whole[6];
		pk_put16(p + 42, (uint16_t)(off | (off + d < total ? 1 : 0)));
		pk_put32(p + 44, id);
		memcpy(p + 48, whole + 40 + off, d);
		pk_put16(p + 4, (uint16_t)(8 + d));
		piece_len[n] = 48 + d;
	}
	return n;
}

static void make_udp(uint8_t af, uint16_t dport, uint16_t payload)
{
	struct pk_tb s = pk_tb_defaults(af, af == 4 ? "192.168.1.50" : "2001:db8::50",
					af == 4 ? "10.0.10.5" : "2001:db8:2::5");

	s.proto = 17, s.sport = 1000, s.dport = dport, s.payload = payload, s.ip_id = 77;
	whole_len = pk_tb_build(&s, whole, sizeof(whole));
}

static struct pk_frag_cache cache;
static uint8_t out[4096];        /* the piece handed to the cache, or the datagram it gave back */
static size_t out_len;
static enum pk_drop_reason why; /* the cache's reason for a drop */

static void open_cache(uint32_t limit)
{
	assert_int_equal(pk_frag_init(&cache, limit), 0);
}

PK_TEST_FIXTURE(close_cache, pk_frag_fini(&cache))

/* A UDP datagram of 3000 bytes to port 53 in three IPv4 pieces, and a
 * cache with room for 100. */
static void ipv4_in_three(void)
{
	make_udp(4, 53, 3000);
	assert_int_equal(split4(1480), 3);
	open_cache(100);
}

/* One of 2000 bytes in two IPv6 pieces, and a cache with room for 100. */
static void ipv6_in_two(void)
{
	make_udp(6, 53, 2000);
	assert_int_equal(split6(1232, 9), 2);
	open_cache(100);
}

/* Hands piece k to the cache at ms milliseconds. */
static enum pk_frag_result add(unsigned k, uint32_t ms)
{
	struct pk_pkt p;

	memcpy(out, piece[k], piece_len[k]);
	out_len = piece_len[k];
	assert_int_equal(pk_pkt_parse(out, out_len, &p), PK_REASON_NONE);
	assert_true(p.fragment);
	return pk_frag_add(&cache, &p, out, &out_len, sizeof(out), ms, 60, &why);
}

/* The cache gave back the whole datagram. */
static void assert_whole(void)
{
	assert_int_equal(out_len, whole_len);
	assert_memory_equal(out, whole, whole_len);
}

static void test_ipv4_fragments_reassemble_in_any_order(void **state)
{
	(void)state;
	ipv4_in_three();
	assert_int_equal(add(2, 0), PK_FRAG_HELD);
	assert_int_equal(add(0, 1), PK_FRAG_HELD);
	assert_int_equal(add(1, 2), PK_FRAG_DONE);
	assert_whole();
	assert_int_equal(cache.held, 0);
}

static void test_ipv6_fragments_reassemble(void **state)
{
	(void)state;
	ipv6_in_two();
	assert_int_equal(add(1, 0), PK_FRAG_HELD);
	assert_int_equal(add(0, 0), PK_FRAG_DONE);
	assert_whole();
	assert_true(pk_tb_cksums_ok(out, out_len));
}

static void test_overlapping_ipv6_fragment_drops_the_datagram(void **state)
{
	(void)state;
	ipv6_in_two();
	assert_int_equal(add(0, 0), PK_FRAG_HELD);
	assert_int_equal(add(0, 0), PK_FRAG_DROP);
	assert_int_equal(why, PK_REASON_FRAGMENT);
	assert_int_equal(cache.held, 0);
}

static void test_frags_limit_refuses_with_memory(void **state)
{
	(void)state;
	make_udp(4, 53, 3000);
	split4(1000);
	open_cache(2);
	assert_int_equal(add(0, 0), PK_FRAG_HELD);
	assert_int_equal(add(1, 0), PK_FRAG_HELD);
	assert_int_equal(add(2, 0), PK_FRAG_DROP);
	assert_int_equal(why, PK_REASON_MEMORY);
}

static void test_incomplete_datagram_expires_after_frag_timeout(void **state)
{
	(void)state;
	ipv4_in_three();
	assert_int_equal(add(0, 0), PK_FRAG_HELD);
	assert_int_equal(pk_frag_expire(&cache, 59999, 60), 0);
	assert_int_equal(pk_frag_expire(&cache, 60000, 60), 1);
	assert_int_equal(add(1, 60001), PK_FRAG_HELD);
	assert_int_equal(add(2, 60002), PK_FRAG_HELD); /* the first piece is gone */
}

static void test_fragmented_datagram_meets_the_rules_when_whole(void **state)
{
	unsigned n, k;

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto udp to port 53\n");
	for (int port = 53; port <= 54; port++) {
		make_udp(4, (uint16_t)port, 3000);
		n = split4(1480);
		for (k = 0; k < n; k++) {
			memcpy(et.buf, piece[k], piece_len[k]);
			et.blen = piece_len[k];
			pk_engine_packet(et.eng, k, et.lan, PK_DIR_IN, et.buf, &et.blen, sizeof(et.buf), &et.v);
			if (k + 1 < n)
				assert_int_equal(et.v.kind, PK_V_HOLD);
		}
		assert_int_equal(et.v.reason, port == 53 ? PK_REASON_NONE : PK_REASON_MATCH);
		assert_int_equal(et.v.kind, port == 53 ? PK_V_PASS : PK_V_BLOCK);
		assert_int_equal(et.blen, whole_len);
	}
}

/* Hands the pieces of whole, split as it was, to the engine in on lan0 one
 * by one; the verdict of each in kinds[], reasons[]. */
static void run_pieces(unsigned n, uint8_t kinds[], uint8_t reasons[])
{
	for (unsigned k = 0; k < n; k++) {
		memcpy(et.buf, piece[k], piece_len[k]);
		et.blen = piece_len[k];
		pk_engine_packet(et.eng, k * PK_ET_SEC, et.lan, PK_DIR_IN, et.buf, &et.blen, sizeof(et.buf), &et.v);
		kinds[k] = et.v.kind;
		reasons[k] = et.v.reason;
	}
}

/* Sets DF on every piece, its header checksum made right again. */
static void set_df(unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		uint8_t *p = piece[k];

		pk_put16(p + 6, pk_get16(p + 6) | 0x4000);
		pk_put16(p + 10, 0);
		pk_put16(p + 10, pk_cksum_fold(pk_cksum_add(0, p, 20)));
	}
}

/* Under rules, the pieces of whole split into n, each with verdict kind
 * and reason (the verdicts kept in kinds[], reasons[]). */
static uint8_t kinds[8], reasons[8];
static void expect_pieces(const char *rules, unsigned n, uint8_t kind, uint8_t reason)
{
	pk_engine_free(et.eng);
	pk_et_start(rules);
	run_pieces(n, kinds, reasons);
	for (unsigned k = 0; k < n; k++) {
		assert_int_equal(kinds[k], kind);
		assert_int_equal(reasons[k], reason);
	}
}

static void test_without_reassembly_a_port_rule_matches_no_fragment(void **state)
{
	(void)state;
	make_udp(4, 53, 3000);
	expect_pieces(PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 proto udp to port 53\n", split4(1480),
		      PK_V_BLOCK, PK_REASON_FRAGMENT);
}

static void test_without_reassembly_fragments_pass_one_by_one_without_state(void **state)
{
	(void)state;
	make_udp(4, 53, 3000);
	expect_pieces(PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 proto udp\n", split4(1480), PK_V_PASS,
		      PK_REASON_NONE);
	assert_int_equal(et.blen, piece_len[2]);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

static void test_without_reassembly_ipv6_fragments_meet_the_rules_alone(void **state)
{
	const char *rules = PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 inet6 proto udp to port 53\n";

	(void)state;
	make_udp(6, 53, 2000);
	expect_pieces(rules, split6(1232, 9), PK_V_BLOCK, PK_REASON_FRAGMENT);
	expect_pieces(PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 inet6 proto udp\n", 2, PK_V_PASS,
		      PK_REASON_NONE);
}

/* A stateful TCP rule has pf's flags S/SA, which a fragment never shows. */
static void test_without_reassembly_tcp_fragments_fail_default_flags(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, "192.168.1.50", "10.0.10.5");
	unsigned n;

	(void)state;
	s.sport = 1000, s.dport = 80, s.flags = 0x02, s.seq = 1, s.payload = 3000;
	whole_len = pk_tb_build(&s, whole, sizeof(whole));
	n = split4(1480);
	expect_pieces(PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 proto tcp\n", n, PK_V_BLOCK,
		      PK_REASON_FRAGMENT);
	expect_pieces(PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 proto tcp flags any\n", n, PK_V_PASS,
		      PK_REASON_NONE);
}

static void test_fragment_rules_match_fragments_only(void **state)
{
	const char *rules = PK_ET_TOPO "set reassemble no\nblock all\npass in on lan0 fragment\n";

	(void)state;
	make_udp(4, 53, 3000);
	expect_pieces(rules, split4(1480), PK_V_PASS, PK_REASON_NONE);
	make_udp(4, 53, 100);
	memcpy(piece[0], whole, whole_len);
	piece_len[0] = whole_len;
	expect_pieces(rules, 1, PK_V_BLOCK, PK_REASON_MATCH);
}

/* With reassembly, the datagram is whole before any rule sees it. */
static void test_fragment_rules_match_nothing_with_reassembly(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 fragment\n");
	make_udp(4, 53, 3000);
	run_pieces(split4(1480), kinds, reasons);
	assert_int_equal(kinds[2], PK_V_BLOCK);
	assert_int_equal(reasons[2], PK_REASON_MATCH);
}

static void test_a_fragment_with_df_is_dropped_unless_no_df(void **state)
{
	unsigned n;

	(void)state;
	make_udp(4, 53, 3000);
	set_df(n = split4(1480));
	expect_pieces(PK_ET_TOPO "pass\n", n, PK_V_BLOCK, PK_REASON_FRAGMENT);
	pk_engine_free(et.eng);
	pk_et_start(PK_ET_TOPO "set reassemble yes no-df\npass\n");
	run_pieces(n, kinds, reasons);
	assert_int_equal(kinds[n - 1], PK_V_PASS);
	assert_int_equal(et.blen, whole_len);
	assert_int_equal(pk_get16(et.buf + 6) & 0x4000, 0);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_ipv4_fragments_reassemble_in_any_order, close_cache),
	cmocka_unit_test_teardown(test_ipv6_fragments_reassemble, close_cache),
	cmocka_unit_test_teardown(test_overlapping_ipv6_fragment_drops_the_datagram, close_cache),
	cmocka_unit_test_teardown(test_frags_limit_refuses_with_memory, close_cache),
	cmocka_unit_test_teardown(test_incomplete_datagram_expires_after_frag_timeout, close_cache),
	cmocka_unit_test_teardown(test_fragmented_datagram_meets_the_rules_when_whole, pk_et_teardown),
	cmocka_unit_test_teardown(test_without_reassembly_a_port_rule_matches_no_fragment, pk_et_teardown),
	cmocka_unit_test_teardown(test_without_reassembly_fragments_pass_one_by_one_without_state, pk_et_teardown),
	cmocka_unit_test_teardown(test_without_reassembly_ipv6_fragments_meet_the_rules_alone, pk_et_teardown),
	cmocka_unit_test_teardown(test_without_reassembly_tcp_fragments_fail_default_flags, pk_et_teardown),
	cmocka_unit_test_teardown(test_fragment_rules_match_fragments_only, pk_et_teardown),
	cmocka_unit_test_teardown(test_fragment_rules_match_nothing_with_reassembly, pk_et_teardown),
	cmocka_unit_test_teardown(test_a_fragment_with_df_is_dropped_unless_no_df, pk_et_teardown),
)
