/*
 * tests/runtime/test_afto.c: af-to's addresses and the rewrite of a packet
 * into the other family (runtime/afto.c).
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/afto.h"
#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "runtime/pktgen.h"
#include "runtime/proto.h"
#include "runtime/wire.h"
#include "tests/support/testmain.h"

static void addr(const char *s, uint8_t out[16])
{
	memset(out, 0, 16);
	assert_int_equal(inet_pton(strchr(s, ':') ? AF_INET6 : AF_INET, s, out), 1);
}

static struct pk_pkt parse(const uint8_t *ip, size_t len)
{
	struct pk_pkt p;
	assert_int_equal(pk_pkt_parse(ip, len, &p), PK_REASON_NONE);
	return p;
}

/* The upper-layer checksum of a parsed packet verifies: the sum over the
 * pseudo-header (not for ICMP) and the segment folds to zero. */
static void assert_l4_sum_ok(const uint8_t *ip, const struct pk_pkt *p)
{
	uint32_t len = p->tot_len - p->l4_off;
	uint32_t sum = p->proto == PK_PROTO_ICMP ? 0 : pk_cksum_pseudo(p->af, p->src, p->dst, p->proto, len);
	assert_int_equal(pk_cksum_fold(pk_cksum_add(sum, ip + p->l4_off, len)), 0);
}

static size_t tcp(uint8_t af, const char *src, const char *dst, uint8_t flags, uint8_t *buf)
{
	uint8_t s[16], d[16];
	addr(src, s);
	addr(dst, d);
	struct pk_gen_tcp t = {.af = af, .src = s, .dst = d, .sport = 40000, .dport = 80, .seq = 1000,
			       .ack = flags & PK_TH_ACK ? 5001 : 0, .flags = flags, .win = 65535, .mss = 1400, .ttl = 60};
	size_t n = pk_gen_tcp(&t, buf, 256);
	assert_true(n > 0);
	return n;
}

static const struct pk_afto nat64 = {.af = PK_AF_INET, .from = {198, 51, 100, 1}, .from_len = 32, .rule_dst_len = 96};

/* pass in inet6 to 64:ff9b::/96 af-to inet from 198.51.100.1: the SYN
 * leaves as IPv4 to the embedded 198.51.100.7 with the segment unchanged
 * but for its checksum, which verifies over the IPv4 pseudo-header. */
static void test_v6_syn_becomes_v4_with_correct_checksums(void **state)
{
	(void)state;
	uint8_t buf[256], want[256], src[16], dst[16];
	size_t n = tcp(PK_AF_INET6, "2001:db8::10", "64:ff9b::c633:6407", PK_TH_SYN, buf);
	struct pk_pkt p = parse(buf, n);
	assert_true(pk_afto_addrs(&nat64, &p, src, dst));
	size_t m = pk_afto_rewrite(buf, n, sizeof(buf), &p, PK_AF_INET, src, dst);
	assert_int_equal(m, n - 20);
	struct pk_pkt q = parse(buf, m);
	assert_int_equal(q.af, PK_AF_INET);
	assert_int_equal(q.ttl, 60);
	assert_true(q.df);
	assert_memory_equal(q.src, ((uint8_t[4]){198, 51, 100, 1}), 4);
	assert_memory_equal(q.dst, ((uint8_t[4]){198, 51, 100, 7}), 4);
	assert_int_equal(q.sport, 40000);
	assert_int_equal(q.dport, 80);
	assert_int_equal(pk_cksum_fold(pk_cksum_add(0, buf, PK_IP4_HLEN)), 0);
	assert_l4_sum_ok(buf, &q);
	size_t w = tcp(PK_AF_INET, "198.51.100.1", "198.51.100.7", PK_TH_SYN, want);
	assert_int_equal(w, m);
	assert_memory_equal(buf + q.l4_off, want + q.l4_off, m - q.l4_off);
}

/* The IPv4 SYN-ACK back, rewritten with the state's IPv6 addresses, is the
 * segment the IPv6 peer expects, checksum included. */
static void test_v4_reply_becomes_v6(void **state)
{
	(void)state;
	uint8_t buf[256], want[256], src[16], dst[16];
	size_t n = tcp(PK_AF_INET, "198.51.100.7", "198.51.100.1", PK_TH_SYN | PK_TH_ACK, buf);
	struct pk_pkt p = parse(buf, n);
	addr("64:ff9b::c633:6407", src);
	addr("2001:db8::10", dst);
	size_t m = pk_afto_rewrite(buf, n, sizeof(buf), &p, PK_AF_INET6, src, dst);
	assert_int_equal(m, n + 20);
	struct pk_pkt q = parse(buf, m);
	assert_int_equal(q.af, PK_AF_INET6);
	assert_int_equal(q.ttl, 60);
	assert_l4_sum_ok(buf, &q);
	size_t w = tcp(PK_AF_INET6, "64:ff9b::c633:6407", "2001:db8::10", PK_TH_SYN | PK_TH_ACK, want);
	assert_int_equal(w, m);
	assert_memory_equal(buf + PK_IP6_HLEN, want + PK_IP6_HLEN, m - PK_IP6_HLEN);
}

/* An echo request of family af (8 bytes of header, 8 of data). */
static size_t echo(uint8_t af, const char *src, const char *dst, uint8_t type, uint8_t *buf)
{
	const size_t hl = af == PK_AF_INET ? PK_IP4_HLEN : PK_IP6_HLEN, n = hl + 16;
	uint8_t s[16], d[16];
	addr(src, s);
	addr(dst, d);
	memset(buf, 0, n);
	if (af == PK_AF_INET) {
		buf[PK_IP4_OFF_VHL] = 0x45;
		pk_put16(buf + PK_IP4_OFF_LEN, (uint16_t)n);
		buf[PK_IP4_OFF_TTL] = 64;
		buf[PK_IP4_OFF_PROTO] = PK_PROTO_ICMP;
		memcpy(buf + PK_IP4_OFF_SRC, s, 4);
		memcpy(buf + PK_IP4_OFF_DST, d, 4);
		pk_cksum_ip4_header(buf);
	} else {
		buf[0] = 0x60;
		pk_put16(buf + PK_IP6_OFF_PLEN, 16);
		buf[PK_IP6_OFF_NXT] = PK_PROTO_ICMP6;
		buf[PK_IP6_OFF_HLIM] = 64;
		memcpy(buf + PK_IP6_OFF_SRC, s, 16);
		memcpy(buf + PK_IP6_OFF_DST, d, 16);
	}
	buf[hl] = type;
	pk_put16(buf + hl + 4, 0x1234); /* id */
	pk_put16(buf + hl + 6, 7);      /* sequence */
	memcpy(buf + hl + 8, "pingdata", 8);
	assert_true(pk_cksum_l4(buf, n));
	return n;
}

/* ICMPv6 echo request to ICMP echo, and the ICMP echo reply back to an
 * ICMPv6 one: types mapped, id, sequence and data kept, checksums right
 * (ICMP's without a pseudo-header, ICMPv6's with one). */
static void test_icmp6_echo_becomes_icmp_echo_and_back(void **state)
{
	(void)state;
	uint8_t buf[128], src[16], dst[16];
	size_t n = echo(PK_AF_INET6, "2001:db8::10", "64:ff9b::c633:6407", PK_ICMP6_ECHO_REQUEST, buf);
	struct pk_pkt p = parse(buf, n);
	assert_true(pk_afto_addrs(&nat64, &p, src, dst));
	size_t m = pk_afto_rewrite(buf, n, sizeof(buf), &p, PK_AF_INET, src, dst);
	assert_int_equal(m, PK_IP4_HLEN + 16);
	struct pk_pkt q = parse(buf, m);
	assert_int_equal(q.proto, PK_PROTO_ICMP);
	assert_int_equal(q.icmp_type, PK_ICMP_ECHO);
	assert_int_equal(q.icmp_id, 0x1234);
	assert_memory_equal(buf + PK_IP4_HLEN + 8, "pingdata", 8);
	assert_l4_sum_ok(buf, &q);

	n = echo(PK_AF_INET, "198.51.100.7", "198.51.100.1", PK_ICMP_ECHOREPLY, buf);
	p = parse(buf, n);
	addr("64:ff9b::c633:6407", src);
	addr("2001:db8::10", dst);
	m = pk_afto_rewrite(buf, n, sizeof(buf), &p, PK_AF_INET6, src, dst);
	assert_int_equal(m, PK_IP6_HLEN + 16);
	q = parse(buf, m);
	assert_int_equal(q.proto, PK_PROTO_ICMP6);
	assert_int_equal(q.icmp_type, PK_ICMP6_ECHO_REPLY);
	assert_memory_equal(buf + PK_IP6_HLEN + 8, "pingdata", 8);
	assert_l4_sum_ok(buf, &q);
}

/* ICMP other than echo (an error would need its quote rewritten too) and
 * fragments are left alone. */
static void test_what_is_not_translated(void **state)
{
	(void)state;
	uint8_t buf[128], src[16] = {0}, dst[16] = {0};
	size_t n = echo(PK_AF_INET6, "2001:db8::10", "64:ff9b::c633:6407", PK_ICMP6_DST_UNREACH, buf);
	struct pk_pkt p = parse(buf, n);
	assert_int_equal(pk_afto_rewrite(buf, n, sizeof(buf), &p, PK_AF_INET, src, dst), 0);
	n = echo(PK_AF_INET, "198.51.100.7", "198.51.100.1", PK_ICMP_ECHO, buf);
	p = parse(buf, n);
	p.fragment = true;
	assert_int_equal(pk_afto_rewrite(buf, n, sizeof(buf), &p, PK_AF_INET6, src, dst), 0);
	assert_int_equal(pk_afto_rewrite(buf, n, n + 19, &p, PK_AF_INET6, src, dst), 0);
}

/* RFC 6052's table: 192.0.2.33 in the prefix 2001:db8:122:344::/N for each
 * defined N, embedded (NAT46, `from` giving the prefix) and extracted back
 * (NAT64, the rule's destination prefix giving the length). */
static void test_rfc6052_embedding_at_every_prefix_length(void **state)
{
	(void)state;
	static const struct {
		uint8_t len;
		const char *v6;
	} t[] = {{32, "2001:db8:c000:221::"},         {40, "2001:db8:1c0:2:21::"},
		 {48, "2001:db8:122:c000:2:2100::"},  {56, "2001:db8:122:3c0:0:221::"},
		 {64, "2001:db8:122:344:c0:2:2100:0"}, {96, "2001:db8:122:344::c000:221"}};
	for (size_t i = 0; i < PK_NELEMS(t); i++) {
		struct pk_afto a = {.af = PK_AF_INET6, .from_len = t[i].len};
		struct pk_pkt p = {.af = PK_AF_INET};
		uint8_t src[16], dst[16], want[16];
		addr("2001:db8:122:344::", a.from);
		addr("192.0.2.33", p.dst);
		addr(t[i].v6, want);
		assert_true(pk_afto_addrs(&a, &p, src, dst));
		assert_memory_equal(dst, want, 16);
		struct pk_afto b = {.af = PK_AF_INET, .from = {198, 51, 100, 1}, .from_len = 32, .rule_dst_len = t[i].len};
		struct pk_pkt q = {.af = PK_AF_INET6};
		memcpy(q.dst, want, 16);
		assert_true(pk_afto_addrs(&b, &q, src, dst));
		assert_memory_equal(dst, ((uint8_t[16]){192, 0, 2, 33}), 16);
	}
}

/* `to` decides the destination: an IPv4 host as it is, an IPv4 prefix with
 * the packet's low bits below it; an IPv6 prefix embeds. A rule without a
 * destination prefix takes 96; a length RFC 6052 does not define fails. */
static void test_to_and_the_default_prefix(void **state)
{
	(void)state;
	uint8_t src[16], dst[16], want[16];
	struct pk_pkt p = {.af = PK_AF_INET6};
	addr("64:ff9b::c633:6407", p.dst);
	struct pk_afto a = nat64;
	a.rule_dst_len = 0;
	assert_true(pk_afto_addrs(&a, &p, src, dst));
	assert_memory_equal(dst, ((uint8_t[16]){198, 51, 100, 7}), 16);
	addr("10.1.2.3", a.to);
	a.to_len = 32;
	assert_true(pk_afto_addrs(&a, &p, src, dst));
	assert_memory_equal(dst, ((uint8_t[16]){10, 1, 2, 3}), 16);
	a.to_len = 16;
	assert_true(pk_afto_addrs(&a, &p, src, dst));
	assert_memory_equal(dst, ((uint8_t[16]){10, 1, 100, 7}), 16);
	a.to_len = 0;
	a.rule_dst_len = 100;
	assert_false(pk_afto_addrs(&a, &p, src, dst));

	struct pk_afto b = {.af = PK_AF_INET6, .from_len = 128, .to_len = 96};
	addr("2001:db8::1", b.from);
	addr("2001:db8:64::", b.to);
	struct pk_pkt q = {.af = PK_AF_INET};
	addr("192.0.2.33", q.dst);
	assert_true(pk_afto_addrs(&b, &q, src, dst));
	addr("2001:db8:64::c000:221", want);
	assert_memory_equal(dst, want, 16);
	assert_memory_equal(src, b.from, 16);
	b.to_len = 0; /* from's /128 is taken as /96 */
	assert_true(pk_afto_addrs(&b, &q, src, dst));
	addr("2001:db8::c000:221", want);
	assert_memory_equal(dst, want, 16);
}

PK_TEST_MAIN(cmocka_unit_test(test_v6_syn_becomes_v4_with_correct_checksums),
	     cmocka_unit_test(test_v4_reply_becomes_v6),
	     cmocka_unit_test(test_icmp6_echo_becomes_icmp_echo_and_back),
	     cmocka_unit_test(test_what_is_not_translated),
	     cmocka_unit_test(test_rfc6052_embedding_at_every_prefix_length),
	     cmocka_unit_test(test_to_and_the_default_prefix))
