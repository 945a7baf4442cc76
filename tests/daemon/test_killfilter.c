/* tests/daemon/test_killfilter.c: the host filter of kill-states. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/killfilter.h"
#include "tests/support/testmain.h"

static void test_single_host_is_a_full_length_source_prefix(void **state)
{
	struct pk_state_filter f;
	struct pk_err err;
	const uint8_t want[4] = {192, 168, 1, 10};
	(void)state;
	assert_int_equal(pk_killfilter_parse("192.168.1.10", &f, &err), 0);
	assert_int_equal(f.src_af, PK_AF_INET);
	assert_int_equal(f.src_len, 32);
	assert_memory_equal(f.src, want, 4);
	assert_int_equal(f.dst_af, 0);
}

static void test_source_and_destination_prefixes_both_families(void **state)
{
	struct pk_state_filter f;
	struct pk_err err;
	(void)state;
	assert_int_equal(pk_killfilter_parse("10.0.0.0/8 2001:db8::/32", &f, &err), 0);
	assert_int_equal(f.src_len, 8);
	assert_int_equal(f.dst_af, PK_AF_INET6);
	assert_int_equal(f.dst_len, 32);
	assert_int_equal(f.dst[0], 0x20);
	assert_int_equal(f.dst[1], 0x01);
}

static void test_bad_filters_are_refused_with_the_culprit_named(void **state)
{
	struct pk_state_filter f;
	struct pk_err err;
	(void)state;
	assert_int_equal(pk_killfilter_parse("", &f, &err), -1);
	assert_non_null(strstr(err.msg, "SOURCE"));
	assert_int_equal(pk_killfilter_parse("host.example", &f, &err), -1);
	assert_non_null(strstr(err.msg, "'host.example'"));
	assert_int_equal(pk_killfilter_parse("10.0.0.1/33", &f, &err), -1);
	assert_int_equal(pk_killfilter_parse("10.0.0.1/", &f, &err), -1);
	assert_int_equal(pk_killfilter_parse("1.2.3.4 5.6.7.8 9.9.9.9", &f, &err), -1);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_single_host_is_a_full_length_source_prefix),
	cmocka_unit_test(test_source_and_destination_prefixes_both_families),
	cmocka_unit_test(test_bad_filters_are_refused_with_the_culprit_named),
)
