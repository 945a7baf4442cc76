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
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"

#define SEC 1000000000ull
#define TOPO                                                  \
	"interface lan0 address 192.168.1.1/24\n"             \
	"interface opt1 address 10.0.10.1/24\n"               \
	"interface wan0 address 203.0.113.2/24\n"             \
	"route default via wan0 gateway 203.0.113.1\n"

static struct pk_engine *eng;
static uint16_t LAN, NAS, WAN;
static uint8_t buf[2048];
static size_t blen;
static struct pk_verdict v;
static uint8_t sent[4][1600];
static size_t sent_len[4];
static uint16_t sent_iface[4];
static unsigned nsent;

static void on_emit(void *ctx, uint16_t iface, uint8_t dir, const uint8_t *ip, size_t len)
{
	(void)ctx;
	(void)dir;
	if (nsent < 4) {
		memcpy(sent[nsent], ip, len);
		sent_len[nsent] = len;
		sent_iface[nsent] = iface;
	}
	nsent++;
}

static void start(const char *rules)
{
	struct pk_engine_config cfg = {.emit = on_emit, .seed = 42};
	struct pk_rs *rs = pk_test_rules(rules);

	eng = pk_engine_new(rs, &cfg);
	assert_non_null(eng);
	LAN = pk_rs_iface_find(rs, "lan0");
	NAS = pk_rs_iface_find(rs, "opt1");
	WAN = pk_rs_iface_find(rs, "wan0");
}

static int teardown(void **state)
{
	(void)state;
	pk_engine_free(eng);
	eng = NULL;
	return 0;
}

/* Send a packet built from s at time t seconds. */
static uint8_t run(const struct pk_tb *s, double t, uint16_t iface, uint8_t dir)
{
	blen = pk_tb_build(s, buf, sizeof(buf));
	nsent = 0;
	pk_engine_packet(eng, (uint64_t)(t * SEC), iface, dir, buf, &blen, sizeof(buf), &v);
	return v.kind;
}

static uint16_t payload; /* data bytes of the next tcp() segment */

static uint8_t tcp(double t, uint16_t iface, uint8_t dir, const char *src, uint16_t sp, const char *dst, uint16_t dp,
		   uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct pk_tb s = pk_tb_defaults(4, src, dst);

	s.sport = sp, s.dport = dp, s.flags = flags, s.seq = seq, s.ack = ack, s.payload = payload;
	payload = 0;
	return run(&s, t, iface, dir);
}

static uint8_t udp(double t, uint16_t iface, uint8_t dir, const char *src, uint16_t sp, const char *dst, uint16_t dp)
{
	struct pk_tb s = pk_tb_defaults(4, src, dst);

	s.proto = 17, s.sport = sp, s.dport = dp, s.payload = 20;
	return run(&s, t, iface, dir);
}

#define CL "192.168.1.50"
#define NASIP "10.0.10.5"

/* A handshake in on lan0 from the client to the server, replies out on lan0. */
static void handshake(double t)
{
	assert_int_equal(tcp(t, LAN, PK_RT_DIR_IN, CL, 40000, NASIP, 22, PK_TH_SYN, 100, 0), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_CREATED);
	assert_int_equal(tcp(t, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_SYN | PK_TH_ACK, 900, 101), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
	assert_int_equal(tcp(t, LAN, PK_RT_DIR_IN, CL, 40000, NASIP, 22, PK_TH_ACK, 101, 901), PK_V_PASS);
	assert_int_equal(v.src_after, 4); /* TCPS_ESTABLISHED */
	assert_int_equal(v.dst_after, 4);
}

static void test_no_matching_rule_passes_without_state(void **state)
{
	(void)state;
	start(TOPO "block in on wan0 all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(v.rule, PK_RT_NO_RULE);
	assert_int_equal(v.state_event, PK_SE_NONE);
	assert_int_equal(pk_engine_counters(eng)->states_current, 0);
}

static void test_last_matching_rule_wins_unless_quick(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto udp all\nblock in quick on lan0 proto udp to port 9\n"
		   "pass in on lan0 proto udp to port 9\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(v.rule, 1);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 9), PK_V_BLOCK);
	assert_int_equal(v.rule, 2);
	assert_int_equal(v.reason, PK_REASON_MATCH);
	assert_int_equal(udp(0, WAN, PK_RT_DIR_IN, "198.51.100.7", 1000, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(v.rule, 0);
	assert_int_equal(pk_engine_counters(eng)->reason[PK_REASON_MATCH], 2);
}

static void test_replies_ride_on_the_state_and_skip_the_rules(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto tcp from lan0:network to any\n");
	handshake(0);
	assert_int_equal(v.rule, PK_RT_NO_RULE);
	assert_int_equal(pk_engine_counters(eng)->inserts, 1);
	assert_int_equal(pk_engine_rule_counters(eng, 1)->states_created, 1);
	assert_int_equal(pk_engine_rule_counters(eng, 1)->packets, 3);
}

static void test_server_initiated_connection_is_blocked(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto tcp from lan0:network to any\n");
	handshake(0);
	assert_int_equal(tcp(1, LAN, PK_RT_DIR_OUT, NASIP, 5000, CL, 22, PK_TH_SYN, 7, 0), PK_V_BLOCK);
	assert_int_equal(v.rule, 0);
}

static void test_if_bound_state_ignores_other_interfaces(void **state)
{
	(void)state;
	start(TOPO "set state-policy if-bound\nblock all\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, NAS, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_BLOCK);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
}

static void test_floating_state_matches_any_interface(void **state)
{
	(void)state;
	start(TOPO "set state-policy floating\nblock all\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, NAS, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
}

static void test_udp_state_timeouts_follow_first_single_multiple(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	/* udp.first is 60 s: a reply at 59 s still matches; one side multiple -> udp.single (30 s) */
	assert_int_equal(udp(59, LAN, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
	assert_int_equal(udp(88, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	/* both sides multiple -> udp.multiple (60 s) */
	assert_int_equal(udp(147, LAN, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
	assert_int_equal(udp(207.5, LAN, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_BLOCK);
	assert_int_equal(v.state_event, PK_SE_NONE);
}

static void test_udp_single_timeout_expires_one_way_flow(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(59, LAN, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_PASS);
	assert_int_equal(udp(89.5, LAN, PK_RT_DIR_OUT, NASIP, 53, CL, 1000), PK_V_BLOCK);
}

static void test_fin_wait_expires_after_finwait_timeout(void **state)
{
	(void)state;
	start(TOPO "set optimization aggressive\nblock all\npass in on lan0 proto tcp all\n");
	handshake(0);
	assert_int_equal(tcp(1, LAN, PK_RT_DIR_IN, CL, 40000, NASIP, 22, PK_TH_FIN | PK_TH_ACK, 101, 901), PK_V_PASS);
	assert_int_equal(tcp(1, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_FIN | PK_TH_ACK, 901, 102), PK_V_PASS);
	assert_int_equal(v.src_after, 9); /* client FIN_WAIT_2 */
	assert_int_equal(v.dst_after, 7); /* server CLOSING: tcp.finwait (aggressive: 30 s) */
	assert_int_equal(tcp(30.9, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK, 902, 102), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
	assert_int_equal(tcp(61, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK, 902, 102), PK_V_BLOCK);
}

static void test_established_state_survives_idle_gap_shorter_than_timeout(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto tcp all\n");
	handshake(0);
	/* six idle hours: tcp.established is 86400 s */
	assert_int_equal(tcp(6 * 3600, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK, 901, 101), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
}

static void test_out_of_window_packet_is_state_mismatch(void **state)
{
	(void)state;
	start(TOPO "block all\npass in on lan0 proto tcp all\n");
	handshake(0);
	payload = 100;
	assert_int_equal(tcp(1, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK | PK_TH_PUSH, 901 + 500000, 101),
			 PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_STATE_MISMATCH);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
	payload = 100;
	assert_int_equal(tcp(1, LAN, PK_RT_DIR_OUT, NASIP, 22, CL, 40000, PK_TH_ACK | PK_TH_PUSH, 901, 101), PK_V_PASS);
}

static void test_block_return_tcp_answers_rst(void **state)
{
	struct pk_pkt p;

	(void)state;
	start(TOPO "block return in on lan0 proto tcp all\n");
	assert_int_equal(tcp(0, LAN, PK_RT_DIR_IN, CL, 40000, NASIP, 23, PK_TH_SYN, 5000, 0), PK_V_REJECT);
	assert_int_equal(v.generated, 1);
	assert_int_equal(nsent, 1);
	assert_int_equal(sent_iface[0], LAN);
	assert_true(pk_tb_cksums_ok(sent[0], sent_len[0]));
	assert_int_equal(pk_pkt_parse(sent[0], sent_len[0], &p), PK_REASON_NONE);
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
	start(TOPO "block return in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 69), PK_V_REJECT);
	assert_int_equal(nsent, 1);
	assert_true(pk_tb_cksums_ok(sent[0], sent_len[0]));
	assert_int_equal(pk_pkt_parse(sent[0], sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.icmp_type, 3);
	assert_int_equal(p.icmp_code, 3);
	assert_int_equal(sent_len[0], 20 + 8 + 20 + 8);
	assert_int_equal(pk_pkt_parse_quoted(sent[0] + p.inner_off, sent_len[0] - p.inner_off, &in), PK_REASON_NONE);
	assert_int_equal(in.dport, 69);
	/* from the firewall's own address on lan0 */
	assert_int_equal(p.src[0], 192);
	assert_int_equal(p.src[3], 1);
}

static void test_block_return_other_protocol_drops_silently(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	start(TOPO "block return in on lan0 all\n");
	s.proto = 47, s.payload = 12; /* GRE */
	assert_int_equal(run(&s, 0, LAN, PK_RT_DIR_IN), PK_V_BLOCK);
	assert_int_equal(nsent, 0);
}

static void test_block_drop_sends_nothing(void **state)
{
	(void)state;
	start(TOPO "block drop in on lan0 all\n");
	assert_int_equal(tcp(0, LAN, PK_RT_DIR_IN, CL, 40000, NASIP, 23, PK_TH_SYN, 5000, 0), PK_V_BLOCK);
	assert_int_equal(nsent, 0);
}

static void test_return_icmp_answers_tcp_with_icmp(void **state)
{
	struct pk_pkt p;

	(void)state;
	start(TOPO "block return-icmp in on lan0 all\n");
	assert_int_equal(tcp(0, LAN, PK_RT_DIR_IN, CL, 40000, NASIP, 23, PK_TH_SYN, 5000, 0), PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(sent[0], sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.icmp_type, 3);
	assert_true(pk_tb_cksums_ok(sent[0], sent_len[0]));
}

static void test_block_return_ipv6_udp_answers_icmp6(void **state)
{
	struct pk_tb s = pk_tb_defaults(6, "2001:db8:1::50", "2001:db8:2::5");
	struct pk_pkt p;

	(void)state;
	start(TOPO "block return in on lan0 all\n");
	s.proto = 17, s.sport = 1000, s.dport = 69;
	assert_int_equal(run(&s, 0, LAN, PK_RT_DIR_IN), PK_V_REJECT);
	assert_int_equal(pk_pkt_parse(sent[0], sent_len[0], &p), PK_REASON_NONE);
	assert_int_equal(p.proto, 58);
	assert_int_equal(p.icmp_type, 1);
	assert_int_equal(p.icmp_code, 4);
	assert_true(pk_tb_cksums_ok(sent[0], sent_len[0]));
}

static void test_states_limit_refuses_new_states(void **state)
{
	(void)state;
	start(TOPO "set limit states 2\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 3, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_STATE_LIMIT);
	assert_int_equal(pk_engine_counters(eng)->reason[PK_REASON_STATE_LIMIT], 1);
}

static void test_rule_max_states_refuses_new_states(void **state)
{
	(void)state;
	start(TOPO "pass in on lan0 proto udp all keep state (max 1)\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_STATE_LIMIT);
}

static void test_max_src_states_counts_per_source(void **state)
{
	(void)state;
	start(TOPO "pass in on lan0 proto udp all keep state (max-src-states 2)\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 3, NASIP, 53), PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_SRC_LIMIT);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, "192.168.1.51", 3, NASIP, 53), PK_V_PASS);
}

static void test_ip_options_blocked_unless_allow_opts(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	start(TOPO "pass in on lan0 proto udp to port 53\npass in on lan0 proto udp to port 54 allow-opts\n");
	s.proto = 17, s.sport = 1, s.dport = 53, s.ipopt_len = 8;
	assert_int_equal(run(&s, 0, LAN, PK_RT_DIR_IN), PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_IP_OPTION);
	s.dport = 54;
	assert_int_equal(run(&s, 0, LAN, PK_RT_DIR_IN), PK_V_PASS);
}

static void test_truncated_packet_is_blocked_as_short(void **state)
{
	(void)state;
	start(TOPO "pass all\n");
	tcp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 2, PK_TH_SYN, 1, 0);
	blen = 30;
	pk_engine_packet(eng, 0, LAN, PK_RT_DIR_IN, buf, &blen, sizeof(buf), &v);
	assert_int_equal(v.kind, PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_SHORT);
	assert_int_equal(pk_engine_counters(eng)->reason[PK_REASON_SHORT], 1);
}

static void test_syn_with_rst_is_normalize(void **state)
{
	(void)state;
	start(TOPO "pass all\n");
	assert_int_equal(tcp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 2, PK_TH_SYN | PK_TH_RST, 1, 0), PK_V_BLOCK);
	assert_int_equal(v.reason, PK_REASON_NORMALIZE);
}

static void test_icmp_error_quoting_a_state_is_related(void **state)
{
	struct pk_tb q = pk_tb_defaults(4, CL, NASIP), s = pk_tb_defaults(4, "10.0.10.77", CL);
	uint8_t quoted[128];

	(void)state;
	start(TOPO "block all\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1000, NASIP, 53), PK_V_PASS);
	q.proto = 17, q.sport = 1000, q.dport = 53, q.payload = 20;
	s.proto = 1, s.icmp_type = 3, s.icmp_code = 3, s.quote = quoted;
	s.quote_len = pk_tb_build(&q, quoted, sizeof(quoted));
	assert_int_equal(run(&s, 1, LAN, PK_RT_DIR_OUT), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_RELATED);
	s.quote = NULL, s.icmp_type = 8, s.icmp_id = 3; /* an echo request is no error: the rules block it */
	assert_int_equal(run(&s, 1, LAN, PK_RT_DIR_OUT), PK_V_BLOCK);
}

static void test_icmp_echo_reply_rides_on_request_state(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	start(TOPO "block all\npass in on lan0 proto icmp all\n");
	s.proto = 1, s.icmp_type = 8, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(run(&s, 0, LAN, PK_RT_DIR_IN), PK_V_PASS);
	s = pk_tb_defaults(4, NASIP, CL);
	s.proto = 1, s.icmp_type = 0, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(run(&s, 0.1, LAN, PK_RT_DIR_OUT), PK_V_PASS);
	assert_int_equal(v.state_event, PK_SE_MATCHED);
	s.icmp_type = 8; /* a request the other way is not the same conversation */
	assert_int_equal(run(&s, 0.2, LAN, PK_RT_DIR_OUT), PK_V_BLOCK);
}

static void test_expire_removes_idle_states_within_budget(void **state)
{
	(void)state;
	start(TOPO "set limit states 64\npass in on lan0 proto udp all\n");
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 53), PK_V_PASS);
	assert_int_equal(udp(0, LAN, PK_RT_DIR_IN, CL, 2, NASIP, 53), PK_V_PASS);
	assert_int_equal(pk_engine_expire(eng, 30 * SEC, 64), 0);
	assert_int_equal(pk_engine_expire(eng, 61 * SEC, 1) + pk_engine_expire(eng, 61 * SEC, 63), 2);
	assert_int_equal(pk_engine_counters(eng)->states_current, 0);
	assert_int_equal(pk_engine_counters(eng)->removals, 2);
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
	start(TOPO "pass in on lan0 proto udp all\n");
	udp(0, LAN, PK_RT_DIR_IN, CL, 1, NASIP, 53);
	udp(0, LAN, PK_RT_DIR_IN, "192.168.1.60", 1, NASIP, 53);
	pk_tb_addr(4, CL, f.src);
	assert_int_equal(pk_engine_kill_states(eng, &f), 1);
	pk_engine_states(eng, count_state, &n);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_no_matching_rule_passes_without_state, teardown),
		cmocka_unit_test_teardown(test_last_matching_rule_wins_unless_quick, teardown),
		cmocka_unit_test_teardown(test_replies_ride_on_the_state_and_skip_the_rules, teardown),
		cmocka_unit_test_teardown(test_server_initiated_connection_is_blocked, teardown),
		cmocka_unit_test_teardown(test_if_bound_state_ignores_other_interfaces, teardown),
		cmocka_unit_test_teardown(test_floating_state_matches_any_interface, teardown),
		cmocka_unit_test_teardown(test_udp_state_timeouts_follow_first_single_multiple, teardown),
		cmocka_unit_test_teardown(test_udp_single_timeout_expires_one_way_flow, teardown),
		cmocka_unit_test_teardown(test_fin_wait_expires_after_finwait_timeout, teardown),
		cmocka_unit_test_teardown(test_established_state_survives_idle_gap_shorter_than_timeout, teardown),
		cmocka_unit_test_teardown(test_out_of_window_packet_is_state_mismatch, teardown),
		cmocka_unit_test_teardown(test_block_return_tcp_answers_rst, teardown),
		cmocka_unit_test_teardown(test_block_return_udp_answers_port_unreachable, teardown),
		cmocka_unit_test_teardown(test_block_return_other_protocol_drops_silently, teardown),
		cmocka_unit_test_teardown(test_block_drop_sends_nothing, teardown),
		cmocka_unit_test_teardown(test_return_icmp_answers_tcp_with_icmp, teardown),
		cmocka_unit_test_teardown(test_block_return_ipv6_udp_answers_icmp6, teardown),
		cmocka_unit_test_teardown(test_states_limit_refuses_new_states, teardown),
		cmocka_unit_test_teardown(test_rule_max_states_refuses_new_states, teardown),
		cmocka_unit_test_teardown(test_max_src_states_counts_per_source, teardown),
		cmocka_unit_test_teardown(test_ip_options_blocked_unless_allow_opts, teardown),
		cmocka_unit_test_teardown(test_truncated_packet_is_blocked_as_short, teardown),
		cmocka_unit_test_teardown(test_syn_with_rst_is_normalize, teardown),
		cmocka_unit_test_teardown(test_icmp_error_quoting_a_state_is_related, teardown),
		cmocka_unit_test_teardown(test_icmp_echo_reply_rides_on_request_state, teardown),
		cmocka_unit_test_teardown(test_expire_removes_idle_states_within_budget, teardown),
		cmocka_unit_test_teardown(test_kill_states_by_source_prefix, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
