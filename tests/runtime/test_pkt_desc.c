/*
 * tests/runtime/test_pkt_desc.c: the one-line description of a packet
 * (runtime/pkt_desc.c) for each shape replay shows, and cut as snprintf
 * would cut it into a short buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/pkt_desc.h"
#include "runtime/proto.h"
#include "tests/support/pktbuild.h"
#include "tests/support/testmain.h"

static const char *describe(const struct pk_tb *s, size_t keep, char *out, size_t size)
{
	uint8_t buf[2048];
	size_t len = pk_tb_build(s, buf, sizeof buf);

	assert_true(len > 0);
	return pk_pkt_describe(buf, keep && keep < len ? keep : len, out, size);
}

static void test_each_shape_has_its_line(void **state)
{
	char d[160];
	struct pk_tb s;

	(void)state;
	s = pk_tb_tcp((struct pk_tb_ends){"192.168.1.10", 40000, "10.0.10.5", 443},
		      (struct pk_tb_seg){.flags = PK_TH_SYN | PK_TH_ACK});
	assert_string_equal(describe(&s, 0, d, sizeof d), "tcp 192.168.1.10:40000 > 10.0.10.5:443 [SA]");
	s = pk_tb_tcp((struct pk_tb_ends){"2001:db8::1", 1, "::ffff:10.0.0.1", 65535},
		      (struct pk_tb_seg){.flags = 0xff});
	assert_string_equal(describe(&s, 0, d, sizeof d), "tcp [2001:db8::1]:1 > [::ffff:10.0.0.1]:65535 [FSRPAUEW]");
	s = pk_tb_udp((struct pk_tb_ends){"10.0.0.1", 53, "10.0.0.2", 5353}, 10);
	assert_string_equal(describe(&s, 0, d, sizeof d), "udp 10.0.0.1:53 > 10.0.0.2:5353");
	s = pk_tb_defaults(4, "10.0.0.1", "10.0.0.2");
	s.proto = PK_PROTO_ICMP;
	s.icmp_type = PK_ICMP_UNREACH;
	s.icmp_code = PK_ICMP_UNREACH_PORT;
	assert_string_equal(describe(&s, 0, d, sizeof d), "icmp 10.0.0.1 > 10.0.0.2 port unreachable");
	s = pk_tb_defaults(6, "fe80::1", "ff02::1");
	s.proto = PK_PROTO_ICMP6;
	s.icmp_type = PK_ND_NEIGHBOR_SOLICIT;
	assert_string_equal(describe(&s, 0, d, sizeof d), "icmp6 fe80::1 > ff02::1 neighbor solicitation");
	s = pk_tb_defaults(4, "10.0.0.1", "10.0.0.2");
	s.proto = 47;
	assert_string_equal(describe(&s, 20, d, sizeof d), "proto 47 10.0.0.1 > 10.0.0.2 (no transport header)");
	s = pk_tb_udp((struct pk_tb_ends){"10.0.0.1", 53, "10.0.0.2", 5353}, 10);
	s.frag_off = 8;
	assert_string_equal(describe(&s, 0, d, sizeof d), "ip 10.0.0.1 > 10.0.0.2 proto 17 (fragment)");
	assert_string_equal(pk_pkt_describe((const uint8_t *)"\x10\x00", 2, d, sizeof d), "not an IP packet (2 bytes)");
}

/* A short buffer holds the line's start, as snprintf leaves it. */
static void test_a_short_buffer_holds_the_start(void **state)
{
	const struct pk_tb s = pk_tb_tcp((struct pk_tb_ends){"192.168.1.10", 40000, "10.0.10.5", 443},
					 (struct pk_tb_seg){.flags = PK_TH_SYN});
	const char *whole = "tcp 192.168.1.10:40000 > 10.0.10.5:443 [S]";
	char d[64];

	(void)state;
	for (size_t size = 1; size <= strlen(whole) + 1; size++) {
		memset(d, 'x', sizeof d);
		describe(&s, 0, d, size);
		assert_int_equal(strlen(d), size - 1);
		assert_memory_equal(d, whole, size - 1);
		assert_int_equal(d[size], 'x');
	}
}

PK_TEST_MAIN(cmocka_unit_test(test_each_shape_has_its_line), cmocka_unit_test(test_a_short_buffer_holds_the_start))
