/*
 * tests/runtime/test_pkt_memo.c: the way in's parse kept for the way out
 * (runtime/pkt_memo.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/cksum.h"
#include "runtime/pkt_memo.h"
#include "tests/support/testmain.h"

/* IPv4 TCP SYN with an MSS option, 192.168.1.10:40000 > 10.0.10.5:22. */
static const uint8_t syn[] = {
	0x45, 0x00, 0x00, 0x2c, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0xa5, 0x14, 0xc0, 0xa8, 0x01, 0x0a,
	0x0a, 0x00, 0x0a, 0x05, 0x9c, 0x40, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x60, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

static void keep(struct pk_pkt_memo *m, const uint8_t *ip, size_t len)
{
	struct pk_pkt p;

	assert_int_equal(pk_pkt_parse(ip, len, &p), PK_REASON_NONE);
	memset(m, 0, sizeof(*m));
	pk_pkt_memo_keep(m, ip, len, &p);
}

static void test_forwarded_packet_recalls_the_parse_it_would_make(void **state)
{
	struct pk_pkt_memo m;
	struct pk_pkt fresh, recalled;
	uint8_t p[sizeof(syn)];

	(void)state;
	memcpy(p, syn, sizeof(p));
	keep(&m, p, sizeof(p));
	pk_cksum_ttl_dec(p);
	assert_true(pk_pkt_memo_recall(&m, p, sizeof(p), &recalled));
	assert_int_equal(pk_pkt_parse(p, sizeof(p), &fresh), PK_REASON_NONE);
	assert_memory_equal(&recalled, &fresh, sizeof(fresh));
	assert_int_equal(recalled.ttl, 0x3f);
	assert_int_equal(recalled.opt.mss, 1460);
}

/* scrub's set-tos, random-id and no-df, and the checksums they patch */
static void test_scrubbed_fields_are_read_again(void **state)
{
	struct pk_pkt_memo m;
	struct pk_pkt fresh, recalled;
	uint8_t p[sizeof(syn)];

	(void)state;
	memcpy(p, syn, sizeof(p));
	p[6] = 0x40; /* DF */
	keep(&m, p, sizeof(p));
	p[1] = 0x10;
	p[4] = 0xbe;
	p[5] = 0xef;
	p[6] = 0x00;
	p[10] = p[11] = 0x55;
	p[36] = p[37] = 0xaa;
	assert_true(pk_pkt_memo_recall(&m, p, sizeof(p), &recalled));
	assert_int_equal(pk_pkt_parse(p, sizeof(p), &fresh), PK_REASON_NONE);
	assert_memory_equal(&recalled, &fresh, sizeof(fresh));
	assert_int_equal(recalled.frag_id, 0xbeef);
	assert_false(recalled.df);
}

/* (byte 6's low bit, flipped here, is the fragment offset's, never skipped) */
static void test_any_other_byte_changed_parses_again(void **state)
{
	struct pk_pkt_memo m;
	struct pk_pkt out;
	uint8_t p[sizeof(syn)];
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(p); k++) {
		/* the TOS, id, TTL, header and TCP checksums are read again or not at all */
		if (k == 1 || k == 4 || k == 5 || k == 8 || k == 10 || k == 11 || k == 36 || k == 37)
			continue;
		memcpy(p, syn, sizeof(p));
		keep(&m, p, sizeof(p));
		p[k] ^= 0x01;
		assert_false(pk_pkt_memo_recall(&m, p, sizeof(p), &out));
	}
	memcpy(p, syn, sizeof(p));
	keep(&m, p, sizeof(p));
	assert_false(pk_pkt_memo_recall(&m, p, sizeof(p) - 1, &out));
}

static void test_fragments_and_icmp_are_not_kept(void **state)
{
	struct pk_pkt_memo m;
	struct pk_pkt out;
	uint8_t p[sizeof(syn)];

	(void)state;
	memcpy(p, syn, sizeof(p));
	p[9] = PK_PROTO_ICMP;
	keep(&m, p, sizeof(p));
	assert_false(pk_pkt_memo_recall(&m, p, sizeof(p), &out));
	memcpy(p, syn, sizeof(p));
	p[6] = 0x20; /* more fragments */
	keep(&m, p, sizeof(p));
	assert_false(pk_pkt_memo_recall(&m, p, sizeof(p), &out));
}

PK_TEST_MAIN(
	cmocka_unit_test(test_forwarded_packet_recalls_the_parse_it_would_make),
	cmocka_unit_test(test_scrubbed_fields_are_read_again),
	cmocka_unit_test(test_any_other_byte_changed_parses_again),
	cmocka_unit_test(test_fragments_and_icmp_are_not_kept),
)
