/* tests/runtime/test_replay.c: the forwarding model around the engine (runtime/replay.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/packet.h"
#include "runtime/proto.h"
#include "runtime/replay.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define SEC 1000000000ull
#define TOPO                                      \
	"interface lan0 address 192.168.1.1/24\n" \
	"interface opt1 address 10.0.10.1/24\n"

static struct pk_replay rp;
static uint8_t buf[2048];
static size_t blen;
static struct pk_replay_result r; /* what became of the last packet */

static void start(const char *rules)
{
	assert_int_equal(pk_replay_init(&rp, pk_test_rules(rules), 7), 0);
}

PK_TEST_FIXTURE(teardown, pk_replay_fini(&rp))

/* What a packet's replay decided and left in its bytes, to compare two replays by. */
struct outcome {
	uint8_t kind, reason, stop, in_event, out_kind;
	uint32_t in_rule;
	size_t len;
	uint8_t bytes[2048];
};

static uint16_t ifc(const char *name) { return pk_rs_iface_find(rp.rs, name); }

/* Replays s at t seconds, arriving on iface; the result in r. */
static void run(const struct pk_tb *s, double t, const char *iface)
{
	blen = pk_tb_build(s, buf, sizeof buf);
	pk_replay_packet(&rp, (uint64_t)(t * SEC), ifc(iface), buf, &blen, sizeof buf, &r);
}

/* The SYN (sequence 1) of the client 192.168.1.10 from port 4000 to dst port dport. */
static struct pk_tb client_syn(const char *dst, uint16_t dport)
{
	struct pk_tb s = pk_tb_defaults(4, "192.168.1.10", dst);
	s.sport = 4000, s.dport = dport, s.flags = PK_TH_SYN, s.seq = 1;
	return s;
}

/* Under rules, the client's SYN to dst port dport arrives on lan0 at 1 s;
 * returns it, for the packets that follow it. */
static struct pk_tb start_with_syn(const char *rules, const char *dst, uint16_t dport)
{
	struct pk_tb s = client_syn(dst, dport);

	start(rules);
	run(&s, 1, "lan0");
	return s;
}

static void test_forwarded_packet_is_evaluated_out_on_the_egress_interface(void **st)
{
	(void)st;
	struct pk_tb s = start_with_syn(TOPO "pass in all\nblock out on opt1 proto tcp to port 23\n", "10.0.10.5", 23);
	assert_int_equal(r.in.v.kind, PK_V_PASS);
	assert_true(r.out.done);
	assert_int_equal(r.out.iface, ifc("opt1"));
	assert_int_equal(r.out.dir, PK_DIR_OUT);
	assert_int_equal(r.kind, PK_V_BLOCK);
	s.dport = 22;
	run(&s, 2, "lan0");
	assert_int_equal(r.kind, PK_V_PASS);
}

static void test_forwarding_decrements_ttl_with_a_valid_checksum(void **st)
{
	(void)st;
	start(TOPO "pass all\n");
	struct pk_tb s = client_syn("10.0.10.5", 22);
	s.ttl = 9;
	run(&s, 1, "lan0");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(buf[8], 8);
	assert_true(pk_tb_cksums_ok(buf, blen));
	s.ttl = 1;
	s.sport = 4001;
	run(&s, 2, "lan0");
	assert_int_equal(r.kind, PK_V_BLOCK);
	assert_int_equal(r.stop, PK_STOP_TTL);
	assert_int_equal(r.reason, PK_REASON_TTL);
}

static void test_packet_to_the_firewall_stops_after_in(void **st)
{
	(void)st;
	start_with_syn(TOPO "pass all\n", "192.168.1.1", 22);
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(r.stop, PK_STOP_SELF);
	assert_false(r.out.done);
}

static void test_destination_without_route_is_blocked(void **st)
{
	(void)st;
	start_with_syn(TOPO "pass all\n", "8.8.8.8", 53);
	assert_int_equal(r.kind, PK_V_BLOCK);
	assert_int_equal(r.stop, PK_STOP_NO_ROUTE);
}

static void test_udp_state_expires_in_capture_time(void **st)
{
	(void)st;
	start(TOPO "block all\npass out all\npass in on lan0 proto udp\n");
	struct pk_tb q = pk_tb_defaults(4, "192.168.1.10", "10.0.10.5");
	q.proto = 17;
	q.sport = 5000;
	q.dport = 53;
	struct pk_tb a = q;
	a.src = "10.0.10.5";
	a.dst = "192.168.1.10";
	a.sport = 53;
	a.dport = 5000;
	run(&q, 100, "lan0");
	assert_int_equal(r.in.v.state_event, PK_SE_CREATED);
	run(&a, 110, "opt1");
	assert_int_equal(r.kind, PK_V_PASS);
	run(&a, 110 + 3600, "opt1");
	assert_int_equal(r.kind, PK_V_BLOCK);
	assert_int_equal(r.in.v.state_event, PK_SE_NONE);
}

/* The last packet was held, and the proxy sent one in its place. */
static void assert_held_and_answered(void)
{
	assert_int_equal(r.kind, PK_V_HOLD);
	assert_int_equal(r.ngen, 1);
}

static void test_synproxy_handshake_acks_the_captured_firewall_isn(void **st)
{
	(void)st;
	start(TOPO "block all\npass out all\npass in on lan0 proto tcp to port 443 synproxy state\n");
	struct pk_tb s = client_syn("10.0.10.5", 443);
	s.seq = 1000;
	run(&s, 1, "lan0");
	assert_held_and_answered();
	/* The capture's client acknowledges the ISN its own firewall chose. */
	s.flags = PK_TH_ACK, s.seq = 1001, s.ack = 777001;
	run(&s, 1.001, "lan0");
	assert_held_and_answered();
	assert_int_equal(r.gen[0].ip[33], PK_TH_SYN); /* the SYN towards the server */
	assert_true(pk_tb_cksums_ok(buf, blen));
}

/* A synproxied handshake, then TCP and UDP over IPv4 and IPv6, a
 * fragment and a malformed packet, each either parsed by the engine or
 * handed its parse made ahead (rp.parsed): returns the outcomes. */
static void replay_mix(bool ahead, struct outcome out[], size_t n)
{
	static const struct pk_tb_ends c4 = {"192.168.1.10", 4000, "10.0.10.5", 443};
	static const struct pk_tb_ends c6 = {"2001:db8::10", 4001, "2001:db8:1::5", 80};
	struct pk_tb mix[] = {
		pk_tb_tcp(c4, (struct pk_tb_seg){PK_TH_SYN, 1000, 0, 0}),
		pk_tb_tcp(c4, (struct pk_tb_seg){PK_TH_ACK, 1001, 777001, 0}), /* ISN alignment rewrites it */
		pk_tb_tcp(c4, (struct pk_tb_seg){PK_TH_ACK | PK_TH_PUSH, 1001, 777001, 100}),
		pk_tb_udp((struct pk_tb_ends){"192.168.1.10", 5353, "10.0.10.5", 53}, 30),
		pk_tb_tcp(c6, (struct pk_tb_seg){PK_TH_SYN, 5, 0, 0}),
		pk_tb_udp((struct pk_tb_ends){"192.168.1.10", 5000, "10.0.10.5", 9}, 64),
		pk_tb_tcp((struct pk_tb_ends){"192.168.1.10", 4002, "10.0.10.5", 22},
			  (struct pk_tb_seg){PK_TH_SYN, 9, 0, 0}),
	};
	struct pk_pkt parsed;

	mix[5].mf = true; /* a first fragment */
	start(TOPO "interface lan6 address 2001:db8::1/64\ninterface opt6 address 2001:db8:1::1/64\n"
		   "block all\npass out all\npass in on lan0 proto tcp to port 443 synproxy state\n"
		   "pass in proto udp\npass in inet6 proto tcp\n");
	assert_int_equal(n, sizeof mix / sizeof mix[0] + 1);
	for (size_t i = 0; i < n; i++) {
		struct outcome *o = &out[i];
		blen = i < n - 1 ? pk_tb_build(&mix[i], buf, sizeof buf) : 19; /* the last: shorter than its header */
		if (i == n - 1)
			memset(buf, 0x45, blen);
		rp.parsed = ahead && pk_pkt_parse(buf, blen, &parsed) == PK_REASON_NONE ? &parsed : NULL;
		pk_replay_packet(&rp, (1 + i) * SEC, ifc(mix[i < n - 1 ? i : 0].af == 6 ? "lan6" : "lan0"), buf, &blen,
				 sizeof buf, &r);
		assert_null(rp.parsed); /* taken once */
		*o = (struct outcome){r.kind,        r.reason,    r.stop, r.in.v.state_event,
				      r.out.v.kind, r.in.v.rule, blen,   {0}};
		memcpy(o->bytes, buf, blen);
	}
	pk_replay_fini(&rp);
}

static void test_parse_made_ahead_replays_as_the_engine_own(void **st)
{
	(void)st;
	struct outcome own[8], ahead[8];

	replay_mix(false, own, 8);
	replay_mix(true, ahead, 8);
	for (size_t i = 0; i < 8; i++) {
		assert_int_equal(own[i].kind, ahead[i].kind);
		assert_int_equal(own[i].reason, ahead[i].reason);
		assert_int_equal(own[i].stop, ahead[i].stop);
		assert_int_equal(own[i].in_event, ahead[i].in_event);
		assert_int_equal(own[i].out_kind, ahead[i].out_kind);
		assert_int_equal(own[i].in_rule, ahead[i].in_rule);
		assert_int_equal(own[i].len, ahead[i].len);
		assert_memory_equal(own[i].bytes, ahead[i].bytes, own[i].len);
	}
	assert_int_equal(own[0].kind, PK_V_HOLD); /* the synproxy answered: the mix reached it */
	assert_int_equal(own[3].kind, PK_V_PASS);
	assert_int_equal(own[4].kind, PK_V_PASS);
}

#define TOPO3 TOPO "interface wan0 address 203.0.113.2/24\ninterface wan1 address 198.51.100.2/24\n" \
	"route default via wan0 gateway 203.0.113.1\n"

static void test_route_to_sends_the_packet_out_the_rule_interface(void **st)
{
	(void)st;
	struct pk_tb s = start_with_syn(TOPO3 "pass out all\n"
					      "pass in on lan0 proto tcp to port 443 route-to (wan1 198.51.100.1)\n"
					      "block out on wan0 all\n",
					"192.0.2.7", 443);
	assert_int_equal(r.in.v.route, PK_ROUTE_TO);
	assert_int_equal(r.out.iface, ifc("wan1"));
	assert_int_equal(r.kind, PK_V_PASS);
	/* the rest of the connection follows the state's route too */
	s.flags = PK_TH_ACK, s.seq = 2, s.ack = 1;
	run(&s, 2, "lan0");
	assert_int_equal(r.in.v.state_event, PK_SE_MATCHED);
	assert_int_equal(r.out.iface, ifc("wan1"));
	/* other traffic follows the routing table, here into a block */
	s = client_syn("192.0.2.7", 80);
	s.sport = 4001;
	run(&s, 3, "lan0");
	assert_int_equal(r.in.v.route, PK_ROUTE_NONE);
	assert_int_equal(r.out.iface, ifc("wan0"));
	assert_int_equal(r.kind, PK_V_BLOCK);
}

static void test_reply_to_routes_the_replies_only(void **st)
{
	(void)st;
	/* floating: the reply leaving by the default route meets the wan1 state */
	start(TOPO3 "set state-policy floating\npass out all\npass in on wan1 proto tcp to 10.0.10.5 port 22 reply-to (wan1 198.51.100.1)\n");
	struct pk_tb s = pk_tb_defaults(4, "192.0.2.7", "10.0.10.5");
	s.sport = 5000, s.dport = 22, s.flags = PK_TH_SYN, s.seq = 1;
	run(&s, 1, "wan1");
	assert_int_equal(r.in.v.route, PK_ROUTE_NONE);
	assert_int_equal(r.out.iface, ifc("opt1"));
	struct pk_tb a = pk_tb_defaults(4, "10.0.10.5", "192.0.2.7");
	a.sport = 22, a.dport = 5000, a.flags = PK_TH_SYN | PK_TH_ACK, a.seq = 100, a.ack = 2;
	run(&a, 2, "opt1");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(r.out.iface, ifc("wan1")); /* not wan0, the default route */
	assert_int_equal(r.out.v.state_event, PK_SE_MATCHED);
	assert_int_equal(r.out.v.route, PK_ROUTE_REPLY_TO);
}

static void test_dup_to_copies_the_packet(void **st)
{
	(void)st;
	start(TOPO3 "pass in on lan0 proto udp dup-to (wan1 198.51.100.9)\npass out all\n");
	struct pk_tb s = pk_tb_defaults(4, "192.168.1.10", "10.0.10.5");
	s.proto = 17, s.sport = 5000, s.dport = 53, s.payload = 8;
	run(&s, 1, "lan0");
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(r.out.iface, ifc("opt1"));
	assert_int_equal(r.ngen, 1);
	assert_int_equal(r.gen[0].iface, ifc("wan1"));
	assert_int_equal(r.gen[0].len, blen);
}

static void test_tag_set_inbound_is_seen_by_tagged_outbound(void **st)
{
	(void)st;
	struct pk_tb s = start_with_syn(TOPO "pass in on lan0 proto tcp to port 22 tag SSH\nblock out on opt1 all\n"
					     "pass out on opt1 tagged SSH\n",
					"10.0.10.5", 22);
	assert_int_not_equal(r.in.v.tag, 0);
	assert_int_equal(r.kind, PK_V_PASS);
	/* later packets carry the tag of the state they match */
	s.flags = PK_TH_ACK, s.seq = 2, s.ack = 1;
	run(&s, 2, "lan0");
	assert_int_equal(r.in.v.state_event, PK_SE_MATCHED);
	assert_int_equal(r.kind, PK_V_PASS);
	s = client_syn("10.0.10.5", 80);
	s.sport = 4001;
	run(&s, 3, "lan0");
	assert_int_equal(r.in.v.kind, PK_V_PASS);
	assert_int_equal(r.kind, PK_V_BLOCK);
}

static void test_divert_to_hands_the_connection_to_a_local_socket(void **st)
{
	(void)st;
	struct pk_tb s = start_with_syn(TOPO "block all\npass in on lan0 proto tcp to port 25 divert-to 127.0.0.1 port 8025\n"
				       "pass out all\n",
				       "10.0.10.5", 25);
	assert_int_equal(r.kind, PK_V_PASS);
	assert_int_equal(r.stop, PK_STOP_DIVERT);
	assert_false(r.out.done);
	assert_int_equal(r.in.v.divert, PK_DIVERT_TO);
	assert_int_equal(r.in.v.divert_port, 8025);
	const uint8_t lo[4] = {127, 0, 0, 1};
	assert_memory_equal(r.in.v.divert_addr, lo, 4);
	/* the packets of its state that follow are diverted too */
	s.flags = PK_TH_ACK, s.seq = 2, s.ack = 1;
	run(&s, 2, "lan0");
	assert_int_equal(r.in.v.state_event, PK_SE_MATCHED);
	assert_int_equal(r.stop, PK_STOP_DIVERT);
	/* other ports are forwarded */
	pk_replay_fini(&rp);
	start_with_syn(TOPO "pass in on lan0 proto tcp to port 25 divert-to 127.0.0.1 port 8025\npass all\n", "10.0.10.5",
		       26);
	assert_int_equal(r.stop, PK_STOP_NONE);
	assert_true(r.out.done);
}

static void test_divert_reply_changes_no_verdict(void **st)
{
	(void)st;
	start_with_syn(TOPO "block all\npass in all\npass out on opt1 proto tcp divert-reply\n", "10.0.10.5", 80);
	assert_int_equal(r.kind, PK_V_PASS);
	assert_true(r.out.done);
	assert_int_equal(r.out.v.divert, PK_DIVERT_NONE);
}

/* received-on: the out step of a forwarded packet knows where it came in */
static void test_received_on_matches_the_forwarded_packet_on_its_way_out(void **st)
{
	(void)st;
	start(TOPO "interface wan0 address 203.0.113.1/24\npass all\n"
		   "block out on opt1 proto tcp to port 23 received-on lan0\n");
	struct pk_tb s = pk_tb_defaults(4, "192.168.1.10", "10.0.10.5");
	s.sport = 4000, s.dport = 23, s.flags = PK_TH_SYN, s.seq = 1;
	run(&s, 1, "lan0");
	assert_int_equal(r.in.v.kind, PK_V_PASS);
	assert_true(r.out.done);
	assert_int_equal(r.kind, PK_V_BLOCK);
	s = pk_tb_defaults(4, "203.0.113.9", "10.0.10.5");
	s.sport = 4000, s.dport = 23, s.flags = PK_TH_SYN, s.seq = 1;
	run(&s, 2, "wan0");
	assert_true(r.out.done);
	assert_int_equal(r.kind, PK_V_PASS);
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_forwarded_packet_is_evaluated_out_on_the_egress_interface, teardown),
	cmocka_unit_test_teardown(test_forwarding_decrements_ttl_with_a_valid_checksum, teardown),
	cmocka_unit_test_teardown(test_packet_to_the_firewall_stops_after_in, teardown),
	cmocka_unit_test_teardown(test_destination_without_route_is_blocked, teardown),
	cmocka_unit_test_teardown(test_udp_state_expires_in_capture_time, teardown),
	cmocka_unit_test_teardown(test_synproxy_handshake_acks_the_captured_firewall_isn, teardown),
	cmocka_unit_test(test_parse_made_ahead_replays_as_the_engine_own),
	cmocka_unit_test_teardown(test_route_to_sends_the_packet_out_the_rule_interface, teardown),
	cmocka_unit_test_teardown(test_reply_to_routes_the_replies_only, teardown),
	cmocka_unit_test_teardown(test_dup_to_copies_the_packet, teardown),
	cmocka_unit_test_teardown(test_tag_set_inbound_is_seen_by_tagged_outbound, teardown),
	cmocka_unit_test_teardown(test_divert_to_hands_the_connection_to_a_local_socket, teardown),
	cmocka_unit_test_teardown(test_divert_reply_changes_no_verdict, teardown),
	cmocka_unit_test_teardown(test_received_on_matches_the_forwarded_packet_on_its_way_out, teardown),
)
