/*
 * tests/runtime/test_nat.c: translation stored in states (runtime/nat.c).
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
#define EXT "198.51.100.7"
#define PUB "203.0.113.2"

/* The client's web connection and DNS query, and the web server's SYN|ACK
 * to the client's SYN (pk_et_syn). */
static const struct pk_tb_ends web = {.src = CL, .sport = 40000, .dst = EXT, .dport = 80};
static const struct pk_tb_ends dns = {.src = CL, .sport = 1000, .dst = EXT, .dport = 53};
static const struct pk_tb_seg web_syn_ack = {.flags = PK_TH_SYN | PK_TH_ACK, .seq = 7000, .ack = 101};

/* A connection from the outside to the public address's port, its SYN,
 * and the SYN|ACK of the server it was redirected to. */
static const struct pk_tb_ends to_8080 = {.src = EXT, .sport = 33000, .dst = PUB, .dport = 8080};
static const struct pk_tb_seg syn_in = {.flags = PK_TH_SYN, .seq = 1};
static const struct pk_tb_seg syn_ack_out = {.flags = PK_TH_SYN | PK_TH_ACK, .seq = 50, .ack = 2};

/* The SYN from client port 40000 to server port 80 leaves from pub port
 * 50001 or above, and the server's SYN|ACK to there comes back to the
 * client; returns the translated port. */
static uint16_t assert_nat_round_trip(const char *client, const char *server, const char *pub)
{
	struct pk_pkt p;
	uint16_t port;

	assert_int_equal(pk_et_tcp(0, et.wan, PK_DIR_OUT,
				   (struct pk_tb_ends){.src = client, .sport = 40000, .dst = server, .dport = 80},
				   pk_et_syn),
			 PK_V_PASS);
	assert_true(et.v.translated);
	p = pk_et_pkt();
	pk_et_assert_addr(p.src, pub);
	assert_true(p.sport >= 50001);
	port = p.sport;
	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_IN,
				   (struct pk_tb_ends){.src = server, .sport = 80, .dst = pub, .dport = port},
				   web_syn_ack),
			 PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	p = pk_et_pkt();
	pk_et_assert_addr(p.dst, client);
	assert_int_equal(p.dport, 40000);
	return port;
}

/* The SYN e sends in passes and arrives at to port port. */
static void assert_syn_arrives(struct pk_tb_ends e, const char *to, uint16_t port)
{
	struct pk_pkt p;

	assert_int_equal(pk_et_tcp(0, et.wan, PK_DIR_IN, e, syn_in), PK_V_PASS);
	p = pk_et_pkt();
	pk_et_assert_addr(p.dst, to);
	assert_int_equal(p.dport, port);
}

/* The SYN|ACK of the server from port port back to the outside leaves from
 * the public address's pub_port. */
static void assert_reply_leaves_from(uint16_t port, uint16_t pub_port)
{
	struct pk_pkt p;

	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_OUT,
				   (struct pk_tb_ends){.src = "10.0.10.5", .sport = port, .dst = EXT, .dport = 33000},
				   syn_ack_out),
			 PK_V_PASS);
	p = pk_et_pkt();
	pk_et_assert_addr(p.src, PUB);
	assert_int_equal(p.sport, pub_port);
}

static void test_nat_to_rewrites_source_and_back(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2\npass out on wan0 all\n"
			       "block in on wan0 all\n");
	assert_nat_round_trip(CL, EXT, PUB);
}

/* IPv6 keys keep their addresses beside the state: both keys stay exact. */
static void test_ipv6_nat_to_rewrites_source_and_back(void **state)
{
	const struct pk_tb_ends untranslated = {
		.src = "2001:db8:2::7", .sport = 80, .dst = "2001:db8:1::50", .dport = 40000};

	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 inet6 from 2001:db8:1::/64 nat-to 2001:db8:ff::2\n"
			       "pass out on wan0 all\nblock in on wan0 all\n");
	assert_nat_round_trip("2001:db8:1::50", "2001:db8:2::7", "2001:db8:ff::2");
	/* the untranslated address is not a key of the state */
	assert_int_equal(pk_et_tcp(0.2, et.wan, PK_DIR_IN, untranslated,
				   (struct pk_tb_seg){.flags = PK_TH_ACK, .seq = 7001, .ack = 101}),
			 PK_V_BLOCK);
}

static void test_nat_to_interface_uses_its_address(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "pass out on wan0 from lan0:network nat-to (wan0)\n");
	assert_int_equal(pk_et_tcp(0, et.wan, PK_DIR_OUT, web, pk_et_syn), PK_V_PASS);
	assert_true(et.v.translated);
	pk_et_assert_addr(pk_et_pkt().src, PUB);
}

static void test_nat_to_gives_two_clients_distinct_ports(void **state)
{
	const struct pk_tb_ends other = {.src = "192.168.1.51", .sport = 40000, .dst = EXT, .dport = 80};
	struct pk_pkt p;
	uint16_t first;

	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2\npass out on wan0 all\n");
	pk_et_tcp(0, et.wan, PK_DIR_OUT, web, pk_et_syn);
	first = pk_et_pkt().sport;
	pk_et_tcp(0, et.wan, PK_DIR_OUT, other, pk_et_syn);
	p = pk_et_pkt();
	assert_int_not_equal(p.sport, first);
}

static void test_static_port_keeps_the_source_port(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2 static-port\n"
			       "pass out on wan0 all\n");
	pk_et_udp(0, et.wan, PK_DIR_OUT, (struct pk_tb_ends){.src = CL, .sport = 5353, .dst = EXT, .dport = 53});
	assert_int_equal(pk_et_pkt().sport, 5353);
}

/* A query from the client's port sport. */
static struct pk_tb_ends query(uint16_t sport)
{
	return (struct pk_tb_ends){.src = CL, .sport = sport, .dst = EXT, .dport = 53};
}

static void test_nat_to_port_range_is_respected(void **state)
{
	uint16_t port;

	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2 port 2000:2001\n"
			       "pass out on wan0 all\n");
	pk_et_udp(0, et.wan, PK_DIR_OUT, query(1));
	port = pk_et_pkt().sport;
	assert_true(port == 2000 || port == 2001);
	pk_et_udp(0, et.wan, PK_DIR_OUT, query(2));
	assert_int_equal(pk_et_pkt().sport, port == 2000 ? 2001 : 2000);
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_OUT, query(3)), PK_V_BLOCK);
	assert_int_equal(et.v.reason, PK_REASON_MAP_FAILED);
}

static void test_rdr_to_rewrites_destination_and_back(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\n"
			       "pass in on wan0 proto tcp to 203.0.113.2 port 8022 rdr-to 10.0.10.5 port 22\n");
	assert_syn_arrives((struct pk_tb_ends){.src = EXT, .sport = 33000, .dst = PUB, .dport = 8022}, "10.0.10.5", 22);
	assert_reply_leaves_from(22, 8022);
}

static void test_udp_nat_with_zero_checksum_stays_zero(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, EXT);

	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2\npass out on wan0 all\n");
	s.proto = 17, s.sport = 1000, s.dport = 53, s.payload = 4;
	et.blen = pk_tb_build(&s, et.buf, sizeof(et.buf));
	pk_put16(et.buf + 26, 0);
	pk_engine_packet(et.eng, 0, et.wan, PK_DIR_OUT, et.buf, &et.blen, sizeof(et.buf), &et.v);
	assert_int_equal(et.v.kind, PK_V_PASS);
	assert_int_equal(pk_get16(et.buf + 26), 0);
	assert_true(pk_tb_cksums_ok(et.buf, et.blen));
}

static void test_icmp_error_to_translated_address_is_translated_back(void **state)
{
	struct pk_tb q = pk_tb_defaults(4, PUB, EXT), s = pk_tb_defaults(4, "198.51.100.1", PUB);
	uint8_t quoted[128];
	struct pk_pkt p, in;
	uint16_t port;

	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2\npass out on wan0 all\n"
			       "block in on wan0 all\n");
	pk_et_udp(0, et.wan, PK_DIR_OUT, dns);
	port = pk_et_pkt().sport;
	q.proto = 17, q.sport = port, q.dport = 53, q.payload = 20;
	s.proto = 1, s.icmp_type = 11, s.quote = quoted, s.quote_len = pk_tb_build(&q, quoted, sizeof(quoted));
	assert_int_equal(pk_et_run(&s, 1, et.wan, PK_DIR_IN), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_RELATED);
	p = pk_et_pkt();
	pk_et_assert_addr(p.dst, CL);
	assert_int_equal(pk_pkt_parse_quoted(et.buf + p.inner_off, et.blen - p.inner_off, &in), PK_REASON_NONE);
	pk_et_assert_addr(in.src, CL);
	assert_int_equal(in.sport, 1000);
}

static void test_icmp_error_from_redirected_server_shows_the_public_address(void **state)
{
	struct pk_tb q = pk_tb_defaults(4, EXT, "10.0.10.5"), s = pk_tb_defaults(4, "10.0.10.5", EXT);
	uint8_t quoted[128];
	struct pk_pkt p, in;

	(void)state;
	pk_et_start(PK_ET_TOPO "block all\n"
			       "pass in on wan0 proto udp to 203.0.113.2 port 5353 rdr-to 10.0.10.5 port 53\n");
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_IN,
				   (struct pk_tb_ends){.src = EXT, .sport = 33000, .dst = PUB, .dport = 5353}),
			 PK_V_PASS);
	/* the server refuses what it received (ext:33000 -> 10.0.10.5:53) */
	q.proto = 17, q.sport = 33000, q.dport = 53, q.payload = 20;
	s.proto = 1, s.icmp_type = 3, s.icmp_code = 3, s.quote = quoted;
	s.quote_len = pk_tb_build(&q, quoted, sizeof(quoted));
	assert_int_equal(pk_et_run(&s, 1, et.wan, PK_DIR_OUT), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_RELATED);
	p = pk_et_pkt();
	pk_et_assert_addr(p.src, PUB);
	pk_et_assert_addr(p.dst, EXT);
	assert_int_equal(pk_pkt_parse_quoted(et.buf + p.inner_off, et.blen - p.inner_off, &in), PK_REASON_NONE);
	pk_et_assert_addr(in.dst, PUB);
	assert_int_equal(in.dport, 5353);
	pk_et_assert_addr(in.src, EXT);
}

static void test_icmp_echo_through_nat_keeps_id_and_returns(void **state)
{
	struct pk_tb s = pk_tb_defaults(4, CL, EXT);

	(void)state;
	pk_et_start(PK_ET_TOPO "match out on wan0 from lan0:network nat-to 203.0.113.2\npass out on wan0 all\n"
			       "block in on wan0 all\n");
	s.proto = 1, s.icmp_type = 8, s.icmp_id = 99, s.payload = 8;
	assert_int_equal(pk_et_run(&s, 0, et.wan, PK_DIR_OUT), PK_V_PASS);
	pk_et_assert_addr(pk_et_pkt().src, PUB);
	s = pk_tb_defaults(4, EXT, PUB);
	s.proto = 1, s.icmp_type = 0, s.icmp_id = 99, s.payload = 8;
	assert_int_equal(pk_et_run(&s, 0.1, et.wan, PK_DIR_IN), PK_V_PASS);
	pk_et_assert_addr(pk_et_pkt().dst, CL);
}

/* Under rules whose rule 2 passes only the public address out on wan0, the
 * client's query passes on rule 2, translated: the filter saw the new source. */
static void assert_filter_sees_the_translated_source(const char *rules)
{
	pk_et_start(rules);
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_OUT, dns), PK_V_PASS);
	assert_int_equal(et.v.rule, 2);
	pk_et_assert_addr(pk_et_pkt().src, PUB);
}

static void test_legacy_nat_translates_before_the_filter(void **state)
{
	(void)state;
	assert_filter_sees_the_translated_source(PK_ET_TOPO "nat on wan0 from 192.168.1.0/24 to any -> 203.0.113.2\n"
							    "block out on wan0 all\n"
							    "pass out on wan0 from 203.0.113.2 to any\n");
}

static void test_legacy_rdr_filter_sees_the_internal_address(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "rdr on wan0 proto tcp from any to 203.0.113.2 port 8080 -> 10.0.10.5 port 80\n"
			       "block in on wan0 all\npass in on wan0 proto tcp to 10.0.10.5 port 80\n");
	assert_syn_arrives(to_8080, "10.0.10.5", 80);
}

/* rdr pass: what the rule translates is not filtered (pf_test_rule skips
 * the filter rules): pf's default rule passes it, with the state the
 * translation keeps, whatever the filter rules say. */
static void test_legacy_rdr_pass_skips_the_filter(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "rdr pass on wan0 proto tcp from any to 203.0.113.2 port 8080 -> 10.0.10.5 port 80\n"
			       "block all\npass out all\n");
	assert_syn_arrives(to_8080, "10.0.10.5", 80);
	assert_int_equal(et.v.rule, PK_RT_NO_RULE);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	/* a packet the rdr rule does not take meets the filter */
	assert_int_equal(pk_et_tcp(0, et.wan, PK_DIR_IN,
				   (struct pk_tb_ends){.src = EXT, .sport = 33001, .dst = "203.0.113.2", .dport = 8081},
				   syn_in),
			 PK_V_BLOCK);
}

/* pf matches the rules after a `match ... rdr-to` against the new
 * destination (pd->ndaddr): the common "match in rdr-to, pass to the
 * server" idiom. */
static void test_match_rdr_to_is_seen_by_the_rules_after_it(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\n"
			       "pass in on wan0 proto tcp to 203.0.113.2 port 8080\n"
			       "match in on wan0 proto tcp to 203.0.113.2 port 8080 rdr-to 10.0.10.5 port 80\n"
			       "pass in on wan0 proto tcp to 10.0.10.5 port 80 label web\n"
			       "block in on wan0 proto tcp to 203.0.113.2 port 8080\n");
	assert_syn_arrives(to_8080, "10.0.10.5", 80);
	assert_int_equal(et.v.rule, 3); /* rule 4 no longer matches: the destination changed at rule 2 */
	assert_reply_leaves_from(80, 8080);
}

static void test_match_nat_to_is_seen_by_the_rules_after_it(void **state)
{
	(void)state;
	assert_filter_sees_the_translated_source(PK_ET_TOPO "match out on wan0 from 192.168.1.0/24 nat-to 203.0.113.2\n"
							    "block out on wan0 from 192.168.1.0/24\n"
							    "pass out on wan0 from 203.0.113.2 to any\n");
}

/* A quick rule before the match rule stops pf before any translation. */
static void test_a_quick_rule_before_the_match_rule_sees_no_translation(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\npass in quick on wan0 proto tcp to 203.0.113.2 port 8080\n"
			       "match in on wan0 proto tcp to port 8080 rdr-to 10.0.10.5 port 80\n");
	assert_syn_arrives(to_8080, PUB, 8080);
	assert_int_equal(et.v.rule, 1);
}

/* The deciding rule's own rdr-to replaces the match rule's. */
static void test_the_deciding_rules_translation_wins(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "block all\n"
			       "match in on wan0 proto tcp to port 8080 rdr-to 10.0.10.5 port 80\n"
			       "pass in on wan0 proto tcp to 10.0.10.5 port 80 rdr-to 10.0.10.6 port 81\n");
	assert_syn_arrives(to_8080, "10.0.10.6", 81);
	assert_int_equal(et.v.rule, 2);
}

static void test_legacy_nat_keeps_state_without_a_filter_rule(void **state)
{
	uint16_t port;

	(void)state;
	pk_et_start(PK_ET_TOPO "nat on wan0 from 192.168.1.0/24 to any -> 203.0.113.2\n");
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_OUT, dns), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	port = pk_et_pkt().sport;
	assert_int_equal(pk_et_udp(0.1, et.wan, PK_DIR_IN,
				   (struct pk_tb_ends){.src = EXT, .sport = 53, .dst = PUB, .dport = port}),
			 PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	pk_et_assert_addr(pk_et_pkt().dst, CL);
}

static void test_binat_maps_outbound_source_one_to_one(void **state)
{
	(void)state;
	pk_et_start(PK_ET_TOPO "binat on wan0 from 192.168.1.20 to any -> 203.0.113.20\n");
	assert_int_equal(pk_et_udp(0, et.wan, PK_DIR_OUT,
				   (struct pk_tb_ends){.src = "192.168.1.20", .sport = 1000, .dst = EXT, .dport = 53}),
			 PK_V_PASS);
	pk_et_assert_addr(pk_et_pkt().src, "203.0.113.20");
	assert_int_equal(pk_et_pkt().sport, 1000);
}

static void test_binat_maps_inbound_destination_to_the_internal_host(void **state)
{
	const struct pk_tb_ends ssh = {.src = EXT, .sport = 40000, .dst = "203.0.113.20", .dport = 22};
	const struct pk_tb_ends ssh_back = {.src = "192.168.1.20", .sport = 22, .dst = EXT, .dport = 40000};
	const struct pk_tb_ends telnet = {.src = EXT, .sport = 40001, .dst = "203.0.113.20", .dport = 23};
	const struct pk_tb_ends outside = {.src = EXT, .sport = 40002, .dst = "203.0.113.99", .dport = 22};

	(void)state;
	pk_et_start(PK_ET_TOPO "binat on wan0 from 192.168.1.0/24 to any -> 203.0.113.0/24\n"
			       "block in on wan0 all\npass in on wan0 proto tcp to 192.168.1.20 port 22\n");
	/* the filter sees the internal address: translation comes first */
	assert_syn_arrives(ssh, "192.168.1.20", 22);
	assert_int_equal(et.v.state_event, PK_SE_CREATED);
	assert_true(et.v.translated);
	/* the reply leaves with the external address */
	assert_int_equal(pk_et_tcp(0.1, et.wan, PK_DIR_OUT, ssh_back, syn_ack_out), PK_V_PASS);
	assert_int_equal(et.v.state_event, PK_SE_MATCHED);
	pk_et_assert_addr(pk_et_pkt().src, "203.0.113.20");
	/* another port of the same host meets the block */
	assert_int_equal(pk_et_tcp(1, et.wan, PK_DIR_IN, telnet, syn_in), PK_V_BLOCK);
	/* an address outside the external network is not translated */
	assert_int_equal(pk_et_tcp(2, et.wan, PK_DIR_IN, outside, syn_in), PK_V_BLOCK);
}

static void test_binat_inbound_respects_its_interface(void **state)
{
	const struct pk_tb_ends e = {.src = "10.0.10.5", .sport = 1000, .dst = "203.0.113.20", .dport = 53};

	(void)state;
	pk_et_start(PK_ET_TOPO "binat on wan0 from 192.168.1.20 to any -> 203.0.113.20\n");
	assert_int_equal(pk_et_udp(0, et.nas, PK_DIR_IN, e), PK_V_PASS);
	assert_false(et.v.translated);
	pk_et_assert_addr(pk_et_pkt().dst, "203.0.113.20");
}

PK_TEST_MAIN(
	cmocka_unit_test_teardown(test_legacy_rdr_pass_skips_the_filter, pk_et_teardown),
	cmocka_unit_test_teardown(test_nat_to_rewrites_source_and_back, pk_et_teardown),
	cmocka_unit_test_teardown(test_ipv6_nat_to_rewrites_source_and_back, pk_et_teardown),
	cmocka_unit_test_teardown(test_nat_to_interface_uses_its_address, pk_et_teardown),
	cmocka_unit_test_teardown(test_nat_to_gives_two_clients_distinct_ports, pk_et_teardown),
	cmocka_unit_test_teardown(test_static_port_keeps_the_source_port, pk_et_teardown),
	cmocka_unit_test_teardown(test_nat_to_port_range_is_respected, pk_et_teardown),
	cmocka_unit_test_teardown(test_rdr_to_rewrites_destination_and_back, pk_et_teardown),
	cmocka_unit_test_teardown(test_udp_nat_with_zero_checksum_stays_zero, pk_et_teardown),
	cmocka_unit_test_teardown(test_icmp_error_to_translated_address_is_translated_back, pk_et_teardown),
	cmocka_unit_test_teardown(test_icmp_error_from_redirected_server_shows_the_public_address, pk_et_teardown),
	cmocka_unit_test_teardown(test_icmp_echo_through_nat_keeps_id_and_returns, pk_et_teardown),
	cmocka_unit_test_teardown(test_legacy_nat_translates_before_the_filter, pk_et_teardown),
	cmocka_unit_test_teardown(test_legacy_rdr_filter_sees_the_internal_address, pk_et_teardown),
	cmocka_unit_test_teardown(test_match_rdr_to_is_seen_by_the_rules_after_it, pk_et_teardown),
	cmocka_unit_test_teardown(test_match_nat_to_is_seen_by_the_rules_after_it, pk_et_teardown),
	cmocka_unit_test_teardown(test_a_quick_rule_before_the_match_rule_sees_no_translation, pk_et_teardown),
	cmocka_unit_test_teardown(test_the_deciding_rules_translation_wins, pk_et_teardown),
	cmocka_unit_test_teardown(test_legacy_nat_keeps_state_without_a_filter_rule, pk_et_teardown),
	cmocka_unit_test_teardown(test_binat_maps_outbound_source_one_to_one, pk_et_teardown),
	cmocka_unit_test_teardown(test_binat_maps_inbound_destination_to_the_internal_host, pk_et_teardown),
	cmocka_unit_test_teardown(test_binat_inbound_respects_its_interface, pk_et_teardown),
)
