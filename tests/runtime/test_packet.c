/*
 * tests/runtime/test_packet.c: the packet parser (runtime/packet.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/packet.h"
#include "tests/support/pktbuild.h"
#include "tests/support/testmain.h"

static struct pk_tb s;   /* the packet a test builds */
static uint8_t buf[2048];
static size_t n;        /* the length of the packet in buf */
static struct pk_pkt p; /* what the parser read from it */

/* pktbuild's defaults for a packet from 10.0.0.1 to 10.0.0.2, or with af 6
 * from 2001:db8::1 to 2001:db8::2. */
static struct pk_tb spec(uint8_t af)
{
	return af == 4 ? pk_tb_defaults(4, "10.0.0.1", "10.0.0.2") : pk_tb_defaults(6, "2001:db8::1", "2001:db8::2");
}

/* Each test starts from an IPv4 or IPv6 packet with pktbuild's defaults. */
PK_TEST_FIXTURE(start_ipv4, s = spec(4))

PK_TEST_FIXTURE(start_ipv6, s = spec(6))

static void build(const struct pk_tb *t)
{
	n = pk_tb_build(t, buf, sizeof(buf));
}

/* The parser's reason for the packet in buf, what it read in p. */
static enum pk_drop_reason parse(void)
{
	return pk_pkt_parse(buf, n, &p);
}

/* The ports q carries (an ICMP query's id in both). */
static void assert_ports(const struct pk_pkt *q, uint16_t sport, uint16_t dport)
{
	assert_int_equal(q->sport, sport);
	assert_int_equal(q->dport, dport);
}

/* Build s and parse it. */
static enum pk_drop_reason parse_built(void)
{
	build(&s);
	return parse();
}

static void test_ipv4_tcp_syn_options_are_read(void **st)
{
	(void)st;
	s.sport = 40000, s.dport = 22, s.seq = 1000, s.flags = PK_TH_SYN;
	s.mss = 1460, s.wscale = 7, s.sack_perm = true, s.ts = true, s.tsval = 77, s.tsecr = 0;
	assert_int_equal(parse_built(), PK_REASON_NONE);
	assert_int_equal(p.af, 4);
	assert_int_equal(p.proto, 6);
	assert_ports(&p, 40000, 22);
	assert_int_equal(p.seq, 1000);
	assert_int_equal(p.th_flags, PK_TH_SYN);
	assert_int_equal(p.opt.mss, 1460);
	assert_int_equal(p.opt.wscale, 7);
	assert_true(p.opt.sack_perm);
	assert_true(p.opt.ts);
	assert_int_equal(p.opt.tsval, 77);
	assert_int_equal(p.p_len, 0);
	assert_false(p.ip_options);
	assert_true(pk_tb_cksums_ok(buf, n));
}

static void test_window_scale_above_14_is_clamped(void **st)
{
	(void)st;
	s.sport = 1, s.dport = 2, s.flags = PK_TH_SYN, s.wscale = 20;
	assert_int_equal(parse_built(), PK_REASON_NONE);
	assert_int_equal(p.opt.wscale, 14);
}

static void test_ipv6_udp_payload_length(void **st)
{
	(void)st;
	s.proto = 17, s.sport = 5353, s.dport = 53, s.payload = 30;
	assert_int_equal(parse_built(), PK_REASON_NONE);
	assert_int_equal(p.af, 6);
	assert_int_equal(p.proto, 17);
	assert_ports(&p, 5353, 53);
	assert_int_equal(p.p_len, 30);
	assert_int_equal(p.l4_off, 40);
	assert_true(pk_tb_cksums_ok(buf, n));
}

static void test_icmp_echo_id_keys_both_ports(void **st)
{
	(void)st;
	s.proto = 1, s.icmp_type = 8, s.icmp_id = 0x1234, s.payload = 56;
	assert_int_equal(parse_built(), PK_REASON_NONE);
	assert_int_equal(p.icmp_type, 8);
	assert_ports(&p, 0x1234, 0x1234);
	assert_false(p.icmp_error);
}

static void test_icmp_unreachable_points_at_quoted_packet(void **st)
{
	struct pk_tb q = pk_tb_defaults(4, "10.0.0.2", "10.0.0.1");
	struct pk_tb err = pk_tb_defaults(4, "10.0.0.9", "10.0.0.2");
	uint8_t inner[128];
	struct pk_pkt ip;
	size_t qn;

	(void)st;
	q.proto = 17, q.sport = 1000, q.dport = 53;
	qn = pk_tb_build(&q, inner, sizeof(inner));
	err.proto = 1, err.icmp_type = 3, err.icmp_code = 3, err.quote = inner, err.quote_len = qn;
	build(&err);
	assert_int_equal(parse(), PK_REASON_NONE);
	assert_true(p.icmp_error);
	assert_int_equal(pk_pkt_parse_quoted(buf + p.inner_off, n - p.inner_off, &ip), PK_REASON_NONE);
	assert_ports(&ip, 1000, 53);
}

/* Every prefix of a valid packet is refused with a reason, never read past. */
static void truncate_all(const struct pk_tb *t)
{
	uint8_t copy[2048];
	size_t k;

	build(t);
	for (k = 0; k < n; k++) {
		memcpy(copy, buf, k);
		assert_int_not_equal(pk_pkt_parse(copy, k, &p), PK_REASON_NONE);
	}
	assert_int_equal(parse(), PK_REASON_NONE);
}

static void test_truncation_at_every_length_is_refused(void **st)
{
	struct pk_tb t4 = spec(4), t6 = spec(6);

	(void)st;
	t4.sport = t6.sport = 1, t4.dport = t6.dport = 80;
	t4.mss = t6.mss = 1400, t4.ts = t6.ts = true, t4.payload = 10;
	truncate_all(&t4);
	truncate_all(&t6);
	t4.proto = t6.proto = 17;
	truncate_all(&t4);
	truncate_all(&t6);
	t4.proto = 1, t6.proto = 58, t4.icmp_type = 8, t6.icmp_type = 128;
	truncate_all(&t4);
	truncate_all(&t6);
}

static void test_garbage_bytes_never_crash(void **st)
{
	uint8_t g[128];
	unsigned i, k;
	uint32_t x = 12345;

	(void)st;
	for (i = 0; i < 20000; i++) {
		for (k = 0; k < sizeof(g); k++) {
			x = x * 1103515245u + 12345u;
			g[k] = (uint8_t)(x >> 16);
		}
		g[0] = (uint8_t)((i & 1 ? 0x40 : 0x60) | (g[0] & 0x0f));
		(void)pk_pkt_parse(g, 20 + i % 108, &p);
		(void)pk_pkt_parse_quoted(g, 20 + i % 108, &p);
	}
}

static void test_ipv4_options_are_flagged(void **st)
{
	(void)st;
	s.proto = 17, s.sport = 1, s.dport = 2, s.ipopt_len = 8;
	assert_int_equal(parse_built(), PK_REASON_NONE);
	assert_true(p.ip_options);
	assert_int_equal(p.l4_off, 28);
}

static void test_malformed_ipv4_option_is_ip_option(void **st)
{
	(void)st;
	s.proto = 17, s.sport = 1, s.dport = 2, s.ipopt_len = 8;
	build(&s);
	buf[21] = 40; /* option longer than the header */
	assert_int_equal(parse(), PK_REASON_IP_OPTION);
}

static void test_tcp_data_offset_below_five_is_bad_offset(void **st)
{
	(void)st;
	s.sport = 1, s.dport = 2, s.flags = PK_TH_ACK;
	build(&s);
	buf[20 + 12] = 0x40;
	assert_int_equal(parse(), PK_REASON_BAD_OFFSET);
}

static void test_tcp_to_port_zero_is_short(void **st)
{
	(void)st;
	s.sport = 1, s.dport = 0, s.flags = PK_TH_SYN;
	assert_int_equal(parse_built(), PK_REASON_SHORT);
}

static void test_later_fragment_has_no_ports(void **st)
{
	(void)st;
	s.proto = 17, s.frag_off = 1480, s.ip_id = 9, s.payload = 100;
	assert_int_equal(parse_built(), PK_REASON_NONE);
	assert_true(p.fragment);
	assert_false(p.frag_first);
	assert_int_equal(p.frag_off, 1480);
	assert_ports(&p, 0, 0);
	assert_int_equal(p.frag_id, 9);
}

static void test_fragment_past_64k_is_bad_offset(void **st)
{
	(void)st;
	s.proto = 17, s.frag_off = 65528, s.payload = 100;
	assert_int_equal(parse_built(), PK_REASON_BAD_OFFSET);
}

static void test_ipv6_routing_type0_is_ip_option(void **st)
{
	(void)st;
	s.proto = 43, s.payload = 16;
	build(&s);
	memset(buf + 40, 0, 16);
	buf[40] = 17, buf[41] = 1, buf[42] = 0;
	assert_int_equal(parse(), PK_REASON_IP_OPTION);
	buf[42] = 2;
	assert_int_equal(parse(), PK_REASON_SHORT); /* no room for the UDP header */
}

static void test_ipv6_fragment_header_is_walked(void **st)
{
	(void)st;
	s.proto = 44, s.payload = 8 + 8 + 4;
	build(&s);
	memset(buf + 40, 0, 8);
	buf[40] = 17, buf[43] = 1, buf[47] = 5; /* first fragment, more follow, id 5 */
	buf[48 + 4] = 0, buf[48 + 5] = 12;      /* UDP length 12 */
	buf[48 + 2] = 0, buf[48 + 3] = 53;
	assert_int_equal(parse(), PK_REASON_NONE);
	assert_true(p.fragment);
	assert_true(p.frag_first);
	assert_int_equal(p.frag_id, 5);
	assert_int_equal(p.proto, 17);
	assert_int_equal(p.l4_off, 48);
	assert_int_equal(p.dport, 53);
}

static void test_ethernet_vlan_is_stripped(void **st)
{
	uint8_t f[64] = {0};
	uint8_t af = 0;

	(void)st;
	f[12] = 0x81, f[13] = 0x00, f[16] = 0x86, f[17] = 0xdd;
	assert_int_equal(pk_pkt_strip_ether(f, sizeof(f), &af), 18);
	assert_int_equal(af, 6);
	f[16] = 0x08, f[17] = 0x06; /* ARP */
	assert_int_equal(pk_pkt_strip_ether(f, sizeof(f), &af), -1);
	assert_int_equal(pk_pkt_strip_ether(f, 13, &af), -1);
}

PK_TEST_MAIN(
	cmocka_unit_test_setup(test_ipv4_tcp_syn_options_are_read, start_ipv4),
	cmocka_unit_test_setup(test_window_scale_above_14_is_clamped, start_ipv4),
	cmocka_unit_test_setup(test_ipv6_udp_payload_length, start_ipv6),
	cmocka_unit_test_setup(test_icmp_echo_id_keys_both_ports, start_ipv4),
	cmocka_unit_test(test_icmp_unreachable_points_at_quoted_packet),
	cmocka_unit_test(test_truncation_at_every_length_is_refused),
	cmocka_unit_test(test_garbage_bytes_never_crash),
	cmocka_unit_test_setup(test_ipv4_options_are_flagged, start_ipv4),
	cmocka_unit_test_setup(test_malformed_ipv4_option_is_ip_option, start_ipv4),
	cmocka_unit_test_setup(test_tcp_data_offset_below_five_is_bad_offset, start_ipv4),
	cmocka_unit_test_setup(test_tcp_to_port_zero_is_short, start_ipv4),
	cmocka_unit_test_setup(test_later_fragment_has_no_ports, start_ipv4),
	cmocka_unit_test_setup(test_fragment_past_64k_is_bad_offset, start_ipv4),
	cmocka_unit_test_setup(test_ipv6_routing_type0_is_ip_option, start_ipv6),
	cmocka_unit_test_setup(test_ipv6_fragment_header_is_walked, start_ipv6),
	cmocka_unit_test(test_ethernet_vlan_is_stripped),
)
