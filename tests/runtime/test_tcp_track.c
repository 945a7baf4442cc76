/*
 * tests/runtime/test_tcp_track.c: pf's TCP tracking (runtime/tcp_track.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/tcp_track.h"
#include "tests/support/pktbuild.h"
#include "tests/support/testmain.h"

#define C 1 /* client: created the state */
#define S 0

static struct pk_state st;
static uint8_t buf[2048];
static size_t blen;
static struct pk_tcp_io io;
static uint32_t diff[2]; /* modulation offsets of the server [S] and the client [C] */

static void build(int from, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, uint16_t len, int ws)
{
	struct pk_tb s = pk_tb_defaults(4, from ? "10.0.0.1" : "10.0.0.2", from ? "10.0.0.2" : "10.0.0.1");

	s.sport = from ? 40000 : 22;
	s.dport = from ? 22 : 40000;
	s.seq = seq, s.ack = ack, s.flags = flags, s.win = win, s.payload = len, s.wscale = ws;
	blen = pk_tb_build(&s, buf, sizeof(buf));
}

/* Track p sent by `from`, its offset and its peer's kept in diff[]. */
static enum pk_drop_reason track(int from, const struct pk_pkt *p)
{
	enum pk_drop_reason r;

	io.seqdiff[0] = diff[from];
	io.seqdiff[1] = diff[!from];
	r = from ? pk_tcp_track(&st.src, &st.dst, p, buf, &io) : pk_tcp_track(&st.dst, &st.src, p, buf, &io);
	diff[from] = io.seqdiff[0];
	diff[!from] = io.seqdiff[1];
	return r;
}

static enum pk_drop_reason tx(int from, uint32_t seq, uint32_t ack, uint8_t flags, uint16_t win, uint16_t len)
{
	struct pk_pkt p;

	build(from, seq, ack, flags, win, len, -1);
	assert_int_equal(pk_pkt_parse(buf, blen, &p), PK_REASON_NONE);
	return track(from, &p);
}

static void open_with(int cws, int sws, bool sloppy)
{
	struct pk_pkt p;

	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	io.sloppy = sloppy;
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, cws);
	assert_int_equal(pk_pkt_parse(buf, blen, &p), PK_REASON_NONE);
	assert_int_equal(pk_tcp_init(&st, &p, buf, 0), PK_TMO_TCP_FIRST);
	build(S, 5000, 1001, PK_TH_SYN | PK_TH_ACK, 65535, 0, sws);
	assert_int_equal(pk_pkt_parse(buf, blen, &p), PK_REASON_NONE);
	assert_int_equal(track(S, &p), PK_REASON_NONE);
	assert_int_equal(tx(C, 1001, 5001, PK_TH_ACK, 65535, 0), PK_REASON_NONE);
}

static void test_handshake_reaches_established(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(st.src.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(io.timeout, PK_TMO_TCP_ESTABLISHED);
	assert_true(io.established);
}

static void test_syn_ack_moves_to_opening_timeout(void **state)
{
	struct pk_pkt p;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 0);
	assert_int_equal(st.src.state, PK_TCPS_SYN_SENT);
	assert_int_equal(st.dst.state, PK_TCPS_CLOSED);
	assert_int_equal(tx(S, 5000, 1001, PK_TH_SYN | PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(st.dst.state, PK_TCPS_SYN_SENT);
	assert_int_equal(io.timeout, PK_TMO_TCP_OPENING);
}

static void test_retransmitted_syn_passes(void **state)
{
	struct pk_pkt p;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 0);
	assert_int_equal(tx(C, 1000, 0, PK_TH_SYN, 65535, 0), PK_REASON_NONE);
}

static void test_retransmitted_data_passes(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(C, 1001, 5001, PK_TH_ACK | PK_TH_PUSH, 65535, 500), PK_REASON_NONE);
	assert_int_equal(tx(C, 1001, 5001, PK_TH_ACK | PK_TH_PUSH, 65535, 500), PK_REASON_NONE);
	assert_int_equal(st.src.seqlo, 1501);
}

static void test_data_beyond_the_window_is_state_mismatch(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(C, 1001 + 70000, 5001, PK_TH_ACK, 65535, 100), PK_REASON_STATE_MISMATCH);
	assert_int_equal(tx(C, 1001 - 70000, 5001, PK_TH_ACK, 65535, 100), PK_REASON_STATE_MISMATCH);
}

static void test_ack_of_unsent_data_is_state_mismatch(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(C, 1001, 5001 + 200000, PK_TH_ACK, 65535, 10), PK_REASON_STATE_MISMATCH);
}

static void test_window_scale_widens_window_when_both_sides_offer_it(void **state)
{
	(void)state;
	open_with(7, 7, false);
	assert_int_equal(st.src.wscale, PK_WSCALE_FLAG | 7);
	assert_int_equal(st.dst.wscale, PK_WSCALE_FLAG | 7);
	/* 1024 scaled by 7 is 128 KiB of window: data 100000 bytes ahead is inside it */
	assert_int_equal(tx(S, 5001, 1001, PK_TH_ACK, 1024, 0), PK_REASON_NONE);
	assert_int_equal(tx(C, 1001 + 100000, 5001, PK_TH_ACK, 1024, 1000), PK_REASON_NONE);
}

static void test_window_scale_ignored_when_one_side_lacks_it(void **state)
{
	(void)state;
	open_with(7, -1, false);
	assert_int_equal(st.src.wscale, 0);
	assert_int_equal(tx(S, 5001, 1001, PK_TH_ACK, 1024, 0), PK_REASON_NONE);
	/* unscaled, the server allows 64 KiB: 100000 bytes ahead is outside */
	assert_int_equal(tx(C, 1001 + 100000, 5001, PK_TH_ACK, 1024, 1000), PK_REASON_STATE_MISMATCH);
}

static void test_rst_in_window_goes_to_time_wait(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(S, 5001, 0, PK_TH_RST, 0, 0), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_TIME_WAIT);
	assert_int_equal(st.dst.state, PK_TCPS_TIME_WAIT);
	assert_int_equal(io.timeout, PK_TMO_TCP_CLOSED);
}

/* Scrubbed packets (pf's PFDESC_IP_REAS) need an exact or +-1 RST sequence. */
static void test_rst_out_of_window_is_state_mismatch(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	io.reassembled = true;
	assert_int_equal(tx(S, 5001 + 100, 0, PK_TH_RST, 0, 0), PK_REASON_STATE_MISMATCH);
	assert_int_equal(tx(S, 5001 + 1000000, 0, PK_TH_RST, 0, 0), PK_REASON_STATE_MISMATCH);
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
}

/* Without scrub pf eases the sequence check of segments without data. */
static void test_rst_without_scrub_passes_at_any_sequence(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(S, 5001 + 1000000, 0, PK_TH_RST, 0, 0), PK_REASON_NONE);
	assert_int_equal(st.dst.state, PK_TCPS_TIME_WAIT);
}

static void test_rst_with_bad_ack_is_state_mismatch(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(S, 5001, 1001 + 500000, PK_TH_RST | PK_TH_ACK, 0, 0), PK_REASON_STATE_MISMATCH);
}

static void test_fin_progression_through_fin_wait_to_closed(void **state)
{
	(void)state;
	open_with(-1, -1, false);
	assert_int_equal(tx(C, 1001, 5001, PK_TH_FIN | PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_CLOSING);
	assert_int_equal(io.timeout, PK_TMO_TCP_CLOSING);
	assert_int_equal(tx(S, 5001, 1002, PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_FIN_WAIT_2);
	assert_int_equal(io.timeout, PK_TMO_TCP_CLOSING);
	assert_int_equal(tx(S, 5001, 1002, PK_TH_FIN | PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.dst.state, PK_TCPS_CLOSING);
	assert_int_equal(io.timeout, PK_TMO_TCP_FINWAIT);
	assert_int_equal(tx(C, 1002, 5002, PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.dst.state, PK_TCPS_FIN_WAIT_2);
	assert_int_equal(io.timeout, PK_TMO_TCP_CLOSED);
}

static void test_new_syn_on_closed_state_reopens(void **state)
{
	struct pk_pkt p;

	(void)state;
	open_with(-1, -1, false);
	tx(C, 1001, 5001, PK_TH_RST, 0, 0);
	build(C, 90000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	assert_true(pk_tcp_reopens(&st.src, &st.dst, &p));
}

static void test_mismatch_during_handshake_resets_the_sender(void **state)
{
	struct pk_pkt p;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 0);
	assert_int_equal(tx(S, 5000, 1001, PK_TH_SYN | PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	/* both sides SYN_SENT (as after a simultaneous open): a wild ACK resets the sender */
	st.src.state = PK_TCPS_SYN_SENT;
	assert_int_equal(tx(S, 5001, 1001 + 900000, PK_TH_ACK, 65535, 10), PK_REASON_STATE_MISMATCH);
	assert_true(io.send_rst);
	assert_int_equal(st.dst.seqlo, 0);
	assert_int_equal(st.dst.seqhi, 1);
}

static void test_sloppy_passes_out_of_window_data(void **state)
{
	(void)state;
	open_with(-1, -1, true);
	assert_int_equal(tx(C, 1001 + 900000, 5001, PK_TH_ACK, 65535, 100), PK_REASON_NONE);
	assert_int_equal(io.timeout, PK_TMO_TCP_ESTABLISHED);
}

static void test_sloppy_one_sided_ack_establishes(void **state)
{
	struct pk_pkt p;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	io.sloppy = true;
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 0);
	/* the SYN|ACK took another path: only the client's ACK is seen */
	assert_int_equal(tx(C, 1001, 5001, PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
}

static void test_full_tracking_keeps_one_sided_connection_opening(void **state)
{
	struct pk_pkt p;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 0);
	assert_int_equal(tx(C, 1001, 5001, PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(st.dst.state, PK_TCPS_CLOSED);
	assert_int_equal(pk_tcp_timeout(&st.src, &st.dst), PK_TMO_TCP_OPENING);
}

static void test_modulate_rewrites_seq_and_ack_with_valid_checksum(void **state)
{
	struct pk_pkt p;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 777777);
	diff[C] = 777777; /* the creator's offset, kept by the state */
	assert_int_equal(pk_get32(buf + 24), 1000 + 777777);
	assert_true(pk_tb_cksums_ok(buf, blen));
	io.rnd = 424242;
	/* the server acknowledges the modulated ISN */
	assert_int_equal(tx(S, 5000, 1001 + 777777, PK_TH_SYN | PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_true(io.rewrote);
	assert_int_equal(pk_get32(buf + 24), 5000 + 424242);
	assert_int_equal(pk_get32(buf + 28), 1001);
	assert_true(pk_tb_cksums_ok(buf, blen));
	assert_int_equal(tx(C, 1001, 5001 + 424242, PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	assert_int_equal(pk_get32(buf + 24), 1001 + 777777);
	assert_int_equal(pk_get32(buf + 28), 5001);
	assert_true(pk_tb_cksums_ok(buf, blen));
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
}

static void test_modulate_translates_sack_blocks(void **state)
{
	struct pk_pkt p;
	uint8_t *o;

	(void)state;
	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	build(C, 1000, 0, PK_TH_SYN, 65535, 0, -1);
	pk_pkt_parse(buf, blen, &p);
	pk_tcp_init(&st, &p, buf, 777777);
	diff[C] = 777777; /* the creator's offset, kept by the state */
	io.rnd = 424242;
	assert_int_equal(tx(S, 5000, 1001 + 777777, PK_TH_SYN | PK_TH_ACK, 65535, 0), PK_REASON_NONE);
	/* the server SACKs client data it saw with the modulated numbers */
	{
		struct pk_tb s = pk_tb_defaults(4, "10.0.0.2", "10.0.0.1");

		s.sport = 22, s.dport = 40000, s.seq = 5001, s.ack = 1001 + 777777, s.flags = PK_TH_ACK;
		s.ts = true; /* room for options: replaced by a SACK block below */
		blen = pk_tb_build(&s, buf, sizeof(buf));
	}
	o = buf + 20 + 20;
	o[0] = 1, o[1] = 1, o[2] = 5, o[3] = 10;
	pk_put32(o + 4, 1501 + 777777);
	pk_put32(o + 8, 2001 + 777777);
	pk_put16(buf + 36, 0);
	pk_put16(buf + 36, pk_cksum_fold(pk_cksum_add(pk_cksum_pseudo(4, buf + 12, buf + 16, 6, (uint32_t)blen - 20),
						      buf + 20, blen - 20)));
	assert_int_equal(pk_pkt_parse(buf, blen, &p), PK_REASON_NONE);
	assert_int_equal(track(S, &p), PK_REASON_NONE);
	assert_int_equal(pk_get32(o + 4), 1501);
	assert_int_equal(pk_get32(o + 8), 2001);
	assert_true(pk_tb_cksums_ok(buf, blen));
}

PK_TEST_MAIN(
	cmocka_unit_test(test_handshake_reaches_established),
	cmocka_unit_test(test_syn_ack_moves_to_opening_timeout),
	cmocka_unit_test(test_retransmitted_syn_passes),
	cmocka_unit_test(test_retransmitted_data_passes),
	cmocka_unit_test(test_data_beyond_the_window_is_state_mismatch),
	cmocka_unit_test(test_ack_of_unsent_data_is_state_mismatch),
	cmocka_unit_test(test_window_scale_widens_window_when_both_sides_offer_it),
	cmocka_unit_test(test_window_scale_ignored_when_one_side_lacks_it),
	cmocka_unit_test(test_rst_in_window_goes_to_time_wait),
	cmocka_unit_test(test_rst_out_of_window_is_state_mismatch),
	cmocka_unit_test(test_rst_without_scrub_passes_at_any_sequence),
	cmocka_unit_test(test_rst_with_bad_ack_is_state_mismatch),
	cmocka_unit_test(test_fin_progression_through_fin_wait_to_closed),
	cmocka_unit_test(test_new_syn_on_closed_state_reopens),
	cmocka_unit_test(test_mismatch_during_handshake_resets_the_sender),
	cmocka_unit_test(test_sloppy_passes_out_of_window_data),
	cmocka_unit_test(test_sloppy_one_sided_ack_establishes),
	cmocka_unit_test(test_full_tracking_keeps_one_sided_connection_opening),
	cmocka_unit_test(test_modulate_rewrites_seq_and_ack_with_valid_checksum),
	cmocka_unit_test(test_modulate_translates_sack_blocks),
)
