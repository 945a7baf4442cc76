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

/* A segment's header fields. */
struct seg {
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t win; /* 0: 65535, but a RST always advertises 0 */
	uint16_t len; /* bytes of data */
	int wscale;   /* the option's value; 0: no option */
};

/* Build g as sent by `from` into buf. */
static void build(int from, struct seg g)
{
	struct pk_tb s = pk_tb_defaults(4, from ? "10.0.0.1" : "10.0.0.2", from ? "10.0.0.2" : "10.0.0.1");

	s.sport = from ? 40000 : 22;
	s.dport = from ? 22 : 40000;
	s.seq = g.seq, s.ack = g.ack, s.flags = g.flags, s.payload = g.len;
	s.win = g.flags & PK_TH_RST ? 0 : g.win ? g.win : 65535;
	s.wscale = g.wscale ? g.wscale : -1;
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

/* Build g as sent by `from` and track it. */
static enum pk_drop_reason tx(int from, struct seg g)
{
	struct pk_pkt p;

	build(from, g);
	assert_int_equal(pk_pkt_parse(buf, blen, &p), PK_REASON_NONE);
	return track(from, &p);
}

/* A fresh state, created by the client's SYN (sequence 1000) with window
 * scale option wscale (0: none) and modulated by the ISN offset mod. */
static void client_syn(int wscale, uint32_t mod)
{
	struct pk_pkt p;

	memset(&st, 0, sizeof(st));
	memset(diff, 0, sizeof(diff));
	memset(&io, 0, sizeof(io));
	build(C, (struct seg){.seq = 1000, .flags = PK_TH_SYN, .wscale = wscale});
	assert_int_equal(pk_pkt_parse(buf, blen, &p), PK_REASON_NONE);
	assert_int_equal(pk_tcp_init(&st, &p, buf, mod), PK_TMO_TCP_FIRST);
	diff[C] = mod; /* the creator's offset, kept by the state */
}

/* The server's SYN|ACK (sequence 5000) with window scale option wscale (0: none). */
static struct seg syn_ack(int wscale)
{
	return (struct seg){.seq = 5000, .ack = 1001, .flags = PK_TH_SYN | PK_TH_ACK, .wscale = wscale};
}

/* A whole handshake with these window scale options (0: none). */
static void open_with(int cws, int sws, bool sloppy)
{
	client_syn(cws, 0);
	io.sloppy = sloppy;
	assert_int_equal(tx(S, syn_ack(sws)), PK_REASON_NONE);
	assert_int_equal(tx(C, (struct seg){.seq = 1001, .ack = 5001, .flags = PK_TH_ACK}), PK_REASON_NONE);
}

static void test_handshake_reaches_established(void **state)
{
	(void)state;
	open_with(0, 0, false);
	assert_int_equal(st.src.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(io.timeout, PK_TMO_TCP_ESTABLISHED);
	assert_true(io.established);
}

static void test_syn_ack_moves_to_opening_timeout(void **state)
{
	(void)state;
	client_syn(0, 0);
	assert_int_equal(st.src.state, PK_TCPS_SYN_SENT);
	assert_int_equal(st.dst.state, PK_TCPS_CLOSED);
	assert_int_equal(tx(S, syn_ack(0)), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(st.dst.state, PK_TCPS_SYN_SENT);
	assert_int_equal(io.timeout, PK_TMO_TCP_OPENING);
}

static void test_retransmitted_syn_passes(void **state)
{
	(void)state;
	client_syn(0, 0);
	assert_int_equal(tx(C, (struct seg){.seq = 1000, .flags = PK_TH_SYN}), PK_REASON_NONE);
}

static void test_retransmitted_data_passes(void **state)
{
	const struct seg data = {.seq = 1001, .ack = 5001, .flags = PK_TH_ACK | PK_TH_PUSH, .len = 500};

	(void)state;
	open_with(0, 0, false);
	assert_int_equal(tx(C, data), PK_REASON_NONE);
	assert_int_equal(tx(C, data), PK_REASON_NONE);
	assert_int_equal(st.src.seqlo, 1501);
}

static void test_data_beyond_the_window_is_state_mismatch(void **state)
{
	struct seg data = {.seq = 1001 + 70000, .ack = 5001, .flags = PK_TH_ACK, .len = 100};

	(void)state;
	open_with(0, 0, false);
	assert_int_equal(tx(C, data), PK_REASON_STATE_MISMATCH);
	data.seq = 1001 - 70000;
	assert_int_equal(tx(C, data), PK_REASON_STATE_MISMATCH);
}

static void test_ack_of_unsent_data_is_state_mismatch(void **state)
{
	(void)state;
	open_with(0, 0, false);
	assert_int_equal(tx(C, (struct seg){.seq = 1001, .ack = 5001 + 200000, .flags = PK_TH_ACK, .len = 10}),
			 PK_REASON_STATE_MISMATCH);
}

/* The server's ACK advertising a window of 1024, and client data 100000
 * bytes ahead: inside the window only if 1024 is scaled. */
static const struct seg small_window = {.seq = 5001, .ack = 1001, .flags = PK_TH_ACK, .win = 1024};
static const struct seg data_ahead = {.seq = 1001 + 100000, .ack = 5001, .flags = PK_TH_ACK, .win = 1024, .len = 1000};

static void test_window_scale_widens_window_when_both_sides_offer_it(void **state)
{
	(void)state;
	open_with(7, 7, false);
	assert_int_equal(st.src.wscale, PK_WSCALE_FLAG | 7);
	assert_int_equal(st.dst.wscale, PK_WSCALE_FLAG | 7);
	/* 1024 scaled by 7 is 128 KiB of window: data 100000 bytes ahead is inside it */
	assert_int_equal(tx(S, small_window), PK_REASON_NONE);
	assert_int_equal(tx(C, data_ahead), PK_REASON_NONE);
}

static void test_window_scale_ignored_when_one_side_lacks_it(void **state)
{
	(void)state;
	open_with(7, 0, false);
	assert_int_equal(st.src.wscale, 0);
	assert_int_equal(tx(S, small_window), PK_REASON_NONE);
	/* unscaled, the server allows 64 KiB: 100000 bytes ahead is outside */
	assert_int_equal(tx(C, data_ahead), PK_REASON_STATE_MISMATCH);
}

static void test_rst_in_window_goes_to_time_wait(void **state)
{
	(void)state;
	open_with(0, 0, false);
	assert_int_equal(tx(S, (struct seg){.seq = 5001, .flags = PK_TH_RST}), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_TIME_WAIT);
	assert_int_equal(st.dst.state, PK_TCPS_TIME_WAIT);
	assert_int_equal(io.timeout, PK_TMO_TCP_CLOSED);
}

/* Scrubbed packets (pf's PFDESC_IP_REAS) need an exact or +-1 RST sequence. */
static void test_rst_out_of_window_is_state_mismatch(void **state)
{
	(void)state;
	open_with(0, 0, false);
	io.reassembled = true;
	assert_int_equal(tx(S, (struct seg){.seq = 5001 + 100, .flags = PK_TH_RST}), PK_REASON_STATE_MISMATCH);
	assert_int_equal(tx(S, (struct seg){.seq = 5001 + 1000000, .flags = PK_TH_RST}), PK_REASON_STATE_MISMATCH);
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
}

/* Without scrub pf eases the sequence check of segments without data. */
static void test_rst_without_scrub_passes_at_any_sequence(void **state)
{
	(void)state;
	open_with(0, 0, false);
	assert_int_equal(tx(S, (struct seg){.seq = 5001 + 1000000, .flags = PK_TH_RST}), PK_REASON_NONE);
	assert_int_equal(st.dst.state, PK_TCPS_TIME_WAIT);
}

static void test_rst_with_bad_ack_is_state_mismatch(void **state)
{
	(void)state;
	open_with(0, 0, false);
	assert_int_equal(tx(S, (struct seg){.seq = 5001, .ack = 1001 + 500000, .flags = PK_TH_RST | PK_TH_ACK}),
			 PK_REASON_STATE_MISMATCH);
}

static void test_fin_progression_through_fin_wait_to_closed(void **state)
{
	/* each segment, then the state of one peer (C: the client) and the timeout */
	static const struct {
		int from;
		struct seg g;
		int peer;
		uint8_t peer_state;
		enum pk_timeout timeout;
	} steps[] = {
		{C, {.seq = 1001, .ack = 5001, .flags = PK_TH_FIN | PK_TH_ACK}, C, PK_TCPS_CLOSING, PK_TMO_TCP_CLOSING},
		{S, {.seq = 5001, .ack = 1002, .flags = PK_TH_ACK}, C, PK_TCPS_FIN_WAIT_2, PK_TMO_TCP_CLOSING},
		{S, {.seq = 5001, .ack = 1002, .flags = PK_TH_FIN | PK_TH_ACK}, S, PK_TCPS_CLOSING, PK_TMO_TCP_FINWAIT},
		{C, {.seq = 1002, .ack = 5002, .flags = PK_TH_ACK}, S, PK_TCPS_FIN_WAIT_2, PK_TMO_TCP_CLOSED},
	};
	size_t k;

	(void)state;
	open_with(0, 0, false);
	for (k = 0; k < PK_NELEMS(steps); k++) {
		assert_int_equal(tx(steps[k].from, steps[k].g), PK_REASON_NONE);
		assert_int_equal(steps[k].peer == C ? st.src.state : st.dst.state, steps[k].peer_state);
		assert_int_equal(io.timeout, steps[k].timeout);
	}
}

static void test_new_syn_on_closed_state_reopens(void **state)
{
	struct pk_pkt p;

	(void)state;
	open_with(0, 0, false);
	tx(C, (struct seg){.seq = 1001, .ack = 5001, .flags = PK_TH_RST});
	build(C, (struct seg){.seq = 90000, .flags = PK_TH_SYN});
	pk_pkt_parse(buf, blen, &p);
	assert_true(pk_tcp_reopens(&st.src, &st.dst, &p));
}

static void test_mismatch_during_handshake_resets_the_sender(void **state)
{
	(void)state;
	client_syn(0, 0);
	assert_int_equal(tx(S, syn_ack(0)), PK_REASON_NONE);
	/* both sides SYN_SENT (as after a simultaneous open): a wild ACK resets the sender */
	st.src.state = PK_TCPS_SYN_SENT;
	assert_int_equal(tx(S, (struct seg){.seq = 5001, .ack = 1001 + 900000, .flags = PK_TH_ACK, .len = 10}),
			 PK_REASON_STATE_MISMATCH);
	assert_true(io.send_rst);
	assert_int_equal(st.dst.seqlo, 0);
	assert_int_equal(st.dst.seqhi, 1);
}

static void test_sloppy_passes_out_of_window_data(void **state)
{
	(void)state;
	open_with(0, 0, true);
	assert_int_equal(tx(C, (struct seg){.seq = 1001 + 900000, .ack = 5001, .flags = PK_TH_ACK, .len = 100}),
			 PK_REASON_NONE);
	assert_int_equal(io.timeout, PK_TMO_TCP_ESTABLISHED);
}

static void test_sloppy_one_sided_ack_establishes(void **state)
{
	(void)state;
	client_syn(0, 0);
	io.sloppy = true;
	/* the SYN|ACK took another path: only the client's ACK is seen */
	assert_int_equal(tx(C, (struct seg){.seq = 1001, .ack = 5001, .flags = PK_TH_ACK}), PK_REASON_NONE);
	assert_int_equal(st.src.state, PK_TCPS_ESTABLISHED);
	assert_int_equal(st.dst.state, PK_TCPS_ESTABLISHED);
}

static void test_full_tracking_keeps_one_sided_connection_opening(void **state)
{
	(void)state;
	client_syn(0, 0);
	assert_int_equal(tx(C, (struct seg){.seq = 1001, .ack = 5001, .flags = PK_TH_ACK}), PK_REASON_NONE);
	assert_int_equal(st.dst.state, PK_TCPS_CLOSED);
	assert_int_equal(pk_tcp_timeout(&st.src, &st.dst), PK_TMO_TCP_OPENING);
}

static void test_modulate_rewrites_seq_and_ack_with_valid_checksum(void **state)
{
	(void)state;
	client_syn(0, 777777);
	assert_int_equal(pk_get32(buf + 24), 1000 + 777777);
	assert_true(pk_tb_cksums_ok(buf, blen));
	io.rnd = 424242;
	/* the server acknowledges the modulated ISN */
	assert_int_equal(tx(S, (struct seg){.seq = 5000, .ack = 1001 + 777777, .flags = PK_TH_SYN | PK_TH_ACK}),
			 PK_REASON_NONE);
	assert_true(io.rewrote);
	assert_int_equal(pk_get32(buf + 24), 5000 + 424242);
	assert_int_equal(pk_get32(buf + 28), 1001);
	assert_true(pk_tb_cksums_ok(buf, blen));
	assert_int_equal(tx(C, (struct seg){.seq = 1001, .ack = 5001 + 424242, .flags = PK_TH_ACK}), PK_REASON_NONE);
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
	client_syn(0, 777777);
	io.rnd = 424242;
	assert_int_equal(tx(S, (struct seg){.seq = 5000, .ack = 1001 + 777777, .flags = PK_TH_SYN | PK_TH_ACK}),
			 PK_REASON_NONE);
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
