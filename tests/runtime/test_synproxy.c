/*
 * tests/runtime/test_synproxy.c: synproxy state with SYN cookies
 * (runtime/synproxy.c, runtime/syncookie.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/packet.h"
#include "tests/support/engtest.h"
#include "tests/support/testmain.h"

#define CL "192.168.1.50"
#define SRV "10.0.10.5"
#define RULES PK_ET_TOPO "block all\npass in on lan0 proto tcp to port 22 synproxy state\n"

/* The client's ssh connection each way, and from another source port. */
static const struct pk_tb_ends ssh = {.src = CL, .sport = 40000, .dst = SRV, .dport = 22};
static const struct pk_tb_ends ssh_back = {.src = SRV, .sport = 22, .dst = CL, .dport = 40000};

static struct pk_tb_ends ssh_from(uint16_t sport)
{
	return (struct pk_tb_ends){.src = CL, .sport = sport, .dst = SRV, .dport = 22};
}

/* The client's ACK (sequence 101) of the SYN|ACK that carried the cookie. */
static struct pk_tb_seg cookie_ack(uint32_t cookie)
{
	return (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 101, .ack = cookie + 1};
}

static struct pk_pkt sent_pkt(unsigned k)
{
	struct pk_pkt p;

	assert_true(pk_tb_cksums_ok(et.sent[k], et.sent_len[k]));
	assert_int_equal(pk_pkt_parse(et.sent[k], et.sent_len[k], &p), PK_REASON_NONE);
	return p;
}

/* The client's SYN from sport with mss/wscale (wscale -1: none): held, answered
 * with a cookie, no state. Returns the cookie. */
static uint32_t client_syn(double t, uint16_t sport, uint16_t mss, int wscale)
{
	struct pk_tb syn = pk_tb_defaults(4, CL, SRV);

	syn.sport = sport, syn.dport = 22, syn.flags = PK_TH_SYN, syn.seq = 100, syn.mss = mss, syn.wscale = wscale;
	assert_int_equal(pk_et_run(&syn, t, et.lan, PK_DIR_IN), PK_V_HOLD);
	assert_int_equal(et.v.state_event, PK_SE_NONE);
	assert_int_equal(et.nsent, 1);
	assert_int_equal(sent_pkt(0).th_flags, PK_TH_SYN | PK_TH_ACK);
	return sent_pkt(0).seq;
}

/* Client SYN and ACK: returns the ISN the firewall gave the server. */
static uint32_t client_side(uint32_t *isn_c, uint16_t mss, int wscale, struct pk_pkt *server_syn)
{
	*isn_c = client_syn(0, 40000, mss, wscale);
	assert_int_equal(pk_et_tcp(0.01, et.lan, PK_DIR_IN, ssh, cookie_ack(*isn_c)), PK_V_HOLD);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 1);
	assert_int_equal(et.nsent, 1);
	*server_syn = sent_pkt(0);
	assert_int_equal(server_syn->th_flags, PK_TH_SYN);
	assert_int_equal(server_syn->dport, 22);
	assert_int_equal(et.sent_iface[0], et.nas);
	return server_syn->seq;
}

/* The whole handshake; the server answers with wscale server_ws (-1: none). */
static void proxy_handshake(uint32_t *isn_c, uint32_t *isn_s, int server_ws)
{
	struct pk_tb sa = pk_tb_defaults(4, SRV, CL);
	struct pk_pkt p;

	*isn_s = client_side(isn_c, 1460, 7, &p);
	sa.sport = 22, sa.dport = 40000, sa.flags = PK_TH_SYN | PK_TH_ACK, sa.seq = 900, sa.ack = *isn_s + 1;
	sa.wscale = server_ws;
	assert_int_equal(pk_et_run(&sa, 0.02, et.lan, PK_DIR_OUT), PK_V_HOLD);
	assert_int_equal(et.nsent, 2);
	p = sent_pkt(0);
	assert_int_equal(p.th_flags, PK_TH_ACK); /* to the server */
	assert_int_equal(p.ack, 901);
	p = sent_pkt(1);
	assert_int_equal(p.th_flags, PK_TH_ACK); /* to the client */
	assert_int_equal(p.seq, *isn_c + 1);
}

static void test_syn_flood_creates_no_states(void **state)
{
	uint16_t k;

	(void)state;
	pk_et_start(RULES);
	for (k = 0; k < 2000; k++)
		client_syn(k * 0.001, (uint16_t)(1024 + k), 1460, -1);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
	assert_int_equal(pk_engine_counters(et.eng)->inserts, 0);
	assert_int_equal(pk_engine_counters(et.eng)->syncookies_sent, 2000);
}

static void test_real_client_connects_during_a_flood(void **state)
{
	uint32_t ic, is;
	uint16_t k;

	(void)state;
	pk_et_start(RULES);
	for (k = 0; k < 500; k++)
		client_syn(0, (uint16_t)(2000 + k), 1460, -1);
	proxy_handshake(&ic, &is, 7);
	assert_int_equal(et.v.src_after, 4);
	assert_int_equal(et.v.dst_after, 4);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 1);
	assert_int_equal(pk_engine_counters(et.eng)->syncookies_valid, 1);
}

/* When the client's ACK is lost, a client with a request waiting probes the
 * zero window the SYN|ACK announced with a bare segment carrying its ISN:
 * that proves the cookie, and the server side opens; a probe with data, or
 * another sequence number, does not. */
static void test_zero_window_probe_stands_for_a_lost_ack(void **state)
{
	uint32_t c;

	(void)state;
	pk_et_start(RULES);
	c = client_syn(0, 40000, 1460, -1);
	assert_int_equal(pk_et_tcp(0.2, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 100, .ack = c + 1, .payload = 1}),
			 PK_V_BLOCK);
	assert_int_equal(pk_et_tcp(0.2, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 99, .ack = c + 1}),
			 PK_V_BLOCK);
	assert_int_equal(pk_et_tcp(0.3, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 100, .ack = c + 1}),
			 PK_V_HOLD);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	assert_int_equal(et.nsent, 1);
	assert_int_equal(sent_pkt(0).th_flags, PK_TH_SYN); /* to the server */
	assert_int_equal(et.sent_iface[0], et.nas);
	/* the next probe, before the server answered, sends its SYN again */
	assert_int_equal(pk_et_tcp(0.6, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 100, .ack = c + 1}),
			 PK_V_HOLD);
	assert_int_equal(et.nsent, 1);
	assert_int_equal(sent_pkt(0).th_flags, PK_TH_SYN);
	assert_int_equal(pk_engine_counters(et.eng)->syncookies_failed, 2);
}

static void test_cookie_carries_mss_and_window_scale_to_the_server(void **state)
{
	struct pk_pkt syn_ack, srv;
	uint32_t ic;

	(void)state;
	pk_et_start(RULES);
	client_syn(0, 40000, 1400, 5);
	syn_ack = sent_pkt(0);
	assert_int_equal(syn_ack.opt.mss, 1380); /* the table's value below the client's */
	assert_int_equal(syn_ack.opt.wscale, 0); /* the client is told the firewall does not scale */
	assert_int_equal(syn_ack.ack, 101);
	assert_int_equal(pk_get16(et.sent[0] + 34), 0); /* window 0 until spliced, as pf */
	pk_et_teardown(NULL);
	pk_et_start(RULES);
	client_side(&ic, 1400, 5, &srv);
	assert_int_equal(srv.opt.mss, 1380);
	assert_int_equal(srv.opt.wscale, 5);
}

static void test_cookie_without_options_opens_server_without_scale(void **state)
{
	struct pk_pkt srv;
	uint32_t ic;

	(void)state;
	pk_et_start(RULES);
	client_side(&ic, 0, -1, &srv);
	assert_int_equal(srv.opt.mss, 512); /* pf's default when the SYN has none */
	assert_int_equal(srv.opt.wscale, PK_WSCALE_NONE);
}

static void test_forged_cookie_ack_is_refused(void **state)
{
	uint32_t c;

	(void)state;
	pk_et_start(RULES);
	c = client_syn(0, 40000, 1460, -1);
	assert_int_equal(pk_et_tcp(0.01, et.lan, PK_DIR_IN, ssh, cookie_ack(c + 1)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SYNPROXY);
	/* a cookie is bound to its connection: another source port cannot use it */
	assert_int_equal(pk_et_tcp(0.02, et.lan, PK_DIR_IN, ssh_from(40001), cookie_ack(c)), PK_V_BLOCK);
	/* and to the client's ISN */
	assert_int_equal(pk_et_tcp(0.03, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 5001, .ack = c + 1}),
			 PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
	assert_int_equal(pk_engine_counters(et.eng)->syncookies_failed, 3);
}

static void test_stale_cookie_is_refused_fresh_one_accepted(void **state)
{
	uint32_t c;

	(void)state;
	pk_et_start(RULES);
	c = client_syn(0, 40000, 1460, -1);
	client_syn(1, 40001, 1460, -1);
	assert_int_equal(pk_et_tcp(40, et.lan, PK_DIR_IN, ssh, cookie_ack(c)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SYNPROXY);
	c = client_syn(41, 40002, 1460, -1);
	assert_int_equal(pk_et_tcp(58, et.lan, PK_DIR_IN, ssh_from(40002), cookie_ack(c)), PK_V_HOLD);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
}

static void test_spliced_connection_translates_sequence_numbers(void **state)
{
	uint32_t ic, is;

	(void)state;
	pk_et_start(RULES);
	proxy_handshake(&ic, &is, -1);
	assert_int_equal(pk_et_tcp(0.03, et.lan, PK_DIR_IN, ssh,
				   (struct pk_tb_seg){.flags = PK_TH_ACK | PK_TH_PUSH, .seq = 101, .ack = ic + 1,
						      .payload = 10}),
			 PK_V_PASS);
	assert_true(et.v.translated);
	assert_int_equal(pk_get32(et.buf + 24), is + 1);
	assert_int_equal(pk_get32(et.buf + 28), 901);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
	assert_int_equal(pk_et_tcp(0.04, et.lan, PK_DIR_OUT, ssh_back,
				   (struct pk_tb_seg){.flags = PK_TH_ACK | PK_TH_PUSH, .seq = 901, .ack = is + 11,
						      .payload = 5}),
			 PK_V_PASS);
	assert_int_equal(pk_get32(et.buf + 24), ic + 1);
	assert_int_equal(pk_get32(et.buf + 28), 111);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

static void test_server_windows_are_rescaled_for_the_client(void **state)
{
	struct pk_tb d = pk_tb_defaults(4, SRV, CL);
	uint32_t ic, is;

	(void)state;
	pk_et_start(RULES);
	proxy_handshake(&ic, &is, 2);
	d.sport = 22, d.dport = 40000, d.flags = PK_TH_ACK, d.seq = 901, d.ack = is + 1, d.win = 1000;
	assert_int_equal(pk_et_run(&d, 0.03, et.lan, PK_DIR_OUT), PK_V_PASS);
	assert_int_equal(pk_get16(et.buf + 34), 4000); /* the client was told scale 0 */
	assert_int_equal(pk_get32(et.buf + 24), ic + 1);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

static void test_retransmitted_syn_gets_the_same_syn_ack(void **state)
{
	uint32_t first;

	(void)state;
	pk_et_start(RULES);
	first = client_syn(0, 40000, 0, -1);
	assert_int_equal(client_syn(1, 40000, 0, -1), first);
}

static void test_bare_ack_to_other_port_meets_the_rules(void **state)
{
	const struct pk_tb_ends web = {.src = CL, .sport = 40000, .dst = SRV, .dport = 80};
	const struct pk_tb_seg bare_ack = {.flags = PK_TH_ACK, .seq = 101, .ack = 5};

	(void)state;
	pk_et_start(RULES);
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, web, bare_ack), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_MATCH);
	assert_int_equal(et.nsent, 0);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_syn_flood_creates_no_states, pk_et_teardown),
	cmocka_unit_test_teardown(test_real_client_connects_during_a_flood, pk_et_teardown),
	cmocka_unit_test_teardown(test_zero_window_probe_stands_for_a_lost_ack, pk_et_teardown),
	cmocka_unit_test_teardown(test_cookie_carries_mss_and_window_scale_to_the_server, pk_et_teardown),
	cmocka_unit_test_teardown(test_cookie_without_options_opens_server_without_scale, pk_et_teardown),
	cmocka_unit_test_teardown(test_forged_cookie_ack_is_refused, pk_et_teardown),
	cmocka_unit_test_teardown(test_stale_cookie_is_refused_fresh_one_accepted, pk_et_teardown),
	cmocka_unit_test_teardown(test_spliced_connection_translates_sequence_numbers, pk_et_teardown),
	cmocka_unit_test_teardown(test_server_windows_are_rescaled_for_the_client, pk_et_teardown),
	cmocka_unit_test_teardown(test_retransmitted_syn_gets_the_same_syn_ack, pk_et_teardown),
	cmocka_unit_test_teardown(test_bare_ack_to_other_port_meets_the_rules, pk_et_teardown),
)
