/* tests/daemon/test_icmp.c: the ICMP packets picketd answers with as a router. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/icmp.h"
#include "runtime/cksum.h"
#include "runtime/proto.h"
#include "runtime/ruleset.h"
#include "tests/support/testmain.h"

/* An IPv4 TCP SYN 192.168.1.10:40000 -> 10.0.10.5:22, checksums and all. */
static uint8_t syn[40];

static int make_syn(void **state)
{
	static const uint8_t client[16] = {192, 168, 1, 10}, server[16] = {10, 0, 10, 5};
	const struct pk_gen_tcp t = {.af = PK_AF_INET, .src = client, .dst = server, .sport = 40000, .dport = 22,
				     .flags = PK_TH_SYN, .win = 8192};
	(void)state;
	return pk_gen_tcp(&t, syn, sizeof(syn)) == sizeof(syn) ? 0 : -1;
}

static bool header_ok(const uint8_t *ip)
{
	return pk_cksum_fold(pk_cksum_add(0, ip, (size_t)(ip[0] & 15) * 4)) == 0;
}

/* The error a router sends from me. */
static struct pk_gen_icmp error4(const uint8_t *me, uint8_t type, uint8_t code)
{
	return (struct pk_gen_icmp){.af = PK_AF_INET, .src = me, .type = type, .code = code, .router = true};
}

static void test_time_exceeded_quotes_the_packet_and_is_addressed_to_its_source(void **state)
{
	uint8_t out[600];
	const uint8_t me[16] = {192, 168, 1, 1};
	const struct pk_gen_icmp g = error4(me, 11, 0);
	(void)state;
	size_t n = pk_router_icmp_build(&g, syn, sizeof(syn), out, sizeof(out));
	assert_int_equal(n, 20 + 8 + sizeof(syn));
	assert_true(header_ok(out));
	assert_memory_equal(out + 12, me, 4);
	assert_memory_equal(out + 16, syn + 12, 4);
	assert_int_equal(out[20], 11);
	assert_int_equal(pk_cksum_fold(pk_cksum_add(0, out + 20, n - 20)), 0);
	assert_memory_equal(out + 28, syn, sizeof(syn));
}

static void test_icmp_error_is_never_answered_with_an_icmp_error(void **state)
{
	uint8_t err1[600], err2[600];
	const uint8_t me[16] = {10, 0, 10, 1};
	const struct pk_gen_icmp unreach = error4(me, 3, 3), timxceed = error4(me, 11, 0);
	(void)state;
	size_t n = pk_router_icmp_build(&unreach, syn, sizeof(syn), err1, sizeof(err1));
	assert_true(n > 0);
	assert_int_equal(pk_router_icmp_build(&timxceed, err1, n, err2, sizeof(err2)), 0);
}

static void test_echo_request_becomes_a_valid_reply(void **state)
{
	uint8_t p[28] = {0x45, 0, 0, 28, 0, 1, 0, 0, 1, 1, 0, 0, 192, 168, 1, 10, 192, 168, 1, 1,
			 8, 0, 0, 0, 0x12, 0x34, 0, 1};
	(void)state;
	pk_cksum_ip4_header(p);
	assert_true(pk_cksum_l4(p, sizeof(p)));
	assert_true(pk_router_echo_reply(p, sizeof(p)));
	assert_int_equal(p[20], 0);
	assert_int_equal(p[15], 1);
	assert_int_equal(p[19], 10);
	assert_true(header_ok(p));
	assert_int_equal(pk_cksum_fold(pk_cksum_add(0, p + 20, 8)), 0);
	assert_false(pk_router_echo_reply(p, sizeof(p)));
}

static const uint8_t host6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10};
static const uint8_t me6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1};

/* An ICMPv6 echo request host6 -> me6 (id 0x1234, seq 1), checksum and all. */
static void echo6(uint8_t p[48])
{
	static const uint8_t head[8] = {0x60, 0, 0, 0, 0, 8, 58, 64}, echo[8] = {128, 0, 0, 0, 0x12, 0x34, 0, 1};
	memcpy(p, head, 8);
	memcpy(p + 8, host6, 16);
	memcpy(p + 24, me6, 16);
	memcpy(p + 40, echo, 8);
	assert_true(pk_cksum_l4(p, 48));
}

static bool icmp6_ok(const uint8_t *p, size_t len)
{
	uint32_t sum = pk_cksum_pseudo(PK_AF_INET6, p + 8, p + 24, 58, (uint32_t)(len - 40));
	return pk_cksum_fold(pk_cksum_add(sum, p + 40, len - 40)) == 0;
}

static void test_echo6_request_becomes_a_valid_reply(void **state)
{
	uint8_t p[48], req[48];
	(void)state;
	echo6(p);
	memcpy(req, p, sizeof(p));
	assert_true(pk_router_echo_reply(p, sizeof(p)));
	assert_int_equal(p[40], 129);
	assert_memory_equal(p + 8, req + 24, 16);
	assert_memory_equal(p + 24, req + 8, 16);
	assert_true(icmp6_ok(p, sizeof(p)));
	assert_false(pk_router_echo_reply(p, sizeof(p)));
}

static void test_icmp6_error_is_never_answered_with_an_icmp6_error(void **state)
{
	uint8_t req[48], err1[1280], err2[1280];
	const struct pk_gen_icmp timxceed = {.af = PK_AF_INET6, .src = me6, .type = 3, .router = true};
	(void)state;
	echo6(req);
	size_t n = pk_router_icmp_build(&timxceed, req, sizeof(req), err1, sizeof(err1));
	assert_int_equal(n, 40 + 8 + sizeof(req));
	assert_memory_equal(err1 + 24, host6, 16);
	assert_true(icmp6_ok(err1, n));
	assert_int_equal(pk_router_icmp_build(&timxceed, err1, n, err2, sizeof(err2)), 0);
}

PK_TEST_MAIN_GROUP(make_syn, NULL,
	cmocka_unit_test(test_time_exceeded_quotes_the_packet_and_is_addressed_to_its_source),
	cmocka_unit_test(test_icmp_error_is_never_answered_with_an_icmp_error),
	cmocka_unit_test(test_echo_request_becomes_a_valid_reply),
	cmocka_unit_test(test_echo6_request_becomes_a_valid_reply),
	cmocka_unit_test(test_icmp6_error_is_never_answered_with_an_icmp6_error),
)
