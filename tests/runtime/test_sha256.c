/*
 * tests/runtime/test_sha256.c: SHA-256 (runtime/sha256.c) against the
 * FIPS 180-4 examples, and the CPU-extension rounds (runtime/sha256_ni.c)
 * against the portable ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/sha256.h"
#include "runtime/sha256_priv.h"
#include "tests/support/testmain.h"

static void hex(const uint8_t sum[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", sum[i]);
}

static void check(const void *data, size_t len, const char *want)
{
	uint8_t sum[32];
	char got[65];

	pk_sha256(data, len, sum);
	hex(sum, got);
	assert_string_equal(got, want);
}

static void test_fips_examples(void **state)
{
	(void)state;
	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a_fed_in_odd_pieces(void **state)
{
	static const char want[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	struct pk_sha256 s;
	uint8_t chunk[997], sum[32];
	char got[65];
	size_t left = 1000000;

	(void)state;
	memset(chunk, 'a', sizeof(chunk));
	pk_sha256_init(&s);
	for (size_t step = 1; left; step = step * 7 % sizeof(chunk) + 1) {
		size_t n = step < left ? step : left;
		pk_sha256_update(&s, chunk, n);
		left -= n;
	}
	pk_sha256_final(&s, sum);
	hex(sum, got);
	assert_string_equal(got, want);
}

static void test_extension_rounds_equal_portable_rounds(void **state)
{
	enum { BLOCKS = 64 };
	uint8_t *data = malloc(64 * BLOCKS);
	unsigned seed = 12345;

	(void)state;
	if (!pk_sha256_ni_available()) {
		free(data);
		skip();
	}
	assert_non_null(data);
	for (size_t i = 0; i < 64 * BLOCKS; i++)
		data[i] = (uint8_t)((seed = seed * 1103515245u + 12345u) >> 16);
	for (size_t n = 0; n <= BLOCKS; n += 1 + n / 4) {
		uint32_t a[8], b[8];

		for (int i = 0; i < 8; i++)
			a[i] = b[i] = 0x01020304u * (uint32_t)(i + 1) + (uint32_t)n;
		pk_sha256_blocks_portable(a, data, n);
		pk_sha256_blocks_ni(b, data, n);
		assert_memory_equal(a, b, sizeof(a));
	}
	free(data);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_fips_examples),
	cmocka_unit_test(test_million_a_fed_in_odd_pieces),
	cmocka_unit_test(test_extension_rounds_equal_portable_rounds),
)
