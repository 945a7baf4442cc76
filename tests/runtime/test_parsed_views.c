/*
 * tests/runtime/test_parsed_views.c: what replay's reading thread derives
 * from pk_pkt_parse's view of a packet (pk_replay_route_addrs,
 * pk_engine_flow_hash_parsed, pk_stall_view_parsed) is exactly what the
 * functions reading its bytes work out (pk_replay_route_ahead,
 * pk_engine_flow_hash, pk_stall_view), on every packet the parser accepts:
 * IPv4 and IPv6, TCP, UDP, ICMP and others, fragments, options and
 * extension headers, cut short, padded, and with their bytes changed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/packet.h"
#include "runtime/replay.h"
#include "runtime/stall.h"
#include "tests/support/pktbuild.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define SEED 0x5eed5eed12345678ull

/* Routes and the firewall's own addresses in both families, so that the
 * packets below are routed, addressed to it, or not routed at all. */
#define TOPO                                                          \
	"interface lan0 address 192.168.1.1/24, 2001:db8:1::1/64\n"   \
	"interface opt1 address 10.0.10.1/24\n"                       \
	"interface wan0 address 203.0.113.2/24, 2001:db8:ff::2/64\n"  \
	"route 198.51.100.0/24 via opt1 gateway 10.0.10.254\n"

static const char *const ends4[][2] = {
	{"192.168.1.10", "198.51.100.7"}, /* routed */
	{"10.0.10.5", "192.168.1.1"},     /* to the firewall */
	{"8.8.8.8", "9.9.9.9"},           /* from and to nowhere known */
};
static const char *const ends6[][2] = {
	{"2001:db8:1::10", "2001:db8:ff::7"},
	{"2001:db8:ff::9", "2001:db8:1::1"},
	{"2001:db8:77::1", "2001:db8:88::1"},
};

/* What was met, so that no kind of packet passes unchecked. */
struct tally {
	unsigned accepted, hashed, followed, v6_ext, fragments;
};

static struct pk_rs *rs;
static struct tally seen;

PK_TEST_FIXTURE(load_rules, rs = pk_test_rules(TOPO))

PK_TEST_FIXTURE(free_rules, pk_rs_free(rs))

/* The views of ip[0..len) both ways, when the parser accepts it. */
static void check(const uint8_t *ip, size_t len)
{
	struct pk_pkt p;
	if (pk_pkt_parse(ip, len, &p) != PK_REASON_NONE)
		return;
	for (int infer = 0; infer < 2; infer++) {
		struct pk_replay_route want, got;
		pk_replay_route_ahead(rs, ip, len, infer, &want);
		pk_replay_route_addrs(rs, p.af, p.src, p.dst, infer, &got);
		assert_memory_equal(&got, &want, sizeof want);
	}
	uint32_t want_hash[2], got_hash[2];
	pk_engine_flow_hash(SEED, ip, len, want_hash);
	pk_engine_flow_hash_parsed(SEED, &p, got_hash);
	assert_memory_equal(got_hash, want_hash, sizeof want_hash);
	struct pk_stall_view want_view, got_view;
	pk_stall_view(ip, len, &want_view);
	pk_stall_view_parsed(&p, &got_view);
	assert_memory_equal(&got_view, &want_view, sizeof want_view);
	seen.accepted++;
	seen.hashed += want_hash[0] != 0;
	seen.followed += want_view.tcp;
	seen.v6_ext += p.af == PK_AF_INET6 && p.l4_off != 40;
	seen.fragments += p.fragment;
}

/* The packet, every part of it cut short, and with padding after it. */
static void check_cuts(const uint8_t *ip, size_t len)
{
	uint8_t padded[2048];
	for (size_t k = 0; k <= len; k++)
		check(ip, k);
	memcpy(padded, ip, len);
	memset(padded + len, 0x5a, 12);
	check(padded, len + 12);
}

static uint32_t rng = 2463534242u;

static uint32_t draw(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

/* Copies of the packet with a few of its header bytes changed: versions,
 * lengths, fragment fields, protocols and ports the builder never makes. */
static void check_changed(const uint8_t *ip, size_t len)
{
	uint8_t b[2048];
	for (int i = 0; i < 3000; i++) {
		memcpy(b, ip, len);
		for (uint32_t k = 1 + draw(3); k; k--)
			b[draw(len < 72 ? (uint32_t)len : 72)] = (uint8_t)draw(256);
		check(b, len);
	}
}

static void check_all(const uint8_t *ip, size_t len)
{
	check_cuts(ip, len);
	check_changed(ip, len);
}

/* An IPv6 extension header of type nxt (8 bytes; for a fragment header,
 * frag its offset and M bit word) put in front of the upper layer. */
static size_t insert_ext6(uint8_t *b, size_t len, uint8_t type, uint16_t frag)
{
	memmove(b + 48, b + 40, len - 40);
	memset(b + 40, 0, 8);
	b[40] = b[6];
	if (type == 43)
		b[42] = 2; /* routing type 2: pf lets it through */
	if (type == 44) {
		pk_put16(b + 42, frag);
		pk_put32(b + 44, 77);
	}
	b[6] = type;
	pk_put16(b + 4, (uint16_t)(pk_get16(b + 4) + 8));
	return len + 8;
}

/* Each protocol in each family between each pair of ends. */
static void test_whole_packets_give_the_same_views(void **st)
{
	static const uint8_t protos[] = {6, 17, 1, 47};
	(void)st;
	for (int af = 4; af <= 6; af += 2)
		for (size_t e = 0; e < PK_NELEMS(ends4); e++)
			for (size_t k = 0; k < PK_NELEMS(protos); k++) {
				const char *const *ends = af == 4 ? ends4[e] : ends6[e];
				struct pk_tb s = pk_tb_defaults((uint8_t)af, ends[0], ends[1]);
				uint8_t b[2048];
				s.proto = protos[k] == 1 && af == 6 ? 58 : protos[k];
				s.sport = 40000, s.dport = 443, s.flags = PK_TH_SYN, s.payload = 12;
				s.icmp_type = af == 4 ? 8 : 128, s.icmp_id = 9;
				check_all(b, pk_tb_build(&s, b, sizeof b));
				s.mss = 1460, s.wscale = 7, s.ts = true, s.ipopt_len = af == 4 ? 8 : 0;
				check_all(b, pk_tb_build(&s, b, sizeof b));
			}
	assert_true(seen.hashed > 0 && seen.followed > 0 && seen.hashed < seen.accepted);
}

/* First and later IPv4 fragments of TCP and UDP. */
static void test_ipv4_fragments_give_the_same_views(void **st)
{
	static const struct {
		uint16_t off;
		bool mf;
	} frags[] = {{0, true}, {8, true}, {1480, false}};
	(void)st;
	for (size_t k = 0; k < PK_NELEMS(frags); k++)
		for (uint8_t proto = 6; proto <= 17; proto += 11) {
			struct pk_tb s = pk_tb_defaults(4, ends4[0][0], ends4[0][1]);
			uint8_t b[2048];
			s.proto = proto, s.sport = 5000, s.dport = 53, s.payload = 24;
			s.frag_off = frags[k].off, s.mf = frags[k].mf;
			check_all(b, pk_tb_build(&s, b, sizeof b));
		}
	assert_true(seen.fragments > 0);
}

/* IPv6 with hop-by-hop, routing, destination options and fragment
 * headers, one or two, before TCP, UDP and ICMPv6. */
static void test_ipv6_extension_headers_give_the_same_views(void **st)
{
	static const struct {
		uint8_t first, second;
		uint16_t frag;
	} chains[] = {{0, 0, 0},  {43, 0, 0},  {60, 0, 0},      {44, 0, 1},
		      {44, 0, 8}, {0, 60, 0},  {60, 44, 0x0101}, {0, 44, 0}};
	static const uint8_t protos[] = {6, 17, 58};
	(void)st;
	for (size_t c = 0; c < PK_NELEMS(chains); c++)
		for (size_t k = 0; k < PK_NELEMS(protos); k++) {
			struct pk_tb s = pk_tb_defaults(6, ends6[0][0], ends6[0][1]);
			uint8_t b[2048];
			s.proto = protos[k], s.sport = 6000, s.dport = 22, s.flags = PK_TH_ACK, s.payload = 16;
			s.icmp_type = 128;
			size_t len = pk_tb_build(&s, b, sizeof b);
			if (chains[c].second)
				len = insert_ext6(b, len, chains[c].second, chains[c].frag);
			len = insert_ext6(b, len, chains[c].first, chains[c].frag);
			check_all(b, len);
		}
	assert_true(seen.v6_ext > 0);
}

/* Bytes that are hardly a packet: any version, any lengths. */
static void test_random_bytes_give_the_same_views(void **st)
{
	uint8_t b[96];
	(void)st;
	for (int i = 0; i < 200000; i++) {
		for (size_t k = 0; k < sizeof b; k++)
			b[k] = (uint8_t)draw(256);
		/* mostly lengths and protocols the parser takes, the rest random */
		static const uint8_t protos[] = {6, 17, 1, 58, 0, 44, 60};
		uint8_t proto = protos[draw(PK_NELEMS(protos))];
		if (i & 1) {
			b[0] = (uint8_t)(0x40 | (i & 2 ? 5 : b[0] & 0x0f));
			pk_put16(b + 2, (uint16_t)(20 + draw(77)));
			b[9] = proto;
		} else {
			b[0] = (uint8_t)(0x60 | (b[0] & 0x0f));
			pk_put16(b + 4, (uint16_t)draw(57));
			b[6] = proto;
		}
		check(b, 20 + draw(77));
	}
}

PK_TEST_MAIN_GROUP(load_rules, free_rules, cmocka_unit_test(test_whole_packets_give_the_same_views),
		   cmocka_unit_test(test_ipv4_fragments_give_the_same_views),
		   cmocka_unit_test(test_ipv6_extension_headers_give_the_same_views),
		   cmocka_unit_test(test_random_bytes_give_the_same_views))
