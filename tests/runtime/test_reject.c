/*
 * tests/runtime/test_reject.c: block versus reject (runtime/reject.c and
 * runtime/pktgen.c): what is sent back per protocol and kind, with valid
 * checksums, from the right address, out the right interface.
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
#define NASIP "10.0.10.5"

/* The client's telnet SYN and TFTP request to the server. */
static const struct pk_tb_ends telnet = {.src = CL, .sport = 40000, .dst = NASIP, .dport = 23};
static const struct pk_tb_seg telnet_syn = {.flags = PK_TH_SYN, .seq = 5000};
static const struct pk_tb_ends tftp = {.src = CL, .sport = 1000, .dst = NASIP, .dport = 69};

static void test_block_return_tcp_answers_rst(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 proto tcp all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, telnet, telnet_syn), PK_V_REJECT);
	assert_int_equal(et.v.generated, 1);
	assert_int_equal(et.nsent, 1);
	assert_int_equal(et.sent_iface[0], et.lan);
	assert_true(pk_tb_cksums_ok(et.sent[0], et.sent_len[0]));
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.th_flags, PK_TH_RST | PK_TH_ACK);
	assert_int_equal(p.ack, 5001);
	assert_int_equal(p.seq, 0);
	assert_int_equal(p.sport, 23);
	assert_int_equal(p.dport, 40000);
}

static void test_block_return_udp_answers_port_unreachable(void **state)
{
	struct pk_pkt p, in;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, tftp), PK_V_REJECT);
	assert_int_equal(et.nsent, 1);
	assert_true(pk_tb_cksums_ok(et.sent[0], et.sent_len[0]));
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 3);
	assert_int_equal(et.sent_len[0], 20 + 8 + 20 + 8);
	assert_int_equal(pk_pkt_parse_quoted(et.sent[0] + p.inner_off, et.sent_len[0] - p.inner_off, &in), PK_REASON_NONE);
	assert_int_equal(in.dport, 69);
	/* from the firewall's own address on lan0 */
	assert_int_equal(p.src[0], 192);
	assert_int_equal(p.src[3], 1);
}

static void test_block_return_other_protocol_drops_silently(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 all\n");
	s.proto = 47, s.payload = 12; /* GRE */
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
}

static void test_block_drop_sends_nothing(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block drop in on lan0 all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, telnet, telnet_syn), PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
}

static void test_return_icmp_answers_tcp_with_icmp(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return-icmp in on lan0 all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, telnet, telnet_syn), PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.icmp_type, 3);
	assert_true(pk_tb_cksums_ok(et.sent[0], et.sent_len[0]));
}

static void test_block_return_ipv6_udp_answers_icmp6(void **state)
{
	struct pk_tb s = pk_tb_defaults(6, "2001:db8:1::50", "2001:db8:2::5");
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 all\n");
	s.proto = 17, s.sport = 1000, s.dport = 69;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.proto, 58);
	assert_int_equal(p.icmp_type, 1);
	assert_int_equal(p.icmp_code, 4);
	assert_true(pk_tb_cksums_ok(et.sent[0], et.sent_len[0]));
}

static void test_rst_answers_ack_with_its_ack_number(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return-rst in on lan0 proto tcp all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, telnet,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 5000, .ack = 777}),
			 PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.th_flags, PK_TH_RST);
	assert_int_equal(p.seq, 777);
	assert_true(pk_tb_cksums_ok(et.sent[0], et.sent_len[0]));
}

static void test_rst_is_never_answered(void **state)
{
	const struct pk_tb_seg rst = {.flags = PK_TH_RST, .seq = 5000};

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 proto tcp all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, telnet, rst), PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
}

static void test_tcp_with_bad_checksum_gets_no_rst(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 proto tcp all\n");
	s.sport = 40000, s.dport = 23, s.flags = PK_TH_SYN;
	et.blen = pk_tb_build(&s, et.buf, sizeof(et.buf));
	et.buf[36] ^= 0xff;
	pk_engine_packet(et.eng, 0, et.lan, PK_DIR_IN, et.buf, &et.blen, sizeof(et.buf), &et.v);
	assert_int_equal(et.v.kind, PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_PROTO_CKSUM);
}

static void test_return_icmp_code_is_used(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return-icmp(host-unr) in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, tftp), PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 1);
}

static void test_block_policy_return_makes_plain_block_reject(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set block-policy return\nblock in on lan0 all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, tftp), PK_V_REJECT);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_block_return_tcp_answers_rst, pk_et_teardown),
	cmocka_unit_test_teardown(test_block_return_udp_answers_port_unreachable, pk_et_teardown),
	cmocka_unit_test_teardown(test_block_return_other_protocol_drops_silently, pk_et_teardown),
	cmocka_unit_test_teardown(test_block_drop_sends_nothing, pk_et_teardown),
	cmocka_unit_test_teardown(test_return_icmp_answers_tcp_with_icmp, pk_et_teardown),
	cmocka_unit_test_teardown(test_block_return_ipv6_udp_answers_icmp6, pk_et_teardown),
	cmocka_unit_test_teardown(test_rst_answers_ack_with_its_ack_number, pk_et_teardown),
	cmocka_unit_test_teardown(test_rst_is_never_answered, pk_et_teardown),
	cmocka_unit_test_teardown(test_tcp_with_bad_checksum_gets_no_rst, pk_et_teardown),
	cmocka_unit_test_teardown(test_return_icmp_code_is_used, pk_et_teardown),
	cmocka_unit_test_teardown(test_block_policy_return_makes_plain_block_reject, pk_et_teardown),
)
