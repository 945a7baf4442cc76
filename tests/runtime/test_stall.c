/* tests/runtime/test_stall.c: stalled TCP connections and their likely causes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/ruleset.h"
#include "runtime/stall.h"
#include "tests/support/rstest.h"
#include "tests/support/testmain.h"

#define SYN 0x02
#define ACK 0x10
#define SYNACK 0x12
#define RST 0x04

enum { LAN = 0, OPT = 1, WAN = 2 };

/* An IPv4 TCP segment between the LAN client 192.168.1.10:40000 and
 * FreeNAS 10.0.10.5:443, in the given direction. */
static void segment(uint8_t ip[40], int reply, uint8_t flags)
{
	static const uint8_t client[4] = {192, 168, 1, 10}, server[4] = {10, 0, 10, 5};
	memset(ip, 0, 40);
	ip[0] = 0x45;
	ip[3] = 40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, reply ? server : client, 4);
	memcpy(ip + 16, reply ? client : server, 4);
	uint16_t c = 40000, s = 443, sp = reply ? s : c, dp = reply ? c : s;
	ip[20] = (uint8_t)(sp >> 8);
	ip[21] = (uint8_t)sp;
	ip[22] = (uint8_t)(dp >> 8);
	ip[23] = (uint8_t)dp;
	ip[32] = 0x50;
	ip[33] = flags;
}

/* A segment of that connection as the engine handled it. */
struct seg {
	uint64_t n; /* its number in the capture */
	int reply;  /* sent by the server */
	uint8_t flags;
	uint16_t iface;
	bool passed, mismatch;
};

static void feed(struct pk_stall *s, const struct seg *g)
{
	uint8_t ip[40];
	segment(ip, g->reply, g->flags);
	const struct pk_stall_pkt p = {.ip = ip, .len = sizeof ip, .n = g->n, .iface = g->iface,
				       .egress = g->passed ? (g->reply ? LAN : OPT) : PK_RT_NO_IFACE,
				       .passed = g->passed, .held = false, .mismatch = g->mismatch};
	pk_stall_packet(s, &p);
}

struct seen {
	int n;
	enum pk_stall_cause cause;
	uint64_t first;
};

static void record(void *ctx, const struct pk_stall_flow *f, enum pk_stall_cause c)
{
	struct seen *s = ctx;
	s->n++;
	s->cause = c;
	s->first = f->first_n;
}

static struct seen diagnose(struct pk_stall *s)
{
	struct seen seen = {0, PK_STALL_NONE, 0};
	pk_stall_report(s, record, &seen);
	pk_stall_fini(s);
	return seen;
}

/* What the stall report says of the n segments in segs. */
static struct seen diagnose_segments(const struct seg *segs, size_t n)
{
	struct pk_stall s;
	pk_stall_init(&s);
	for (size_t k = 0; k < n; k++)
		feed(&s, &segs[k]);
	return diagnose(&s);
}

/* The three segments of a handshake the rules passed. */
#define HANDSHAKE                                                                  \
	{.n = 1, .flags = SYN, .iface = LAN, .passed = true},                      \
	{.n = 2, .reply = 1, .flags = SYNACK, .iface = OPT, .passed = true},       \
	{.n = 3, .flags = ACK, .iface = LAN, .passed = true}

static void test_completed_handshake_is_not_reported(void **st)
{
	static const struct seg segs[] = {HANDSHAKE};

	(void)st;
	assert_int_equal(diagnose_segments(segs, PK_NELEMS(segs)).n, 0);
}

static void test_client_only_traffic_is_asymmetric_routing_without_replies(void **st)
{
	static const struct seg segs[] = {
		{.n = 4, .flags = SYN, .iface = LAN, .passed = true},
		{.n = 5, .flags = ACK, .iface = LAN, .passed = true},
		{.n = 6, .flags = ACK, .iface = LAN, .mismatch = true},
	};

	(void)st;
	struct seen r = diagnose_segments(segs, PK_NELEMS(segs));
	assert_int_equal(r.n, 1);
	assert_int_equal(r.cause, PK_STALL_NO_REPLY);
	assert_int_equal(r.first, 4);
	assert_non_null(strstr(pk_stall_cause_text(r.cause), "sloppy state"));
}

static void test_replies_on_another_interface_are_named(void **st)
{
	static const struct seg segs[] = {
		{.n = 1, .flags = SYN, .iface = LAN, .passed = true},
		{.n = 2, .reply = 1, .flags = SYNACK, .iface = WAN},
	};

	(void)st;
	assert_int_equal(diagnose_segments(segs, PK_NELEMS(segs)).cause, PK_STALL_OTHER_IFACE);
}

static void test_replies_outside_the_window_point_at_window_tracking(void **st)
{
	static const struct seg segs[] = {
		HANDSHAKE,
		{.n = 4, .reply = 1, .flags = ACK, .iface = OPT, .mismatch = true},
	};

	(void)st;
	assert_int_equal(diagnose_segments(segs, PK_NELEMS(segs)).cause, PK_STALL_WINDOW);
}

static void test_blocked_syn_and_reset_connections_are_not_stalls(void **st)
{
	static const struct seg blocked[] = {{.n = 1, .flags = SYN, .iface = LAN}};
	static const struct seg reset[] = {
		{.n = 1, .flags = SYN, .iface = LAN, .passed = true},
		{.n = 2, .reply = 1, .flags = RST | ACK, .iface = OPT, .passed = true},
	};

	(void)st;
	assert_int_equal(diagnose_segments(blocked, PK_NELEMS(blocked)).n, 0);
	assert_int_equal(diagnose_segments(reset, PK_NELEMS(reset)).n, 0);
}

/* Behind outbound NAT the reply arrives addressed to the firewall (here
 * 203.0.113.2:55000); as it leaves, translated back, it is the
 * connection's reply. */
static void test_reply_to_a_translated_connection_is_found_after_nat(void **st)
{
	(void)st;
	struct pk_stall s;
	pk_stall_init(&s);
	feed(&s, &(struct seg){.n = 1, .flags = SYN, .iface = LAN, .passed = true});
	uint8_t wire[40], back[40];
	segment(wire, 1, SYNACK);
	segment(back, 1, SYNACK);
	memcpy(wire + 16, (const uint8_t[]){203, 0, 113, 2}, 4);
	wire[22] = 55000 >> 8;
	wire[23] = 55000 & 0xff;
	const struct pk_stall_pkt p = {.ip = wire, .len = sizeof wire, .xlated = back, .xlen = sizeof back, .n = 2,
				       .iface = WAN, .egress = LAN, .passed = true};
	pk_stall_packet(&s, &p);
	feed(&s, &(struct seg){.n = 3, .flags = ACK, .iface = LAN, .passed = true});
	assert_int_equal(diagnose(&s).n, 0);
}

static void test_many_connections_grow_the_table(void **st)
{
	(void)st;
	struct pk_stall s;
	pk_stall_init(&s);
	for (uint16_t i = 0; i < 5000; i++) {
		uint8_t ip[40];
		segment(ip, 0, SYN);
		ip[20] = (uint8_t)(i >> 8);
		ip[21] = (uint8_t)i;
		const struct pk_stall_pkt p = {.ip = ip, .len = sizeof ip, .n = i + 1u, .iface = LAN,
					       .egress = OPT, .passed = true};
		pk_stall_packet(&s, &p);
	}
	assert_int_equal(s.n, 5000);
	struct seen r = diagnose(&s);
	assert_int_equal(r.n, 5000);
	assert_int_equal(r.first, 5000);
}

/* A SYN of connection i (client port 1000 + i) that rule passed and no
 * reply followed. */
static void unanswered_syn(struct pk_stall *s, uint16_t i, uint32_t rule)
{
	uint8_t ip[40];
	segment(ip, 0, SYN);
	ip[20] = (uint8_t)((1000 + i) >> 8);
	ip[21] = (uint8_t)(1000 + i);
	const struct pk_stall_pkt p = {.ip = ip, .len = sizeof ip, .n = i + 1u, .rule = rule, .iface = LAN,
				       .egress = OPT, .passed = true};
	pk_stall_packet(s, &p);
}

/* 5000 stalls from three rules on two lines: two groups, the larger
 * first, each with its first connections as examples in capture order. */
static void test_identical_diagnoses_are_grouped_with_counts_and_examples(void **st)
{
	(void)st;
	struct pk_rs *rs = pk_test_rules("interface lan0 address 192.168.1.1/24\n"
					 "interface opt1 address 10.0.10.1/24\n"
					 "pass in on lan0 proto tcp to port { 22 443 }\n"
					 "pass in on lan0 proto tcp to port 80\n");
	uint32_t line80 = pk_rs_nrules(rs) - 1;
	struct pk_stall s;
	pk_stall_init(&s);
	for (uint16_t i = 0; i < 5000; i++)
		unanswered_syn(&s, i, i % 5 == 4 ? line80 : i % 2);
	size_t n;
	struct pk_stall_group *g = pk_stall_groups(&s, rs, &n);
	assert_non_null(g);
	assert_int_equal(n, 2);
	assert_int_equal(g[0].rule, 0);
	assert_int_equal(g[0].count, 4000);
	assert_int_equal(g[0].cause, PK_STALL_NO_REPLY);
	assert_int_equal(g[0].iface, LAN);
	assert_int_equal(g[0].example[0]->first_n, 1);
	assert_int_equal(g[0].example[1]->first_n, 2);
	assert_int_equal(g[0].example[2]->first_n, 3);
	assert_int_equal(g[1].rule, line80);
	assert_int_equal(g[1].count, 1000);
	assert_int_equal(g[1].example[0]->first_n, 5);
	free(g);
	pk_stall_fini(&s);
	pk_rs_free(rs);
}

static void test_no_stall_gives_no_group(void **st)
{
	(void)st;
	struct pk_stall s;
	pk_stall_init(&s);
	struct pk_rs *rs = pk_test_rules("pass\n");
	size_t n = 1;
	assert_null(pk_stall_groups(&s, rs, &n));
	assert_int_equal(n, 0);
	pk_rs_free(rs);
}

PK_TEST_MAIN(
	cmocka_unit_test(test_completed_handshake_is_not_reported),
	cmocka_unit_test(test_client_only_traffic_is_asymmetric_routing_without_replies),
	cmocka_unit_test(test_replies_on_another_interface_are_named),
	cmocka_unit_test(test_replies_outside_the_window_point_at_window_tracking),
	cmocka_unit_test(test_blocked_syn_and_reset_connections_are_not_stalls),
	cmocka_unit_test(test_reply_to_a_translated_connection_is_found_after_nat),
	cmocka_unit_test(test_many_connections_grow_the_table),
	cmocka_unit_test(test_identical_diagnoses_are_grouped_with_counts_and_examples),
	cmocka_unit_test(test_no_stall_gives_no_group),
)
