/* tests/daemon/test_arp.c: ARP replies, resolution, queueing and timeouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/arp.h"
#include "tests/support/testmain.h"

#define NS 1000000000ull

struct wire {
	unsigned nframes, nunreach;
	uint16_t port[64];
	size_t len[64];
	uint8_t frame[64][1700];
};

static const uint8_t my_mac[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t my_ip[4] = {192, 168, 1, 1};
static const uint8_t host_mac[6] = {2, 0, 0, 0, 0, 10};
static const uint8_t host_ip[4] = {192, 168, 1, 10};

static bool port_addr(void *ctx, uint16_t port, const uint8_t ip[4], uint8_t mac[6], uint8_t src[4])
{
	(void)ctx;
	(void)ip;
	if (port != 0)
		return false;
	memcpy(mac, my_mac, 6);
	memcpy(src, my_ip, 4);
	return true;
}

static bool is_ours(void *ctx, uint16_t port, const uint8_t ip[4])
{
	(void)ctx;
	return port == 0 && !memcmp(ip, my_ip, 4);
}

static void send_frame(void *ctx, uint16_t port, const uint8_t *frame, size_t len)
{
	struct wire *w = ctx;
	assert_true(w->nframes < 64 && len <= sizeof(w->frame[0]));
	w->port[w->nframes] = port;
	w->len[w->nframes] = len;
	memcpy(w->frame[w->nframes++], frame, len);
}

static void unreachable(void *ctx, uint16_t port, const uint8_t *ip, size_t len)
{
	(void)port;
	(void)ip;
	(void)len;
	((struct wire *)ctx)->nunreach++;
}

static struct pk_arp arp;

static uint8_t resolved[6]; /* the MAC address the last resolution of the host gave */

/* Resolves the host's IPv4 address on port 0 at now; the packet ip of
 * len bytes (NULL: none) waits while the address is unknown. */
static bool resolve_host(uint64_t now, const uint8_t *ip, size_t len)
{
	return pk_arp_resolve(&arp, now, 0, 4, host_ip, resolved, ip, len);
}

static unsigned nsolicit;
static uint8_t solicited[16];

static void solicit6(void *ctx, uint16_t port, const uint8_t addr[16])
{
	(void)ctx;
	(void)port;
	memcpy(solicited, addr, 16);
	nsolicit++;
}
static struct wire wire;

static int setup(void **state)
{
	const struct pk_arp_io io = {&wire, port_addr, is_ours, solicit6, send_frame, unreachable};
	(void)state;
	memset(&wire, 0, sizeof(wire));
	nsolicit = 0;
	pk_arp_init(&arp, &io);
	return 0;
}

/* The host's ARP request (op 1) or reply (op 2) about the address tip,
 * broadcast, arrives on port 0 at now. */
static void host_arp(uint64_t now, uint16_t op, const uint8_t tip[4])
{
	static const uint8_t bc[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t hdr[8] = {0, 1, 8, 0, 6, 4, 0, 0};
	uint8_t f[60] = {0};
	pk_eth_header(f, bc, host_mac, 0x0806);
	memcpy(f + 14, hdr, 8);
	f[21] = (uint8_t)op;
	memcpy(f + 22, host_mac, 6);
	memcpy(f + 28, host_ip, 4);
	memcpy(f + 38, tip, 4);
	pk_arp_input(&arp, now, 0, f, sizeof(f));
}

static void test_request_for_our_address_is_answered_with_our_mac(void **state)
{
	(void)state;
	host_arp(0, 1, my_ip);
	assert_int_equal(wire.nframes, 1);
	const uint8_t *r = wire.frame[0];
	assert_memory_equal(r, host_mac, 6);
	assert_int_equal(r[21], 2);
	assert_memory_equal(r + 22, my_mac, 6);
	assert_memory_equal(r + 28, my_ip, 4);
	assert_memory_equal(r + 32, host_mac, 6);
	assert_memory_equal(r + 38, host_ip, 4);
}

static void test_request_for_another_address_is_ignored(void **state)
{
	const uint8_t other[4] = {192, 168, 1, 99};
	(void)state;
	host_arp(0, 1, other);
	assert_int_equal(wire.nframes, 0);
}

static void test_requester_is_learnt_so_the_reply_path_needs_no_request(void **state)
{
	(void)state;
	host_arp(0, 1, my_ip);
	assert_true(resolve_host(NS, NULL, 0));
	assert_memory_equal(resolved, host_mac, 6);
	assert_int_equal(wire.nframes, 1);
}

static void test_miss_queues_packets_and_reply_flushes_them_in_order(void **state)
{
	uint8_t pkt[3][40];
	(void)state;
	for (int i = 0; i < 3; i++) {
		memset(pkt[i], 0x45 + i, sizeof(pkt[i]));
		assert_false(resolve_host(0, pkt[i], sizeof(pkt[i])));
	}
	assert_int_equal(wire.nframes, 1); /* one request, not one per packet */
	assert_int_equal(wire.frame[0][21], 1);
	assert_memory_equal(wire.frame[0] + 38, host_ip, 4);
	host_arp(10, 2, my_ip);
	assert_int_equal(wire.nframes, 4);
	for (int i = 0; i < 3; i++) {
		assert_memory_equal(wire.frame[1 + i], host_mac, 6);
		assert_int_equal(wire.frame[1 + i][12], 0x08);
		assert_memory_equal(wire.frame[1 + i] + 14, pkt[i], sizeof(pkt[i]));
	}
}

static void test_queue_is_bounded_per_neighbour(void **state)
{
	uint8_t pkt[40] = {0};
	(void)state;
	for (int i = 0; i < PK_ARP_QUEUE_PER_ENTRY + 5; i++)
		resolve_host(0, pkt, sizeof(pkt));
	assert_int_equal(arp.stats.queued, PK_ARP_QUEUE_PER_ENTRY);
	assert_int_equal(arp.stats.queue_drops, 5);
}

static void test_unanswered_resolution_is_retried_then_reports_unreachable(void **state)
{
	uint8_t pkt[40] = {0};
	(void)state;
	resolve_host(0, pkt, sizeof(pkt));
	resolve_host(0, pkt, sizeof(pkt));
	for (uint64_t t = 1; t <= PK_ARP_PROBES; t++)
		pk_arp_tick(&arp, t * PK_ARP_RETRY_NS);
	assert_int_equal(arp.stats.requests_sent, PK_ARP_PROBES);
	assert_int_equal(wire.nunreach, 2);
	assert_int_equal(arp.stats.failed, 1);
}

static void test_entry_expires_and_is_resolved_again(void **state)
{
	(void)state;
	host_arp(0, 2, my_ip);
	/* An unsolicited reply does not create an entry (no ARP poisoning by gratuitous replies). */
	assert_false(resolve_host(1, NULL, 0));
	host_arp(2, 2, my_ip);
	assert_true(resolve_host(3, NULL, 0));
	pk_arp_tick(&arp, 2 + PK_ARP_REACHABLE_NS);
	unsigned before = wire.nframes;
	assert_false(resolve_host(3 + PK_ARP_REACHABLE_NS, NULL, 0));
	assert_int_equal(wire.nframes, before + 1);
}

static void test_ipv6_neighbour_is_solicited_then_learnt_and_queue_flushed_as_ipv6(void **state)
{
	uint8_t mac[6], pkt[60] = {0x60};
	const uint8_t nh[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 5};
	(void)state;
	assert_false(pk_arp_resolve(&arp, 0, 0, 6, nh, mac, pkt, sizeof(pkt)));
	assert_int_equal(nsolicit, 1);
	assert_memory_equal(solicited, nh, 16);
	/* An IPv4 entry whose address shares the first 4 bytes is another neighbour. */
	assert_false(pk_arp_resolve(&arp, 0, 0, 4, nh, mac, NULL, 0));
	pk_arp_learn(&arp, 1, 0, 6, nh, host_mac, false);
	assert_int_equal(wire.nframes, 2); /* the ARP request of the IPv4 lookup, then the flushed packet */
	assert_memory_equal(wire.frame[1], host_mac, 6);
	assert_int_equal(wire.frame[1][12], 0x86);
	assert_int_equal(wire.frame[1][13], 0xdd);
	assert_true(pk_arp_resolve(&arp, 2, 0, 6, nh, mac, NULL, 0));
	assert_memory_equal(mac, host_mac, 6);
}

PK_TEST_MAIN(
	cmocka_unit_test_setup(test_request_for_our_address_is_answered_with_our_mac, setup),
	cmocka_unit_test_setup(test_request_for_another_address_is_ignored, setup),
	cmocka_unit_test_setup(test_requester_is_learnt_so_the_reply_path_needs_no_request, setup),
	cmocka_unit_test_setup(test_miss_queues_packets_and_reply_flushes_them_in_order, setup),
	cmocka_unit_test_setup(test_queue_is_bounded_per_neighbour, setup),
	cmocka_unit_test_setup(test_unanswered_resolution_is_retried_then_reports_unreachable, setup),
	cmocka_unit_test_setup(test_entry_expires_and_is_resolved_again, setup),
	cmocka_unit_test_setup(test_ipv6_neighbour_is_solicited_then_learnt_and_queue_flushed_as_ipv6, setup),
)
