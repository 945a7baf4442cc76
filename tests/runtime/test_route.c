/* tests/runtime/test_route.c: the routing table's look-up (runtime/route.c)
 * against the plain rule on generated topologies: the longest prefix that
 * holds the address, the first listed (interfaces' networks, then routes)
 * among equal ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/pkb_priv.h"
#include "runtime/rule_vocab.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

static uint64_t rng = 0x243f6a8885a308d3ull;

static uint32_t draw(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Addresses near each other, so that the prefixes nest and overlap. */
static void near_addr(uint8_t af, uint8_t a[16])
{
	static const uint8_t bytes[] = {0, 1, 10, 127, 128, 192, 255};
	memset(a, 0, 16);
	for (unsigned i = 0; i < (af == PK_AF_INET ? 4u : 16u); i++)
		a[i] = bytes[draw(sizeof bytes)];
}

static void print_prefix(char *out, size_t size, uint8_t af, const uint8_t a[16], unsigned len)
{
	if (af == PK_AF_INET)
		snprintf(out, size, "%u.%u.%u.%u/%u", a[0], a[1], a[2], a[3], len);
	else
		snprintf(out, size, "%x:%x:%x:%x:%x:%x:%x:%x/%u", a[0] << 8 | a[1], a[2] << 8 | a[3], a[4] << 8 | a[5],
			 a[6] << 8 | a[7], a[8] << 8 | a[9], a[10] << 8 | a[11], a[12] << 8 | a[13], a[14] << 8 | a[15],
			 len);
}

static bool holds(const struct pkb_prefix *p, uint8_t af, const uint8_t a[16])
{
	if (p->af != af)
		return false;
	for (unsigned bit = 0; bit < p->len; bit++)
		if ((p->addr[bit / 8] ^ a[bit / 8]) & (0x80 >> (bit % 8)))
			return false;
	return true;
}

/* The plain rule, over the file's listing. */
static bool plain_route(const struct pk_rs *rs, uint8_t af, const uint8_t a[16], uint16_t *iface, uint8_t *gw_af,
			uint8_t gw[16])
{
	const struct pkb_iface *ifs = PK_RS_SEC(rs, IFACES, struct pkb_iface);
	const struct pkb_prefix *ifa = PK_RS_SEC(rs, IFADDRS, struct pkb_prefix);
	const struct pkb_route *rt = PK_RS_SEC(rs, ROUTES, struct pkb_route);
	int best = -1;
	for (uint16_t i = 0; i < PK_RS_N(rs, IFACES); i++)
		for (uint32_t k = 0; k < ifs[i].naddrs; k++) {
			const struct pkb_prefix *p = &ifa[ifs[i].addr_first + k];
			if (holds(p, af, a) && (int)p->len > best) {
				best = p->len, *iface = i, *gw_af = 0;
				memset(gw, 0, 16);
			}
		}
	for (uint32_t i = 0; i < PK_RS_N(rs, ROUTES); i++)
		if (holds(&rt[i].dst, af, a) && (int)rt[i].dst.len > best) {
			best = rt[i].dst.len, *iface = (uint16_t)rt[i].iface, *gw_af = rt[i].gw.af;
			memcpy(gw, rt[i].gw.addr, 16);
		}
	return best >= 0;
}

/* Random addresses, near the prefixes or not, give the same answer both ways. */
static void check_addresses(const struct pk_rs *rs, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t af = draw(2) ? PK_AF_INET : PK_AF_INET6, a[16], gw_af = 0, gw[16] = {0}, pgw_af = 0,
			pgw[16] = {0};
		uint16_t iface = 0, piface = 0, only = 0;
		near_addr(af, a);
		if (draw(4) == 0)
			a[draw(af == PK_AF_INET ? 4 : 16)] = (uint8_t)draw(256);
		bool got = pk_rs_route(rs, af, a, &iface, &gw_af, gw);
		bool want = plain_route(rs, af, a, &piface, &pgw_af, pgw);
		assert_int_equal(got, want);
		assert_int_equal(pk_rs_route_iface(rs, af, a, &only), want);
		if (want) {
			assert_int_equal(iface, piface);
			assert_int_equal(only, piface);
			assert_int_equal(gw_af, pgw_af);
			assert_memory_equal(gw, pgw, 16);
		}
	}
}

/* Interfaces and routes of both families, lengths from 0 to the full one. */
static char *topology(unsigned nroutes, bool full_v6_only)
{
	size_t size = 256 + nroutes * 128, at = 0;
	char *t = malloc(size), p[64];
	assert_non_null(t);
	at += (size_t)snprintf(t + at, size - at, "interface em0 address 10.0.0.1/16\n"
						   "interface em1 address 192.168.1.1/24\n"
						   "interface em2 address 2001:db8::1/64\n");
	for (unsigned i = 0; i < nroutes; i++) {
		uint8_t af = full_v6_only || draw(2) ? PK_AF_INET6 : PK_AF_INET, a[16];
		unsigned max = af == PK_AF_INET ? 32 : 128, len = full_v6_only ? max : draw(max + 1);
		near_addr(af, a);
		if (full_v6_only)
			for (unsigned k = 0; k < 16; k++)
				a[k] = (uint8_t)draw(256);
		print_prefix(p, sizeof p, af, a, len);
		at += (size_t)snprintf(t + at, size - at, "route %s via em%u\n", p, draw(3));
	}
	snprintf(t + at, size - at, "pass all\n");
	return t;
}

static void test_route_lookup_matches_the_longest_first_listed_prefix(void **st)
{
	(void)st;
	for (unsigned round = 0; round < 20; round++) {
		char *t = topology(5 + round * 4, false);
		struct pk_rs *rs = pk_test_rules(t);
		assert_non_null(rs->rtrie);
		check_addresses(rs, 4000);
		pk_rs_free(rs);
		free(t);
	}
}

/* Past the trie's memory budget the per-length groups answer, the same way. */
static void test_route_lookup_without_the_trie_gives_the_same_answers(void **st)
{
	(void)st;
	char *t = topology(600, true);
	struct pk_rs *rs = pk_test_rules(t);
	assert_null(rs->rtrie);
	check_addresses(rs, 4000);
	pk_rs_free(rs);
	free(t);
}

PK_TEST_MAIN(cmocka_unit_test(test_route_lookup_matches_the_longest_first_listed_prefix),
	     cmocka_unit_test(test_route_lookup_without_the_trie_gives_the_same_answers))
