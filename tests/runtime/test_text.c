/*
 * tests/runtime/test_text.c: lines built by runtime/text.c read as the
 * C library would write them: addresses as inet_ntop's, numbers and
 * fields as printf's, a cut text as snprintf's, JSON strings as
 * jansson's (and bytes it refuses as Latin-1); in file mode nothing is
 * cut.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "runtime/rule_vocab.h"
#include "runtime/text.h"
#include "tests/support/testmain.h"

static void assert_addr_as_inet_ntop(uint8_t af, const uint8_t *a)
{
	char want[INET6_ADDRSTRLEN], got[PK_ADDR_TEXT_MAX];
	struct pk_text t;

	assert_non_null(inet_ntop(af == PK_AF_INET6 ? AF_INET6 : AF_INET, a, want, sizeof want));
	pk_text_init(&t, got, sizeof got);
	pk_text_addr(&t, af, a);
	assert_int_equal(pk_text_end(&t), strlen(want));
	assert_string_equal(got, want);
}

static uint32_t next(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Every pattern of zero and non-zero words (runs of every length and
 * place, ties between runs), with small, large and random words; the
 * IPv4-compatible and -mapped forms and their near misses; random
 * addresses of both families. */
static void test_addresses_read_as_inet_ntop(void **state)
{
	static const uint16_t fill[] = {1, 0xffff, 0x0a0b, 0x100};
	uint8_t a[16];
	uint32_t x = 7;

	(void)state;
	for (unsigned pat = 0; pat < 256; pat++)
		for (size_t f = 0; f < PK_NELEMS(fill) + 1; f++) {
			for (int i = 0; i < 8; i++) {
				const uint16_t w = !(pat & 1u << i) ? 0 : f < PK_NELEMS(fill) ? fill[f] : (uint16_t)(next(&x) | 1);
				a[2 * i] = (uint8_t)(w >> 8);
				a[2 * i + 1] = (uint8_t)w;
			}
			assert_addr_as_inet_ntop(PK_AF_INET6, a);
		}
	static const char *const special[] = {"::", "::1", "::ffff:1.2.3.4", "::1.2.3.4", "::ffff:0:1.2.3.4",
					      "::fffe:1.2.3.4", "1::ffff:1.2.3.4", "::ffff:0.0.0.0", "::0.0.0.1",
					      "64:ff9b::1.2.3.4", "2001:db8::1", "fe80::1:0:0:1", "1:0:0:1:0:0:0:1"};
	for (size_t k = 0; k < PK_NELEMS(special); k++) {
		assert_int_equal(inet_pton(AF_INET6, special[k], a), 1);
		assert_addr_as_inet_ntop(PK_AF_INET6, a);
	}
	for (int k = 0; k < 20000; k++) {
		for (int i = 0; i < 16; i += 4) {
			const uint32_t r = next(&x);
			memcpy(a + i, &r, 4);
		}
		for (int i = 0; i < 8; i++) /* words zeroed at random: runs of all lengths */
			if (next(&x) % 3 == 0)
				a[2 * i] = a[2 * i + 1] = 0;
		assert_addr_as_inet_ntop(PK_AF_INET6, a);
		assert_addr_as_inet_ntop(PK_AF_INET, a);
	}
	memset(a, 0, 4);
	assert_addr_as_inet_ntop(PK_AF_INET, a);
	memset(a, 0xff, 4);
	assert_addr_as_inet_ntop(PK_AF_INET, a);
}

static void test_numbers_and_fields_read_as_printf(void **state)
{
	static const uint64_t values[] = {0, 1, 9, 10, 99999, 100000, 999999, 1000000, 4294967295u, UINT64_MAX};
	static const char *const strings[] = {"", "in", "pass", "reject", "em0-with-a-long-name"};
	char want[96], got[96];
	struct pk_text t;

	(void)state;
	for (size_t k = 0; k < PK_NELEMS(values); k++)
		for (int w = 0; w < 24; w++) {
			snprintf(want, sizeof want, "%*llu|%0*llu|%-*llu", w, (unsigned long long)values[k], w,
				 (unsigned long long)values[k], w, (unsigned long long)values[k]);
			pk_text_init(&t, got, sizeof got);
			pk_text_uint(&t, values[k], w, ' ');
			pk_text_char(&t, '|');
			pk_text_uint(&t, values[k], w, '0');
			pk_text_char(&t, '|');
			pk_text_uint(&t, values[k], -w, ' ');
			pk_text_end(&t);
			assert_string_equal(got, want);
		}
	for (size_t k = 0; k < PK_NELEMS(strings); k++)
		for (int w = 0; w < 40; w++) {
			snprintf(want, sizeof want, "%-*s|%*s", w, strings[k], w, strings[k]);
			pk_text_init(&t, got, sizeof got);
			pk_text_field(&t, strings[k], -w);
			pk_text_char(&t, '|');
			pk_text_field(&t, strings[k], w);
			pk_text_end(&t);
			assert_string_equal(got, want);
		}
}

/* Into a buffer of every size, a text is cut as snprintf cuts it, and
 * its whole length is told. */
static void test_a_text_is_cut_as_snprintf_cuts(void **state)
{
	char want[64], got[64];

	(void)state;
	for (size_t size = 0; size <= 40; size++) {
		struct pk_text t;
		const int n = snprintf(want, size, "tcp %s:%u > %s:%u [%s]", "10.0.0.1", 1234u, "10.0.0.2", 80u, "SA");
		memset(got, 'x', sizeof got);
		pk_text_init(&t, got, size);
		pk_text_str(&t, "tcp ");
		pk_text_str(&t, "10.0.0.1");
		pk_text_char(&t, ':');
		pk_text_uint(&t, 1234, 0, ' ');
		pk_text_str(&t, " > 10.0.0.2:80 [");
		pk_text_str(&t, "SA");
		pk_text_char(&t, ']');
		assert_int_equal(pk_text_end(&t), (size_t)n);
		if (size)
			assert_string_equal(got, want);
		assert_int_equal(got[size], 'x'); /* nothing past the buffer */
	}
}

/* In file mode a line longer than the staging room comes out whole. */
static void test_a_line_for_a_file_is_never_cut(void **state)
{
	char stage[7], *mem = NULL, want[2048];
	size_t mlen = 0, w = 0;
	FILE *f = open_memstream(&mem, &mlen);
	struct pk_text t;

	(void)state;
	assert_non_null(f);
	pk_text_init_file(&t, stage, sizeof stage, f);
	for (unsigned k = 0; k < 100; k++) {
		pk_text_str(&t, "field");
		pk_text_uint(&t, k, 4, '0');
		pk_text_char(&t, k % 10 == 9 ? '\n' : ' ');
		w += (size_t)snprintf(want + w, sizeof want - w, "field%04u%c", k, k % 10 == 9 ? '\n' : ' ');
	}
	assert_int_equal(pk_text_end(&t), w);
	fclose(f);
	assert_int_equal(mlen, w);
	assert_memory_equal(mem, want, w);
	free(mem);
}

static void assert_json(const char *s, const char *want)
{
	char got[256];
	struct pk_text t;

	pk_text_init(&t, got, sizeof got);
	pk_text_json(&t, s);
	assert_int_equal(pk_text_end(&t), strlen(want));
	assert_string_equal(got, want);
}

/* Valid UTF-8 is escaped as jansson escapes it, every control character
 * and every form of them among the cases. */
static void test_json_strings_read_as_jansson_writes_them(void **state)
{
	static const char *const strings[] = {"", "plain", "a \"quoted\" \\ path /x", "tab\there\nnewline\r\b\f",
					      "\x01\x1f\x7f end", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\xa5"};
	char all[32];

	(void)state;
	for (size_t k = 0; k < PK_NELEMS(strings); k++) {
		json_t *j = json_string(strings[k]);
		char *want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		assert_non_null(want);
		assert_json(strings[k], want);
		free(want);
		json_decref(j);
	}
	for (int c = 1; c < 0x20; c++) {
		snprintf(all, sizeof all, "<%c>", c);
		json_t *j = json_string(all);
		char *want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT);
		assert_json(all, want);
		free(want);
		json_decref(j);
	}
	assert_json(NULL, "null");
}

/* What jansson refuses (bytes that are not UTF-8) is kept as Latin-1. */
static void test_bytes_that_are_not_utf8_are_read_as_latin1(void **state)
{
	(void)state;
	assert_json("caf\xe9", "\"caf\\u00E9\"");
	assert_json("\xc0\xaf overlong", "\"\\u00C0\\u00AF overlong\"");
	assert_json("\xed\xa0\x80 surrogate", "\"\\u00ED\\u00A0\\u0080 surrogate\"");
	assert_json("\xf4\x90\x80\x80 past", "\"\\u00F4\\u0090\\u0080\\u0080 past\"");
	assert_json("cut \xe2\x82", "\"cut \\u00E2\\u0082\"");
	assert_json("\x80 alone \xff", "\"\\u0080 alone \\u00FF\"");
}

/* For jansson: valid UTF-8 kept, other bytes as their Latin-1 characters,
 * nothing read past n; jansson takes what comes out. */
static void test_bytes_that_are_not_utf8_become_latin1_utf8(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *want;
	} cases[] = {
		{"caf\xc3\xa9", 5, "caf\xc3\xa9"},
		{"caf\xe9", 4, "caf\xc3\xa9"},
		{"\xe2\x82\xac euro", 8, "\xe2\x82\xac euro"},
		{"\xe2\x82\xac", 2, "\xc3\xa2\xc2\x82"}, /* a sequence cut by n */
		{"\xff\x80", 2, "\xc3\xbf\xc2\x80"},
		{"", 0, ""},
	};
	char got[64];

	(void)state;
	for (size_t k = 0; k < PK_NELEMS(cases); k++) {
		struct pk_text t;
		pk_text_init(&t, got, sizeof got);
		pk_text_utf8(&t, cases[k].in, cases[k].n);
		pk_text_end(&t);
		assert_string_equal(got, cases[k].want);
		json_t *j = json_stringn(got, t.len);
		assert_non_null(j);
		json_decref(j);
	}
}

PK_TEST_MAIN(cmocka_unit_test(test_addresses_read_as_inet_ntop), cmocka_unit_test(test_numbers_and_fields_read_as_printf),
	     cmocka_unit_test(test_a_text_is_cut_as_snprintf_cuts), cmocka_unit_test(test_a_line_for_a_file_is_never_cut),
	     cmocka_unit_test(test_json_strings_read_as_jansson_writes_them),
	     cmocka_unit_test(test_bytes_that_are_not_utf8_are_read_as_latin1),
	     cmocka_unit_test(test_bytes_that_are_not_utf8_become_latin1_utf8))
