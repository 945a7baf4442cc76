/*
 * tests/verify/test_pkt_text.c: packets written like rules (what
 * `picket explain` reads and every witness prints) parse and print back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/ir.h"
#include "tests/support/testmain.h"
#include "verify/packet.h"

static void test_explain_example_packet_parses_every_field(void **state)
{
	(void)state;
	struct pk_vpkt p;
	char store[256];
	struct pk_err err;
	assert_int_equal(pk_vpkt_parse("tcp from 192.168.1.10 port 5555 to 10.0.0.5 port 443 in on lan0 flags S", &p,
				       store, sizeof(store), &err),
			 0);
	assert_int_equal(p.af, PK_AF_INET);
	assert_int_equal(p.proto, 6);
	assert_int_equal(p.sport, 5555);
	assert_int_equal(p.dport, 443);
	assert_int_equal(p.dir, PK_DIR_IN);
	assert_string_equal(p.ifname, "lan0");
	assert_int_equal(p.flags, PK_TH_SYN);
	const uint8_t want[4] = {192, 168, 1, 10};
	assert_memory_equal(p.src, want, 4);
}

static void test_format_then_parse_gives_the_same_packet(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"inet6 udp from 2001:db8::1 port 53 to 2001:db8::2 port 1024 out on wan0",
		"inet icmp from 10.0.0.1 to 10.0.0.2 in on lan0 icmp-type echoreq tos 0x10",
		"inet6 icmp6 from 2001:db8::1 to 2001:db8::2 out on wan0 icmp6-type unreach code 4",
		"inet tcp from 10.0.0.1 port 1 to 10.0.0.2 port 2 in on dmz0 flags SA tagged web",
		"inet tcp from 10.0.0.1 port 1 to 192.0.2.2 port 2 out on wan0 flags S received-on gre0",
	};
	for (size_t i = 0; i < PK_NELEMS(texts); i++) {
		struct pk_vpkt p, q;
		char s1[256], s2[256], out[256], out2[256];
		struct pk_err err;
		assert_int_equal(pk_vpkt_parse(texts[i], &p, s1, sizeof(s1), &err), 0);
		pk_vpkt_format(&p, out, sizeof(out));
		assert_string_equal(out, texts[i]);
		assert_int_equal(pk_vpkt_parse(out, &q, s2, sizeof(s2), &err), 0);
		pk_vpkt_format(&q, out2, sizeof(out2));
		assert_string_equal(out, out2);
	}
}

static void test_bad_words_are_named_in_the_error(void **state)
{
	(void)state;
	struct pk_vpkt p;
	char store[256];
	struct pk_err err;
	assert_int_equal(pk_vpkt_parse("tcp from 10.0.0.1 to 10.0.0.2 sideways", &p, store, sizeof(store), &err),
			 -1);
	assert_non_null(strstr(err.msg, "sideways"));
	assert_int_equal(pk_vpkt_parse("tcp from 10.0.0.1 to 10.0.0.2 port 70000", &p, store, sizeof(store), &err),
			 -1);
	assert_non_null(strstr(err.msg, "port"));
	assert_int_equal(pk_vpkt_parse("tcp port 80", &p, store, sizeof(store), &err), -1);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_explain_example_packet_parses_every_field),
	cmocka_unit_test(test_format_then_parse_gives_the_same_packet),
	cmocka_unit_test(test_bad_words_are_named_in_the_error),
)
