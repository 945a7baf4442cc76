/*
 * tests/runtime/test_cksum.c: checksum arithmetic and the whole-packet
 * checksums (runtime/cksum.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/bytes.h"
#include "runtime/cksum.h"
#include "tests/support/testmain.h"

static void test_rfc1071_example_sums_to_ddf2(void **state)
{
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};

	(void)state;
	assert_int_equal(pk_cksum_add(0, d, sizeof(d)), 0xddf2);
	assert_int_equal(pk_cksum_fold(0xddf2), 0x220d);
}

static void test_odd_length_pads_with_zero(void **state)
{
	static const uint8_t d[] = {0x12, 0x34, 0x56};

	(void)state;
	assert_int_equal(pk_cksum_add(0, d, 3), 0x1234 + 0x5600);
}

/* RFC 1071's sum word by word, in network order, folded. */
static uint32_t sum_by_words(uint32_t sum, const uint8_t *p, size_t len)
{
	uint64_t acc = sum;

	for (size_t i = 0; i < len; i += 2)
		acc += (uint32_t)p[i] << 8 | (i + 1 < len ? p[i + 1] : 0);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint32_t)acc;
}

/* Summed eight bytes at a time in host order, the sum is the word-by-word
 * one for every length and start, zero only for zeros and 0xffff for ones. */
static void test_block_sum_equals_word_by_word_sum(void **state)
{
	uint8_t d[160], ones[160], zeros[160] = {0};
	uint32_t x = 12345;

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	for (size_t k = 0; k < sizeof(d); k++) {
		x = x * 1103515245u + 12345u;
		d[k] = (uint8_t)(x >> 16);
	}
	for (size_t off = 0; off < 8; off++)
		for (size_t len = 0; len + off <= sizeof(d); len++) {
			assert_int_equal(pk_cksum_add(0, d + off, len), sum_by_words(0, d + off, len));
			assert_int_equal(pk_cksum_add(0x1fffe, d + off, len), sum_by_words(0x1fffe, d + off, len));
			assert_int_equal(pk_cksum_add(0, ones + off, len), sum_by_words(0, ones + off, len));
			assert_int_equal(pk_cksum_add(0, zeros + off, len), 0);
		}
}

/* The incremental patch folds as RFC 1624's eqn. 3 does, carry by carry,
 * at the corners (0, 0xffff) and elsewhere. */
static void test_fix16_folds_every_carry(void **state)
{
	static const uint16_t v[] = {0, 1, 0x00ff, 0x7fff, 0x8000, 0xfffe, 0xffff, 0x1234, 0xedcb};

	(void)state;
	for (size_t a = 0; a < sizeof(v) / sizeof(v[0]); a++)
		for (size_t b = 0; b < sizeof(v) / sizeof(v[0]); b++)
			for (size_t c = 0; c < sizeof(v) / sizeof(v[0]); c++) {
				uint32_t sum = (uint16_t)~v[a] + (uint32_t)(uint16_t)~v[b] + v[c];

				while (sum >> 16)
					sum = (sum & 0xffff) + (sum >> 16);
				assert_int_equal(pk_cksum_fix16(v[a], v[b], v[c]), (uint16_t)~sum);
			}
}

/* Any sequence of incremental patches equals a full recomputation. */
static void test_incremental_patches_match_full_recompute(void **state)
{
	uint8_t buf[64];
	uint32_t x = 7;
	int round, k;

	(void)state;
	for (round = 0; round < 2000; round++) {
		for (k = 0; k < 64; k++) {
			x = x * 1103515245u + 12345u;
			buf[k] = (uint8_t)(x >> 16);
		}
		pk_put16(buf + 10, 0);
		pk_put16(buf + 10, pk_cksum_fold(pk_cksum_add(0, buf, 64)));
		x = x * 1103515245u + 12345u;
		pk_patch16(buf + 20, (uint16_t)x, buf + 10);
		pk_patch32(buf + 40, x * 2654435761u, buf + 10);
		assert_int_equal(pk_cksum_fold(pk_cksum_add(0, buf, 64)), 0);
	}
}

static void test_address_fix_matches_full_recompute(void **state)
{
	uint8_t buf[40] = {0}, na[16];
	int k;

	(void)state;
	for (k = 0; k < 40; k++)
		buf[k] = (uint8_t)(k * 37);
	for (k = 0; k < 16; k++)
		na[k] = (uint8_t)(255 - k * 3);
	pk_put16(buf + 2, 0);
	pk_put16(buf + 2, pk_cksum_fold(pk_cksum_add(0, buf, 40)));
	pk_put16(buf + 2, pk_cksum_fix_addr(pk_get16(buf + 2), buf + 8, na, 16));
	memcpy(buf + 8, na, 16);
	assert_int_equal(pk_cksum_fold(pk_cksum_add(0, buf, 40)), 0);
}

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
	pk_cksum_ip4_header(p);
	assert_memory_equal(p, syn, 20);
}

static void test_tcp_checksum_recomputed_from_garbage_matches_reference(void **state)
{
	uint8_t p[sizeof(syn)];
	(void)state;
	memcpy(p, syn, sizeof(p));
	p[36] = 0xde;
	p[37] = 0xad;
	assert_true(pk_cksum_l4(p, sizeof(p)));
	assert_memory_equal(p, syn, sizeof(p));
}

static void test_ttl_decrement_keeps_header_checksum_valid(void **state)
{
	uint8_t p[sizeof(syn)];
	(void)state;
	memcpy(p, syn, sizeof(p));
	for (int i = 0; i < 64; i++) {
		pk_cksum_ttl_dec(p);
		assert_true(header_ok(p));
	}
	assert_int_equal(p[8], 0);
}

/* The decrement patches the checksum as the general 16-bit patch does,
 * for every TTL and checksum (0 and 0xffff among them). */
static void test_ttl_decrement_patches_as_the_general_patch(void **state)
{
	(void)state;
	for (uint32_t ttl = 0; ttl < 256; ttl++)
		for (uint32_t c = 0; c < 0x10000; c += (c < 16 || c > 0xfff0) ? 1 : 251) {
			uint8_t a[20] = {0x45}, b[20];

			a[8] = (uint8_t)ttl;
			a[9] = 6;
			pk_put16(a + 10, (uint16_t)c);
			memcpy(b, a, sizeof(b));
			pk_cksum_ttl_dec(a);
			pk_patch16(b + 8, (uint16_t)(pk_get16(b + 8) - 0x100), b + 10);
			assert_memory_equal(a, b, sizeof(a));
		}
}

PK_TEST_MAIN(
	cmocka_unit_test(test_rfc1071_example_sums_to_ddf2),
	cmocka_unit_test(test_odd_length_pads_with_zero),
	cmocka_unit_test(test_block_sum_equals_word_by_word_sum),
	cmocka_unit_test(test_fix16_folds_every_carry),
	cmocka_unit_test(test_ttl_decrement_patches_as_the_general_patch),
	cmocka_unit_test(test_incremental_patches_match_full_recompute),
	cmocka_unit_test(test_address_fix_matches_full_recompute),
	cmocka_unit_test(test_ipv4_header_checksum_matches_reference),
	cmocka_unit_test(test_tcp_checksum_recomputed_from_garbage_matches_reference),
	cmocka_unit_test(test_ttl_decrement_keeps_header_checksum_valid),
)
