/*
 * tests/runtime/test_engine.c: the packet path end to end (runtime/engine.c,
 * stateful.c, reject.c): rules, states, timeouts in capture time, limits,
 * block versus reject, counters, the socket owner's criteria.
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
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define CL "192.168.1.50"
#define NASIP "10.0.10.5"
/* Rules that pass UDP in on lan0, with state. */
#define UDP_RULES PK_ET_TOPO "block all\npass in on lan0 proto udp all\n"

/* The client's ssh connection to the server, each way. */
static const struct pk_tb_ends ssh = {.src = CL, .sport = 40000, .dst = NASIP, .dport = 22};
static const struct pk_tb_ends ssh_back = {.src = NASIP, .sport = 22, .dst = CL, .dport = 40000};

/* A segment of it at t on lan0, in from the client. */
static uint8_t client(double t, struct pk_tb_seg g)
{
	return pk_et_tcp(t, et.lan, PK_DIR_IN, ssh, g);
}

/* A segment of it at t on lan0, out from the server. */
static uint8_t server(double t, struct pk_tb_seg g)
{
	return pk_et_tcp(t, et.lan, PK_DIR_OUT, ssh_back, g);
}

/* Its handshake, which leaves both sides ESTABLISHED. */
static void handshake(double t)
{
	assert_int_equal(pk_et_handshake(t, et.lan, ssh), PK_V_PASS);
	assert_int_equal(et.v.src_after, 4); /* TCPS_ESTABLISHED */
	assert_int_equal(et.v.dst_after, 4);
}

/* A DNS query from host port sport to the server. */
static struct pk_tb_ends dns(const char *host, uint16_t sport)
{
	return (struct pk_tb_ends){.src = host, .sport = sport, .dst = NASIP, .dport = 53};
}

/* The server's answer to the client's port sport. */
static struct pk_tb_ends dns_back(uint16_t sport)
{
	return (struct pk_tb_ends){.src = NASIP, .sport = 53, .dst = CL, .dport = sport};
}

static void test_no_matching_rule_passes_without_state(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block in on wan0 all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	assert_int_equal(et.v.rule, PK_RT_NO_RULE);
	assert_int_equal(et.v.state_event, PK_SE_NONE);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

static void test_last_matching_rule_wins_unless_quick(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto udp all\nblock in quick on lan0 proto udp to port 9\n"
		   "pass in on lan0 proto udp to port 9\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	assert_int_equal(et.v.rule, 1);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN,
				   (struct pk_tb_ends){.src = CL, .sport = 1000, .dst = NASIP, .dport = 9}),
			 PK_V_BLOCK);
	assert_int_equal(et.v.rule, 2);
	assert_int_equal(et.v.reason, PK_REASON_MATCH);
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_IN, dns("198.51.100.7", 1000)), PK_V_BLOCK);
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
	const struct pk_tb_ends reverse = {.src = NASIP, .sport = 5000, .dst = CL, .dport = 22};

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp from lan0:network to any\n");
	handshake(0);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_OUT, reverse, (struct pk_tb_seg){.flags = PK_TH_SYN, .seq = 7}),
			 PK_V_BLOCK);
	assert_int_equal(et.v.rule, 0);
}

static void test_if_bound_state_ignores_other_interfaces(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set state-policy if-bound\nblock all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.nas, PK_DIR_OUT, dns_back(1000)), PK_V_BLOCK);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_OUT, dns_back(1000)), PK_V_PASS);
}

static void test_floating_state_matches_any_interface(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set state-policy floating\nblock all\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.nas, PK_DIR_OUT, dns_back(1000)), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
}

/* A step of the client's DNS flow from port 1000 on lan0: at t, the query (in) or the answer (out), and the
 * verdict and state event it gets. */
struct dns_step {
	double t;
	uint8_t dir;
	uint8_t verdict;
	enum pk_state_event event;
};

static void run_dns_steps(const struct dns_step *steps, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		const struct pk_tb_ends e = steps[k].dir == PK_DIR_IN ? dns(CL, 1000) : dns_back(1000);

		assert_int_equal(pk_et_udp(steps[k].t, et.lan, steps[k].dir, e), steps[k].verdict);
		assert_int_equal(et.v.state_event, steps[k].event);
	}
}

static void test_udp_state_timeouts_follow_first_single_multiple(void **state)
{
	static const struct dns_step steps[] = {
		{0, PK_DIR_IN, PK_V_PASS, PK_SE_CREATED},
		/* udp.first is 60 s: a reply at 59 s still matches; one side multiple -> udp.single (30 s) */
		{59, PK_DIR_OUT, PK_V_PASS, PK_SE_MATCHED},
		{88, PK_DIR_IN, PK_V_PASS, PK_SE_MATCHED},
		/* both sides multiple -> udp.multiple (60 s) */
		{147, PK_DIR_OUT, PK_V_PASS, PK_SE_MATCHED},
		{207.5, PK_DIR_OUT, PK_V_BLOCK, PK_SE_NONE},
	};

	(void)state;
	pk_et_start(UDP_RULES);
	run_dns_steps(steps, PK_NELEMS(steps));
}

static void test_udp_single_timeout_expires_one_way_flow(void **state)
{
	static const struct dns_step steps[] = {
		{0, PK_DIR_IN, PK_V_PASS, PK_SE_CREATED},
		{59, PK_DIR_OUT, PK_V_PASS, PK_SE_MATCHED},
		{89.5, PK_DIR_OUT, PK_V_BLOCK, PK_SE_NONE},
	};

	(void)state;
	pk_et_start(UDP_RULES);
	run_dns_steps(steps, PK_NELEMS(steps));
}

static void test_timeouts_hold_across_the_32_bit_millisecond_wrap(void **state)
{
	/* the first step is seven seconds before 2^32 ms since the first packet */
	static const struct dns_step steps[] = {
		{4294960.0, PK_DIR_IN, PK_V_PASS, PK_SE_CREATED},
		{4294960.0 + 30, PK_DIR_OUT, PK_V_PASS, PK_SE_MATCHED},
		{4294960.0 + 61, PK_DIR_OUT, PK_V_BLOCK, PK_SE_NONE},
	};

	(void)state;
	pk_et_start(UDP_RULES);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 999)), PK_V_PASS);
	run_dns_steps(steps, PK_NELEMS(steps));
}

static void test_fin_wait_expires_after_finwait_timeout(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set optimization aggressive\nblock all\npass in on lan0 proto tcp all\n");
	handshake(0);
	assert_int_equal(client(1, (struct pk_tb_seg){.flags = PK_TH_FIN | PK_TH_ACK, .seq = 101, .ack = 901}),
			 PK_V_PASS);
	assert_int_equal(server(1, (struct pk_tb_seg){.flags = PK_TH_FIN | PK_TH_ACK, .seq = 901, .ack = 102}),
			 PK_V_PASS);
	assert_int_equal(et.v.src_after, 9); /* client FIN_WAIT_2 */
	assert_int_equal(et.v.dst_after, 7); /* server CLOSING: tcp.finwait (aggressive: 30 s) */
	assert_int_equal(server(30.9, (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 902, .ack = 102}), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(server(61, (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 902, .ack = 102}), PK_V_BLOCK);
}

static void test_established_state_survives_idle_gap_shorter_than_timeout(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all\n");
	handshake(0);
	/* six idle hours: tcp.established is 86400 s */
	assert_int_equal(server(6 * 3600, (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 901, .ack = 101}), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
}

static void test_out_of_window_packet_is_state_mismatch(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all\n");
	handshake(0);
	assert_int_equal(server(1, (struct pk_tb_seg){.flags = PK_TH_ACK | PK_TH_PUSH, .seq = 901 + 500000, .ack = 101,
						      .payload = 100}),
			 PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_MISMATCH);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(server(1, (struct pk_tb_seg){.flags = PK_TH_ACK | PK_TH_PUSH, .seq = 901, .ack = 101,
						      .payload = 100}),
			 PK_V_PASS);
}

static void test_states_limit_refuses_new_states(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "set limit states 2\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 2)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 3)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_LIMIT);
	assert_int_equal(pk_engine_counters(et.eng)->reason[PK_REASON_STATE_LIMIT], 1);
}

static void test_rule_max_states_refuses_new_states(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all keep state (max 1)\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 2)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_STATE_LIMIT);
}

static void test_max_src_states_counts_per_source(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all keep state (max-src-states 2)\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 2)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 3)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns("192.168.1.51", 3)), PK_V_PASS);
}

static void test_max_src_nodes_limits_distinct_sources(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp all keep state (max-src-nodes 1)\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 2)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns("192.168.1.51", 1)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
	/* once the first source's states are gone, its node goes and another may come */
	assert_int_equal(pk_engine_expire(et.eng, 61 * PK_ET_SEC, 1u << 20), 2);
	assert_int_equal(pk_et_udp(61, et.lan, PK_DIR_IN, dns("192.168.1.51", 1)), PK_V_PASS);
}

static void test_ip_options_blocked_unless_allow_opts(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	pk_et_start(PK_ET_TOPO "pass in on lan0 proto udp to port 53\npass in on lan0 proto udp to port 54 allow-opts\n");
	s.proto = 17, s.sport = 1, s.dport = 53, s.ipopt_len = 8;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_IP_OPTION);
	s.dport = 54;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_PASS);
}

/* A segment's ends where no rule looks at the ports. */
static const struct pk_tb_ends probe = {.src = CL, .sport = 1, .dst = NASIP, .dport = 2};

static void test_truncated_packet_is_blocked_as_short(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all\n");
	pk_et_tcp(0, et.lan, PK_DIR_IN, probe, (struct pk_tb_seg){.flags = PK_TH_SYN, .seq = 1});
	et.blen = 30;
	pk_engine_packet(et.eng, 0, et.lan, PK_DIR_IN, et.buf, &et.blen, sizeof(et.buf), &et.v);
	assert_int_equal(et.v.kind, PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SHORT);
	assert_int_equal(pk_engine_counters(et.eng)->reason[PK_REASON_SHORT], 1);
}

static void test_syn_with_rst_is_normalize(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, probe,
				   (struct pk_tb_seg){.flags = PK_TH_SYN | PK_TH_RST, .seq = 1}),
			 PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_NORMALIZE);
}

static void test_icmp_error_quoting_a_state_is_related(void **state)
{
	struct pk_tb q = pk_tb_defaults(4, CL, NASIP), s = pk_tb_defaults(4, "10.0.10.77", CL);
	uint8_t quoted[128];

	(void)state;
	pk_et_start(UDP_RULES);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	q.proto = 17, q.sport = 1000, q.dport = 53, q.payload = 20;
	s.proto = 1, s.icmp_type = 3, s.icmp_code = 3, s.quote = quoted;
	s.quote_len = pk_tb_build(&q, quoted, sizeof(quoted));
	assert_int_equal(pk_et_run(&s, 1, et.lan, PK_DIR_OUT), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_RELATED);
	s.quote = NULL, s.icmp_type = 8, s.icmp_id = 3; /* an echo request is no error: the rules block it */
	assert_int_equal(pk_et_run(&s, 1, et.lan, PK_DIR_OUT), PK_V_BLOCK);
}

static void test_icmp_echo_reply_rides_on_request_state(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, NASIP);

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto icmp all\n");
	s.proto = 1, s.icmp_type = 8, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_PASS);
	s = pk_tb_defaults(4, NASIP, CL);
	s.proto = 1, s.icmp_type = 0, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0.1, et.lan, PK_DIR_OUT), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	s.icmp_type = 8; /* a request the other way is not the same conversation */
	assert_int_equal(pk_et_run(&s, 0.2, et.lan, PK_DIR_OUT), PK_V_BLOCK);
}

/* UDP out on wan0 from src, stateless, to a host on the Internet. */
static uint8_t udp_out(double t, const char *src)
{
	return pk_et_udp(t, et.wan, PK_DIR_OUT, (struct pk_tb_ends){.src = src, .sport = 1000, .dst = "198.51.100.7",
								     .dport = 53});
}

/* A forwarded packet's owner is unknown (pf_match_uid): `user NAME` never
 * matches it, `user unknown` and `user != NAME` do. The firewall's own
 * packet (out from one of its addresses) is taken to be another user's. */
static void test_user_decides_forwarded_packets_as_pf_and_local_ones_as_assumed(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all no state\nblock out proto udp user _pbuild\nblock out proto udp user unknown\n");
	assert_int_equal(udp_out(0, CL), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 2);
	assert_int_equal(udp_out(0, "203.0.113.2"), PK_V_PASS);
	assert_int_equal(et.v.rule, 0);
	pk_et_teardown(NULL);
	pk_et_start(PK_ET_TOPO "pass all no state\nblock out proto udp user != unknown\nblock out proto udp user != root\n"
		    "pass out proto udp group wheel\n");
	assert_int_equal(udp_out(0, CL), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 2);
	assert_int_equal(udp_out(0, "203.0.113.2"), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 2);
}

/* In, a packet is the firewall's own when it is addressed to one of the
 * firewall's addresses, as it arrived. */
static void test_user_on_inbound_packets_reads_the_destination(void **state)
{
	const struct pk_tb_ends to_fw = {.src = CL, .sport = 1000, .dst = "192.168.1.1", .dport = 53};

	(void)state;
	pk_et_start(PK_ET_TOPO "pass all no state\nblock in proto udp user != unknown\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, to_fw), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 1);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	assert_int_equal(et.v.rule, 0);
}

/* pf looks sockets up for TCP and UDP only and ignores user and group for
 * the other protocols: the rule matches them whoever the owner. */
static void test_user_is_ignored_for_protocols_without_sockets(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, "198.51.100.7");

	(void)state;
	pk_et_start(PK_ET_TOPO "pass all no state\nblock out user _pbuild\n");
	s.proto = 1, s.icmp_type = 8, s.icmp_id = 77, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0, et.wan, PK_DIR_OUT), PK_V_BLOCK);
	assert_int_equal(et.v.rule, 1);
	assert_int_equal(udp_out(0, CL), PK_V_PASS);
}

/* Decisions kept for stateless packets are told apart by whose packet it is. */
static void test_kept_decisions_of_owner_rules_stay_exact(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass all no state\nblock out proto udp user != unknown\n");
	for (int k = 0; k < 2; k++) {
		assert_int_equal(udp_out(k, "203.0.113.2"), PK_V_BLOCK);
		assert_int_equal(udp_out(k, CL), PK_V_PASS);
	}
	assert_int_equal(pk_engine_counters(et.eng)->decisions_recalled, 2);
}

static void test_neighbour_advertisement_rides_on_solicitation_state(void **state)
{
	struct pk_tb s = pk_tb_defaults(6, "2001:db8:1::50", "2001:db8:1::1");

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 inet6 proto icmp6 all\n");
	s.proto = 58, s.icmp_type = 135, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0, et.lan, PK_DIR_IN), PK_V_PASS);
	assert_int_equal(et.v.state_rule, 1);
	s = pk_tb_defaults(6, "2001:db8:1::1", "2001:db8:1::50");
	s.proto = 58, s.icmp_type = 136, s.payload = 16;
	assert_int_equal(pk_et_run(&s, 0.1, et.lan, PK_DIR_OUT), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(et.v.rule, PK_RT_NO_RULE);
	assert_int_equal(et.v.state_rule, 1);
}

/* A table of 64 slots with two UDP states made at 0 s (slots 0 and 1). */
static void start_with_two_udp_states(void)
{
	pk_et_start(PK_ET_TOPO "set limit states 64\npass in on lan0 proto udp all\n");
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1)), PK_V_PASS);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 2)), PK_V_PASS);
}

static void test_expire_removes_idle_states_within_budget(void **state)
{
	(void)state;
	start_with_two_udp_states();
	assert_int_equal(pk_engine_expire(et.eng, 30 * PK_ET_SEC, 64), 0);
	assert_int_equal(pk_engine_expire(et.eng, 61 * PK_ET_SEC, 1) + pk_engine_expire(et.eng, 61 * PK_ET_SEC, 63), 2);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
	assert_int_equal(pk_engine_counters(et.eng)->removals, 2);
}

/* Never-used slots are passed over, not read, but each still counts in the
 * budget: states are reached when a full table's sweep would reach them. */
static void test_expire_paces_over_never_used_slots(void **state)
{
	(void)state;
	start_with_two_udp_states();
	assert_int_equal(pk_engine_expire(et.eng, 30 * PK_ET_SEC, 32), 0);
	assert_int_equal(pk_engine_expire(et.eng, 61 * PK_ET_SEC, 31), 0);
	assert_int_equal(pk_engine_expire(et.eng, 61 * PK_ET_SEC, 2), 1);
	assert_int_equal(pk_engine_expire(et.eng, 61 * PK_ET_SEC, 1), 1);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
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
	pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1));
	pk_et_udp(0, et.lan, PK_DIR_IN, dns("192.168.1.60", 1));
	pk_tb_addr(4, CL, f.src);
	assert_int_equal(pk_engine_kill_states(et.eng, &f), 1);
	pk_engine_states(et.eng, count_state, &n);
	assert_int_equal(n, 1);
}

static void test_adaptive_scaling_shortens_timeouts_near_the_limit(void **state)
{
	int k;

	(void)state;
	/* 9 states between adaptive.start 6 and adaptive.end 12: timeouts at 50% */
	pk_et_start(PK_ET_TOPO "set limit states 10\nset timeout { adaptive.start 6, adaptive.end 12 }\n"
			       "pass in on lan0 proto udp all\n");
	for (k = 0; k < 9; k++)
		assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, (uint16_t)(1000 + k))), PK_V_PASS);
	assert_int_equal(pk_et_udp(29, et.lan, PK_DIR_OUT, dns_back(1000)), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_udp(30.5, et.lan, PK_DIR_OUT, dns_back(1001)), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_NONE); /* udp.first 60 s scaled to 30 s */
}

static void test_max_src_conn_kills_the_connection_over_the_limit(void **state)
{
	const struct pk_tb_ends second = {.src = CL, .sport = 40001, .dst = NASIP, .dport = 22};

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 proto tcp all keep state (max-src-conn 1)\n");
	handshake(0);
	/* the second completed handshake from the same source is over the limit */
	assert_int_equal(pk_et_handshake(1, et.lan, second), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_SRC_LIMIT);
	assert_int_equal(pk_et_tcp(1, et.lan, PK_DIR_IN, second, pk_et_ack), PK_V_BLOCK);
}

static void test_states_survive_a_reload(void **state)
{
	(void)state;
	pk_et_start(UDP_RULES);
	assert_int_equal(pk_et_udp(0, et.lan, PK_DIR_IN, dns(CL, 1000)), PK_V_PASS);
	pk_engine_reload(et.eng, pk_test_rules(PK_ET_TOPO "block all\n"));
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_OUT, dns_back(1000)), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(pk_et_udp(1, et.lan, PK_DIR_IN, dns(CL, 1001)), PK_V_BLOCK);
}

static void test_ipv6_handshake_rides_on_state(void **state)
{
	const struct pk_tb_ends six = {.src = "2001:db8:1::50", .sport = 40000, .dst = "2001:db8:2::5", .dport = 22};

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in on lan0 inet6 proto tcp all\n");
	assert_int_equal(pk_et_handshake(0, et.lan, six), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_int_equal(et.v.src_after, 4);
}

/* Random mutations of valid packets through every feature never crash
 * (run under ASan/UBSan by make asan) and always get a verdict. */
static void test_mutated_packets_never_crash(void **state)
{
	static const char rules[] = PK_ET_TOPO
		"match in all scrub (no-df random-id min-ttl 30 max-mss 1400)\n"
		"match out on wan0 from lan0:network nat-to 203.0.113.2\n"
		"block return all\npass in on lan0 proto tcp to port 22 synproxy state\n"
		"pass in on lan0 proto { udp, icmp } all\npass out all\n";
	uint32_t x = 99;
	int n, k;

	(void)state;
	pk_et_start(rules);
	for (n = 0; n < 20000; n++) {
		struct pk_tb s = pk_tb_defaults(n & 1 ? 4 : 6, n & 1 ? CL : "2001:db8:1::50",
						n & 1 ? NASIP : "2001:db8:2::5");
		size_t len;

		s.proto = (uint8_t[]){6, 17, 1, 58, 47}[n % 5];
		s.sport = 1000, s.dport = 22, s.flags = PK_TH_SYN, s.mss = 1460, s.payload = (uint16_t)(n % 40);
		s.icmp_type = 3;
		len = pk_tb_build(&s, et.buf, sizeof(et.buf));
		for (k = 0; k < 3; k++) {
			x = x * 1103515245u + 12345u;
			et.buf[(x >> 8) % len] ^= (uint8_t)(x >> 20);
		}
		et.blen = (x >> 4) % 4 ? len : (x >> 6) % (len + 1);
		pk_engine_packet(et.eng, (uint64_t)n * 1000000u, (x >> 3) & 1 ? et.lan : et.wan,
				 (x >> 2) & 1 ? PK_DIR_IN : PK_DIR_OUT, et.buf, &et.blen, sizeof(et.buf), &et.v);
		assert_true(et.v.kind <= PK_V_HOLD);
	}
	pk_engine_expire(et.eng, 100 * PK_ET_SEC, 1u << 20);
	assert_int_equal(pk_engine_counters(et.eng)->states_current, 0);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_no_matching_rule_passes_without_state, pk_et_teardown),
	cmocka_unit_test_teardown(test_last_matching_rule_wins_unless_quick, pk_et_teardown),
	cmocka_unit_test_teardown(test_replies_ride_on_the_state_and_skip_the_rules, pk_et_teardown),
	cmocka_unit_test_teardown(test_server_initiated_connection_is_blocked, pk_et_teardown),
	cmocka_unit_test_teardown(test_if_bound_state_ignores_other_interfaces, pk_et_teardown),
	cmocka_unit_test_teardown(test_floating_state_matches_any_interface, pk_et_teardown),
	cmocka_unit_test_teardown(test_udp_state_timeouts_follow_first_single_multiple, pk_et_teardown),
	cmocka_unit_test_teardown(test_udp_single_timeout_expires_one_way_flow, pk_et_teardown),
	cmocka_unit_test_teardown(test_timeouts_hold_across_the_32_bit_millisecond_wrap, pk_et_teardown),
	cmocka_unit_test_teardown(test_fin_wait_expires_after_finwait_timeout, pk_et_teardown),
	cmocka_unit_test_teardown(test_established_state_survives_idle_gap_shorter_than_timeout, pk_et_teardown),
	cmocka_unit_test_teardown(test_out_of_window_packet_is_state_mismatch, pk_et_teardown),
	cmocka_unit_test_teardown(test_states_limit_refuses_new_states, pk_et_teardown),
	cmocka_unit_test_teardown(test_rule_max_states_refuses_new_states, pk_et_teardown),
	cmocka_unit_test_teardown(test_max_src_states_counts_per_source, pk_et_teardown),
	cmocka_unit_test_teardown(test_max_src_nodes_limits_distinct_sources, pk_et_teardown),
	cmocka_unit_test_teardown(test_ip_options_blocked_unless_allow_opts, pk_et_teardown),
	cmocka_unit_test_teardown(test_truncated_packet_is_blocked_as_short, pk_et_teardown),
	cmocka_unit_test_teardown(test_syn_with_rst_is_normalize, pk_et_teardown),
	cmocka_unit_test_teardown(test_icmp_error_quoting_a_state_is_related, pk_et_teardown),
	cmocka_unit_test_teardown(test_icmp_echo_reply_rides_on_request_state, pk_et_teardown),
	cmocka_unit_test_teardown(test_user_decides_forwarded_packets_as_pf_and_local_ones_as_assumed, pk_et_teardown),
	cmocka_unit_test_teardown(test_user_on_inbound_packets_reads_the_destination, pk_et_teardown),
	cmocka_unit_test_teardown(test_user_is_ignored_for_protocols_without_sockets, pk_et_teardown),
	cmocka_unit_test_teardown(test_kept_decisions_of_owner_rules_stay_exact, pk_et_teardown),
	cmocka_unit_test_teardown(test_neighbour_advertisement_rides_on_solicitation_state, pk_et_teardown),
	cmocka_unit_test_teardown(test_expire_removes_idle_states_within_budget, pk_et_teardown),
	cmocka_unit_test_teardown(test_expire_paces_over_never_used_slots, pk_et_teardown),
	cmocka_unit_test_teardown(test_kill_states_by_source_prefix, pk_et_teardown),
	cmocka_unit_test_teardown(test_adaptive_scaling_shortens_timeouts_near_the_limit, pk_et_teardown),
	cmocka_unit_test_teardown(test_max_src_conn_kills_the_connection_over_the_limit, pk_et_teardown),
	cmocka_unit_test_teardown(test_states_survive_a_reload, pk_et_teardown),
	cmocka_unit_test_teardown(test_ipv6_handshake_rides_on_state, pk_et_teardown),
	cmocka_unit_test_teardown(test_mutated_packets_never_crash, pk_et_teardown),
)
