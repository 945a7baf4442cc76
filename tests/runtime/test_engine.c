/*
 * tests/runtime/test_engine.c: the packet path end to end (runtime/engine.c,
 * stateful.c, reject.c): rules, states, timeouts in capture time, limits,
 * block versus reject, counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/engine.h"
#include "runtime/packet.h"
#include "tests/support/engtest.h"
#include "tests/support/pktbuild.h"

#define CL "192.168.1.50"
#define NASIP "10.0.10.5"

/* A handshake in on lan0 from the client to the server, replies out on lan0. */
static void handshake(double t)
{
	assert_int_equal(pk_et_tcp(t, et.lan, PK_RT_DIR_IN, CL, 40000, NASIP, 22, PK_TH_SYN, 100, 0), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	assert_int_equal(pk_et_tcp(t, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_SYN | PK_TH_ACK, 900, 101), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_tcp(t, et.lan, PK_RT_DIR_IN, CL, 40000, NASIP, 22, PK_TH_ACK, 101, 901), PK_V_PASS);
	assert_int_equal(et.v.src_after, 4); /* TCPS_ESTABLISHED */
	assert_int_equal(et.v.dst_after, 4);
}

static void test_no_matching_rule_passes_without_state(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block in on wan0 all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(et.v.rule, PK_RT_NO_RULE);
	assert_int_equal(et.v.state_event, PK_SE_NONE);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

static void test_last_matching_rule_wins_unless_quick(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto udp all\nblock in quick on lan0 proto udp to port 9\n"
		   "pass in on lan0 proto udp to port 9\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(et.v.rule, 1);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 9), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 2);
	assert_int_equal(et.v.reason, PK_REASON_MATCH);
	assert_int_equal(pk_et_udp(0, et.wan, PK_RT_DIR_IN, "198.51.100.7", 1000, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
	assert_int_equal(pk_engine_counters(et.eng)->reason[PK_REASON_MATCH], 2);
}

static void test_replies_ride_on_the_state_and_skip_the_rules(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp from lan0:network to any\n");
	handshake(0);
	assert_int_equal(et.v.rule, PK_RT_NO_RULE);
	assert_int_equal(pk_engine_counters(et.eng)->inserts, 1);
	assert_int_equal(pk_engine_rule_counters(et.eng, 1)->states_created, 1);
	assert_int_equal(pk_engine_rule_counters(et.eng, 1)->packets, 3);
}

static void test_server_initiated_connection_is_blocked(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp from lan0:network to any\n");
	handshake(0);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_RT_DIR_OUT, NASIP, 5000, CL, 22, PK_TH_SYN, 7, 0), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
}

static void test_if_bound_state_ignores_other_interfaces(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set state-policy if-bound\nblock all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.nas, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_BLOCK);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
}

static void test_floating_state_matches_any_interface(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set state-policy floating\nblock all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.nas, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
}

static void test_udp_state_timeouts_follow_first_single_multiple(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	/* udp.first is 60 s: a reply at 59 s still matches; one side multiple -> udp.single (30 s) */
	assert_int_equal(pk_et_udp(59, et.lan, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_udp(88, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	/* both sides multiple -> udp.multiple (60 s) */
	assert_int_equal(pk_et_udp(147, et.lan, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_udp(207.5, et.lan, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_BLOCK);
	assert_int_equal(et.v.state_event, PK_SE_NONE);
}

static void test_udp_single_timeout_expires_one_way_flow(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(59, et.lan, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(pk_et_udp(89.5, et.lan, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_BLOCK);
}

static void test_fin_wait_expires_after_finwait_timeout(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set optimization aggressive\nblock all\npass in on lan0 proto tcp all\n");
	handshake(0);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_RT_DIR_IN, CL, 40000, NASIP, 22, PK_TH_FIN | PK_TH_ACK, 101, 901), PK_V_PASS);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_FIN | PK_TH_ACK, 901, 102), PK_V_PASS);
	assert_int_equal(et.v.src_after, 9); /* client FIN_WAIT_2 */
	assert_int_equal(et.v.dst_after, 7); /* server CLOSING: tcp.finwait (aggressive: 30 s) */
	assert_int_equal(pk_et_tcp(30.9, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK, 902, 102), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_tcp(61, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK, 902, 102), PK_V_BLOCK);
}

static void test_established_state_survives_idle_gap_shorter_than_timeout(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all\n");
	handshake(0);
	/* six idle hours: tcp.established is 86400 s */
	assert_int_equal(pk_et_tcp(6 * 3600, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK, 901, 101), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
}

static void test_out_of_window_packet_is_state_mismatch(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all\n");
	handshake(0);
	et.payload = 100;
	assert_int_equal(pk_et_tcp(1, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK | PK_TH_PUSH, 901 + 500000, 101),
			 PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_MISMATCH);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	et.payload = 100;
	assert_int_equal(pk_et_tcp(1, et.lan, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK | PK_TH_PUSH, 901, 101), PK_V_PASS);
}

static void test_block_return_tcp_answers_rst(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return in on lan0 proto tcp all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_RT_DIR_IN, CL, 40000, NASIP, 23, PK_TH_SYN, 5000, 0), PK_V_REJECT);
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
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 69), PK_V_REJECT);
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
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_RT_DIR_IN), PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
}

static void test_block_drop_sends_nothing(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block drop in on lan0 all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_RT_DIR_IN, CL, 40000, NASIP, 23, PK_TH_SYN, 5000, 0), PK_V_BLOCK);
	assert_int_equal(et.nsent, 0);
}

static void test_return_icmp_answers_tcp_with_icmp(void **state)
{
	struct pk_pkt p;

	(void)state;
	pk_et_start(PK_ET_TOPO "block return-icmp in on lan0 all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_RT_DIR_IN, CL, 40000, NASIP, 23, PK_TH_SYN, 5000, 0), PK_V_REJECT);
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
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_RT_DIR_IN), PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(et.sent[0], et.sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.proto, 58);
	assert_int_equal(p.icmp_type, 1);
	assert_int_equal(p.icmp_code, 4);
	assert_true(pk_tb_cksums_ok(et.sent[0], et.sent_len[0]));
}

static void test_states_limit_refuses_new_states(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set limit states 2\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 3, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_LIMIT);
	assert_int_equal(pk_engine_counters(et.eng)->reason[PK_REASON_STATE_LIMIT], 1);
}

static void test_rule_max_states_refuses_new_states(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all keep state (max 1)\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_LIMIT);
}

static void test_max_src_states_counts_per_source(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all keep state (max-src-states 2)\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 3, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, "192.168.1.51", 3, NASIP, 53), PK_V_PASS);
}

static void test_ip_options_blocked_unless_allow_opts(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp to port 53\npass in on lan0 proto udp to port 54 allow-opts\n");
	s.proto = 17, s.sport = 1, s.dport = 53, s.ipopt_len = 8;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_RT_DIR_IN), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_IP_OPTION);
	s.dport = 54;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_RT_DIR_IN), PK_V_PASS);
}

static void test_truncated_packet_is_blocked_as_short(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all\n");
	pk_et_tcp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 2, PK_TH_SYN, 1, 0);
	et.blen = 30;
	pk_engine_packet(et.eng, 0, et.lan, PK_RT_DIR_IN, et.buf, &et.blen, sizeof(et.buf), &et.v);
	assert_int_equal(et.v.kind, PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SHORT);
	assert_int_equal(pk_engine_counters(et.eng)->reason[PK_REASON_SHORT], 1);
}

static void test_syn_with_rst_is_normalize(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 2, PK_TH_SYN | PK_TH_RST, 1, 0), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_NORMALIZE);
}

static void test_icmp_error_quoting_a_state_is_related(void **state)
{
	struct pk_tb q = pk_tb_defaults(4, CL, NASIP), s = pk_tb_defaults(4, "10.0.10.77", CL);
	uint8_t quoted[128];

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	q.proto = 17, q.sport = 1000, q.dport = 53, q.payload = 20;
	s.proto = 1, s.icmp_type = 3, s.icmp_code = 3, s.quote = quoted;
	s.quote_len = pk_tb_build(&q, quoted, sizeof(quoted));
	assert_int_equal(pk_et_run(&s, 1, et.lan, PK_RT_DIR_OUT), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_RELATED);
	s.quote = NULL, s.icmp_type = 8, s.icmp_id = 3; /* an echo request is no error: the rules block it */
	assert_int_equal(pk_et_run(&s, 1, et.lan, PK_RT_DIR_OUT), PK_V_BLOCK);
}

static void test_icmp_echo_reply_rides_on_request_state(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto icmp all\n");
	s.proto = 1, s.icmp_type = 8, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_RT_DIR_IN), PK_V_PASS);
	s = pk_tb_defaults(4, NASIP, CL);
	s.proto = 1, s.icmp_type = 0, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0.1, et.lan, PK_RT_DIR_OUT), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	s.icmp_type = 8; /* a request the other way is not the same conversation */
	assert_int_equal(pk_et_run(&s, 0.2, et.lan, PK_RT_DIR_OUT), PK_V_BLOCK);
}

static void test_expire_removes_idle_states_within_budget(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set limit states 64\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_engine_expire(et.eng, 30 * PK_ET_SEC, 64), 0);
	assert_int_equal(pk_engine_expire(et.eng, 61 * PK_ET_SEC, 1) + pk_engine_expire(et.eng, 61 * PK_ET_SEC, 63), 2);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
	assert_int_equal(pk_engine_counters(et.eng)->removals, 2);
}

static void count_state(void *ctx, const struct pk_state_info *s)
{
	(void)s;
	(*(int *)ctx)++;
}

static void test_kill_states_by_source_prefix(void **state)
{
	struct pk_state_filter f = {.src_af = 4, .src_len = 32};
	int n = 0;

	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all\n");
	pk_et_udp(0, et.lan, PK_RT_DIR_IN, CL, 1, NASIP, 53);
	pk_et_udp(0, et.lan, PK_RT_DIR_IN, "192.168.1.60", 1, NASIP, 53);
	pk_tb_addr(4, CL, f.src);
	assert_int_equal(pk_engine_kill_states(et.eng, &f), 1);
	pk_engine_states(et.eng, count_state, &n);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_matching_rule_passes_without_state, pk_et_teardown),
		cmocka_unit_test_teardown(test_last_matching_rule_wins_unless_quick, pk_et_teardown),
		cmocka_unit_test_teardown(test_replies_ride_on_the_state_and_skip_the_rules, pk_et_teardown),
		cmocka_unit_test_teardown(test_server_initiated_connection_is_blocked, pk_et_teardown),
		cmocka_unit_test_teardown(test_if_bound_state_ignores_other_interfaces, pk_et_teardown),
		cmocka_unit_test_teardown(test_floating_state_matches_any_interface, pk_et_teardown),
		cmocka_unit_test_teardown(test_udp_state_timeouts_follow_first_single_multiple, pk_et_teardown),
		cmocka_unit_test_teardown(test_udp_single_timeout_expires_one_way_flow, pk_et_teardown),
		cmocka_unit_test_teardown(test_fin_wait_expires_after_finwait_timeout, pk_et_teardown),
		cmocka_unit_test_teardown(test_established_state_survives_idle_gap_shorter_than_timeout, pk_et_teardown),
		cmocka_unit_test_teardown(test_out_of_window_packet_is_state_mismatch, pk_et_teardown),
		cmocka_unit_test_teardown(test_block_return_tcp_answers_rst, pk_et_teardown),
		cmocka_unit_test_teardown(test_block_return_udp_answers_port_unreachable, pk_et_teardown),
		cmocka_unit_test_teardown(test_block_return_other_protocol_drops_silently, pk_et_teardown),
		cmocka_unit_test_teardown(test_block_drop_sends_nothing, pk_et_teardown),
		cmocka_unit_test_teardown(test_return_icmp_answers_tcp_with_icmp, pk_et_teardown),
		cmocka_unit_test_teardown(test_block_return_ipv6_udp_answers_icmp6, pk_et_teardown),
		cmocka_unit_test_teardown(test_states_limit_refuses_new_states, pk_et_teardown),
		cmocka_unit_test_teardown(test_rule_max_states_refuses_new_states, pk_et_teardown),
		cmocka_unit_test_teardown(test_max_src_states_counts_per_source, pk_et_teardown),
		cmocka_unit_test_teardown(test_ip_options_blocked_unless_allow_opts, pk_et_teardown),
		cmocka_unit_test_teardown(test_truncated_packet_is_blocked_as_short, pk_et_teardown),
		cmocka_unit_test_teardown(test_syn_with_rst_is_normalize, pk_et_teardown),
		cmocka_unit_test_teardown(test_icmp_error_quoting_a_state_is_related, pk_et_teardown),
		cmocka_unit_test_teardown(test_icmp_echo_reply_rides_on_request_state, pk_et_teardown),
		cmocka_unit_test_teardown(test_expire_removes_idle_states_within_budget, pk_et_teardown),
		cmocka_unit_test_teardown(test_kill_states_by_source_prefix, pk_et_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
