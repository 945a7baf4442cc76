/*
 * tests/runtime/test_synproxy.c: synproxy state (runtime/synproxy.c).
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

#define CL "192.168.1.50"
#define SRV "10.0.10.5"
#define RULES PK_ET_TOPO "block all\npass in on lan0 proto tcp to port 22 synproxy state\n"

static struct pk_pkt sent_pkt(unsigned k)
{
	struct pk_pkt p;

	assert_true(pk_tb_cksums_ok(et.sent[k], et.sent_len[k]));
	assert_int_equal(pk_pkt_parse(et.sent[k], et.sent_len[k], &p), PK_REASON_NONE);
	return p;
}

/* Returns the ISN the firewall gave the client and the one it gave the server. */
static void proxy_handshake(uint32_t *isn_c, uint32_t *isn_s)
{
	struct pk_tb syn = pk_tb_defaults(4, CL, SRV);
	struct pk_pkt p;

	syn.sport = 40000, syn.dport = 22, syn.flags = PK_TH_SYN, syn.seq = 100, syn.mss = 1460, syn.wscale = 7;
	assert_int_equal(pk_et_run(&syn, 0, et.lan, PK_RT_DIR_IN), PK_V_HOLD);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	assert_int_equal(et.nsent, 1);
	p = sent_pkt(0);
	assert_int_equal(p.th_flags, PK_TH_SYN | PK_TH_ACK);
	assert_int_equal(p.ack, 101);
	assert_int_equal(p.opt.mss, 1460);
	assert_int_equal(p.dport, 40000);
	assert_int_equal(et.sent_iface[0], et.lan);
	*isn_c = p.seq;
	/* the client completes: only now does the firewall open the server side */
	assert_int_equal(pk_et_tcp(0.01, et.lan, PK_RT_DIR_IN, CL, 40000, SRV, 22, PK_TH_ACK, 101, *isn_c + 1), PK_V_HOLD);
	assert_int_equal(et.nsent, 1);
	p = sent_pkt(0);
	assert_int_equal(p.th_flags, PK_TH_SYN);
	assert_int_equal(p.dport, 22);
	assert_int_equal(p.opt.mss, 1460);
	assert_int_equal(et.sent_iface[0], et.nas);
	*isn_s = p.seq;
	assert_int_equal(pk_et_tcp(0.02, et.lan, PK_RT_DIR_OUT, SRV, 22, CL, 40000, PK_TH_SYN | PK_TH_ACK, 900, *isn_s + 1),
			 PK_V_HOLD);
	assert_int_equal(et.nsent, 2);
	p = sent_pkt(0);
	assert_int_equal(p.th_flags, PK_TH_ACK); /* to the server */
	assert_int_equal(p.ack, 901);
	p = sent_pkt(1);
	assert_int_equal(p.th_flags, PK_TH_ACK); /* to the client */
	assert_int_equal(p.seq, *isn_c + 1);
}

static void test_syn_is_answered_and_server_opened_after_client_ack(void **state)
{
	uint32_t ic, is;

	(void)state;
	pk_et_start(RULES);
	proxy_handshake(&ic, &is);
	assert_int_equal(et.v.src_after, 4);
	assert_int_equal(et.v.dst_after, 4);
}

static void test_spliced_connection_translates_sequence_numbers(void **state)
{
	uint32_t ic, is;

	(void)state;
	pk_et_start(RULES);
	proxy_handshake(&ic, &is);
	et.payload = 10;
	assert_int_equal(pk_et_tcp(0.03, et.lan, PK_RT_DIR_IN, CL, 40000, SRV, 22, PK_TH_ACK | PK_TH_PUSH, 101, ic + 1),
			 PK_V_PASS);
	assert_true(et.v.translated);
	assert_int_equal(pk_get32(et.buf + 24), is + 1);
	assert_int_equal(pk_get32(et.buf + 28), 901);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
	et.payload = 5;
	assert_int_equal(pk_et_tcp(0.04, et.lan, PK_RT_DIR_OUT, SRV, 22, CL, 40000, PK_TH_ACK | PK_TH_PUSH, 901, is + 11),
			 PK_V_PASS);
	assert_int_equal(pk_get32(et.buf + 24), ic + 1);
	assert_int_equal(pk_get32(et.buf + 28), 111);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

static void test_client_ack_with_wrong_number_is_dropped(void **state)
{
	struct pk_tb syn = pk_tb_defaults(4, CL, SRV);

	(void)state;
	pk_et_start(RULES);
	syn.sport = 40000, syn.dport = 22, syn.flags = PK_TH_SYN, syn.seq = 100;
	assert_int_equal(pk_et_run(&syn, 0, et.lan, PK_RT_DIR_IN), PK_V_HOLD);
	assert_int_equal(pk_get16(et.sent[0] + 34), 0); /* window 0 until spliced, as pf */
	assert_int_equal(pk_et_tcp(0.01, et.lan, PK_RT_DIR_IN, CL, 40000, SRV, 22, PK_TH_ACK, 101, 12345), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SYNPROXY);
	assert_int_equal(et.nsent, 0);
}

static void test_retransmitted_syn_gets_the_same_syn_ack(void **state)
{
	struct pk_tb syn = pk_tb_defaults(4, CL, SRV);
	uint32_t first;

	(void)state;
	pk_et_start(RULES);
	syn.sport = 40000, syn.dport = 22, syn.flags = PK_TH_SYN, syn.seq = 100;
	assert_int_equal(pk_et_run(&syn, 0, et.lan, PK_RT_DIR_IN), PK_V_HOLD);
	first = pk_get32(et.sent[0] + 24);
	assert_int_equal(pk_et_run(&syn, 1, et.lan, PK_RT_DIR_IN), PK_V_HOLD);
	assert_int_equal(et.nsent, 1);
	assert_int_equal(pk_get32(et.sent[0] + 24), first);
}

static void test_unanswered_server_never_sees_traffic_before_handshake(void **state)
{
	(void)state;
	pk_et_start(RULES);
	/* a bare ACK without a SYN first does not match the flags S/SA rule */
	assert_int_equal(pk_et_tcp(0, et.lan, PK_RT_DIR_IN, CL, 40000, SRV, 22, PK_TH_ACK, 101, 5), PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_syn_is_answered_and_server_opened_after_client_ack, pk_et_teardown),
		cmocka_unit_test_teardown(test_spliced_connection_translates_sequence_numbers, pk_et_teardown),
		cmocka_unit_test_teardown(test_client_ack_with_wrong_number_is_dropped, pk_et_teardown),
		cmocka_unit_test_teardown(test_retransmitted_syn_gets_the_same_syn_ack, pk_et_teardown),
		cmocka_unit_test_teardown(test_unanswered_server_never_sees_traffic_before_handshake, pk_et_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
