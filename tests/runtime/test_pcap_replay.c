/* tests/runtime/test_pcap_replay.c: capture reading, link types, pcapng interface names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/pcap_replay.h"
#include "tests/support/testmain.h"

/* A byte buffer the tests assemble captures in. */
struct buf {
	uint8_t b[4096];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	memcpy(b->b + b->n, p, n);
	b->n += n;
}
static void put32(struct buf *b, uint32_t v) { put(b, &v, 4); }
static void put16(struct buf *b, uint16_t v) { put(b, &v, 2); }

/* A 28-byte IPv4/ICMP echo from 192.168.1.10 to 10.0.10.5. */
static const uint8_t ip_icmp[28] = {0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 192, 168, 1, 10,
				    10, 0, 10, 5, 8, 0, 0xf7, 0xff, 0, 0, 0, 0};

static void shb(struct buf *b)
{
	put32(b, 0x0A0D0D0A);
	put32(b, 28);
	put32(b, 0x1A2B3C4D);
	put16(b, 1);
	put16(b, 0);
	uint64_t len = UINT64_MAX;
	put(b, &len, 8);
	put32(b, 28);
}

/* An interface of link type link; tsresol, when not 0, its if_tsresol. */
static void idb_of(struct buf *b, const char *name, uint16_t link, uint8_t tsresol)
{
	size_t nl = strlen(name), padded = (nl + 3) & ~(size_t)3;
	uint32_t total = (uint32_t)(16 + 4 + padded + (tsresol ? 8 : 0) + 4 + 4);
	static const uint8_t zero[4];
	put32(b, 1);
	put32(b, total);
	put16(b, link);
	put16(b, 0);
	put32(b, 65535);
	put16(b, 2); /* if_name */
	put16(b, (uint16_t)nl);
	put(b, name, nl);
	put(b, zero, padded - nl);
	if (tsresol) {
		put16(b, 9); /* if_tsresol */
		put16(b, 1);
		put(b, &tsresol, 1);
		put(b, zero, 3);
	}
	put32(b, 0); /* opt_endofopt */
	put32(b, total);
}

static void idb(struct buf *b, const char *name) { idb_of(b, name, 228 /* LINKTYPE_IPV4 */, 0); }

static void epb(struct buf *b, uint32_t iface, uint32_t usec, const uint8_t *pkt, uint32_t len)
{
	uint32_t padded = (len + 3) & ~3u, total = 32 + padded;
	static const uint8_t zero[4];
	put32(b, 6);
	put32(b, total);
	put32(b, iface);
	put32(b, 0);
	put32(b, usec);
	put32(b, len);
	put32(b, len);
	put(b, pkt, len);
	put(b, zero, padded - len);
	put32(b, total);
}

static void pcap_header(struct buf *b, uint32_t link)
{
	put32(b, 0xa1b2c3d4);
	put16(b, 2);
	put16(b, 4);
	put32(b, 0);
	put32(b, 0);
	put32(b, 65535);
	put32(b, link);
}

static void pcap_record(struct buf *b, uint32_t sec, const uint8_t *f, uint32_t len)
{
	put32(b, sec);
	put32(b, 0);
	put32(b, len);
	put32(b, len);
	put(b, f, len);
}

static char *path;              /* the file of the capture a test opened */
static struct pk_err err; /* what the reader said of it */

/* Writes the first n bytes of b to a new file and opens it as a capture. */
static struct pk_pcap *open_capture(const struct buf *b, size_t n)
{
	int fd;

	path = strdup("/tmp/pk-test-capture-XXXXXX");
	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b->b, n), (ssize_t)n);
	close(fd);
	return pk_pcap_open(path, &err);
}

/* Closes c, if it was opened, and removes its file. */
static void close_capture(struct pk_pcap *c)
{
	if (c)
		pk_pcap_close(c);
	unlink(path);
	free(path);
}

/* What reading the next packet of c returns (1 a packet, 0 end, -1 error). */
static int next_rc(struct pk_pcap *c)
{
	const struct pk_pcap_pkt *p;

	return pk_pcap_next(c, &p, &err);
}

/* The next packet of c, which must be there. */
static struct pk_pcap_pkt next_packet(struct pk_pcap *c)
{
	const struct pk_pcap_pkt *p;

	assert_int_equal(pk_pcap_next(c, &p, &err), 1);
	return *p;
}

/* After a whole first packet from interface ifname (NULL: a capture
 * without names), c refuses the second, and the error names it. */
static void assert_fails_at_packet_2(struct pk_pcap *c, const char *ifname)
{
	struct pk_pcap_pkt p = next_packet(c);

	if (ifname)
		assert_string_equal(p.ifname, ifname);
	else
		assert_null(p.ifname);
	assert_int_equal(next_rc(c), -1);
	assert_int_equal(err.packet, 2);
	assert_non_null(strstr(err.msg, "packet 2"));
}

static void test_pcapng_packets_carry_their_interface_names(void **st)
{
	(void)st;
	struct buf b = {.n = 0};
	shb(&b);
	idb(&b, "lan0");
	idb(&b, "opt1");
	epb(&b, 0, 1, ip_icmp, sizeof ip_icmp);
	epb(&b, 1, 2, ip_icmp, sizeof ip_icmp);
	epb(&b, 0, 3, ip_icmp, sizeof ip_icmp);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_non_null(c);
	static const char *const want[] = {"lan0", "opt1", "lan0"};
	struct pk_pcap_pkt p;
	for (int i = 0; i < 3; i++) {
		p = next_packet(c);
		assert_int_equal(p.n, (uint64_t)i + 1);
		assert_string_equal(p.ifname, want[i]);
		assert_int_equal(p.ip_len, sizeof ip_icmp);
		assert_int_equal(p.ts_ns, (uint64_t)(i + 1) * 1000);
	}
	assert_int_equal(next_rc(c), 0);
	close_capture(c);
}

static void test_pcapng_unknown_interface_id_is_an_error_naming_the_packet(void **st)
{
	(void)st;
	struct buf b = {.n = 0};
	shb(&b);
	idb(&b, "lan0");
	epb(&b, 0, 1, ip_icmp, sizeof ip_icmp);
	epb(&b, 3, 2, ip_icmp, sizeof ip_icmp);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_non_null(c);
	assert_fails_at_packet_2(c, "lan0");
	close_capture(c);
}

static void test_pcapng_interfaces_keep_their_own_link_type_and_time_resolution(void **st)
{
	(void)st;
	uint8_t f[14 + sizeof ip_icmp] = {[12] = 0x08, [13] = 0x00};
	memcpy(f + 14, ip_icmp, sizeof ip_icmp);
	struct buf b = {.n = 0};
	shb(&b);
	idb(&b, "lan0");
	idb_of(&b, "wan0", 1 /* Ethernet */, 9 /* nanoseconds */);
	epb(&b, 0, 5, ip_icmp, sizeof ip_icmp);
	epb(&b, 1, 5, f, sizeof f);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_non_null(c);
	struct pk_pcap_pkt p = next_packet(c);
	assert_string_equal(p.ifname, "lan0");
	assert_int_equal(p.ts_ns, 5000);
	assert_memory_equal(p.ip, ip_icmp, sizeof ip_icmp);
	p = next_packet(c);
	assert_string_equal(p.ifname, "wan0");
	assert_int_equal(p.ts_ns, 5);
	assert_non_null(p.ip);
	assert_int_equal(p.ip_len, sizeof ip_icmp);
	assert_memory_equal(p.ip, ip_icmp, sizeof ip_icmp);
	close_capture(c);
}

/* Units that do not divide a second in nanoseconds take the exact division. */
static void test_pcapng_binary_and_picosecond_resolutions_keep_exact_times(void **st)
{
	(void)st;
	struct buf b = {.n = 0};
	shb(&b);
	idb_of(&b, "lan0", 228 /* LINKTYPE_IPV4 */, 0x80 | 10 /* 2^-10 s */);
	idb_of(&b, "wan0", 228, 12 /* picoseconds */);
	epb(&b, 0, 1536, ip_icmp, sizeof ip_icmp);
	epb(&b, 1, 5000, ip_icmp, sizeof ip_icmp);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_non_null(c);
	assert_int_equal(next_packet(c).ts_ns, 1500000000ull);
	assert_int_equal(next_packet(c).ts_ns, 5);
	close_capture(c);
}

static void test_truncated_pcap_fails_at_the_packet_after_the_last_whole_one(void **st)
{
	(void)st;
	struct buf b = {.n = 0};
	pcap_header(&b, 101);
	pcap_record(&b, 1, ip_icmp, sizeof ip_icmp);
	pcap_record(&b, 2, ip_icmp, sizeof ip_icmp);
	struct pk_pcap *c = open_capture(&b, b.n - 10);
	assert_non_null(c);
	assert_fails_at_packet_2(c, NULL);
	close_capture(c);
}

static void test_ethernet_vlan_tag_and_padding_are_stripped(void **st)
{
	(void)st;
	uint8_t f[64] = {0};
	f[12] = 0x81; /* 802.1Q, VLAN 10, then IPv4 */
	f[13] = 0x00;
	f[15] = 10;
	f[16] = 0x08;
	memcpy(f + 18, ip_icmp, sizeof ip_icmp);
	struct buf b = {.n = 0};
	pcap_header(&b, 1);
	pcap_record(&b, 7, f, sizeof f); /* padded past the IP length */
	uint8_t arp[42] = {0};
	arp[12] = 0x08;
	arp[13] = 0x06;
	pcap_record(&b, 8, arp, sizeof arp);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_non_null(c);
	struct pk_pcap_pkt p = next_packet(c);
	assert_non_null(p.ip);
	assert_int_equal(p.ip_len, sizeof ip_icmp);
	assert_memory_equal(p.ip, ip_icmp, sizeof ip_icmp);
	assert_int_equal(p.ts_ns, 7000000000ull);
	assert_null(next_packet(c).ip);
	close_capture(c);
}

static void test_linux_cooked_v2_outgoing_packets_are_marked(void **st)
{
	(void)st;
	uint8_t f[20 + sizeof ip_icmp] = {0x08, 0x00};
	f[10] = 4; /* PACKET_OUTGOING */
	memcpy(f + 20, ip_icmp, sizeof ip_icmp);
	struct buf b = {.n = 0};
	pcap_header(&b, 276);
	pcap_record(&b, 1, f, sizeof f);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_non_null(c);
	struct pk_pcap_pkt p = next_packet(c);
	assert_true(p.outgoing);
	assert_memory_equal(p.ip, ip_icmp, sizeof ip_icmp);
	close_capture(c);
}

static void test_unsupported_link_type_is_refused_by_name(void **st)
{
	(void)st;
	struct buf b = {.n = 0};
	pcap_header(&b, 105); /* IEEE 802.11 */
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_null(c);
	assert_non_null(strstr(err.msg, "IEEE802_11"));
	close_capture(c);
}

static void test_not_a_capture_is_refused(void **st)
{
	(void)st;
	struct buf b = {.n = 0};
	put(&b, "pass in all\n", 12);
	struct pk_pcap *c = open_capture(&b, b.n);
	assert_null(c);
	assert_non_null(strstr(err.msg, "not a readable pcap"));
	close_capture(c);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_pcapng_packets_carry_their_interface_names),
	cmocka_unit_test(test_pcapng_unknown_interface_id_is_an_error_naming_the_packet),
	cmocka_unit_test(test_pcapng_interfaces_keep_their_own_link_type_and_time_resolution),
	cmocka_unit_test(test_pcapng_binary_and_picosecond_resolutions_keep_exact_times),
	cmocka_unit_test(test_truncated_pcap_fails_at_the_packet_after_the_last_whole_one),
	cmocka_unit_test(test_ethernet_vlan_tag_and_padding_are_stripped),
	cmocka_unit_test(test_linux_cooked_v2_outgoing_packets_are_marked),
	cmocka_unit_test(test_unsupported_link_type_is_refused_by_name),
	cmocka_unit_test(test_not_a_capture_is_refused),
)
