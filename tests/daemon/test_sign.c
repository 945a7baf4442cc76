/* tests/daemon/test_sign.c: picketd --signed-by: a signed ruleset passes;
 * an unsigned, a tampered, another key's and a malformed one are refused
 * with the reason. */
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/sign.h"
#include "tests/support/testmain.h"
#include "tests/support/tmpdir.h"

static char dir[64], pkb[128], sig[140], pub[128];
static uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
static const char bytes[] = "the bytes of a compiled ruleset";

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* path gets "word HEX(data)\n" as picket writes it. */
static void write_hex(const char *path, const char *word, const uint8_t *data, size_t len)
{
	char hex[2 * crypto_sign_SECRETKEYBYTES + 1], line[sizeof(hex) + 64];
	sodium_bin2hex(hex, sizeof(hex), data, len);
	snprintf(line, sizeof(line), "%s %s\n", word, hex);
	write_text(path, line);
}

/* The .sig of data signed with secret key s. */
static void write_sig(const uint8_t *s, const void *data, size_t len)
{
	uint8_t sg[crypto_sign_BYTES];
	char id[17], hex[2 * crypto_sign_BYTES + 1], line[256];
	crypto_sign_detached(sg, NULL, data, len, s);
	sodium_bin2hex(id, sizeof(id), s + crypto_sign_SEEDBYTES, 8);
	sodium_bin2hex(hex, sizeof(hex), sg, sizeof(sg));
	snprintf(line, sizeof(line), "picket-ed25519-signature %s %s\n", id, hex);
	write_text(sig, line);
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || pk_test_mkdtemp(dir, sizeof(dir), "sign") < 0)
		return -1;
	snprintf(pkb, sizeof(pkb), "%s/rules.pkb", dir);
	snprintf(sig, sizeof(sig), "%s/rules.pkb.sig", dir);
	snprintf(pub, sizeof(pub), "%s/k.pub", dir);
	crypto_sign_keypair(pk, sk);
	write_hex(pub, "picket-ed25519-public", pk, sizeof(pk));
	return 0;
}

PK_TEST_FIXTURE(teardown, pk_test_rmtree(dir))

static void assert_refused(const uint8_t *key, const void *data, size_t len, const char *why)
{
	struct pk_err err;
	assert_int_equal(pk_sign_check(key, pkb, data, len, &err), -1);
	if (!strstr(err.msg, why))
		fail_msg("expected '%s', got '%s'", why, err.msg);
}

static void test_a_signed_ruleset_passes_with_the_key_read_from_its_file(void **state)
{
	uint8_t key[PK_SIGN_KEY_BYTES];
	struct pk_err err;
	(void)state;
	assert_int_equal(pk_sign_read_key(pub, key, &err), 0);
	assert_memory_equal(key, pk, sizeof(key));
	write_sig(sk, bytes, sizeof(bytes));
	assert_int_equal(pk_sign_check(key, pkb, bytes, sizeof(bytes), &err), 0);
}

static void test_an_unsigned_ruleset_is_refused(void **state)
{
	(void)state;
	remove(sig);
	assert_refused(pk, bytes, sizeof(bytes), "not signed");
}

static void test_a_tampered_ruleset_is_refused(void **state)
{
	char changed[sizeof(bytes)];
	(void)state;
	write_sig(sk, bytes, sizeof(bytes));
	memcpy(changed, bytes, sizeof(bytes));
	changed[4] ^= 1;
	assert_refused(pk, changed, sizeof(changed), "the file was changed after it was signed");
}

static void test_another_keys_signature_is_refused_naming_both_keys(void **state)
{
	uint8_t pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
	(void)state;
	crypto_sign_keypair(pk2, sk2);
	write_sig(sk2, bytes, sizeof(bytes));
	assert_refused(pk, bytes, sizeof(bytes), "signed by another key");
}

static void test_malformed_signature_and_key_files_are_refused(void **state)
{
	uint8_t key[PK_SIGN_KEY_BYTES];
	struct pk_err err;
	(void)state;
	write_text(sig, "picket-ed25519-signature 00\n");
	assert_refused(pk, bytes, sizeof(bytes), "not a signature");
	write_text(pub, "picket-ed25519-secret 00\n");
	assert_int_equal(pk_sign_read_key(pub, key, &err), -1);
	assert_non_null(strstr(err.msg, "not a picket-ed25519-public file"));
}

PK_TEST_MAIN_GROUP(setup, teardown, cmocka_unit_test(test_a_signed_ruleset_passes_with_the_key_read_from_its_file),
		   cmocka_unit_test(test_an_unsigned_ruleset_is_refused),
		   cmocka_unit_test(test_a_tampered_ruleset_is_refused),
		   cmocka_unit_test(test_another_keys_signature_is_refused_naming_both_keys),
		   cmocka_unit_test(test_malformed_signature_and_key_files_are_refused))
