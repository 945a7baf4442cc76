/* tests/daemon/test_cksum.c: checksums and the ICMP packets picketd builds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/cksum.h"
#include "runtime/cksum.h"
#include "tests/support/testmain.h"

/* An IPv4 TCP SYN 192.168.1.10:40000 -> 10.0.10.5:22 with correct checksums
 * (as computed by scapy). */
static const uint8_t syn[] = {
	0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0xa5, 0x18, 0xc0, 0xa8, 0x01, 0x0a,
	0x0a, 0x00, 0x0a, 0x05, 0x9c, 0x40, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0x20, 0x00, 0x1d, 0xd5, 0x00, 0x00,
};

static bool header_ok(const uint8_t *ip)
{
	return pk_cksum_fold(pk_cksum_add(0, ip, (size_t)(ip[0] & 15) * 4)) == 0;
}

static void test_ipv4_header_checksum_matches_reference(void **state)
{
	uint8_t p[sizeof(syn)];
	(void)state;
	memcpy(p, syn, sizeof(p));
	p[10] = p[11] = 0;
	pk_csum_ipv4_header(p);
	assert_memory_equal(p, syn, 20);
}

static void test_tcp_checksum_recomputed_from_garbage_matches_reference(void **state)
{
	uint8_t p[sizeof(syn)];
	(void)state;
	memcpy(p, syn, sizeof(p));
	p[36] = 0xde;
	p[37] = 0xad;
	assert_true(pk_csum_l4(p, sizeof(p)));
	assert_memory_equal(p, syn, sizeof(p));
}

static void test_ttl_decrement_keeps_header_checksum_valid(void **state)
{
	uint8_t p[sizeof(syn)];
	(void)state;
	memcpy(p, syn, sizeof(p));
	for (int i = 0; i < 64; i++) {
		pk_csum_ttl_dec(p);
		assert_true(header_ok(p));
	}
	assert_int_equal(p[8], 0);
}

static void test_time_exceeded_quotes_the_packet_and_is_addressed_to_its_source(void **state)
{
	uint8_t out[600];
	const uint8_t me[4] = {192, 168, 1, 1};
	(void)state;
	size_t n = pk_icmp4_error(out, sizeof(out), 11, 0, 0, me, syn, sizeof(syn));
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
	const uint8_t me[4] = {10, 0, 10, 1};
	(void)state;
	size_t n = pk_icmp4_error(err1, sizeof(err1), 3, 3, 0, me, syn, sizeof(syn));
	assert_true(n > 0);
	assert_int_equal(pk_icmp4_error(err2, sizeof(err2), 11, 0, 0, me, err1, n), 0);
}

static void test_echo_request_becomes_a_valid_reply(void **state)
{
	uint8_t p[28] = {0x45, 0, 0, 28, 0, 1, 0, 0, 1, 1, 0, 0, 192, 168, 1, 10, 192, 168, 1, 1,
			 8, 0, 0, 0, 0x12, 0x34, 0, 1};
	(void)state;
	pk_csum_ipv4_header(p);
	assert_true(pk_csum_l4(p, sizeof(p)));
	assert_true(pk_icmp4_echo_reply(p, sizeof(p)));
	assert_int_equal(p[20], 0);
	assert_int_equal(p[15], 1);
	assert_int_equal(p[19], 10);
	assert_true(header_ok(p));
	assert_int_equal(pk_cksum_fold(pk_cksum_add(0, p + 20, 8)), 0);
	assert_false(pk_icmp4_echo_reply(p, sizeof(p)));
}

PK_TEST_MAIN(
	cmocka_unit_test(test_ipv4_header_checksum_matches_reference),
	cmocka_unit_test(test_tcp_checksum_recomputed_from_garbage_matches_reference),
	cmocka_unit_test(test_ttl_decrement_keeps_header_checksum_valid),
	cmocka_unit_test(test_time_exceeded_quotes_the_packet_and_is_addressed_to_its_source),
	cmocka_unit_test(test_icmp_error_is_never_answered_with_an_icmp_error),
	cmocka_unit_test(test_echo_request_becomes_a_valid_reply),
)
