/*
 * tests/runtime/test_engine_afto.c: af-to in the packet path
 * (runtime/engine_afto.c) and the states of two families it keeps
 * (runtime/state.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/packet.h"
#include "runtime/proto.h"
#include "runtime/wire.h"
#include "runtime/state.h"
#include "tests/support/engtest.h"
#include "tests/support/testmain.h"

#define TOPO                                                        \
	"interface lan0 address 192.168.1.1/24, 2001:db8:1::1/64\n" \
	"interface opt1 address 10.0.10.1/24\n"                     \
	"interface wan0 address 203.0.113.2/24, 2001:db8:ff::2/64\n" \
	"route default via wan0 gateway 203.0.113.1\n"
#define NAT64 TOPO "set state-policy floating\nblock all\n" \
	"pass in on lan0 inet6 from 2001:db8:1::/64 to 64:ff9b::/96 af-to inet from 203.0.113.2\n"

#define CL6 "2001:db8:1::10"
#define SRV64 "64:ff9b::c000:207" /* 192.0.2.7 in the well-known prefix */
#define SRV4 "192.0.2.7"
#define PUB "203.0.113.2"

static const struct pk_tb_ends web6 = {.src = CL6, .sport = 40000, .dst = SRV64, .dport = 80};
static const struct pk_tb_seg syn_ack = {.flags = PK_TH_SYN | PK_TH_ACK, .seq = 900, .ack = 101};

/* The server's answer to af-to's address at the port drawn for it. */
static struct pk_tb_ends back_to(uint16_t port)
{
	return (struct pk_tb_ends){.src = SRV4, .sport = 80, .dst = PUB, .dport = port};
}

/* The SYN leaves as IPv4 from af-to's address, its port drawn as nat-to
 * draws it, to the embedded one, the server's IPv4 SYN|ACK comes back as
 * IPv6 from the prefix to the client's port, and the client's ACK
 * establishes the connection: all inbound, all translated. */
static void test_nat64_handshake_is_translated_both_ways(void **state)
{
	(void)state;
	pk_et_start(NAT64);
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, web6, pk_et_syn), PK_V_PASS);
	assert_true(et.v.afto && et.v.translated);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	struct pk_pkt p = pk_et_pkt();
	assert_int_equal(p.af, PK_AF_INET);
	pk_et_assert_addr(p.src, PUB);
	pk_et_assert_addr(p.dst, SRV4);
	assert_true(p.sport >= 50001 && et.v.nat_drawn);
	const uint16_t port = p.sport;
	assert_int_equal(p.dport, 80);
	assert_int_equal(p.ttl, 64); /* the forwarding path decrements it, not af-to */
	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_IN, back_to(40000), syn_ack), PK_V_BLOCK);
	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_IN, back_to(port), syn_ack), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	assert_true(et.v.afto);
	p = pk_et_pkt();
	assert_int_equal(p.af, PK_AF_INET6);
	pk_et_assert_addr(p.src, SRV64);
	pk_et_assert_addr(p.dst, CL6);
	assert_int_equal(p.dport, 40000);
	/* the SYN|ACK was the server's: the peers' states moved as pf's */
	assert_int_equal(et.v.src_after, PK_TCPS_ESTABLISHED);
	assert_int_equal(et.v.dst_after, PK_TCPS_SYN_SENT);
	assert_int_equal(pk_et_tcp(0.2, et.lan, PK_DIR_IN, web6, pk_et_ack), PK_V_PASS);
	assert_int_equal(et.v.dst_after, PK_TCPS_ESTABLISHED);
}

/* pf_find_state: an af-to state matches no outbound packet. The
 * translated packet never meets the out rules (pf marks it generated);
 * one that did, or the firewall's own, is the rules' to decide. */
static void test_af_to_state_matches_inbound_packets_only(void **state)
{
	(void)state;
	pk_et_start(NAT64);
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, web6, pk_et_syn), PK_V_PASS);
	const struct pk_tb_ends out4 = {.src = PUB, .sport = 40000, .dst = SRV4, .dport = 80};
	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_OUT, out4, pk_et_ack), PK_V_BLOCK);
	assert_int_equal(et.v.state_event, PK_SE_NONE);
	const struct pk_tb_ends back6 = {.src = SRV64, .sport = 80, .dst = CL6, .dport = 40000};
	assert_int_equal(pk_et_tcp(0.2, et.lan, PK_DIR_OUT, back6, syn_ack), PK_V_BLOCK);
}

/* As in pf, an if-bound af-to state belongs to the interface the client's
 * packet came in on: the replies, arriving on the other side, find none. */
static void test_if_bound_af_to_state_does_not_see_the_replies(void **state)
{
	(void)state;
	pk_et_start(TOPO "block all\n"
			 "pass in on lan0 inet6 to 64:ff9b::/96 af-to inet from 203.0.113.2\n");
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, web6, pk_et_syn), PK_V_PASS);
	assert_true(et.v.afto);
	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_IN, back_to(pk_et_pkt().sport), syn_ack), PK_V_BLOCK);
}

/* NAT46 with `to`: the IPv4 destination goes into the low 32 bits of the
 * prefix; the source is af-to's `from`; UDP's checksum follows. */
static void test_nat46_embeds_the_destination_in_the_to_prefix(void **state)
{
	(void)state;
	pk_et_start(TOPO "set state-policy floating\nblock all\n"
			 "pass in on wan0 inet to 203.0.113.50 af-to inet6 from 2001:db8:ff::2 to 2001:db8:64::/96\n");
	const struct pk_tb_ends q = {.src = "198.51.100.9", .sport = 5000, .dst = "203.0.113.50", .dport = 53};
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_IN, q), PK_V_PASS);
	struct pk_pkt p = pk_et_pkt();
	assert_int_equal(p.af, PK_AF_INET6);
	assert_int_equal(p.proto, PK_PROTO_UDP);
	pk_et_assert_addr(p.src, "2001:db8:ff::2");
	pk_et_assert_addr(p.dst, "2001:db8:64::cb00:7132");
	const struct pk_tb_ends a = {.src = "2001:db8:64::cb00:7132", .sport = 53, .dst = "2001:db8:ff::2",
				     .dport = p.sport};
	assert_int_equal(pk_et_udp(0.1, et.lan, PK_DIR_IN, a), PK_V_PASS);
	p = pk_et_pkt();
	assert_int_equal(p.af, PK_AF_INET);
	pk_et_assert_addr(p.src, "203.0.113.50");
	pk_et_assert_addr(p.dst, "198.51.100.9");
	assert_int_equal(p.dport, 5000);
}

/* An echo request becomes ICMP, its reply finds the state by the echo id
 * and goes back as ICMPv6. */
static void test_nat64_echo_round_trip(void **state)
{
	(void)state;
	pk_et_start(NAT64);
	struct pk_tb req = pk_tb_defaults(6, CL6, SRV64);
	req.proto = PK_PROTO_ICMP6;
	req.icmp_type = PK_ICMP6_ECHO_REQUEST;
	req.icmp_id = 77;
	assert_int_equal(pk_et_run(&req, 0, et.lan, PK_DIR_IN), PK_V_PASS);
	struct pk_pkt p = pk_et_pkt();
	assert_int_equal(p.proto, PK_PROTO_ICMP);
	assert_int_equal(p.icmp_type, PK_ICMP_ECHO);
	assert_int_equal(p.icmp_id, 77);
	struct pk_tb rep = pk_tb_defaults(4, SRV4, PUB);
	rep.proto = PK_PROTO_ICMP;
	rep.icmp_type = PK_ICMP_ECHOREPLY;
	rep.icmp_id = 77;
	assert_int_equal(pk_et_run(&rep, 0.1, et.wan, PK_DIR_IN), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	p = pk_et_pkt();
	assert_int_equal(p.proto, PK_PROTO_ICMP6);
	assert_int_equal(p.icmp_type, PK_ICMP6_ECHO_REPLY);
	pk_et_assert_addr(p.dst, CL6);
}

/* A router on the IPv4 side says the translated SYN is too big: the
 * error goes back to the client as ICMPv6 "packet too big" with the MTU
 * 20 bytes larger, from the router's address in the prefix, quoting the
 * SYN as the client sent it. An IPv6 "port unreachable" about a reply
 * goes the other way as ICMP. */
static void test_icmp_errors_are_translated_with_their_quote(void **state)
{
	(void)state;
	pk_et_start(NAT64);
	assert_int_equal(pk_et_tcp(0, et.lan, PK_DIR_IN, web6, pk_et_syn), PK_V_PASS);
	const uint16_t port = pk_et_pkt().sport;
	uint8_t quote[64];
	const size_t qlen = et.blen < sizeof quote ? et.blen : sizeof quote;
	memcpy(quote, et.buf, qlen);
	struct pk_tb err = pk_tb_defaults(4, "203.0.113.1", PUB);
	err.proto = PK_PROTO_ICMP;
	err.icmp_type = PK_ICMP_UNREACH;
	err.icmp_code = PK_ICMP_UNREACH_NEEDFRAG;
	err.quote = quote;
	err.quote_len = qlen;
	et.blen = pk_tb_build(&err, et.buf, sizeof et.buf);
	pk_put16(et.buf + PK_IP4_HLEN + 6, 1400); /* the next hop's MTU */
	assert_true(pk_cksum_l4(et.buf, et.blen));
	pk_engine_packet(et.eng, PK_ET_SEC / 10, et.wan, PK_DIR_IN, et.buf, &et.blen, sizeof et.buf, &et.v);
	assert_int_equal(et.v.kind, PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_RELATED);
	assert_true(et.v.afto);
	struct pk_pkt p = pk_et_pkt();
	assert_int_equal(p.proto, PK_PROTO_ICMP6);
	assert_int_equal(p.icmp_type, PK_ICMP6_PACKET_TOO_BIG);
	assert_int_equal(pk_get32(et.buf + PK_IP6_HLEN + 4), 1420);
	pk_et_assert_addr(p.src, "64:ff9b::cb00:7101");
	pk_et_assert_addr(p.dst, CL6);
	struct pk_pkt q;
	assert_int_equal(pk_pkt_parse_quoted(et.buf + p.inner_off, et.blen - p.inner_off, &q), PK_REASON_NONE);
	pk_et_assert_addr(q.src, CL6);
	pk_et_assert_addr(q.dst, SRV64);
	assert_int_equal(q.sport, 40000);
	assert_int_equal(q.dport, 80);

	assert_int_equal(pk_et_tcp(0.2, et.wan, PK_DIR_IN, back_to(port), syn_ack), PK_V_PASS);
	memcpy(quote, et.buf, et.blen < sizeof quote ? et.blen : sizeof quote);
	struct pk_tb err6 = pk_tb_defaults(6, CL6, SRV64);
	err6.proto = PK_PROTO_ICMP6;
	err6.icmp_type = PK_ICMP6_DST_UNREACH;
	err6.icmp_code = PK_ICMP6_DST_UNREACH_NOPORT;
	err6.quote = quote;
	err6.quote_len = et.blen < sizeof quote ? et.blen : sizeof quote;
	assert_int_equal(pk_et_run(&err6, 0.3, et.lan, PK_DIR_IN), PK_V_PASS);
	p = pk_et_pkt();
	assert_int_equal(p.proto, PK_PROTO_ICMP);
	assert_int_equal(p.icmp_type, PK_ICMP_UNREACH);
	assert_int_equal(p.icmp_code, PK_ICMP_UNREACH_PORT);
	pk_et_assert_addr(p.src, PUB);
	pk_et_assert_addr(p.dst, SRV4);
	assert_int_equal(pk_pkt_parse_quoted(et.buf + p.inner_off, et.blen - p.inner_off, &q), PK_REASON_NONE);
	pk_et_assert_addr(q.src, SRV4);
	pk_et_assert_addr(q.dst, PUB);
	assert_int_equal(q.dport, port);
}

/* A state whose keys are of two families stores, finds and frees them:
 * many in turn through a small table never run its side pool dry. */
static void test_two_family_state_keys_are_kept_and_freed(void **state)
{
	(void)state;
	struct pk_state_table t;
	assert_int_equal(pk_st_init(&t, 4, 1), 0);
	for (uint32_t n = 0; n < 10000; n++) {
		struct pk_skey keys[2];
		uint8_t c6[16], s6[16], s4[16], f4[16];
		pk_tb_addr(6, CL6, c6);
		pk_tb_addr(6, SRV64, s6);
		pk_tb_addr(4, SRV4, s4);
		pk_tb_addr(4, PUB, f4);
		pk_skey_set(&keys[PK_SK_WIRE], PK_DIR_IN, c6, s6, (uint16_t)n, 80);
		pk_skey_set(&keys[PK_SK_STACK], PK_DIR_OUT, f4, s4, (uint16_t)n, 80);
		pk_st_prepare(&t);
		uint32_t i = pk_st_alloc(&t);
		assert_int_not_equal(i, PK_ST_NONE);
		t.st[i].af = PK_AF_INET6;
		t.st[i].proto = PK_PROTO_TCP;
		t.st[i].dir = PK_DIR_IN;
		t.st[i].iface = PK_RT_NO_IFACE;
		t.st[i].flags = PK_SF_AFTO;
		assert_true(pk_st_set_keys(&t, i, keys));
		assert_int_equal(pk_st_key_af(&t, i, PK_SK_STACK), PK_AF_INET);
		pk_st_insert(&t, i);
		struct pk_skey back;
		pk_skey_set(&back, PK_DIR_IN, s4, f4, 80, (uint16_t)n);
		assert_int_equal(pk_st_find(&t, PK_AF_INET, PK_PROTO_TCP, &back, PK_DIR_IN, 3), i);
		assert_int_equal(pk_st_find(&t, PK_AF_INET6, PK_PROTO_TCP, &keys[PK_SK_WIRE], PK_DIR_IN, 1), i);
		assert_int_equal(pk_st_find(&t, PK_AF_INET, PK_PROTO_TCP, &back, PK_DIR_OUT, 3), PK_ST_NONE);
		struct pk_skey got;
		pk_st_key(&t, i, PK_SK_STACK, &got);
		assert_memory_equal(got.addr[1], f4, 4);
		pk_st_remove(&t, i);
	}
	pk_st_fini(&t);
}

PK_TEST_MAIN(cmocka_unit_test_teardown(test_nat64_handshake_is_translated_both_ways, pk_et_teardown),
	     cmocka_unit_test_teardown(test_af_to_state_matches_inbound_packets_only, pk_et_teardown),
	     cmocka_unit_test_teardown(test_if_bound_af_to_state_does_not_see_the_replies, pk_et_teardown),
	     cmocka_unit_test_teardown(test_nat46_embeds_the_destination_in_the_to_prefix, pk_et_teardown),
	     cmocka_unit_test_teardown(test_nat64_echo_round_trip, pk_et_teardown),
	     cmocka_unit_test_teardown(test_icmp_errors_are_translated_with_their_quote, pk_et_teardown),
	     cmocka_unit_test(test_two_family_state_keys_are_kept_and_freed))
