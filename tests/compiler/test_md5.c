/* tests/compiler/test_md5.c: the digest behind source-hash keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/md5.h"
#include "tests/support/front_support.h"
#include "tests/support/testmain.h"

static void hex(const uint8_t d[16], char out[33])
{
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void test_md5_matches_the_rfc_1321_test_suite(void **state)
{
	(void)state;
	static const char *const v[][2] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		 "57edf4a22be3c955ac49da2e2107b67a"},
	};
	for (size_t i = 0; i < PK_NELEMS(v); i++) {
		uint8_t d[16];
		char h[33];
		pk_md5(v[i][0], strlen(v[i][0]), d);
		hex(d, h);
		assert_string_equal(h, v[i][1]);
	}
}

static void test_source_hash_keys_are_hex_or_the_digest_of_the_text(void **state)
{
	(void)state;
	char *p = pk_test_print("match out on em0 nat-to 10.0.0.0/24 source-hash 0x0123456789ABCDEF0123456789abcdef\n"
				"match out on em0 nat-to 10.0.0.0/24 source-hash abc\n", 0);
	assert_string_equal(p, "match out on em0 inet all nat-to 10.0.0.0/24 source-hash 0x0123456789abcdef0123456789abcdef\n"
			       "match out on em0 inet all nat-to 10.0.0.0/24 source-hash 0x900150983cd24fb0d6963f7d28e17f72\n");
	free(p);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_md5_matches_the_rfc_1321_test_suite),
	cmocka_unit_test(test_source_hash_keys_are_hex_or_the_digest_of_the_text),
)
